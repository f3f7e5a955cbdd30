"""askc preview: exit codes, the tree, JSON, and config errors without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
        "shop-dev-ask-cluster  alicloud:cs/managedKubernetes:ManagedKubernetes  Serverless, ack.standard, Kubernetes 1.33, private API"
        in out
    )
    assert "15 resources" in out
    assert " alicloud:vpc/snatEntry:SnatEntry                │     2 \n" in out


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
