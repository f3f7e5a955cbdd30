"""CiRunnerPool under recording mocks: config.toml, the runner pod, RBAC, and the token."""

from __future__ import annotations

import tomllib
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ask_components.preview.graph import SECRET_MASK, ResourceGraph
from ask_components.workloads.ci_runner import CiRunnerPool, CiRunnerPoolArgs
from ask_components.workloads.eci import EciOptions
from tests.conftest import RunProgram

TOKEN = "glrt-t0ps3cr3tRunnerT0ken"
LABELS = {
    "app.kubernetes.io/name": "gitlab-ci",
    "app.kubernetes.io/component": "ci-runner",
    "app.kubernetes.io/managed-by": "pulumi",
}


def run_runner(pulumi_run: RunProgram, **overrides: Any) -> ResourceGraph:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        token = pulumi.Config("ask").require_secret("gitlabRunnerToken")
        args: dict[str, Any] = {
            "region": "cn-hangzhou",
            "namespace": "ci",
            "url": "https://gitlab.example.com",
            "token": token,
            "concurrency": 8,
            "tags": ["eci", "docker"],
            "job_cpu": "2",
            "job_memory": "4Gi",
            **overrides,
        }
        pool = CiRunnerPool(
            "gitlab-ci", CiRunnerPoolArgs(**args), pulumi.ResourceOptions(provider=provider)
        )
        pulumi.export("specs", [pool.billed_spec, pool.runner_spec])

    return pulumi_run(
        program, config={"ask:gitlabRunnerToken": TOKEN}, secret_keys=["ask:gitlabRunnerToken"]
    )


def test_the_token_never_appears_in_plain_text(pulumi_run: RunProgram) -> None:
    graph = run_runner(pulumi_run)
    assert TOKEN not in graph.to_json()
    [secret] = graph.of_type("kubernetes:core/v1:Secret")
    assert secret.inputs == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "gitlab-ci-token", "namespace": "ci", "labels": LABELS},
        "type": "Opaque",
        "stringData": SECRET_MASK,
    }
    [deployment] = graph.of_type("kubernetes:apps/v1:Deployment")
    [runner] = deployment.inputs["spec"]["template"]["spec"]["containers"]
    assert runner["env"] == [
        {"name": "HOME", "value": "/runner"},
        {
            "name": "CI_SERVER_TOKEN",
            "valueFrom": {"secretKeyRef": {"name": "gitlab-ci-token", "key": "token"}},
        },
    ]
    assert secret.urn in deployment.dependencies


def test_config_toml_sizes_job_pods_to_their_eci_spec(pulumi_run: RunProgram) -> None:
    graph = run_runner(pulumi_run, job_eci=EciOptions(spot="SpotAsPriceGo", spot_fallback=True))
    [config_map] = graph.of_type("kubernetes:core/v1:ConfigMap")
    assert config_map.inputs["metadata"] == {
        "name": "gitlab-ci-config",
        "namespace": "ci",
        "labels": LABELS,
    }
    config = tomllib.loads(config_map.inputs["data"]["config.toml"])
    assert config == {
        "concurrent": 8,
        "check_interval": 3,
        "shutdown_timeout": 30,
        "log_format": "json",
        "runners": [
            {
                "name": "gitlab-ci",
                "url": "https://gitlab.example.com",
                "executor": "kubernetes",
                "kubernetes": {
                    "namespace": "ci",
                    "image": "alpine:3.20",
                    "pull_policy": ["if-not-present"],
                    "cpu_request": "2",
                    "cpu_limit": "2",
                    "memory_request": "4Gi",
                    "memory_limit": "4Gi",
                    "poll_timeout": 600,
                    "automount_service_account_token": False,
                    "pod_annotations": {
                        "k8s.aliyun.com/eci-use-specs": "2-4Gi",
                        "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
                        "k8s.aliyun.com/eci-spot-fallback": "true",
                    },
                    "pod_labels": {
                        "app.kubernetes.io/managed-by": "gitlab-runner",
                        "app.kubernetes.io/part-of": "gitlab-ci",
                    },
                    "pod_security_context": {
                        "run_as_non_root": True,
                        "run_as_user": 10001,
                        "run_as_group": 10001,
                        "fs_group": 10001,
                    },
                    "build_container_security_context": {
                        "allow_privilege_escalation": False,
                        "capabilities": {"drop": ["ALL"]},
                    },
                    "helper_container_security_context": {
                        "allow_privilege_escalation": False,
                        "capabilities": {"drop": ["ALL"]},
                    },
                },
            }
        ],
    }
    assert "token" not in config["runners"][0]
    assert graph.outputs["specs"] == ["2-4Gi", "0.25-0.5Gi"]


