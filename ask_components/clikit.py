"""What every ``askc`` command shares: consoles and the one place errors become exit codes.

Every command is wrapped by :func:`handle_errors`, which also redacts everything the command
writes (``ask_components.redaction``): a credential in a URL or in the environment never reaches
the terminal, whatever path it took.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from typer._click.exceptions import ClickException  # typer's copy of click: its parser's
from typer.core import TyperGroup

from ask_components.errors import AskError
from ask_components.redaction import guarded_output, redact

ProjectDirOption = Annotated[
    Path,
    typer.Option(
        "--project-dir", "-C", help="Folder of the Pulumi project (Pulumi.yaml).", file_okay=False
    ),
]
"""``--project-dir``/``-C``, as every command that reads the project takes it."""

StackOption = Annotated[
    str, typer.Option("--stack", "-s", help="Stack name: reads stacks/Pulumi.<stack>.yaml.")
]
"""``--stack``/``-s``, as the commands that preview one stack take it."""

P = ParamSpec("P")
R = TypeVar("R")

DEBUG_ENV = "ASKC_DEBUG"
"""Set to 1 to print the traceback of a failure (never printed for user errors otherwise)."""

# Piped output (CI logs, `make demo | less`) gets a wide page instead of rich's 80 columns, so
# trees and tables are not cropped.
_PIPE_WIDTH = 200
console = Console(highlight=False, width=None if sys.stdout.isatty() else _PIPE_WIDTH)
err_console = Console(stderr=True, highlight=False)


class GuardedGroup(TyperGroup):
    """The click group of every ``askc`` Typer app: redacts all output of a run, from the first
    byte (usage errors quote option values, and those may be URLs with credentials)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line with ``sys.stdout`` and ``sys.stderr`` redacted."""
        with guarded_output():
            return super().main(*args, **kwargs)

    # The option parser's errors are redacted where they are raised too: typer lays them out in
    # a rich panel, which may wrap a URL over two lines before the redacting stream sees it.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the group's arguments; a usage error's message is redacted."""
        with _redacted_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        """Run the command (and parse its arguments); a usage error's message is redacted."""
        with _redacted_usage_errors():
            return super().invoke(ctx)


@contextlib.contextmanager
def _redacted_usage_errors() -> Iterator[None]:
    try:
        yield
    except ClickException as err:
        err.message = redact(err.message)
        raise


def fail(message: str, code: int) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    # Plain print, not rich markup: messages quote user values such as "[secret]".
    print(f"Error: {redact(message)}", file=sys.stderr)
    return typer.Exit(code)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command with its output redacted; turn the project's errors into ``Error: …`` on
    stderr and their exit code, with no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with guarded_output():
            try:
                return command(*args, **kwargs)
            except AskError as err:
                if os.environ.get(DEBUG_ENV) == "1":
                    print(redact(traceback.format_exc()), file=sys.stderr)
                raise fail(str(err), err.exit_code) from None

    wrapper.askc_guarded = True  # type: ignore[attr-defined]
    return wrapper


def print_crash(exc: BaseException) -> None:
    """Print the traceback of an unexpected failure (a bug), redacted, on stderr."""
    text = "".join(traceback.format_exception(exc))
    print(redact(text), file=sys.stderr, end="")
