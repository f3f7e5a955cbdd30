"""The local target under mocks, with the sandbox providers' own create() really run."""

from __future__ import annotations

import ipaddress
import pickle
import time
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from ask_components.dns.coredns import LocalZone, patch_corefile, server_blocks
from ask_components.dns.records import DnsRecord
from ask_components.errors import SandboxError
from ask_components.manifests import validate_graph
from ask_components.manifests.validate import validate_manifest
from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
from ask_components.preview.engine import UNKNOWN_MARK, run_preview, run_program
from ask_components.preview.graph import SECRET_MASK, ResourceGraph
from ask_components.sandbox._base import restored_pickler, type_token
from ask_components.sandbox.alb import SandboxAlb
from ask_components.sandbox.nat import SandboxEip
from ask_components.sandbox.store import SandboxStore
from ask_components.sandbox.vpc import SandboxVpc, SandboxVSwitch, VpcProvider
from tests.conftest import PROJECT_ROOT
from tests.kubefake import KIND_COREFILE, FakeKubectl
from tests.unit.corefile_sim import Answer, query

VPC = type_token("SandboxVpc")
VSW = type_token("SandboxVSwitch")
NAT = type_token("SandboxNatGateway")
EIP = type_token("SandboxEip")
ALB = type_token("SandboxAlb")
ZONE = type_token("SandboxPrivateZone")
RECORD = type_token("SandboxZoneRecord")
COREDNS = type_token("CorednsZones")
ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]


def local_stack(state: Path, **local: Any) -> ResourceGraph:
    return run_preview(
        PROJECT_ROOT,
        "local",
        run_dynamic_providers=True,
        config_overrides={
            "ask:local": {"kubeContext": "kind-ask", "sandboxState": str(state), **local}
        },
    )


