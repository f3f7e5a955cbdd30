"""Reading a user's file with a bound on its size and errors that name it (no traceback)."""

from __future__ import annotations

import sys
from pathlib import Path

from ask_components.errors import InputError


def read_text_file(path: Path, what: str, limit: int) -> str:
    """The UTF-8 text of ``path``; an ``InputError`` naming ``what`` and the path when it does
    not exist, cannot be read, is larger than ``limit`` bytes or is not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist") from None
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read: {err.strerror}") from None
    if size > limit:
        raise InputError(f"{what} {path} is {size} bytes; the limit is {limit}")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{what} {path} is not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read: {err.strerror}") from None


def path_exists(path: Path, what: str) -> bool:
    """Whether ``path`` exists; an ``InputError`` naming ``what`` when that cannot even be told
    (a folder on the way that cannot be read: ``Path.exists`` would raise ``PermissionError``)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read: {err.strerror or err}") from None
    return True


def parse_failure(err: ValueError) -> str:
    """What a JSON or YAML parser's plain ``ValueError`` (not its syntax error) means, in a
    user's words: in practice an integer too long for Python to read (CVE-2020-10735's limit)."""
    if "integer string conversion" in str(err):
        return f"holds a number of more than {sys.get_int_max_str_digits()} digits"
    return f"cannot be read: {err}"
