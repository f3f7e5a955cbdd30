"""``askc preview diff``: what a change would create, update, replace or delete.

    askc preview diff --stack prod --baseline-ref origin/main            # tree, coloured
    askc preview diff --stack prod --baseline-ref HEAD --format json --fail-on-replace
    askc preview diff --stack prod-acs --baseline-stack prod --format markdown --with-diagram
    askc preview diff --preview-json preview.json                        # pulumi preview --json

Exit codes: 0, 2 for bad input or config, 3 when ``--fail-on-replace`` finds a stateful
resource that would be replaced (the report is printed first).
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from ask_components.clikit import ProjectDirOption, StackOption, console, handle_errors
from ask_components.errors import InputError, ReplaceGateError
from ask_components.files import read_text_file
from ask_components.preview.diff import PreviewDiff, diff_graphs, diff_preview_steps
from ask_components.preview.graph import ResourceGraph, restacked

MAX_PREVIEW_JSON_BYTES: Final = 200 * 1024 * 1024
"""A ``pulumi preview --json`` file larger than this (200 MiB) is refused."""


class DiffFormat(enum.StrEnum):
    """Output formats of ``askc preview diff``."""

    tree = "tree"
    markdown = "markdown"
    json = "json"


def _read_document(source: str) -> tuple[Any, str]:
    """The parsed ``pulumi preview --json`` document and its label (``-`` reads stdin)."""
    if source == "-":
        text = sys.stdin.read(MAX_PREVIEW_JSON_BYTES + 1)
        if len(text) > MAX_PREVIEW_JSON_BYTES:
            raise InputError(f"preview JSON from stdin is larger than {MAX_PREVIEW_JSON_BYTES}")
        label = "stdin"
    else:
        path = Path(source)
        if path.is_dir():
            raise InputError(f"preview JSON {path} is a folder, not a file")
        text = read_text_file(path, "preview JSON", MAX_PREVIEW_JSON_BYTES)
        label = str(path)
    if not text.strip():
        raise InputError(f"preview JSON {label} is empty")
    try:
        return json.loads(text), label
    except json.JSONDecodeError as err:
        raise InputError(
            f"preview JSON {label} is not valid JSON at line {err.lineno}, column {err.colno}: "
            f"{err.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"preview JSON {label} is nested too deeply") from None


def diff_from_preview_json(source: str) -> tuple[PreviewDiff, ResourceGraph]:
    """The plan a ``pulumi preview --json`` file holds, and its after-side graph.

    Raises:
        InputError: unreadable, not JSON, or not ``pulumi preview --json`` output.
    """
    from ask_components.cost.sources import preview_from_document

    document, label = _read_document(source)
    sides = preview_from_document(document, label)  # checks the shape, names the file
    steps = document.get("steps") or []
    try:
        plan = diff_preview_steps(
            steps, sides.before, sides.after, baseline=f"pulumi preview --json ({label})"
        )
    except ValueError as err:
        raise InputError(f"preview JSON {label}: {err}") from None
    return plan, sides.after


def diff_offline(
    project_dir: Path,
    stack: str,
    *,
    baseline_ref: str | None = None,
    baseline_stack: str | None = None,
) -> tuple[PreviewDiff, ResourceGraph]:
    """The plan from a baseline's offline preview to the working tree's, and the new graph.

    Raises:
        InputError: the baseline cannot be previewed (no git, unknown ref, no stack file).
        ConfigError: a stack config is invalid.
    """
    from ask_components.preview.engine import run_preview

    after = run_preview(project_dir, stack)
    if baseline_ref is not None:
        from ask_components.cost.stack import preview_at_ref

        before: ResourceGraph | None = preview_at_ref(project_dir, stack, baseline_ref)
        if before is None:
            raise InputError(f"--baseline-ref: stack {stack} has no stack file at {baseline_ref}")
        label = f"git {baseline_ref}"
    else:
        assert baseline_stack is not None
        before = restacked(run_preview(project_dir, baseline_stack), stack)
        label = f"stack {baseline_stack}"
    try:
        return diff_graphs(before, after, baseline=label), after
    except ValueError as err:
        raise InputError(str(err)) from None


def check_gate(plan: PreviewDiff) -> None:
    """``--fail-on-replace``.

    Raises:
        ReplaceGateError: a stateful resource would be replaced (named with its reasons).
    """
    found = plan.stateful_replacements
    if not found:
        return
    listed = "; ".join(
        f"{change.name} ({change.type.rsplit(':', 1)[-1]}: "
        f"{', '.join(c.path for c in change.replace_reasons)})"
        for change in found
    )
    noun = "resource" if len(found) == 1 else "resources"
    raise ReplaceGateError(
        f"--fail-on-replace: {len(found)} stateful {noun} would be replaced: {listed}"
    )


def _one_baseline(options: Mapping[str, str | None]) -> None:
    given = [name for name, value in options.items() if value is not None]
    if len(given) > 1:
        raise InputError(f"give one of {', '.join(options)}, not {' and '.join(given)}")
    if not given:
        raise InputError(f"nothing to compare with: give {', '.join(options)}")


def emit(plan: PreviewDiff, fmt: DiffFormat, diagram: str | None) -> None:
    """Print the plan in a format."""
    from ask_components.preview.diff_render import render_json, render_markdown, render_tree

    if fmt is DiffFormat.tree:
        console.print(render_tree(plan))
        return
    text = render_json(plan) if fmt is DiffFormat.json else render_markdown(plan, diagram=diagram)
    sys.stdout.write(text)
    sys.stdout.flush()


@handle_errors
def diff_command(
    stack: StackOption = "dev",
    project_dir: ProjectDirOption = Path("."),
    baseline_ref: Annotated[
        str | None,
        typer.Option(
            "--baseline-ref", help="Before = the offline preview at this git ref (origin/main)."
        ),
    ] = None,
    baseline_stack: Annotated[
        str | None,
        typer.Option("--baseline-stack", help="Before = the offline preview of another stack."),
    ] = None,
    preview_json: Annotated[
        str | None,
        typer.Option("--preview-json", help="`pulumi preview --json` output file, or - (stdin)."),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.tree,
    with_diagram: Annotated[
        bool,
        typer.Option(
            "--with-diagram", help="Markdown: add a Mermaid diagram with the changes marked."
        ),
    ] = False,
    fail_on_replace: Annotated[
        bool,
        typer.Option(
            "--fail-on-replace",
            help="Exit 3 when a cluster, ALB, NAT, EIP, vSwitch, VPC or private zone would be "
            "replaced.",
        ),
    ] = False,
) -> None:
    """What a change creates, updates, replaces (and why) or deletes, per resource."""
    _one_baseline(
        {
            "--baseline-ref": baseline_ref,
            "--baseline-stack": baseline_stack,
            "--preview-json": preview_json,
        }
    )
    if with_diagram and output_format is not DiffFormat.markdown:
        raise InputError("--with-diagram goes with --format markdown")
    if preview_json is not None:
        plan, after = diff_from_preview_json(preview_json)
    else:
        plan, after = diff_offline(
            project_dir, stack, baseline_ref=baseline_ref, baseline_stack=baseline_stack
        )
    diagram: str | None = None
    if with_diagram:
        from ask_components.diagram import render_mermaid_with_changes

        diagram = render_mermaid_with_changes(after, plan.changed_urns())
    emit(plan, output_format, diagram)
    if fail_on_replace:
        check_gate(plan)


__all__ = ["DiffFormat", "check_gate", "diff_command", "diff_from_preview_json", "diff_offline"]
