"""AlbIngress under recording mocks: the ALB, the AlbConfig that reuses it, the IngressClass,
their providers, parents and dependency edges."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pytest

from ask_components.cluster.cluster import AskCluster, AskClusterArgs
from ask_components.errors import ArgumentError
from ask_components.ingress.alb import AccessLog, AlbIngress, AlbIngressArgs
from ask_components.manifests import validate_graph
from ask_components.network.network import Network, NetworkArgs
from ask_components.preview.graph import ResourceGraph, ResourceNode
from tests.conftest import RunProgram

ALB = "alicloud:alb/loadBalancer:LoadBalancer"
ALBCONFIG = "kubernetes:alibabacloud.com/v1:AlbConfig"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
SWITCH = "alicloud:vpc/switch:Switch"
CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]


def platform_with_alb(**args: Any) -> tuple[Network, AskCluster, AlbIngress]:
    """A network, a cluster and an AlbIngress wired as the platform wires them."""
    network = Network("net", NetworkArgs(cidr="10.0.0.0/16", zones=ZONES, egress="none"))
    cluster = AskCluster(
        "ask", AskClusterArgs(vpc_id=network.vpc_id, vswitch_ids=network.vswitch_ids)
    )
    alb_args: dict[str, Any] = {
        "vpc_id": network.vpc_id,
        "zone_vswitches": {zone: network.vswitches[zone].id for zone in ZONES},
        "cluster_id": cluster.cluster_id,
        "tags": {"platform": "shop"},
    }
    alb_args.update(args)
    alb = AlbIngress(
        "shop-alb",
        AlbIngressArgs(**alb_args),
        pulumi.ResourceOptions(providers=[cluster.provider], depends_on=[cluster]),
    )
    pulumi.export("dns_name", alb.dns_name)
    pulumi.export("load_balancer_id", alb.load_balancer_id)
    pulumi.export("ingress_class_name", alb.ingress_class_name)
    pulumi.export("albconfig_name", alb.albconfig_name)
    return network, cluster, alb


def one(graph: ResourceGraph, type_token: str) -> ResourceNode:
    nodes = graph.of_type(type_token)
    assert len(nodes) == 1, [node.name for node in nodes]
    return nodes[0]


def resource_id(node: ResourceNode) -> str:
    """The id the mocks gave a resource (the engine-shaped fake id in its provider reference)."""
    from ask_components.preview.engine import _fake_id

    return _fake_id(node.type, node.name)


def test_the_alb_is_a_pulumi_resource_with_one_zone_mapping_per_vswitch(
    pulumi_run: RunProgram,
) -> None:
    graph = pulumi_run(
        lambda: platform_with_alb(
            edition="StandardWithWaf",
            public=True,
            certificate_ids=["1234567-cn-hangzhou"],
            access_log=AccessLog("shop-logs", "alb-access"),
            deletion_protection=True,
        )
    )
    lb = one(graph, ALB)
    switches = {node.inputs["zoneId"]: resource_id(node) for node in graph.of_type(SWITCH)}
    cluster_id = resource_id(one(graph, CLUSTER))
    assert lb.name == "shop-alb-lb"
    assert lb.parent == one(graph, "ask:ingress:AlbIngress").urn
    assert lb.inputs == {
        "loadBalancerName": "shop-alb",
        "loadBalancerEdition": "StandardWithWaf",
        "addressType": "Internet",
        "vpcId": resource_id(one(graph, "alicloud:vpc/network:Network")),
        "loadBalancerBillingConfig": {"payType": "PayAsYouGo"},
        "zoneMappings": [{"zoneId": zone, "vswitchId": switches[zone]} for zone in ZONES],
        "deletionProtectionEnabled": True,
        "accessLogConfig": {"logProject": "shop-logs", "logStore": "alb-access"},
        "tags": {"platform": "shop", "cluster-id": cluster_id},
    }
    assert graph.outputs["dns_name"] == f"{resource_id(lb)}.cn-hangzhou.alb.aliyuncsslb.com"
    assert graph.outputs["load_balancer_id"] == resource_id(lb)
    assert re.fullmatch(r"alb-[0-9a-f]{17}", graph.outputs["load_balancer_id"])


def test_defaults_intranet_no_log_no_protection(pulumi_run: RunProgram) -> None:
    lb = one(pulumi_run(platform_with_alb), ALB)
    assert lb.inputs["addressType"] == "Intranet"
    assert lb.inputs["loadBalancerEdition"] == "Standard"
    assert lb.inputs["deletionProtectionEnabled"] is False
    assert "accessLogConfig" not in lb.inputs


def test_the_albconfig_reuses_the_alb_with_http_and_https_listeners(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(
        lambda: platform_with_alb(certificate_ids=["1234567-cn-hangzhou", "7654321-cn-hangzhou"])
    )
    lb = one(graph, ALB)
    config = one(graph, ALBCONFIG)
    assert config.name == "shop-alb-config"
    assert config.inputs == {
        "apiVersion": "alibabacloud.com/v1",
        "kind": "AlbConfig",
        "metadata": {"name": "shop-alb"},
        "spec": {
            "config": {
                "id": resource_id(lb),
                "forceOverride": False,
                "listenerForceOverride": True,
            },
            "listeners": [
                {"port": 80, "protocol": "HTTP"},
                {
                    "port": 443,
                    "protocol": "HTTPS",
                    "certificates": [
                        {"CertificateId": "1234567-cn-hangzhou", "IsDefault": True},
                        {"CertificateId": "7654321-cn-hangzhou", "IsDefault": False},
                    ],
                },
            ],
        },
    }
    assert graph.outputs["albconfig_name"] == "shop-alb"


def test_http_only_albconfig(pulumi_run: RunProgram) -> None:
    config = one(pulumi_run(platform_with_alb), ALBCONFIG)
    assert config.inputs["spec"]["listeners"] == [{"port": 80, "protocol": "HTTP"}]


def test_the_ingress_class_parameters_name_the_albconfig(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(lambda: platform_with_alb(albconfig_name="edge", ingress_class_name="alb"))
    ingress_class = one(graph, INGRESS_CLASS)
    assert ingress_class.inputs == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {
            "controller": "ingress.k8s.alibabacloud/alb",
            "parameters": {"apiGroup": "alibabacloud.com", "kind": "AlbConfig", "name": "edge"},
        },
    }
    assert one(graph, ALBCONFIG).inputs["metadata"] == {"name": "edge"}
    assert graph.outputs["ingress_class_name"] == "alb"


def test_kubernetes_objects_go_through_the_clusters_provider(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(platform_with_alb)
    provider = one(graph, "pulumi:providers:kubernetes")
    for type_token in (ALBCONFIG, INGRESS_CLASS):
        node = one(graph, type_token)
        assert node.provider is not None
        assert node.provider.split("::")[:-1] == provider.urn.split("::")


def test_dependency_edges_order_destroy(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(platform_with_alb)
    lb, config, ingress_class = one(graph, ALB), one(graph, ALBCONFIG), one(graph, INGRESS_CLASS)
    cluster = one(graph, CLUSTER)
    # The ALB depends on every vSwitch it maps and on the cluster it serves ...
    assert {node.urn for node in graph.of_type(SWITCH)} <= set(lb.dependencies)
    assert cluster.urn in lb.dependencies
    # ... the AlbConfig on the ALB, the IngressClass on the AlbConfig.
    assert lb.urn in config.dependencies
    assert config.urn in ingress_class.dependencies


def test_rendered_manifests_validate(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(lambda: platform_with_alb(certificate_ids=["1234567-cn-hangzhou"]))
    assert validate_graph(graph, "1.33") == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (
            {"zone_vswitches": {"cn-hangzhou-i": "vsw-1"}},
            "zone_vswitches: ALB needs at least 2 zones, got 1 (cn-hangzhou-i)",
        ),
        (
            {"region": "cn-heyuan"},
            "region: ALB Ingress is not offered in cn-heyuan (China (Heyuan))",
        ),
        (
            {"albconfig_name": "aliyun-alb"},
            "albconfig_name: AlbConfig name 'aliyun-alb' must not start with 'aliyun'",
        ),
        (
            {"ingress_class_name": "aliyun"},
            "ingress_class_name: IngressClass name 'aliyun' must not start with 'aliyun'",
        ),
        (
            {"redirect_http": True},
            "redirect_http: redirect_http needs HTTPS: give at least one certificate id",
        ),
        (
            {"edition": "Premium"},
            "edition: 'Premium' is not allowed: 'Basic', 'Standard' or 'StandardWithWaf'",
        ),
        (
            {"certificate_ids": ["12 34"]},
            "certificate_ids[0]: '12 34' is not a certificate id",
        ),
        (
            {"access_log": AccessLog("Shop_Logs", "alb")},
            "access_log.project: 'Shop_Logs' is not an SLS project name: 3-63 lowercase "
            "letters, digits and '-', starting and ending with a letter or digit",
        ),
    ],
)
def test_what_alibaba_would_refuse_fails_before_registering(
    args: dict[str, Any], problem: str
) -> None:
    base: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "zone_vswitches": {"cn-hangzhou-i": "vsw-1", "cn-hangzhou-j": "vsw-2"},
    }
    base.update(args)
    with pytest.raises(ArgumentError) as caught:
        AlbIngressArgs(**base).check("shop-alb")
    assert str(caught.value) == (
        f"invalid arguments of AlbIngress 'shop-alb' (1 problem):\n  - {problem}"
    )


def test_every_problem_is_reported_at_once_and_nothing_is_registered(
    pulumi_run: RunProgram,
) -> None:
    args = AlbIngressArgs(
        vpc_id="vpc-1",
        zone_vswitches={"cn-heyuan-a": "vsw-1"},
        region="cn-heyuan",
        edition="Premium",  # type: ignore[arg-type]
        ingress_class_name="aliyun-class",
    )

    def program() -> None:
        with pytest.raises(ArgumentError) as caught:
            AlbIngress("shop-alb", args)
        assert [problem.path for problem in caught.value.problems] == [
            "edition",
            "zone_vswitches",
            "region",
            "ingress_class_name",
        ]

    graph = pulumi_run(program)
    assert [node.type for node in graph if node.type != "pulumi:pulumi:Stack"] == []
