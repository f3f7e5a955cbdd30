"""SandboxAlbIngress under recording mocks: the sandbox ALB, the Service standing for it in
ingress-nginx, the IngressClass for ingress-nginx, their edges; apps exposed on it get the ALB
annotations translated, the untranslatable ones warned about once per ingress."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pulumi
import pytest

from ask_components.cluster.kind import KindCluster, KindClusterArgs
from ask_components.errors import ArgumentError
from ask_components.ingress.config import ExposeConfig
from ask_components.ingress.expose import ExposedApp, expose_app, exposed_app_records
from ask_components.ingress.local import SandboxAlbIngress, SandboxAlbIngressArgs
from ask_components.manifests import validate_graph
from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
from ask_components.preview.engine import _fake_id, run_program
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.sandbox._base import type_token
from ask_components.sandbox.store import SandboxStore
from ask_components.workloads.app import HttpProbe, ServerlessApp, ServerlessAppArgs
from tests.components.test_expose import reaches
from tests.conftest import RunProgram

SANDBOX_ALB = type_token("SandboxAlb")
SANDBOX_VSW = type_token("SandboxVSwitch")
SANDBOX_VPC = type_token("SandboxVpc")
COMPONENT = "ask:ingress:SandboxAlbIngress"
SERVICE = "kubernetes:core/v1:Service"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]
STATE = ".ask-sandbox/test-state.db"
A = "alb.ingress.kubernetes.io/"
N = "nginx.ingress.kubernetes.io/"
CONTROLLER = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}


def local_alb(
    state: str = STATE, **args: Any
) -> tuple[SandboxNetwork, KindCluster, SandboxAlbIngress]:
    """A sandbox network, the kind cluster and a SandboxAlbIngress, wired as a target would."""
    network = SandboxNetwork(
        "net",
        SandboxNetworkArgs(
            cidr="10.0.0.0/16",
            zones=ZONES,
            egress="none",
            region="cn-hangzhou",
            sandbox_state=state,
        ),
    )
    cluster = KindCluster("kind", KindClusterArgs(context="kind-ask"))
    alb_args: dict[str, Any] = {
        "vpc_id": network.vpc_id,
        "zone_vswitches": {zone: network.vswitches[zone].id for zone in ZONES},
        "region": "cn-hangzhou",
        "tags": {"platform": "shop"},
        "sandbox_state": state,
    }
    alb_args.update(args)
    alb = SandboxAlbIngress(
        "shop-alb",
        SandboxAlbIngressArgs(**alb_args),
        pulumi.ResourceOptions(providers=[cluster.provider], depends_on=[cluster]),
    )
    for output in ("load_balancer_id", "dns_name", "ingress_class_name", "cluster_ip"):
        pulumi.export(output, getattr(alb, output))
    return network, cluster, alb


def one(graph: ResourceGraph, token: str) -> ResourceNode:
    nodes = graph.of_type(token)
    assert len(nodes) == 1, [node.name for node in nodes]
    return nodes[0]


def web(name: str = "web", **expose: Any) -> ExposedApp:
    return ExposedApp(
        name=name,
        namespace="shop",
        service_name=name,
        service_port=80,
        container_port=8080,
        readiness_path="/healthz",
        expose=ExposeConfig.model_validate(expose),
    )


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every pulumi.log.warn of the run: (message, resource)."""
    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda msg, resource=None, *_, **__: seen.append((msg, resource))
    )
    return seen


