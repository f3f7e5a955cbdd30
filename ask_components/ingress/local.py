"""``SandboxAlbIngress``: the platform's ALB on the local target, served by ingress-nginx.

Type token ``ask:ingress:SandboxAlbIngress``, the local counterpart of ``AlbIngress``:

- a ``SandboxAlb`` in the sandbox store, with the cloud's rules (two zones, vSwitches of the
  VPC, upward-only edition changes) and an Alibaba-shaped id and DNS name;
- a ClusterIP Service named after the ALB in namespace ``ingress-nginx``, selecting the
  ingress-nginx controller pods (ports 80, and 443 with HTTPS): the ALB's in-cluster address
  (``cluster_ip``), which the ALB's DNS name resolves to inside the cluster;
- the IngressClass ``alb`` with ``spec.controller: k8s.io/ingress-nginx``, which ingress-nginx
  serves with its default flags (evidence in ``ask_components/ingress/nginx.py``). There is no
  AlbConfig: that is the ALB Ingress controller's CRD, and nginx takes no class parameters.

Apps are exposed through ``expose_app`` as on the cloud: their Ingresses get the same ALB
annotations, translated for ingress-nginx (``translate_alb_annotations``); the ones nginx has no
equivalent of are reported once per ingress as a Pulumi warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ask_components.ingress.annotations import MANAGED_BY
from ask_components.ingress.base import AlbIngressBase, AlbSettings
from ask_components.ingress.nginx import (
    NGINX_NAMESPACE,
    NGINX_RESERVED_SERVICES,
    controller_service_spec,
    nginx_ingress_class_spec,
    translate_alb_annotations,
    untranslated_warning,
)
from ask_components.sandbox.alb import SandboxAlb
from ask_components.sandbox.store import DEFAULT_STATE_PATH

LOAD_BALANCER_ID_ANNOTATION = "ask-components.io/load-balancer-id"
"""On the stand-in Service: the sandbox ALB id it stands for."""

DNS_NAME_ANNOTATION = "ask-components.io/dns-name"
"""On the stand-in Service: the ALB's DNS name, which resolves to the Service in the cluster."""

# A Service name is a DNS-1035 label (Kubernetes validation: IsDNS1035Label).
_SERVICE_NAME_RE = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


@dataclass
class SandboxAlbIngressArgs(AlbSettings):
    """Arguments of a ``SandboxAlbIngress``: every ``AlbSettings`` field (as ``AlbIngressArgs``:
    ``vpc_id``, ``zone_vswitches``, ``edition``, ``public``, ``certificate_ids``,
    ``redirect_http``, ``load_balancer_name``, ``ingress_class_name``, ``region``, ``tags``), and

    Attributes:
        sandbox_state: the sandbox store file (``ask:local.sandboxState``).

    ``load_balancer_name`` (default: the component name) also names the Service that stands for
    the ALB, so it must be a DNS label. The certificate ids only shape the listener plan (HTTPS on
    443, the redirect): ingress-nginx answers HTTPS with its default certificate.
    """

    _: KW_ONLY
    sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH

    def problems(self, name: str) -> list[tuple[str, str]]:
        """As the cloud's, plus the Service name the ALB's name also is."""
        problems = super().problems(name)
        service = self.load_balancer_name_for(name)
        if not _SERVICE_NAME_RE.fullmatch(service):
            problems.append(
                (
                    "load_balancer_name",
                    f"ALB name {service!r} also names its Service in namespace {NGINX_NAMESPACE}: "
                    "use 1-63 lowercase letters, digits and '-', starting with a letter and "
                    "ending with a letter or digit",
                )
            )
        elif service in NGINX_RESERVED_SERVICES:
            problems.append(
                (
                    "load_balancer_name",
                    f"ALB name {service!r} would take the name of ingress-nginx's own Service in "
                    f"namespace {NGINX_NAMESPACE}; choose another load_balancer_name",
                )
            )
        return problems


