"""The AlbConfig and IngressClass that hand a Pulumi-made ALB to the ALB Ingress controller.

Pure builders: plain values in, manifests (dicts) out. Field names follow the controller's
types (alibaba/alibaba-load-balancer-controller ``pkg/apis/alibabacloud/v1/albconfig_types.go``);
``ask_components/schemas/albconfig_alibabacloud.com_v1.json`` checks what is rendered here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

ALBCONFIG_API_VERSION = "alibabacloud.com/v1"
ALBCONFIG_KIND = "AlbConfig"
ALB_CONTROLLER = "ingress.k8s.alibabacloud/alb"
"""``spec.controller`` of an IngressClass served by the ALB Ingress controller."""

DEFAULT_INGRESS_CLASS = "alb"
"""The IngressClass name apps use (``ingressClassName: alb``), as ACK's own default."""

HTTP_PORT = 80
HTTPS_PORT = 443

T = TypeVar("T")


@dataclass(frozen=True)
class AlbListeners:
    """The listeners of the ALB: HTTP, plus HTTPS when there are certificates.

    Every Ingress on the ALB must name exactly these in ``listen-ports``, so the plan is made
    once and shared by the AlbConfig and every Ingress.

    Attributes:
        certificate_ids: HTTPS certificate ids; the first is the default. None: HTTP only.
        redirect_http: answer HTTP with a redirect to HTTPS (Ingress ``ssl-redirect``).
        http_port: the HTTP listener port.
        https_port: the HTTPS listener port.
    """

    certificate_ids: tuple[str, ...] = ()
    redirect_http: bool = False
    http_port: int = HTTP_PORT
    https_port: int = HTTPS_PORT

    def __post_init__(self) -> None:
        if self.redirect_http and not self.certificate_ids:
            raise ValueError("redirect_http needs HTTPS: give at least one certificate id")
        if len(set(self.certificate_ids)) != len(self.certificate_ids):
            raise ValueError(f"certificate ids repeat: {', '.join(self.certificate_ids)}")
        if self.http_port == self.https_port:
            raise ValueError(f"HTTP and HTTPS cannot share port {self.http_port}")

    @classmethod
    def plan(
        cls, certificate_ids: Sequence[str] = (), *, redirect_http: bool | None = None
    ) -> AlbListeners:
        """Listeners for these certificates; HTTP redirects to HTTPS by default when there are."""
        certs = tuple(certificate_ids)
        redirect = bool(certs) if redirect_http is None else redirect_http
        return cls(certificate_ids=certs, redirect_http=redirect)

    @property
    def https(self) -> bool:
        """Whether there is an HTTPS listener."""
        return bool(self.certificate_ids)

    def albconfig_listeners(self) -> list[dict[str, Any]]:
        """``spec.listeners`` of the AlbConfig."""
        listeners: list[dict[str, Any]] = [{"port": self.http_port, "protocol": "HTTP"}]
        if self.https:
            listeners.append(
                {
                    "port": self.https_port,
                    "protocol": "HTTPS",
                    "certificates": [
                        {"CertificateId": cert, "IsDefault": index == 0}
                        for index, cert in enumerate(self.certificate_ids)
                    ],
                }
            )
        return listeners

    def listen_ports(self) -> str:
        """The Ingress ``listen-ports`` annotation: ``[{"HTTP": 80}, {"HTTPS": 443}]``."""
        ports: list[dict[str, int]] = [{"HTTP": self.http_port}]
        if self.https:
            ports.append({"HTTPS": self.https_port})
        return json.dumps(ports)

    def describe(self) -> str:
        """One line: ``HTTP:80, HTTPS:443 (1 certificate), HTTP redirects to HTTPS``."""
        parts = [f"HTTP:{self.http_port}"]
        if self.https:
            count = len(self.certificate_ids)
            parts.append(f"HTTPS:{self.https_port} ({count} certificate{'s' if count > 1 else ''})")
        if self.redirect_http:
            parts.append("HTTP redirects to HTTPS")
        return ", ".join(parts)


def albconfig_spec(load_balancer_id: T, listeners: AlbListeners) -> dict[str, Any]:
    """``spec`` of an AlbConfig that reuses an existing ALB by id.

    - ``forceOverride: false``: the controller leaves the instance's attributes (edition,
      zones, access log, deletion protection) alone; Pulumi owns them.
    - ``listenerForceOverride: true``: the listeners of this ALB are the AlbConfig's to manage,
      so a listener changed in the console is put back (Pulumi creates none of its own).
    """
    return {
        "config": {
            "id": load_balancer_id,
            "forceOverride": False,
            "listenerForceOverride": True,
        },
        "listeners": listeners.albconfig_listeners(),
    }


def albconfig_manifest(name: str, load_balancer_id: T, listeners: AlbListeners) -> dict[str, Any]:
    """A whole AlbConfig (cluster-scoped: no namespace)."""
    _check_name(name, "AlbConfig")
    return {
        "apiVersion": ALBCONFIG_API_VERSION,
        "kind": ALBCONFIG_KIND,
        "metadata": {"name": name},
        "spec": albconfig_spec(load_balancer_id, listeners),
    }


def ingress_class_spec(albconfig_name: str) -> dict[str, Any]:
    """``spec`` of the IngressClass whose parameters point at the AlbConfig."""
    return {
        "controller": ALB_CONTROLLER,
        "parameters": {
            "apiGroup": "alibabacloud.com",
            "kind": ALBCONFIG_KIND,
            "name": albconfig_name,
        },
    }


def ingress_class_manifest(name: str, albconfig_name: str) -> dict[str, Any]:
    """A whole IngressClass (``networking.k8s.io/v1``)."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": name},
        "spec": ingress_class_spec(albconfig_name),
    }


def _check_name(name: str, kind: str) -> None:
    if name.startswith("aliyun"):
        raise ValueError(f"{kind} name {name!r} must not start with 'aliyun' (reserved by ACK)")
