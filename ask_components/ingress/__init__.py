"""Ingress: one ALB owned by Pulumi (``AlbIngress``; ``SandboxAlbIngress`` on the local target,
served by ingress-nginx), or a CLB per app (``ClbIngress``), and ``expose_app`` to put an app
behind either."""

from ask_components.ingress.albconfig import AlbListeners
from ask_components.ingress.annotations import HealthCheck
from ask_components.ingress.config import AccessLogConfig, ExposeConfig, HttpsConfig, IngressConfig
from ask_components.ingress.nginx import NginxTranslation, translate_alb_annotations
from ask_components.ingress.slb import ClbSettings

__all__ = [
    "AccessLog",
    "AccessLogConfig",
    "AlbIngress",
    "AlbIngressArgs",
    "AlbIngressBase",
    "AlbListeners",
    "AlbSettings",
    "ClbIngress",
    "ClbService",
    "ClbSettings",
    "ExposeConfig",
    "ExposedApp",
    "Exposure",
    "HealthCheck",
    "HttpsConfig",
    "IngressConfig",
    "NginxTranslation",
    "SandboxAlbIngress",
    "SandboxAlbIngressArgs",
    "expose_app",
    "translate_alb_annotations",
]

_LAZY = {
    "AccessLog": "alb",
    "AlbIngress": "alb",
    "AlbIngressArgs": "alb",
    "AlbIngressBase": "base",
    "AlbSettings": "base",
    "SandboxAlbIngress": "local",
    "SandboxAlbIngressArgs": "local",
    "ClbIngress": "expose",
    "ClbService": "expose",
    "ExposedApp": "expose",
    "Exposure": "expose",
    "expose_app": "expose",
}


def __getattr__(name: str) -> object:
    # The components import pulumi_alicloud and pulumi_kubernetes; load them only when asked for.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"ask_components.ingress.{module}"), name)
