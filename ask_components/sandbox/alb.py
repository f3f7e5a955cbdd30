"""Sandbox stand-in for ``alicloud.alb.LoadBalancer``.

Rules imitated (pulumi-alicloud 4.0.0 ``alb/load_balancer.py``; ALB API references):

- ``zone_mappings`` name vSwitches of the ALB's VPC in at least two distinct zones, one vSwitch
  per zone, each mapping's ``zone_id`` being its vSwitch's zone ("You must specify at least two
  zones");
- the edition is ``Basic``, ``Standard`` or ``StandardWithWaf``; it changes in place, but only
  upward: Basic to Standard or WAF, WAF to Standard, never back to Basic (UpdateLoadBalancerEdition,
  https://www.alibabacloud.com/help/en/slb/application-load-balancer/developer-reference/api-alb-2020-06-16-updateloadbalanceredition);
- name, address type, zones and tags change in place; the VPC and the address allocation mode
  replace the instance;
- the DNS name has Alibaba's shape: ``<alb id>.<region>.alb.aliyuncsslb.com``.

Inside kind the ALB is served by ingress-nginx: ``ask_components/ingress/local.py``
(``SandboxAlbIngress``) makes this stand-in, the Service standing for it and the IngressClass.
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
from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, Transaction
from ask_components.sandbox.vpc import VPC_TYPE, VSWITCH_TYPE

ALB_TYPE = "SandboxAlb"

EDITIONS = ("Basic", "Standard", "StandardWithWaf")
ADDRESS_TYPES = ("Internet", "Intranet")
MIN_ZONES = 2

# UpdateLoadBalancerEdition: edition -> the editions it may change to.
_EDITION_CHANGES = {
    "Basic": {"Standard", "StandardWithWaf"},
    "Standard": {"StandardWithWaf"},
    "StandardWithWaf": {"Standard"},
}

DNS_SUFFIX = "alb.aliyuncsslb.com"


def dns_name(alb_id: str, region: str) -> str:
    """The DNS name Alibaba gives an ALB instance."""
    return f"{alb_id}.{region}.{DNS_SUFFIX}"


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


class AlbProvider(SandboxProvider):
    """CRUD of ``SandboxAlb`` in the sandbox store."""

    type_name = ALB_TYPE
    input_names = (
        "load_balancer_name",
        "vpc_id",
        "address_type",
        "address_allocated_mode",
        "load_balancer_edition",
        "zone_mappings",
        "tags",
    )
    replace_on = frozenset({"vpc_id", "address_allocated_mode"})
    name_input = "load_balancer_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found = missing(
            inputs,
            (
                ("vpc_id", "VpcId"),
                ("address_type", "AddressType"),
                ("load_balancer_edition", "LoadBalancerEdition"),
                ("zone_mappings", "ZoneMappings"),
            ),
        )
        for prop, allowed in (
            ("load_balancer_edition", EDITIONS),
            ("address_type", ADDRESS_TYPES),
            ("address_allocated_mode", ("Dynamic", "Fixed")),
        ):
            value = inputs[prop]
            if known(value) and value not in allowed:
                found.append(
                    Violation(
                        prop,
                        "InvalidParameter",
                        f"The param {prop} {value!r} is illegal; use one of {', '.join(allowed)}.",
                    )
                )
        mappings = inputs["zone_mappings"]
        if known(mappings):
            zones = [str(item.get("zone_id")) for item in _mappings(mappings)]
            twice = sorted({zone for zone in zones if zones.count(zone) > 1})
            if twice:
                found.append(
                    Violation(
                        "zone_mappings",
                        "InvalidParameter",
                        f"The param ZoneMappings is illegal: zone {', '.join(twice)} is mapped "
                        "more than once (one vSwitch per zone).",
                    )
                )
            elif len(set(zones)) < MIN_ZONES:
                found.append(
                    Violation(
                        "zone_mappings",
                        "InvalidParameter",
                        f"The param ZoneMappings is illegal: an ALB needs vSwitches in at least "
                        f"{MIN_ZONES} zones, got {len(set(zones))} ({', '.join(zones) or 'none'}).",
                    )
                )
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        vpc = require(tx, inputs["vpc_id"], VPC_TYPE, "InvalidVpcId.NotFound", "VPC")
        switches = self._switches(tx, vpc, inputs)
        alb_id = tx.new_id(prefix="alb")
        computed = {
            "dns_name": dns_name(alb_id, str(vpc.state["region"])),
            "status": "Active",
            "create_time": created_now(),
        }
        return alb_id, computed, (vpc.id, *switches)

    def on_update(
        self, tx: Transaction, record: SandboxRecord, inputs: Props
    ) -> tuple[Props, Sequence[str]]:
        old, new = record.state.get("load_balancer_edition"), inputs["load_balancer_edition"]
        if old != new and new not in _EDITION_CHANGES.get(str(old), set()):
            raise SandboxError(
                "OperationDenied",
                f"The edition of {record.id} cannot change from {old} to {new}: an ALB instance "
                "is only upgraded (Basic to Standard or StandardWithWaf, StandardWithWaf to "
                "Standard).",
            )
        vpc = require(tx, inputs["vpc_id"], VPC_TYPE, "InvalidVpcId.NotFound", "VPC")
        return {}, (vpc.id, *self._switches(tx, vpc, inputs))

    def _switches(self, tx: Transaction, vpc: SandboxRecord, inputs: Props) -> list[str]:
        found = []
        for mapping in _mappings(inputs["zone_mappings"]):
            vswitch = require(
                tx, mapping.get("vswitch_id"), VSWITCH_TYPE, "InvalidVSwitchId.NotFound", "vSwitch"
            )
            if vswitch.state.get("vpc_id") != vpc.id:
                raise SandboxError(
                    "InvalidParameter",
                    f"The vSwitch {vswitch.id} does not belong to the VPC {vpc.id}.",
                )
            if vswitch.state.get("zone_id") != mapping.get("zone_id"):
                raise SandboxError(
                    "InvalidParameter",
                    f"The vSwitch {vswitch.id} is in zone {vswitch.state.get('zone_id')}, "
                    f"not {mapping.get('zone_id')}.",
                )
            found.append(vswitch.id)
        return found


class SandboxAlb(SandboxResource, module=MODULE, name=ALB_TYPE):
    """A local stand-in for ``alicloud.alb.LoadBalancer``, kept in the sandbox store.

    Outputs (as ``alicloud.alb.LoadBalancer``'s): its inputs, ``dns_name``
    (``alb-….<region>.alb.aliyuncsslb.com``), ``status``, ``create_time``.
    """

    load_balancer_name: pulumi.Output[str | None]
    vpc_id: pulumi.Output[str]
    address_type: pulumi.Output[str]
    address_allocated_mode: pulumi.Output[str]
    load_balancer_edition: pulumi.Output[str]
    zone_mappings: pulumi.Output[list[dict[str, str]]]
    tags: pulumi.Output[Mapping[str, str]]
    dns_name: pulumi.Output[str]
    status: pulumi.Output[str]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        vpc_id: pulumi.Input[str],
        zone_mappings: pulumi.Input[Sequence[pulumi.Input[Mapping[str, pulumi.Input[str]]]]],
        load_balancer_edition: pulumi.Input[str] = "Standard",
        address_type: pulumi.Input[str] = "Internet",
        address_allocated_mode: pulumi.Input[str] = "Dynamic",
        load_balancer_name: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox ALB instance.

        Args:
            resource_name: the Pulumi name.
            vpc_id: the VPC; a change replaces the ALB.
            zone_mappings: ``[{"vswitch_id": …, "zone_id": …}]``, at least two zones.
            load_balancer_edition: ``Basic``, ``Standard`` or ``StandardWithWaf`` (upgrade only).
            address_type: ``Internet`` or ``Intranet``.
            address_allocated_mode: ``Dynamic`` or ``Fixed``; a change replaces the ALB.
            load_balancer_name: the cloud name.
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            AlbProvider(),
            resource_name,
            {
                "load_balancer_name": load_balancer_name,
                "vpc_id": vpc_id,
                "address_type": address_type,
                "address_allocated_mode": address_allocated_mode,
                "load_balancer_edition": load_balancer_edition,
                "zone_mappings": zone_mappings,
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("dns_name", "status", "create_time"),
            opts,
        )
