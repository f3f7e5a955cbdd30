"""``ask:platform.ingress`` and an app's ``expose``: how traffic reaches the apps.

::

    ingress:
      kind: alb                 # alb | clb | none (default none)
      edition: Standard         # ALB only: Basic | Standard | StandardWithWaf
      public: true              # Internet-facing; default false (reachable from the VPC only)
      https:
        certificateIds: [1234567-cn-hangzhou]
        redirectHttp: true      # default true
      accessLog: {project: shop-logs, store: alb-access}   # ALB only
      deletionProtection: true  # default: on for stacks named prod*

An app opts in with ``expose: {host: shop.example.com, path: /, public: true}``, and may add
ALB annotations of its own (``annotations: {alb.ingress.kubernetes.io/canary-weight: "20"}``;
ALB only; on the local target they are translated for ingress-nginx). The checks
that need the apps (``exposure_problems``, ``route_conflicts``) are pure functions over plain
values, so the apps config can call them wherever it lives.

Alibaba facts behind the rules: https://www.alibabacloud.com/help/doc-detail/280446.htm (ALB
Ingress prerequisites: 2 zones, not in China (Hohhot) / China (Heyuan), no ``aliyun`` names).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ask_components.configbase import ConfigModel, Problems
from ask_components.dns.names import dns_name_problem
from ask_components.ingress.annotations import (
    ALB_ANNOTATION_PREFIX,
    alb_annotation_key_problem,
    alb_annotation_value_problem,
    managed_annotation_reason,
)

IngressKind = Literal["alb", "clb", "none"]
AlbEdition = Literal["Basic", "Standard", "StandardWithWaf"]

DEFAULT_EDITION: AlbEdition = "Standard"
"""ALB edition when unset: Standard has the rewrite/header rules Ingress annotations use and the
AlbConfig default (Basic lacks them; StandardWithWaf adds a WAF bill)."""

DEFAULT_PUBLIC = False
"""Ingress is intranet unless asked: nothing reaches the Internet by default."""

ALB_ADDON = "alb-ingress-controller"
"""The cluster addon that runs the ALB Ingress controller."""

ALB_ADDON_CONFIG: Mapping[str, Any] = {"albIngress": {"CreateDefaultALBConfig": False}}
"""The addon config: no default AlbConfig, because ``AlbIngress`` makes the ALB, the AlbConfig
and the IngressClass ``alb`` itself (a default one would add a second ALB and clash on ``alb``)."""

ALB_UNAVAILABLE_REGIONS: Mapping[str, str] = {
    "cn-huhehaote": "China (Hohhot)",
    "cn-heyuan": "China (Heyuan)",
}
"""Regions where ALB Ingress is not offered (ALB Ingress prerequisites)."""

MIN_ALB_ZONES = 2
"""An ALB spans at least two zones, one vSwitch each."""

RESERVED_NAME_PREFIX = "aliyun"
"""AlbConfig, Namespace, Ingress and Service names must not start with it (reserved by ACK)."""

PLATFORM_KEY = "ask:platform"
"""The config key of the platform document (``config.py`` imports this module, not the reverse)."""

# SLS naming rules (https://www.alibabacloud.com/help/en/sls/user-guide/manage-a-project,
# .../manage-a-logstore): 3-63 characters, lowercase letters, digits and '-' ('_' too for a
# Logstore), starting and ending with a letter or digit.
_SLS_PROJECT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_SLS_LOGSTORE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$")


class HttpsConfig(ConfigModel):
    """``ingress.https``: an HTTPS listener on 443 with certificates from Certificate Management."""

    certificate_ids: list[str] = Field(
        default_factory=list,
        description="Certificate ids (1234567-cn-hangzhou); the first is the default certificate.",
    )
    redirect_http: bool = Field(True, description="Answer HTTP with a redirect to HTTPS.")

    @model_validator(mode="after")
    def _certificates(self) -> HttpsConfig:
        if not self.certificate_ids:
            raise Problems(
                [
                    (
                        ".certificateIds",
                        "HTTPS needs at least one certificate id from Certificate Management "
                        "Service (like 1234567-cn-hangzhou)",
                    )
                ]
            )
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for index, cert in enumerate(self.certificate_ids):
            if not cert or any(char.isspace() for char in cert):
                problems.append((f".certificateIds[{index}]", f"{cert!r} is not a certificate id"))
            elif cert in seen:
                problems.append(
                    (f".certificateIds[{index}]", f"certificate {cert} is listed twice")
                )
            seen.add(cert)
        if problems:
            raise Problems(problems)
        return self


class AccessLogConfig(ConfigModel):
    """``ingress.accessLog``: where the ALB ships its access log (an existing SLS Logstore)."""

    project: str = Field(description="The SLS project.")
    store: str = Field(description="The Logstore in that project.")

    @field_validator("project")
    @classmethod
    def _project(cls, project: str) -> str:
        if not _SLS_PROJECT_RE.match(project):
            raise ValueError(
                f"{project!r} is not an SLS project name: 3-63 lowercase letters, digits and '-', "
                "starting and ending with a letter or digit"
            )
        return project

    @field_validator("store")
    @classmethod
    def _store(cls, store: str) -> str:
        if not _SLS_LOGSTORE_RE.match(store):
            raise ValueError(
                f"{store!r} is not a Logstore name: 3-63 lowercase letters, digits, '-' and '_', "
                "starting and ending with a letter or digit"
            )
        return store


class IngressConfig(ConfigModel):
    """``ask:platform.ingress``: one shared ALB, or a CLB per exposed app, or nothing."""

    kind: IngressKind = Field(
        "none", description="alb (one ALB, host/path routing), clb (a CLB per app) or none."
    )
    edition: AlbEdition = Field(DEFAULT_EDITION, description="ALB edition (alb only).")
    public: bool = Field(
        DEFAULT_PUBLIC, description="Internet-facing (true) or reachable from the VPC only."
    )
    https: HttpsConfig | None = Field(None, description="HTTPS listener; none means HTTP only.")
    access_log: AccessLogConfig | None = Field(None, description="ALB access log to SLS.")
    deletion_protection: bool | None = Field(
        None, description="Refuse deletion of the ALB / CLBs; default on for stacks named prod*."
    )

    @model_validator(mode="after")
    def _settings_fit_kind(self) -> IngressConfig:
        problems: list[tuple[str, str]] = []
        given = self.model_fields_set
        if self.kind == "none":
            for field, key in (
                ("edition", "edition"),
                ("public", "public"),
                ("https", "https"),
                ("access_log", "accessLog"),
                ("deletion_protection", "deletionProtection"),
            ):
                if field in given:
                    problems.append(
                        (f".{key}", "has no effect while kind is none; set kind to alb or clb")
                    )
        elif self.kind == "clb":
            for field, key in (("edition", "edition"), ("access_log", "accessLog")):
                if field in given:
                    problems.append((f".{key}", "applies to ALB only (kind is clb)"))
            certificates = self.certificate_ids
            if len(certificates) > 1:
                problems.append(
                    (
                        ".https.certificateIds",
                        f"a CLB listener takes one certificate, got {len(certificates)}",
                    )
                )
        if problems:
            raise Problems(problems)
        return self

    def deletion_protection_for(self, stack: str, *, prod_prefix: str = "prod") -> bool:
        """Whether the load balancers refuse deletion: explicit config, else on for prod* stacks."""
        if self.deletion_protection is not None:
            return self.deletion_protection
        return stack.startswith(prod_prefix)

    @property
    def certificate_ids(self) -> tuple[str, ...]:
        """The HTTPS certificate ids (none without HTTPS)."""
        return tuple(self.https.certificate_ids) if self.https else ()

    @property
    def redirect_http(self) -> bool:
        """Whether HTTP is answered with a redirect to HTTPS (only with HTTPS)."""
        return self.https.redirect_http if self.https else False


class ExposeConfig(ConfigModel):
    """An app's ``expose``: the host and path it answers on, and who may reach it.

    With ALB every exposed app shares the one ALB, routed by host and path; with CLB each app
    gets its own CLB (host and path are not routed). ``public`` must agree with the ingress:
    an Internet-facing app needs ``ingress.public: true``; on ALB, a private app cannot sit
    behind an Internet-facing ALB (it would be public all the same).
    """

    host: str | None = Field(
        None, description="Host name it answers on (shop.example.com); any host when unset."
    )
    path: str = Field("/", description="Path prefix (ALB only).")
    public: bool | None = Field(None, description="Internet-facing; default: as the ingress.")
    annotations: dict[str, str] = Field(
        default_factory=dict,
        description="Extra alb.ingress.kubernetes.io/* annotations on its Ingress (canary, "
        "rewrite-target, CORS...; string values); ALB only. The local target translates those "
        "ingress-nginx has and warns about the others.",
    )

    @field_validator("annotations", mode="before")
    @classmethod
    def _annotations(cls, annotations: Any) -> Any:
        if not isinstance(annotations, Mapping):
            return annotations  # pydantic reports that it is not a mapping
        problems: list[tuple[str, str]] = []
        for key, value in annotations.items():
            where = f".{key}"
            if not isinstance(key, str):
                problems.append((where, f"{key!r} is not an annotation name"))
                continue
            problem = alb_annotation_key_problem(key)
            reason = managed_annotation_reason(key) if problem is None else None
            if problem is not None:
                problems.append((where, problem))
            elif reason is not None:
                problems.append((where, f"cannot be set by an app: {reason}; remove it"))
            elif not isinstance(value, str):
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                problems.append(
                    (where, f"annotation values are strings: quote it ({shown!r}), got {value!r}")
                )
            elif (problem := alb_annotation_value_problem(key, value.strip())) is not None:
                problems.append((where, problem))
        if problems:
            raise Problems(problems)
        return annotations

    @property
    def canary(self) -> bool:
        """Whether the app is a canary of another on the same route (ALB ``canary: "true"``)."""
        return self.annotations.get(ALB_ANNOTATION_PREFIX + "canary") == "true"

    @field_validator("host")
    @classmethod
    def _host(cls, host: str | None) -> str | None:
        if host is None:
            return None
        problem = dns_name_problem(host, wildcard=True, what="a host name")
        if problem:
            raise ValueError(problem)
        return host

    @field_validator("path")
    @classmethod
    def _path(cls, path: str) -> str:
        if not path.startswith("/") or any(char.isspace() for char in path):
            raise ValueError(f"{path!r} is not a path: start it with '/', no spaces")
        return path


@dataclass(frozen=True)
class AppExposure:
    """What the checks need to know about one exposed app (plain values).

    Attributes:
        path: the app's config path below ``ask:platform`` (``.apps[0]``).
        name: the app's name (its Ingress, and ``<name>.<zone>`` in the private zone).
        namespace: the app's namespace.
        expose: its ``expose`` config.
    """

    path: str
    name: str
    namespace: str
    expose: ExposeConfig


def alb_zones_problem(zones: Sequence[str]) -> str | None:
    """Why an ALB cannot span ``zones`` (fewer than two), or None. The stack file
    (``platform_ingress_problems``) and the ALB components (``AlbSettings``) share it."""
    if len(zones) < MIN_ALB_ZONES:
        return f"ALB needs at least {MIN_ALB_ZONES} zones, got {len(zones)} ({', '.join(zones)})"
    return None


def alb_region_problem(region: str | None, where: str = "") -> str | None:
    """Why ALB Ingress is not offered in ``region``, or None; ``where`` is added to the
    region's name in the message (``", configured as alicloud:region"``)."""
    if region is None or region not in ALB_UNAVAILABLE_REGIONS:
        return None
    return f"ALB Ingress is not offered in {region} ({ALB_UNAVAILABLE_REGIONS[region]}{where})"


