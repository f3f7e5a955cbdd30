"""``askc``: preview, cost and state tooling for ask-components platforms."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ask_components.clikit import (
    GuardedGroup,
    ProjectDirOption,
    StackOption,
    console,
    handle_errors,
    print_crash,
)
from ask_components.cost.cli import app as cost_app
from ask_components.sandbox.cli import app as sandbox_app

app = typer.Typer(
    cls=GuardedGroup,
    name="askc",
    help="Offline preview, cost and state tooling for Alibaba Cloud ACK Serverless platforms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Locals can hold credentials; never print them, even if pretty exceptions come back on.
    pretty_exceptions_show_locals=False,
)
app.add_typer(cost_app, name="cost")
app.add_typer(sandbox_app, name="sandbox")

preview_app = typer.Typer(
    name="preview",
    help="Run the Pulumi program offline and show what it would create (`diff`: what a change "
    "would do).",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(preview_app, name="preview")


@preview_app.callback(invoke_without_command=True)
@handle_errors
def preview(
    ctx: typer.Context,
    stack: StackOption = "dev",
    project_dir: ProjectDirOption = Path("."),
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the ResourceGraph as JSON instead of a tree.")
    ] = False,
) -> None:
    """Run the Pulumi program offline (no CLI, no credentials) and show what it would create."""
    if ctx.invoked_subcommand is not None:
        return
    from ask_components.preview.engine import run_preview

    graph = run_preview(project_dir, stack)
    if json_output:
        print(graph.to_json())
        return
    from ask_components.preview.render import diagnostic_lines, render_tree

    console.print(render_tree(graph))
    lines = diagnostic_lines(graph)
    if lines:
        console.file.flush()
        print("\n" + "\n".join(lines))


@app.command()
@handle_errors
def version() -> None:
    """Print the version of ask-components."""
    from ask_components import __version__

    print(__version__)


def _mount_subcommands() -> None:
    from ask_components.backend.cli import app as backend_app
    from ask_components.deploy.cli import deploy_app, doctor_command
    from ask_components.diagram.cli import diagram_command
    from ask_components.package.cli import package_app
    from ask_components.policy.cli import policy_app
    from ask_components.preview.diff_cli import diff_command

    app.add_typer(backend_app, name="backend")
    app.add_typer(policy_app, name="policy")
    app.add_typer(deploy_app, name="deploy")
    app.command("doctor")(doctor_command)
    preview_app.command("diff")(diff_command)
    app.command("diagram")(diagram_command)
    app.add_typer(package_app, name="package")


_mount_subcommands()


def main() -> None:
    """The console-script entry point."""
    try:
        app()
    except Exception as exc:  # a bug, not a user error: its traceback, with credentials hidden
        print_crash(exc)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
