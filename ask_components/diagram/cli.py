"""``askc diagram``: the platform of a stack as a picture.

askc diagram --stack prod                          # Mermaid flowchart on stdout
askc diagram --stack prod --format svg --out prod.svg
askc diagram --stack prod --format html --out prod.html
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from ask_components.clikit import ProjectDirOption, StackOption, handle_errors
from ask_components.errors import InputError


class DiagramFormat(enum.StrEnum):
    """Output formats of ``askc diagram``."""

    mermaid = "mermaid"
    svg = "svg"
    html = "html"


def stack_region(project_dir: Path, stack: str) -> str | None:
    """The region a stack's costs are priced in: its ``alicloud:region`` (None without one)."""
    from ask_components.cost.stack import stack_settings

    return stack_settings(project_dir, stack).region


def write_output(text: str, out: Path | None) -> None:
    """Print ``text``, or write it to ``out`` (whole, or not at all).

    Raises:
        InputError: ``out`` is a folder, or its folder does not exist or cannot be written.
    """
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"--out {out}: folder {out.parent} does not exist")
    partial = out.with_name(out.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(out)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise InputError(f"--out {out} cannot be written: {err.strerror or err}") from None


@handle_errors
def diagram_command(
    stack: StackOption = "dev",
    project_dir: ProjectDirOption = Path("."),
    output_format: Annotated[
        DiagramFormat, typer.Option("--format", "-f", help="mermaid, svg or html.")
    ] = DiagramFormat.mermaid,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """The platform as a picture: VPC and zones, NAT/EIP, cluster, ALB or CLBs, private zone,
    workloads with their billed spec and monthly cost."""
    from ask_components.diagram.model import platform_diagram
    from ask_components.preview.engine import run_preview

    graph = run_preview(project_dir, stack)
    diagram = platform_diagram(graph, region=stack_region(project_dir, stack))
    if output_format is DiagramFormat.mermaid:
        from ask_components.diagram.mermaid import render_mermaid

        text = render_mermaid(diagram)
    else:
        from ask_components.diagram.svg import render_html, render_svg

        text = render_svg(diagram) if output_format is DiagramFormat.svg else render_html(diagram)
    write_output(text, out)


__all__ = ["DiagramFormat", "diagram_command", "stack_region", "write_output"]
