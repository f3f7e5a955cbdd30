"""Diffs across stacks: a stack added or removed by the change, ``--all-stacks``/``--stacks``
(one report), ``--baseline-stack`` (two stacks of one project), and the Markdown marker."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.cost.test_cli import askc

# China site, cn-hangzhou: ALB Basic 0.049 × 730 = 35.77, Standard 0.147 × 730 = 107.31 CNY.
BASIC, STANDARD = "35.77", "107.31"


def write_project(folder: Path, stacks: dict[str, str]) -> None:
    """A project whose one ALB's edition comes from each stack's config (``tiny:edition``)."""
    (folder / "stacks").mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text("name: tiny\nruntime: python\nstackConfigDir: stacks\n")
    for path in (folder / "stacks").glob("Pulumi.*.yaml"):
        path.unlink()
    for stack, edition in stacks.items():
        (folder / "stacks" / f"Pulumi.{stack}.yaml").write_text(
            f"config:\n  alicloud:region: cn-hangzhou\n  tiny:edition: {edition}\n"
        )
    (folder / "__main__.py").write_text(
        textwrap.dedent("""
        import pulumi
        import pulumi_alicloud as alicloud

        alicloud.alb.LoadBalancer(
            "alb",
            load_balancer_edition=pulumi.Config().require("edition"),
            address_type="Intranet",
            vpc_id="vpc-1",
            load_balancer_billing_config={"pay_type": "PayAsYouGo"},
            zone_mappings=[{"vswitch_id": "vsw-1", "zone_id": "cn-hangzhou-i"},
                           {"vswitch_id": "vsw-2", "zone_id": "cn-hangzhou-j"}],
        )
    """)
    )


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


def committed(folder: Path, stacks: dict[str, str]) -> Path:
    write_project(folder, stacks)
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    return folder


@pytest.mark.slow
def test_a_stack_added_by_the_change_is_all_added(tmp_path: Path) -> None:
    repo = committed(tmp_path / "repo", {"dev": "Basic"})
    write_project(repo, {"dev": "Basic", "qa": "Standard"})  # qa: new and not committed
    code, out, err = askc(
        "diff", "--stack", "qa", "-C", str(repo), "--baseline-ref", "HEAD", "-f", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["stack"], data["stackChange"], data["baseline"]) == ("qa", "added", "HEAD")
    assert {r["change"] for r in data["resources"]} == {"added"}
    assert [r["name"] for r in data["resources"]] == ["tiny-qa", "alb"]
    assert (data["before"]["monthlyCost"], data["after"]["monthlyCost"]) == ("0.00", STANDARD)
    assert (data["percentChange"], data["new"]) == (None, True)
    code, out, _ = askc(
        "diff", "--stack", "qa", "-C", str(repo), "--baseline-ref", "HEAD", "-f", "markdown"
    )
    assert code == 0
    assert out.splitlines()[:2] == [
        "<!-- askc-cost-diff project=tiny stack=qa -->",
        f"📈 **Monthly cost will increase by {STANDARD} CNY (new)**",
    ]
    assert "new stack (no stack file at HEAD)" in out
    assert "Also added, free (1): tiny-qa" in out  # named, though free


@pytest.mark.slow
def test_a_stack_removed_by_the_change_is_all_removed(tmp_path: Path) -> None:
    repo = committed(tmp_path / "repo", {"dev": "Basic", "old": "Standard"})
    (repo / "stacks" / "Pulumi.old.yaml").unlink()
    code, out, err = askc(
        "diff", "--stack", "old", "-C", str(repo), "--baseline-ref", "HEAD", "-f", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["stackChange"] == "removed"
    assert {r["change"] for r in data["resources"]} == {"removed"}
    assert data["delta"]["monthlyCost"] == f"-{STANDARD}"


@pytest.mark.slow
def test_a_stack_on_neither_side_exits_2(tmp_path: Path) -> None:
    repo = committed(tmp_path / "repo", {"dev": "Basic"})
    code, _, err = askc("diff", "--stack", "nope", "-C", str(repo), "--baseline-ref", "HEAD")
    assert code == 2
    assert err == "Error: stack 'nope' has a stack file neither in the working tree nor at HEAD\n"


@pytest.fixture(scope="module")
def changed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dev Basic → Standard, prod unchanged, old removed, qa added (not committed)."""
    repo = committed(
        tmp_path_factory.mktemp("multi") / "repo",
        {"dev": "Basic", "prod": "Standard", "old": "Basic"},
    )
    write_project(repo, {"dev": "Standard", "prod": "Standard", "qa": "Basic"})
    return repo


