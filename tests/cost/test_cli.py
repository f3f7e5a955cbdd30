"""``askc cost`` through typer's CliRunner: exit codes 0 / 2 / 3, formats, sources."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ask_components.cost.cli import app
from ask_components.cost.stack import preview_at_ref
from ask_components.errors import InputError
from tests.cost.conftest import FIXTURES

PREVIEW = str(FIXTURES / "preview-prod.json")
STATE = str(FIXTURES / "checkpoint-prod.json")
EXTRAS = [
    "--usage-file",
    str(FIXTURES / "usage-prod.yaml"),
    "--price-book",
    str(FIXTURES / "prices-intl.yaml"),
]

root = typer.Typer()
root.add_typer(app, name="cost")


@root.command()
def other() -> None:
    """A second command, so that `cost` is a sub-command as in askc."""


runner = CliRunner()


def askc(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(root, ["cost", *args])
    return result.exit_code, result.stdout, result.stderr


def test_breakdown_of_a_preview_as_json() -> None:
    code, out, err = askc("--preview-json", PREVIEW, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    # The preview's config says alicloud:region cn-hangzhou and ask:pricing.site international.
    assert (data["kind"], data["region"], data["site"], data["currency"]) == (
        "estimate",
        "cn-hangzhou",
        "international",
        "USD",
    )
    assert data["coverage"]["estimated"] == 3


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_breakdown_of_a_state_in_every_format(fmt: str) -> None:
    code, out, err = askc("--state", STATE, "-f", fmt)
    assert (code, err) == (0, "")
    first = {
        "table": "ask-platform/prod · cn-hangzhou · china site (CNY)",
        "markdown": "**Monthly cost: ",
        "json": "{",
    }[fmt]
    assert out.startswith(first)


def test_diff_markdown_and_gate_below_the_limit() -> None:
    code, out, err = askc(
        "diff", "--preview-json", PREVIEW, *EXTRAS, "--format", "markdown", "--fail-above", "200"
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        "<!-- askc-cost-diff project=ask-platform stack=prod -->",
        "📈 **Monthly cost will increase by 109.97 USD (+178.14%)**",
    ]
    assert "<details>" in out


def test_diff_gate_above_the_limit_exits_3_after_printing() -> None:
    code, out, err = askc(
        "diff", "--preview-json", PREVIEW, *EXTRAS, "-f", "json", "--fail-above", "100"
    )
    assert code == 3
    assert json.loads(out)["delta"]["monthlyCost"] == "109.97"
    assert err == ("Error: the monthly cost increase +109.97 USD is above --fail-above 100.00\n")


def test_diff_against_a_deployed_state() -> None:
    code, out, _ = askc(
        "diff", "--preview-json", PREVIEW, "--baseline", STATE, "-f", "json", "--site", "china"
    )
    assert code == 0
    data = json.loads(out)
    changes = {r["name"]: r["change"] for r in data["resources"] if r["change"] != "unchanged"}
    assert changes == {
        "web": "changed",
        "alb": "changed",
        "nat": "added",
        "old-zone": "removed",
        "default_4_0_0": "removed",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "--preview-json", PREVIEW, "--fail-above", "lots"],
            "Error: --fail-above: 'lots' is not an amount >= 0",
        ),
        (["diff", "--preview-json", PREVIEW, "--fail-above", "-5"], "is not an amount >= 0"),
        (["diff", "--preview-json", PREVIEW, "--fail-above", "NaN"], "is not an amount >= 0"),
        (
            ["diff"],
            "Error: nothing to compare with: give --preview-json, --baseline, --baseline-ref or --baseline-stack",
        ),
        (
            ["diff", "--baseline", STATE, "--baseline-ref", "HEAD"],
            "give one baseline, not --baseline and --baseline-ref",
        ),
        (["--preview-json", "missing.json"], "Error: preview JSON missing.json does not exist"),
        (
            ["--state", str(FIXTURES / "preview-prod.json")],
            "this is `pulumi preview --json` output, not a state",
        ),
        (["--preview-json", PREVIEW, "--site", "mars"], "--site: 'mars' is not allowed"),
        (
            ["--preview-json", PREVIEW, "--usage-file", str(FIXTURES / "prices-intl.yaml")],
            "unknown top-level key 'site'",
        ),
        (
            ["--preview-json", PREVIEW, "--price-book", str(FIXTURES / "usage-prod.yaml")],
            "Extra inputs are not permitted",
        ),
        (["usage-template", "--preview-json", PREVIEW, "--state", STATE], "not both"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args: list[str], message: str) -> None:
    code, out, err = askc(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_usage_template_command() -> None:
    code, out, _ = askc("usage-template", "--preview-json", PREVIEW)
    assert code == 0
    assert out.startswith("# Usage for `askc cost` (project ask-platform, stack prod).")
    assert '# "nat":  # alicloud:vpc/natGateway:NatGateway' in out


def write_project(folder: Path, edition: str, *, pricing: str = "") -> None:
    (folder / "stacks").mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text("name: tiny\nruntime: python\nstackConfigDir: stacks\n")
    (folder / "stacks" / "Pulumi.dev.yaml").write_text(
        f"config:\n  alicloud:region: cn-hangzhou\n{pricing}"
    )
    (folder / "__main__.py").write_text(
        textwrap.dedent(f"""
        import pulumi_alicloud as alicloud

        alicloud.alb.LoadBalancer(
            "alb",
            load_balancer_edition="{edition}",
            address_type="Internet",
            vpc_id="vpc-1",
            load_balancer_billing_config={{"pay_type": "PayAsYouGo"}},
            zone_mappings=[{{"vswitch_id": "vsw-1", "zone_id": "cn-hangzhou-i"}},
                           {{"vswitch_id": "vsw-2", "zone_id": "cn-hangzhou-j"}}],
        )
    """)
    )


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


def test_pricing_config_is_validated(tmp_path: Path) -> None:
    write_project(tmp_path, "Basic", pricing="  ask:pricing:\n    site: mars\n")
    code, _, err = askc("--preview-json", PREVIEW, "--stack", "dev", "-C", str(tmp_path))
    assert code == 2
    assert "ask:pricing.site: 'mars' is not allowed: use china or international" in err


def test_stack_usage_file_is_read_by_default(tmp_path: Path) -> None:
    write_project(tmp_path, "Basic", pricing="  ask:pricing:\n    site: international\n")
    (tmp_path / "stacks" / "usage.prod.yaml").write_text(
        "resource_usage:\n  nat:\n    average_cu: 2\n"
    )
    code, out, _ = askc("--preview-json", PREVIEW, "-C", str(tmp_path), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["usageFile"].endswith("usage.prod.yaml")
    nat = next(r for r in data["resources"] if r["name"] == "nat")
    assert nat["usageCost"] == "49.64"  # 2 CU × 730 h × 0.034


@pytest.mark.slow
def test_baseline_ref_previews_the_project_at_another_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_project(repo, "Basic")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    write_project(repo, "Standard")  # the change under review, not committed
    code, out, err = askc(
        "diff",
        "--stack",
        "dev",
        "-C",
        str(repo),
        "--baseline-ref",
        "HEAD",
        "-f",
        "json",
        "--fail-above",
        "50",
    )
    # China site, Hangzhou: Standard 0.147 × 730 = 107.31 − Basic 0.049 × 730 = 35.77 → +71.54
    data = json.loads(out)
    assert data["delta"]["monthlyCost"] == "71.54"
    assert code == 3, err
    assert "above --fail-above 50.00" in err
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary worktree is gone


def test_baseline_worktree_is_removed_when_the_preview_fails(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_project(repo, "Basic")
    (repo / ".venv" / "lib").mkdir(parents=True)
    (repo / ".venv" / "lib" / "big.py").write_text("x = 1\n")
    git(repo, "init", "-q")
    git(repo, "add", "-f", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    seen: list[Path] = []

    def failing(project: Path, stack: str) -> object:
        seen.append(project)
        assert (project / "Pulumi.yaml").exists()
        assert (project / "__main__.py").exists()
        assert not (project / ".venv").exists()  # a tracked virtualenv is not checked out
        raise InputError("boom")

    with pytest.raises(InputError, match="boom"):
        preview_at_ref(repo, "dev", "HEAD", runner=failing)  # type: ignore[arg-type]
    assert not seen[0].exists()
    assert git(repo, "worktree", "list").count("\n") == 1
    with pytest.raises(InputError, match="git rev-parse --verify --quiet nope"):
        preview_at_ref(repo, "dev", "nope")


def test_askc_mounts_the_cost_commands() -> None:
    from ask_components.cli import app as askc_app

    result = runner.invoke(askc_app, ["cost", "--state", STATE, "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kind"] == "estimate"
    result = runner.invoke(askc_app, ["cost", "diff", "--help"])
    assert "--fail-above" in result.stdout


def test_prod_stack_is_fully_priced_in_hangzhou() -> None:
    """Issue #14's done-when, on the repository's own prod stack (China site, cn-hangzhou)."""
    project = Path(__file__).resolve().parents[2]
    code, out, err = askc("--stack", "prod", "-C", str(project), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["region"], data["site"], data["lowerBound"]) == ("cn-hangzhou", "china", False)
    lines = [(r["type"], line) for r in data["resources"] for line in r["lines"]]
    assert all(line["status"] != "price_not_found" for _, line in lines)
    fees = {(kind.rsplit(":", 1)[-1], line["name"]): line["monthlyCost"] for kind, line in lines}
    # 0.23 × 730 = 167.90 (NAT, AlibabaCloudDocs/nat @ afe4a439); 0.02 × 730 = 14.60 (EIP);
    # 0.147 × 730 = 107.31 (the API server's CLB).
    assert fees[("NatGateway", "Instance fee")] == "167.90"
    assert fees[("EipAddress", "Configuration fee (pay-by-traffic)")] == "14.60"
    assert fees[("ManagedKubernetes", "API server CLB instance fee")] == "107.31"
