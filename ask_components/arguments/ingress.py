"""The ALB components' settings (``AlbSettings``) checked with the stack file's ``ingress`` rules
(``IngressConfig``: edition, certificates, access log) and what ALB would refuse beyond them
(``AlbSettings.problems``: zones, region, reserved names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ask_components.arguments import check_arguments
from ask_components.errors import ArgumentError, ConfigProblem
from ask_components.ingress.albconfig import AlbListeners
from ask_components.ingress.config import IngressConfig

if TYPE_CHECKING:
    from ask_components.ingress.base import AlbSettings

_RENAMES = {
    "https.certificate_ids": "certificate_ids",
    "https.redirect_http": "redirect_http",
}
"""The stack file's ``https`` section is two plain arguments."""


def check_alb(component: str, name: str, settings: AlbSettings) -> AlbListeners:
    """The listener plan of valid settings; else one ``ArgumentError`` with every problem."""
    document: dict[str, Any] = {"kind": "alb", "edition": settings.edition}
    document["public"] = settings.public
    if settings.certificate_ids:
        document["https"] = {"certificate_ids": list(settings.certificate_ids)}
        if settings.redirect_http is not None:
            document["https"]["redirect_http"] = settings.redirect_http
    access_log = getattr(settings, "access_log", None)  # AlbIngressArgs only
    if access_log is not None:
        document["access_log"] = {"project": access_log.project, "store": access_log.store}
    check_arguments(
        component,
        name,
        IngressConfig,
        document,
        renames=_RENAMES,
        extra=settings.problems(name),
    )
    try:
        return AlbListeners.plan(settings.certificate_ids, redirect_http=settings.redirect_http)
    except ValueError as err:  # HTTP redirected without HTTPS
        raise ArgumentError(component, name, [ConfigProblem("redirect_http", str(err))]) from None
