"""expose_app under recording mocks, with a Deployment and Service of the test's own: an Ingress
on the ALB, or the Service as a CLB; and the dependency edges that order a destroy."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest

from ask_components.ingress.config import ExposeConfig
from ask_components.ingress.expose import ClbIngress, ExposedApp, Exposure, expose_app
from ask_components.manifests import validate_graph
from ask_components.preview.graph import ResourceGraph, ResourceNode
from tests.components.test_alb_ingress import (
    ALB,
    ALBCONFIG,
    CLUSTER,
    INGRESS_CLASS,
    SWITCH,
    one,
    platform_with_alb,
)
from tests.conftest import RunProgram

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
A = "alb.ingress.kubernetes.io/"
C = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"
LABELS = {"app": "web"}


def web(**expose: Any) -> ExposedApp:
    return ExposedApp(
        name="web",
        namespace="shop",
        service_name="web",
        service_port=80,
        container_port=8080,
        readiness_path="/healthz",
        readiness_port=8080,
        expose=ExposeConfig.model_validate(expose),
    )


def deployment(provider: k8s.Provider) -> None:
    k8s.apps.v1.Deployment(
        "web",
        metadata={"name": "web", "namespace": "shop"},
        spec={
            "selector": {"matchLabels": LABELS},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.0",
                            "ports": [{"containerPort": 8080}],
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                        }
                    ]
                },
            },
        },
        opts=pulumi.ResourceOptions(provider=provider),
    )


def test_an_alb_exposed_app_gets_an_ingress(pulumi_run: RunProgram) -> None:
    def program() -> None:
        _, cluster, alb = platform_with_alb(public=True, certificate_ids=["1234567-cn-hangzhou"])
        deployment(cluster.provider)
        k8s.core.v1.Service(
            "web-svc",
            metadata={"name": "web", "namespace": "shop"},
            spec={"selector": LABELS, "ports": [{"port": 80, "targetPort": 8080}]},
            opts=pulumi.ResourceOptions(provider=cluster.provider),
        )
        exposure = expose_app(
            "web",
            web(host="shop.example.com", public=True),
            alb,
            pulumi.ResourceOptions(provider=cluster.provider),
            private_zone="shop.internal",
        )
        assert exposure.service is None
        assert exposure.public is True
        assert exposure.hosts == ("shop.example.com", "web.shop.internal")

    graph = pulumi_run(program)
    ingress = one(graph, INGRESS)
    assert ingress.name == "web-ingress"
    assert ingress.inputs["metadata"]["annotations"] == {
        A + "healthcheck-connect-port": "0",
        A + "healthcheck-enabled": "true",
        A + "healthcheck-httpcode": "http_2xx,http_3xx",
        A + "healthcheck-method": "GET",
        A + "healthcheck-path": "/healthz",
        A + "healthcheck-protocol": "HTTP",
        A + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        A + "ssl-redirect": "true",
    }
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    paths = [{"path": "/", "pathType": "Prefix", "backend": backend}]
    assert ingress.inputs["spec"] == {
        "ingressClassName": "alb",
        "rules": [
            {"host": "shop.example.com", "http": {"paths": paths}},
            {"host": "web.shop.internal", "http": {"paths": paths}},
        ],
    }
    # listen-ports names exactly the AlbConfig's listeners.
    listeners = one(graph, ALBCONFIG).inputs["spec"]["listeners"]
    assert [{item["protocol"]: item["port"]} for item in listeners] == [
        {"HTTP": 80},
        {"HTTPS": 443},
    ]
    # The Ingress waits for (and is destroyed before) what serves it.
    assert {one(graph, ALBCONFIG).urn, one(graph, INGRESS_CLASS).urn} <= set(ingress.dependencies)
    assert validate_graph(graph, "1.33") == []


def test_an_apps_own_alb_annotations_follow_the_managed_ones(pulumi_run: RunProgram) -> None:
    def program() -> None:
        _, cluster, alb = platform_with_alb()
        expose_app(
            "web",
            web(
                path="/api(/|$)(.*)",
                annotations={A + "rewrite-target": "/${2}", A + "canary": "false"},
            ),
            alb,
            pulumi.ResourceOptions(provider=cluster.provider),
        )

    graph = pulumi_run(program)
    ingress = one(graph, INGRESS)
    # (A map on the wire: the order the builder gives them is checked in its unit test.)
    assert ingress.inputs["metadata"]["annotations"] == {
        A + "healthcheck-connect-port": "0",
        A + "healthcheck-enabled": "true",
        A + "healthcheck-httpcode": "http_2xx,http_3xx",
        A + "healthcheck-method": "GET",
        A + "healthcheck-path": "/healthz",
        A + "healthcheck-protocol": "HTTP",
        A + "listen-ports": '[{"HTTP": 80}]',
        A + "canary": "false",
        A + "rewrite-target": "/${2}",
    }
    # ALB reads the regex itself: the path stays Prefix, as Alibaba's rewrite examples have it.
    assert ingress.inputs["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Prefix"


def test_alb_annotations_on_a_clb_are_refused() -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(
            "app web has ALB annotations (alb.ingress.kubernetes.io/canary), but the ingress is "
            "CLB: they apply to an ALB only"
        ),
    ):
        expose_app("web", web(annotations={A + "canary": "true"}), ClbIngress())


def reaches(graph: ResourceGraph, start: ResourceNode, goal: ResourceNode) -> bool:
    """Whether ``start`` depends on ``goal`` through dependencies, parents and providers: what
    the engine orders a destroy by (a resource goes before everything it reaches)."""
    by_urn = graph.by_urn()
    seen: set[str] = set()
    todo = [start.urn]
    while todo:
        urn = todo.pop()
        if urn == goal.urn:
            return True
        if urn in seen or urn not in by_urn:
            continue
        seen.add(urn)
        node = by_urn[urn]
        todo.extend(node.dependencies)
        if node.parent:
            todo.append(node.parent)
        if node.provider:
            todo.append(node.provider.rsplit("::", 1)[0])
    return False


def test_destroy_removes_the_ingress_before_the_alb_the_cluster_and_the_network(
    pulumi_run: RunProgram,
) -> None:
    def program() -> None:
        _, cluster, alb = platform_with_alb()
        expose_app("web", web(), alb, pulumi.ResourceOptions(provider=cluster.provider))

    graph = pulumi_run(program)
    ingress = one(graph, INGRESS)
    for target in (
        one(graph, ALBCONFIG),
        one(graph, INGRESS_CLASS),
        one(graph, ALB),
        one(graph, CLUSTER),
        *graph.of_type(SWITCH),
    ):
        assert reaches(graph, ingress, target), target.name
    # and nothing serving it depends back on it
    for node in graph:
        if node.urn != ingress.urn:
            assert not reaches(graph, node, ingress), node.name


def clb_program(
    exposures: list[Exposure],
    *,
    public: bool = False,
    expose: dict[str, Any] | None = None,
    **clb: Any,
) -> Any:
    from ask_components.cluster.cluster import AskCluster, AskClusterArgs
    from ask_components.network.network import Network, NetworkArgs

    def program() -> None:
        network = Network(
            "net",
            NetworkArgs(
                cidr="10.0.0.0/16", zones=["cn-hangzhou-i", "cn-hangzhou-j"], egress="none"
            ),
        )
        cluster = AskCluster(
            "ask", AskClusterArgs(vpc_id=network.vpc_id, vswitch_ids=network.vswitch_ids)
        )
        ingress = ClbIngress(
            public=public,
            intranet_vswitch_id=network.vswitches["cn-hangzhou-i"].id,
            tags={"platform": "shop"},
            depends_on=(cluster, network),
            **clb,
        )
        deployment(cluster.provider)
        exposure = expose_app("web", web(**(expose or {})), ingress)
        exposures.append(exposure)
        assert exposure.service is not None
        k8s.core.v1.Service(
            "web-svc",
            metadata={
                "name": "web",
                "namespace": "shop",
                "annotations": exposure.service.annotations,
            },
            spec=exposure.service.spec(LABELS),
            opts=pulumi.ResourceOptions(
                provider=cluster.provider, depends_on=exposure.service.depends_on
            ),
        )

    return program


def test_a_clb_exposed_app_is_an_intranet_loadbalancer_service(pulumi_run: RunProgram) -> None:
    exposures: list[Exposure] = []
    graph = pulumi_run(clb_program(exposures))
    assert exposures[0].ingress is None
    assert exposures[0].public is False
    service = one(graph, SERVICE)
    vswitch = next(
        node for node in graph.of_type(SWITCH) if node.inputs["zoneId"] == "cn-hangzhou-i"
    )
    from ask_components.preview.engine import _fake_id

    assert service.inputs["metadata"]["annotations"] == {
        C + "additional-resource-tags": "platform=shop",
        C + "address-type": "intranet",
        C + "delete-protection": "off",
        C + "health-check-type": "http",
        C + "health-check-uri": "/healthz",
        C + "instance-charge-type": "PayByCLCU",
        C + "name": "shop-web",
        C + "vswitch-id": _fake_id(SWITCH, vswitch.name),
    }
    assert service.inputs["spec"] == {
        "type": "LoadBalancer",
        "selector": LABELS,
        "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
    }
    assert graph.of_type(INGRESS) == []
    # The LoadBalancer Service depends on the cluster and every network resource, so a destroy
    # deletes it (and the CCM its CLB) before the vSwitches go.
    assert one(graph, CLUSTER).urn in service.dependencies
    assert {node.urn for node in graph.of_type(SWITCH)} <= set(service.dependencies)
    assert validate_graph(graph, "1.33") == []


def test_a_public_https_clb(pulumi_run: RunProgram) -> None:
    exposures: list[Exposure] = []
    graph = pulumi_run(
        clb_program(
            exposures, public=True, certificate_id="1234567-cn-hangzhou", deletion_protection=True
        )
    )
    annotations = one(graph, SERVICE).inputs["metadata"]["annotations"]
    assert {
        key: annotations[C + key]
        for key in (
            "address-type",
            "protocol-port",
            "cert-id",
            "forward-port",
            "health-check-flag",
            "delete-protection",
        )
    } == {
        "address-type": "internet",
        "protocol-port": "https:443,http:80",
        "cert-id": "1234567-cn-hangzhou",
        "forward-port": "80:443",
        "health-check-flag": "on",
        "delete-protection": "on",
    }
    assert C + "vswitch-id" not in annotations
    assert [port["port"] for port in one(graph, SERVICE).inputs["spec"]["ports"]] == [443, 80]
    assert validate_graph(graph, "1.33") == []


def test_an_app_may_be_private_on_a_public_clb_ingress(pulumi_run: RunProgram) -> None:
    exposures: list[Exposure] = []
    graph = pulumi_run(clb_program(exposures, public=True, expose={"public": False}))
    assert one(graph, SERVICE).inputs["metadata"]["annotations"][C + "address-type"] == "intranet"


@pytest.mark.parametrize(
    ("ingress_public", "app_public", "kind", "message"),
    [
        (
            False,
            True,
            "alb",
            "app web asks to be public, but the ingress is intranet (reachable from the VPC only)",
        ),
        (
            False,
            True,
            "clb",
            "app web asks to be public, but the ingress is intranet (reachable from the VPC only)",
        ),
        (
            True,
            False,
            "alb",
            "app web asks to be private, but the ALB is Internet-facing; it would be public all the same",
        ),
    ],
)
def test_public_must_agree_with_the_ingress(
    pulumi_run: RunProgram, ingress_public: bool, app_public: bool, kind: str, message: str
) -> None:
    caught: list[str] = []

    def program() -> None:
        ingress: Any
        if kind == "alb":
            ingress = platform_with_alb(public=ingress_public)[2]
        else:
            ingress = ClbIngress(public=ingress_public, intranet_vswitch_id="vsw-1")
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$") as error:
            expose_app("web", web(public=app_public), ingress)
        caught.append(str(error.value))

    graph = pulumi_run(program)
    assert caught == [message]
    assert graph.of_type(INGRESS) == []
