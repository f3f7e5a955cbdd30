"""Generate the config reference from the models, so the docs cannot drift from the code.

``python -m ask_components.configdoc`` rewrites the generated part of docs/config-reference.md;
a test fails when the file is out of date.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ask_components.config import PLATFORM_KEY, PlatformConfig

BEGIN = "<!-- BEGIN GENERATED: python -m ask_components.configdoc -->"
END = "<!-- END GENERATED -->"
DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "config-reference.md"

# Fields of PlatformConfig that come from other config keys or the stack itself.
_ROOT_KEYS = {
    "target": "ask:target",
    "local": "ask:local",
    "region": "alicloud:region",
    "stack": None,
}


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``X``, ``list[X]``, ``X | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def _type_name(annotation: Any) -> str:
    if annotation is type(None):
        return "null"
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type_name(arg) for arg in typing.get_args(annotation))
    if origin in (list, tuple):
        args = typing.get_args(annotation)
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        key, value = typing.get_args(annotation) or (str, Any)
        return f"map {_type_name(key)} → {_type_name(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see below"
        return f"`{value!r}`" if value not in ({}, []) else "empty"
    if field.default is PydanticUndefined or field.default is None:
        return "unset"
    value = field.default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _rows(model: type[BaseModel], prefix: str, rows: list[tuple[str, str, str, str]]) -> None:
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, field in model.model_fields.items():
        if model is PlatformConfig and name in _ROOT_KEYS:
            key = _ROOT_KEYS[name]
            if key is None:
                continue
            path = key
        else:
            path = f"{prefix}.{field.alias or name}"
        rows.append((path, _type_name(field.annotation), _default(field), field.description or ""))
        inner = model_of(field.annotation)
        if inner is not None:
            is_list = typing.get_origin(field.annotation) is list or any(
                typing.get_origin(arg) is list for arg in typing.get_args(field.annotation)
            )
            nested.append((f"{path}[]" if is_list else path, inner))
    for path, inner in nested:
        _rows(inner, path, rows)


def reference_table() -> str:
    """The Markdown table of every config key."""
    rows: list[tuple[str, str, str, str]] = []
    _rows(PlatformConfig, PLATFORM_KEY, rows)
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    lines.extend(
        f"| `{path}` | {kind} | {default} | {text} |" for path, kind, default, text in rows
    )
    return "\n".join(lines)


def render(document: str) -> str:
    """The document with its generated part replaced by the current table."""
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{reference_table()}\n{END}{tail}"


def main() -> None:
    """Rewrite docs/config-reference.md in place."""
    document = DOC_PATH.read_text(encoding="utf-8")
    if BEGIN not in document:
        sys.exit(f"{DOC_PATH} has no {BEGIN} marker")
    DOC_PATH.write_text(render(document), encoding="utf-8")


if __name__ == "__main__":
    main()