def test_the_sandbox_alb_the_service_standing_for_it_and_the_ingress_class(
    pulumi_run: RunProgram,
) -> None:
    graph = pulumi_run(lambda: local_alb(certificate_ids=["1234567-cn-hangzhou"]))
    component = one(graph, COMPONENT)
    lb, service, ingress_class = (
        one(graph, SANDBOX_ALB),
        one(graph, SERVICE),
        one(graph, INGRESS_CLASS),
    )
    switches = {
        node.inputs["zone_id"]: _fake_id(SANDBOX_VSW, node.name)
        for node in graph.of_type(SANDBOX_VSW)
    }
    assert (lb.name, service.name, ingress_class.name) == (
        "shop-alb-lb",
        "shop-alb-service",
        "shop-alb-class",
    )
    assert {lb.parent, service.parent, ingress_class.parent} == {component.urn}
    assert {key: value for key, value in lb.inputs.items() if key != "__provider"} == {
        "load_balancer_name": "shop-alb",
        "vpc_id": _fake_id(SANDBOX_VPC, one(graph, SANDBOX_VPC).name),
        "address_type": "Intranet",
        "address_allocated_mode": "Dynamic",
        "load_balancer_edition": "Standard",
        "zone_mappings": [{"zone_id": zone, "vswitch_id": switches[zone]} for zone in ZONES],
        "tags": {"platform": "shop"},
        "sandbox_state": STATE,
    }
    lb_id = _fake_id(SANDBOX_ALB, lb.name)
    dns_name = f"{lb_id}.cn-hangzhou.alb.aliyuncsslb.com"
    assert service.inputs == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "shop-alb",
            "namespace": "ingress-nginx",
            "labels": {
                "app.kubernetes.io/name": "shop-alb",
                "app.kubernetes.io/managed-by": "ask-components",
            },
            "annotations": {
                "ask-components.io/load-balancer-id": lb_id,
                "ask-components.io/dns-name": dns_name,
            },
        },
        "spec": {
            "type": "ClusterIP",
            "selector": CONTROLLER,
            "ports": [
                {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                {"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"},
            ],
        },
    }
    assert ingress_class.inputs == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    }
    # Nothing of Alibaba's ALB Ingress controller: no AlbConfig, nothing alicloud.
    assert [t for t in graph.type_counts() if t.startswith("alicloud:") or "AlbConfig" in t] == []
    assert graph.outputs["load_balancer_id"] == lb_id
    assert re.fullmatch(r"alb-[0-9a-f]{17}", lb_id)
    assert graph.outputs["dns_name"] == dns_name
    assert graph.outputs["ingress_class_name"] == "alb"
    assert re.fullmatch(r"10\.96\.\d+\.\d+", graph.outputs["cluster_ip"])
    assert "albconfig_name" not in graph.outputs
    assert validate_graph(graph, "1.33") == []


def test_http_only_the_service_has_port_80_and_a_public_alb_is_internet(
    pulumi_run: RunProgram,
) -> None:
    graph = pulumi_run(lambda: local_alb(public=True, edition="Basic", load_balancer_name="edge"))
    lb, service = one(graph, SANDBOX_ALB), one(graph, SERVICE)
    assert lb.inputs["address_type"] == "Internet"
    assert lb.inputs["load_balancer_edition"] == "Basic"
    assert lb.inputs["load_balancer_name"] == "edge"
    assert service.inputs["metadata"]["name"] == "edge"
    assert service.inputs["spec"]["ports"] == [
        {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}
    ]


def test_kubernetes_objects_go_through_the_kind_provider_and_edges_order_destroy(
    pulumi_run: RunProgram,
) -> None:
    graph = pulumi_run(local_alb)
    [provider] = graph.of_type("pulumi:providers:kubernetes")
    lb, service, ingress_class = (
        one(graph, SANDBOX_ALB),
        one(graph, SERVICE),
        one(graph, INGRESS_CLASS),
    )
    for node in (service, ingress_class):
        assert node.provider is not None
        assert node.provider.split("::")[:-1] == provider.urn.split("::")
    # The ALB depends on every vSwitch it maps; the Service (its id and DNS name) and the
    # IngressClass on the ALB.
    assert {node.urn for node in graph.of_type(SANDBOX_VSW)} <= set(lb.dependencies)
    assert lb.urn in service.dependencies
    assert lb.urn in ingress_class.dependencies


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
            {"ingress_class_name": "aliyun-alb"},
            "ingress_class_name: IngressClass name 'aliyun-alb' must not start with 'aliyun'",
        ),
        (
            {"redirect_http": True},
            "redirect_http: redirect_http needs HTTPS: give at least one certificate id",
        ),
        (
            {"load_balancer_name": "Shop_ALB"},
            "load_balancer_name: ALB name 'Shop_ALB' also names its Service in namespace "
            "ingress-nginx: use 1-63 lowercase letters, digits and '-', starting with a letter "
            "and ending with a letter or digit",
        ),
        (
            {"load_balancer_name": "ingress-nginx-controller"},
            "load_balancer_name: ALB name 'ingress-nginx-controller' would take the name of "
            "ingress-nginx's own Service in namespace ingress-nginx; choose another "
            "load_balancer_name",
        ),
    ],
)
def test_what_would_be_refused_fails_before_registering_anything(
    pulumi_run: RunProgram, args: dict[str, Any], problem: str
) -> None:
    base: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "zone_vswitches": {"cn-hangzhou-i": "vsw-1", "cn-hangzhou-j": "vsw-2"},
        **args,
    }

    def program() -> None:
        with pytest.raises(ArgumentError) as caught:
            SandboxAlbIngress("shop-alb", SandboxAlbIngressArgs(**base))
        assert str(caught.value) == (
            f"invalid arguments of SandboxAlbIngress 'shop-alb' (1 problem):\n  - {problem}"
        )

    graph = pulumi_run(program)
    assert [node.type for node in graph if node.type != "pulumi:pulumi:Stack"] == []


