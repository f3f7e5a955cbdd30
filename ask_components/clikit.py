"""What every ``askc`` command shares: consoles and the one place errors become exit codes."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from ask_components.errors import AskError

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


def fail(message: str, code: int) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    # Plain print, not rich markup: messages quote user values such as "[secret]".
    print(f"Error: {message}", file=sys.stderr)
    return typer.Exit(code)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into ``Error: …`` on stderr and their exit code, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AskError as err:
            if os.environ.get(DEBUG_ENV) == "1":
                traceback.print_exc()
            raise fail(str(err), err.exit_code) from None

    return wrapper
