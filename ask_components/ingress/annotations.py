"""ALB Ingress manifests for exposed apps: annotations and rules (pure builders).

Annotation names and defaults: https://help.aliyun.com/en/cs/user-guide/alb-ingress-configuration-dictionary
(values are strings; names as in the controller's ``annotations.go``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ask_components.ingress.albconfig import DEFAULT_INGRESS_CLASS, AlbListeners

ALB_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/"

MANAGED_ANNOTATIONS: Mapping[str, str] = {
    "listen-ports": "ask-components sets it from ask:platform.ingress.https (HTTP on 80, HTTPS on "
    "443 with certificates), so that it always names the AlbConfig's listeners",
    "ssl-redirect": "ask-components sets it from ask:platform.ingress.https.redirectHttp",
}
"""ALB annotations ask-components sets on every app's Ingress -> what sets them instead."""

MANAGED_ANNOTATION_PREFIXES: Mapping[str, str] = {
    "healthcheck-": "ask-components sets the health check from the app's readiness probe (its "
    "path and port)",
}
"""Families of ALB annotations ask-components owns (by name prefix) -> what sets them instead."""

# Kubernetes annotation names (the part after the prefix): 63 characters at most, alphanumerics,
# '-', '_' and '.', starting and ending with an alphanumeric (apimachinery IsQualifiedName).
_ANNOTATION_NAME_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")

ALB_BOOLEAN_ANNOTATIONS = frozenset(
    {"ssl-redirect", "canary", "enable-cors", "cors-allow-credentials", "use-regex"}
)
"""ALB annotations that take "true" or "false" (ALB Ingress configuration dictionary)."""

ALB_INTEGER_ANNOTATIONS: Mapping[str, tuple[int, int]] = {
    "canary-weight": (0, 100),
    "cors-max-age": (-1, 172_800),
}
"""ALB annotations that take an integer -> its range (ALB Ingress configuration dictionary)."""

ALB_TEXT_ANNOTATIONS = frozenset(
    {
        "canary-by-header",
        "canary-by-header-value",
        "canary-by-cookie",
        "cors-allow-origin",
        "cors-allow-methods",
        "cors-allow-headers",
        "cors-expose-headers",
        "rewrite-target",
    }
)
"""ALB annotations whose value is free text that must not be empty (the controller refuses an
empty value: ``annotations.go`` ``parseString``)."""

ALB_BACKEND_PROTOCOLS = ("http", "https", "grpc")
"""Values of ``backend-protocol``."""

REWRITE_VARIABLES = 3
"""An ALB rewrite forms the new path from at most three capture groups, ``${1}`` to ``${3}``
(https://www.alibabacloud.com/help/en/slb/application-load-balancer/user-guide/create-a-domain-name-based-or-url-based-forwarding-rule)."""

_REWRITE_VARIABLE_RE = re.compile(r"\$\{(\d+)\}")

# Plain decimal integers only ("5", "-1"): what both controllers' strconv parsing reads alike.
_INTEGER_RE = re.compile(r"^-?[0-9]+$")

HEALTHY_HTTP_CODES = "http_2xx,http_3xx"
"""What counts as healthy: the kubelet's readiness probe accepts 200-399, so the ALB does too."""

HEALTH_CHECK_METHOD = "GET"
"""The ALB default is HEAD, which many health endpoints do not answer; readiness probes GET."""

RESERVED_PREFIX = "aliyun"

MANAGED_BY = {"app.kubernetes.io/managed-by": "ask-components"}


def managed_annotation_reason(key: str) -> str | None:
    """Why an ``alb.ingress.kubernetes.io/*`` annotation is ask-components' to set, or None when
    an app may set it."""
    name = key.removeprefix(ALB_ANNOTATION_PREFIX)
    if name in MANAGED_ANNOTATIONS:
        return MANAGED_ANNOTATIONS[name]
    for prefix, reason in MANAGED_ANNOTATION_PREFIXES.items():
        if name.startswith(prefix):
            return reason
    return None


