"""SandboxPrivateZone and SandboxZoneRecord providers: ids, record rules, record_count."""

from __future__ import annotations

import re

import pytest

from ask_components.errors import SandboxError
from ask_components.sandbox.pvtz import PrivateZoneProvider, ZoneRecordProvider
from ask_components.sandbox.vpc import VpcProvider
from tests.sandbox.conftest import Sandbox


def test_a_zone_attached_to_a_vpc(sandbox: Sandbox) -> None:
    vpc = sandbox.vpc()
    zone = sandbox.zone("shop.internal", vpc_ids=[vpc.id])
    assert re.match(r"^[0-9a-f]{32}$", zone.id)
    outs = zone.outs or {}
    assert (outs["record_count"], outs["is_ptr"], outs["vpc_ids"]) == (0, False, [vpc.id])
    record = sandbox.get(zone.id)
    assert record is not None
    assert (record.name, record.refs) == ("shop.internal", (vpc.id,))
    # The attachment holds the VPC, as a vSwitch would.
    with pytest.raises(SandboxError, match=r"^DependencyViolation.Instance: "):
        VpcProvider().delete(vpc.id, {"sandbox_state": sandbox.state})
    assert (sandbox.zone("10.in-addr.arpa").outs or {})["is_ptr"] is True


def test_a_zone_needs_a_valid_name_and_existing_vpcs(sandbox: Sandbox) -> None:
    with pytest.raises(
        SandboxError, match=r"^InvalidParameter: The zone name is invalid\. \('-bad\.internal'\)$"
    ):
        sandbox.zone("-bad.internal")
    with pytest.raises(
        SandboxError, match=r"^InvalidVpcId.NotFound: Specified VPC does not exist\. \(vpc-nope\)$"
    ):
        sandbox.zone("shop.internal", vpc_ids=["vpc-nope"])


def test_records_count_and_hold_their_zone(sandbox: Sandbox) -> None:
    zone = sandbox.zone()
    web = sandbox.record(zone.id, "www", "A", "10.0.0.5", ttl=60.0)
    sandbox.record(zone.id, "api", "CNAME", "www.shop.internal")
    assert re.match(rf"^\d{{11}}:{zone.id}$", web.id)
    outs = web.outs or {}
    assert outs["record_id"] == web.id.split(":")[0]
    assert (outs["ttl"], type(outs["ttl"]), outs["status"]) == (60, int, "ENABLE")
    stored = sandbox.get(zone.id)
    assert stored is not None
    assert stored.state["record_count"] == 2
    assert (PrivateZoneProvider().read(zone.id, {"sandbox_state": sandbox.state}).outs or {})[
        "record_count"
    ] == 2

    props = {"sandbox_state": sandbox.state}
    with pytest.raises(SandboxError) as caught:
        PrivateZoneProvider().delete(zone.id, props)
    assert caught.value.message == "The zone shop.internal (" + zone.id + ") still has 2 records."
    ZoneRecordProvider().delete(web.id, {**props, "zone_id": zone.id})
    stored = sandbox.get(zone.id)
    assert stored is not None
    assert stored.state["record_count"] == 1


@pytest.mark.parametrize(
    ("rr", "kind", "value", "extra", "message"),
    [
        (
            "www",
            "AAAA",
            "::1",
            {},
            "The record type 'AAAA' is invalid; use one of A, CNAME, TXT, MX, PTR, SRV.",
        ),
        ("www", "A", "not-an-ip", {}, "An A record needs an IPv4 address. ('not-an-ip')"),
        ("bad_label", "A", "10.0.0.1", {}, "The rr is invalid. ('bad_label')"),
        ("www", "A", "10.0.0.1", {"priority": 5}, "priority is for MX records only."),
        (
            "@",
            "MX",
            "mail.shop.internal",
            {"priority": 100},
            "The MX priority is invalid. (100: 1 to 99)",
        ),
        ("www", "A", "10.0.0.1", {"ttl": 0}, "The TTL is invalid. (0: 1 to 86400)"),
    ],
)
def test_record_rules(
    sandbox: Sandbox, rr: str, kind: str, value: str, extra: dict[str, int], message: str
) -> None:
    zone = sandbox.zone()
    with pytest.raises(SandboxError) as caught:
        sandbox.record(zone.id, rr, kind, value, **extra)
    assert (caught.value.code, caught.value.message) == ("InvalidParameter", message)


def test_duplicates_and_cname_conflicts_are_refused(sandbox: Sandbox) -> None:
    zone = sandbox.zone()
    first = sandbox.record(zone.id, "www", "A", "10.0.0.5")
    sandbox.record(zone.id, "www", "A", "10.0.0.6")  # round robin is fine
    with pytest.raises(SandboxError) as caught:
        sandbox.record(zone.id, "WWW", "A", "10.0.0.5")
    assert caught.value.message == f"The record already exists. (www A 10.0.0.5 is {first.id})"
    with pytest.raises(
        SandboxError, match=r"A CNAME record cannot share its name with another record\. \(www: A "
    ):
        sandbox.record(zone.id, "www", "CNAME", "web.shop.internal")
    with pytest.raises(
        SandboxError, match=r"^InvalidZoneId.NotFound: Specified zone does not exist\. \(nope\)$"
    ):
        sandbox.record("nope", "www", "A", "10.0.0.5")


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"value": "10.0.0.9"}, []),
        ({"rr": "web"}, []),
        ({"ttl": 300}, []),
        ({"zone_id": "0" * 32}, ["zone_id"]),
    ],
)
def test_record_diff(sandbox: Sandbox, change: dict[str, object], replaces: list[str]) -> None:
    zone = sandbox.zone()
    record = sandbox.record(zone.id, "www", "A", "10.0.0.5")
    olds = dict(record.outs or {})
    diff = ZoneRecordProvider().diff(record.id, olds, {**olds, **change})
    assert (diff.changes, diff.replaces) == (True, replaces)


def test_a_zone_rename_replaces_it(sandbox: Sandbox) -> None:
    zone = sandbox.zone()
    olds = dict(zone.outs or {})
    diff = PrivateZoneProvider().diff(zone.id, olds, {**olds, "zone_name": "other.internal"})
    assert diff.replaces == ["zone_name"]
    diff = PrivateZoneProvider().diff(zone.id, olds, {**olds, "remark": "x"})
    assert (diff.changes, diff.replaces) == (True, [])


def test_wire_floats_are_not_a_change(sandbox: Sandbox) -> None:
    zone = sandbox.zone()
    record = sandbox.record(zone.id, "@", "MX", "mail.shop.internal", priority=10)
    olds = dict(record.outs or {})
    # Every number crosses Pulumi's wire as a double.
    news = {**olds, "ttl": 60.0, "priority": 10.0}
    diff = ZoneRecordProvider().diff(record.id, olds, news)
    assert (diff.changes, diff.replaces) == (False, [])
