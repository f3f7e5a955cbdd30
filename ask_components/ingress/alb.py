"""``AlbIngress``: an ALB owned by Pulumi, handed to the cluster's ALB Ingress controller.

Type token ``ask:ingress:AlbIngress``. The ALB is an ``alicloud.alb.LoadBalancer`` (so
``pulumi destroy`` deletes it and nothing is orphaned, unlike an ALB the controller creates,
which the cluster retains); the cluster gets an ``AlbConfig`` that reuses it by id with the
HTTP/HTTPS listeners, and the IngressClass ``alb`` whose parameters point at that AlbConfig.
Apps add Ingresses through ``expose_app``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_alicloud as alicloud
import pulumi_kubernetes as k8s

from ask_components.ingress import describe as _describe
from ask_components.ingress.albconfig import (
    ALBCONFIG_API_VERSION,
    ALBCONFIG_KIND,
    DEFAULT_INGRESS_CLASS,
    AlbListeners,
    albconfig_spec,
    ingress_class_spec,
)
from ask_components.ingress.config import (
    ALB_UNAVAILABLE_REGIONS,
    DEFAULT_EDITION,
    MIN_ALB_ZONES,
    RESERVED_NAME_PREFIX,
    AlbEdition,
)

_describe.register()

PAY_TYPE = "PayAsYouGo"
"""The only billing method an ALB takes (pulumi-alicloud alb LoadBalancerBillingConfig)."""

CLUSTER_TAG = "cluster-id"
"""Tag naming the cluster the ALB serves; it also orders the ALB after the cluster."""


@dataclass(frozen=True)
class AccessLog:
    """Where the ALB ships its access log: an existing SLS project and Logstore."""

    project: str
    store: str


@dataclass
class AlbIngressArgs:
    """Arguments of an ``AlbIngress``.

    Attributes:
        vpc_id: the VPC of the cluster.
        zone_vswitches: zone -> vSwitch id, one zone mapping each; at least 2 zones.
        edition: ``Basic``, ``Standard`` (default) or ``StandardWithWaf``.
        public: Internet-facing; False (default) makes it reachable from the VPC only.
        certificate_ids: HTTPS certificate ids (the first is the default); none: HTTP only.
        redirect_http: answer HTTP with a redirect to HTTPS; default: on when there is HTTPS.
        access_log: ship the access log to SLS; none when None.
        deletion_protection: refuse deletion of the ALB (``pulumi destroy`` then fails on it).
        load_balancer_name: the ALB's name in the console; default: the component name.
        albconfig_name: the AlbConfig's name; default: the component name.
        ingress_class_name: the IngressClass apps name in ``ingressClassName``.
        cluster_id: the cluster the ALB serves: tagged ``cluster-id``, and the ALB is ordered
            after it (created after, deleted before).
        region: the region, to refuse the ones without ALB Ingress; not checked when None.
        tags: tags on the ALB.
    """

    vpc_id: pulumi.Input[str]
    zone_vswitches: Mapping[str, pulumi.Input[str]]
    edition: AlbEdition = DEFAULT_EDITION
    public: bool = False
    certificate_ids: Sequence[str] = ()
    redirect_http: bool | None = None
    access_log: AccessLog | None = None
    deletion_protection: bool = False
    load_balancer_name: str | None = None
    albconfig_name: str | None = None
    ingress_class_name: str = DEFAULT_INGRESS_CLASS
    cluster_id: pulumi.Input[str] | None = None
    region: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def check(self, name: str) -> AlbListeners:
        """The listener plan; ValueError for what Alibaba would refuse (checked before anything
        is registered)."""
        zones = list(self.zone_vswitches)
        if len(zones) < MIN_ALB_ZONES:
            raise ValueError(
                f"ALB needs at least {MIN_ALB_ZONES} zones, got {len(zones)} ({', '.join(zones)})"
            )
        if self.region is not None and self.region in ALB_UNAVAILABLE_REGIONS:
            raise ValueError(
                f"ALB Ingress is not offered in {self.region} "
                f"({ALB_UNAVAILABLE_REGIONS[self.region]})"
            )
        albconfig = self.albconfig_name or name
        for what, value in (("AlbConfig", albconfig), ("IngressClass", self.ingress_class_name)):
            if value.startswith(RESERVED_NAME_PREFIX):
                raise ValueError(f"{what} name {value!r} must not start with 'aliyun'")
        return AlbListeners.plan(self.certificate_ids, redirect_http=self.redirect_http)


class AlbIngress(pulumi.ComponentResource):
    """An ALB, the AlbConfig that reuses it and the IngressClass ``alb``.

    Give the cluster's Kubernetes provider (and the alicloud provider) in
    ``opts.providers``: the AlbConfig and IngressClass live in the cluster.

    Outputs:
        load_balancer_id: the ALB id (``alb-…``).
        dns_name: the ALB's DNS name; point CNAMEs here.
        albconfig_name: the AlbConfig's name.
        ingress_class_name: the IngressClass apps use.
    """

    load_balancer_id: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    albconfig_name: pulumi.Output[str]
    ingress_class_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: AlbIngressArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        listeners = args.check(name)
        super().__init__("ask:ingress:AlbIngress", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.public = args.public
        self.listeners = listeners
        albconfig_name = args.albconfig_name or name
        tags: dict[str, pulumi.Input[str]] = dict(args.tags)
        if args.cluster_id is not None:
            tags[CLUSTER_TAG] = args.cluster_id

        self.load_balancer = alicloud.alb.LoadBalancer(
            f"{name}-lb",
            load_balancer_name=args.load_balancer_name or name,
            load_balancer_edition=args.edition,
            address_type="Internet" if args.public else "Intranet",
            vpc_id=args.vpc_id,
            load_balancer_billing_config=alicloud.alb.LoadBalancerLoadBalancerBillingConfigArgs(
                pay_type=PAY_TYPE
            ),
            zone_mappings=[
                alicloud.alb.LoadBalancerZoneMappingArgs(zone_id=zone, vswitch_id=vswitch_id)
                for zone, vswitch_id in args.zone_vswitches.items()
            ],
            deletion_protection_enabled=args.deletion_protection,
            # The LoadBalancer's own access_log_config (pulumi-alicloud 4.0.0) instead of a
            # separate LoadBalancerAccessLogConfigAttachment: one resource, one owner.
            access_log_config=alicloud.alb.LoadBalancerAccessLogConfigArgs(
                log_project=args.access_log.project, log_store=args.access_log.store
            )
            if args.access_log is not None
            else None,
            tags=tags,
            opts=child,
        )
        self.alb_config = k8s.apiextensions.CustomResource(
            f"{name}-config",
            api_version=ALBCONFIG_API_VERSION,
            kind=ALBCONFIG_KIND,
            metadata={"name": albconfig_name},
            spec=albconfig_spec(self.load_balancer.id, self.listeners),
            opts=child,
        )
        # The builders return plain manifests; the SDK's TypedDicts add nothing to check here.
        class_metadata: Any = {"name": args.ingress_class_name}
        class_spec: Any = ingress_class_spec(albconfig_name)
        self.ingress_class = k8s.networking.v1.IngressClass(
            f"{name}-class",
            metadata=class_metadata,
            spec=class_spec,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.alb_config]),
        )

        self.load_balancer_id = self.load_balancer.id
        self.dns_name = self.load_balancer.dns_name
        self.albconfig_name = pulumi.Output.from_input(albconfig_name)
        self.ingress_class_name = pulumi.Output.from_input(args.ingress_class_name)
        self.class_name = args.ingress_class_name
        self.register_outputs(
            {
                "load_balancer_id": self.load_balancer_id,
                "dns_name": self.dns_name,
                "albconfig_name": self.albconfig_name,
                "ingress_class_name": self.ingress_class_name,
            }
        )

    @property
    def serving(self) -> list[pulumi.Resource]:
        """What an app's Ingress depends on: the AlbConfig and the IngressClass (which depend
        on the ALB, which depends on the cluster and the vSwitches), so a destroy removes the
        Ingress first and the controller can clean up the ALB's rules while it still runs."""
        return [self.alb_config, self.ingress_class]
