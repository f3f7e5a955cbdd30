"""The ALB in ingress-nginx's terms, for the local target (pure: plain values in, manifests out).

On kind the platform's ALB is served by ingress-nginx (``make kind-up`` installs its kind
manifest, ``controller-v1.13.3``). Three things make that work, all built here:

- an IngressClass whose ``spec.controller`` is ``k8s.io/ingress-nginx``: the controller serves
  an IngressClass of **any name** with that controller value, with its default flags. Evidence
  (kubernetes/ingress-nginx): ``--controller-class`` defaults to
  ``ingressclass.DefaultControllerName = "k8s.io/ingress-nginx"`` (``pkg/flags/flags.go``,
  ``internal/ingress/controller/ingressclass``); the store's IngressClass handler keeps a class
  when ``ingressclass.Spec.Controller == icConfig.Controller``, the name only matters with
  ``--ingress-class-by-name`` (default false), and an Ingress is taken when its
  ``spec.ingressClassName`` is a kept class (``internal/ingress/controller/store/store.go``,
  ``GetIngressClass``). The kind manifest passes ``--controller-class=k8s.io/ingress-nginx``
  (and ``--ingress-class=nginx``, which only names the deprecated annotation value);
- a ClusterIP Service selecting the controller pods (labels of the kind manifest), the ALB's
  in-cluster address;
- the app Ingresses' annotations, translated from ALB's by ``translate_alb_annotations``.

Annotation sources: ALB Ingress configuration dictionary
(https://www.alibabacloud.com/help/en/cs/user-guide/alb-ingress-configuration-dictionary; the same
tables in alibaba/alibaba-load-balancer-controller ``docs/usage.md``, names in
``pkg/controller/ingress/reconcile/annotations/annotations.go``) and ingress-nginx's
(https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/).

ALB ``alb.ingress.kubernetes.io/X`` -> ingress-nginx ``nginx.ingress.kubernetes.io/Y``:

- ``ssl-redirect`` -> ``force-ssl-redirect``, same value (see below);
- ``rewrite-target`` -> ``rewrite-target`` with ``${n}`` written ``$n``; a target with a variable
  also sets ``use-regex: "true"``;
- ``use-regex`` -> ``use-regex`` (the Ingress path becomes ``ImplementationSpecific``);
- ``canary``, ``canary-weight``, ``canary-by-header``, ``canary-by-header-value``,
  ``canary-by-cookie`` -> the same names and values (weights 0-100 in both: nginx's
  ``canary-weight-total`` defaults to 100; cookie values ``always``/``never`` in both);
- ``enable-cors``, ``cors-allow-origin``, ``cors-allow-methods``, ``cors-allow-headers``,
  ``cors-expose-headers``, ``cors-allow-credentials``, ``cors-max-age`` (seconds) -> the same
  names and values. The defaults agree except ``cors-max-age`` (ALB 172800, nginx 1728000), so
  with CORS on and no ``cors-max-age`` the translation writes ALB's ``"172800"``;
- ``backend-protocol`` ``http``/``https`` -> ``backend-protocol`` ``HTTP``/``HTTPS`` (``grpc``
  is not translated);
- dropped, nothing needed: ``listen-ports`` (nginx listens on 80 and 443), ``healthcheck-*``,
  ``healthy-threshold-count``, ``unhealthy-threshold-count`` (nginx sends traffic to ready
  endpoints only);
- anything else (``order``, ``sticky-session``, ``backend-scheduler``, ``traffic-limit-qps``,
  ``actions.*``, ``conditions.*``...) is not translated, and reported.

Timeouts: ALB Ingress has no annotation for backend connect, read or send timeouts (the
dictionary lists none, nor does ``annotations.go``); ALB's ``requestTimeout`` and ``idleTimeout``
(60 s by default) are AlbConfig listener fields, which ``AlbIngress`` leaves at their defaults.
So nothing maps to ``proxy-connect-timeout``/``proxy-read-timeout``/``proxy-send-timeout``;
nginx keeps its defaults (5 s connect, 60 s read and send).

``ssl-redirect``: locally there are no Alibaba certificates, so the Ingress has no ``tls``
section; ingress-nginx still answers on 443 with its default (self-signed) certificate, but its
own ``ssl-redirect`` only acts for an Ingress with TLS ("By default the controller redirects
(308) to HTTPS if TLS is enabled for that ingress"). ``force-ssl-redirect`` redirects "even when
there is no TLS certificate available", which is what ALB's redirect does. ALB answers 301,
nginx 308 (its ``http-redirect-code`` ConfigMap default): both keep the method and the path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ask_components.ingress.albconfig import AlbListeners
from ask_components.ingress.annotations import (
    ALB_ANNOTATION_PREFIX,
    MANAGED_ANNOTATION_PREFIXES,
    MANAGED_ANNOTATIONS,
    alb_annotation_value_problem,
    rewrite_variables,
)

NGINX_ANNOTATION_PREFIX = "nginx.ingress.kubernetes.io/"

NGINX_CONTROLLER = "k8s.io/ingress-nginx"
"""``spec.controller`` of an IngressClass served by ingress-nginx with its default flags."""

NGINX_NAMESPACE = "ingress-nginx"
"""The namespace of the controller in ingress-nginx's kind manifest."""

