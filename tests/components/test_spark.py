"""SparkJob under recording mocks: the SparkApplication, ECI per role, the driver's RBAC."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ask_components.preview.graph import ResourceGraph
from ask_components.workloads.spark import SparkJob, SparkJobArgs, SparkPod
from tests.conftest import RunProgram

SPARK_APP = "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication"
SCHEDULED = "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication"
LABELS = {
    "app.kubernetes.io/name": "etl",
    "app.kubernetes.io/component": "spark",
    "app.kubernetes.io/managed-by": "pulumi",
}
POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "runAsGroup": 10001,
    "fsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
}


def run_spark(pulumi_run: RunProgram, **overrides: Any) -> ResourceGraph:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        args: dict[str, Any] = {
            "image": "spark-etl:3.5.5-1",
            "region": "cn-hangzhou",
            "namespace": "data",
            "spark_version": "3.5.5",
            "main_application_file": "local:///opt/spark/jars/etl.jar",
            "main_class": "com.shop.Etl",
            "arguments": ["--date", "yesterday"],
            "driver": SparkPod(1, "2Gi"),
            "executor": SparkPod(2, "4Gi", 4),
            **overrides,
        }
        job = SparkJob("etl", SparkJobArgs(**args), pulumi.ResourceOptions(provider=provider))
        pulumi.export("specs", [job.billed_spec, job.driver_spec, job.executor_spec])

    return pulumi_run(program)


def test_spark_application_sizes_driver_and_executors_for_eci(pulumi_run: RunProgram) -> None:
    graph = run_spark(pulumi_run, spark_conf={"spark.sql.shuffle.partitions": "64"})
    [app] = graph.of_type(SPARK_APP)
    assert app.inputs == {
        "apiVersion": "sparkoperator.k8s.io/v1beta2",
        "kind": "SparkApplication",
        "metadata": {"name": "etl", "namespace": "data", "labels": LABELS},
        "spec": {
            "type": "Scala",
            "sparkVersion": "3.5.5",
            "mode": "cluster",
            "image": "spark-etl:3.5.5-1",
            "imagePullPolicy": "IfNotPresent",
            "mainApplicationFile": "local:///opt/spark/jars/etl.jar",
            "mainClass": "com.shop.Etl",
            "arguments": ["--date", "yesterday"],
            "sparkConf": {"spark.sql.shuffle.partitions": "64"},
            "restartPolicy": {"type": "Never"},
            "volumes": [{"name": "tmp", "emptyDir": {}}],
            # On-demand: 2 GiB heap + 384 MiB overhead -> 1-4Gi; the overhead takes the rest.
            "driver": {
                "cores": 1,
                "coreRequest": "1",
                "coreLimit": "1",
                "memory": "2048m",
                "memoryOverhead": "2048m",
                "labels": LABELS,
                "annotations": {
                    "k8s.aliyun.com/eci-use-specs": "1-4Gi",
                    "k8s.aliyun.com/eci-auto-imc": "true",
                },
                "podSecurityContext": POD_SECURITY,
                "securityContext": CONTAINER_SECURITY,
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                "serviceAccount": "etl-spark",
            },
            # Spot: 4 GiB + 410 MiB does not fit 2-4Gi, and 2-6Gi is not for spot -> 2-8Gi.
            "executor": {
                "cores": 2,
                "coreRequest": "2",
                "coreLimit": "2",
                "memory": "4096m",
                "memoryOverhead": "4096m",
                "labels": LABELS,
                "annotations": {
                    "k8s.aliyun.com/eci-use-specs": "2-8Gi",
                    "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
                    "k8s.aliyun.com/eci-spot-fallback": "true",
                    "k8s.aliyun.com/eci-auto-imc": "true",
                },
                "podSecurityContext": POD_SECURITY,
                "securityContext": CONTAINER_SECURITY,
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                "instances": 4,
            },
        },
    }
    assert graph.outputs["specs"] == ["driver 1-4Gi, 4x executor 2-8Gi", "1-4Gi", "2-8Gi"]


def test_the_driver_can_manage_its_executors(pulumi_run: RunProgram) -> None:
    graph = run_spark(pulumi_run)
    [account] = graph.of_type("kubernetes:core/v1:ServiceAccount")
    [role] = graph.of_type("kubernetes:rbac.authorization.k8s.io/v1:Role")
    [binding] = graph.of_type("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
    metadata = {"name": "etl-spark", "namespace": "data", "labels": LABELS}
    assert account.inputs["metadata"] == metadata
    assert role.inputs["rules"] == [
        {
            "apiGroups": [""],
            "resources": ["pods", "services", "configmaps", "persistentvolumeclaims"],
            "verbs": ["create", "get", "list", "watch", "delete"],
        }
    ]
    assert binding.inputs["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "etl-spark",
    }
    assert binding.inputs["subjects"] == [
        {"kind": "ServiceAccount", "name": "etl-spark", "namespace": "data"}
    ]
    [app] = graph.of_type(SPARK_APP)
    assert binding.urn in app.dependencies


def test_a_schedule_makes_a_scheduled_spark_application(pulumi_run: RunProgram) -> None:
    graph = run_spark(
        pulumi_run,
        schedule="0 3 * * *",
        time_zone="Asia/Shanghai",
        app_type="Python",
        main_application_file="local:///opt/etl.py",
        main_class=None,
    )
    assert graph.of_type(SPARK_APP) == []
    [scheduled] = graph.of_type(SCHEDULED)
    spec = scheduled.inputs["spec"]
    assert {key: spec[key] for key in ("schedule", "timeZone", "concurrencyPolicy")} == {
        "schedule": "0 3 * * *",
        "timeZone": "Asia/Shanghai",
        "concurrencyPolicy": "Forbid",
    }
    template = spec["template"]
    assert template["type"] == "Python"
    assert "mainClass" not in template
    # Python's 40% overhead: 4 GiB needs 1.6 GiB more; on spot that is 2-8Gi.
    assert (template["executor"]["memory"], template["executor"]["memoryOverhead"]) == (
        "4096m",
        "4096m",
    )
    assert template["driver"]["annotations"]["k8s.aliyun.com/eci-use-specs"] == "1-4Gi"
