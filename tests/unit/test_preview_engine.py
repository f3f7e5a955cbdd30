"""The offline preview engine: what it records and how it shows values."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from ask_components.errors import ConfigError, InputError
from ask_components.preview.engine import UNKNOWN_MARK, ProgramError, run_preview
from ask_components.preview.graph import SECRET_MASK
from tests.conftest import PROJECT_ROOT, RunProgram


def test_prod_stack_graph() -> None:
    graph = run_preview(PROJECT_ROOT, "prod")
    assert graph.project == "ask-platform"
    assert graph.stack == "prod"
    counts = graph.type_counts()
    assert counts["alicloud:cs/managedKubernetes:ManagedKubernetes"] == 1
    assert counts["alicloud:vpc/switch:Switch"] == 3
    assert counts["alicloud:vpc/natGateway:NatGateway"] == 3
    assert counts["alicloud:ecs/eipAddress:EipAddress"] == 3
    assert counts["alicloud:ecs/eipAssociation:EipAssociation"] == 3
    assert counts["alicloud:vpc/snatEntry:SnatEntry"] == 3
    cluster = graph.of_type("alicloud:cs/managedKubernetes:ManagedKubernetes")[0]
    assert cluster.inputs["profile"] == "Serverless"
    assert cluster.inputs["deletionProtection"] is True
    assert cluster.urn == (
        "urn:pulumi:prod::ask-platform::ask:index:Platform$ask:cluster:AskCluster$"
        "alicloud:cs/managedKubernetes:ManagedKubernetes::shop-ask-cluster"
    )
    # A preview of a new stack: ids are not known yet.
    snat = graph.of_type("alicloud:vpc/snatEntry:SnatEntry")[0]
    assert snat.inputs["sourceVswitchId"] == UNKNOWN_MARK
    assert set(graph.outputs) == {
        "vpc_id",
        "vswitch_ids",
        "zone_ids",
        "nat_gateway_ids",
        "egress_ips",
        "cluster_id",
        "kubeconfig",
        "ingress_load_balancer_id",
        "ingress_dns_name",
        "private_zone_id",
        "private_zone_records",
        "workloads",
    }
    assert graph.outputs["private_zone_records"] == ["db.shop.internal", "web.shop.internal"]
    assert graph.outputs["kubeconfig"] == SECRET_MASK
    assert graph.outputs["zone_ids"] == ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]


def test_the_graph_order_is_stable_and_parent_first() -> None:
    first = [node.urn for node in run_preview(PROJECT_ROOT, "dev")]
    second = [node.urn for node in run_preview(PROJECT_ROOT, "dev")]
    assert first == second
    seen: set[str] = set()
    graph = run_preview(PROJECT_ROOT, "dev")
    for node in graph:
        assert node.parent is None or node.parent in seen
        seen.add(node.urn)
    assert graph.resources[0].type == "pulumi:pulumi:Stack"


def test_top_level_urns_carry_no_stack_type(pulumi_run: RunProgram) -> None:
    def program() -> None:
        import pulumi_alicloud as alicloud

        alicloud.vpc.Network("vpc", cidr_block="10.0.0.0/16")

    node = pulumi_run(program).of_type("alicloud:vpc/network:Network")[0]
    assert node.urn == "urn:pulumi:dev::ask-platform::alicloud:vpc/network:Network::vpc"


def test_numbers_come_back_as_ints_and_secrets_are_masked(pulumi_run: RunProgram) -> None:
    def program() -> None:
        import pulumi_kubernetes as k8s

        k8s.core.v1.Secret("token", string_data={"token": pulumi.Output.secret("s3cr3t")})
        k8s.core.v1.ConfigMap(
            "settings", data={"mode": "fast", "token": pulumi.Output.secret("s3cr3t")}
        )
        k8s.apps.v1.Deployment(
            "web",
            spec={
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": "nginx:1.27",
                                "ports": [{"containerPort": 8080}],
                            }
                        ],
                        "terminationGracePeriodSeconds": 1.5,
                    },
                },
            },
        )

    graph = pulumi_run(program)
    deployment = graph.of_type("kubernetes:apps/v1:Deployment")[0]
    assert deployment.inputs["spec"]["replicas"] == 2
    assert type(deployment.inputs["spec"]["replicas"]) is int
    pod = deployment.inputs["spec"]["template"]["spec"]
    assert pod["containers"][0]["ports"] == [{"containerPort": 8080}]
    assert pod["terminationGracePeriodSeconds"] == 1.5
    secret = graph.of_type("kubernetes:core/v1:Secret")[0]
    # pulumi-kubernetes makes a Secret's whole stringData secret; other inputs keep their shape.
    assert secret.inputs["stringData"] == SECRET_MASK
    assert secret.secret_paths == ("stringData",)
    config_map = graph.of_type("kubernetes:core/v1:ConfigMap")[0]
    assert config_map.inputs["data"] == {"mode": "fast", "token": SECRET_MASK}
    assert config_map.secret_paths == ("data.token",)
    assert "s3cr3t" not in graph.to_json()


def test_unknown_invokes_fail_the_run(pulumi_run: RunProgram) -> None:
    def program() -> None:
        import pulumi_alicloud as alicloud

        alicloud.get_zones()

    with pytest.raises(
        InputError,
        match="the program calls alicloud:index/getZones:getZones, which the offline preview cannot answer",
    ):
        pulumi_run(program)


def test_a_failing_program_is_a_program_error(pulumi_run: RunProgram) -> None:
    def program() -> None:
        raise KeyError("oops")

    with pytest.raises(ProgramError, match="the Pulumi program failed: KeyError: 'oops'"):
        pulumi_run(program)


def test_a_missing_stack_lists_the_stacks() -> None:
    with pytest.raises(InputError) as caught:
        run_preview(PROJECT_ROOT, "staging")
    assert str(caught.value).startswith("stack 'staging' has no config file ")
    assert str(caught.value).endswith("(stacks with one: ack-pro, acs, dev, local, prod)")


def test_no_project(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Pulumi\.yaml is missing"):
        run_preview(tmp_path, "dev")


def test_invalid_yaml_names_the_line(project_copy: Path) -> None:
    (project_copy / "stacks" / "Pulumi.dev.yaml").write_text("config:\n  ask:platform: [unclosed\n")
    with pytest.raises(InputError, match=r"is not valid YAML at line 3, column 1"):
        run_preview(project_copy, "dev")


def test_secure_config_values_are_masked_and_secret(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text() + "  ask:registryPassword:\n    secure: v1:abc==\n")
    from ask_components.preview.project import load_project, read_stack_config

    values, secret_keys = read_stack_config(load_project(project_copy), "dev")
    assert values["ask:registryPassword"] == SECRET_MASK
    assert secret_keys == ["ask:registryPassword"]


def test_bad_config_registers_nothing(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text()
        .replace("cidr: 10.10.0.0/16", "cidr: 8.8.0.0/16")
        .replace("zones: [cn-hangzhou-i, cn-hangzhou-j]", "zones: [cn-hangzhou-i, cn-shanghai-e]")
    )
    registered: list[str] = []
    with pytest.raises(ConfigError) as caught:
        run_preview(project_copy, "dev", registered=registered)
    assert [str(p) for p in caught.value.problems] == [
        "ask:platform.network.cidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        "ask:platform.network.zones[1]: zone cn-shanghai-e is not in region cn-hangzhou (configured as alicloud:region)",
    ]
    assert registered == []
