"""Every rule through ``askc policy check --graph-json``; exit codes; formats; the real stacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.policy import RULES_BY_ID, Level
from tests.policy.cases import CASES, Case

runner = CliRunner()


def _check(graph_file: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["policy", "check", "--graph-json", str(graph_file), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_cli_reports_exactly_the_findings(case: Case, tmp_path: Path) -> None:
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(case.graph_json())
    code, out, err = _check(graph_file, "--format", "json", "-C", str(tmp_path))
    report = json.loads(out)
    found = [(v["rule"], v["message"]) for v in report["violations"]]
    assert found == [(case.rule, message) for message in case.messages]
    mandatory = case.fails and RULES_BY_ID[case.rule].level is Level.MANDATORY
    assert code == (1 if mandatory else 0), err
    assert report["passed"] is not mandatory
    if mandatory:
        assert err.startswith(f"Error: policy check FAILED for stack '{case.stack}': ")
    for violation in report["violations"]:
        assert violation["fix"]
        assert violation["url"].startswith("https://")
        assert violation["resourceName"] in {r.name for r in case.resources}


def test_table_output_names_resource_rule_message_and_fix(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "host-network")
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(case.graph_json())
    code, out, err = _check(graph_file)
    assert code == 1
    flat = " ".join(out.split())
    for text in (
        "error",
        "no-host-namespaces",
        "kubernetes:apps/v1:Deployment",
        "web",
        "spec.template.spec.hostNetwork is true (Deployment)",
        "remove hostNetwork, hostPID and hostIPC from the pod spec",
    ):
        assert text in flat
    assert "policy check FAILED for stack 'dev': 2 mandatory, 0 advisory violations" in flat
    assert err == (
        "Error: policy check FAILED for stack 'dev': 2 mandatory, 0 advisory violations "
        "(17 rules over 1 resource)\n"
    )


def test_advisory_violations_are_warnings_and_exit_0(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "no-eci-spec")
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(case.graph_json())
    code, out, err = _check(graph_file, "--format", "markdown")
    assert code == 0
    assert out.startswith("### :white_check_mark: ask-guardrails: stack `dev`\n")
    assert (
        "| advisory | `eci-spec-declared` | `kubernetes:apps/v1:Deployment` `web` | "
        "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation "
        "(Deployment) |" in out
    )
    assert err == (
        "warning: [eci-spec-declared] kubernetes:apps/v1:Deployment web: spec.template.metadata."
        "annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)\n"
    )


def test_markdown_of_a_failure(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "clb-internet")
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(case.graph_json())
    code, out, _ = _check(graph_file, "-f", "markdown")
    assert code == 1
    assert out.splitlines()[:5] == [
        "### :x: ask-guardrails: stack `dev`",
        "",
        "policy check FAILED for stack 'dev': 1 mandatory, 0 advisory violations (17 rules over 1 resource)",
        "",
        "| level | rule | resource | problem | fix |",
    ]


def test_stack_config_sets_levels_and_waivers(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "api-public")
    (tmp_path / "Pulumi.yaml").write_text(
        "name: ask-platform\nruntime: python\nstackConfigDir: stacks\n"
    )
    (tmp_path / "stacks").mkdir()
    stack_file = tmp_path / "stacks" / "Pulumi.dev.yaml"
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(case.graph_json())

    stack_file.write_text("config:\n  ask:policy:\n    waive: [api-server-private]\n")
    code, out, _ = _check(graph_file, "-C", str(tmp_path), "-f", "json")
    assert code == 0
    assert json.loads(out)["waived"] == ["api-server-private"]
    assert json.loads(out)["rules"]["api-server-private"] == "disabled"

    stack_file.write_text(
        "config:\n  ask:policy:\n    enforcement: {api-server-private: advisory}\n"
    )
    code, out, err = _check(graph_file, "-C", str(tmp_path), "-f", "json", "--stack", "dev")
    assert code == 0
    assert [v["level"] for v in json.loads(out)["violations"]] == ["advisory"]
    assert err.startswith("warning: [api-server-private] ")


@pytest.mark.parametrize(
    ("policy", "problem"),
    [
        (
            "enforcement: {api-server-privat: advisory}",
            "  - ask:policy.enforcement.api-server-privat: 'api-server-privat' is not a rule id",
        ),
        (
            "enforcement: {api-server-private: warn}",
            "  - ask:policy.enforcement.api-server-private: 'warn' is not a level (mandatory, advisory, disabled)",
        ),
        ("waive: api-server-private", "  - ask:policy.waive: must be a list of rule ids"),
        ("waive: [nope]", "  - ask:policy.waive[0]: 'nope' is not a rule id"),
        ("exempt: [x]", "  - ask:policy.exempt: unknown key (allowed: enforcement, waive)"),
        ("enforcement: []", "  - ask:policy.enforcement: must be a mapping of rule id to level"),
        ("waive: {}", "  - ask:policy.waive: must be a list of rule ids"),
    ],
)
def test_bad_policy_settings_exit_2_with_the_path(
    project_copy: Path, policy: str, problem: str
) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text() + f"  ask:policy:\n    {policy}\n")
    result = runner.invoke(app, ["policy", "check", "--stack", "dev", "-C", str(project_copy)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: invalid stack config (1 problem):\n" + problem)


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["policy", "check", "--format", "yaml", "-C", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == "Error: --format 'yaml' is not one of table, json, markdown\n"


def test_a_pulumi_preview_json_is_checked_too(tmp_path: Path) -> None:
    from tests.conftest import PROJECT_ROOT

    fixture = PROJECT_ROOT / "tests" / "cost" / "fixtures" / "preview-prod.json"
    result = runner.invoke(
        app, ["policy", "check", "--preview-json", str(fixture), "-C", str(tmp_path), "-f", "json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stack"] == "prod"
    assert [(v["rule"], v["resourceName"]) for v in report["violations"]] == [
        ("prod-deletion-protection", "alb"),
        ("eci-spec-declared", "web"),
        ("image-tag-pinned", "web"),
        ("run-as-non-root", "web"),
    ]


def test_graph_json_and_preview_json_exclude_each_other(tmp_path: Path) -> None:
    graph = tmp_path / "g.json"
    graph.write_text("{}")
    result = runner.invoke(
        app, ["policy", "check", "--graph-json", str(graph), "--preview-json", str(graph)]
    )
    assert result.exit_code == 2
    assert result.stderr == "Error: give --graph-json or --preview-json, not both\n"


def test_rules_lists_every_rule_with_why_and_source() -> None:
    from ask_components.policy import RULES

    result = runner.invoke(app, ["policy", "rules", "--format", "json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [rule["id"] for rule in listed] == [rule.id for rule in RULES]
    assert all(rule["rationale"] and rule["url"].startswith("https://") for rule in listed)
    assert listed[0] == {
        "id": "api-server-private",
        "level": "mandatory",
        "default": "mandatory",
        "kind": "resource",
        "description": "The ASK API server has no Internet endpoint unless the stack waives this rule.",
        "rationale": "A public API server is exposed to credential stuffing and to every Kubernetes CVE; CI and people reach a private one through the VPC, a bastion or a VPN.",
        "fix": "set ask:platform.cluster.publicApi: false, or waive the rule for this stack with ask:policy: {waive: [api-server-private]}",
        "url": "https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/create-an-ask-cluster-1",
    }


def test_rules_shows_the_stack_levels(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text() + "  ask:policy:\n    waive: [api-server-private]\n")
    result = runner.invoke(
        app, ["policy", "rules", "--stack", "dev", "-C", str(project_copy), "-f", "json"]
    )
    assert result.exit_code == 0
    levels = {rule["id"]: rule["level"] for rule in json.loads(result.stdout)}
    assert levels["api-server-private"] == "disabled"
    assert levels["eci-spec-declared"] == "advisory"
    table = runner.invoke(app, ["policy", "rules"])
    assert table.exit_code == 0
    assert "no-plaintext-secrets" in table.stdout
