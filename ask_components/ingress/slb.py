"""CLB for one app: its Service becomes ``type: LoadBalancer`` with the CCM annotations (pure).

The cloud controller manager (CCM) of the cluster creates a CLB per such Service and deletes it
with the Service. Annotations: "Use annotations to configure CLB instances"
(https://www.alibabacloud.com/help/en/document_detail/86531.html); values are case-sensitive
strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ask_components.ingress.albconfig import HTTP_PORT, HTTPS_PORT
from ask_components.ingress.annotations import HealthCheck

CLB_ANNOTATION_PREFIX = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"

CLB_CHARGE_TYPE = "PayByCLCU"
"""Pay by capacity unit: the CCM default since v2.5.0, and the only way a new CLB is sold
(pay-by-specification CLBs are not sold since 2025-06-01,
https://www.alibabacloud.com/help/en/document_detail/452823.html). Every pay-as-you-go CLB also
pays an instance fee. Cannot be combined with ``spec``."""

V = TypeVar("V")


@dataclass(frozen=True)
class ClbSettings(Generic[V]):
    """What decides an app's CLB.

    Attributes:
        public: Internet-facing (``internet``) or reachable from the VPC only (``intranet``).
        vswitch_id: the vSwitch of an intranet CLB (required when not public); any value the
            caller uses for ids (a string, or a Pulumi Output).
        certificate_id: an HTTPS certificate: listeners HTTPS:443 and HTTP:80. None: one TCP
            listener on 80.
        redirect_http: with HTTPS, forward HTTP:80 to HTTPS:443.
        deletion_protection: refuse deletion of the CLB in the console/API.
        name: the CLB's name in the console.
        tags: tags on the CLB.
    """

    public: bool
    vswitch_id: V | None = None
    certificate_id: str | None = None
    redirect_http: bool = True
    deletion_protection: bool = False
    name: str | None = None
    tags: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.public and self.vswitch_id is None:
            raise ValueError("an intranet CLB needs the vSwitch to take its address from")


PUBLIC_ANNOTATION = "ask-components.io/public"
"""Marks a Service whose Internet-facing load balancer is intended (the app is public)."""


def clb_annotations(
    settings: ClbSettings[V], health: HealthCheck, *, backend_port: int
) -> dict[str, str | V]:
    """The ``service.beta.kubernetes.io/alibaba-cloud-loadbalancer-*`` annotations.

    Args:
        settings: the CLB's settings.
        health: the app's readiness check.
        backend_port: the container port traffic goes to.
    """
    annotations: dict[str, str | V] = {
        "address-type": "internet" if settings.public else "intranet",
        "instance-charge-type": CLB_CHARGE_TYPE,
        "delete-protection": "on" if settings.deletion_protection else "off",
    }
    if not settings.public and settings.vswitch_id is not None:
        annotations["vswitch-id"] = settings.vswitch_id
    if settings.name:
        annotations["name"] = settings.name
    if settings.tags:
        annotations["additional-resource-tags"] = ",".join(
            f"{key}={value}" for key, value in sorted(settings.tags.items())
        )
    connect_port = health.connect_port(backend_port)
    if settings.certificate_id is not None:
        # Layer 7: HTTPS terminates on the CLB, HTTP either redirects or forwards.
        annotations["protocol-port"] = f"https:{HTTPS_PORT},http:{HTTP_PORT}"
        annotations["cert-id"] = settings.certificate_id
        if settings.redirect_http:
            annotations["forward-port"] = f"{HTTP_PORT}:{HTTPS_PORT}"
        if health.path is not None:
            # HTTP(S) listeners check nothing unless told to (health-check-flag defaults off).
            annotations["health-check-flag"] = "on"
            annotations["health-check-type"] = "http"
            annotations["health-check-uri"] = health.path
            if connect_port:
                annotations["health-check-connect-port"] = str(connect_port)
    else:
        # Layer 4: a TCP listener, always health-checked; HTTP when the app has a readiness path.
        annotations["health-check-type"] = "http" if health.path is not None else "tcp"
        if health.path is not None:
            annotations["health-check-uri"] = health.path
        if connect_port:
            annotations["health-check-connect-port"] = str(connect_port)
    result: dict[str, str | V] = {
        CLB_ANNOTATION_PREFIX + key: value for key, value in sorted(annotations.items())
    }
    if settings.public:
        # Says on the Service that the Internet address is intended; the clb-internet-public-only
        # policy refuses an internet CLB without it.
        result[PUBLIC_ANNOTATION] = "true"
    return result


def clb_service_ports(settings: ClbSettings[Any], *, container_port: int) -> list[dict[str, Any]]:
    """The Service ports of a CLB-exposed app: 80 (and 443 with HTTPS) to the container port."""
    ports = [{"name": "http", "port": HTTP_PORT, "targetPort": container_port, "protocol": "TCP"}]
    if settings.certificate_id is not None:
        ports.insert(
            0,
            {"name": "https", "port": HTTPS_PORT, "targetPort": container_port, "protocol": "TCP"},
        )
    return ports


def clb_service_spec(
    settings: ClbSettings[Any], *, container_port: int, selector: Mapping[str, str]
) -> dict[str, Any]:
    """The ``spec`` of the app's Service, type LoadBalancer."""
    return {
        "type": "LoadBalancer",
        "selector": dict(selector),
        "ports": clb_service_ports(settings, container_port=container_port),
    }