@pytest.mark.slow
def test_all_stacks_as_json(changed_repo: Path) -> None:
    code, out, err = askc(
        "diff", "--all-stacks", "-C", str(changed_repo), "--baseline-ref", "HEAD", "-f", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["kind"] == "multiDiff"
    summary = {
        s["stack"]: (
            s["change"],
            s["before"]["monthlyCost"],
            s["after"]["monthlyCost"],
            s["delta"]["monthlyCost"],
        )
        for s in data["stacks"]
    }
    assert summary == {
        "dev": ("changed", BASIC, STANDARD, "71.54"),
        "old": ("stack removed", BASIC, "0.00", f"-{BASIC}"),
        "prod": ("unchanged", STANDARD, STANDARD, "0.00"),
        "qa": ("new stack", "0.00", BASIC, BASIC),
    }
    (total,) = data["totals"]
    # before 35.77 + 35.77 + 107.31 = 178.85; after 107.31 + 107.31 + 35.77 = 250.39
    assert (
        total["currency"],
        total["stacks"],
        total["before"]["monthlyCost"],
        total["after"]["monthlyCost"],
        total["delta"]["monthlyCost"],
    ) == ("CNY", 4, "178.85", "250.39", "71.54")
    assert total["delta"]["lowerBound"] is False
    assert [d["stack"] for d in data["diffs"]] == ["dev", "old", "prod", "qa"]


@pytest.mark.slow
def test_all_stacks_as_markdown_starts_with_the_marker(changed_repo: Path) -> None:
    code, out, _ = askc(
        "diff", "--all-stacks", "-C", str(changed_repo), "--baseline-ref", "HEAD", "-f", "markdown"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "<!-- askc-cost-diff project=tiny -->",
        "📈 **Monthly cost will increase by 71.54 CNY (+40.00%)** across 4 stacks",
    ]
    assert f"| `dev` | changed | {BASIC} | {STANDARD} | +71.54 CNY |" in lines
    assert f"| `qa` | new stack | 0.00 | {BASIC} | +{BASIC} CNY |" in lines
    assert "| **Total (CNY)** | | 178.85 | 250.39 | **+71.54 CNY** |" in lines
    assert "<details><summary>old: -35.77 CNY (stack removed)</summary>" in lines


@pytest.mark.slow
def test_a_list_of_stacks_as_a_table(changed_repo: Path) -> None:
    code, out, _ = askc(
        "diff", "--stacks", "qa,dev", "-C", str(changed_repo), "--baseline-ref", "HEAD"
    )
    assert code == 0
    assert out.startswith("Monthly cost change of tiny, compared with HEAD")
    rows = [line.split() for line in out.splitlines()[:6]]
    assert ["qa", "new", "stack", "0.00", BASIC, f"+{BASIC}", "CNY"] in rows
    assert ["dev", "changed", BASIC, STANDARD, "+71.54", "CNY"] in rows
    total = next(line for line in out.splitlines() if line.startswith("Total (CNY)"))
    assert total.split() == [
        "Total",
        "(CNY)",
        "2",
        "stack(s)",
        BASIC,
        "143.08",
        f"+{STANDARD}",
        "CNY",
        "(+300.00%)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all-stacks"], "--all-stacks and --stacks compare with a git ref: add --baseline-ref"),
        (
            ["--all-stacks", "--baseline-ref", "HEAD", "--stack", "dev"],
            "--stack is for one stack; --all-stacks/--stacks take every stack",
        ),
        (
            ["--stacks", "dev", "--baseline-ref", "HEAD", "--usage-file", "u.yaml"],
            "--usage-file is for one stack; with several, each stack reads stacks/usage.<stack>.yaml",
        ),
        (
            ["--stacks", " , ", "--baseline-ref", "HEAD"],
            "--stacks: ' , ' names no stack (give e.g. dev,prod)",
        ),
        (
            ["--all-stacks", "--stacks", "dev", "--baseline-ref", "HEAD"],
            "give --all-stacks or --stacks, not both",
        ),
        (
            ["--baseline-stack", "dev", "--baseline-ref", "HEAD"],
            "give one baseline, not --baseline-ref and --baseline-stack",
        ),
    ],
)
def test_multi_stack_mistakes_exit_2(args: list[str], message: str) -> None:
    code, _, err = askc("diff", *args)
    assert (code, err) == (2, f"Error: {message}\n")