class SandboxAlbIngress(AlbIngressBase):
    """A sandbox ALB served by ingress-nginx: the Service standing for it and the IngressClass.

    Give the kind cluster's Kubernetes provider in ``opts.providers`` (or ``opts.provider``).

    Outputs:
        load_balancer_id: the sandbox ALB id (``alb-…``).
        dns_name: the ALB's DNS name (``alb-….<region>.alb.aliyuncsslb.com``); point CNAMEs here.
        ingress_class_name: the IngressClass apps use.
        cluster_ip: the Service's cluster IP: where the DNS name should resolve in the cluster.

    There is no ``albconfig_name``: nothing local stands for an AlbConfig.
    """

    cluster_ip: pulumi.Output[str]

    def __init__(
        self, name: str, args: SandboxAlbIngressArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        listeners = args.check(name, "SandboxAlbIngress")
        super().__init__("ask:ingress:SandboxAlbIngress", name, args, listeners, opts)
        alb_name = args.load_balancer_name_for(name)
        self.load_balancer = SandboxAlb(
            f"{name}-lb",
            vpc_id=args.vpc_id,
            zone_mappings=[
                {"zone_id": zone, "vswitch_id": vswitch_id}
                for zone, vswitch_id in args.zone_vswitches.items()
            ],
            load_balancer_edition=args.edition,
            address_type=args.address_type,
            load_balancer_name=alb_name,
            tags=dict(args.tags),
            sandbox_state=args.sandbox_state,
            opts=pulumi.ResourceOptions(parent=self),
        )
        # The builders return plain manifests; the SDK's TypedDicts add nothing to check here.
        service_metadata: Any = {
            "name": alb_name,
            "namespace": NGINX_NAMESPACE,
            "labels": {"app.kubernetes.io/name": alb_name, **MANAGED_BY},
            # The ALB's id and DNS name: real data edges, so the Service comes after the ALB and
            # goes before it on destroy.
            "annotations": {
                LOAD_BALANCER_ID_ANNOTATION: self.load_balancer.id,
                DNS_NAME_ANNOTATION: self.load_balancer.dns_name,
            },
        }
        service_spec: Any = controller_service_spec(listeners)
        self.service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=service_metadata,
            spec=service_spec,
            opts=pulumi.ResourceOptions(parent=self),
        )
        class_metadata: Any = {"name": args.ingress_class_name}
        class_spec: Any = nginx_ingress_class_spec()
        self.ingress_class = k8s.networking.v1.IngressClass(
            f"{name}-class",
            metadata=class_metadata,
            spec=class_spec,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.load_balancer]),
        )
        self.cluster_ip = self.service.spec.apply(_cluster_ip)
        self._register(
            self.load_balancer.id, self.load_balancer.dns_name, cluster_ip=self.cluster_ip
        )

        # ALB annotation -> apps using it; reported once, when the program has exposed its apps.
        self._untranslated: dict[str, list[str]] = {}
        self._reported = False
        self.urn.apply(self._report_untranslated)

    @property
    def serving(self) -> list[pulumi.Resource]:
        """What an app's Ingress depends on: the IngressClass and the Service (which depend on
        the sandbox ALB), so a destroy removes the Ingress first."""
        return [self.ingress_class, self.service]

    def ingress_annotations(
        self, app: str, annotations: Mapping[str, str]
    ) -> tuple[dict[str, str], str]:
        """The app's ALB annotations translated for ingress-nginx, and the path type.

        The ALB annotations nginx has no equivalent of are noted for the ingress's one warning.
        """
        translation = translate_alb_annotations(annotations)
        for key in translation.untranslated:
            self._untranslated.setdefault(key, []).append(app)
        if self._reported and translation.untranslated:
            # Exposed after the report went out (from inside an apply): report this app alone.
            pulumi.log.warn(
                untranslated_warning({key: [app] for key in translation.untranslated}),
                resource=self,
            )
        return translation.annotations, translation.path_type

    def _report_untranslated(self, _urn: str) -> None:
        # An Output callback runs when the event loop does: after the synchronous program body
        # has returned (unless the body makes a synchronous invoke, which this project's
        # programs do not), and pulumi waits for it before the stack completes. So every app
        # the program exposes has been noted by now; a later one gets a warning of its own.
        self._reported = True
        if self._untranslated:
            pulumi.log.warn(untranslated_warning(self._untranslated), resource=self)


def _cluster_ip(spec: Any) -> str:
    """The cluster IP the API server gave the Service (``spec.clusterIP``)."""
    cluster_ip = getattr(spec, "cluster_ip", None)
    if not cluster_ip:
        raise ValueError(
            "the Service standing for the ALB has no spec.clusterIP (the API server assigns one "
            "to every ClusterIP Service)"
        )
    return str(cluster_ip)