def test_an_exposed_app_gets_its_alb_annotations_translated(
    pulumi_run: RunProgram, warnings: list[tuple[str, Any]]
) -> None:
    components: list[SandboxAlbIngress] = []

    def program() -> None:
        _, cluster, alb = local_alb(certificate_ids=["1234567-cn-hangzhou"])
        components.append(alb)
        expose_app(
            "web",
            web(
                host="shop.example.com",
                path="/api(/|$)(.*)",
                annotations={
                    A + "rewrite-target": "/${2}",
                    A + "enable-cors": "true",
                    A + "cors-allow-origin": "https://shop.example.com",
                    A + "order": "2",
                },
            ),
            alb,
            pulumi.ResourceOptions(provider=cluster.provider),
            private_zone="shop.internal",
        )

    graph = pulumi_run(program)
    ingress = one(graph, INGRESS)
    assert ingress.name == "web-ingress"
    assert ingress.inputs["metadata"]["annotations"] == {
        N + "cors-allow-origin": "https://shop.example.com",
        N + "cors-max-age": "172800",
        N + "enable-cors": "true",
        N + "force-ssl-redirect": "true",
        N + "rewrite-target": "/$2",
        N + "use-regex": "true",
    }
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    paths = [{"path": "/api(/|$)(.*)", "pathType": "ImplementationSpecific", "backend": backend}]
    assert ingress.inputs["spec"] == {
        "ingressClassName": "alb",
        "rules": [
            {"host": "shop.example.com", "http": {"paths": paths}},
            {"host": "web.shop.internal", "http": {"paths": paths}},
        ],
    }
    # Created after (and destroyed before) the IngressClass and the Service of the ALB.
    assert {one(graph, INGRESS_CLASS).urn, one(graph, SERVICE).urn} <= set(ingress.dependencies)
    assert reaches(graph, ingress, one(graph, SANDBOX_ALB))
    assert validate_graph(graph, "1.33") == []
    assert warnings == [
        (
            "1 ALB annotation has no ingress-nginx equivalent, so the local target does not "
            "apply it: alb.ingress.kubernetes.io/order (used by shop/web)",
            components[0],
        )
    ]


def test_untranslated_annotations_are_warned_about_once_per_ingress(
    pulumi_run: RunProgram, warnings: list[tuple[str, Any]]
) -> None:
    def program() -> None:
        _, cluster, alb = local_alb()
        opts = pulumi.ResourceOptions(provider=cluster.provider)
        sticky = {A + "sticky-session": "true", A + "backend-scheduler": "wlc"}
        expose_app("web", web("web", path="/", annotations=sticky), alb, opts)
        expose_app(
            "api", web("api", path="/api", annotations={A + "sticky-session": "true"}), alb, opts
        )
        expose_app(
            "docs", web("docs", path="/docs", annotations={A + "canary": "false"}), alb, opts
        )

    graph = pulumi_run(program)
    assert len(graph.of_type(INGRESS)) == 3
    assert [message for message, _ in warnings] == [
        "2 ALB annotations have no ingress-nginx equivalent, so the local target does not apply "
        "them: alb.ingress.kubernetes.io/backend-scheduler (used by shop/web); "
        "alb.ingress.kubernetes.io/sticky-session (used by shop/api, shop/web)"
    ]


