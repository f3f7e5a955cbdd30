"""``askc backend``: set up, check, inspect and restore the Pulumi state bucket on OSS.

A thin layer: parse options, call the library, render (rich for humans, JSON for machines).
Every ``AskError`` becomes ``Error: <message>`` on stderr and its exit code, with no traceback,
and everything printed is redacted (``clikit.handle_errors``).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ask_components.backend.bootstrap import BootstrapReport, bootstrap
from ask_components.backend.check import CheckReport, check
from ask_components.backend.client import StateBucket
from ask_components.backend.history import DEFAULT_LIMIT, CheckpointVersion, history
from ask_components.backend.names import BackendTarget
from ask_components.backend.restore import RestoreResult, restore
from ask_components.backend.settings import DEFAULT_NONCURRENT_DAYS
from ask_components.backend.stacks import StackRef, find_stack
from ask_components.clikit import GuardedGroup, handle_errors
from ask_components.errors import InputError

app = typer.Typer(
    cls=GuardedGroup,
    help="Keep Pulumi state safe in an OSS bucket (Pulumi's DIY backend over the S3 API).",
    no_args_is_help=True,
    # Never print local variables in a traceback: they can hold credentials.
    pretty_exceptions_show_locals=False,
)


class OutputFormat(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"


BucketOpt = Annotated[str, typer.Option("--bucket", help="The state bucket name.")]
RegionOpt = Annotated[str, typer.Option("--region", help="The region id, e.g. cn-hangzhou.")]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="The S3 API endpoint. Default: https://oss-<region>.aliyuncs.com.",
    ),
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", help="table for humans, json for programs.")
]
StackOpt = Annotated[
    str,
    typer.Option("--stack", help="The stack: STACK, PROJECT/STACK or organization/PROJECT/STACK."),
]
ProjectOpt = Annotated[
    str | None, typer.Option("--project", help="The project, when the stack name is ambiguous.")
]

_STATE_STYLES = {
    "unchanged": "green",
    "ok": "green",
    "changed": "yellow",
    "unsupported": "cyan",
    "warning": "red",
    "missing": "red",
}


def _console() -> Console:
    # Wide when piped or captured, so long version ids and commands are never folded.
    width = None if sys.stdout.isatty() else 200
    return Console(width=width, soft_wrap=True, highlight=False)


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False, default=str))


def _connect(bucket: str, region: str, endpoint: str | None) -> StateBucket:
    return StateBucket.connect(BackendTarget.create(bucket, region, endpoint))


def _target_json(target: BackendTarget) -> dict[str, Any]:
    return {"bucket": target.bucket, "region": target.region, "endpoint": target.endpoint}


# --- bootstrap ---------------------------------------------------------------------------------


@app.command("bootstrap")
@handle_errors
def bootstrap_command(
    bucket: BucketOpt,
    region: RegionOpt,
    endpoint: EndpointOpt = None,
    noncurrent_days: Annotated[
        int,
        typer.Option(
            "--noncurrent-days",
            help="Keep replaced checkpoint versions restorable for this many days.",
        ),
    ] = DEFAULT_NONCURRENT_DAYS,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Create the bucket if needed; turn on versioning, encryption, privacy and lifecycle."""
    report = bootstrap(_connect(bucket, region, endpoint), noncurrent_days)
    if output is OutputFormat.json:
        _emit_json(_bootstrap_json(report))
    else:
        _render_bootstrap(report)


def _bootstrap_json(report: BootstrapReport) -> dict[str, Any]:
    return {
        **_target_json(report.target),
        "noncurrent_days": report.noncurrent_days,
        "changed": report.changed,
        "settings": [
            {"name": r.name, "state": r.state, "message": r.message} for r in report.settings
        ],
        "pulumi_login": report.pulumi_login_command,
    }


def _render_bootstrap(report: BootstrapReport) -> None:
    console = _console()
    target = report.target
    console.print(
        Text(f"State bucket {target.bucket} ({target.region}, {target.endpoint})", style="bold")
    )
    for result in report.settings:
        line = Text("  ")
        line.append(f"{result.name}: ", style="bold")
        line.append(result.message, style=_STATE_STYLES.get(result.state, ""))
        console.print(line)
    if report.changed:
        count = sum(1 for r in report.settings if r.state == "changed")
        console.print(Text(f"{count} setting(s) changed.", style="yellow"))
    else:
        console.print(Text("No changes: the bucket was already set up.", style="green"))
    console.print("Log in to this backend with:")
    console.print(Text(f"  {report.pulumi_login_command}"))


# --- check -------------------------------------------------------------------------------------