def test_the_local_stack_is_made_of_sandbox_resources_and_kind(
    tmp_path: Path, kubectl: FakeKubectl
) -> None:
    state = tmp_path / "state.db"
    graph = local_stack(state)

    counts = graph.type_counts()
    assert [t for t in counts if t.startswith("alicloud:")] == []
    assert {t: n for t, n in counts.items() if "dynamic/sandbox" in t} == {
        VPC: 1,
        VSW: 2,
        NAT: 1,
        EIP: 1,
        ALB: 1,
        ZONE: 1,
        RECORD: 2,
        COREDNS: 1,
    }
    assert counts["ask:network:SandboxNetwork"] == 1
    assert counts["ask:cluster:KindCluster"] == 1
    assert counts["ask:ingress:SandboxAlbIngress"] == 1
    assert counts["ask:dns:LocalPrivateDns"] == 1
    [k8s] = graph.of_type("pulumi:providers:kubernetes")
    assert k8s.name == "shop-local-kind-k8s"
    assert k8s.inputs == {"context": "kind-ask", "deleteUnreachable": "true"}

    # The platform outputs are the cloud's keys (prod has the same ingress and zone), filled
    # from the store.
    assert set(graph.outputs) == set(run_preview(PROJECT_ROOT, "prod").outputs)
    with SandboxStore(state) as store:
        [vpc] = store.list("SandboxVpc")
        switches = {r.state["zone_id"]: r for r in store.list("SandboxVSwitch")}
        [nat] = store.list("SandboxNatGateway")
        [eip] = store.list("SandboxEip")
        [alb] = store.list("SandboxAlb")
        [zone] = store.list("SandboxPrivateZone")
        records = {r.state["rr"]: r.state for r in store.list("SandboxZoneRecord")}
    alb_dns_name = f"{alb.id}.cn-hangzhou.alb.aliyuncsslb.com"
    assert graph.outputs == {
        "vpc_id": vpc.id,
        "vswitch_ids": [switches["cn-hangzhou-i"].id, switches["cn-hangzhou-j"].id],
        "zone_ids": ["cn-hangzhou-i", "cn-hangzhou-j"],
        "nat_gateway_ids": [nat.id],
        "egress_ips": ["198.51.100.1"],
        "cluster_id": "kind-ask",
        "kubeconfig": SECRET_MASK,
        "workloads": {"apps": {"web": "0.5-1Gi"}, "cronJobs": {"nightly-report": "0.5-1Gi"}},
        "ingress_load_balancer_id": alb.id,
        "ingress_dns_name": alb_dns_name,
        "private_zone_id": zone.id,
        "private_zone_records": ["docs.shop.internal", "web.shop.internal"],
    }
    assert (vpc.name, vpc.state["cidr_block"], vpc.state["region"]) == (
        "shop-local-vpc",
        "10.20.0.0/16",
        "cn-hangzhou",
    )
    assert {z: s.state["cidr_block"] for z, s in switches.items()} == {
        "cn-hangzhou-i": "10.20.0.0/19",
        "cn-hangzhou-j": "10.20.32.0/19",
    }
    assert nat.state["vswitch_id"] == switches["cn-hangzhou-i"].id
    assert (eip.state["instance_id"], eip.state["status"]) == (nat.id, "InUse")
    assert vpc.state["tags"] == {
        "managed-by": "ask-components",
        "platform": "shop-local",
        "stack": "local",
    }
    # The ALB spans both vSwitches; the zone is attached to the sandbox VPC only.
    assert sorted(m["vswitch_id"] for m in alb.state["zone_mappings"]) == sorted(
        s.id for s in switches.values()
    )
    assert (zone.state["zone_name"], zone.state["vpc_ids"]) == ("shop.internal", [vpc.id])
    assert {rr: (r["type"], r["value"]) for rr, r in records.items()} == {
        "docs": ("TXT", "see docs/local-target.md"),
        "web": ("CNAME", alb_dns_name),
    }

    # The cluster's CoreDNS answers the zone: web.shop.internal leads to the Service in front
    # of ingress-nginx (the engine's cluster IP for it), the rest of the Corefile untouched.
    [service] = [s for s in graph.of_type("kubernetes:core/v1:Service") if "alb" in s.name]
    assert service.inputs["metadata"]["namespace"] == "ingress-nginx"
    [coredns] = graph.of_type(COREDNS)
    [(name, cluster_ip)] = coredns.inputs["addresses"].items()
    assert name == alb_dns_name
    assert ipaddress.ip_address(cluster_ip) in ipaddress.ip_network("10.96.0.0/16")
    blocks = server_blocks(
        [
            LocalZone(
                "shop.internal",
                (
                    DnsRecord("docs", "TXT", "see docs/local-target.md"),
                    DnsRecord("web", "CNAME", alb_dns_name),
                ),
            )
        ],
        {alb_dns_name: cluster_ip},
    )
    corefile = kubectl.corefile()
    assert corefile == patch_corefile(KIND_COREFILE, "shop.internal/shop-local-dns", blocks)
    assert query(corefile, "web.shop.internal", "A") == Answer(
        "NOERROR", (f"web.shop.internal. 60 IN A {cluster_ip}",)
    )
    assert query(corefile, "other.shop.internal", "A").rcode == "NXDOMAIN"


def test_the_offline_preview_of_the_local_stack_writes_no_store(project_copy: Path) -> None:
    graph = run_preview(project_copy, "local")
    assert not (project_copy / ".ask-sandbox").exists()
    vsw = graph.of_type(VSW)[0]
    assert vsw.inputs["vpc_id"] == UNKNOWN_MARK
    assert vsw.inputs["sandbox_state"] == ".ask-sandbox/state.db"
    assert graph.outputs["vpc_id"] == UNKNOWN_MARK


