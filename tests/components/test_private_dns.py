"""PrivateDns under recording mocks: the zone, its attachment to exactly the platform VPC, the
configured records and one CNAME per exposed app pointing at the ALB."""

from __future__ import annotations

import re

import pulumi
import pytest

from ask_components.dns.config import DnsConfig
from ask_components.dns.dns import PrivateDns, PrivateDnsArgs
from ask_components.dns.records import DnsRecord, app_cname, configured_records
from ask_components.errors import ArgumentError
from ask_components.preview.engine import _fake_id
from tests.components.test_alb_ingress import ALB, one, platform_with_alb
from tests.conftest import RunProgram

ZONE = "alicloud:pvtz/zone:Zone"
ATTACHMENT = "alicloud:pvtz/zoneAttachment:ZoneAttachment"
RECORD = "alicloud:pvtz/zoneRecord:ZoneRecord"
VPC = "alicloud:vpc/network:Network"

CONFIG = DnsConfig.model_validate(
    {
        "zone": "shop.internal",
        "records": [
            {"rr": "db", "type": "CNAME", "value": "rm-shop.mysql.rds.aliyuncs.com"},
            {"rr": "@", "type": "MX", "value": "mx.shop.internal", "ttl": 300},
        ],
    }
)


def test_zone_attachment_records_and_one_cname_per_exposed_app(pulumi_run: RunProgram) -> None:
    def program() -> None:
        network, _, alb = platform_with_alb()
        dns = PrivateDns(
            "shop-dns",
            PrivateDnsArgs(
                zone_name=CONFIG.zone,
                vpc_id=network.vpc_id,
                region="cn-hangzhou",
                records=[
                    *configured_records(CONFIG),
                    *(app_cname(app, alb.dns_name) for app in ("web", "api")),
                ],
                remark="shop",
                tags={"platform": "shop"},
            ),
        )
        pulumi.export("zone_id", dns.zone_id)
        pulumi.export("zone_name", dns.zone_name)
        pulumi.export("record_names", dns.record_names)

    graph = pulumi_run(program)
    component = one(graph, "ask:dns:PrivateDns")
    zone = one(graph, ZONE)
    zone_id = _fake_id(ZONE, zone.name)
    vpc_id = _fake_id(VPC, one(graph, VPC).name)
    alb_dns = f"{_fake_id(ALB, one(graph, ALB).name)}.cn-hangzhou.alb.aliyuncsslb.com"

    assert zone.inputs == {
        "zoneName": "shop.internal",
        "remark": "shop",
        "tags": {"platform": "shop"},
    }
    assert re.fullmatch(r"pvtz-[0-9a-f]{17}", zone_id)
    attachment = one(graph, ATTACHMENT)
    assert attachment.inputs == {
        "zoneId": zone_id,
        "vpcs": [{"vpcId": vpc_id, "regionId": "cn-hangzhou"}],
    }
    assert "vpcIds" not in attachment.inputs
    records = {node.name: node for node in graph.of_type(RECORD)}
    assert {name: node.inputs for name, node in records.items()} == {
        "shop-dns-db-cname": {
            "zoneId": zone_id,
            "rr": "db",
            "type": "CNAME",
            "value": "rm-shop.mysql.rds.aliyuncs.com",
            "ttl": 60,
        },
        "shop-dns-apex-mx": {
            "zoneId": zone_id,
            "rr": "@",
            "type": "MX",
            "value": "mx.shop.internal",
            "ttl": 300,
            "priority": 1,
        },
        "shop-dns-app-web": {
            "zoneId": zone_id,
            "rr": "web",
            "type": "CNAME",
            "value": alb_dns,
            "ttl": 60,
        },
        "shop-dns-app-api": {
            "zoneId": zone_id,
            "rr": "api",
            "type": "CNAME",
            "value": alb_dns,
            "ttl": 60,
        },
    }
    for node in (zone, attachment, *graph.of_type(RECORD)):
        assert node.parent == component.urn
    # App records follow the ALB: created after it, deleted before it.
    alb = one(graph, ALB)
    assert alb.urn in records["shop-dns-app-web"].dependencies
    assert alb.urn not in records["shop-dns-db-cname"].dependencies
    assert graph.outputs["zone_id"] == zone_id
    assert graph.outputs["zone_name"] == "shop.internal"
    assert graph.outputs["record_names"] == [
        "db.shop.internal",
        "shop.internal",
        "web.shop.internal",
        "api.shop.internal",
    ]


def test_a_zone_without_records(pulumi_run: RunProgram) -> None:
    def program() -> None:
        PrivateDns("dns", PrivateDnsArgs(zone_name="shop.internal", vpc_id="vpc-1"))

    graph = pulumi_run(program)
    assert one(graph, ATTACHMENT).inputs["vpcs"] == [{"vpcId": "vpc-1"}]
    assert graph.of_type(RECORD) == []


def test_a_bad_zone_name_fails_before_registering(pulumi_run: RunProgram) -> None:
    def program() -> None:
        with pytest.raises(ValueError, match=r"^invalid arguments") as caught:
            PrivateDns("dns", PrivateDnsArgs(zone_name="Shop.internal", vpc_id="vpc-1"))
        assert str(caught.value) == (
            "invalid arguments of PrivateDns 'dns' (1 problem):\n"
            "  - zone_name: 'Shop.internal' is not a zone name: use lowercase letters"
        )

    assert pulumi_run(program).of_type("ask:dns:PrivateDns") == []


def test_bad_records_are_reported_together_with_the_stack_files_messages(
    pulumi_run: RunProgram,
) -> None:
    records = [
        DnsRecord("db", "A", "10.0.0.300"),
        DnsRecord("web", "CNAME", pulumi.Output.from_input("alb-1.example.com")),
        DnsRecord("web", "TXT", "hello", ttl=0),
        DnsRecord("mail", "MX", "mx.shop.internal", priority=100),
    ]

    def program() -> None:
        with pytest.raises(ArgumentError) as caught:
            PrivateDns(
                "dns", PrivateDnsArgs(zone_name="cluster.local", vpc_id="v", records=records)
            )
        assert [str(problem) for problem in caught.value.problems] == [
            "zone_name: cluster.local would shadow the cluster's own DNS (cluster.local); pick "
            "another zone",
            "records[0].value: '10.0.0.300' is not an IPv4 address (an A record points at one)",
            "records[2].ttl: Input should be greater than or equal to 1 (got 0)",
            "records[3].priority: Input should be less than or equal to 99 (got 100)",
        ]

    assert pulumi_run(program).of_type("ask:dns:PrivateDns") == []
