"""ALB Ingress manifests for exposed apps: annotations and rules (pure builders).

Annotation names and defaults: https://help.aliyun.com/en/cs/user-guide/alb-ingress-configuration-dictionary
(values are strings; names as in the controller's ``annotations.go``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ask_components.ingress.albconfig import DEFAULT_INGRESS_CLASS, AlbListeners

ALB_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/"

HEALTHY_HTTP_CODES = "http_2xx,http_3xx"
"""What counts as healthy: the kubelet's readiness probe accepts 200-399, so the ALB does too."""

HEALTH_CHECK_METHOD = "GET"
"""The ALB default is HEAD, which many health endpoints do not answer; readiness probes GET."""

RESERVED_PREFIX = "aliyun"

MANAGED_BY = {"app.kubernetes.io/managed-by": "ask-components"}


@dataclass(frozen=True)
class HealthCheck:
    """How a load balancer checks a backend, taken from the app's readiness probe.

    Attributes:
        path: HTTP path that answers 2xx/3xx when ready; None: only check the port accepts TCP.
        port: the port the probe uses; None: the backend port itself.
    """

    path: str | None = None
    port: int | None = None

    def __post_init__(self) -> None:
        if self.path is not None and not self.path.startswith("/"):
            raise ValueError(f"health check path {self.path!r} must start with '/'")
        if self.port is not None and not 1 <= self.port <= 65_535:
            raise ValueError(f"health check port {self.port} is not a port (1-65535)")

    def connect_port(self, backend_port: int) -> int:
        """The port to check, 0 meaning "the backend port" (as both ALB and CLB spell it)."""
        return 0 if self.port is None or self.port == backend_port else self.port


def alb_ingress_annotations(
    listeners: AlbListeners, health: HealthCheck, *, backend_port: int
) -> dict[str, str]:
    """The ``alb.ingress.kubernetes.io/*`` annotations of an app's Ingress.

    Args:
        listeners: the ALB's listeners; ``listen-ports`` must name exactly these.
        health: the app's readiness check.
        backend_port: the container port traffic goes to (health checks default to it).
    """
    annotations = {
        "listen-ports": listeners.listen_ports(),
        "healthcheck-enabled": "true",
        "healthcheck-connect-port": str(health.connect_port(backend_port)),
    }
    if listeners.https:
        annotations["ssl-redirect"] = "true" if listeners.redirect_http else "false"
    if health.path is not None:
        annotations.update(
            {
                "healthcheck-protocol": "HTTP",
                "healthcheck-path": health.path,
                "healthcheck-method": HEALTH_CHECK_METHOD,
                "healthcheck-httpcode": HEALTHY_HTTP_CODES,
            }
        )
    else:
        annotations["healthcheck-protocol"] = "TCP"
    return {ALB_ANNOTATION_PREFIX + key: value for key, value in sorted(annotations.items())}


def alb_ingress_manifest(
    *,
    name: str,
    namespace: str,
    hosts: Sequence[str | None],
    path: str,
    service_name: str,
    service_port: int,
    annotations: Mapping[str, str],
    ingress_class: str = DEFAULT_INGRESS_CLASS,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An app's Ingress (``networking.k8s.io/v1``): one rule per host, one Prefix path each.

    Args:
        name: the Ingress name (the app's name).
        namespace: the app's namespace.
        hosts: the hosts it answers on; None in the list means any host.
        path: the path prefix.
        service_name: the app's Service.
        service_port: the Service port to send traffic to.
        annotations: from ``alb_ingress_annotations``.
        ingress_class: the IngressClass of the ALB.
        labels: extra labels.

    Raises:
        ValueError: a name ALB Ingress reserves (``aliyun*``), or no hosts.
    """
    for what, value in (("name", name), ("namespace", namespace), ("Service", service_name)):
        if value.startswith(RESERVED_PREFIX):
            raise ValueError(
                f"Ingress {what} {value!r} must not start with 'aliyun' (reserved by ALB Ingress)"
            )
    if not hosts:
        raise ValueError("an Ingress needs at least one host (None for any host)")
    backend = {"service": {"name": service_name, "port": {"number": service_port}}}
    http = {"paths": [{"path": path, "pathType": "Prefix", "backend": backend}]}
    rules = [{"host": host, "http": http} if host is not None else {"http": http} for host in hosts]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/name": name, **MANAGED_BY, **dict(labels or {})},
            "annotations": dict(annotations),
        },
        "spec": {"ingressClassName": ingress_class, "rules": rules},
    }
