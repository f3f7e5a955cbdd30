"""``AlbIngress``: an ALB owned by Pulumi, handed to the cluster's ALB Ingress controller.

Type token ``ask:ingress:AlbIngress``. The ALB is an ``alicloud.alb.LoadBalancer`` (so
``pulumi destroy`` deletes it and nothing is orphaned, unlike an ALB the controller creates,
which the cluster retains); the cluster gets an ``AlbConfig`` that reuses it by id with the
HTTP/HTTPS listeners, and the IngressClass ``alb`` whose parameters point at that AlbConfig.
Apps add Ingresses through ``expose_app``.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

import pulumi
import pulumi_alicloud as alicloud
import pulumi_kubernetes as k8s

from ask_components.ingress import describe as _describe
from ask_components.ingress.albconfig import (
    ALBCONFIG_API_VERSION,
    ALBCONFIG_KIND,
    albconfig_spec,
    ingress_class_spec,
)
from ask_components.ingress.base import AlbIngressBase, AlbSettings
from ask_components.replacement import child_options

_describe.register()

PAY_TYPE = "PayAsYouGo"
"""The only billing method an ALB takes (pulumi-alicloud alb LoadBalancerBillingConfig)."""

CLUSTER_TAG = "cluster-id"

LOAD_BALANCER_TYPE = "alicloud:alb/loadBalancer:LoadBalancer"
"""Tag naming the cluster the ALB serves; it also orders the ALB after the cluster."""


@dataclass(frozen=True)
class AccessLog:
    """Where the ALB ships its access log: an existing SLS project and Logstore."""

    project: str
    store: str


@dataclass
class AlbIngressArgs(AlbSettings):
    """Arguments of an ``AlbIngress``: every ``AlbSettings`` field, and

    Attributes:
        access_log: ship the access log to SLS; none when None.
        deletion_protection: refuse deletion of the ALB (``pulumi destroy`` then fails on it).
        protect: Pulumi ``protect`` on the ALB: no ``pulumi destroy`` or replacement of it
            until it is turned off.
        albconfig_name: the AlbConfig's name; default: the component name.
        cluster_id: the cluster the ALB serves: tagged ``cluster-id``, and the ALB is ordered
            after it (created after, deleted before).
    """

    _: KW_ONLY
    access_log: AccessLog | None = None
    deletion_protection: bool = False
    protect: bool = False
    albconfig_name: str | None = None
    cluster_id: pulumi.Input[str] | None = None

    def reserved_names(self, name: str) -> list[tuple[str, str]]:
        """The AlbConfig's name too (checked first)."""
        return [("AlbConfig", self.albconfig_name or name), *super().reserved_names(name)]


class AlbIngress(AlbIngressBase):
    """An ALB, the AlbConfig that reuses it and the IngressClass ``alb``.

    Give the cluster's Kubernetes provider (and the alicloud provider) in
    ``opts.providers``: the AlbConfig and IngressClass live in the cluster.

    Outputs:
        load_balancer_id: the ALB id (``alb-…``).
        dns_name: the ALB's DNS name; point CNAMEs here.
        albconfig_name: the AlbConfig's name.
        ingress_class_name: the IngressClass apps use.
    """

    albconfig_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: AlbIngressArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        listeners = args.check(name)
        super().__init__("ask:ingress:AlbIngress", name, args, listeners, opts)
        child = pulumi.ResourceOptions(parent=self)
        albconfig_name = args.albconfig_name or name
        tags: dict[str, pulumi.Input[str]] = dict(args.tags)
        if args.cluster_id is not None:
            tags[CLUSTER_TAG] = args.cluster_id

        self.load_balancer = alicloud.alb.LoadBalancer(
            f"{name}-lb",
            load_balancer_name=args.load_balancer_name_for(name),
            load_balancer_edition=args.edition,
            address_type=args.address_type,
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
            opts=child_options(self, LOAD_BALANCER_TYPE, protect=args.protect),
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

        self.albconfig_name = pulumi.Output.from_input(albconfig_name)
        self._register(
            self.load_balancer.id,
            self.load_balancer.dns_name,
            albconfig_name=self.albconfig_name,
        )

    @property
    def serving(self) -> list[pulumi.Resource]:
        """What an app's Ingress depends on: the AlbConfig and the IngressClass (which depend
        on the ALB, which depends on the cluster and the vSwitches), so a destroy removes the
        Ingress first and the controller can clean up the ALB's rules while it still runs."""
        return [self.alb_config, self.ingress_class]