def test_baseline_stack_compares_two_stacks_of_one_project(tmp_path: Path) -> None:
    write_project(tmp_path, {"dev": "Basic", "prod": "Standard"})
    code, out, err = askc(
        "diff", "--stack", "prod", "--baseline-stack", "dev", "-C", str(tmp_path), "-f", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    # Matched by URN with the stack renamed: the ALB changes, nothing is added or removed.
    changes = {r["name"]: r["change"] for r in data["resources"]}
    assert changes == {"tiny-prod": "unchanged", "alb": "changed"}
    assert (
        data["before"]["monthlyCost"],
        data["after"]["monthlyCost"],
        data["delta"]["monthlyCost"],
    ) == (BASIC, STANDARD, "71.54")
    assert data["baseline"] == "stack dev"


def test_baseline_stack_must_exist(tmp_path: Path) -> None:
    write_project(tmp_path, {"dev": "Basic"})
    code, _, err = askc("diff", "--stack", "dev", "--baseline-stack", "prod", "-C", str(tmp_path))
    assert code == 2
    assert err.startswith("Error: stack 'prod' has no config file ")


def test_with_diagram_ends_the_markdown_with_the_changes_marked(tmp_path: Path) -> None:
    write_project(tmp_path, {"dev": "Basic", "prod": "Standard"})
    args = ["--stack", "prod", "--baseline-stack", "dev", "-C", str(tmp_path), "-f", "markdown"]
    code, plain, _ = askc("diff", *args)
    code_with, out, err = askc("diff", *args, "--with-diagram")
    assert (code, code_with, err) == (0, 0, "")
    body, _, block = out.partition("\n\n```mermaid\n")
    # The comment is unchanged above the diagram; the ALB's box carries its new price and is
    # the one box marked changed.
    assert body + "\n" == plain
    assert block.splitlines() == [
        "%% tiny / prod (askc diagram)",
        "flowchart TB",
        '  alb_alb["ALB <br/>Standard, Intranet<br/>107.31 CNY/month + usage"]',
        "  classDef alb fill:#fff7ed,stroke:#ea580c",
        "  class alb_alb alb",
        "  classDef changed fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#111827",
        "  class alb_alb changed",
        "```",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--baseline-stack", "dev"], "--with-diagram goes with --format markdown"),
        (
            ["--all-stacks", "--baseline-ref", "HEAD", "-f", "markdown"],
            "--with-diagram draws one stack; use askc diagram --stack NAME for each",
        ),
    ],
)
def test_with_diagram_mistakes_exit_2(args: list[str], message: str) -> None:
    code, _, err = askc("diff", *args, "--with-diagram")
    assert (code, err) == (2, f"Error: {message}\n")
