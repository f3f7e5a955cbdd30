"""``askc deploy ram-policy`` and ``askc doctor``: what a deployer and their machine need."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ask_components.clikit import ProjectDirOption, handle_errors

if TYPE_CHECKING:
    from ask_components.deploy.doctor import StackFacts

deploy_app = typer.Typer(
    help="What deploying a stack with `pulumi up` needs (the RAM policy of the deployer).",
    no_args_is_help=True,
)


@deploy_app.command("ram-policy")
@handle_errors
def ram_policy_command(
    stack: Annotated[
        str, typer.Option("--stack", "-s", help="Stack name: reads stacks/Pulumi.<stack>.yaml.")
    ],
    project_dir: ProjectDirOption = Path("."),
) -> None:
    """Print the least-privilege RAM policy (JSON) for deploying the stack with `pulumi up`."""
    from ask_components.deploy.policy import ram_policy
    from ask_components.preview.engine import run_preview

    # Plain print: the document is piped into files and RAM, never wrapped or styled.
    print(ram_policy(run_preview(project_dir, stack)).to_json(), end="")


@handle_errors
def doctor_command(
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack",
            "-s",
            help="Stack to check for (its target and region); without it, this machine alone.",
        ),
    ] = None,
    project_dir: ProjectDirOption = Path("."),
) -> None:
    """Check this machine for `pulumi up`; exit code 1 when something is missing.

    One line per check: the Pulumi CLI, its provider plugins, where credentials come from (never
    their values) and the region; for a local-target stack kind, kubectl, docker and the context.
    """
    from ask_components.deploy.doctor import Machine, exit_code, run_checks, summary

    facts = _stack_facts(project_dir, stack) if stack is not None else None
    checks = run_checks(Machine.current(), facts)
    for check in checks:
        print(check.line())
    print(summary(checks, stack))
    raise typer.Exit(exit_code(checks))


def _stack_facts(project_dir: Path, stack: str) -> StackFacts:
    """The stack's validated config and keys (an unknown or invalid stack is an input error)."""
    from ask_components.config import load_platform_config
    from ask_components.deploy.doctor import StackFacts
    from ask_components.preview.project import load_project, read_stack_config

    project = load_project(project_dir)
    values, _ = read_stack_config(project, stack)
    config = load_platform_config(values, stack=stack, check_secrets=False)
    stack_file = project.stack_file(stack)
    try:
        shown = str(stack_file.relative_to(project.directory))
    except ValueError:
        shown = str(stack_file)
    return StackFacts(name=stack, stack_file=shown, config=config, keys=frozenset(values))