@app.command("check")
@handle_errors
def check_command(
    bucket: BucketOpt,
    region: RegionOpt,
    endpoint: EndpointOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Verify versioning, encryption, privacy and the lifecycle rule; exit 1 if any is missing."""
    report = check(_connect(bucket, region, endpoint))
    if output is OutputFormat.json:
        _emit_json(_check_json(report))
    else:
        _render_check(report)
    if not report.ok:
        raise typer.Exit(1)


def _check_json(report: CheckReport) -> dict[str, Any]:
    return {
        **_target_json(report.target),
        "ok": report.ok,
        "checks": [
            {"name": i.name, "status": i.status, "detail": i.detail, "fix": i.fix}
            for i in report.items
        ],
    }


def _render_check(report: CheckReport) -> None:
    console = _console()
    table = Table(title=f"State bucket {report.target.bucket}", title_justify="left")
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail")
    for item in report.items:
        style = _STATE_STYLES.get(item.status, "")
        table.add_row(Text(item.name), Text(item.status, style=style), Text(item.detail))
    console.print(table)
    fixes = [item for item in report.items if item.fix]
    for item in fixes:
        console.print(Text(f"fix {item.name}: {item.fix}"))
    if report.ok:
        console.print(Text("All protections are in place.", style="green"))


# --- history -----------------------------------------------------------------------------------


@app.command("history")
@handle_errors
def history_command(
    bucket: BucketOpt,
    region: RegionOpt,
    stack: StackOpt,
    project: ProjectOpt = None,
    endpoint: EndpointOpt = None,
    limit: Annotated[
        int,
        typer.Option("--limit", help="Show at most this many of the newest versions (0: all)."),
    ] = DEFAULT_LIMIT,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """List the kept versions of a stack's checkpoint, newest first."""
    if limit < 0:
        raise InputError(f"--limit must be 0 (all versions) or more, got {limit}")
    state = _connect(bucket, region, endpoint)
    ref = find_stack(state, stack, project)
    versions, total = history(state, ref, limit=limit or None)
    if output is OutputFormat.json:
        _emit_json(
            {
                **_target_json(state.target),
                **_stack_json(ref),
                "total_versions": total,
                "versions": [_version_json(v) for v in versions],
            }
        )
        return
    console = _console()
    table = Table(title=f"Checkpoint versions of {ref.display} ({ref.key})", title_justify="left")
    for name, justify in (
        ("time (UTC)", "left"),
        ("size", "right"),
        ("resources", "right"),
        ("version id", "left"),
        ("", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for version in versions:
        mark = "latest" if version.is_latest else ""
        if version.deleted:
            mark = (mark + " deleted").strip()
        resources = "-" if version.resource_count is None else str(version.resource_count)
        if version.problem:
            resources = "unreadable"
        table.add_row(
            Text(_time(version)),
            Text(str(version.size)),
            Text(resources),
            Text(version.version_id),
            Text(mark, style="bold green" if version.is_latest else ""),
        )
    console.print(table)
    if total > len(versions):
        console.print(
            f"Showing the newest {len(versions)} of {total} versions (--limit 0 for all)."
        )


def _time(version: CheckpointVersion) -> str:
    return version.last_modified.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _stack_json(ref: StackRef) -> dict[str, Any]:
    return {"project": ref.project, "stack": ref.stack, "key": ref.key}


def _version_json(version: CheckpointVersion) -> dict[str, Any]:
    return {
        "version_id": version.version_id,
        "last_modified": version.last_modified.astimezone(UTC).isoformat(),
        "size": version.size,
        "resource_count": version.resource_count,
        "is_latest": version.is_latest,
        "deleted": version.deleted,
        "problem": version.problem,
    }


# --- restore -----------------------------------------------------------------------------------


@app.command("restore")
@handle_errors
def restore_command(
    bucket: BucketOpt,
    region: RegionOpt,
    stack: StackOpt,
    version_id: Annotated[
        str, typer.Option("--version-id", help="The version to restore (see history).")
    ],
    project: ProjectOpt = None,
    endpoint: EndpointOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Restore even though a lock file exists for the stack."),
    ] = False,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Make an old checkpoint version the latest again (the current one stays restorable)."""
    state = _connect(bucket, region, endpoint)
    ref = find_stack(state, stack, project)
    result = restore(state, ref, version_id, force=force)
    for lock in result.ignored_locks:
        typer.echo(f"Warning: --force went past the lock {lock}", err=True)
    if output is OutputFormat.json:
        _emit_json(_restore_json(state.target, result))
        return
    _render_restore(state.target, result)


def _restore_json(target: BackendTarget, result: RestoreResult) -> dict[str, Any]:
    return {
        **_target_json(target),
        **_stack_json(result.stack),
        "restored_version_id": result.source_version_id,
        "resource_count": result.resource_count,
        "already_latest": result.already_latest,
        "new_version_id": result.new_version_id,
        "replaced_version_id": result.replaced_version_id,
        "backup_key": result.backup_key,
        "write_guard": result.guard,
        "ignored_locks": [lock.key for lock in result.ignored_locks],
    }


def _render_restore(target: BackendTarget, result: RestoreResult) -> None:
    console = _console()
    ref = result.stack
    if result.already_latest:
        console.print(
            Text(
                f"Version {result.source_version_id} is already the latest checkpoint of "
                f"{ref.display}; nothing to do."
            )
        )
        return
    console.print(
        Text(
            f"Restored version {result.source_version_id} of {ref.display} "
            f"({result.resource_count} resources) as the latest checkpoint "
            f"(new version {result.new_version_id}).",
            style="green",
        )
    )
    if result.replaced_version_id:
        console.print(
            Text(
                f"The replaced checkpoint stays restorable as version "
                f"{result.replaced_version_id}; "
                f"a copy was also saved to s3://{target.bucket}/{result.backup_key}"
            )
        )
    guards = {
        "if-match": "the write was conditional on the current ETag (If-Match)",
        "if-none-match": "the write was conditional on the stack still being deleted "
        "(If-None-Match)",
        "re-check": "the server does not support conditional writes; the ETag was re-checked "
        "just before the write and the version order verified after it",
    }
    if result.guard:
        console.print(Text(f"Concurrency guard: {guards[result.guard]}."))
