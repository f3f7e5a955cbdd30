"""``askc policy``: the ask-guardrails rules over the offline preview, no Pulumi CLI needed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ask_components.clikit import GuardedGroup, ProjectDirOption, console, handle_errors
from ask_components.errors import InputError, PolicyViolation

if TYPE_CHECKING:
    from ask_components.preview.graph import ResourceGraph

policy_app = typer.Typer(
    cls=GuardedGroup,
    help="Policy checks (the ask-guardrails pack) over the offline preview.",
    no_args_is_help=True,
)


def _stack_values(project_dir: Path, stack: str, *, required: bool) -> dict[str, Any]:
    """The stack file's config values ({} when not required and there is no such file)."""
    from ask_components.preview.project import load_project, read_stack_config

    if not required and not (project_dir / "Pulumi.yaml").exists():
        return {}
    project = load_project(project_dir)
    if not required and not project.stack_file(stack).exists():
        return {}
    values, _ = read_stack_config(project, stack)
    return values


def _given_graph(graph_json: Path | None, preview_json: Path | None) -> ResourceGraph | None:
    """The graph read from --graph-json or --preview-json, or None to run the preview."""
    if graph_json is not None and preview_json is not None:
        raise InputError("give --graph-json or --preview-json, not both")
    if graph_json is not None:
        from ask_components.preview.graph_file import read_graph_json

        return read_graph_json(graph_json)
    if preview_json is not None:
        from ask_components.cost.sources import read_preview_json

        return read_preview_json(preview_json).after
    return None


@policy_app.command("check")
@handle_errors
def check_command(
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack", "-s", help="Stack name (default dev, or the graph's with --graph-json)."
        ),
    ] = None,
    project_dir: ProjectDirOption = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output: table, json or markdown.")
    ] = "table",
    graph_json: Annotated[
        Path | None,
        typer.Option(
            "--graph-json",
            help="Check this ResourceGraph (askc preview --json output) instead of running "
            "the program.",
            dir_okay=False,
        ),
    ] = None,
    preview_json: Annotated[
        Path | None,
        typer.Option(
            "--preview-json",
            help="Check what a `pulumi preview --json` would create (its steps' newState).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Run the policy rules over a stack; exit 1 when a mandatory rule fails."""
    from ask_components.policy.check import check_graph
    from ask_components.policy.render import (
        FORMATS,
        render_json,
        render_markdown,
        render_table,
        summary,
    )
    from ask_components.policy.settings import settings_from_config

    if output_format not in FORMATS:
        raise InputError(f"--format {output_format!r} is not one of {', '.join(FORMATS)}")
    given = _given_graph(graph_json, preview_json)
    if given is not None:
        graph = given
        stack_name = stack or graph.stack
        settings = settings_from_config(
            _stack_values(project_dir, stack_name, required=stack is not None)
        )
    else:
        from ask_components.preview.engine import run_preview

        stack_name = stack or "dev"
        # Settings first: a bad ask:policy is reported before the program runs.
        settings = settings_from_config(_stack_values(project_dir, stack_name, required=True))
        graph = run_preview(project_dir, stack_name)
    report = check_graph(graph, settings)
    if output_format == "json":
        print(render_json(report))
    elif output_format == "markdown":
        print(render_markdown(report))
    else:
        console.print(render_table(report))
    for violation in report.advisory:
        # Plain print: one line per warning, never wrapped (CI logs grep them).
        print(
            f"warning: [{violation.rule}] {violation.resource_type} {violation.resource_name}: "
            f"{violation.message}",
            file=sys.stderr,
        )
    if not report.passed:
        raise PolicyViolation(summary(report))


@policy_app.command("rules")
@handle_errors
def rules_command(
    stack: Annotated[
        str | None,
        typer.Option("--stack", "-s", help="Show the levels this stack's ask:policy sets."),
    ] = None,
    project_dir: ProjectDirOption = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output: table, json or markdown.")
    ] = "table",
) -> None:
    """List the rules: level, what each demands, why, and its source."""
    from ask_components.policy.render import FORMATS, render_rules
    from ask_components.policy.settings import PolicySettings, settings_from_config

    if output_format not in FORMATS:
        raise InputError(f"--format {output_format!r} is not one of {', '.join(FORMATS)}")
    settings = (
        settings_from_config(_stack_values(project_dir, stack, required=True))
        if stack is not None
        else PolicySettings()
    )
    rendered = render_rules(settings.levels(), output_format)
    if output_format == "table":
        console.print(rendered)
    else:
        print(rendered)