def platform_ingress_problems(
    ingress: IngressConfig,
    *,
    zones: Sequence[str],
    region: str,
    addons: Sequence[tuple[str, Mapping[str, Any] | None]] | None,
    target: str = "alicloud",
) -> list[tuple[str, str]]:
    """Cross-section rules of the ingress (paths relative to ``ask:platform``).

    Args:
        ingress: the ingress config.
        zones: ``network.zones``.
        region: ``alicloud:region``.
        addons: ``cluster.addons`` as (name, config), or None when unset (defaults apply).
        target: ``ask:target``.
    """
    local = target != "alicloud"
    if ingress.kind == "clb" and local:
        return [
            (
                ".ingress.kind",
                f"clb ingress needs Alibaba's cloud controller, which a kind cluster does not run "
                f"(ask:target is {target}); use kind alb (served by ingress-nginx) or none",
            )
        ]
    if ingress.kind != "alb":
        return []
    problems: list[tuple[str, str]] = []
    if local and ingress.access_log is not None:
        problems.append(
            (
                ".ingress.accessLog",
                f"SLS does not exist on the {target} target; remove accessLog from this stack "
                "(ingress-nginx logs every request: kubectl logs -n ingress-nginx)",
            )
        )
    if (zone_problem := alb_zones_problem(zones)) is not None:
        problems.append(
            (
                ".network.zones",
                f"{zone_problem}; "
                + (
                    "add a zone (the sandbox ALB refuses one zone, as Alibaba's does)"
                    if local
                    else f"add a zone or set {PLATFORM_KEY}.ingress.kind to clb"
                ),
            )
        )
    if (
        region_problem := alb_region_problem(region, ", configured as alicloud:region")
    ) is not None:
        problems.append((".ingress.kind", f"{region_problem}; use kind clb"))
    if addons is not None and not local:
        names = [name for name, _ in addons]
        if ALB_ADDON not in names:
            problems.append(
                (
                    ".cluster.addons",
                    f"{PLATFORM_KEY}.ingress.kind is alb, which needs the {ALB_ADDON} addon; "
                    "add it to the list (or remove the list to get the defaults)",
                )
            )
        for index, (name, config) in enumerate(addons):
            if name == ALB_ADDON and config is not None and _creates_default_albconfig(config):
                problems.append(
                    (
                        f".cluster.addons[{index}].config",
                        "CreateDefaultALBConfig must be false: AlbIngress makes the ALB, the "
                        "AlbConfig and the IngressClass alb itself (a default one would add a "
                        "second ALB and clash on the name alb)",
                    )
                )
    return problems


