"""ServerlessApp under recording mocks: the exact pod template, Service, HPA, CronHPA and PDB."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest

from ask_components.errors import ArgumentError
from ask_components.preview.engine import run_program
from ask_components.preview.graph import SECRET_MASK, ResourceGraph
from ask_components.workloads.app import (
    Autoscale,
    HttpProbe,
    ScheduledScaling,
    ServerlessApp,
    ServerlessAppArgs,
)
from ask_components.workloads.eci import EciOptions
from ask_components.workloads.pod import PodSecurity
from tests.conftest import RunProgram

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
LABELS = {
    "app.kubernetes.io/name": "web",
    "app.kubernetes.io/component": "app",
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "shop",
}
METADATA = {"name": "web", "namespace": "shop", "labels": LABELS}


def run_app(pulumi_run: RunProgram, **overrides: Any) -> ResourceGraph:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        args: dict[str, Any] = {
            "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
            "region": "cn-hangzhou",
            "cpu": "1",
            "memory": "1.5Gi",
            "namespace": "shop",
            "part_of": "shop",
            **overrides,
        }
        app = ServerlessApp(
            "web", ServerlessAppArgs(**args), pulumi.ResourceOptions(provider=provider)
        )
        pulumi.export("billed_spec", app.billed_spec)
        pulumi.export("service", [app.service_name, app.namespace, app.port, app.target_port])
        pulumi.export("readiness_path", app.readiness_path)

    return pulumi_run(program)


def test_the_pod_template_states_the_billed_spec_and_runs_locked_down(
    pulumi_run: RunProgram,
) -> None:
    graph = run_app(
        pulumi_run,
        env={"LOG_LEVEL": "info"},
        readiness=HttpProbe("/healthz", period_seconds=5),
        liveness=HttpProbe("/livez", initial_delay_seconds=10),
        eci=EciOptions(specs=("2-4Gi",)),
    )
    [deployment] = graph.of_type(DEPLOYMENT)
    assert deployment.inputs == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": METADATA,
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
            },
            "template": {
                "metadata": {
                    "labels": LABELS,
                    # 1 vCPU / 1.5 GiB rounds up to 1-2Gi: stated first, then the fallback.
                    "annotations": {"k8s.aliyun.com/eci-use-specs": "1-2Gi,2-4Gi"},
                },
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
                            "env": [{"name": "LOG_LEVEL", "value": "info"}],
                            "ports": [{"name": "http", "containerPort": 8080}],
                            "readinessProbe": {
                                "httpGet": {"path": "/healthz", "port": 8080},
                                "initialDelaySeconds": 0,
                                "periodSeconds": 5,
                                "timeoutSeconds": 1,
                                "failureThreshold": 3,
                            },
                            "livenessProbe": {
                                "httpGet": {"path": "/livez", "port": 8080},
                                "initialDelaySeconds": 10,
                                "periodSeconds": 10,
                                "timeoutSeconds": 1,
                                "failureThreshold": 3,
                            },
                            # requests = limits = the ECI spec, not the 1.5 GiB asked for.
                            "resources": {
                                "requests": {"cpu": "1", "memory": "2Gi"},
                                "limits": {"cpu": "1", "memory": "2Gi"},
                            },
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]},
                                "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True,
                            },
                            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                        }
                    ],
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "runAsGroup": 10001,
                        "fsGroup": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }
    assert graph.outputs["billed_spec"] == "1-2Gi"
    assert graph.outputs["service"] == ["web", "shop", 80, 8080]
    assert graph.outputs["readiness_path"] == "/healthz"


def test_service_port_to_container_port(pulumi_run: RunProgram) -> None:
    graph = run_app(pulumi_run, port=3000, service_port=8080)
    [service] = graph.of_type("kubernetes:core/v1:Service")
    assert service.inputs == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": METADATA,
        "spec": {
            "type": "ClusterIP",
            "selector": {"app.kubernetes.io/name": "web"},
            "ports": [{"name": "http", "port": 8080, "targetPort": 3000, "protocol": "TCP"}],
        },
    }
    # One replica: no HPA, no CronHPA, no PodDisruptionBudget.
    assert [node.type.split(":")[-1] for node in graph if node.type.startswith("kubernetes:")] == [
        "Deployment",
        "Service",
    ]


def test_autoscaling_with_a_workday_schedule(pulumi_run: RunProgram) -> None:
    graph = run_app(
        pulumi_run,
        autoscale=Autoscale(2, 10, 60),
        schedules=[
            ScheduledScaling("workday-up", "0 0 8 * * 1-5", 6),
            ScheduledScaling("workday-down", "0 0 20 * * 1-5", 2),
        ],
        schedule_time_zone="Asia/Shanghai",
    )
    [deployment] = graph.of_type(DEPLOYMENT)
    # The HPA owns the replica count: the Deployment states none.
    assert "replicas" not in deployment.inputs["spec"]
    [hpa] = graph.of_type("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    assert hpa.inputs["spec"] == {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2,
        "maxReplicas": 10,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 60},
                },
            }
        ],
    }
    [cron_hpa] = graph.of_type(
        "kubernetes:autoscaling.alibabacloud.com/v1beta1:CronHorizontalPodAutoscaler"
    )
    assert cron_hpa.inputs == {
        "apiVersion": "autoscaling.alibabacloud.com/v1beta1",
        "kind": "CronHorizontalPodAutoscaler",
        "metadata": METADATA,
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "autoscaling/v2",
                "kind": "HorizontalPodAutoscaler",
                "name": "web",
            },
            # 08:00 and 20:00 in Shanghai, in the controller's UTC.
            "jobs": [
                {
                    "name": "workday-up",
                    "schedule": "0 0 0 * * 1-5",
                    "targetSize": 6,
                    "runOnce": False,
                },
                {
                    "name": "workday-down",
                    "schedule": "0 0 12 * * 1-5",
                    "targetSize": 2,
                    "runOnce": False,
                },
            ],
        },
    }
    [pdb] = graph.of_type("kubernetes:policy/v1:PodDisruptionBudget")
    assert pdb.inputs["spec"] == {
        "minAvailable": 1,
        "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
    }


@pytest.mark.parametrize(("replicas", "has_pdb"), [(1, False), (2, True), (3, True)])
def test_a_disruption_budget_from_two_replicas(
    pulumi_run: RunProgram, replicas: int, has_pdb: bool
) -> None:
    graph = run_app(pulumi_run, replicas=replicas)
    assert len(graph.of_type("kubernetes:policy/v1:PodDisruptionBudget")) == int(has_pdb)
    assert graph.of_type(DEPLOYMENT)[0].inputs["spec"]["replicas"] == replicas


def test_secret_env_lives_in_a_secret_never_in_the_pod_spec(pulumi_run: RunProgram) -> None:
    graph = run_app(pulumi_run, secret_env={"DB_PASSWORD": pulumi.Output.secret("hunter2-db")})
    [secret] = graph.of_type("kubernetes:core/v1:Secret")
    assert secret.inputs == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {**METADATA, "name": "web-env"},
        "type": "Opaque",
        "stringData": SECRET_MASK,
    }
    assert secret.secret_paths == ("stringData",)
    [deployment] = graph.of_type(DEPLOYMENT)
    assert deployment.inputs["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "web-env", "key": "DB_PASSWORD"}},
        }
    ]
    assert secret.urn in deployment.dependencies
    assert "hunter2-db" not in graph.to_json()


def test_children_are_parented_and_use_the_cluster_provider(pulumi_run: RunProgram) -> None:
    graph = run_app(pulumi_run, autoscale=Autoscale(2, 4), create_namespace=True, namespace="web")
    [component] = graph.of_type("ask:workloads:ServerlessApp")
    [provider] = graph.of_type("pulumi:providers:kubernetes")
    children = graph.children(component.urn)
    assert sorted(child.name for child in children) == [
        "web-deployment",
        "web-hpa",
        "web-namespace",
        "web-pdb",
        "web-service",
    ]
    for child in children:
        assert child.provider is not None
        assert child.provider.startswith(provider.urn + "::")
    [namespace] = graph.of_type("kubernetes:core/v1:Namespace")
    assert namespace.inputs["metadata"] == {
        "name": "web",
        "labels": {
            **LABELS,
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
        },
    }
    for child in children:
        if child is not namespace:
            assert namespace.urn in child.dependencies


def test_user_and_read_only_root_filesystem_can_be_changed(pulumi_run: RunProgram) -> None:
    graph = run_app(pulumi_run, security=PodSecurity(2000, read_only_root_filesystem=False))
    pod = graph.of_type(DEPLOYMENT)[0].inputs["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == 2000
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is False


def test_schedules_without_autoscale_are_refused(pulumi_run: RunProgram) -> None:
    registered: list[str] = []

    def program() -> None:
        ServerlessApp(
            "web",
            ServerlessAppArgs(
                image="nginx:1.27",
                region="cn-hangzhou",
                schedules=[ScheduledScaling("up", "0 0 8 * * *", 2)],
            ),
        )

    with pytest.raises(ArgumentError) as caught:
        run_program(program, registered=registered)
    # The stack file's own rule and message (AppConfig), at the argument's path.
    assert str(caught.value) == (
        "invalid arguments of ServerlessApp 'web' (1 problem):\n"
        "  - schedules: scheduled scaling needs autoscale: the CronHPA moves the HPA's min "
        "replicas (set autoscale: {min, max})"
    )
    assert registered == []


def test_plain_secret_env_values_are_made_secret(pulumi_run: RunProgram) -> None:
    graph = run_app(pulumi_run, secret_env={"API_KEY": "plain-text-key"})
    assert "plain-text-key" not in graph.to_json()
    assert graph.of_type("kubernetes:core/v1:Secret")[0].secret_paths == ("stringData",)
