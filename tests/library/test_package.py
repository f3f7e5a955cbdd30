"""The multi-language package: its schema (what `pulumi package get-schema` returns), the
generated argument types, and Network, AskCluster, ServerlessApp and Platform constructed through
the component provider's own construct path, in-process under the offline engine."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.errors import ArgumentError
from ask_components.package import generate
from ask_components.package.host import SCHEMA_PATH, package_schema, provider
from ask_components.preview.engine import run_program
from ask_components.preview.graph import ResourceGraph

RESOURCES = ("Network", "AskCluster", "ServerlessApp", "Platform")


def test_askc_package_schema_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(app, ["package", "schema"])
    assert result.exit_code == 0, result.output
    # Kept current: `askc package schema > ask_components/package/schema.json`.
    assert result.output == SCHEMA_PATH.read_text()
    assert json.loads(result.output) == package_schema()


def test_the_argument_types_are_current() -> None:
    # `python -m ask_components.package.generate` rewrites them from the models.
    assert generate.render() == generate.TYPES_PATH.read_text()


def test_every_resource_has_typed_inputs_and_outputs_with_descriptions() -> None:
    schema = package_schema()
    assert schema["name"] == "ask"
    assert sorted(schema["resources"]) == sorted(f"ask:index:{name}" for name in RESOURCES)
    for token, resource in schema["resources"].items():
        assert resource["isComponent"] is True
        assert resource["description"], token
        for kind in ("inputProperties", "properties"):
            for prop, spec in resource[kind].items():
                assert spec.get("description"), (token, prop)
                assert "type" in spec or "$ref" in spec, (token, prop)
    network = schema["resources"]["ask:index:Network"]
    assert network["requiredInputs"] == ["zones"]
    assert network["inputProperties"]["egress"]["type"] == "string"
    assert network["inputProperties"]["egress"]["description"].endswith(
        "One of: none, single, per-zone."
    )
    assert network["inputProperties"]["eipBandwidthMbps"]["type"] == "integer"
    assert network["properties"]["vswitchIds"] == {
        "description": "The vSwitch ids, in zone order.",
        "items": {"description": "The vSwitch ids, in zone order.", "type": "string"},
        "type": "array",
    }
    cluster = schema["resources"]["ask:index:AskCluster"]
    assert cluster["requiredInputs"] == ["vpcId", "vswitchIds"]
    # Values known later (another resource's id) are inputs, not plain values.
    assert "plain" not in cluster["inputProperties"]["vpcId"]
    assert cluster["inputProperties"]["addons"]["items"]["$ref"] == "#/types/ask:index:AddonConfig"
    assert "allowReplacement" not in cluster["inputProperties"]
    app_inputs = schema["resources"]["ask:index:ServerlessApp"]["inputProperties"]
    assert {"image", "region", "secrets", "autoscale", "clusterKind"} <= set(app_inputs)
    assert not {"name", "secretEnv", "expose"} & set(app_inputs)
    platform = schema["resources"]["ask:index:Platform"]
    assert platform["requiredInputs"] == ["name", "network", "region"]
    assert platform["inputProperties"]["workloads"]["$ref"] == "#/types/ask:index:WorkloadsConfig"
    assert "kubeconfig" in platform["required"]
    assert "privateZoneId" not in platform["required"]
    assert schema["types"]["ask:index:AppConfig"]["required"] == ["image", "name"]


def _construct(component: str, inputs: dict[str, Any], opts: Any = None) -> None:
    """What the engine's Construct call runs: the provider maps schema names to Python names
    (numbers arrive as floats) and calls the component with a plain dict."""
    host = provider()
    host.construct("main", f"ask:index:{component}", inputs, opts or pulumi.ResourceOptions())


def _types(graph: ResourceGraph) -> list[tuple[str, str]]:
    return [
        (node.urn.split("::")[2], node.name) for node in graph if node.type != "pulumi:pulumi:Stack"
    ]


def test_network_through_the_providers_construct() -> None:
    graph = run_program(
        lambda: _construct(
            "Network",
            {
                "cidr": "10.0.0.0/16",
                "zones": ["cn-hangzhou-i", "cn-hangzhou-j"],
                "egress": "single",
                "eipBandwidthMbps": 50.0,
                "tags": {"team": "a"},
            },
        )
    )
    assert _types(graph) == [
        ("ask:index:Network", "main"),
        ("ask:index:Network$ask:network:Network", "main"),
        ("ask:index:Network$ask:network:Network$alicloud:ecs/eipAddress:EipAddress", "main-eip"),
        (
            "ask:index:Network$ask:network:Network$alicloud:ecs/eipAssociation:EipAssociation",
            "main-eip-assoc",
        ),
        ("ask:index:Network$ask:network:Network$alicloud:vpc/natGateway:NatGateway", "main-nat"),
        (
            "ask:index:Network$ask:network:Network$alicloud:vpc/snatEntry:SnatEntry",
            "main-snat-cn-hangzhou-i",
        ),
        (
            "ask:index:Network$ask:network:Network$alicloud:vpc/snatEntry:SnatEntry",
            "main-snat-cn-hangzhou-j",
        ),
        ("ask:index:Network$ask:network:Network$alicloud:vpc/network:Network", "main-vpc"),
        (
            "ask:index:Network$ask:network:Network$alicloud:vpc/switch:Switch",
            "main-vsw-cn-hangzhou-i",
        ),
        (
            "ask:index:Network$ask:network:Network$alicloud:vpc/switch:Switch",
            "main-vsw-cn-hangzhou-j",
        ),
    ]
    eip = graph.of_type("alicloud:ecs/eipAddress:EipAddress")[0]
    assert (eip.inputs["bandwidth"], eip.inputs["tags"]) == ("50", {"team": "a"})


def test_bad_inputs_through_construct_name_the_schemas_keys_and_register_nothing() -> None:
    from pulumi.provider.server import ComponentInitError

    registered: list[str] = []

    def program() -> None:
        with pytest.raises(ComponentInitError) as caught:
            _construct(
                "AskCluster",
                {
                    "vpcId": "vpc-1",
                    "vswitchIds": ["vsw-1"],
                    "serviceCidr": "8.8.0.0/16",
                    "kind": "gke",
                },
            )
        error = caught.value.inner  # the engine shows str(error) to the consumer
        assert isinstance(error, ArgumentError)
        assert str(error) == (
            "invalid arguments of AskCluster 'main' (2 problems):\n"
            "  - kind: 'gke' is not allowed: 'ask', 'acs' or 'ack-pro'\n"
            "  - serviceCidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 "
            "or 192.168.0.0/16"
        )

    run_program(program, registered=registered)
    assert registered == []


def test_ask_cluster_through_the_providers_construct() -> None:
    graph = run_program(
        lambda: _construct(
            "AskCluster",
            {"vpcId": "vpc-1", "vswitchIds": ["vsw-1", "vsw-2"], "kind": "acs", "version": "1.33"},
        ),
        resolve_outputs=True,
    )
    cluster = graph.of_type("alicloud:cs/managedKubernetes:ManagedKubernetes")[0]
    assert cluster.parent == graph.of_type("ask:cluster:AskCluster")[0].urn
    assert (
        graph.of_type("ask:cluster:AskCluster")[0].parent
        == graph.of_type("ask:index:AskCluster")[0].urn
    )
    assert (cluster.inputs["profile"], cluster.inputs["clusterSpec"]) == ("Acs", "ack.pro.small")
    assert [addon["name"] for addon in cluster.inputs["addons"]] == [
        "managed-coredns",
        "managed-metrics-server",
    ]
    assert cluster.inputs["vswitchIds"] == ["vsw-1", "vsw-2"]
    assert len(graph.of_type("pulumi:providers:kubernetes")) == 1


def test_serverless_app_through_the_providers_construct() -> None:
    def program() -> None:
        _construct(
            "ServerlessApp",
            {
                "image": "registry.example.com/web:1.0",
                "region": "cn-hangzhou",
                "cpu": "1",
                "memory": "2Gi",
                "autoscale": {"min": 2.0, "max": 5.0},
                "secrets": {"API_KEY": pulumi.Output.secret("k")},
            },
        )

    graph = run_program(program)
    assert sorted(node.type for node in graph if node.custom) == [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:Service",
        "kubernetes:policy/v1:PodDisruptionBudget",
    ]
    deployment = graph.of_type("kubernetes:apps/v1:Deployment")[0]
    assert deployment.inputs["metadata"]["namespace"] == "default"
    template = deployment.inputs["spec"]["template"]
    assert template["metadata"]["annotations"]["k8s.aliyun.com/eci-use-specs"] == "1-2Gi"
    assert graph.of_type("kubernetes:core/v1:Secret")[0].secret_paths == ("stringData",)


def test_platform_through_the_providers_construct() -> None:
    inputs = {
        "name": "shop",
        "region": "cn-hangzhou",
        "network": {"cidr": "10.0.0.0/16", "zones": ["cn-hangzhou-i", "cn-hangzhou-j"]},
        "cluster": {"kind": "acs"},
        "workloads": {
            "apps": [{"name": "web", "image": "web:1", "secretEnv": {"TOKEN": "apiToken"}}]
        },
        "secrets": {"ask:apiToken": pulumi.Output.secret("t")},
    }
    graph = run_program(lambda: _construct("Platform", inputs), stack="prod")
    assert [node.urn.split("::")[2] for node in graph][:3] == [
        "pulumi:pulumi:Stack",
        "ask:index:Platform",
        "ask:index:Platform$ask:index:Platform",
    ]
    counts = graph.type_counts()
    assert {
        key: counts[key]
        for key in ("ask:network:Network", "ask:cluster:AskCluster", "ask:workloads:ServerlessApp")
    } == {
        "ask:network:Network": 1,
        "ask:cluster:AskCluster": 1,
        "ask:workloads:ServerlessApp": 1,
    }
    cluster = graph.of_type("alicloud:cs/managedKubernetes:ManagedKubernetes")[0]
    # The stack is the consumer's: prod* gets deletion protection, as from a stack file.
    assert (cluster.inputs["profile"], cluster.inputs["deletionProtection"]) == ("Acs", True)
    labels = graph.of_type("kubernetes:apps/v1:Deployment")[0].inputs["spec"]["template"][
        "metadata"
    ]["labels"]
    assert labels["alibabacloud.com/compute-class"] == "general-purpose"


def test_platform_secrets_through_construct_are_checked() -> None:
    from pulumi.provider.server import ComponentInitError

    def program() -> None:
        with pytest.raises(ComponentInitError) as caught:
            _construct(
                "Platform",
                {
                    "name": "shop",
                    "region": "cn-hangzhou",
                    "network": {"cidr": "10.0.0.0/16", "zones": ["cn-hangzhou-i"]},
                    "workloads": {
                        "apps": [
                            {"name": "web", "image": "web:1", "secretEnv": {"TOKEN": "apiToken"}}
                        ]
                    },
                },
            )
        assert str(caught.value.inner) == (
            "invalid arguments of Platform 'main' (1 problem):\n"
            "  - secrets['ask:apiToken']: is missing: "
            "ask:platform.workloads.apps[0].secretEnv.TOKEN reads it"
        )

    run_program(program)


def test_python_users_keep_their_type_tokens_and_urns(pulumi_run: Any) -> None:
    # The package adds ask:index:* wrappers; the Python classes keep the tokens deployed stacks'
    # URNs hold, so no alias is needed.
    from ask_components.preview.engine import run_preview
    from tests.conftest import PROJECT_ROOT

    graph = run_preview(PROJECT_ROOT, "dev")
    types = {node.urn.split("::")[2] for node in graph}
    assert {
        "ask:index:Platform",
        "ask:index:Platform$ask:network:Network",
        "ask:index:Platform$ask:cluster:AskCluster",
        "ask:index:Platform$ask:workloads:ServerlessApp",
    } <= types
    assert not any(t.startswith("ask:index:Platform$ask:index:") for t in types)


def test_the_repository_is_a_source_based_package() -> None:
    import ast

    import yaml

    from tests.conftest import PROJECT_ROOT

    plugin = yaml.safe_load((PROJECT_ROOT / "PulumiPlugin.yaml").read_text())
    assert plugin == {
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
        "main": "provider",
    }
    entry = (PROJECT_ROOT / "provider" / "__main__.py").read_text()
    tree = ast.parse(entry)
    assert "from ask_components.package.host import main" in entry
    # Hosting starts only when the language host runs it, never on import (the analyzer
    # imports component modules).
    guard = tree.body[-1]
    assert isinstance(guard, ast.If)
    assert ast.unparse(guard.test) == "__name__ == '__main__'"
    # The plugin's virtualenv installs this repository (and so its pinned dependencies).
    requirements = (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
    assert [line for line in requirements if not line.startswith("#")] == ["-e ."]