def _creates_default_albconfig(config: Mapping[str, Any]) -> bool:
    # Unset is fine: ``alb_addon_config`` fills in false.
    section = config.get("albIngress")
    return isinstance(section, Mapping) and section.get("CreateDefaultALBConfig") in (True, "true")


def alb_addon_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ALB addon's config with ``CreateDefaultALBConfig: false`` filled in when unset."""
    if config is None:
        return {"albIngress": dict(ALB_ADDON_CONFIG["albIngress"])}
    section = config.get("albIngress")
    merged = dict(section) if isinstance(section, Mapping) else {}
    merged.setdefault("CreateDefaultALBConfig", False)
    return {**config, "albIngress": merged}


def exposure_problems(
    ingress: IngressConfig, apps: Sequence[AppExposure], *, zone: str | None = None
) -> list[tuple[str, str]]:
    """Rules between exposed apps and the ingress (paths relative to ``ask:platform``).

    Args:
        ingress: the ingress config.
        apps: every exposed app, in config order.
        zone: the private zone name, when ``dns`` is configured: each exposed app also answers
            on ``<app>.<zone>`` (so two apps cannot share a name there either).
    """
    problems: list[tuple[str, str]] = []
    routes: list[tuple[str, str | None, str]] = []
    for app in apps:
        expose_path = f"{app.path}.expose"
        if ingress.kind == "none":
            problems.append(
                (
                    expose_path,
                    f"the app is exposed but {PLATFORM_KEY}.ingress.kind is none; "
                    "set it to alb or clb",
                )
            )
            continue
        public = app.expose.public
        if public is True and not ingress.public:
            problems.append(
                (
                    f"{expose_path}.public",
                    f"true, but the ingress is intranet ({PLATFORM_KEY}.ingress.public: false); "
                    "make the ingress public or drop public from the app",
                )
            )
        if public is False and ingress.public and ingress.kind == "alb":
            problems.append(
                (
                    f"{expose_path}.public",
                    f"false, but the one ALB is Internet-facing ({PLATFORM_KEY}.ingress.public: "
                    "true), so the app would be public all the same",
                )
            )
        if ingress.kind == "clb" and app.expose.annotations:
            problems.append(
                (
                    f"{expose_path}.annotations",
                    "ALB annotations apply to kind alb only (kind is clb, which gives each app "
                    "its own CLB); remove them or use kind alb",
                )
            )
        if ingress.kind == "clb" and app.expose.path != "/":
            problems.append(
                (
                    f"{expose_path}.path",
                    f"{app.expose.path}: a CLB forwards every path (kind clb gives each app its "
                    "own CLB); use kind alb to route by path",
                )
            )
        if ingress.kind == "alb":
            for what, value in (("name", app.name), ("namespace", app.namespace)):
                if value.startswith(RESERVED_NAME_PREFIX):
                    problems.append(
                        (
                            app.path if what == "name" else f"{app.path}.namespace",
                            f"the {what} {value} starts with '{RESERVED_NAME_PREFIX}', which ALB "
                            "Ingress reserves; rename it",
                        )
                    )
            for host in app_hosts(app.name, app.expose, zone):
                routes.append((app.path, host, app.expose.path))
    canaries = [app.path for app in apps if app.expose.canary]
    problems.extend(route_conflicts(routes, canaries=canaries))
    if ingress.kind == "clb" and zone is not None:
        # Each app has its own CLB: two apps cannot share <name>.<zone> (on ALB they may, on
        # different paths: the one name points at the one ALB).
        named: dict[str, str] = {}
        for app in apps:
            if app.name in named:
                problems.append(
                    (
                        f"{app.path}.name",
                        f"{app.name}.{zone} already names {PLATFORM_KEY}{named[app.name]}; each "
                        "CLB-exposed app needs a name of its own in the private zone",
                    )
                )
            named.setdefault(app.name, app.path)
    return problems