def test_the_runner_pod(pulumi_run: RunProgram) -> None:
    graph = run_runner(pulumi_run)
    [deployment] = graph.of_type("kubernetes:apps/v1:Deployment")
    assert deployment.inputs["metadata"] == {
        "name": "gitlab-ci",
        "namespace": "ci",
        "labels": LABELS,
        "annotations": {"ask-components.io/runner-tags": "eci,docker"},
    }
    spec = deployment.inputs["spec"]
    assert (spec["replicas"], spec["strategy"]) == (1, {"type": "Recreate"})
    template = spec["template"]
    annotations = template["metadata"]["annotations"]
    assert annotations["k8s.aliyun.com/eci-use-specs"] == "0.25-0.5Gi"
    assert len(annotations["ask-components.io/config-sha256"]) == 64
    pod = template["spec"]
    assert pod["serviceAccountName"] == "gitlab-ci"
    assert "automountServiceAccountToken" not in pod
    assert pod["volumes"] == [
        {"name": "tmp", "emptyDir": {}},
        {"name": "config", "configMap": {"name": "gitlab-ci-config"}},
        {"name": "runner", "emptyDir": {"medium": "Memory"}},
    ]
    [runner] = pod["containers"]
    assert runner["image"] == "gitlab/gitlab-runner:v17.11.3"
    assert runner["command"][:2] == ["/bin/sh", "-c"]
    assert "/configmaps/config.toml > /runner/config.toml" in runner["command"][2]
    assert 'ENVIRON["CI_SERVER_TOKEN"]' in runner["command"][2]
    assert runner["resources"] == {
        "requests": {"cpu": "250m", "memory": "512Mi"},
        "limits": {"cpu": "250m", "memory": "512Mi"},
    }
    assert runner["securityContext"]["readOnlyRootFilesystem"] is True
    assert runner["volumeMounts"] == [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "config", "mountPath": "/configmaps", "readOnly": True},
        {"name": "runner", "mountPath": "/runner"},
    ]
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_the_runner_may_create_job_pods(pulumi_run: RunProgram) -> None:
    graph = run_runner(pulumi_run)
    [role] = graph.of_type("kubernetes:rbac.authorization.k8s.io/v1:Role")
    assert role.inputs["rules"] == [
        {
            "apiGroups": [""],
            "resources": ["pods"],
            "verbs": ["create", "delete", "get", "list", "watch"],
        },
        {
            "apiGroups": [""],
            "resources": ["pods/exec", "pods/attach"],
            "verbs": ["create", "delete", "get", "patch"],
        },
        {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get", "list"]},
        {
            "apiGroups": [""],
            "resources": ["secrets", "configmaps"],
            "verbs": ["create", "delete", "get", "update"],
        },
    ]
    [binding] = graph.of_type("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
    assert binding.inputs["subjects"] == [
        {"kind": "ServiceAccount", "name": "gitlab-ci", "namespace": "ci"}
    ]


def test_a_plain_token_is_made_secret_by_the_component(pulumi_run: RunProgram) -> None:
    def program() -> None:
        provider = k8s.Provider("k8s", kubeconfig="apiVersion: v1")
        CiRunnerPool(
            "gitlab-ci",
            CiRunnerPoolArgs(region="cn-hangzhou", url="https://gitlab.example.com", token=TOKEN),
            pulumi.ResourceOptions(provider=provider),
        )

    graph = pulumi_run(program)
    assert TOKEN not in graph.to_json()
    assert graph.of_type("kubernetes:core/v1:Secret")[0].secret_paths == ("stringData",)
