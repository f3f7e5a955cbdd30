"""plan_vswitches: tables of exact layouts plus properties (inside, disjoint, stable)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.network.cidr import CidrPlanError, default_prefix_length, plan_vswitches

ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k", "cn-hangzhou-h", "cn-hangzhou-g"]


@pytest.mark.parametrize(
    ("vpc", "zones", "prefix", "expected"),
    [
        ("10.0.0.0/16", 1, None, ["10.0.0.0/19"]),
        ("10.0.0.0/16", 3, None, ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]),
        ("172.16.0.0/12", 2, None, ["172.16.0.0/16", "172.17.0.0/16"]),
        ("10.0.0.0/8", 2, None, ["10.0.0.0/16", "10.1.0.0/16"]),
        ("192.168.0.0/24", 2, None, ["192.168.0.0/27", "192.168.0.32/27"]),
        ("192.168.0.0/16", 2, 24, ["192.168.0.0/24", "192.168.1.0/24"]),
        (
            "10.10.0.0/16",
            5,
            20,
            ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20", "10.10.48.0/20", "10.10.64.0/20"],
        ),
    ],
)
def test_layouts(vpc: str, zones: int, prefix: int | None, expected: list[str]) -> None:
    plan = plan_vswitches(vpc, ZONES[:zones], prefix_length=prefix)
    assert [vsw.cidr for vsw in plan.vswitches] == expected
    assert [vsw.zone for vsw in plan.vswitches] == ZONES[:zones]
    assert [vsw.slot for vsw in plan.vswitches] == list(range(zones))


@pytest.mark.parametrize(
    ("vpc", "expected"),
    [
        ("10.0.0.0/8", 16),
        ("10.0.0.0/12", 16),
        ("10.0.0.0/13", 16),
        ("10.0.0.0/16", 19),
        ("10.0.0.0/20", 23),
        ("192.168.0.0/24", 27),
    ],
)
def test_default_prefix_leaves_room_for_eight_zones(vpc: str, expected: int) -> None:
    assert default_prefix_length(vpc) == expected
    assert plan_vswitches(vpc, [f"z{i}" for i in range(8)]).capacity >= 8


def test_usable_ips_leave_out_the_four_reserved() -> None:
    plan = plan_vswitches("10.0.0.0/16", ZONES[:1])
    assert plan.vswitches[0].usable_ips == 8188
    assert plan.layout() == {"cn-hangzhou-i": "10.0.0.0/19"}


def test_pinned_zones_keep_their_cidr_when_a_zone_is_removed() -> None:
    before = plan_vswitches("10.0.0.0/16", ZONES[:3]).layout()
    after = plan_vswitches(
        "10.0.0.0/16",
        ZONES[1:4],
        pinned={ZONES[1]: before[ZONES[1]], ZONES[2]: before[ZONES[2]]},
    ).layout()
    assert after == {
        "cn-hangzhou-j": "10.0.32.0/19",
        "cn-hangzhou-k": "10.0.64.0/19",
        "cn-hangzhou-h": "10.0.96.0/19",
    }


def test_an_unpinned_zone_takes_the_lowest_free_slot_when_its_own_is_pinned_away() -> None:
    plan = plan_vswitches("10.0.0.0/16", ["a", "b"], pinned={"b": "10.0.0.0/19"})
    assert plan.layout() == {"a": "10.0.32.0/19", "b": "10.0.0.0/19"}


def test_a_full_vpc_with_the_last_slot_pinned_wraps_to_the_first_gap() -> None:
    # Eight /19s fill the /16. Zone a is pinned to the last block, so zone h's own slot (7) is
    # taken and the next one (8) is past the end: it must wrap to the gap at slot 0, never to
    # 10.1.0.0/19, outside the VPC (the boundary is `slot >= capacity`).
    zones = list("abcdefgh")
    plan = plan_vswitches("10.0.0.0/16", zones, pinned={"a": "10.0.224.0/19"})
    assert plan.layout() == {
        "a": "10.0.224.0/19",
        "b": "10.0.32.0/19",
        "c": "10.0.64.0/19",
        "d": "10.0.96.0/19",
        "e": "10.0.128.0/19",
        "f": "10.0.160.0/19",
        "g": "10.0.192.0/19",
        "h": "10.0.0.0/19",
    }
    assert [vsw.slot for vsw in plan.vswitches] == [7, 1, 2, 3, 4, 5, 6, 0]


@pytest.mark.parametrize(
    ("vpc", "zones", "kwargs", "message"),
    [
        ("10.0.0.0/16", ["a", "a"], {}, "zones must be unique, got a more than once"),
        ("10.0.0.0/16", [], {}, "at least one zone is needed to plan vSwitches"),
        (
            "10.0.0.0/16",
            ["a"],
            {"prefix_length": 30},
            "vSwitch mask /30 is outside Alibaba's range /16../29",
        ),
        (
            "10.0.0.0/16",
            ["a"],
            {"prefix_length": 15},
            "vSwitch mask /15 is outside Alibaba's range /16../29",
        ),
        (
            "10.0.0.0/20",
            ["a"],
            {"prefix_length": 16},
            "vSwitch mask /16 is wider than the VPC 10.0.0.0/20",
        ),
        (
            "10.0.0.0/16",
            ["a", "b", "c"],
            {"prefix_length": 17},
            "3 zones do not fit: 10.0.0.0/16 holds 2 vSwitches of /17",
        ),
        (
            "10.0.0.1/16",
            ["a"],
            {},
            "VPC CIDR '10.0.0.1/16' is not an IPv4 network: 10.0.0.1/16 has host bits set",
        ),
        (
            "10.0.0.0/16",
            ["a"],
            {"pinned": {"b": "10.0.0.0/19"}},
            "pinned zone b is not one of the zones (a)",
        ),
        (
            "10.0.0.0/16",
            ["a"],
            {"pinned": {"a": "10.1.0.0/19"}},
            "pinned CIDR 10.1.0.0/19 of a is not a /19 block inside 10.0.0.0/16",
        ),
        (
            "10.0.0.0/16",
            ["a", "b"],
            {"pinned": {"a": "10.0.0.0/19", "b": "10.0.0.0/19"}},
            "two pinned zones share one CIDR",
        ),
    ],
)
def test_errors_state_the_request_and_the_limit(
    vpc: str, zones: list[str], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_vswitches(vpc, zones, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


vpcs = st.builds(
    lambda base, prefix: str(ipaddress.ip_network((base, prefix), strict=False)),
    st.sampled_from(["10.0.0.0", "172.16.0.0", "192.168.0.0", "10.128.0.0"]),
    st.integers(min_value=12, max_value=24),
)


@given(vpc=vpcs, count=st.integers(min_value=1, max_value=8))
def test_vswitches_are_inside_the_vpc_and_disjoint(vpc: str, count: int) -> None:
    plan = plan_vswitches(vpc, [f"zone-{i}" for i in range(count)])
    nets = [ipaddress.ip_network(vsw.cidr) for vsw in plan.vswitches]
    parent = ipaddress.ip_network(vpc)
    assert all(net.subnet_of(parent) for net in nets)  # type: ignore[arg-type]
    assert all(16 <= net.prefixlen <= 29 for net in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])


@given(vpc=vpcs, count=st.integers(min_value=1, max_value=7))
def test_appending_a_zone_never_moves_the_others(vpc: str, count: int) -> None:
    zones = [f"zone-{i}" for i in range(count)]
    before = plan_vswitches(vpc, zones).layout()
    after = plan_vswitches(vpc, [*zones, "zone-new"]).layout()
    assert {zone: after[zone] for zone in zones} == before


def test_egress_gateways_per_strategy() -> None:
    from ask_components.network.network import egress_gateways

    zones = ["cn-hangzhou-i", "cn-hangzhou-j"]
    assert egress_gateways("none", zones) == []
    assert egress_gateways("single", zones) == [("", "cn-hangzhou-i", zones)]
    assert egress_gateways("per-zone", zones) == [
        ("-cn-hangzhou-i", "cn-hangzhou-i", ["cn-hangzhou-i"]),
        ("-cn-hangzhou-j", "cn-hangzhou-j", ["cn-hangzhou-j"]),
    ]