def app_hosts(name: str, expose: ExposeConfig, zone: str | None) -> tuple[str | None, ...]:
    """The hosts an exposed app answers on: its ``host``, and ``<name>.<zone>`` with a zone.

    ``(None,)`` means any host (no ``host`` and no private zone). A canary answers only on its
    ``host``: its traffic comes through its main app's names, and a canary Ingress on a name of
    its own would have no main Ingress to split (both ALB and ingress-nginx ignore it).
    """
    hosts: list[str | None] = []
    if expose.host is not None:
        hosts.append(expose.host)
    if zone is not None and not expose.canary:
        hosts.append(f"{name}.{zone}")
    return tuple(hosts) if hosts else (None,)


def route_conflicts(
    routes: Sequence[tuple[str, str | None, str]], *, canaries: Collection[str] = ()
) -> list[tuple[str, str]]:
    """Two apps claiming the same host and path on the one ALB.

    A canary app (annotation ``alb.ingress.kubernetes.io/canary: "true"``) shares its route with
    the main app: that is how ALB and ingress-nginx split traffic (the canary Ingress repeats the
    main one's host and path). Two main apps, or two canaries, on one route still clash, and a
    canary on a route without a main app is refused (its Ingress would never get traffic).

    Args:
        routes: (app config path, host or None for any host, path) per route, in config order.
            An app may have several routes (several hosts).
        canaries: the config paths of the canary apps.

    Returns:
        (config path of the later app, message) per clash. Paths compare as Kubernetes
        ``Prefix`` paths do: a trailing '/' does not matter.
    """
    problems: list[tuple[str, str]] = []
    claimed: dict[tuple[str | None, str, bool], str] = {}
    canary_apps = set(canaries)
    main_routes = {
        (host, _normal_path(path)) for app_path, host, path in routes if app_path not in canary_apps
    }
    for app_path, host, path in routes:
        if app_path in canary_apps and (host, _normal_path(path)) not in main_routes:
            where = f"host {host}" if host is not None else "any host"
            problems.append(
                (
                    f"{app_path}.expose",
                    f"a canary needs a main app on {where} and path {path}: ALB and "
                    "ingress-nginx split traffic only between a canary Ingress and a main one "
                    "for the same host and path; give it the main app's host and path",
                )
            )
            continue
        key = (host, _normal_path(path), app_path in canary_apps)
        owner = claimed.get(key)
        if owner is not None and owner != app_path:
            where = f"host {host}" if host is not None else "any host"
            problems.append(
                (
                    f"{app_path}.expose",
                    f"{where} and path {path} are already claimed by {PLATFORM_KEY}{owner}",
                )
            )
            continue
        claimed.setdefault(key, app_path)
    return problems


def _normal_path(path: str) -> str:
    stripped = path.rstrip("/")
    return stripped or "/"
