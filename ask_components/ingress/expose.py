"""Expose an app through the platform's ingress: an Ingress on the ALB, or a CLB Service.

``expose_app`` takes plain data about the app and the ingress:

- with an ``AlbIngress`` it creates the app's Ingress (``ingressClassName: alb``, listen-ports
  matching the AlbConfig, ``ssl-redirect``, health checks from the readiness probe, then the
  app's own ALB annotations);
- with a ``SandboxAlbIngress`` (local target) the same Ingress, its ALB annotations translated
  for ingress-nginx (``translate_alb_annotations``; the untranslatable ones are reported once
  per ingress);
- with a ``ClbIngress`` it creates nothing and returns what the app's Service needs instead
  (``type: LoadBalancer``, the CCM annotations, the ports, what it must depend on).

Either way what serves the app is a dependency of what exposes it, so ``pulumi destroy``
removes Ingresses and LoadBalancer Services (and with them the controller's rules and the CCM's
CLBs) before the ALB, the cluster and the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pulumi
import pulumi_kubernetes as k8s

from ask_components.dns.records import DnsRecord, app_cname
from ask_components.ingress import describe as _describe
from ask_components.ingress.annotations import (
    HealthCheck,
    alb_ingress_annotations,
    alb_ingress_manifest,
)
from ask_components.ingress.base import AlbIngressBase
from ask_components.ingress.config import ExposeConfig, app_hosts
from ask_components.ingress.slb import ClbSettings, clb_annotations, clb_service_ports

_describe.register()


@dataclass(frozen=True)
class ClbIngress:
    """The platform's CLB ingress: every exposed app gets its own CLB from the cloud controller.

    Nothing is created up front; this carries the settings ``expose_app`` applies.

    Attributes:
        public: apps are Internet-facing by default (an app may ask for intranet).
        intranet_vswitch_id: the vSwitch intranet CLBs take their address from.
        certificate_id: HTTPS certificate for every CLB; none: TCP on port 80.
        redirect_http: with HTTPS, forward HTTP:80 to HTTPS:443.
        deletion_protection: CLBs refuse deletion in the console/API.
        tags: tags on every CLB.
        depends_on: what serves the CLBs (the cluster, the network): every LoadBalancer Service
            depends on it, so a destroy deletes the Services (and their CLBs) first.
    """

    public: bool = False
    intranet_vswitch_id: pulumi.Input[str] | None = None
    certificate_id: str | None = None
    redirect_http: bool = True
    deletion_protection: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    depends_on: Sequence[pulumi.Resource] = ()


@dataclass(frozen=True)
class ExposedApp:
    """Plain data about one app to expose.

    Attributes:
        name: the app's name: its Ingress, its CLB's name, ``<name>.<zone>`` in the private zone.
        namespace: the app's namespace.
        service_name: the app's Service.
        service_port: the Service port an Ingress sends traffic to.
        container_port: the container port behind it (CLB target port; health checks).
        readiness_path: the readiness probe's HTTP path; none: the load balancer checks TCP.
        readiness_port: the readiness probe's port; none: the container port.
        expose: the app's ``expose`` config (host, path, public).
    """

    name: str
    namespace: str
    service_name: str
    service_port: int
    container_port: int
    readiness_path: str | None = None
    readiness_port: int | None = None
    expose: ExposeConfig = field(default_factory=lambda: ExposeConfig())

    @property
    def health(self) -> HealthCheck:
        """The load balancer's health check, from the readiness probe."""
        return HealthCheck(self.readiness_path, self.readiness_port)


@dataclass
class ClbService:
    """What the app's Service takes to be exposed through its own CLB.

    Attributes:
        annotations: the CCM annotations (merge them into the Service's).
        ports: the Service ports (80, and 443 with HTTPS, to the container port).
        depends_on: give the Service these in ``depends_on``.
        type: the Service type.
    """

    annotations: dict[str, pulumi.Input[str]]
    ports: list[dict[str, Any]]
    depends_on: list[pulumi.Resource]
    type: str = "LoadBalancer"

    def spec(self, selector: Mapping[str, str]) -> dict[str, Any]:
        """A Service ``spec`` for these ports and the app's pod selector."""
        return {"type": self.type, "selector": dict(selector), "ports": self.ports}


@dataclass
class Exposure:
    """How an app is exposed.

    Attributes:
        app: the app.
        public: whether it is reachable from the Internet.
        hosts: the hosts it answers on (None: any host).
        ingress: its Ingress (ALB), or None.
        service: what its Service takes (CLB), or None.
    """

    app: ExposedApp
    public: bool
    hosts: tuple[str | None, ...]
    ingress: k8s.networking.v1.Ingress | None = None
    service: ClbService | None = None


