"""What a first real `pulumi up` of the stacks needs (issue #12), through the Platform under mocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ask_components.errors import ConfigError
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.replacement import DELETE_BEFORE_REPLACE
from tests.conftest import PROJECT_ROOT

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
ADDON = "alicloud:cs/kubernetesAddon:KubernetesAddon"
RELEASE = "kubernetes:helm.sh/v3:Release"


def _one(graph: ResourceGraph, type_token: str) -> ResourceNode:
    [node] = graph.of_type(type_token)
    return node


@pytest.fixture(scope="module")
def prod() -> ResourceGraph:
    return run_preview(PROJECT_ROOT, "prod")


def test_the_cluster_is_created_with_a_full_version(prod: ResourceGraph) -> None:
    assert _one(prod, CLUSTER).inputs["version"] == "1.33.3-aliyun.1"


def test_the_cronhpa_depends_on_the_controller_addon(prod: ResourceGraph) -> None:
    addon = _one(prod, ADDON)
    assert addon.name == "shop-ask-addon-ack-kubernetes-cronhpa-controller"
    assert addon.inputs["name"] == "ack-kubernetes-cronhpa-controller"
    assert addon.parent == _one(prod, "ask:cluster:AskCluster").urn
    cron = _one(prod, "kubernetes:autoscaling.alibabacloud.com/v1beta1:CronHorizontalPodAutoscaler")
    assert addon.urn in cron.dependencies
    assert addon.urn in cron.options["dependsOn"]


def test_the_scheduled_spark_application_depends_on_the_operator(prod: ResourceGraph) -> None:
    operator = _one(prod, "ask:workloads:SparkOperator")
    release = _one(prod, RELEASE)
    assert release.parent == operator.urn
    assert release.inputs == {
        "name": "shop-spark-operator",
        "chart": "spark-operator",
        "version": "2.5.2",
        "repositoryOpts": {"repo": "https://kubeflow.github.io/spark-operator"},
        "namespace": "spark-operator",
        "atomic": True,
        "compat": "true",  # pulumi_kubernetes' own input
        "values": {
            "spark": {
                "jobNamespaces": [],
                "jobNamespaceSelector": "app.kubernetes.io/part-of=shop",
                "serviceAccount": {"create": False},
                "rbac": {"create": False},
            },
            "controller": {
                "resources": {
                    "requests": {"cpu": "500m", "memory": "1Gi"},
                    "limits": {"cpu": "500m", "memory": "1Gi"},
                }
            },
            "webhook": {
                "enable": True,
                "resources": {
                    "requests": {"cpu": "250m", "memory": "512Mi"},
                    "limits": {"cpu": "250m", "memory": "512Mi"},
                },
            },
        },
    }
    # The job namespaces carry the label the operator selects on.
    namespace = next(
        n
        for n in prod.of_type("kubernetes:core/v1:Namespace")
        if n.name == "shop-workloads-namespace"
    )
    assert namespace.inputs["metadata"]["labels"]["app.kubernetes.io/part-of"] == "shop"
    application = _one(prod, "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication")
    # A component dependency is the dependency on everything inside it (the release).
    assert release.urn in application.dependencies or operator.urn in application.dependencies
    assert application.inputs["spec"]["timeZone"] == "Asia/Shanghai"


def test_the_hpa_leaves_its_bounds_to_the_cronhpa(prod: ResourceGraph) -> None:
    hpa = _one(prod, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    assert hpa.options["ignoreChanges"] == ["spec.minReplicas", "spec.maxReplicas"]
    assert hpa.options["replaceOnChanges"] == [
        'metadata.annotations["autoscaling.ask-components.io/bounds"]'
    ]
    assert hpa.inputs["metadata"]["annotations"] == {"autoscaling.ask-components.io/bounds": "2-10"}
    assert (hpa.inputs["spec"]["minReplicas"], hpa.inputs["spec"]["maxReplicas"]) == (2, 10)


def test_an_hpa_without_schedules_keeps_its_bounds(project_copy: Path) -> None:
    graph = run_preview(
        project_copy,
        "dev",
        config_overrides={
            "ask:platform": _dev_with(
                apps=[
                    {
                        "name": "web",
                        "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
                        "autoscale": {"min": 1, "max": 3},
                    }
                ]
            )
        },
    )
    hpa = _one(graph, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    assert "ignoreChanges" not in hpa.options
    assert "annotations" not in hpa.inputs["metadata"]
    assert graph.of_type(ADDON) == []


def test_the_kubernetes_provider_never_deletes_unreachable_objects(prod: ResourceGraph) -> None:
    provider = _one(prod, "pulumi:providers:kubernetes")
    assert "deleteUnreachable" not in provider.inputs


def test_scope_unique_resources_are_deleted_before_replacement(prod: ResourceGraph) -> None:
    seen: set[str] = set()
    for node in prod:
        if node.type in DELETE_BEFORE_REPLACE:
            seen.add(node.type)
            assert node.options.get("deleteBeforeReplace") is True, node.urn
        elif node.custom and node.type.startswith("alicloud:"):
            assert "deleteBeforeReplace" not in node.options, node.urn
    assert seen == set(DELETE_BEFORE_REPLACE)


def test_prod_protects_the_cluster_and_the_alb(prod: ResourceGraph) -> None:
    protected = sorted(node.name for node in prod if node.options.get("protect"))
    assert protected == ["shop-alb-lb", "shop-ask-cluster"]


def test_dev_protects_nothing() -> None:
    graph = run_preview(PROJECT_ROOT, "dev")
    assert [node.name for node in graph if node.options.get("protect")] == []


def test_the_stack_file_can_turn_protection_off(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.prod.yaml"
    document = yaml.safe_load(stack.read_text())
    document["config"]["ask:platform"]["protect"] = False
    stack.write_text(yaml.safe_dump(document))
    graph = run_preview(project_copy, "prod")
    assert [node.name for node in graph if node.options.get("protect")] == []


def _dev_with(**workloads: Any) -> str:
    platform = yaml.safe_load((PROJECT_ROOT / "stacks" / "Pulumi.dev.yaml").read_text())["config"][
        "ask:platform"
    ]
    platform["workloads"] = workloads
    return json.dumps(platform)


def test_the_first_spark_job_brings_the_operator_in_the_same_up(project_copy: Path) -> None:
    before = run_preview(project_copy, "dev")
    assert before.of_type(RELEASE) == []
    spark = {
        "name": "etl",
        "image": "registry.cn-hangzhou.aliyuncs.com/shop/spark:3.5.5",
        "sparkVersion": "3.5.5",
        "mainApplicationFile": "local:///opt/spark/jars/etl.jar",
        "mainClass": "com.shop.Etl",
    }
    after = run_preview(
        project_copy, "dev", config_overrides={"ask:platform": _dev_with(sparkJobs=[spark])}
    )
    release = _one(after, RELEASE)
    application = _one(after, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication")
    assert release.urn in application.dependencies


def test_an_operator_too_old_for_time_zones_is_refused(project_copy: Path) -> None:
    platform = json.loads(_dev_with())
    platform["workloads"]["sparkOperator"] = {"version": "2.1.1"}
    with pytest.raises(ConfigError) as err:
        run_preview(project_copy, "dev", config_overrides={"ask:platform": json.dumps(platform)})
    assert [str(problem) for problem in err.value.problems] == [
        "ask:platform.workloads.sparkOperator.version: 2.1.1 is older than 2.2.0: "
        "ScheduledSparkApplication's timeZone needs spark-operator 2.2.0 or later"
    ]


def test_a_version_ack_does_not_offer_registers_no_cloud_resource(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text().replace('version: "1.33"', 'version: "1.31"'))
    registered: list[str] = []
    with pytest.raises(ConfigError) as err:
        run_preview(project_copy, "dev", registered=registered)
    assert [str(problem) for problem in err.value.problems] == [
        "ask:platform.cluster.version: 1.31 is not offered by ACK (Serverless clusters) "
        "(offered minor versions: 1.30, 1.33, 1.35, 1.36)"
    ]
    # Only the platform component and the provider the look-ups go through.
    assert sorted(urn.rsplit("::", 1)[1] for urn in registered) == ["shop-dev", "shop-dev-alicloud"]


def test_the_local_target_refuses_schedules(project_copy: Path) -> None:
    platform = json.loads(
        _dev_with(
            apps=[
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "autoscale": {"min": 1, "max": 3},
                    "schedules": [{"name": "up", "schedule": "0 0 8 * * *", "targetSize": 2}],
                }
            ]
        )
    )
    platform["ingress"] = {"kind": "none"}  # kind runs no cloud controller for dev's CLB
    with pytest.raises(ConfigError) as err:
        run_preview(
            project_copy,
            "dev",
            config_overrides={"ask:target": "local", "ask:platform": json.dumps(platform)},
        )
    assert [str(problem) for problem in err.value.problems] == [
        "ask:platform.workloads.apps[0].schedules: scheduled scaling needs ACK's CronHPA "
        "controller (the ack-kubernetes-cronhpa-controller add-on), which the local target does "
        "not run: leave schedules out of the local stack (autoscale works there)"
    ]


def test_the_json_carries_options_and_diagnostics(prod: ResourceGraph) -> None:
    document = json.loads(prod.to_json())
    nodes = {node["name"]: node for node in document["resources"]}
    assert nodes["shop-ask-cluster"]["options"] == {"protect": True, "deleteBeforeReplace": True}
    assert nodes["shop-network-vpc"]["options"] == {}
    assert [
        d["message"]
        for d in document["diagnostics"]
        if d["urn"] == nodes["shop-ask-cluster"]["urn"]
    ] == ["Kubernetes 1.33.3-aliyun.1: newest 1.33 patch offered by ACK (Serverless clusters)"]
