"""One-line details of ingress resources for ``askc preview`` (registered on first use)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any


def _join(*parts: object) -> str:
    return ", ".join(str(part) for part in parts if part not in (None, "", []))


def _alb(inputs: Mapping[str, Any]) -> str:
    zones = inputs.get("zoneMappings") or []
    log = inputs.get("accessLogConfig") or {}
    return _join(
        inputs.get("loadBalancerEdition"),
        inputs.get("addressType"),
        f"{len(zones)} zones" if zones else None,
        f"access log {log.get('logProject')}/{log.get('logStore')}" if log else None,
        "deletion protection" if inputs.get("deletionProtectionEnabled") else None,
    )


def _albconfig(inputs: Mapping[str, Any]) -> str:
    spec = inputs.get("spec") or {}
    config = spec.get("config") or {}
    listeners = []
    for listener in spec.get("listeners") or []:
        certs = listener.get("certificates") or []
        text = f"{listener.get('protocol')}:{listener.get('port')}"
        if certs:
            text += f" ({len(certs)} certificate{'s' if len(certs) > 1 else ''})"
        listeners.append(text)
    return _join(f"reuses {config.get('id')}" if config.get("id") else None, *listeners)


def _ingress_class(inputs: Mapping[str, Any]) -> str:
    spec = inputs.get("spec") or {}
    parameters = spec.get("parameters") or {}
    return _join(
        spec.get("controller"),
        f"{parameters.get('kind')} {parameters.get('name')}" if parameters else None,
    )


def _ingress(inputs: Mapping[str, Any]) -> str:
    spec = inputs.get("spec") or {}
    annotations = (inputs.get("metadata") or {}).get("annotations") or {}
    routes = []
    for rule in spec.get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            routes.append(f"{rule.get('host', '*')}{path.get('path', '')}")
    redirect = annotations.get("alb.ingress.kubernetes.io/ssl-redirect") == "true"
    return _join(
        f"class {spec.get('ingressClassName')}", *routes, "HTTPS redirect" if redirect else None
    )


_CLB = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"


def _service(inputs: Mapping[str, Any]) -> str:
    spec = inputs.get("spec") or {}
    annotations = (inputs.get("metadata") or {}).get("annotations") or {}
    ports = ", ".join(
        f"{port.get('port')} -> {port.get('targetPort', port.get('port'))}"
        for port in spec.get("ports") or []
        if isinstance(port, Mapping)
    )
    kind = spec.get("type", "ClusterIP")
    if kind == "LoadBalancer" and annotations.get(_CLB + "address-type"):
        kind = (
            f"LoadBalancer (CLB {annotations[_CLB + 'address-type']}, "
            f"{annotations.get(_CLB + 'instance-charge-type', 'PayBySpec')})"
        )
    https = (
        "HTTPS " + str(annotations[_CLB + "cert-id"]) if annotations.get(_CLB + "cert-id") else None
    )
    return _join(kind, ports, https)


@functools.cache
def register() -> None:
    """Register the describers (once)."""
    from ask_components.preview.render import register_describer

    register_describer("alicloud:alb/loadBalancer:LoadBalancer", _alb)
    register_describer("kubernetes:alibabacloud.com/v1:AlbConfig", _albconfig)
    register_describer("kubernetes:networking.k8s.io/v1:IngressClass", _ingress_class)
    register_describer("kubernetes:networking.k8s.io/v1:Ingress", _ingress)
    register_describer("kubernetes:core/v1:Service", _service)