def expose_app(
    name: str,
    app: ExposedApp,
    ingress: AlbIngressBase | ClbIngress,
    opts: pulumi.ResourceOptions | None = None,
    *,
    private_zone: str | None = None,
) -> Exposure:
    """Expose ``app`` through ``ingress``.

    Args:
        name: prefix of the logical names (the Ingress is ``<name>-ingress``).
        app: the app.
        ingress: the platform's ``AlbIngress``, ``SandboxAlbIngress`` or ``ClbIngress``.
        opts: options of what is created (give the app component as parent and the cluster's
            Kubernetes provider); the Ingress also depends on what serves the ALB
            (``ingress.serving``: the AlbConfig and IngressClass, or the IngressClass and the
            Service standing for the sandbox ALB).
        private_zone: the private zone; the app also answers on ``<name>.<zone>`` there.

    Raises:
        ValueError: ``public`` disagrees with the ingress, a name ALB Ingress reserves, ALB
            annotations that are not the app's to set or that ALB would refuse, or ALB
            annotations on a CLB.
    """
    public = _public(app, ingress)
    if isinstance(ingress, AlbIngressBase):
        hosts = app_hosts(app.name, app.expose, private_zone)
        alb_annotations = alb_ingress_annotations(
            ingress.listeners,
            app.health,
            backend_port=app.container_port,
            extra=app.expose.annotations,
        )
        annotations, path_type = ingress.ingress_annotations(
            f"{app.namespace}/{app.name}", alb_annotations
        )
        manifest = alb_ingress_manifest(
            name=app.name,
            namespace=app.namespace,
            hosts=hosts,
            path=app.expose.path,
            service_name=app.service_name,
            service_port=app.service_port,
            annotations=annotations,
            ingress_class=ingress.class_name,
            path_type=path_type,
        )
        resource = k8s.networking.v1.Ingress(
            f"{name}-ingress",
            metadata=manifest["metadata"],
            spec=manifest["spec"],
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=ingress.serving)
            ),
        )
        return Exposure(app=app, public=public, hosts=hosts, ingress=resource)

    if app.expose.annotations:
        raise ValueError(
            f"app {app.name} has ALB annotations ({', '.join(sorted(app.expose.annotations))}), "
            "but the ingress is CLB: they apply to an ALB only"
        )
    settings: ClbSettings[pulumi.Input[str]] = ClbSettings(
        public=public,
        vswitch_id=ingress.intranet_vswitch_id,
        certificate_id=ingress.certificate_id,
        redirect_http=ingress.redirect_http,
        deletion_protection=ingress.deletion_protection,
        name=f"{app.namespace}-{app.name}",
        tags=ingress.tags,
    )
    service = ClbService(
        annotations=clb_annotations(settings, app.health, backend_port=app.container_port),
        ports=clb_service_ports(settings, container_port=app.container_port),
        depends_on=list(ingress.depends_on),
    )
    hosts = (app.expose.host,) if app.expose.host is not None else (None,)
    return Exposure(app=app, public=public, hosts=hosts, service=service)


def _public(app: ExposedApp, ingress: AlbIngressBase | ClbIngress) -> bool:
    wanted = app.expose.public
    if wanted is None:
        return ingress.public
    if wanted and not ingress.public:
        raise ValueError(
            f"app {app.name} asks to be public, but the ingress is intranet (reachable from the "
            "VPC only)"
        )
    if not wanted and ingress.public and isinstance(ingress, AlbIngressBase):
        raise ValueError(
            f"app {app.name} asks to be private, but the ALB is Internet-facing; it would be "
            "public all the same"
        )
    return wanted


class _ExposedComponent(Protocol):
    """What ``exposed_app_records`` reads of an app component (``ServerlessApp``)."""

    exposure: Exposure | None
    service: k8s.core.v1.Service


def exposed_app_records(
    ingress: AlbIngressBase | ClbIngress, apps: Iterable[_ExposedComponent]
) -> list[DnsRecord[pulumi.Input[str]]]:
    """The private-zone record of every exposed app: ``<app>`` CNAME to the ALB's DNS name, or
    ``<app>`` A to the address of the app's own CLB (its Service's load balancer ingress).

    Apps sharing a name on the ALB share its one CNAME (the ALB routes them by path).
    """
    records: dict[str, DnsRecord[pulumi.Input[str]]] = {}
    for app in apps:
        exposure = app.exposure
        if exposure is None or exposure.app.name in records or exposure.app.expose.canary:
            # A canary has no name of its own: its traffic comes through its main app's.
            continue
        name = exposure.app.name
        if isinstance(ingress, AlbIngressBase):
            records[name] = app_cname(name, ingress.dns_name)
        else:
            records[name] = DnsRecord(
                name, "A", app.service.status.apply(_load_balancer_ip), key=f"app-{name}"
            )
    return list(records.values())


def _load_balancer_ip(status: Any) -> str:
    """The CLB address the cloud controller wrote into a LoadBalancer Service's status."""
    ingress = getattr(getattr(status, "load_balancer", None), "ingress", None) or []
    for entry in ingress:
        if getattr(entry, "ip", None):
            return str(entry.ip)
    raise ValueError(
        "the LoadBalancer Service has no address in status.loadBalancer.ingress yet "
        "(its CLB is not ready); the private zone record needs it"
    )
