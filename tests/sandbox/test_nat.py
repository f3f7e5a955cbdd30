"""SandboxNatGateway and SandboxEip providers: NAT rules, EIP addresses, binding."""

from __future__ import annotations

import re

import pytest

from ask_components.errors import SandboxError
from ask_components.sandbox.ids import EIP_RANGES
from ask_components.sandbox.nat import EipProvider, NatGatewayProvider
from ask_components.sandbox.store import SandboxStore
from tests.sandbox.conftest import Sandbox


def test_a_nat_gateway_in_a_vswitch_of_its_vpc(sandbox: Sandbox) -> None:
    vpc_id, first, _ = sandbox.network()
    nat = sandbox.nat(vpc_id, first, nat_gateway_name="shop-nat")
    assert re.match(r"^ngw-[a-z0-9]{17,22}$", nat.id)
    suffix = nat.id.removeprefix("ngw-")
    outs = nat.outs or {}
    assert outs["snat_table_ids"] == f"stb-{suffix}"
    assert outs["forward_table_ids"] == f"ftb-{suffix}"
    assert (outs["status"], outs["nat_type"], outs["vswitch_id"]) == (
        "Available",
        "Enhanced",
        first,
    )
    record = sandbox.get(nat.id)
    assert record is not None
    assert (record.name, record.refs) == ("shop-nat", tuple(sorted([vpc_id, first])))


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"nat_type": "Normal"},
            "InvalidParameter",
            "The specified nat_type 'Normal' is not valid; use one of Enhanced.",
        ),
        (
            {"internet_charge_type": "PayBySpec"},
            "InvalidParameter",
            "The specified internet_charge_type 'PayBySpec' is not valid; use one of PayByLcu.",
        ),
        (
            {"network_type": "public"},
            "InvalidParameter",
            "The specified network_type 'public' is not valid; use one of internet, intranet.",
        ),
    ],
)
def test_nat_gateway_rules(
    sandbox: Sandbox, change: dict[str, str], code: str, message: str
) -> None:
    vpc_id, first, _ = sandbox.network()
    with pytest.raises(SandboxError) as caught:
        sandbox.nat(vpc_id, first, **change)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_a_nat_gateway_needs_a_vswitch_of_its_own_vpc(sandbox: Sandbox) -> None:
    vpc_id, _, _ = sandbox.network()
    other_vpc = sandbox.vpc("192.168.0.0/16")
    other_vsw = sandbox.vswitch(other_vpc.id, "192.168.0.0/24")
    with pytest.raises(SandboxError) as caught:
        sandbox.nat(vpc_id, other_vsw.id)
    assert caught.value.code == "InvalidParameter"
    assert caught.value.message == (
        f"The specified vSwitch does not belong to the VPC. ({other_vsw.id} is in "
        f"{other_vpc.id}, not {vpc_id})"
    )
    with pytest.raises(SandboxError, match=r"^InvalidVSwitchId.NotFound: "):
        sandbox.nat(vpc_id, "vsw-nope")


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"nat_gateway_name": "renamed"}, []),
        ({"vswitch_id": "vsw-other"}, ["vswitch_id"]),
        ({"vpc_id": "vpc-other"}, ["vpc_id"]),
        ({"network_type": "intranet"}, ["network_type"]),
    ],
)
def test_nat_gateway_diff(sandbox: Sandbox, change: dict[str, str], replaces: list[str]) -> None:
    vpc_id, first, _ = sandbox.network()
    nat = sandbox.nat(vpc_id, first)
    olds = dict(nat.outs or {})
    diff = NatGatewayProvider().diff(nat.id, olds, {**olds, **change})
    assert (diff.changes, diff.replaces) == (True, replaces)


def test_eips_get_unique_documentation_addresses_lowest_first(sandbox: Sandbox) -> None:
    first, second, third = (sandbox.eip() for _ in range(3))
    assert [(e.outs or {})["ip_address"] for e in (first, second, third)] == [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
    ]
    assert all(re.match(r"^eip-[a-z0-9]{17,22}$", e.id) for e in (first, second, third))
    EipProvider().delete(second.id, {"sandbox_state": sandbox.state})
    assert (sandbox.eip().outs or {})["ip_address"] == "198.51.100.2"


