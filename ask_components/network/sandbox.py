"""``SandboxNetwork``: the ``Network`` of the local target (``ask:network:SandboxNetwork``).

Same arguments, same layout (``plan_vswitches``), same egress strategies and the same outputs as
``Network``, made of sandbox stand-ins instead of cloud resources, so that what is built on the
network cannot tell the targets apart. Two cloud resources have no stand-in of their own: the EIP
association is the EIP's ``instance_id``, and SNAT entries are implied (a NAT gateway serves its
VPC's vSwitches).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from ask_components.arguments.network import check_network
from ask_components.config import DEFAULT_LOCAL_REGION, DEFAULT_SANDBOX_STATE
from ask_components.network.network import (
    EIP_CHARGE_TYPE,
    NetworkArgs,
    NetworkOutputs,
    egress_gateways,
)
from ask_components.sandbox.nat import SandboxEip, SandboxNatGateway
from ask_components.sandbox.vpc import SandboxVpc, SandboxVSwitch


@dataclass
class SandboxNetworkArgs(NetworkArgs):
    """Arguments of a ``SandboxNetwork``: those of ``NetworkArgs``, plus where and which store.

    Attributes:
        region: the region the stand-ins are in (the zones must belong to it).
        sandbox_state: the sandbox store file, relative to where the provider runs (the project).
    """

    region: str = DEFAULT_LOCAL_REGION
    sandbox_state: str = DEFAULT_SANDBOX_STATE


class SandboxNetwork(NetworkOutputs):
    """A sandbox VPC, one sandbox vSwitch per zone and the NAT egress the strategy asks for.

    Outputs (those of ``Network``):
        vpc_id: the VPC id (``vpc-…``).
        vswitch_ids: the vSwitch ids, in zone order.
        zone_ids: the zones, in order.
        nat_gateway_ids: the NAT gateway ids (none, one, or one per zone).
        egress_ips: the EIP addresses (documentation ranges, never routable).
        layout: zone -> vSwitch CIDR (known at plan time).
    """

    def __init__(
        self, name: str, args: SandboxNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_network(name, args, component="SandboxNetwork")
        super().__init__("ask:network:SandboxNetwork", name, None, opts)
        plan = args.plan()
        prefix = args.name_prefix or name
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        state = args.sandbox_state

        self.plan = plan
        self.vpc = SandboxVpc(
            f"{name}-vpc",
            vpc_name=f"{prefix}-vpc",
            cidr_block=plan.vpc_cidr,
            description=f"ask-components platform {prefix}",
            region=args.region,
            tags=tags,
            sandbox_state=state,
            opts=child,
        )
        self.vswitches: dict[str, SandboxVSwitch] = {
            vsw.zone: SandboxVSwitch(
                f"{name}-vsw-{vsw.zone}",
                vswitch_name=f"{prefix}-{vsw.zone}",
                vpc_id=self.vpc.id,
                cidr_block=vsw.cidr,
                zone_id=vsw.zone,
                tags=tags,
                sandbox_state=state,
                opts=child,
            )
            for vsw in plan.vswitches
        }

        self.nat_gateways: dict[str, SandboxNatGateway] = {}
        self.eips: dict[str, SandboxEip] = {}
        zones = [vsw.zone for vsw in plan.vswitches]
        # A sandbox NAT gateway serves its whole VPC (SNAT is implied): the served zones are
        # the cloud's concern only.
        for suffix, nat_zone, _ in egress_gateways(args.egress, zones):
            self._egress(name, prefix, suffix, nat_zone, args, tags)
        self._register_network_outputs()

    def _egress(
        self,
        name: str,
        prefix: str,
        suffix: str,
        nat_zone: str,
        args: SandboxNetworkArgs,
        tags: dict[str, str],
    ) -> None:
        """One Enhanced NAT gateway in ``nat_zone`` with an EIP bound to it (as ``Network``)."""
        child = pulumi.ResourceOptions(parent=self)
        nat = SandboxNatGateway(
            f"{name}-nat{suffix}",
            vpc_id=self.vpc.id,
            vswitch_id=self.vswitches[nat_zone].id,
            nat_gateway_name=f"{prefix}-nat{suffix}",
            nat_type="Enhanced",
            network_type="internet",
            payment_type="PayAsYouGo",
            internet_charge_type="PayByLcu",
            tags=tags,
            sandbox_state=args.sandbox_state,
            opts=child,
        )
        eip = SandboxEip(
            f"{name}-eip{suffix}",
            address_name=f"{prefix}-egress{suffix}",
            bandwidth=str(args.eip_bandwidth_mbps),
            internet_charge_type=EIP_CHARGE_TYPE,
            payment_type="PayAsYouGo",
            isp="BGP",
            # The cloud's ecs.EipAssociation(instance_type="Nat"), folded into the EIP.
            instance_id=nat.id,
            instance_type="Nat",
            tags=tags,
            sandbox_state=args.sandbox_state,
            opts=child,
        )
        self.nat_gateways[nat_zone] = nat
        self.eips[nat_zone] = eip
