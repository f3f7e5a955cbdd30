"""``Network``: a VPC over several zones with optional NAT egress (``ask:network:Network``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_alicloud as alicloud

from ask_components.network.cidr import NetworkPlan, plan_vswitches
from ask_components.replacement import child_options

Egress = Literal["none", "single", "per-zone"]

DEFAULT_EGRESS: Egress = "single"
"""One Enhanced NAT gateway in the first zone: the cheapest layout that gives every pod egress."""

DEFAULT_EIP_BANDWIDTH_MBPS = 100
"""Peak bandwidth of each egress EIP. Billed by traffic, so the cap costs nothing by itself."""

NETWORK_OUTPUT_KEYS = (
    "vpc_id",
    "vswitch_ids",
    "zone_ids",
    "nat_gateway_ids",
    "egress_ips",
    "layout",
)
"""The outputs of every network realisation, in order."""

EIP_CHARGE_TYPE = "PayByTraffic"
"""Egress traffic is bursty (image pulls, API calls): pay per GB instead of for idle bandwidth."""


@dataclass
class NetworkArgs:
    """Arguments of a ``Network``.

    Attributes:
        cidr: the VPC CIDR (private range, /8 to /24).
        zones: zone ids, one vSwitch each; the order is part of the layout (append, never reorder).
        egress: ``none`` (no Internet egress), ``single`` (one NAT gateway + EIP in the first zone,
            SNAT for every vSwitch) or ``per-zone`` (a NAT gateway + EIP per zone, each vSwitch
            SNATed through its own zone).
        vswitch_prefix_length: vSwitch mask; default leaves room for 8 zones.
        pinned_vswitches: zone -> CIDR kept as deployed (see ``plan_vswitches``).
        name_prefix: prefix of the cloud names (``<prefix>-vpc``); default: the component name.
        eip_bandwidth_mbps: peak bandwidth of each egress EIP.
        tags: tags on every cloud resource.
    """

    cidr: str
    zones: Sequence[str]
    egress: Egress = DEFAULT_EGRESS
    vswitch_prefix_length: int | None = None
    pinned_vswitches: Mapping[str, str] = field(default_factory=dict)
    name_prefix: str | None = None
    eip_bandwidth_mbps: int = DEFAULT_EIP_BANDWIDTH_MBPS
    tags: Mapping[str, str] = field(default_factory=dict)

    def plan(self) -> NetworkPlan:
        """The vSwitch layout these arguments produce."""
        return plan_vswitches(
            self.cidr,
            self.zones,
            prefix_length=self.vswitch_prefix_length,
            pinned=self.pinned_vswitches,
        )


def egress_gateways(egress: Egress, zones: Sequence[str]) -> list[tuple[str, str, list[str]]]:
    """The NAT gateways an egress strategy asks for: (name suffix, the gateway's zone, the zones
    whose vSwitches leave through it), one per gateway: none, one in the first zone for all, or
    one per zone for its own."""
    if egress == "single":
        return [("", zones[0], list(zones))]
    if egress == "per-zone":
        return [(f"-{zone}", zone, [zone]) for zone in zones]
    return []


class NetworkOutputs(pulumi.ComponentResource):
    """The output contract every network realisation shares (cloud ``Network``, local sandbox).

    Outputs:
        vpc_id: the VPC id.
        vswitch_ids: the vSwitch ids, in zone order.
        zone_ids: the zones, in order.
        nat_gateway_ids: the NAT gateway ids (none, one, or one per zone).
        egress_ips: the public IPs traffic leaves from.
        layout: zone -> vSwitch CIDR (known at plan time).
    """

    vpc_id: pulumi.Output[str]
    vswitch_ids: pulumi.Output[list[str]]
    zone_ids: pulumi.Output[list[str]]
    nat_gateway_ids: pulumi.Output[list[str]]
    egress_ips: pulumi.Output[list[str]]
    layout: pulumi.Output[dict[str, str]]

    # The children each realisation makes, read by _register_network_outputs.
    plan: NetworkPlan
    vpc: Any
    vswitches: Mapping[str, Any]
    nat_gateways: Mapping[str, Any]
    eips: Mapping[str, Any]

    def _register_network_outputs(self) -> None:
        """Set the outputs from the children (``id``, ``ip_address``) and register them."""
        zones = [vsw.zone for vsw in self.plan.vswitches]
        self.vpc_id = self.vpc.id
        self.vswitch_ids = pulumi.Output.all(*[self.vswitches[zone].id for zone in zones])
        self.zone_ids = pulumi.Output.from_input(zones)
        self.nat_gateway_ids = pulumi.Output.all(*[nat.id for nat in self.nat_gateways.values()])
        self.egress_ips = pulumi.Output.all(*[eip.ip_address for eip in self.eips.values()])
        self.layout = pulumi.Output.from_input(self.plan.layout())
        self.register_outputs({key: getattr(self, key) for key in NETWORK_OUTPUT_KEYS})


class Network(NetworkOutputs):
    """A VPC, one vSwitch per zone and the NAT egress the strategy asks for.

    Outputs:
        vpc_id: the VPC id.
        vswitch_ids: the vSwitch ids, in zone order.
        zone_ids: the zones, in order.
        nat_gateway_ids: the NAT gateway ids (none, one, or one per zone).
        egress_ips: the public IPs traffic leaves from.
        layout: zone -> vSwitch CIDR (known at plan time).
    """

    def __init__(
        self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:network:Network", name, None, opts)
        plan = args.plan()
        prefix = args.name_prefix or name
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)

        self.plan = plan
        self.vpc = alicloud.vpc.Network(
            f"{name}-vpc",
            vpc_name=f"{prefix}-vpc",
            cidr_block=plan.vpc_cidr,
            description=f"ask-components platform {prefix}",
            tags=tags,
            opts=child,
        )
        self.vswitches: dict[str, alicloud.vpc.Switch] = {
            vsw.zone: alicloud.vpc.Switch(
                f"{name}-vsw-{vsw.zone}",
                vswitch_name=f"{prefix}-{vsw.zone}",
                vpc_id=self.vpc.id,
                cidr_block=vsw.cidr,
                zone_id=vsw.zone,
                tags=tags,
                opts=child_options(self, "alicloud:vpc/switch:Switch"),
            )
            for vsw in plan.vswitches
        }

        self.nat_gateways: dict[str, alicloud.vpc.NatGateway] = {}
        self.eips: dict[str, alicloud.ecs.EipAddress] = {}
        self.snat_entries: dict[str, alicloud.vpc.SnatEntry] = {}
        zones = [vsw.zone for vsw in plan.vswitches]
        for suffix, nat_zone, served_zones in egress_gateways(args.egress, zones):
            self._egress(name, prefix, suffix, nat_zone, served_zones, args, tags)
        self._register_network_outputs()

    def _egress(
        self,
        name: str,
        prefix: str,
        suffix: str,
        nat_zone: str,
        served_zones: Sequence[str],
        args: NetworkArgs,
        tags: dict[str, str],
    ) -> None:
        """One Enhanced NAT gateway + EIP in ``nat_zone``, SNAT for each of ``served_zones``."""
        child = pulumi.ResourceOptions(parent=self)
        nat = alicloud.vpc.NatGateway(
            f"{name}-nat{suffix}",
            vpc_id=self.vpc.id,
            vswitch_id=self.vswitches[nat_zone].id,
            nat_gateway_name=f"{prefix}-nat{suffix}",
            # Enhanced is the only NAT type Alibaba still sells; PayByLcu the only internet
            # charge type for new gateways (pulumi-alicloud vpc/nat_gateway.py).
            nat_type="Enhanced",
            network_type="internet",
            payment_type="PayAsYouGo",
            internet_charge_type="PayByLcu",
            tags=tags,
            opts=child,
        )
        eip = alicloud.ecs.EipAddress(
            f"{name}-eip{suffix}",
            address_name=f"{prefix}-egress{suffix}",
            bandwidth=str(args.eip_bandwidth_mbps),
            internet_charge_type=EIP_CHARGE_TYPE,
            payment_type="PayAsYouGo",
            isp="BGP",
            tags=tags,
            opts=child,
        )
        association = alicloud.ecs.EipAssociation(
            f"{name}-eip-assoc{suffix}",
            allocation_id=eip.id,
            instance_id=nat.id,
            # The default is EcsInstance; a NAT gateway must be named explicitly.
            instance_type="Nat",
            opts=child_options(self, "alicloud:ecs/eipAssociation:EipAssociation"),
        )
        for zone in served_zones:
            self.snat_entries[zone] = alicloud.vpc.SnatEntry(
                f"{name}-snat-{zone}",
                snat_table_id=nat.snat_table_ids,
                source_vswitch_id=self.vswitches[zone].id,
                snat_ip=eip.ip_address,
                snat_entry_name=f"{prefix}-{zone}",
                # The SNAT entry needs the EIP bound to the gateway first (Terraform's
                # kubernetes-networking module orders it the same way).
                opts=child_options(
                    self, "alicloud:vpc/snatEntry:SnatEntry", depends_on=[association]
                ),
            )
        self.nat_gateways[nat_zone] = nat
        self.eips[nat_zone] = eip
