"""SandboxAlb provider: two zones, vSwitches of the VPC, DNS name, upgrade-only edition."""

from __future__ import annotations

import re

import pytest

from ask_components.errors import SandboxError
from ask_components.sandbox.alb import AlbProvider
from ask_components.sandbox.vpc import VSwitchProvider
from tests.sandbox.conftest import Sandbox

ZONE_I, ZONE_J = "cn-hangzhou-i", "cn-hangzhou-j"


def test_an_alb_over_two_zones_gets_alibabas_dns_name(sandbox: Sandbox) -> None:
    vpc_id, first, second = sandbox.network()
    alb = sandbox.alb(vpc_id, [(first, ZONE_I), (second, ZONE_J)], load_balancer_name="shop")
    assert re.match(r"^alb-[a-z0-9]{17,22}$", alb.id)
    outs = alb.outs or {}
    assert outs["dns_name"] == f"{alb.id}.cn-hangzhou.alb.aliyuncsslb.com"
    assert outs["status"] == "Active"
    record = sandbox.get(alb.id)
    assert record is not None
    assert record.name == "shop"
    assert set(record.refs) == {vpc_id, first, second}


@pytest.mark.parametrize(
    ("mappings", "message"),
    [
        (
            "one",
            "The param ZoneMappings is illegal: an ALB needs vSwitches in at least 2 zones, got 1 (cn-hangzhou-i).",
        ),
        (
            "same-zone",
            "The param ZoneMappings is illegal: zone cn-hangzhou-i is mapped more than once (one vSwitch per zone).",
        ),
    ],
)
def test_an_alb_needs_two_distinct_zones(sandbox: Sandbox, mappings: str, message: str) -> None:
    vpc_id, first, _ = sandbox.network()
    extra = sandbox.vswitch(vpc_id, "10.0.64.0/19", ZONE_I)
    pairs = [(first, ZONE_I)] if mappings == "one" else [(first, ZONE_I), (extra.id, ZONE_I)]
    with pytest.raises(SandboxError) as caught:
        sandbox.alb(vpc_id, pairs)
    assert (caught.value.code, caught.value.message) == ("InvalidParameter", message)
    assert sandbox.records("SandboxAlb") == []


def test_a_mapping_must_name_the_vswitchs_own_zone_and_vpc(sandbox: Sandbox) -> None:
    vpc_id, first, second = sandbox.network()
    with pytest.raises(SandboxError) as caught:
        sandbox.alb(vpc_id, [(first, ZONE_J), (second, ZONE_I)])
    assert caught.value.message == f"The vSwitch {first} is in zone {ZONE_I}, not {ZONE_J}."
    other = sandbox.vpc("192.168.0.0/16")
    other_vsw = sandbox.vswitch(other.id, "192.168.0.0/24", ZONE_J)
    with pytest.raises(SandboxError) as caught:
        sandbox.alb(vpc_id, [(first, ZONE_I), (other_vsw.id, ZONE_J)])
    assert (
        caught.value.message == f"The vSwitch {other_vsw.id} does not belong to the VPC {vpc_id}."
    )


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"load_balancer_edition": "StandardWithWaf"}, []),
        ({"load_balancer_name": "renamed"}, []),
        ({"address_type": "Intranet"}, []),
        ({"vpc_id": "vpc-other"}, ["vpc_id"]),
        ({"address_allocated_mode": "Fixed"}, ["address_allocated_mode"]),
    ],
)
def test_alb_diff(sandbox: Sandbox, change: dict[str, str], replaces: list[str]) -> None:
    vpc_id, first, second = sandbox.network()
    alb = sandbox.alb(vpc_id, [(first, ZONE_I), (second, ZONE_J)], address_allocated_mode="Dynamic")
    olds = dict(alb.outs or {})
    diff = AlbProvider().diff(alb.id, olds, {**olds, **change})
    assert (diff.changes, diff.replaces) == (True, replaces)


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("Basic", "Standard", True),
        ("Basic", "StandardWithWaf", True),
        ("Standard", "StandardWithWaf", True),
        ("StandardWithWaf", "Standard", True),
        ("Standard", "Basic", False),
        ("StandardWithWaf", "Basic", False),
    ],
)
def test_the_edition_is_only_upgraded(sandbox: Sandbox, old: str, new: str, allowed: bool) -> None:
    vpc_id, first, second = sandbox.network()
    alb = sandbox.alb(vpc_id, [(first, ZONE_I), (second, ZONE_J)], load_balancer_edition=old)
    olds = dict(alb.outs or {})
    news = {**olds, "load_balancer_edition": new}
    if allowed:
        result = AlbProvider().update(alb.id, olds, news)
        assert (result.outs or {})["load_balancer_edition"] == new
        assert (result.outs or {})["dns_name"] == olds["dns_name"]
        return
    with pytest.raises(SandboxError) as caught:
        AlbProvider().update(alb.id, olds, news)
    assert caught.value.code == "OperationDenied"
    assert caught.value.message.startswith(
        f"The edition of {alb.id} cannot change from {old} to Basic"
    )
    record = sandbox.get(alb.id)
    assert record is not None
    assert record.state["load_balancer_edition"] == old


def test_moving_an_alb_to_a_third_zone_updates_its_references(sandbox: Sandbox) -> None:
    vpc_id, first, second = sandbox.network()
    third = sandbox.vswitch(vpc_id, "10.0.64.0/19", "cn-hangzhou-k")
    alb = sandbox.alb(vpc_id, [(first, ZONE_I), (second, ZONE_J)])
    olds = dict(alb.outs or {})
    news = {
        **olds,
        "zone_mappings": [
            {"vswitch_id": second, "zone_id": ZONE_J},
            {"vswitch_id": third.id, "zone_id": "cn-hangzhou-k"},
        ],
    }
    AlbProvider().update(alb.id, olds, news)
    record = sandbox.get(alb.id)
    assert record is not None
    assert set(record.refs) == {vpc_id, second, third.id}
    # The vSwitch it left can go; the ones it uses cannot.
    props = {"sandbox_state": sandbox.state}
    VSwitchProvider().delete(first, props)
    with pytest.raises(
        SandboxError,
        match=rf"^DependencyViolation: .*\({third.id} is used by SandboxAlb {alb.id}\)$",
    ):
        VSwitchProvider().delete(third.id, props)