def test_the_second_documentation_range_then_the_quota(sandbox: Sandbox) -> None:
    hosts = [str(ip) for net in EIP_RANGES for ip in net.hosts()]
    assert len(hosts) == 508
    with SandboxStore(sandbox.state) as store, store.transaction() as tx:
        for index, address in enumerate(hosts[:254]):
            tx.insert(f"eip-{index:021d}", "SandboxEip", "", {"ip_address": address})
    assert (sandbox.eip().outs or {})["ip_address"] == "203.0.113.1"
    with SandboxStore(sandbox.state) as store, store.transaction() as tx:
        for index, address in enumerate(hosts[255:], start=255):
            tx.insert(f"eip-{index:021d}", "SandboxEip", "", {"ip_address": address})
    with pytest.raises(SandboxError) as caught:
        sandbox.eip()
    assert caught.value.code == "QuotaExceeded.Eip"
    assert caught.value.message == (
        "The EIP quota is exceeded. (all 508 documentation addresses are taken)"
    )


@pytest.mark.parametrize(
    ("bandwidth", "charge", "ok"),
    [
        ("1", "PayByTraffic", True),
        ("200", "PayByTraffic", True),
        ("201", "PayByTraffic", False),
        ("500", "PayByBandwidth", True),
        ("501", "PayByBandwidth", False),
        ("0", "PayByBandwidth", False),
        ("1.5", "PayByTraffic", False),
        (100.0, "PayByTraffic", True),
    ],
)
def test_eip_bandwidth_limits(sandbox: Sandbox, bandwidth: object, charge: str, ok: bool) -> None:
    if ok:
        sandbox.eip(bandwidth=bandwidth, internet_charge_type=charge)
        return
    with pytest.raises(SandboxError) as caught:
        sandbox.eip(bandwidth=bandwidth, internet_charge_type=charge)
    assert caught.value.code == "InvalidParameter"
    assert caught.value.message.startswith(
        f"The specified bandwidth is not valid. ({bandwidth!r}: 1 to "
    )


def test_binding_an_eip_to_a_nat_gateway(sandbox: Sandbox) -> None:
    vpc_id, first, _ = sandbox.network()
    nat = sandbox.nat(vpc_id, first)
    eip = sandbox.eip(instance_id=nat.id, instance_type="Nat")
    assert (eip.outs or {})["status"] == "InUse"
    props = {"sandbox_state": sandbox.state}
    with pytest.raises(SandboxError) as caught:
        NatGatewayProvider().delete(nat.id, props)
    assert caught.value.message == (
        f"Specified object has dependent resources. (EIPs {eip.id} are still bound to {nat.id})"
    )

    # Unbinding is an update, not a replacement; then the gateway can go.
    olds = dict(eip.outs or {})
    news = {**olds, "instance_id": None, "instance_type": None}
    diff = EipProvider().diff(eip.id, olds, news)
    assert (diff.changes, diff.replaces) == (True, [])
    updated = EipProvider().update(eip.id, olds, news)
    assert (updated.outs or {})["status"] == "Available"
    assert (updated.outs or {})["ip_address"] == olds["ip_address"]
    NatGatewayProvider().delete(nat.id, props)


def test_an_eip_binds_only_to_an_existing_internet_nat_gateway(sandbox: Sandbox) -> None:
    with pytest.raises(
        SandboxError,
        match=r"^InvalidInstanceId.NotFound: Specified instance does not exist\. \(ngw-nope\)$",
    ):
        sandbox.eip(instance_id="ngw-nope", instance_type="Nat")
    vpc_id, first, _ = sandbox.network()
    intranet = sandbox.nat(vpc_id, first, network_type="intranet")
    with pytest.raises(
        SandboxError, match=r"^OperationDenied: An EIP cannot be bound to the intranet"
    ):
        sandbox.eip(instance_id=intranet.id, instance_type="Nat")
    with pytest.raises(
        SandboxError, match=r"^InvalidParameter: The specified instance_type 'EcsInstance'"
    ):
        sandbox.eip(instance_id=intranet.id, instance_type="EcsInstance")