NGINX_CONTROLLER_LABELS: Mapping[str, str] = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}
"""The controller pods' labels in the kind manifest (its own controller Service selects these)."""

NGINX_RESERVED_SERVICES = frozenset(
    {"ingress-nginx-controller", "ingress-nginx-controller-admission"}
)
"""Services of the kind manifest in ``ingress-nginx``: a stand-in must not take their names."""

ALB_CORS_MAX_AGE = "172800"
"""ALB's ``cors-max-age`` default in seconds; ingress-nginx's is 1728000, so it is written out."""

# ALB name (after the prefix) -> ingress-nginx name, for values that carry over unchanged.
_SAME_VALUE: Mapping[str, str] = {
    "ssl-redirect": "force-ssl-redirect",
    "use-regex": "use-regex",
    "canary": "canary",
    "canary-weight": "canary-weight",
    "canary-by-header": "canary-by-header",
    "canary-by-header-value": "canary-by-header-value",
    "canary-by-cookie": "canary-by-cookie",
    "enable-cors": "enable-cors",
    "cors-allow-origin": "cors-allow-origin",
    "cors-allow-methods": "cors-allow-methods",
    "cors-allow-headers": "cors-allow-headers",
    "cors-expose-headers": "cors-expose-headers",
    "cors-allow-credentials": "cors-allow-credentials",
    "cors-max-age": "cors-max-age",
}

_BACKEND_PROTOCOLS: Mapping[str, str] = {"http": "HTTP", "https": "HTTPS"}
"""ALB backend protocols with an exact nginx one; ALB's ``grpc`` is left out (not translated)."""

_DROPPED = frozenset({"healthy-threshold-count", "unhealthy-threshold-count"})
"""Health-check settings besides the managed ones: nginx has no health check to tune."""


@dataclass(frozen=True)
class NginxTranslation:
    """ALB annotations in ingress-nginx's terms.

    Attributes:
        annotations: the ``nginx.ingress.kubernetes.io/*`` annotations, sorted.
        untranslated: the ALB keys with no ingress-nginx equivalent (not applied), sorted.
        dropped: the ALB keys that need none locally (``listen-ports``: nginx listens on 80 and
            443; health checks: nginx routes to ready endpoints only), sorted.
    """

    annotations: dict[str, str]
    untranslated: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def regex_paths(self) -> bool:
        """Whether the paths are regular expressions (``use-regex: "true"``)."""
        return self.annotations.get(NGINX_ANNOTATION_PREFIX + "use-regex") == "true"

    @property
    def path_type(self) -> str:
        """The Ingress ``pathType``: ``ImplementationSpecific`` for regex paths, because
        ingress-nginx (1.12+, ``strict-validate-path-type``) refuses regex characters in a
        ``Prefix`` path; ``Prefix`` otherwise."""
        return "ImplementationSpecific" if self.regex_paths else "Prefix"