def test_no_warning_when_everything_translates(
    pulumi_run: RunProgram, warnings: list[tuple[str, Any]]
) -> None:
    def program() -> None:
        _, cluster, alb = local_alb()
        expose_app(
            "web",
            web(annotations={A + "canary": "true", A + "canary-weight": "30"}),
            alb,
            pulumi.ResourceOptions(provider=cluster.provider),
        )

    graph = pulumi_run(program)
    assert one(graph, INGRESS).inputs["metadata"]["annotations"] == {
        N + "canary": "true",
        N + "canary-weight": "30",
    }
    assert one(graph, INGRESS).inputs["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == (
        "Prefix"
    )
    assert warnings == []


def test_a_private_app_behind_a_public_sandbox_alb_is_refused(pulumi_run: RunProgram) -> None:
    def program() -> None:
        _, _, alb = local_alb(public=True)
        with pytest.raises(
            ValueError,
            match=re.escape(
                "app web asks to be private, but the ALB is Internet-facing; it would be public "
                "all the same"
            ),
        ):
            expose_app("web", web(public=False), alb)

    pulumi_run(program)


def test_the_app_record_is_a_cname_to_the_sandbox_albs_dns_name(tmp_path: Path) -> None:
    """With the sandbox provider's own create(): the DNS name is the store's."""
    state = str(tmp_path / "state.db")

    def program() -> None:
        _, cluster, alb = local_alb(state)
        exposure = expose_app("web", web(), alb, pulumi.ResourceOptions(provider=cluster.provider))
        app = SimpleNamespace(exposure=exposure, service=None)
        [record] = exposed_app_records(alb, [app, app])
        assert (record.rr, record.type, record.key) == ("web", "CNAME", "app-web")
        pulumi.export("cname", record.value)

    graph = run_program(program, run_dynamic_providers=True)
    with SandboxStore(Path(state)) as store:
        [lb] = store.list("SandboxAlb")
    assert lb.name == "shop-alb"
    assert graph.outputs["cname"] == lb.state["dns_name"]
    assert graph.outputs["dns_name"] == f"{lb.id}.cn-hangzhou.alb.aliyuncsslb.com"
    assert graph.outputs["load_balancer_id"] == lb.id


def test_a_serverless_app_exposed_on_the_sandbox_alb_gets_an_ingress(
    pulumi_run: RunProgram,
) -> None:
    def program() -> None:
        _, cluster, alb = local_alb()
        ServerlessApp(
            "web",
            ServerlessAppArgs(
                image="registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
                region="cn-hangzhou",
                namespace="shop",
                part_of="shop",
                readiness=HttpProbe("/healthz"),
                expose=ExposeConfig.model_validate({"annotations": {A + "canary": "false"}}),
                ingress=alb,
            ),
            pulumi.ResourceOptions(provider=cluster.provider),
        )

    graph = pulumi_run(program)
    ingress = one(graph, INGRESS)
    assert ingress.inputs["metadata"]["annotations"] == {N + "canary": "false"}
    assert ingress.inputs["spec"]["ingressClassName"] == "alb"
    app_service = next(n for n in graph.of_type(SERVICE) if n.name == "web-service")
    assert app_service.urn in ingress.dependencies
    assert validate_graph(graph, "1.33") == []


def test_the_offline_engine_gives_services_a_cluster_ip_as_the_api_server_does(
    pulumi_run: RunProgram,
) -> None:
    """Resolved runs: every ClusterIP Service gets spec.clusterIP from kind's 10.96.0.0/16, merged
    into its spec; a headless Service keeps ``None``."""
    import pulumi_kubernetes as k8s

    def program() -> None:
        ports = [{"port": 80}]
        plain = k8s.core.v1.Service("plain", spec={"selector": {"app": "a"}, "ports": ports})
        headless = k8s.core.v1.Service(
            "headless", spec={"clusterIP": "None", "selector": {"app": "a"}, "ports": ports}
        )
        pulumi.export("plain", plain.spec.apply(lambda s: (s.cluster_ip, s.ports[0].port)))
        pulumi.export("headless", headless.spec.apply(lambda s: s.cluster_ip))

    graph = pulumi_run(program)
    cluster_ip, port = graph.outputs["plain"]
    assert re.fullmatch(r"10\.96\.\d{1,3}\.\d{1,3}", cluster_ip)
    assert port == 80
    assert graph.outputs["headless"] == "None"
