"""The platform builds AlbIngress / PrivateDns from config on the alicloud target; the prod stack
is exposed through an Internet ALB with HTTPS and has a private zone."""

from __future__ import annotations

from typing import Any

import pytest

from ask_components.config import load_platform_config
from ask_components.manifests import validate_graph
from ask_components.platform import Platform
from ask_components.preview.engine import _fake_id, run_preview
from ask_components.preview.graph import ResourceGraph
from tests.components.test_alb_ingress import ALB, ALBCONFIG, CLUSTER, INGRESS_CLASS, SWITCH, one
from tests.components.test_private_dns import ATTACHMENT, RECORD, VPC, ZONE
from tests.conftest import PROJECT_ROOT, RunProgram, platform_values


@pytest.fixture(scope="module")
def prod() -> ResourceGraph:
    return run_preview(PROJECT_ROOT, "prod", resolve_outputs=True)


def test_prod_has_an_internet_alb_with_https_under_the_platform(prod: ResourceGraph) -> None:
    platform = one(prod, "ask:index:Platform")
    component = one(prod, "ask:ingress:AlbIngress")
    assert component.name == "shop-alb"
    assert component.parent == platform.urn
    lb = one(prod, ALB)
    assert lb.parent == component.urn
    assert {
        key: lb.inputs[key]
        for key in (
            "loadBalancerEdition",
            "addressType",
            "deletionProtectionEnabled",
            "accessLogConfig",
        )
    } == {
        "loadBalancerEdition": "Standard",
        "addressType": "Internet",
        "deletionProtectionEnabled": True,
        "accessLogConfig": {"logProject": "shop-prod-logs", "logStore": "alb-access"},
    }
    switches = {node.inputs["zoneId"]: _fake_id(SWITCH, node.name) for node in prod.of_type(SWITCH)}
    assert lb.inputs["zoneMappings"] == [
        {"zoneId": zone, "vswitchId": switches[zone]}
        for zone in ("cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k")
    ]
    assert lb.inputs["tags"] == {
        "managed-by": "ask-components",
        "platform": "shop",
        "stack": "prod",
        "cluster-id": _fake_id(CLUSTER, one(prod, CLUSTER).name),
    }
    spec = one(prod, ALBCONFIG).inputs["spec"]
    assert spec["config"]["id"] == _fake_id(ALB, lb.name)
    assert spec["listeners"][1]["certificates"] == [
        {"CertificateId": "1234567-cn-hangzhou", "IsDefault": True}
    ]
    assert one(prod, INGRESS_CLASS).inputs["spec"]["parameters"]["name"] == "shop-alb"
    assert prod.outputs["ingress_load_balancer_id"] == _fake_id(ALB, lb.name)
    assert prod.outputs["ingress_dns_name"].endswith(".alb.aliyuncsslb.com")


def test_prod_installs_the_alb_controller_without_a_default_albconfig(prod: ResourceGraph) -> None:
    addons = one(prod, CLUSTER).inputs["addons"]
    assert addons[-1] == {
        "name": "alb-ingress-controller",
        "disabled": False,
        "config": '{"albIngress": {"CreateDefaultALBConfig": false}}',
    }


def test_prod_alb_comes_after_the_cluster_and_the_vswitches(prod: ResourceGraph) -> None:
    lb = one(prod, ALB)
    assert one(prod, CLUSTER).urn in lb.dependencies
    assert {node.urn for node in prod.of_type(SWITCH)} <= set(lb.dependencies)
    k8s_provider = one(prod, "pulumi:providers:kubernetes")
    assert one(prod, ALBCONFIG).provider is not None
    assert one(prod, ALBCONFIG).provider.startswith(k8s_provider.urn + "::")  # type: ignore[union-attr]


def test_prod_private_zone_is_attached_to_the_platform_vpc_only(prod: ResourceGraph) -> None:
    component = one(prod, "ask:dns:PrivateDns")
    assert component.parent == one(prod, "ask:index:Platform").urn
    assert one(prod, ZONE).inputs["zoneName"] == "shop.internal"
    assert one(prod, ATTACHMENT).inputs["vpcs"] == [
        {"vpcId": _fake_id(VPC, one(prod, VPC).name), "regionId": "cn-hangzhou"}
    ]
    records = {r.name: r.inputs for r in prod.of_type(RECORD)}
    assert {name: (i["rr"], i["type"], i["value"]) for name, i in records.items()} == {
        "shop-dns-db-cname": ("db", "CNAME", "rm-shop.mysql.rds.aliyuncs.com"),
        # one CNAME per exposed app, to the ALB
        "shop-dns-app-web": ("web", "CNAME", prod.outputs["ingress_dns_name"]),
    }
    assert prod.outputs["private_zone_records"] == ["db.shop.internal", "web.shop.internal"]


def test_prod_manifests_validate(prod: ResourceGraph) -> None:
    assert validate_graph(prod, "1.33") == []


def test_dev_has_no_alb_and_no_zone() -> None:
    graph = run_preview(PROJECT_ROOT, "dev", resolve_outputs=True)
    assert graph.of_type(ALB) == []
    assert graph.of_type(ZONE) == []
    assert "ingress_dns_name" not in graph.outputs
    assert "alb-ingress-controller" not in [a["name"] for a in one(graph, CLUSTER).inputs["addons"]]


def run_platform(pulumi_run: RunProgram, stack: str = "dev", **platform: Any) -> ResourceGraph:
    config = load_platform_config(platform_values(**platform), stack=stack)
    return pulumi_run(lambda: Platform(config.name, config), stack=stack)


def test_an_alb_on_a_dev_stack_is_not_deletion_protected(pulumi_run: RunProgram) -> None:
    graph = run_platform(pulumi_run, ingress={"kind": "alb"})
    assert one(graph, ALB).inputs["deletionProtectionEnabled"] is False
    assert one(graph, ALB).inputs["addressType"] == "Intranet"
    assert one(graph, ALBCONFIG).inputs["spec"]["listeners"] == [{"port": 80, "protocol": "HTTP"}]


def test_clb_and_none_create_nothing_up_front(pulumi_run: RunProgram) -> None:
    for kind in ("clb", "none"):
        graph = run_platform(pulumi_run, ingress={"kind": kind})
        assert [n.type for n in graph if n.type.startswith(("ask:ingress", "kubernetes:"))] == []


def test_a_platform_built_clb_ingress_serves_intranet_from_the_first_zone(
    pulumi_run: RunProgram,
) -> None:
    from ask_components.ingress.expose import ClbIngress

    seen: list[ClbIngress] = []

    def program() -> None:
        config = load_platform_config(
            platform_values(
                ingress={"kind": "clb", "https": {"certificateIds": ["1-cn-hangzhou"]}}
            ),
            stack="prod",
        )
        platform = Platform(config.name, config)
        assert isinstance(platform.ingress, ClbIngress)
        seen.append(platform.ingress)

    pulumi_run(program, stack="prod")
    ingress = seen[0]
    assert (
        ingress.public,
        ingress.certificate_id,
        ingress.redirect_http,
        ingress.deletion_protection,
    ) == (False, "1-cn-hangzhou", True, True)
    assert [type(r).__name__ for r in ingress.depends_on] == ["AskCluster", "Network"]
