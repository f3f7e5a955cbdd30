"""Every rendered manifest validates; the validator catches what the API server would refuse."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s
import pytest

from ask_components.config import load_platform_config
from ask_components.manifests import (
    ManifestProblem,
    SchemaError,
    manifest_of,
    schema_version,
    validate_graph,
    validate_manifest,
)
from ask_components.manifests import validate as validate_module
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceNode
from ask_components.preview.project import load_project, read_stack_config
from tests.conftest import PROJECT_ROOT, RunProgram


def stack_kubernetes_version(stack: str) -> str:
    values, secret_keys = read_stack_config(load_project(PROJECT_ROOT), stack)
    return load_platform_config(values, stack=stack, secret_keys=secret_keys).kubernetes_version


@pytest.mark.parametrize("stack", ["prod", "dev", "acs", "ack-pro"])
def test_every_manifest_of_the_stack_validates(stack: str) -> None:
    graph = run_preview(PROJECT_ROOT, stack)
    version = stack_kubernetes_version(stack)
    assert version == "1.33"
    assert validate_graph(graph, version) == []
    kinds = {manifest["kind"] for node in graph if (manifest := manifest_of(node)) is not None}
    if stack == "prod":
        assert kinds == {
            "Namespace",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "CronHorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "Secret",
            "CronJob",
            "Job",
            "ScheduledSparkApplication",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ConfigMap",
            "AlbConfig",
            "IngressClass",
            "Ingress",
        }


def test_an_unknown_field_and_a_wrong_type_are_caught(pulumi_run: RunProgram) -> None:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        k8s.apps.v1.Deployment(
            "web",
            metadata={"name": "web", "namespace": "shop"},
            spec={
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": "web:1",
                                "readinessProbes": {"tcpSocket": {"port": 80}},
                            }
                        ],
                        "terminationGracePeriodSeconds": "soon",
                    },
                },
            },
            opts=pulumi.ResourceOptions(provider=provider),
        )

    graph = pulumi_run(program)
    assert validate_graph(graph, "1.33") == [
        ManifestProblem(
            resource="web",
            kind="apps/v1/Deployment",
            name="shop/web",
            path="spec.template.spec.containers[0]",
            message="Additional properties are not allowed ('readinessProbes' was unexpected)",
        ),
        ManifestProblem(
            resource="web",
            kind="apps/v1/Deployment",
            name="shop/web",
            path="spec.template.spec.terminationGracePeriodSeconds",
            message="'soon' is not of type 'integer', 'null'",
        ),
    ]
    assert str(validate_graph(graph, "1.33")[0]) == (
        "apps/v1/Deployment shop/web (web) at spec.template.spec.containers[0]: "
        "Additional properties are not allowed ('readinessProbes' was unexpected)"
    )


def test_custom_resources_are_checked_with_the_shipped_schemas() -> None:
    cron_hpa = {
        "apiVersion": "autoscaling.alibabacloud.com/v1beta1",
        "kind": "CronHorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "autoscaling/v2",
                "kind": "HorizontalPodAutoscaler",
                "name": "web",
            },
            "jobs": [
                {
                    "name": "up",
                    "schedule": "0 0 0 * * 1-5",
                    "targetSize": 6,
                    "timeZone": "Asia/Shanghai",
                }
            ],
        },
    }
    assert validate_manifest(cron_hpa) == [
        ("spec.jobs[0]", "Additional properties are not allowed ('timeZone' was unexpected)")
    ]
    spark = {
        "apiVersion": "sparkoperator.k8s.io/v1beta2",
        "kind": "SparkApplication",
        "metadata": {"name": "etl"},
        "spec": {
            "type": "Kotlin",
            "sparkVersion": "3.5.5",
            "mainApplicationFile": "local:///a.jar",
            "driver": {"cores": "1"},
            "executor": {"instances": 2},
        },
    }
    assert validate_manifest(spark) == [
        ("spec.driver.cores", "'1' is not of type 'integer'"),
        ("spec.type", "'Kotlin' is not one of ['Java', 'Scala', 'Python', 'R']"),
    ]


def test_a_kind_without_any_schema_is_a_problem() -> None:
    assert validate_manifest(
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    ) == [
        (
            "",
            "no schema for example.com/v1 Widget: Kubernetes 1.33 has no such kind and the "
            "project ships none (ask_components/schemas/widget_example.com_v1.json)",
        )
    ]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.33", "1.33"),
        ("1.33.3-aliyun.1", "1.33"),
        ("v1.30.1", "1.30"),
        ("1.25", "1.25"),
        ("1.99", "1.37"),
    ],
)
def test_the_newest_schema_not_newer_than_the_cluster(version: str, expected: str) -> None:
    assert schema_version(version) == expected


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            "1.24",
            "Kubernetes 1.24 is older than every schema kubernetes-validate ships (oldest: 1.25)",
        ),
        ("latest", "'latest' is not a Kubernetes version like 1.33"),
    ],
)
def test_versions_that_cannot_be_served(version: str, message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        schema_version(version)
    assert str(caught.value) == message


def test_manifest_of_maps_type_tokens_and_drops_placeholders() -> None:
    service = ResourceNode(
        urn="u",
        type="kubernetes:core/v1:Secret",
        name="s",
        custom=True,
        inputs={
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s", "uid": "[unknown]"},
            "stringData": "[secret]",
        },
    )
    assert manifest_of(service) == {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
    role = ResourceNode(
        urn="u", type="kubernetes:rbac.authorization.k8s.io/v1:Role", name="r", custom=True
    )
    assert manifest_of(role) == {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role"}
    for type_token, custom in [
        ("alicloud:vpc/network:Network", True),
        ("kubernetes:helm.sh/v3:Release", True),
        ("kubernetes:yaml/v2:ConfigGroup", False),
        ("pulumi:providers:kubernetes", True),
    ]:
        assert manifest_of(ResourceNode(urn="u", type=type_token, name="x", custom=custom)) is None


def test_schemas_are_loaded_once() -> None:
    graph = run_preview(PROJECT_ROOT, "dev")
    validate_graph(graph, "1.33")
    misses = validate_module._validator.cache_info().misses
    validate_graph(graph, "1.33")
    assert validate_module._validator.cache_info().misses == misses
