"""askc preview: exit codes, the tree, JSON, and config errors without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from tests.conftest import PROJECT_ROOT

runner = CliRunner()


def test_tree_of_the_dev_stack() -> None:
    result = runner.invoke(app, ["preview", "--stack", "dev", "--project-dir", str(PROJECT_ROOT)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ask-platform / dev" in out
    assert (
        "shop-dev-network-vsw-cn-hangzhou-i  alicloud:vpc/switch:Switch  10.10.0.0/19, cn-hangzhou-i"
        in out
    )
    assert (
        "shop-dev-ask-cluster  alicloud:cs/managedKubernetes:ManagedKubernetes  Serverless, ack.standard, Kubernetes 1.33.3-aliyun.1, private API"
        in out
    )
    # Where the version came from, and where the deployment must run, as pulumi preview says it.
    assert out.endswith(
        "\n\nDiagnostics:\n"
        "  dev (info): offline preview: no deployed cluster is looked up (a new stack is assumed); `pulumi preview` asks ACK\n"
        "  dev (info): offline preview: the Kubernetes versions ACK offers come from the built-in table of ACK's release notes (as of 2026-06-06); `pulumi preview` asks ACK\n"
        "  shop-dev-ask (info): the API server is private (ask:platform.cluster.publicApi: false): run pulumi from inside the VPC, e.g. on this platform's CI runner or over a VPN (docs/deploy.md, private API access)\n"
        "  shop-dev-ask-cluster (info): Kubernetes 1.33.3-aliyun.1: newest 1.33 patch offered by ACK (Serverless clusters)\n"
    )
    assert "web-deployment  kubernetes:apps/v1:Deployment  1 replica, ECI 0.5-1Gi" in out
    assert (
        'nightly-report-cronjob  kubernetes:batch/v1:CronJob  "30 2 * * *" Asia/Shanghai, Forbid, ECI 0.5-1Gi spot'
        in out
    )
    assert "21 resources" in out
    assert " alicloud:vpc/snatEntry:SnatEntry                │     2 \n" in out


def test_tree_of_the_prod_stack_shows_the_billed_specs() -> None:
    result = runner.invoke(app, ["preview", "--stack", "prod", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 0, result.output
    lines = [line.split("── ", 1)[-1] for line in result.stdout.splitlines()]
    for expected in [
        "web-deployment  kubernetes:apps/v1:Deployment  2 replicas (HPA 2-10, CronHPA), ECI 1-2Gi (fallback 2-4Gi)",
        'web-cronhpa  kubernetes:autoscaling.alibabacloud.com/v1beta1:CronHorizontalPodAutoscaler  workday-up "0 0 0 * * 1-5" -> 6; workday-down "0 0 12 * * 1-5" -> 2',
        'nightly-report-cronjob  kubernetes:batch/v1:CronJob  "30 2 * * *" Asia/Shanghai, Forbid, ECI 1-2Gi spot',
        "thumbnail-backfill-job  kubernetes:batch/v1:Job  10 pods at once, 50 completions, ECI 2-4Gi spot, fail-fast",
        'daily-sales-application  kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication  "0 3 * * *" Asia/Shanghai, Scala 3.5.5, driver ECI 1-4Gi, 4 executors ECI 2-8Gi spot',
        "gitlab-ci-config  kubernetes:core/v1:ConfigMap  8 concurrent jobs, job pods ECI 2-4Gi",
        "gitlab-ci-deployment  kubernetes:apps/v1:Deployment  1 replica, ECI 0.25-0.5Gi",
    ]:
        assert expected in lines, expected
    # 48 of the network, cluster and workloads, 8 of the ALB and the private zone, the web
    # app's Ingress and private-zone record, the CronHPA add-on, and the Spark operator (its
    # component, namespace and Helm release).
    assert "62 resources" in result.stdout
    assert (
        "shop-ask-addon-ack-kubernetes-cronhpa-controller  alicloud:cs/kubernetesAddon:KubernetesAddon  ack-kubernetes-cronhpa-controller"
        in lines
    )
    assert (
        "shop-spark-operator-release  kubernetes:helm.sh/v3:Release  chart spark-operator 2.5.2, https://kubeflow.github.io/spark-operator, namespace spark-operator"
        in lines
    )
    assert (
        "web-hpa  kubernetes:autoscaling/v2:HorizontalPodAutoscaler  2-10 replicas at 70% CPU  [ignores changes to spec.minReplicas, spec.maxReplicas]"
        in lines
    )


def test_json_of_the_prod_stack() -> None:
    result = runner.invoke(app, ["preview", "--stack", "prod", "--json", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    types = [node["type"] for node in graph["resources"]]
    assert types.count("alicloud:cs/managedKubernetes:ManagedKubernetes") == 1
    assert types.count("alicloud:vpc/switch:Switch") == 3
    assert types.count("alicloud:vpc/natGateway:NatGateway") == 3
    assert types.count("alicloud:vpc/snatEntry:SnatEntry") == 3
    cluster = next(n for n in graph["resources"] if n["type"].endswith("ManagedKubernetes"))
    assert cluster["inputs"]["profile"] == "Serverless"
    assert cluster["inputs"]["newNatGateway"] is False
    assert graph["outputs"]["kubeconfig"] == "[secret]"
    assert types.count("kubernetes:apps/v1:Deployment") == 2
    assert graph["outputs"]["workloads"]["apps"] == {"web": "1-2Gi"}
    secrets = [n for n in graph["resources"] if n["type"] == "kubernetes:core/v1:Secret"]
    assert [n["inputs"]["stringData"] for n in secrets] == ["[secret]"] * 3


def test_two_config_problems_exit_2_with_both_paths(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text()
        .replace("cidr: 10.10.0.0/16", "cidr: 1.0.0.0/16")
        .replace("zones: [cn-hangzhou-i, cn-hangzhou-j]", "zones: [cn-beijing-a, cn-hangzhou-j]")
    )
    result = runner.invoke(app, ["preview", "--stack", "dev", "-C", str(project_copy)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: invalid stack config (2 problems):\n"
        "  - ask:platform.network.cidr: 1.0.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16\n"
        "  - ask:platform.network.zones[0]: zone cn-beijing-a is not in region cn-hangzhou (configured as alicloud:region)\n"
    )


def test_unknown_stack_exits_2() -> None:
    result = runner.invoke(app, ["preview", "--stack", "qa", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: stack 'qa' has no config file ")


def test_the_installed_entry_point_prints_no_traceback(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text().replace("edition: basic", "edition: platinum"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ask_components.cli",
            "preview",
            "--stack",
            "dev",
            "-C",
            str(project_copy),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr == (
        "Error: invalid stack config (1 problem):\n"
        "  - ask:platform.cluster.edition: 'platinum' is not allowed: 'basic' or 'pro'\n"
    )


def test_the_subcommands_are_mounted() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("preview", "backend", "version"):
        assert command in result.stdout
    backend = runner.invoke(app, ["backend", "--help"])
    assert backend.exit_code == 0
    for command in ("bootstrap", "check", "history", "restore"):
        assert command in backend.stdout


WORKLOAD = "ask:platform.workloads"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "      cronJobs:\n",
            "        - {name: web, image: web:1.4.3}\n      cronJobs:\n",
            f"{WORKLOAD}.apps[1].name: web is also the name of apps[0]",
        ),
        (
            "        - name: nightly-report\n",
            "        - name: web\n",
            f"{WORKLOAD}.cronJobs[0].name: Secret web-env in namespace shop is also made by apps[0]; rename one",
        ),
        (
            "        - name: thumbnail-backfill\n",
            "        - name: thumbnail-backfill\n          eci: {computeCategory: [economy]}\n",
            f"{WORKLOAD}.batchJobs[0].eci.computeCategory: economy cannot be combined with spot (SpotAsPriceGo) — ECI rejects it with FeatureBasedConstraintConflict (batchJobs run on spot by default: set spot: false)",
        ),
        (
            'specs: ["2-4Gi"]',
            'specs: ["2-4Gi", "4-8Gi", "8-16Gi", "16-32Gi", "2-8Gi", "4-16Gi"]',
            f"{WORKLOAD}.apps[0].eci.specs: at most 5 specs, got 6",
        ),
        (
            'specs: ["2-4Gi"]',
            'specs: ["2-4Gi", "4-8Gi", "8-16Gi", "16-32Gi", "2-8Gi"]',
            f"{WORKLOAD}.apps[0].eci.specs: eci-use-specs takes at most 5 specs, got 6 (the pod's spec 1-2Gi and 5 fallbacks)",
        ),
        (
            '          cpu: "2"\n          memory: 4Gi\n          parallelism',
            "          cpu: lots\n          memory: 4Gi\n          parallelism",
            f'{WORKLOAD}.batchJobs[0].cpu: cpu "lots" is not a Kubernetes quantity (expected e.g. "500m", "1.5", "2")',
        ),
        (
            "secretEnv: {DB_PASSWORD: dbPassword}\n      batchJobs",
            "secretEnv: {DB_PASSWORD: reportPassword}\n      batchJobs",
            f"{WORKLOAD}.cronJobs[0].secretEnv.DB_PASSWORD: config key ask:reportPassword is not set: pulumi config set --secret ask:reportPassword <value>",
        ),
    ],
)
def test_bad_workload_config_exits_2_with_the_path(
    project_copy: Path, old: str, new: str, problem: str
) -> None:
    stack = project_copy / "stacks" / "Pulumi.prod.yaml"
    text = stack.read_text()
    assert old in text
    stack.write_text(text.replace(old, new, 1))
    result = runner.invoke(app, ["preview", "--stack", "prod", "-C", str(project_copy)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"Error: invalid stack config (1 problem):\n  - {problem}\n"
