"""ServerlessApp exposed through the platform's ingress, and the Platform wiring it: an Ingress
on the ALB, a LoadBalancer Service on CLB, the private-zone record per exposed app, and the
dependency edges that order a destroy."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pytest

from ask_components.config import load_platform_config
from ask_components.ingress.config import ExposeConfig
from ask_components.ingress.expose import ClbIngress
from ask_components.manifests import validate_graph
from ask_components.platform import Platform
from ask_components.preview.engine import _fake_id, run_preview
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.workloads.app import HttpProbe, ServerlessApp, ServerlessAppArgs
from tests.components.test_alb_ingress import (
    ALB,
    ALBCONFIG,
    CLUSTER,
    INGRESS_CLASS,
    SWITCH,
    one,
    platform_with_alb,
)
from tests.components.test_expose import reaches
from tests.conftest import PROJECT_ROOT, RunProgram, platform_values

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
C = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"


def app_args(**overrides: Any) -> ServerlessAppArgs:
    args: dict[str, Any] = {
        "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
        "region": "cn-hangzhou",
        "namespace": "shop",
        "part_of": "shop",
        "readiness": HttpProbe("/healthz"),
        **overrides,
    }
    return ServerlessAppArgs(**args)


def node_named(graph: ResourceGraph, name: str) -> ResourceNode:
    [node] = [n for n in graph if n.name == name]
    return node


def test_an_app_exposed_on_the_alb_gets_an_ingress_after_its_service(
    pulumi_run: RunProgram,
) -> None:
    def program() -> None:
        _, cluster, alb = platform_with_alb(public=True, certificate_ids=["1234567-cn-hangzhou"])
        app = ServerlessApp(
            "web",
            app_args(
                expose=ExposeConfig.model_validate({"host": "shop.example.com", "public": True}),
                ingress=alb,
                private_zone="shop.internal",
            ),
            pulumi.ResourceOptions(provider=cluster.provider),
        )
        assert app.exposure is not None
        assert app.exposure.hosts == ("shop.example.com", "web.shop.internal")

    graph = pulumi_run(program)
    ingress, service = one(graph, INGRESS), node_named(graph, "web-service")
    assert ingress.name == "web-ingress"
    assert ingress.parent == one(graph, "ask:workloads:ServerlessApp").urn
    assert ingress.inputs["metadata"]["namespace"] == "shop"
    assert ingress.inputs["spec"]["rules"][0] == {
        "host": "shop.example.com",
        "http": {
            "paths": [
                {
                    "path": "/",
                    "pathType": "Prefix",
                    "backend": {"service": {"name": "web", "port": {"number": 80}}},
                }
            ]
        },
    }
    annotations = ingress.inputs["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/healthcheck-path"] == "/healthz"
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "true"
    assert {service.urn, one(graph, ALBCONFIG).urn, one(graph, INGRESS_CLASS).urn} <= set(
        ingress.dependencies
    )
    assert service.inputs["spec"]["type"] == "ClusterIP"
    assert validate_graph(graph, "1.33") == []


def test_an_app_exposed_on_clb_turns_its_service_into_a_load_balancer(
    pulumi_run: RunProgram,
) -> None:
    def program() -> None:
        _, cluster, _ = platform_with_alb()
        ingress = ClbIngress(
            public=True, certificate_id="1234567-cn-hangzhou", depends_on=[cluster]
        )
        ServerlessApp(
            "web",
            app_args(expose=ExposeConfig(), ingress=ingress, port=8080),
            pulumi.ResourceOptions(provider=cluster.provider),
        )

    graph = pulumi_run(program)
    service = node_named(graph, "web-service")
    assert graph.of_type(INGRESS) == []
    assert service.inputs["spec"] == {
        "type": "LoadBalancer",
        "selector": {"app.kubernetes.io/name": "web"},
        "ports": [
            {"name": "https", "port": 443, "targetPort": 8080, "protocol": "TCP"},
            {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
        ],
    }
    annotations = service.inputs["metadata"]["annotations"]
    assert {key.removeprefix(C): value for key, value in annotations.items()} == {
        "address-type": "internet",
        "cert-id": "1234567-cn-hangzhou",
        "delete-protection": "off",
        "forward-port": "80:443",
        "health-check-flag": "on",
        "health-check-type": "http",
        "health-check-uri": "/healthz",
        "instance-charge-type": "PayByCLCU",
        "name": "shop-web",
        "protocol-port": "https:443,http:80",
        "ask-components.io/public": "true",
    }
    assert one(graph, CLUSTER).urn in service.dependencies
    assert validate_graph(graph, "1.33") == []


def test_expose_without_an_ingress_is_refused(pulumi_run: RunProgram) -> None:
    def program() -> None:
        with pytest.raises(ValueError, match=r"^invalid arguments") as caught:  # ArgumentError
            ServerlessApp("web", app_args(expose=ExposeConfig()))
        assert str(caught.value) == (
            "invalid arguments of ServerlessApp 'web' (1 problem):\n"
            "  - ingress: expose needs an ingress (an AlbIngress or a ClbIngress)"
        )

    assert pulumi_run(program).of_type(SERVICE) == []


# --- the platform ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prod() -> ResourceGraph:
    return run_preview(PROJECT_ROOT, "prod", resolve_outputs=True)


def test_prod_exposes_web_through_the_alb_with_https(prod: ResourceGraph) -> None:
    ingress = one(prod, INGRESS)
    assert ingress.parent == node_named(prod, "web").urn
    assert [rule["host"] for rule in ingress.inputs["spec"]["rules"]] == [
        "shop.example.com",
        "web.shop.internal",
    ]
    annotations = ingress.inputs["metadata"]["annotations"]
    assert annotations["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP": 80}, {"HTTPS": 443}]'
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "true"
    record = node_named(prod, "shop-dns-app-web")
    assert (record.inputs["rr"], record.inputs["type"], record.inputs["value"]) == (
        "web",
        "CNAME",
        f"{_fake_id(ALB, one(prod, ALB).name)}.cn-hangzhou.alb.aliyuncsslb.com",
    )
    assert one(prod, ALB).urn in record.dependencies


def test_prod_destroy_removes_the_ingress_before_the_alb_the_cluster_and_the_network(
    prod: ResourceGraph,
) -> None:
    ingress = one(prod, INGRESS)
    for target in (
        one(prod, ALBCONFIG),
        one(prod, INGRESS_CLASS),
        one(prod, ALB),
        one(prod, CLUSTER),
        *prod.of_type(SWITCH),
    ):
        assert reaches(prod, ingress, target), target.name
    assert not reaches(prod, one(prod, ALB), ingress)


def test_dev_exposes_web_through_its_own_intranet_clb() -> None:
    dev = run_preview(PROJECT_ROOT, "dev", resolve_outputs=True)
    service = node_named(dev, "web-service")
    annotations = service.inputs["metadata"]["annotations"]
    first_vswitch = next(n for n in dev.of_type(SWITCH) if n.inputs["zoneId"] == "cn-hangzhou-i")
    assert annotations[C + "address-type"] == "intranet"
    assert annotations[C + "vswitch-id"] == _fake_id(SWITCH, first_vswitch.name)
    assert (
        annotations[C + "additional-resource-tags"]
        == "managed-by=ask-components,platform=shop-dev,stack=dev"
    )
    assert service.inputs["spec"]["type"] == "LoadBalancer"
    assert dev.of_type(INGRESS) == []
    # A destroy deletes the Service (and the cloud controller its CLB) before the cluster and
    # the vSwitches.
    for target in (one(dev, CLUSTER), *dev.of_type(SWITCH)):
        assert reaches(dev, service, target), target.name
    assert validate_graph(dev, "1.33") == []


def test_a_clb_exposed_app_gets_an_a_record_to_its_clb(pulumi_run: RunProgram) -> None:
    config = load_platform_config(
        platform_values(
            ingress={"kind": "clb"},
            dns={"zone": "shop.internal"},
            workloads={
                "apps": [
                    {
                        "name": "web",
                        "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.0",
                        "expose": {},
                    }
                ]
            },
        ),
        stack="dev",
    )
    graph = pulumi_run(lambda: Platform(config.name, config, secrets={}))
    record = node_named(graph, "shop-dns-app-web")
    service = node_named(graph, "web-service")
    assert (record.inputs["rr"], record.inputs["type"]) == ("web", "A")
    assert re.fullmatch(r"10\.255\.\d+\.\d+", record.inputs["value"])
    assert service.urn in record.dependencies
