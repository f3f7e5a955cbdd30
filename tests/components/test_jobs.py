"""ServerlessCronJob and BatchJob under recording mocks: exact specs, spot with fallback."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ask_components.preview.graph import ResourceGraph
from ask_components.workloads.batch import BatchJob, BatchJobArgs
from ask_components.workloads.cronjob import ServerlessCronJob, ServerlessCronJobArgs
from ask_components.workloads.eci import EciOptions
from tests.conftest import RunProgram

SECURITY = {
    "pod": {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
    "container": {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
    },
}
SPOT = {
    "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
    "k8s.aliyun.com/eci-spot-fallback": "true",
}


def labels(name: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    }


def pod_template(
    name: str,
    component: str,
    image: str,
    spec: tuple[str, str],
    annotations: dict[str, str],
    **container: Any,
) -> dict[str, Any]:
    cpu, memory = spec
    return {
        "metadata": {"labels": labels(name, component), "annotations": annotations},
        "spec": {
            "containers": [
                {
                    "name": name,
                    "image": image,
                    **container,
                    "resources": {
                        "requests": {"cpu": cpu, "memory": memory},
                        "limits": {"cpu": cpu, "memory": memory},
                    },
                    "securityContext": SECURITY["container"],
                    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                }
            ],
            "restartPolicy": "Never",
            "automountServiceAccountToken": False,
            "securityContext": SECURITY["pod"],
            "volumes": [{"name": "tmp", "emptyDir": {}}],
        },
    }


def run(pulumi_run: RunProgram, build: Any) -> ResourceGraph:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        component = build(pulumi.ResourceOptions(provider=provider))
        pulumi.export("billed_spec", component.billed_spec)

    return pulumi_run(program)


def test_cronjob_runs_on_spot_with_fallback_by_default(pulumi_run: RunProgram) -> None:
    graph = run(
        pulumi_run,
        lambda opts: ServerlessCronJob(
            "report",
            ServerlessCronJobArgs(
                image="report:1.4.2",
                region="cn-hangzhou",
                cpu="1",
                memory="2Gi",
                args=["--yesterday"],
                schedule="30 2 * * *",
                time_zone="Asia/Shanghai",
                active_deadline_seconds=3600,
            ),
            opts,
        ),
    )
    [cron] = graph.of_type("kubernetes:batch/v1:CronJob")
    assert cron.inputs == {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {
            "name": "report",
            "namespace": "default",
            "labels": labels("report", "cronjob"),
        },
        "spec": {
            "schedule": "30 2 * * *",
            "timeZone": "Asia/Shanghai",
            "concurrencyPolicy": "Forbid",
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1,
            "startingDeadlineSeconds": 300,
            "jobTemplate": {
                "metadata": {"labels": labels("report", "cronjob")},
                "spec": {
                    "backoffLimit": 2,
                    "activeDeadlineSeconds": 3600,
                    "template": pod_template(
                        "report",
                        "cronjob",
                        "report:1.4.2",
                        ("1", "2Gi"),
                        {"k8s.aliyun.com/eci-use-specs": "1-2Gi", **SPOT},
                        args=["--yesterday"],
                    ),
                },
            },
        },
    }
    assert graph.outputs["billed_spec"] == "1-2Gi"


def test_cronjob_spot_can_be_turned_off(pulumi_run: RunProgram) -> None:
    graph = run(
        pulumi_run,
        lambda opts: ServerlessCronJob(
            "report",
            ServerlessCronJobArgs(
                image="report:1",
                region="cn-hangzhou",
                schedule="@daily",
                eci=EciOptions(),
                starting_deadline_seconds=None,
            ),
            opts,
        ),
    )
    spec = graph.of_type("kubernetes:batch/v1:CronJob")[0].inputs["spec"]
    assert spec["jobTemplate"]["spec"]["template"]["metadata"]["annotations"] == {
        "k8s.aliyun.com/eci-use-specs": "0.5-1Gi"
    }
    assert "startingDeadlineSeconds" not in spec
    assert "timeZone" not in spec


def test_batch_job_is_parallel_fail_fast_spot_and_not_awaited(pulumi_run: RunProgram) -> None:
    graph = run(
        pulumi_run,
        lambda opts: BatchJob(
            "render",
            BatchJobArgs(
                image="render:2.0.1",
                region="cn-hangzhou",
                cpu="2",
                memory="5Gi",
                parallelism=10,
                completions=50,
                backoff_limit=5,
                ttl_seconds_after_finished=86400,
                fail_fast=True,
                restart_policy="Never",
            ),
            opts,
        ),
    )
    [job] = graph.of_type("kubernetes:batch/v1:Job")
    assert job.inputs == {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "render",
            "namespace": "default",
            "labels": labels("render", "batch"),
            # A batch may run for hours: `pulumi up` does not wait for it.
            "annotations": {"pulumi.com/skipAwait": "true"},
        },
        "spec": {
            "parallelism": 10,
            "completions": 50,
            "backoffLimit": 5,
            "ttlSecondsAfterFinished": 86400,
            # 2 vCPU / 5 GiB: spot cannot use the extended 2-6Gi (see the next test), so 2-8Gi.
            "template": pod_template(
                "render",
                "batch",
                "render:2.0.1",
                ("2", "8Gi"),
                {
                    "k8s.aliyun.com/eci-use-specs": "2-8Gi",
                    **SPOT,
                    "k8s.aliyun.com/eci-fail-strategy": "fail-fast",
                },
            ),
        },
    }
    assert graph.outputs["billed_spec"] == "2-8Gi"


def test_batch_job_on_demand_may_use_extended_specs(pulumi_run: RunProgram) -> None:
    graph = run(
        pulumi_run,
        lambda opts: BatchJob(
            "render",
            BatchJobArgs(
                image="render:1", region="cn-hangzhou", cpu="2", memory="5Gi", eci=EciOptions()
            ),
            opts,
        ),
    )
    annotations = graph.of_type("kubernetes:batch/v1:Job")[0].inputs["spec"]["template"][
        "metadata"
    ]["annotations"]
    assert annotations == {"k8s.aliyun.com/eci-use-specs": "2-6Gi"}
