"""Pulumi property paths: ``spec.template.metadata.annotations["k8s.aliyun.com/eci-use-specs"]``.

The syntax of ``ignoreChanges``, ``replaceOnChanges`` and the keys of ``detailedDiff``
(pulumi/pulumi ``sdk/go/common/resource/properties_path.go``): keys joined by ``.``, a key that
is not a plain name in ``["..."]``, list indices as ``[0]``, and ``*`` / ``[*]`` for any key or
index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final

Segment = str | int
"""One step of a path: a key, or a list index."""

WILDCARD: Final = "*"
"""The segment that matches any key or index."""

_PLAIN: Final = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


class PathError(ValueError):
    """A property path that cannot be parsed."""


def format_path(segments: Sequence[Segment]) -> str:
    """The Pulumi text of a path (``zoneMappings[0].vswitchId``)."""
    text = ""
    for segment in segments:
        if isinstance(segment, int):
            text += f"[{segment}]"
        elif _PLAIN.match(segment) or segment == WILDCARD:
            text += f".{segment}" if text else segment
        else:
            text += f"[{json.dumps(segment)}]"
    return text


def parse_path(text: str) -> tuple[Segment, ...]:
    """The segments of a Pulumi path.

    Raises:
        PathError: the text is not a path (the message quotes it).
    """
    segments: list[Segment] = []
    position = 0
    expect_key = True
    while position < len(text):
        char = text[position]
        if char == "[":
            end = _bracket_end(text, position)
            inner = text[position + 1 : end]
            if inner.startswith('"'):
                try:
                    segments.append(str(json.loads(inner)))
                except json.JSONDecodeError:
                    raise PathError(f"bad quoted key in property path {text!r}") from None
            elif inner == WILDCARD:
                segments.append(WILDCARD)
            elif inner.isdigit():
                segments.append(int(inner))
            else:
                raise PathError(f"bad index [{inner}] in property path {text!r}")
            position = end + 1
            expect_key = False
        elif char == ".":
            if expect_key:
                raise PathError(f"empty key in property path {text!r}")
            position += 1
            expect_key = True
        else:
            match = re.compile(r"[^.\[]+").match(text, position)
            assert match is not None
            segments.append(match.group(0))
            position = match.end()
            expect_key = False
    if not segments or expect_key:
        raise PathError(f"empty key in property path {text!r}")
    return tuple(segments)


def _bracket_end(text: str, start: int) -> int:
    position = start + 1
    in_string = False
    while position < len(text):
        char = text[position]
        if in_string:
            if char == "\\":
                position += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "]":
            return position
        position += 1
    raise PathError(f"unclosed [ in property path {text!r}")


def covers(prefix: Sequence[Segment], path: Sequence[Segment]) -> bool:
    """Whether ``path`` lies at or under ``prefix`` (``*`` matches any one segment)."""
    if len(prefix) > len(path):
        return False
    return all(wanted in (WILDCARD, found) for wanted, found in zip(prefix, path, strict=False))


__all__ = ["WILDCARD", "PathError", "Segment", "covers", "format_path", "parse_path"]