def translate_alb_annotations(annotations: Mapping[str, str]) -> NginxTranslation:
    """Translate an Ingress's ``alb.ingress.kubernetes.io/*`` annotations for ingress-nginx.

    See the module docs for the table and its sources.

    Raises:
        ValueError: a key that is not an ALB annotation, or a value ALB would refuse (the
            message names the key).
    """
    nginx: dict[str, str] = {}
    untranslated: list[str] = []
    dropped: list[str] = []
    for key, value in annotations.items():
        if not key.startswith(ALB_ANNOTATION_PREFIX):
            raise ValueError(f"{key!r} is not an ALB annotation ({ALB_ANNOTATION_PREFIX}*)")
        problem = alb_annotation_value_problem(key, value)
        if problem is not None:
            raise ValueError(f"{key}: {problem}")
        name = key.removeprefix(ALB_ANNOTATION_PREFIX)
        if name in _SAME_VALUE:
            nginx[_SAME_VALUE[name]] = value
        elif name == "rewrite-target":
            nginx["rewrite-target"] = nginx_rewrite_target(value)
        elif name == "backend-protocol" and value in _BACKEND_PROTOCOLS:
            nginx["backend-protocol"] = _BACKEND_PROTOCOLS[value]
        elif _needs_none(name):
            dropped.append(key)
        else:
            untranslated.append(key)
    rewrite = annotations.get(ALB_ANNOTATION_PREFIX + "rewrite-target")
    if rewrite is not None and rewrite_variables(rewrite):
        # ${n} refers to a capture group of the path, which is then a regular expression (on
        # ALB a rewrite with variables makes it one; nginx enforces regex locations anyway once
        # rewrite-target is set).
        nginx["use-regex"] = "true"
    if nginx.get("enable-cors") == "true":
        nginx.setdefault("cors-max-age", ALB_CORS_MAX_AGE)
    return NginxTranslation(
        annotations={NGINX_ANNOTATION_PREFIX + k: v for k, v in sorted(nginx.items())},
        untranslated=tuple(sorted(untranslated)),
        dropped=tuple(sorted(dropped)),
    )


def nginx_rewrite_target(target: str) -> str:
    """An ALB rewrite target in nginx's spelling: ``${1}`` -> ``$1`` (nginx reads one digit after
    ``$`` as a capture group; ``${1}`` would be an unknown variable named ``1``)."""
    for number in range(1, 10):
        target = target.replace(f"${{{number}}}", f"${number}")
    return target


def _needs_none(name: str) -> bool:
    # ssl-redirect, also managed, is translated before this is asked.
    return (
        name in MANAGED_ANNOTATIONS
        or name in _DROPPED
        or any(name.startswith(prefix) for prefix in MANAGED_ANNOTATION_PREFIXES)
    )


def nginx_ingress_class_spec() -> dict[str, Any]:
    """``spec`` of an IngressClass ingress-nginx serves: no parameters (AlbConfig is Alibaba's)."""
    return {"controller": NGINX_CONTROLLER}


def controller_service_spec(listeners: AlbListeners) -> dict[str, Any]:
    """``spec`` of the ClusterIP Service that stands for the ALB inside the cluster.

    It selects the ingress-nginx controller pods; its ports are the ALB's listeners (HTTP, and
    HTTPS when there are certificates) to the controller's named container ports ``http`` (80)
    and ``https`` (443), as the kind manifest's own controller Service does.
    """
    ports = [{"name": "http", "port": listeners.http_port, "targetPort": "http", "protocol": "TCP"}]
    if listeners.https:
        ports.append(
            {
                "name": "https",
                "port": listeners.https_port,
                "targetPort": "https",
                "protocol": "TCP",
            }
        )
    return {"type": "ClusterIP", "selector": dict(NGINX_CONTROLLER_LABELS), "ports": ports}


def untranslated_warning(uses: Mapping[str, Sequence[str]]) -> str:
    """The one warning of an ingress: each untranslated annotation and the apps using it.

    Args:
        uses: ALB annotation key -> the apps (``namespace/name``) whose Ingress has it.
    """
    count = len(uses)
    listed = "; ".join(
        f"{key} (used by {', '.join(sorted(set(apps)))})" for key, apps in sorted(uses.items())
    )
    noun = "annotation has" if count == 1 else "annotations have"
    pronoun = "it" if count == 1 else "them"
    return (
        f"{count} ALB {noun} no ingress-nginx equivalent, so the local target does not apply "
        f"{pronoun}: {listed}"
    )