def alb_annotation_key_problem(key: str) -> str | None:
    """What is wrong with an annotation key an app gives for its ALB Ingress, or None."""
    if not key.startswith(ALB_ANNOTATION_PREFIX):
        return f"{key!r} is not an ALB annotation: the key must start with {ALB_ANNOTATION_PREFIX}"
    name = key.removeprefix(ALB_ANNOTATION_PREFIX)
    if not _ANNOTATION_NAME_RE.fullmatch(name):
        return (
            f"{key!r} is not an annotation name: after {ALB_ANNOTATION_PREFIX} come 1-63 "
            "letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        )
    return None


def alb_annotation_value_problem(key: str, value: str) -> str | None:
    """What ALB Ingress would refuse in an annotation's value, or None.

    Checked as the ALB Ingress configuration dictionary states the values
    (https://www.alibabacloud.com/help/en/cs/user-guide/alb-ingress-configuration-dictionary):
    booleans are ``"true"``/``"false"``, ``canary-weight`` 0-100, ``cors-max-age`` -1 to 172800,
    ``backend-protocol`` http/https/grpc, a rewrite takes ``${1}``..``${3}`` and no other ``$``.
    Annotations it does not describe pass.
    """
    name = key.removeprefix(ALB_ANNOTATION_PREFIX)
    if name in ALB_BOOLEAN_ANNOTATIONS and value not in ("true", "false"):
        return f"{value!r} is not a boolean: use 'true' or 'false'"
    if name in ALB_INTEGER_ANNOTATIONS:
        low, high = ALB_INTEGER_ANNOTATIONS[name]
        if not _INTEGER_RE.fullmatch(value):
            return f"{value!r} is not an integer ({low} to {high})"
        if not low <= int(value) <= high:
            return f"{value} is out of range ({low} to {high})"
    if name in ALB_TEXT_ANNOTATIONS and not value:
        return "is empty"
    if name == "backend-protocol" and value not in ALB_BACKEND_PROTOCOLS:
        return f"{value!r} is not a backend protocol: use {', '.join(ALB_BACKEND_PROTOCOLS)}"
    if name == "rewrite-target":
        return _rewrite_problem(value)
    return None


def rewrite_variables(target: str) -> tuple[int, ...]:
    """The capture-group numbers a rewrite target uses (``/v2/${2}`` -> ``(2,)``)."""
    return tuple(int(number) for number in _REWRITE_VARIABLE_RE.findall(target))


def _rewrite_problem(target: str) -> str | None:
    bad = [n for n in rewrite_variables(target) if not 1 <= n <= REWRITE_VARIABLES]
    if bad:
        return (
            f"{target!r} uses ${{{bad[0]}}}: an ALB rewrite takes ${{1}} to "
            f"${{{REWRITE_VARIABLES}}} only"
        )
    if "$" in _REWRITE_VARIABLE_RE.sub("", target):
        return f"{target!r} has a '$' that is not one of ${{1}} to ${{{REWRITE_VARIABLES}}}"
    return None


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
    listeners: AlbListeners,
    health: HealthCheck,
    *,
    backend_port: int,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The ``alb.ingress.kubernetes.io/*`` annotations of an app's Ingress.

    Args:
        listeners: the ALB's listeners; ``listen-ports`` must name exactly these.
        health: the app's readiness check.
        backend_port: the container port traffic goes to (health checks default to it).
        extra: the app's own ALB annotations (``expose.annotations``: canary, rewrite, CORS...),
            full keys; they come after the managed ones, sorted.

    Raises:
        ValueError: an extra key that is not an ALB annotation, or one ask-components sets.
    """
    for key, value in (extra or {}).items():
        problem = alb_annotation_key_problem(key)
        if problem is not None:
            raise ValueError(problem)
        reason = managed_annotation_reason(key)
        if reason is not None:
            raise ValueError(f"{key} cannot be set by an app: {reason}")
        problem = alb_annotation_value_problem(key, value)
        if problem is not None:
            raise ValueError(f"{key}: {problem}")
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
    managed = {ALB_ANNOTATION_PREFIX + key: value for key, value in sorted(annotations.items())}
    return {**managed, **dict(sorted((extra or {}).items()))}


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
    path_type: str = "Prefix",
) -> dict[str, Any]:
    """An app's Ingress (``networking.k8s.io/v1``): one rule per host, one path each.

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
        path_type: ``Prefix``; ``ImplementationSpecific`` for a regular expression (ingress-nginx
            refuses regex characters in a Prefix path, ``strict-validate-path-type``).

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
    http = {"paths": [{"path": path, "pathType": path_type, "backend": backend}]}
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
