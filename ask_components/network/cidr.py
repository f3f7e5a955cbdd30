"""vSwitch CIDR planning: one vSwitch per zone, inside the VPC, disjoint and stable.

Pure: plain values in, a frozen plan out. No Pulumi.

Stability is the point. A vSwitch whose CIDR changes is *replaced*, and in ASK every pod holds
an IP of a vSwitch, so moving one means recreating every pod in it. The planner therefore
assigns each zone a fixed slot: zone *i* of the list gets slot *i*, so appending a zone never
moves the zones before it. Removing a zone from the middle would shift the zones after it; pin
their CIDRs (``pinned``) before removing one, and the planner keeps them where they are and puts
new zones in the lowest free slots.

vSwitch limits (Alibaba VPC docs, https://www.alibabacloud.com/help/en/vpc/user-guide/create-and-manage-vswitch):
a vSwitch mask is 16 to 29 bits and lies inside its VPC's CIDR.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ask_components.errors import AskError

MIN_VSWITCH_PREFIX = 16
"""Alibaba's smallest vSwitch mask (largest vSwitch): /16."""

MAX_VSWITCH_PREFIX = 29
"""Alibaba's largest vSwitch mask (smallest vSwitch): /29."""

ZONE_ROOM = 8
"""The default vSwitch size leaves room for at least this many zones in the VPC."""

_ROOM_BITS = (ZONE_ROOM - 1).bit_length()  # 3 bits -> 8 slots


class CidrPlanError(AskError, ValueError):
    """The requested vSwitch layout cannot be made; the message states the request and the limit."""


@dataclass(frozen=True)
class VSwitchPlan:
    """The vSwitch of one zone.

    Attributes:
        zone: the zone id (``cn-hangzhou-i``).
        cidr: the vSwitch CIDR (``10.0.0.0/19``).
        slot: the index of the CIDR among the VPC's equal-sized blocks.
    """

    zone: str
    cidr: str
    slot: int

    @property
    def usable_ips(self) -> int:
        """Usable addresses: Alibaba reserves the first and the last three of a vSwitch."""
        return int(ipaddress.ip_network(self.cidr).num_addresses) - 4


@dataclass(frozen=True)
class NetworkPlan:
    """A VPC's vSwitch layout.

    Attributes:
        vpc_cidr: the VPC CIDR.
        prefix_length: the mask of every vSwitch.
        vswitches: one plan per zone, in the order the zones were given.
    """

    vpc_cidr: str
    prefix_length: int
    vswitches: tuple[VSwitchPlan, ...]

    @property
    def capacity(self) -> int:
        """How many vSwitches of this size fit in the VPC."""
        return 1 << (self.prefix_length - ipaddress.ip_network(self.vpc_cidr).prefixlen)

    def layout(self) -> dict[str, str]:
        """Zone -> vSwitch CIDR, in zone order."""
        return {vsw.zone: vsw.cidr for vsw in self.vswitches}


def default_prefix_length(vpc_cidr: str) -> int:
    """The default vSwitch mask: room for ``ZONE_ROOM`` zones, within Alibaba's 16–29 range."""
    vpc_prefix = _parse_vpc(vpc_cidr).prefixlen
    return min(max(vpc_prefix + _ROOM_BITS, MIN_VSWITCH_PREFIX), MAX_VSWITCH_PREFIX)


def plan_vswitches(
    vpc_cidr: str,
    zones: Sequence[str],
    *,
    prefix_length: int | None = None,
    pinned: Mapping[str, str] | None = None,
) -> NetworkPlan:
    """Plan one vSwitch CIDR per zone.

    Args:
        vpc_cidr: the VPC's CIDR, e.g. ``10.0.0.0/16``.
        zones: the zones, in order; zone *i* takes slot *i* unless that slot is pinned to another.
        prefix_length: the vSwitch mask; default: room for 8 zones (``default_prefix_length``).
        pinned: zone -> CIDR to keep as it is (must be a block of this plan's size in the VPC).

    Returns:
        The frozen plan, one vSwitch per zone in the given order.

    Raises:
        CidrPlanError: duplicate zones, a mask outside 16–29 or wider than the VPC, more zones than
            fit, or a pinned CIDR that is not one of the plan's blocks.
    """
    vpc = _parse_vpc(vpc_cidr)
    if len(set(zones)) != len(zones):
        duplicates = sorted({zone for zone in zones if list(zones).count(zone) > 1})
        raise CidrPlanError(f"zones must be unique, got {', '.join(duplicates)} more than once")
    if not zones:
        raise CidrPlanError("at least one zone is needed to plan vSwitches")
    prefix = default_prefix_length(vpc_cidr) if prefix_length is None else prefix_length
    if not MIN_VSWITCH_PREFIX <= prefix <= MAX_VSWITCH_PREFIX:
        raise CidrPlanError(
            f"vSwitch mask /{prefix} is outside Alibaba's range "
            f"/{MIN_VSWITCH_PREFIX}../{MAX_VSWITCH_PREFIX}"
        )
    if prefix < vpc.prefixlen:
        raise CidrPlanError(f"vSwitch mask /{prefix} is wider than the VPC {vpc}")
    capacity = 1 << (prefix - vpc.prefixlen)
    if len(zones) > capacity:
        raise CidrPlanError(
            f"{len(zones)} zones do not fit: {vpc} holds {capacity} vSwitches of /{prefix}"
        )

    pinned_slots: dict[str, int] = {}
    for zone, cidr in (pinned or {}).items():
        if zone not in zones:
            raise CidrPlanError(f"pinned zone {zone} is not one of the zones ({', '.join(zones)})")
        pinned_slots[zone] = _slot_of(vpc, prefix, cidr, zone)
    taken = list(pinned_slots.values())
    if len(set(taken)) != len(taken):
        raise CidrPlanError("two pinned zones share one CIDR")

    used = set(taken)
    slots: dict[str, int] = {}
    for index, zone in enumerate(zones):
        if zone in pinned_slots:
            slots[zone] = pinned_slots[zone]
            continue
        slot = index
        while slot in used:
            slot += 1
        while slot >= capacity:
            # The positional slot is taken by a pin and the end is reached: take the lowest gap.
            slot = min(set(range(capacity)) - used)
        used.add(slot)
        slots[zone] = slot

    block = 1 << (32 - prefix)
    base = int(vpc.network_address)
    vswitches = tuple(
        VSwitchPlan(
            zone=zone,
            cidr=str(ipaddress.ip_network((base + slots[zone] * block, prefix))),
            slot=slots[zone],
        )
        for zone in zones
    )
    return NetworkPlan(vpc_cidr=str(vpc), prefix_length=prefix, vswitches=vswitches)


def _parse_vpc(vpc_cidr: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(vpc_cidr, strict=True)
    except ValueError as err:
        raise CidrPlanError(f"VPC CIDR {vpc_cidr!r} is not an IPv4 network: {err}") from None


def _slot_of(vpc: ipaddress.IPv4Network, prefix: int, cidr: str, zone: str) -> int:
    try:
        net = ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as err:
        raise CidrPlanError(f"pinned CIDR {cidr!r} of {zone} is not a network: {err}") from None
    if net.prefixlen != prefix or not net.subnet_of(vpc):
        raise CidrPlanError(f"pinned CIDR {cidr} of {zone} is not a /{prefix} block inside {vpc}")
    return (int(net.network_address) - int(vpc.network_address)) >> (32 - prefix)
