"""The Platform builds the configured workloads on the cluster's provider, secrets kept secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ask_components.errors import ConfigError
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import SECRET_MASK
from tests.conftest import PROJECT_ROOT, RunProgram, platform_values

WORKLOAD_TYPES = {
    "ask:workloads:ServerlessApp",
    "ask:workloads:ServerlessCronJob",
    "ask:workloads:BatchJob",
    "ask:workloads:SparkJob",
    "ask:workloads:CiRunnerPool",
}


CLUSTER_SCOPED = {
    "kubernetes:alibabacloud.com/v1:AlbConfig",
    "kubernetes:networking.k8s.io/v1:IngressClass",
}


def test_prod_workloads_hang_off_the_platform_on_the_cluster_provider() -> None:
    graph = run_preview(PROJECT_ROOT, "prod")
    [platform] = graph.of_type("ask:index:Platform")
    [provider] = graph.of_type("pulumi:providers:kubernetes")
    assert provider.name == "shop-ask-k8s"
    workloads = [node for node in graph if node.type in WORKLOAD_TYPES]
    assert sorted((node.type.split(":")[-1], node.name) for node in workloads) == [
        ("BatchJob", "thumbnail-backfill"),
        ("CiRunnerPool", "gitlab-ci"),
        ("ServerlessApp", "web"),
        ("ServerlessCronJob", "nightly-report"),
        ("SparkJob", "daily-sales"),
    ]
    assert all(node.parent == platform.urn for node in workloads)
    namespaces = {node.name: node for node in graph.of_type("kubernetes:core/v1:Namespace")}
    assert sorted(namespaces) == ["shop-spark-operator-namespace", "shop-workloads-namespace"]
    namespace = namespaces["shop-workloads-namespace"]
    [operator] = graph.of_type("ask:workloads:SparkOperator")
    assert operator.parent == platform.urn
    operator_children = {node.urn for node in graph.children(operator.urn)}
    assert namespace.inputs["metadata"]["name"] == "shop"
    by_urn = graph.by_urn()
    for node in graph:
        if node.type.startswith("kubernetes:"):
            assert node.provider is not None
            assert node.provider.startswith(provider.urn + "::")
            # The Namespace, the ingress's cluster-scoped AlbConfig and IngressClass and the
            # Spark operator (its own namespace) aside.
            if (
                node is not namespace
                and node.type not in CLUSTER_SCOPED
                and node.urn not in operator_children
            ):
                assert node.inputs["metadata"]["namespace"] == "shop"
                assert by_urn[node.parent].type in WORKLOAD_TYPES  # type: ignore[index]
    for workload in workloads:
        assert namespace.urn in workload.dependencies
    assert graph.outputs["workloads"] == {
        "apps": {"web": "1-2Gi"},
        "cronJobs": {"nightly-report": "1-2Gi"},
        "batchJobs": {"thumbnail-backfill": "2-4Gi"},
        "sparkJobs": {"daily-sales": "driver 1-4Gi, 4x executor 2-8Gi"},
        "ciRunners": {"gitlab-ci": "2-4Gi"},
    }


def test_secure_values_stay_secret_in_the_graph() -> None:
    graph = run_preview(PROJECT_ROOT, "prod")
    secrets = graph.of_type("kubernetes:core/v1:Secret")
    assert sorted(node.name for node in secrets) == [
        "gitlab-ci-token",
        "nightly-report-env",
        "web-env",
    ]
    for node in secrets:
        assert node.inputs["stringData"] == SECRET_MASK
        assert node.secret_paths == ("stringData",)
    assert "v1:c2hvcC1wcm9k" not in graph.to_json()


def run_platform(pulumi_run: RunProgram, workloads: dict[str, Any], **config: Any) -> Any:
    from ask_components import Platform, platform_config_from_pulumi

    def program() -> None:
        platform_config = platform_config_from_pulumi()
        Platform(platform_config.name, platform_config)

    values = {**platform_values(workloads=workloads), **config}
    secret_keys = [key for key in config if key.startswith("ask:")]
    return pulumi_run(program, config=values, secret_keys=secret_keys)


def test_secret_values_reach_the_secret_and_nothing_else(pulumi_run: RunProgram) -> None:
    graph = run_platform(
        pulumi_run,
        {"apps": [{"name": "web", "image": "web:1", "secretEnv": {"DB_PASSWORD": "dbPassword"}}]},
        **{"ask:dbPassword": "correct-horse-battery"},
    )
    assert "correct-horse-battery" not in graph.to_json()
    [secret] = graph.of_type("kubernetes:core/v1:Secret")
    assert secret.inputs["metadata"]["name"] == "web-env"
    assert secret.secret_paths == ("stringData",)


def test_a_workload_with_its_own_namespace_creates_it(pulumi_run: RunProgram) -> None:
    graph = run_platform(
        pulumi_run,
        {
            "apps": [{"name": "web", "image": "web:1"}],
            "cronJobs": [
                {"name": "report", "image": "r:1", "schedule": "@daily", "namespace": "reports"}
            ],
        },
    )
    namespaces = graph.of_type("kubernetes:core/v1:Namespace")
    assert sorted((node.name, node.inputs["metadata"]["name"]) for node in namespaces) == [
        ("report-namespace", "reports"),
        ("shop-workloads-namespace", "shop"),
    ]
    [cron] = graph.of_type("kubernetes:batch/v1:CronJob")
    assert cron.inputs["metadata"]["namespace"] == "reports"


def test_no_shared_namespace_when_no_workload_uses_it(pulumi_run: RunProgram) -> None:
    graph = run_platform(
        pulumi_run, {"apps": [{"name": "web", "image": "web:1", "namespace": "web"}]}
    )
    assert [node.name for node in graph.of_type("kubernetes:core/v1:Namespace")] == [
        "web-namespace"
    ]


def test_no_workloads_no_workload_output(pulumi_run: RunProgram) -> None:
    graph = run_platform(pulumi_run, {})
    assert "workloads" not in graph.outputs
    assert graph.of_type("kubernetes:core/v1:Namespace") == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "",
            "ask:platform.workloads.ciRunners[0].tokenSecret: config key ask:gitlabRunnerToken is not set: pulumi config set --secret ask:gitlabRunnerToken <value>",
        ),
        (
            "  ask:gitlabRunnerToken: glrt-in-plain-text\n",
            "ask:platform.workloads.ciRunners[0].tokenSecret: config key ask:gitlabRunnerToken is set in plain text; it must be a secret: pulumi config set --secret ask:gitlabRunnerToken <value>",
        ),
    ],
)
def test_secret_problems_register_nothing(project_copy: Path, extra: str, message: str) -> None:
    stack = project_copy / "stacks" / "Pulumi.prod.yaml"
    text = stack.read_text()
    start = text.index("  ask:gitlabRunnerToken:")
    stack.write_text(text[:start] + extra)
    registered: list[str] = []
    with pytest.raises(ConfigError) as caught:
        run_preview(project_copy, "prod", registered=registered)
    assert [str(problem) for problem in caught.value.problems] == [message]
    assert registered == []
