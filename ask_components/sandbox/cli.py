"""``askc sandbox``: look into and reset the sandbox provider's store.

The store is what the local target's stand-ins are made of; these commands read it directly
(no Pulumi involved). ``ls`` and ``show`` never create a store, ``reset`` empties it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ask_components.clikit import GuardedGroup, console, handle_errors
from ask_components.errors import InputError
from ask_components.files import path_exists
from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, SandboxStore
from ask_components.sandbox.summary import SUMMARIES, summarize

app = typer.Typer(
    cls=GuardedGroup,
    name="sandbox",
    help="Inspect and reset the sandbox provider's store (the local target's stand-ins).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StateOption = Annotated[
    Path,
    typer.Option(
        "--state",
        help="The sandbox store (ask:local.sandboxState of the stack).",
        dir_okay=False,
    ),
]
DEFAULT_STATE = Path(DEFAULT_STATE_PATH)


def _count(number: int) -> str:
    return f"{number} sandbox {'resource' if number == 1 else 'resources'}"


def _records(state: Path) -> list[SandboxRecord] | None:
    """Every record of the store, or None when there is no store (none is created)."""
    if not path_exists(state, "sandbox store"):
        return None
    with SandboxStore(state, create=False) as store:
        return store.list()


@app.command("ls")
@handle_errors
def list_resources(
    state: StateOption = DEFAULT_STATE,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the resources as a JSON list.")
    ] = False,
    type_name: Annotated[
        str | None, typer.Option("--type", help="Only this type (SandboxVpc, SandboxEip, …).")
    ] = None,
) -> None:
    """List the sandbox resources: id, type, name and key attributes."""
    if type_name is not None and type_name not in SUMMARIES:
        raise InputError(
            f"--type: {type_name!r} is not a sandbox resource type; the types are "
            f"{', '.join(sorted(SUMMARIES))}"
        )
    records = _records(state) or []
    if type_name is not None:
        records = [record for record in records if record.type == type_name]
    if json_output:
        print(json.dumps([record.to_json() for record in records], indent=2))
        return
    if not records:
        where = state if path_exists(state, "sandbox store") else f"{state} (no store yet)"
        console.print(f"No sandbox resources in {where}.")
        return
    table = Table(title=f"{_count(len(records))} in {state}", title_justify="left", show_edge=False)
    for column in ("id", "type", "name", "details"):
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(record.id, record.type, record.name, summarize(record.type, record.state))
    console.print(table)


@app.command()
@handle_errors
def show(
    resource_id: Annotated[str, typer.Argument(help="The resource id (vpc-…, vsw-…, …).")],
    state: StateOption = DEFAULT_STATE,
) -> None:
    """Print one resource's stored state as JSON."""
    if not path_exists(state, "sandbox store"):
        raise InputError(f"no sandbox store at {state} (pass --state, or deploy the local stack)")
    with SandboxStore(state, create=False) as store:
        record = store.get(resource_id)
    if record is None:
        raise InputError(
            f"no sandbox resource {resource_id} in {state} (`askc sandbox ls` lists them)"
        )
    print(json.dumps(record.to_json(), indent=2))


@app.command()
@handle_errors
def reset(
    state: StateOption = DEFAULT_STATE,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove every sandbox resource from the store."""
    if not path_exists(state, "sandbox store"):
        console.print(f"Nothing to reset: {state} does not exist.")
        return
    # Counted, not read: a store with a damaged row must still be resettable.
    with SandboxStore(state, create=False) as store:
        count = store.count()
        if not count:
            console.print(f"Nothing to reset: {state} is empty.")
            return
        if not yes:
            typer.confirm(f"Remove all {_count(count)} from {state}?", abort=True)
        removed = store.reset()
    console.print(
        f"Removed {_count(removed)} from {state}. Stacks that made them still list "
        "them: `pulumi refresh --stack local` drops them."
    )
