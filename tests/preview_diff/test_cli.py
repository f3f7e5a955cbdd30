"""``askc preview diff`` end to end: baselines, formats, the gate, errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared" / "fixtures" / "pulumi-json"
CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"

runner = CliRunner()


def askc(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(project_copy: Path) -> Path:
    """The project's program and stacks in a git repository (the code from the install)."""
    git(project_copy, "init", "-q")
    git(project_copy, "add", ".")
    git(project_copy, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    return project_copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.slow
def test_a_service_cidr_change_replaces_the_cluster_and_the_gate_exits_3(repo: Path) -> None:
    edit(
        repo / "stacks" / "Pulumi.prod.yaml",
        "serviceCidr: 172.21.0.0/20",
        "serviceCidr: 172.22.0.0/20",
    )
    args = ["preview", "diff", "--stack", "prod", "-C", str(repo), "--baseline-ref", "HEAD"]
    code, out, err = askc(*args, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["baseline"] == "git HEAD"
    (cluster,) = [r for r in data["resources"] if r["type"] == CLUSTER]
    assert cluster["op"] == "replace"
    assert cluster["replaceReasons"] == ["serviceCidr"]
    assert cluster["changes"][0]["old"] == "172.21.0.0/20"
    assert cluster["changes"][0]["new"] == "172.22.0.0/20"
    assert cluster["deleteBeforeReplace"] is True
    assert data["statefulReplacements"] == [cluster["urn"]]
    # The new cluster takes every Kubernetes object with it (through the Kubernetes provider).
    assert data["summary"]["replace"] == 28
    code, _, err = askc(*args, "--format", "json", "--fail-on-replace")
    assert code == 3
    assert err == (
        "Error: --fail-on-replace: 1 stateful resource would be replaced: shop-ask-cluster "
        "(ManagedKubernetes: serviceCidr)\n"
    )
    assert git(repo, "worktree", "list").count("\n") == 1


@pytest.mark.slow
def test_a_replicas_change_updates_the_deployment(repo: Path) -> None:
    edit(
        repo / "stacks" / "Pulumi.dev.yaml",
        '          cpu: "0.5"\n',
        '          cpu: "0.5"\n          replicas: 3\n',
    )
    code, out, err = askc(
        "preview",
        "diff",
        "--stack",
        "dev",
        "-C",
        str(repo),
        "--baseline-ref",
        "HEAD",
        "-f",
        "json",
        "--fail-on-replace",
    )
    assert code == 0, err
    data = json.loads(out)
    # More than one replica: the app also gets its PodDisruptionBudget.
    assert data["summary"] == {"create": 1, "update": 1, "replace": 0, "delete": 0, "same": 20}
    deployment, pdb = data["resources"]
    assert (pdb["name"], pdb["op"]) == ("web-pdb", "create")
    assert (deployment["type"], deployment["name"], deployment["op"]) == (
        "kubernetes:apps/v1:Deployment",
        "web-deployment",
        "update",
    )
    assert deployment["changes"] == [
        {
            "path": "spec.replicas",
            "kind": "update",
            "old": 1,
            "new": 3,
            "replaces": False,
            "source": None,
            "cause": None,
        }
    ]


def test_no_change_against_the_same_stack_in_every_format() -> None:
    args = ["preview", "diff", "--stack", "dev", "-C", str(ROOT), "--baseline-stack", "dev"]
    code, out, _ = askc(*args, "-f", "json")
    assert code == 0
    assert json.loads(out)["summary"]["same"] == 21
    code, out, _ = askc(*args, "-f", "markdown")
    assert out.splitlines()[0] == "<!-- askc-preview-diff project=ask-platform stack=dev -->"
    assert "No resource changes." in out
    code, out, _ = askc(*args)
    assert "No changes (stack dev)." in out
    assert "21 unchanged" in out


def test_another_stack_as_the_baseline() -> None:
    code, out, _ = askc(
        "preview",
        "diff",
        "--stack",
        "prod",
        "-C",
        str(ROOT),
        "--baseline-stack",
        "dev",
        "-f",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["baseline"] == "stack dev"
    # dev names its cloud resources shop-dev-*: they are other resources; the workloads share
    # their names, and their objects move to another namespace through another provider.
    assert data["summary"] == {"create": 56, "update": 0, "replace": 3, "delete": 15, "same": 3}
    web = next(r for r in data["resources"] if r["name"] == "web-deployment")
    assert web["replaceReasons"] == ["metadata.namespace", "provider"]


def test_a_pulumi_preview_json_in_every_format() -> None:
    source = str(FIXTURES / "preview-replace.json")
    code, out, _ = askc("preview", "diff", "--preview-json", source, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"] == {"create": 1, "update": 1, "replace": 1, "delete": 0, "same": 1}
    assert [(r["name"], r["op"], r["replaceReasons"]) for r in data["resources"]] == [
        ("shop-ask-cluster", "replace", ["serviceCidr"]),
        ("web-deployment", "update", []),
        ("shop-network-eip-cn-hangzhou-k", "create", []),
    ]
    assert data["resources"][1]["changes"][0]["path"] == "spec.replicas"
    assert (
        data["resources"][1]["changes"][0]["old"],
        data["resources"][1]["changes"][0]["new"],
    ) == (1, 3)
    code, out, _ = askc("preview", "diff", "--preview-json", source)
    assert "+- 1 to replace" in out
    assert "~ spec.replicas: 1 => 3" in out
    code, out, _err = askc(
        "preview", "diff", "--preview-json", source, "-f", "markdown", "--fail-on-replace"
    )
    assert code == 3
    assert "> **1 stateful resource(s) would be replaced:** " in out
    assert (
        "| +- replace | `shop-ask-cluster` | `alicloud:cs/managedKubernetes:ManagedKubernetes` | `serviceCidr` (replaces) |"
        in out
    )


@pytest.mark.skipif(
    not SHARED.exists(), reason="shared/fixtures/pulumi-json is not beside the project"
)
def test_the_real_pulumi_samples() -> None:
    code, out, _ = askc(
        "preview",
        "diff",
        "--preview-json",
        str(SHARED / "sample-preview-update.json"),
        "-f",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0, "same": 15}
    assert [(r["name"], [c["path"] for c in r["changes"]]) for r in data["resources"]] == [
        ("docsHandler", ["code"])
    ]
    code, out, _ = askc(
        "preview",
        "diff",
        "--preview-json",
        str(SHARED / "sample-preview-deletes.json"),
        "-f",
        "json",
    )
    assert json.loads(out)["summary"] == {
        "create": 0,
        "update": 0,
        "replace": 0,
        "delete": 14,
        "same": 2,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "Error: nothing to compare with: give --baseline-ref, --baseline-stack, --preview-json\n",
        ),
        (
            ["--baseline-ref", "HEAD", "--baseline-stack", "dev"],
            "Error: give one of --baseline-ref, --baseline-stack, --preview-json, not --baseline-ref and --baseline-stack\n",
        ),
        (
            ["--baseline-stack", "dev", "--with-diagram"],
            "Error: --with-diagram goes with --format markdown\n",
        ),
        (
            ["--preview-json", "/nonexistent.json"],
            "Error: preview JSON /nonexistent.json does not exist\n",
        ),
        (["--baseline-stack", "nope"], None),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], message: str | None) -> None:
    code, _out, err = askc("preview", "diff", "-C", str(ROOT), *args)
    assert code == 2
    assert "Traceback" not in err
    if message is not None:
        assert err == message
    else:
        assert err.startswith("Error: ")


def test_preview_json_that_is_not_a_preview(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [{"op": "explode", "urn": "urn:pulumi:s::p::t::n"}]}')
    code, _, err = askc("preview", "diff", "--preview-json", str(bad))
    assert code == 2
    assert err == f"Error: preview JSON {bad}: steps[0]: unknown op 'explode'\n"


def test_with_diagram_embeds_mermaid_with_the_changes_highlighted() -> None:
    code, out, _ = askc(
        "preview",
        "diff",
        "--preview-json",
        str(FIXTURES / "preview-replace.json"),
        "-f",
        "markdown",
        "--with-diagram",
    )
    assert code == 0
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block.startswith("%% ask-platform / prod (askc diagram)\nflowchart TB\n")
    assert "classDef changed" in block
