"""Sandbox stand-ins for ``alicloud.vpc.NatGateway`` and ``alicloud.ecs.EipAddress``.

Rules imitated (pulumi-alicloud 4.0.0 ``vpc/nat_gateway.py``, ``ecs/eip_address.py``):

- a NAT gateway is ``Enhanced`` (Normal is no longer sold), ``PayByLcu``, in a vSwitch of its
  VPC; VPC, vSwitch, type, network type or payment type changes replace it;
- an EIP gets a unique address from the documentation ranges (198.51.100.0/24, then
  203.0.113.0/24); its bandwidth is 1–500 Mbit/s (PayByBandwidth) or 1–200 (PayByTraffic);
- binding: the sandbox folds ``ecs.EipAssociation`` into the EIP (``instance_id`` of a NAT
  gateway, ``instance_type="Nat"``); a NAT gateway with a bound EIP cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from ask_components.errors import SandboxError
from ask_components.sandbox._base import (
    MODULE,
    Props,
    SandboxProvider,
    SandboxResource,
    Violation,
    created_now,
    known,
    missing,
    require,
)
from ask_components.sandbox.ids import next_free_ip
from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, Transaction
from ask_components.sandbox.vpc import VPC_TYPE, VSWITCH_TYPE

NAT_TYPE = "SandboxNatGateway"
EIP_TYPE = "SandboxEip"

BANDWIDTH_LIMITS = {"PayByBandwidth": 500, "PayByTraffic": 200}
"""Highest EIP bandwidth (Mbit/s) per internet charge type, pay-as-you-go."""


def _choice(inputs: Props, prop: str, allowed: Sequence[str]) -> Violation | None:
    value = inputs[prop]
    if known(value) and value not in allowed:
        return Violation(
            prop,
            "InvalidParameter",
            f"The specified {prop} {value!r} is not valid; use one of {', '.join(allowed)}.",
        )
    return None


class NatGatewayProvider(SandboxProvider):
    """CRUD of ``SandboxNatGateway`` in the sandbox store."""

    type_name = NAT_TYPE
    input_names = (
        "vpc_id",
        "vswitch_id",
        "nat_gateway_name",
        "nat_type",
        "network_type",
        "payment_type",
        "internet_charge_type",
        "tags",
    )
    replace_on = frozenset({"vpc_id", "vswitch_id", "nat_type", "network_type", "payment_type"})
    name_input = "nat_gateway_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found = missing(inputs, (("vpc_id", "VpcId"), ("vswitch_id", "VSwitchId")))
        checks = (
            # Normal NAT gateways are no longer sold; Enhanced needs a vSwitch.
            _choice(inputs, "nat_type", ("Enhanced",)),
            _choice(inputs, "network_type", ("internet", "intranet")),
            _choice(inputs, "payment_type", ("PayAsYouGo", "Subscription")),
            # PayBySpec is no longer allowed for new gateways (pulumi-alicloud >= 1.137).
            _choice(inputs, "internet_charge_type", ("PayByLcu",)),
        )
        found.extend(item for item in checks if item is not None)
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        vpc = require(tx, inputs["vpc_id"], VPC_TYPE, "InvalidVpcId.NotFound", "VPC")
        vswitch = require(
            tx, inputs["vswitch_id"], VSWITCH_TYPE, "InvalidVSwitchId.NotFound", "vSwitch"
        )
        if vswitch.state.get("vpc_id") != vpc.id:
            raise SandboxError(
                "InvalidParameter",
                f"The specified vSwitch does not belong to the VPC. ({vswitch.id} is in "
                f"{vswitch.state.get('vpc_id')}, not {vpc.id})",
            )
        nat_id = tx.new_id(prefix="ngw")
        suffix = nat_id.removeprefix("ngw-")
        computed = {
            "status": "Available",
            "snat_table_ids": f"stb-{suffix}",
            "forward_table_ids": f"ftb-{suffix}",
            "create_time": created_now(),
        }
        return nat_id, computed, (vpc.id, vswitch.id)

    def on_delete(self, tx: Transaction, record: SandboxRecord) -> None:
        eips = [user.id for user in tx.referrers(record.id) if user.type == EIP_TYPE]
        if eips:
            raise SandboxError(
                "DependencyViolation",
                "Specified object has dependent resources. "
                f"(EIPs {', '.join(eips)} are still bound to {record.id})",
            )
        super().on_delete(tx, record)


class EipProvider(SandboxProvider):
    """CRUD of ``SandboxEip`` in the sandbox store."""

    type_name = EIP_TYPE
    input_names = (
        "address_name",
        "bandwidth",
        "internet_charge_type",
        "payment_type",
        "isp",
        "instance_id",
        "instance_type",
        "tags",
    )
    replace_on = frozenset({"payment_type", "isp"})
    name_input = "address_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found = [
            item
            for item in (
                _choice(inputs, "internet_charge_type", tuple(BANDWIDTH_LIMITS)),
                _choice(inputs, "payment_type", ("PayAsYouGo", "Subscription")),
                _choice(inputs, "isp", ("BGP", "BGP_PRO")),
                # Only the binding the Network makes is emulated.
                _choice(inputs, "instance_type", ("Nat",)),
            )
            if item is not None
        ]
        bandwidth, charge = inputs["bandwidth"], inputs["internet_charge_type"]
        if known(bandwidth) and known(charge) and charge in BANDWIDTH_LIMITS:
            limit = BANDWIDTH_LIMITS[str(charge)]
            value = _int(bandwidth)
            if value is None or not 1 <= value <= limit:
                found.append(
                    Violation(
                        "bandwidth",
                        "InvalidParameter",
                        f"The specified bandwidth is not valid. ({bandwidth!r}: 1 to {limit} "
                        f"Mbit/s with {charge})",
                    )
                )
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        refs = self._binding(tx, inputs)
        used = {str(address) for address in tx.values(EIP_TYPE, "ip_address")}
        address = next_free_ip(used)
        if address is None:
            raise SandboxError(
                "QuotaExceeded.Eip",
                f"The EIP quota is exceeded. (all {len(used)} documentation addresses are taken)",
            )
        computed = {
            "ip_address": address,
            "status": "InUse" if refs else "Available",
            "create_time": created_now(),
        }
        return tx.new_id(prefix="eip"), computed, refs

    def on_update(
        self, tx: Transaction, record: SandboxRecord, inputs: Props
    ) -> tuple[Props, Sequence[str]]:
        refs = self._binding(tx, inputs)
        return {"status": "InUse" if refs else "Available"}, refs

    def _binding(self, tx: Transaction, inputs: Props) -> tuple[str, ...]:
        instance = inputs["instance_id"]
        if instance is None:
            return ()
        nat = require(tx, instance, NAT_TYPE, "InvalidInstanceId.NotFound", "instance")
        if nat.state.get("network_type") == "intranet":
            raise SandboxError(
                "OperationDenied",
                f"An EIP cannot be bound to the intranet NAT gateway {nat.id}.",
            )
        return (nat.id,)


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


class SandboxNatGateway(SandboxResource, module=MODULE, name=NAT_TYPE):
    """A local stand-in for ``alicloud.vpc.NatGateway`` (Enhanced), kept in the sandbox store.

    Outputs (as ``alicloud.vpc.NatGateway``'s): its inputs, ``status``, ``snat_table_ids``,
    ``forward_table_ids``, ``create_time``.
    """

    vpc_id: pulumi.Output[str]
    vswitch_id: pulumi.Output[str]
    nat_gateway_name: pulumi.Output[str | None]
    nat_type: pulumi.Output[str]
    network_type: pulumi.Output[str]
    payment_type: pulumi.Output[str]
    internet_charge_type: pulumi.Output[str]
    tags: pulumi.Output[Mapping[str, str]]
    status: pulumi.Output[str]
    snat_table_ids: pulumi.Output[str]
    forward_table_ids: pulumi.Output[str]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        vpc_id: pulumi.Input[str],
        vswitch_id: pulumi.Input[str],
        nat_gateway_name: pulumi.Input[str] | None = None,
        nat_type: pulumi.Input[str] = "Enhanced",
        network_type: pulumi.Input[str] = "internet",
        payment_type: pulumi.Input[str] = "PayAsYouGo",
        internet_charge_type: pulumi.Input[str] = "PayByLcu",
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox NAT gateway.

        Args:
            resource_name: the Pulumi name.
            vpc_id: the VPC; a change replaces the gateway.
            vswitch_id: the vSwitch it sits in, of that VPC; a change replaces the gateway.
            nat_gateway_name: the cloud name.
            nat_type: ``Enhanced`` (the only type sold).
            network_type: ``internet`` or ``intranet``; a change replaces the gateway.
            payment_type: ``PayAsYouGo`` or ``Subscription``; a change replaces the gateway.
            internet_charge_type: ``PayByLcu`` (the only one for new gateways).
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            NatGatewayProvider(),
            resource_name,
            {
                "vpc_id": vpc_id,
                "vswitch_id": vswitch_id,
                "nat_gateway_name": nat_gateway_name,
                "nat_type": nat_type,
                "network_type": network_type,
                "payment_type": payment_type,
                "internet_charge_type": internet_charge_type,
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("status", "snat_table_ids", "forward_table_ids", "create_time"),
            opts,
        )


class SandboxEip(SandboxResource, module=MODULE, name=EIP_TYPE):
    """A local stand-in for ``alicloud.ecs.EipAddress`` (+ its association), in the store.

    Outputs (as ``alicloud.ecs.EipAddress``'s): its inputs, ``ip_address`` (from 198.51.100.0/24
    or 203.0.113.0/24, unique in the store), ``status`` (``InUse`` when bound), ``create_time``.
    """

    address_name: pulumi.Output[str | None]
    bandwidth: pulumi.Output[str]
    internet_charge_type: pulumi.Output[str]
    payment_type: pulumi.Output[str]
    isp: pulumi.Output[str]
    instance_id: pulumi.Output[str | None]
    instance_type: pulumi.Output[str | None]
    tags: pulumi.Output[Mapping[str, str]]
    ip_address: pulumi.Output[str]
    status: pulumi.Output[str]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        address_name: pulumi.Input[str] | None = None,
        bandwidth: pulumi.Input[str] = "5",
        internet_charge_type: pulumi.Input[str] = "PayByBandwidth",
        payment_type: pulumi.Input[str] = "PayAsYouGo",
        isp: pulumi.Input[str] = "BGP",
        instance_id: pulumi.Input[str] | None = None,
        instance_type: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox EIP, optionally bound to a sandbox NAT gateway.

        Args:
            resource_name: the Pulumi name.
            address_name: the cloud name.
            bandwidth: peak bandwidth in Mbit/s, as a string (the alicloud type).
            internet_charge_type: ``PayByBandwidth`` (Alibaba's default) or ``PayByTraffic``.
            payment_type: ``PayAsYouGo`` or ``Subscription``; a change replaces the EIP.
            isp: ``BGP`` or ``BGP_PRO``; a change replaces the EIP.
            instance_id: the NAT gateway it is bound to (``ecs.EipAssociation``'s instance_id).
            instance_type: ``Nat`` when bound.
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            EipProvider(),
            resource_name,
            {
                "address_name": address_name,
                "bandwidth": bandwidth,
                "internet_charge_type": internet_charge_type,
                "payment_type": payment_type,
                "isp": isp,
                "instance_id": instance_id,
                "instance_type": instance_type,
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("ip_address", "status", "create_time"),
            opts,
        )
