"""LocalPrivateDns: the sandbox zone and records PrivateDns would make, and the CoreDNS section
that makes them resolve in the kind cluster (under mocks, then with the providers really run
against the sandbox store and a fake kubectl)."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from ask_components.dns.config import DnsConfig
from ask_components.dns.coredns import LocalZone, patch_corefile, server_blocks
from ask_components.dns.local import LocalPrivateDns, LocalPrivateDnsArgs
from ask_components.dns.records import DnsRecord, app_cname, configured_records
from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
from ask_components.preview.engine import PICKLED_PROVIDER_MARK, run_program
from ask_components.preview.render import describe
from ask_components.sandbox._base import type_token
from ask_components.sandbox.alb import SandboxAlb
from ask_components.sandbox.store import SandboxStore
from tests.components.test_alb_ingress import one
from tests.conftest import RunProgram
from tests.kubefake import KIND_COREFILE, FakeKubectl
from tests.unit.corefile_sim import Answer, query

ZONE = type_token("SandboxPrivateZone")
RECORD = type_token("SandboxZoneRecord")
COREDNS = type_token("CorednsZones")
ALB = "alb-0123456789abcdefghij.cn-hangzhou.alb.aliyuncsslb.com"
INGRESS_IP = "10.96.100.7"
STATE = ".ask-sandbox/state.db"

CONFIG = DnsConfig.model_validate(
    {
        "zone": "shop.internal",
        "records": [
            {"rr": "db", "type": "A", "value": "10.20.0.8"},
            {"rr": "@", "type": "MX", "value": "mx.shop.internal", "ttl": 300},
        ],
    }
)


def args(**overrides: object) -> LocalPrivateDnsArgs:
    base = LocalPrivateDnsArgs(
        zone_name=CONFIG.zone,
        vpc_id="vpc-0123456789abcdefghijk",
        kube_context="kind-ask",
        sandbox_state=STATE,
        records=[
            *configured_records(CONFIG),
            # Known only later, as the sandbox ALB's DNS name is.
            app_cname("web", pulumi.Output.from_input(ALB)),
        ],
        addresses={ALB: INGRESS_IP},
        remark="shop",
        tags={"platform": "shop"},
    )
    for key, value in overrides.items():
        setattr(base, key, value)
    return base


def test_the_sandbox_zone_its_records_and_the_coredns_section(pulumi_run: RunProgram) -> None:
    def program() -> None:
        dns = LocalPrivateDns("shop-dns", args())
        pulumi.export("zone_id", dns.zone_id)
        pulumi.export("zone_name", dns.zone_name)
        pulumi.export("record_names", dns.record_names)

    graph = pulumi_run(program)
    component = one(graph, "ask:dns:LocalPrivateDns")
    assert [t for t in graph.type_counts() if t.startswith("alicloud:")] == []
    zone = one(graph, ZONE)
    assert (zone.name, zone.parent) == ("shop-dns-zone", component.urn)
    assert zone.inputs == {
        "zone_name": "shop.internal",
        "proxy_pattern": "ZONE",
        "remark": "shop",
        "vpc_ids": ["vpc-0123456789abcdefghijk"],
        "tags": {"platform": "shop"},
        "sandbox_state": STATE,
        "__provider": PICKLED_PROVIDER_MARK,
    }
    zone_id = graph.outputs["zone_id"]
    records = {node.name: node for node in graph.of_type(RECORD)}
    common = {"zone_id": zone_id, "status": "ENABLE", "sandbox_state": STATE}
    assert {name: node.inputs for name, node in records.items()} == {
        "shop-dns-db-a": {
            **common,
            "rr": "db",
            "type": "A",
            "value": "10.20.0.8",
            "ttl": 60,
            "__provider": PICKLED_PROVIDER_MARK,
        },
        "shop-dns-apex-mx": {
            **common,
            "rr": "@",
            "type": "MX",
            "value": "mx.shop.internal",
            "ttl": 300,
            "priority": 1,
            "__provider": PICKLED_PROVIDER_MARK,
        },
        "shop-dns-app-web": {
            **common,
            "rr": "web",
            "type": "CNAME",
            "value": ALB,
            "ttl": 60,
            "__provider": PICKLED_PROVIDER_MARK,
        },
    }
    coredns = one(graph, COREDNS)
    assert coredns.name == "shop-dns-coredns"
    assert coredns.inputs == {
        "kube_context": "kind-ask",
        "owner": "shop.internal/shop-dns",
        "zones": [
            {
                "name": "shop.internal",
                "records": [
                    {"rr": "db", "type": "A", "value": "10.20.0.8", "ttl": 60, "priority": None},
                    {
                        "rr": "@",
                        "type": "MX",
                        "value": "mx.shop.internal",
                        "ttl": 300,
                        "priority": 1,
                    },
                    {"rr": "web", "type": "CNAME", "value": ALB, "ttl": 60, "priority": None},
                ],
            }
        ],
        "addresses": {ALB: INGRESS_IP},
        "namespace": "kube-system",
        "configmap": "coredns",
        "__provider": PICKLED_PROVIDER_MARK,
    }
    for node in (zone, coredns, *records.values()):
        assert node.parent == component.urn
    # Served once the sandbox took every record (and removed from CoreDNS before them).
    assert sorted(coredns.dependencies) == sorted(node.urn for node in records.values())
    assert all(zone.urn in node.dependencies for node in records.values())
    assert describe(coredns) == "kind-ask kube-system/coredns: shop.internal (3 records)"
    assert graph.outputs == {
        "zone_id": zone_id,
        "zone_name": "shop.internal",
        "record_names": ["db.shop.internal", "shop.internal", "web.shop.internal"],
    }


def test_outputs_keys_match_private_dns() -> None:
    from ask_components.dns.dns import PrivateDns
    from ask_components.dns.outputs import DNS_OUTPUT_KEYS, PrivateDnsOutputs

    assert issubclass(PrivateDns, PrivateDnsOutputs)
    assert issubclass(LocalPrivateDns, PrivateDnsOutputs)
    assert DNS_OUTPUT_KEYS == ("zone_id", "zone_name", "record_names")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"zone_name": "Shop.internal"},
            r"^invalid arguments of LocalPrivateDns 'dns' \(1 problem\):\n"
            r"  - zone_name: 'Shop\.internal' is not a zone name: use lowercase letters$",
        ),
        (
            {
                "records": [
                    DnsRecord("a", "CNAME", "b.shop.internal"),
                    DnsRecord("b", "CNAME", "a.shop.internal"),
                ]
            },
            r"^CNAME loop: a\.shop\.internal -> b\.shop\.internal -> a\.shop\.internal$",
        ),
    ],
)
def test_what_cannot_be_served_fails_before_registering(
    pulumi_run: RunProgram, overrides: dict[str, object], message: str
) -> None:
    def program() -> None:
        with pytest.raises(ValueError, match=message):
            LocalPrivateDns("dns", args(addresses={}, **overrides))

    assert pulumi_run(program).of_type("ask:dns:LocalPrivateDns") == []


def test_a_zone_without_records_serves_an_empty_zone(pulumi_run: RunProgram) -> None:
    def program() -> None:
        LocalPrivateDns("dns", args(records=(), addresses={}))

    graph = pulumi_run(program)
    assert graph.of_type(RECORD) == []
    coredns = one(graph, COREDNS)
    assert coredns.inputs["zones"] == [{"name": "shop.internal", "records": []}]
    assert coredns.inputs["addresses"] == {}
    assert coredns.dependencies == ()


def test_with_the_providers_run_the_records_resolve_in_the_cluster(
    tmp_path: Path, kubectl: FakeKubectl
) -> None:
    state = str(tmp_path / "state.db")
    ingress_ip = "10.96.23.45"  # the ClusterIP of the Service in front of ingress-nginx

    def program() -> None:
        network = SandboxNetwork(
            "net",
            SandboxNetworkArgs(
                cidr="10.0.0.0/16",
                zones=["cn-hangzhou-i", "cn-hangzhou-j"],
                egress="none",
                sandbox_state=state,
            ),
        )
        alb = SandboxAlb(
            "alb",
            vpc_id=network.vpc_id,
            zone_mappings=[
                {"vswitch_id": network.vswitches[zone].id, "zone_id": zone}
                for zone in ("cn-hangzhou-i", "cn-hangzhou-j")
            ],
            sandbox_state=state,
        )
        dns = LocalPrivateDns(
            "shop-dns",
            LocalPrivateDnsArgs(
                zone_name="shop.internal",
                vpc_id=network.vpc_id,
                kube_context="kind-ask",
                sandbox_state=state,
                records=[*configured_records(CONFIG), app_cname("web", alb.dns_name)],
                addresses=alb.dns_name.apply(lambda name: {name: ingress_ip}),
            ),
        )
        pulumi.export("alb_dns_name", alb.dns_name)
        pulumi.export("zone_id", dns.zone_id)

    graph = run_program(program, run_dynamic_providers=True)
    alb_dns_name = graph.outputs["alb_dns_name"]
    with SandboxStore(state) as store:
        [zone] = store.list("SandboxPrivateZone")
        assert (zone.id, zone.state["record_count"]) == (graph.outputs["zone_id"], 3)
    blocks = server_blocks(
        [
            LocalZone(
                "shop.internal",
                (
                    DnsRecord("db", "A", "10.20.0.8"),
                    DnsRecord("@", "MX", "mx.shop.internal", 300, 1),
                    DnsRecord("web", "CNAME", alb_dns_name),
                ),
            )
        ],
        {alb_dns_name: ingress_ip},
    )
    corefile = kubectl.corefile()
    assert corefile == patch_corefile(KIND_COREFILE, "shop.internal/shop-dns", blocks)
    assert query(corefile, "web.shop.internal", "A") == Answer(
        "NOERROR", (f"web.shop.internal. 60 IN A {ingress_ip}",)
    )
    assert query(corefile, "db.shop.internal", "A") == Answer(
        "NOERROR", ("db.shop.internal. 60 IN A 10.20.0.8",)
    )
    assert query(corefile, "nope.shop.internal", "A").rcode == "NXDOMAIN"