def build_network(state: Path, egress: str, zones: list[str] = ZONES) -> ResourceGraph:
    def program() -> None:
        network = SandboxNetwork(
            "net",
            SandboxNetworkArgs(
                cidr="10.0.0.0/16",
                zones=zones,
                egress=egress,  # type: ignore[arg-type]
                region="cn-hangzhou",
                sandbox_state=str(state),
            ),
        )
        pulumi.export("egress_ips", network.egress_ips)
        pulumi.export("nat_gateway_ids", network.nat_gateway_ids)
        pulumi.export("layout", network.layout)

    return run_program(program, run_dynamic_providers=True)


def test_per_zone_egress_gives_each_zone_its_nat_and_address(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    graph = build_network(state, "per-zone")
    assert sorted(graph.outputs["egress_ips"]) == ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    assert graph.outputs["layout"] == {
        "cn-hangzhou-i": "10.0.0.0/19",
        "cn-hangzhou-j": "10.0.32.0/19",
        "cn-hangzhou-k": "10.0.64.0/19",
    }
    assert {node.name for node in graph.of_type(NAT)} == {f"net-nat-{zone}" for zone in ZONES}
    with SandboxStore(state) as store:
        zone_of = {r.id: r.state["zone_id"] for r in store.list("SandboxVSwitch")}
        nats = {r.id: zone_of[r.state["vswitch_id"]] for r in store.list("SandboxNatGateway")}
        bound = {nats[r.state["instance_id"]] for r in store.list("SandboxEip")}
    assert sorted(nats) == sorted(graph.outputs["nat_gateway_ids"])
    assert sorted(nats.values()) == ZONES
    assert sorted(bound) == ZONES


def test_no_egress_means_no_nat_and_no_address(tmp_path: Path) -> None:
    graph = build_network(tmp_path / "state.db", "none", ZONES[:1])
    assert (graph.outputs["egress_ips"], graph.outputs["nat_gateway_ids"]) == ([], [])
    assert graph.of_type(NAT) == graph.of_type(EIP) == []


def test_a_refusal_of_the_sandbox_fails_the_run_as_the_cloud_would(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")

    def program() -> None:
        vpc = SandboxVpc("vpc", cidr_block="10.0.0.0/16", region="cn-hangzhou", sandbox_state=state)
        vsw = SandboxVSwitch(
            "vsw",
            vpc_id=vpc.id,
            cidr_block="10.0.0.0/19",
            zone_id="cn-hangzhou-i",
            sandbox_state=state,
        )
        SandboxAlb(
            "alb",
            vpc_id=vpc.id,
            zone_mappings=[{"vswitch_id": vsw.id, "zone_id": "cn-hangzhou-i"}],
            sandbox_state=state,
        )

    with pytest.raises(SandboxError) as caught:
        run_program(program, run_dynamic_providers=True)
    assert caught.value.code == "InvalidParameter"
    assert (
        "an ALB needs vSwitches in at least 2 zones, got 1 (cn-hangzhou-i)" in caught.value.message
    )
    with SandboxStore(state) as store:
        assert [r.type for r in store.list()] == ["SandboxVpc", "SandboxVSwitch"]


@pytest.mark.slow
def test_more_than_400_sandbox_resources_in_one_session(tmp_path: Path) -> None:
    """pulumi's serialize_provider re-wraps the pickler per dynamic resource (RecursionError
    after ~320); the engine and the sandbox resources both restore it."""
    state = str(tmp_path / "state.db")
    count = 420

    def program() -> None:
        for index in range(count):
            SandboxEip(f"eip-{index}", bandwidth="5", sandbox_state=state)

    start = time.perf_counter()
    graph = run_program(program, run_dynamic_providers=True)
    elapsed = time.perf_counter() - start
    assert len(graph.of_type(EIP)) == count
    with SandboxStore(state) as store:
        addresses = {r.state["ip_address"] for r in store.list("SandboxEip")}
    assert len(addresses) == count
    assert elapsed < 60, f"{count} sandbox resources took {elapsed:.1f} s"


def test_sandbox_resources_restore_the_pickler_pulumi_patches() -> None:
    from pulumi.dynamic import dynamic

    pickler: Any = pickle._Pickler
    before = (pickler._batch_setitems, pickler.save_dict)
    with restored_pickler():
        dynamic.serialize_provider(VpcProvider())
        assert pickler._batch_setitems is not before[0]  # the SDK's patch, left in place
    assert (pickler._batch_setitems, pickler.save_dict) == before


def test_the_local_manifests_pass_strict_validation(tmp_path: Path, kubectl: FakeKubectl) -> None:
    graph = local_stack(tmp_path / "state.db")
    # Every Kubernetes object the local stack registers: the nginx Ingress and IngressClass,
    # the Service standing for the ALB, the Deployment and CronJob pods with rounded resources.
    assert validate_graph(graph, "1.33") == []
    kinds = sorted(
        r.type.rsplit(":", 1)[-1]
        for r in graph.resources
        if r.type.startswith("kubernetes:") and r.custom
    )
    assert kinds == [
        "CronJob",
        "Deployment",
        "Ingress",
        "IngressClass",
        "Namespace",
        "Service",
        "Service",
    ]
    [ingress] = graph.of_type("kubernetes:networking.k8s.io/v1:Ingress")
    assert ingress.inputs["spec"]["ingressClassName"] == "alb"
    assert {
        key: value
        for key, value in ingress.inputs["metadata"]["annotations"].items()
        if key.startswith("nginx.ingress.kubernetes.io/")
    } == ingress.inputs["metadata"]["annotations"]
    [deployment] = graph.of_type("kubernetes:apps/v1:Deployment")
    template = deployment.inputs["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "k8s.aliyun.com/eci-use-specs": "0.5-1Gi",
        "k8s.aliyun.com/eci-instance-spec": "0.5-1.0Gi",
    }
    [container] = template["spec"]["containers"]
    assert container["resources"] == {
        "requests": {"cpu": "500m", "memory": "1Gi"},
        "limits": {"cpu": "500m", "memory": "1Gi"},
    }
    # The CoreDNS ConfigMap as kubectl wrote it back is a valid ConfigMap too.
    assert validate_manifest(kubectl.configmap(), "1.33") == []


def test_a_canary_splits_its_main_apps_route_and_takes_no_name_in_the_zone(
    project_copy: Path,
) -> None:
    stack = project_copy / "stacks" / "Pulumi.local.yaml"
    config = yaml.safe_load(stack.read_text())
    apps = config["config"]["ask:platform"]["workloads"]["apps"]
    canary = {**apps[0], "name": "web-next", "image": apps[0]["image"]}
    canary["expose"] = {
        "host": "shop.localhost",
        "annotations": {
            "alb.ingress.kubernetes.io/canary": "true",
            "alb.ingress.kubernetes.io/canary-weight": "20",
        },
    }
    apps.append(canary)
    stack.write_text(yaml.safe_dump(config))
    graph = run_preview(project_copy, "local")

    ingresses = {r.name: r.inputs for r in graph.of_type("kubernetes:networking.k8s.io/v1:Ingress")}
    assert [rule["host"] for rule in ingresses["web-next-ingress"]["spec"]["rules"]] == [
        "shop.localhost"
    ]
    assert [rule["host"] for rule in ingresses["web-ingress"]["spec"]["rules"]] == [
        "shop.localhost",
        "web.shop.internal",
    ]
    nginx = "nginx.ingress.kubernetes.io/"
    annotations = ingresses["web-next-ingress"]["metadata"]["annotations"]
    assert (annotations[nginx + "canary"], annotations[nginx + "canary-weight"]) == ("true", "20")
    # Only the main app has a name in the zone.
    assert sorted(r.name for r in graph.of_type(RECORD)) == [
        "shop-local-dns-app-web",
        "shop-local-dns-docs-txt",
    ]
