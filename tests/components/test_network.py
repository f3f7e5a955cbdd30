"""Network under recording mocks: exact resources, names, parents and wiring per egress strategy."""

from __future__ import annotations

import pytest

from ask_components.network.network import Network, NetworkArgs
from ask_components.preview.graph import ResourceGraph
from tests.conftest import RunProgram

ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]
VPC = "alicloud:vpc/network:Network"
VSW = "alicloud:vpc/switch:Switch"
NAT = "alicloud:vpc/natGateway:NatGateway"
EIP = "alicloud:ecs/eipAddress:EipAddress"
ASSOC = "alicloud:ecs/eipAssociation:EipAssociation"
SNAT = "alicloud:vpc/snatEntry:SnatEntry"


def build(pulumi_run: RunProgram, egress: str, zones: list[str] = ZONES) -> ResourceGraph:
    def program() -> None:
        Network(
            "net", NetworkArgs(cidr="10.0.0.0/16", zones=zones, egress=egress, tags={"team": "a"})
        )  # type: ignore[arg-type]

    return pulumi_run(program)


def ids(graph: ResourceGraph, type_token: str) -> dict[str, str]:
    """Resource name -> the fake id the mocks gave it (resolve mode)."""
    from ask_components.preview.engine import _fake_id

    return {node.name: _fake_id(type_token, node.name) for node in graph.of_type(type_token)}


def test_single_egress_has_one_nat_and_snat_for_every_vswitch(pulumi_run: RunProgram) -> None:
    graph = build(pulumi_run, "single")
    counts = graph.type_counts()
    assert {t: counts[t] for t in (VPC, VSW, NAT, EIP, ASSOC, SNAT)} == {
        VPC: 1,
        VSW: 3,
        NAT: 1,
        EIP: 1,
        ASSOC: 1,
        SNAT: 3,
    }
    component = graph.of_type("ask:network:Network")[0]
    assert component.name == "net"
    assert all(node.parent == component.urn for node in graph if node.custom)

    vpc = graph.of_type(VPC)[0]
    assert vpc.name == "net-vpc"
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/16"
    assert vpc.inputs["vpcName"] == "net-vpc"
    assert vpc.inputs["tags"] == {"team": "a"}

    vpc_id = ids(graph, VPC)["net-vpc"]
    switches = {node.inputs["zoneId"]: node for node in graph.of_type(VSW)}
    assert {zone: node.inputs["cidrBlock"] for zone, node in switches.items()} == {
        "cn-hangzhou-i": "10.0.0.0/19",
        "cn-hangzhou-j": "10.0.32.0/19",
        "cn-hangzhou-k": "10.0.64.0/19",
    }
    assert {node.name for node in switches.values()} == {f"net-vsw-{zone}" for zone in ZONES}
    assert all(node.inputs["vpcId"] == vpc_id for node in switches.values())

    nat = graph.of_type(NAT)[0]
    vsw_ids = ids(graph, VSW)
    assert nat.name == "net-nat"
    assert nat.inputs["natType"] == "Enhanced"
    assert nat.inputs["internetChargeType"] == "PayByLcu"
    assert nat.inputs["paymentType"] == "PayAsYouGo"
    assert nat.inputs["networkType"] == "internet"
    assert nat.inputs["vswitchId"] == vsw_ids["net-vsw-cn-hangzhou-i"]

    eip = graph.of_type(EIP)[0]
    assert eip.inputs["internetChargeType"] == "PayByTraffic"
    assert eip.inputs["bandwidth"] == "100"
    assoc = graph.of_type(ASSOC)[0]
    assert assoc.inputs == {
        "allocationId": ids(graph, EIP)["net-eip"],
        "instanceId": ids(graph, NAT)["net-nat"],
        "instanceType": "Nat",
    }

    nat_id = ids(graph, NAT)["net-nat"]
    snats = {node.name: node for node in graph.of_type(SNAT)}
    assert set(snats) == {f"net-snat-{zone}" for zone in ZONES}
    for zone in ZONES:
        snat = snats[f"net-snat-{zone}"]
        assert snat.inputs["sourceVswitchId"] == vsw_ids[f"net-vsw-{zone}"]
        assert snat.inputs["snatTableId"] == f"stb-{nat_id[4:]}"
        assert snat.inputs["snatIp"].startswith("203.0.113.")
        assert assoc.urn in snat.dependencies


def test_per_zone_egress_snats_each_vswitch_through_its_own_zone(pulumi_run: RunProgram) -> None:
    graph = build(pulumi_run, "per-zone")
    assert len(graph.of_type(NAT)) == 3
    assert len(graph.of_type(EIP)) == 3
    assert len(graph.of_type(ASSOC)) == 3
    assert len(graph.of_type(SNAT)) == 3
    vsw_ids = ids(graph, VSW)
    nat_ids = ids(graph, NAT)
    for zone in ZONES:
        nat = next(node for node in graph.of_type(NAT) if node.name == f"net-nat-{zone}")
        assert nat.inputs["vswitchId"] == vsw_ids[f"net-vsw-{zone}"]
        snat = next(node for node in graph.of_type(SNAT) if node.name == f"net-snat-{zone}")
        assert snat.inputs["snatTableId"] == f"stb-{nat_ids[f'net-nat-{zone}'][4:]}"
        assert snat.inputs["sourceVswitchId"] == vsw_ids[f"net-vsw-{zone}"]


def test_no_egress_creates_no_nat(pulumi_run: RunProgram) -> None:
    graph = build(pulumi_run, "none")
    assert [t for t in graph.type_counts() if t in (NAT, EIP, ASSOC, SNAT)] == []
    assert len(graph.of_type(VSW)) == 3


@pytest.mark.parametrize(("egress", "nats"), [("none", 0), ("single", 1), ("per-zone", 2)])
def test_outputs(pulumi_run: RunProgram, egress: str, nats: int) -> None:
    def program() -> None:
        import pulumi

        net = Network("net", NetworkArgs(cidr="10.0.0.0/16", zones=ZONES[:2], egress=egress))  # type: ignore[arg-type]
        for key in ("vpc_id", "vswitch_ids", "zone_ids", "nat_gateway_ids", "egress_ips", "layout"):
            pulumi.export(key, getattr(net, key))

    graph = pulumi_run(program)
    out = graph.outputs
    assert out["vpc_id"].startswith("vpc-")
    assert [vsw[:4] for vsw in out["vswitch_ids"]] == ["vsw-", "vsw-"]
    assert out["zone_ids"] == ZONES[:2]
    assert len(out["nat_gateway_ids"]) == nats
    assert len(out["egress_ips"]) == nats
    assert out["layout"] == {"cn-hangzhou-i": "10.0.0.0/19", "cn-hangzhou-j": "10.0.32.0/19"}


def test_name_prefix_names_the_cloud_resources(pulumi_run: RunProgram) -> None:
    def program() -> None:
        Network(
            "net",
            NetworkArgs(cidr="10.0.0.0/16", zones=ZONES[:1], egress="none", name_prefix="shop"),
        )

    graph = pulumi_run(program)
    assert graph.of_type(VPC)[0].inputs["vpcName"] == "shop-vpc"
    assert graph.of_type(VSW)[0].inputs["vswitchName"] == "shop-cn-hangzhou-i"
