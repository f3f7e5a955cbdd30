"""SandboxVpc and SandboxVSwitch providers: Alibaba's ids, CIDR rules, diffs and dependencies."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ask_components.errors import SandboxError
from ask_components.sandbox._base import UNKNOWN
from ask_components.sandbox.vpc import VpcProvider, VSwitchProvider
from tests.sandbox.conftest import Sandbox

VPC_ID = re.compile(r"^vpc-[a-z0-9]{17,22}$")
VSW_ID = re.compile(r"^vsw-[a-z0-9]{17,22}$")


def test_a_vpc_gets_an_alibaba_id_and_the_alicloud_outputs(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc("10.0.0.0/16", description="shop", tags={"team": "a"})
    assert VPC_ID.match(vpc.id)
    suffix = vpc.id.removeprefix("vpc-")
    outs = dict(vpc.outs or {})
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", outs.pop("create_time"))
    assert outs == {
        "vpc_name": "shop-vpc",
        "cidr_block": "10.0.0.0/16",
        "description": "shop",
        "region": "cn-hangzhou",
        "tags": {"team": "a"},
        "status": "Available",
        "router_id": f"vrt-{suffix}",
        "route_table_id": f"vtb-{suffix}",
        "sandbox_state": sandbox.state,
    }
    [record] = sandbox.records()
    assert (record.id, record.type, record.name) == (vpc.id, "SandboxVpc", "shop-vpc")
    assert "sandbox_state" not in record.state


def test_read_returns_the_stored_state_and_nothing_once_gone(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc()
    props = {"sandbox_state": sandbox.state}
    read = VpcProvider().read(vpc.id, props)
    assert (read.id, read.outs) == (vpc.id, vpc.outs)
    VpcProvider().delete(vpc.id, props)
    gone = VpcProvider().read(vpc.id, props)
    assert (gone.id, gone.outs) == ("", {})
    VpcProvider().delete(vpc.id, props)  # deleting again is not an error


@pytest.mark.parametrize(
    ("cidr", "code", "detail"),
    [
        ("10.0.0.1/16", "InvalidCidrBlock.Malformed", "(10.0.0.1/16)"),
        ("8.8.0.0/16", "InvalidCidrBlock.Malformed", "8.8.0.0/16: a VPC takes 10.0.0.0/8"),
        ("10.0.0.0/29", "InvalidCidrBlock.Malformed", "mask /8 to /28"),
        ("10.0.0.0", "InvalidCidrBlock.Malformed", "mask /8 to /28"),
    ],
)
def test_vpc_cidr_rules(sandbox: Sandbox, cidr: str, code: str, detail: str) -> None:
    with pytest.raises(SandboxError) as caught:
        sandbox.vpc(cidr)
    assert caught.value.code == code
    assert caught.value.message.startswith("Specified CIDR block is not valid.")
    assert detail in caught.value.message
    assert sandbox.records() == []


def test_the_unknown_marker_is_pulumis() -> None:
    from pulumi.runtime import rpc

    assert UNKNOWN == rpc.UNKNOWN


def test_check_reports_every_failure_and_skips_unknowns() -> None:
    provider = VpcProvider()
    result = provider.check(
        {}, {"cidr_block": "10.0.0.1/16", "vpc_name": "http://x", "sandbox_state": "s"}
    )
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "cidr_block",
            "InvalidCidrBlock.Malformed: Specified CIDR block is not valid. (10.0.0.1/16)",
        ),
        ("region", "MissingParameter: RegionId is mandatory."),
        ("vpc_name", "InvalidVpcName.Malformed: Specified VPC name is not valid. ('http://x')"),
    ]
    preview = provider.check({}, {"cidr_block": UNKNOWN, "region": UNKNOWN, "sandbox_state": "s"})
    assert preview.failures == []


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"vpc_name": "renamed"}, []),
        ({"description": "new"}, []),
        ({"tags": {"team": "b"}}, []),
        ({"cidr_block": "10.1.0.0/16"}, ["cidr_block"]),
        ({"cidr_block": UNKNOWN}, ["cidr_block"]),
        ({"region": "cn-shanghai"}, ["region"]),
        ({"sandbox_state": "elsewhere.db"}, ["sandbox_state"]),
    ],
)
def test_vpc_diff(sandbox: Sandbox, change: dict[str, object], replaces: list[str]) -> None:
    vpc = sandbox.vpc()
    olds = dict(vpc.outs or {})
    diff = VpcProvider().diff(vpc.id, olds, {**olds, **change})
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, replaces, False)


def test_vpc_diff_without_changes(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc()
    olds = dict(vpc.outs or {})
    # An empty value is an unset one, and a re-pickled provider is not a change of the VPC.
    diff = VpcProvider().diff(vpc.id, olds, {**olds, "description": "", "__provider": "new"})
    assert (diff.changes, diff.replaces) == (False, [])


def test_a_vpc_rename_updates_in_place(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc()
    news = {**(vpc.outs or {}), "vpc_name": "renamed"}
    result = VpcProvider().update(vpc.id, dict(vpc.outs or {}), news)
    assert result.outs is not None
    assert result.outs["vpc_name"] == "renamed"
    assert result.outs["router_id"] == (vpc.outs or {})["router_id"]
    record = sandbox.get(vpc.id)
    assert record is not None
    assert (record.name, record.state["vpc_name"]) == ("renamed", "renamed")


def test_a_vswitch_inside_its_vpc(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc()
    vsw = sandbox.vswitch(vpc.id, "10.0.0.0/19", "cn-hangzhou-i", vswitch_name="shop-i")
    assert VSW_ID.match(vsw.id)
    outs = vsw.outs or {}
    assert outs["vpc_id"] == vpc.id
    assert outs["zone_id"] == "cn-hangzhou-i"
    assert outs["status"] == "Available"
    assert outs["available_ip_address_count"] == 8192 - 4
    record = sandbox.get(vsw.id)
    assert record is not None
    assert record.refs == (vpc.id,)


@pytest.mark.parametrize(
    ("cidr", "zone", "code", "message"),
    [
        (
            "10.0.16.0/20",
            "cn-hangzhou-i",
            "InvalidCidrBlock.Overlapped",
            "Specified CIDR block overlapped with other subnets. (10.0.16.0/20 overlaps 10.0.0.0/19 of vsw-",
        ),
        (
            "10.1.0.0/19",
            "cn-hangzhou-i",
            "InvalidParameter",
            "Specified CIDR block is not valid in VPC. (10.1.0.0/19 is not inside 10.0.0.0/16)",
        ),
        (
            "10.0.64.0/30",
            "cn-hangzhou-i",
            "InvalidCirdrBlock.MaskLength",
            "Specified CIDR block is not valid . (10.0.64.0/30: a vSwitch mask is /16 to /29)",
        ),
        (
            "10.0.0.0/15",
            "cn-hangzhou-i",
            "InvalidCirdrBlock.MaskLength",
            "Specified CIDR block is not valid . (10.0.0.0/15: a vSwitch mask is /16 to /29)",
        ),
        (
            "10.0.64.0/19",
            "cn-shanghai-a",
            "InvalidZoneId.NotFound",
            "Specified zone does not exist. (cn-shanghai-a is not a zone of cn-hangzhou)",
        ),
        (
            "10.0.64.1/19",
            "cn-hangzhou-i",
            "InvalidCidrBlock.Malformed",
            "Specified CIDR block is not valid. (10.0.64.1/19)",
        ),
    ],
)
def test_vswitch_rules(sandbox: Sandbox, cidr: str, zone: str, code: str, message: str) -> None:
    vpc = sandbox.vpc()
    sandbox.vswitch(vpc.id, "10.0.0.0/19")
    with pytest.raises(SandboxError) as caught:
        sandbox.vswitch(vpc.id, cidr, zone)
    assert caught.value.code == code
    assert caught.value.message.startswith(message)
    assert len(sandbox.records("SandboxVSwitch")) == 1


def test_vswitch_masks_16_and_29_are_the_limits(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc("10.0.0.0/15")
    sandbox.vswitch(vpc.id, "10.0.0.0/16")
    sandbox.vswitch(vpc.id, "10.1.0.0/29")
    assert len(sandbox.records("SandboxVSwitch")) == 2


def test_a_vswitch_needs_an_existing_vpc(sandbox: Sandbox) -> None:
    with pytest.raises(
        SandboxError, match=r"^InvalidVpcId.NotFound: Specified VPC does not exist\. \(vpc-nope\)$"
    ):
        sandbox.vswitch("vpc-nope", "10.0.0.0/19")


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"vswitch_name": "renamed"}, []),
        ({"cidr_block": "10.0.64.0/19"}, ["cidr_block"]),
        ({"zone_id": "cn-hangzhou-j"}, ["zone_id"]),
        ({"vpc_id": "vpc-other"}, ["vpc_id"]),
        ({"vpc_id": UNKNOWN, "cidr_block": "10.0.64.0/19"}, ["vpc_id", "cidr_block"]),
    ],
)
def test_vswitch_diff(sandbox: Sandbox, change: dict[str, object], replaces: list[str]) -> None:
    vpc = sandbox.vpc()
    vsw = sandbox.vswitch(vpc.id, "10.0.0.0/19")
    olds = dict(vsw.outs or {})
    diff = VSwitchProvider().diff(vsw.id, olds, {**olds, **change})
    assert (diff.changes, diff.replaces) == (True, replaces)


def test_a_vpc_with_vswitches_cannot_be_deleted(sandbox: Sandbox) -> None:
    vpc_id, first, second = sandbox.network()
    props = {"sandbox_state": sandbox.state}
    with pytest.raises(SandboxError) as caught:
        VpcProvider().delete(vpc_id, props)
    assert caught.value.code == "DependencyViolation.VSwitch"
    assert caught.value.message == (
        f"Specified object has dependent resources. (vSwitches still exist in {vpc_id}: "
        f"{first}, {second})"
    )
    VSwitchProvider().delete(first, props)
    VSwitchProvider().delete(second, props)
    VpcProvider().delete(vpc_id, props)
    assert sandbox.records() == []


def test_a_vswitch_used_by_a_nat_gateway_cannot_be_deleted(sandbox: Sandbox) -> None:
    vpc_id, first, _ = sandbox.network()
    nat = sandbox.nat(vpc_id, first)
    with pytest.raises(SandboxError) as caught:
        VSwitchProvider().delete(first, {"sandbox_state": sandbox.state})
    assert caught.value.code == "DependencyViolation"
    assert caught.value.message == (
        f"Specified object has dependent resources. ({first} is used by SandboxNatGateway {nat.id})"
    )
    # The NAT gateway also holds the VPC.
    with pytest.raises(SandboxError, match=r"^DependencyViolation.VSwitch: "):
        VpcProvider().delete(vpc_id, {"sandbox_state": sandbox.state})


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attempts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=255), st.integers(min_value=16, max_value=29)),
        min_size=1,
        max_size=12,
    )
)
def test_stored_vswitches_are_always_inside_the_vpc_and_disjoint(
    tmp_path_factory: pytest.TempPathFactory, attempts: list[tuple[int, int]]
) -> None:
    sandbox = Sandbox(str(tmp_path_factory.mktemp("prop") / "state.db"))
    vpc = sandbox.vpc("10.0.0.0/16")
    refusals = set()
    for third_octet, prefix in attempts:
        cidr = ipaddress.IPv4Network((f"10.0.{third_octet}.0", prefix), strict=False)
        try:
            sandbox.vswitch(vpc.id, str(cidr))
        except SandboxError as err:
            refusals.add(err.code)
    assert refusals <= {"InvalidCidrBlock.Overlapped"}
    nets = [ipaddress.IPv4Network(r.state["cidr_block"]) for r in sandbox.records("SandboxVSwitch")]
    assert all(net.subnet_of(ipaddress.IPv4Network("10.0.0.0/16")) for net in nets)
    assert all(not a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
