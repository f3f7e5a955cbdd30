"""``askc policy check`` over the real program and stack files (the offline preview)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from tests.conftest import PROJECT_ROOT

runner = CliRunner()

# A workload appended to the program: passes every pod rule except the pinned-image one.
_WORKLOAD = """
import pulumi_kubernetes as k8s

k8s.apps.v1.Deployment(
    "web",
    spec={
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {
                "labels": {"app": "web"},
                "annotations": {"k8s.aliyun.com/eci-use-specs": "1-2Gi"},
            },
            "spec": {
                "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
                "containers": [
                    {
                        "name": "web",
                        "image": "registry-vpc.cn-hangzhou.aliyuncs.com/shop/web:latest",
                        "resources": {"limits": {"cpu": "1", "memory": "2Gi"}},
                    }
                ],
            },
        },
    },
    opts=pulumi.ResourceOptions(provider=platform.provider),
)
"""


@pytest.mark.parametrize("stack", ["dev", "prod", "local", "acs", "ack-pro"])
def test_the_shipped_stacks_pass_every_mandatory_rule(stack: str) -> None:
    result = runner.invoke(
        app, ["policy", "check", "--stack", stack, "-C", str(PROJECT_ROOT), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["passed"] is True
    assert report["mandatory"] == 0
    assert report["resources"] > 5


@pytest.mark.parametrize("stack", ["acs", "ack-pro"])
def test_acs_and_ack_pro_stacks_raise_not_even_an_advisory(stack: str) -> None:
    # ACS pods have no ECI spec and carry compute labels, ACK Pro's ECI pods carry both the eci
    # label and the spec: a rule that misreads where a pod runs reports one of them.
    result = runner.invoke(
        app, ["policy", "check", "--stack", stack, "-C", str(PROJECT_ROOT), "-f", "json"]
    )
    report = json.loads(result.stdout)
    assert (result.exit_code, report["violations"]) == (0, [])


def test_a_stack_that_breaks_three_rules_reports_all_three_and_exits_1(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.prod.yaml"
    stack.write_text(
        stack.read_text().replace(
            "publicApi: false", "publicApi: true\n      deletionProtection: false"
        )
    )
    main = project_copy / "__main__.py"
    main.write_text(main.read_text() + _WORKLOAD)

    result = runner.invoke(
        app, ["policy", "check", "--stack", "prod", "-C", str(project_copy), "-f", "json"]
    )

    assert result.exit_code == 1
    violations = json.loads(result.stdout)["violations"]
    assert [
        (v["rule"], v["resourceType"], v["resourceName"], v["message"]) for v in violations
    ] == [
        (
            "api-server-private",
            "alicloud:cs/managedKubernetes:ManagedKubernetes",
            "shop-ask-cluster",
            "slbInternetEnabled is true: the API server has an Internet-facing endpoint",
        ),
        (
            "prod-deletion-protection",
            "alicloud:cs/managedKubernetes:ManagedKubernetes",
            "shop-ask-cluster",
            "deletionProtection is false on a cluster of the production stack 'prod'",
        ),
        (
            "image-tag-pinned",
            "kubernetes:apps/v1:Deployment",
            "web",
            "spec.template.spec.containers[0] (web) uses image "
            "'registry-vpc.cn-hangzhou.aliyuncs.com/shop/web:latest'",
        ),
    ]
    resources = json.loads(result.stdout)["resources"]
    assert result.stderr == (
        "Error: policy check FAILED for stack 'prod': 3 mandatory, 0 advisory violations "
        f"(17 rules over {resources} resources)\n"
    )


def test_the_stack_can_waive_the_public_api_rule(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text().replace("publicApi: false", "publicApi: true")
        + "  ask:policy:\n    waive: [api-server-private]\n"
    )
    result = runner.invoke(app, ["policy", "check", "--stack", "dev", "-C", str(project_copy)])
    assert result.exit_code == 0, result.output
    assert "waived: api-server-private" in " ".join(result.stdout.split())
