"""AskCluster under recording mocks: the ManagedKubernetes inputs, the secret kubeconfig, the provider."""

from __future__ import annotations

import pulumi
import pytest

from ask_components.cluster.cluster import AskCluster, AskClusterArgs, ClusterAddon
from ask_components.preview.graph import SECRET_MASK
from tests.conftest import RunProgram

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"


def test_serverless_cluster_inputs(pulumi_run: RunProgram) -> None:
    def program() -> None:
        cluster = AskCluster(
            "ask",
            AskClusterArgs(
                vpc_id="vpc-1",
                vswitch_ids=["vsw-1", "vsw-2"],
                cluster_name="shop",
                edition="pro",
                version="1.33",
                service_cidr="172.21.0.0/20",
                addons=(
                    ClusterAddon("metrics-server"),
                    ClusterAddon(
                        "alb-ingress-controller",
                        config={"albIngress": {"CreateDefaultALBConfig": False}},
                    ),
                ),
                tags={"platform": "shop"},
            ),
        )
        pulumi.export("kubeconfig", cluster.kubeconfig)
        pulumi.export("cluster_id", cluster.cluster_id)

    graph = pulumi_run(program)
    node = graph.of_type(CLUSTER)[0]
    assert node.name == "ask-cluster"
    assert node.parent == graph.of_type("ask:cluster:AskCluster")[0].urn
    assert node.inputs == {
        "name": "shop",
        "profile": "Serverless",
        "clusterSpec": "ack.pro.small",
        "version": "1.33",
        "vswitchIds": ["vsw-1", "vsw-2"],
        "serviceCidr": "172.21.0.0/20",
        "newNatGateway": False,
        "slbInternetEnabled": False,
        "deletionProtection": False,
        "enableRrsa": True,
        "isEnterpriseSecurityGroup": True,
        "addons": [
            {"name": "metrics-server", "disabled": False},
            {
                "name": "alb-ingress-controller",
                "disabled": False,
                "config": '{"albIngress": {"CreateDefaultALBConfig": false}}',
            },
        ],
        "deleteOptions": [
            {"resourceType": "SLB", "deleteMode": "delete"},
            {"resourceType": "ALB", "deleteMode": "retain"},
            {"resourceType": "PrivateZone", "deleteMode": "delete"},
            {"resourceType": "SLS_Data", "deleteMode": "retain"},
            {"resourceType": "SLS_ControlPlane", "deleteMode": "retain"},
        ],
        "tags": {"platform": "shop"},
    }
    assert graph.outputs["kubeconfig"] == SECRET_MASK
    assert graph.outputs["cluster_id"].startswith("c-")

    provider = graph.of_type("pulumi:providers:kubernetes")[0]
    assert provider.name == "ask-k8s"
    assert provider.inputs["kubeconfig"] == SECRET_MASK
    assert provider.secret_paths == ("kubeconfig",)
    assert provider.inputs["deleteUnreachable"] == "true"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"edition": "basic"}, {"clusterSpec": "ack.standard"}),
        ({"public_api": True}, {"slbInternetEnabled": True}),
        ({"deletion_protection": True}, {"deletionProtection": True}),
        ({"new_nat_gateway": True}, {"newNatGateway": True}),
    ],
)
def test_options_map_to_inputs(
    pulumi_run: RunProgram, args: dict[str, object], expected: dict[str, object]
) -> None:
    def program() -> None:
        AskCluster("ask", AskClusterArgs(vpc_id="vpc-1", vswitch_ids=["vsw-1"], **args))  # type: ignore[arg-type]

    inputs = pulumi_run(program).of_type(CLUSTER)[0].inputs
    assert {key: inputs[key] for key in expected} == expected
    assert inputs["name"] == "ask"
    assert "version" not in inputs  # unset: Alibaba's latest


def test_the_kubeconfig_comes_from_the_cluster_credential_and_stays_secret(
    pulumi_run: RunProgram,
) -> None:
    seen: list[str] = []

    def program() -> None:
        cluster = AskCluster("ask", AskClusterArgs(vpc_id="vpc-1", vswitch_ids=["vsw-1"]))
        cluster.kubeconfig.apply(lambda text: seen.append(text))
        pulumi.Output.all(cluster.kubeconfig).apply(lambda _: None)
        assert isinstance(cluster.provider, pulumi.ProviderResource)

    graph = pulumi_run(program)
    assert len(seen) == 1
    assert seen[0].startswith("apiVersion: v1\nkind: Config\n")
    assert len(graph.of_type("pulumi:providers:kubernetes")) == 1
