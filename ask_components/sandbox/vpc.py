"""Sandbox stand-ins for ``alicloud.vpc.Network`` and ``alicloud.vpc.Switch``.

Alibaba's rules (error codes and messages from the CreateVSwitch, DeleteVpc and DeleteVSwitch
API references, https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createvswitch):

- a VPC CIDR is in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, mask /8 to /28; changing it
  replaces the VPC;
- a vSwitch CIDR has mask /16 to /29, lies inside its VPC and overlaps no other vSwitch of it; at
  most 150 vSwitches per VPC; its zone is a zone of the VPC's region; CIDR, zone or VPC changes
  replace it, a name change does not;
- a VPC that still has vSwitches cannot be deleted (``DependencyViolation.VSwitch``), nor a
  vSwitch that a NAT gateway or an ALB uses (``DependencyViolation``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from ask_components.config import zone_belongs_to_region
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
    parse_cidr,
    require,
)
from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, Transaction

VPC_TYPE = "SandboxVpc"
VSWITCH_TYPE = "SandboxVSwitch"

VPC_MIN_PREFIX, VPC_MAX_PREFIX = 8, 28
VSWITCH_MIN_PREFIX, VSWITCH_MAX_PREFIX = 16, 29
MAX_VSWITCHES_PER_VPC = 150
"""CreateVSwitch: "You can create at most 150 vSwitches in a virtual private cloud (VPC)"."""

_PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
# Names: 1-128 characters, starting with a letter (or a Chinese character), not with http(s)://.
_NAME_RE = re.compile(r"^[A-Za-z\u4e00-\u9fff][^\x00-\x1f]{0,127}$")
_REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z0-9]+)+$")


def _name_violation(value: Any, prop: str, code: str, what: str) -> Violation | None:
    if not known(value):
        return None
    text = str(value)
    if not _NAME_RE.match(text) or text.startswith(("http://", "https://")):
        return Violation(prop, code, f"Specified {what} is not valid. ({text!r})")
    return None


class VpcProvider(SandboxProvider):
    """CRUD of ``SandboxVpc`` in the sandbox store."""

    type_name = VPC_TYPE
    input_names = ("vpc_name", "cidr_block", "description", "region", "tags")
    replace_on = frozenset({"cidr_block", "region"})
    name_input = "vpc_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found: list[Violation] = []
        cidr = inputs["cidr_block"]
        if cidr is None:
            found.append(Violation("cidr_block", "MissingParameter", "CidrBlock is mandatory."))
        elif known(cidr):
            net, bad = parse_cidr(cidr, "cidr_block")
            if bad is not None:
                found.append(bad)
            elif net is not None and (
                not any(net.subnet_of(rng) for rng in _PRIVATE_RANGES)
                or not VPC_MIN_PREFIX <= net.prefixlen <= VPC_MAX_PREFIX
            ):
                found.append(
                    Violation(
                        "cidr_block",
                        "InvalidCidrBlock.Malformed",
                        f"Specified CIDR block is not valid. ({net}: a VPC takes 10.0.0.0/8, "
                        f"172.16.0.0/12, 192.168.0.0/16 or a subset, mask /{VPC_MIN_PREFIX} "
                        f"to /{VPC_MAX_PREFIX})",
                    )
                )
        region = inputs["region"]
        if region is None:
            found.append(Violation("region", "MissingParameter", "RegionId is mandatory."))
        elif known(region) and not _REGION_RE.match(str(region)):
            found.append(
                Violation("region", "InvalidRegionId.NotFound", f"The region {region} is invalid.")
            )
        bad_name = _name_violation(
            inputs["vpc_name"], "vpc_name", "InvalidVpcName.Malformed", "VPC name"
        )
        if bad_name is not None:
            found.append(bad_name)
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        vpc_id = tx.new_id(prefix="vpc")
        suffix = vpc_id.removeprefix("vpc-")
        computed = {
            "status": "Available",
            "router_id": f"vrt-{suffix}",
            "route_table_id": f"vtb-{suffix}",
            "create_time": created_now(),
        }
        return vpc_id, computed, ()

    def on_delete(self, tx: Transaction, record: SandboxRecord) -> None:
        users = tx.referrers(record.id)
        switches = [user.id for user in users if user.type == VSWITCH_TYPE]
        if switches:
            raise SandboxError(
                "DependencyViolation.VSwitch",
                "Specified object has dependent resources. "
                f"(vSwitches still exist in {record.id}: {', '.join(switches)})",
            )
        if users:
            listed = ", ".join(f"{user.type} {user.id}" for user in users)
            raise SandboxError(
                "DependencyViolation.Instance",
                f"Specified object has dependent resources. ({record.id} is used by {listed})",
            )


class VSwitchProvider(SandboxProvider):
    """CRUD of ``SandboxVSwitch`` in the sandbox store."""

    type_name = VSWITCH_TYPE
    input_names = ("vpc_id", "cidr_block", "zone_id", "vswitch_name", "description", "tags")
    replace_on = frozenset({"vpc_id", "cidr_block", "zone_id"})
    name_input = "vswitch_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found = missing(
            inputs, (("vpc_id", "VpcId"), ("zone_id", "ZoneId"), ("cidr_block", "CidrBlock"))
        )
        cidr = inputs["cidr_block"]
        if known(cidr):
            net, bad = parse_cidr(cidr, "cidr_block")
            if bad is not None:
                found.append(bad)
            elif net is not None and not (
                VSWITCH_MIN_PREFIX <= net.prefixlen <= VSWITCH_MAX_PREFIX
            ):
                # Alibaba's code is spelled this way (CreateVSwitch error table).
                found.append(
                    Violation(
                        "cidr_block",
                        "InvalidCirdrBlock.MaskLength",
                        f"Specified CIDR block is not valid . ({net}: a vSwitch mask is "
                        f"/{VSWITCH_MIN_PREFIX} to /{VSWITCH_MAX_PREFIX})",
                    )
                )
        bad_name = _name_violation(
            inputs["vswitch_name"],
            "vswitch_name",
            "InvalidVSwitchName.Malformed",
            "virtual switch name",
        )
        if bad_name is not None:
            found.append(bad_name)
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        vpc = require(tx, inputs["vpc_id"], VPC_TYPE, "InvalidVpcId.NotFound", "VPC")
        zone, region = str(inputs["zone_id"]), str(vpc.state["region"])
        if not zone_belongs_to_region(zone, region):
            raise SandboxError(
                "InvalidZoneId.NotFound",
                f"Specified zone does not exist. ({zone} is not a zone of {region})",
            )
        net = ipaddress.IPv4Network(str(inputs["cidr_block"]))
        vpc_net = ipaddress.IPv4Network(str(vpc.state["cidr_block"]))
        if not net.subnet_of(vpc_net):
            raise SandboxError(
                "InvalidParameter",
                f"Specified CIDR block is not valid in VPC. ({net} is not inside {vpc_net})",
            )
        siblings = [user for user in tx.referrers(vpc.id) if user.type == VSWITCH_TYPE]
        for sibling in siblings:
            if net.overlaps(ipaddress.IPv4Network(str(sibling.state["cidr_block"]))):
                raise SandboxError(
                    "InvalidCidrBlock.Overlapped",
                    "Specified CIDR block overlapped with other subnets. "
                    f"({net} overlaps {sibling.state['cidr_block']} of {sibling.id})",
                )
        if len(siblings) >= MAX_VSWITCHES_PER_VPC:
            raise SandboxError(
                "QuotaExceeded.VSwitch",
                f"Virtual switch quota exceeded. ({vpc.id} has {len(siblings)} vSwitches)",
            )
        computed = {
            "status": "Available",
            "create_time": created_now(),
            # Alibaba reserves the first and the last three addresses of a vSwitch.
            "available_ip_address_count": net.num_addresses - 4,
        }
        return tx.new_id(prefix="vsw"), computed, (vpc.id,)


class SandboxVpc(SandboxResource, module=MODULE, name=VPC_TYPE):
    """A local stand-in for ``alicloud.vpc.Network``, kept in the sandbox store.

    Outputs (as ``alicloud.vpc.Network``'s): ``vpc_name``, ``cidr_block``, ``description``,
    ``tags``, ``status``, ``router_id``, ``route_table_id``, ``create_time``; plus ``region``.
    """

    vpc_name: pulumi.Output[str | None]
    cidr_block: pulumi.Output[str]
    description: pulumi.Output[str | None]
    region: pulumi.Output[str]
    tags: pulumi.Output[Mapping[str, str]]
    status: pulumi.Output[str]
    router_id: pulumi.Output[str]
    route_table_id: pulumi.Output[str]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        cidr_block: pulumi.Input[str],
        region: pulumi.Input[str],
        vpc_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox VPC.

        Args:
            resource_name: the Pulumi name.
            cidr_block: the VPC CIDR (private, /8 to /28); a change replaces the VPC.
            region: the region the VPC is in (its vSwitches' zones must belong to it).
            vpc_name: the cloud name.
            description: the description.
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            VpcProvider(),
            resource_name,
            {
                "vpc_name": vpc_name,
                "cidr_block": cidr_block,
                "description": description,
                "region": region,
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("status", "router_id", "route_table_id", "create_time"),
            opts,
        )


class SandboxVSwitch(SandboxResource, module=MODULE, name=VSWITCH_TYPE):
    """A local stand-in for ``alicloud.vpc.Switch``, kept in the sandbox store.

    Outputs (as ``alicloud.vpc.Switch``'s): ``vpc_id``, ``cidr_block``, ``zone_id``,
    ``vswitch_name``, ``description``, ``tags``, ``status``, ``create_time``,
    ``available_ip_address_count``.
    """

    vpc_id: pulumi.Output[str]
    cidr_block: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    vswitch_name: pulumi.Output[str | None]
    description: pulumi.Output[str | None]
    tags: pulumi.Output[Mapping[str, str]]
    status: pulumi.Output[str]
    create_time: pulumi.Output[str]
    available_ip_address_count: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        *,
        vpc_id: pulumi.Input[str],
        cidr_block: pulumi.Input[str],
        zone_id: pulumi.Input[str],
        vswitch_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox vSwitch.

        Args:
            resource_name: the Pulumi name.
            vpc_id: the VPC (a ``SandboxVpc`` id); a change replaces the vSwitch.
            cidr_block: the CIDR, /16 to /29 inside the VPC; a change replaces the vSwitch.
            zone_id: the zone, of the VPC's region; a change replaces the vSwitch.
            vswitch_name: the cloud name.
            description: the description.
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            VSwitchProvider(),
            resource_name,
            {
                "vpc_id": vpc_id,
                "cidr_block": cidr_block,
                "zone_id": zone_id,
                "vswitch_name": vswitch_name,
                "description": description,
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("status", "create_time", "available_ip_address_count"),
            opts,
        )
