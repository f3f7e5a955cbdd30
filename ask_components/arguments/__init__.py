"""The components check their own arguments, with the stack file's rules and messages.

A component's arguments (a dataclass such as ``NetworkArgs``) become the document of the config
model that holds the same rules (``NetworkConfig`` and its subclass here), which validates it.
Every problem is reported at once in one ``ArgumentError``, before the component registers
anything, each with its argument path (``egress``, ``autoscale.min``). The multi-language
package (``ask_components/package/``) validates its inputs with the same models; there the paths
keep the schema's camelCase names (``serviceCidr``), as a TypeScript or YAML program spells them.

One set of rules: a rule lives in the config model (or in a function the model calls), never
twice. What only a program can pass (an ``Output`` for a VPC id, a secret value) is accepted as
it is and checked where it is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, ValidationError

from ask_components.config import check_region
from ask_components.configbase import ConfigModel, error_items
from ask_components.errors import ArgumentError, ConfigProblem

__all__ = [
    "InputList",
    "InputStr",
    "PulumiInput",
    "arg_path",
    "check_arguments",
    "is_output",
    "plain",
    "region_problems",
    "valid_region",
]

M = TypeVar("M", bound=ConfigModel)

_SEGMENT = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


class PulumiInput:
    """Marks a model field that takes a Pulumi ``Input``: a plain value of ``kind`` or an
    ``Output`` (a value known later, such as another resource's id). The package's schema
    declares it as an input (not plain) of that kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind


def is_output(value: object) -> bool:
    """Whether ``value`` is a Pulumi ``Output`` or another awaitable (known only later)."""
    return hasattr(value, "__await__") or type(value).__name__ == "Output"


def _input_of(kind: type) -> Any:
    def check(value: object) -> object:
        if is_output(value):
            return value
        if kind is str and not isinstance(value, str):
            raise ValueError(f"must be a string or a Pulumi Output, got {value!r}")
        if kind is list:
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise ValueError(f"must be a list or a Pulumi Output, got {value!r}")
            bad = [item for item in value if not (isinstance(item, str) or is_output(item))]
            if bad:
                raise ValueError(f"must hold strings or Pulumi Outputs, got {bad[0]!r}")
            return list(value)
        return value

    return check


InputStr = Annotated[Any, BeforeValidator(_input_of(str)), PulumiInput("string")]
"""A string, or an ``Output`` of one."""

InputList = Annotated[Any, BeforeValidator(_input_of(list)), PulumiInput("string-list")]
"""A list of strings (each may be an ``Output``), or an ``Output`` of one."""


def plain(value: Any) -> Any:
    """Arguments as a model document: dataclasses as mappings of their fields, enums as their
    values, tuples as lists, recursively; ``Output`` values kept as they are."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _field_names(*, schema_names: bool) -> dict[str, str]:
    """Key -> the name to report, for every field of every config model (the argument models
    included): camelCase -> Python name, or the reverse with ``schema_names``."""
    names: dict[str, str] = {}
    pending: list[type[ConfigModel]] = [ConfigModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        for name, info in model.model_fields.items():
            alias = info.alias or name
            if schema_names:
                names[name] = alias
            else:
                names[alias] = name
    return names


def arg_path(
    loc: Sequence[int | str],
    sub: str = "",
    *,
    renames: Mapping[str, str] | None = None,
    schema_names: bool = False,
) -> str:
    """The path of a problem in a component's arguments.

    Args:
        loc: pydantic's location (camelCase keys, list indexes).
        sub: the sub-path a ``Problems`` adds (``".serviceCidr"``, ``"[1]"``).
        renames: argument path -> the path the component spells it as, where the arguments
            name a config key otherwise (``time_zone`` -> ``schedule_time_zone``); a rename
            applies to the path and everything below it.
        schema_names: keep camelCase keys (the package schema's names) instead of Python's.
    """
    parts: list[int | str] = list(loc)
    for key, index in _SEGMENT.findall(sub):
        parts.append(int(index) if index else key)
    # pydantic names a field as the document did (Python names here); a Problems sub-path
    # spells it as the stack file does (camelCase).
    names = _field_names(schema_names=schema_names)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = names.get(part, part)
            path += f".{name}" if path else name
    for old, new in (renames or {}).items():
        if path == old or (old and path.startswith((f"{old}.", f"{old}["))):
            return new + path[len(old) :]
    return path


def check_arguments(
    component: str,
    name: str,
    model: type[M],
    document: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    renames: Mapping[str, str] | None = None,
    extra: Iterable[tuple[str, str]] = (),
    schema_names: bool = False,
) -> M:
    """Validate a component's arguments with ``model``; raise one error listing every problem.

    Args:
        component: the component's class name, for the message.
        name: the component's logical name.
        model: the config model holding the rules.
        document: the arguments as the model's document (Python field names).
        context: the validation context (``region``, ``runtime``), as the stack file passes it.
        renames: see :func:`arg_path`.
        extra: (path, message) problems found outside the model, reported with its own.
        schema_names: report camelCase paths (the package's inputs).

    Returns:
        The validated model.

    Raises:
        ArgumentError: at least one problem.
    """
    problems: list[ConfigProblem] = []
    validated: M | None = None
    try:
        validated = model.model_validate(dict(document), context=dict(context or {}))
    except ValidationError as err:
        problems.extend(
            ConfigProblem(arg_path(loc, sub, renames=renames, schema_names=schema_names), message)
            for loc, sub, message in error_items(err)
        )
    problems.extend(ConfigProblem(path, message) for path, message in extra)
    if problems:
        raise ArgumentError(component, name, problems)
    assert validated is not None  # a failed validation has problems
    return validated


def region_problems(region: object, path: str = "region") -> list[tuple[str, str]]:
    """The stack file's region rule (``alicloud:region``) for a ``region`` argument."""
    if not isinstance(region, str):
        return [(path, f"must be a region id such as cn-hangzhou, got {region!r}")]
    try:
        check_region(region)
    except ValueError as err:
        return [(path, str(err))]
    return []


def valid_region(region: object) -> str | None:
    """``region`` when it passes the region rule, else None (zones are then not checked
    against it, so that one typo does not report every zone too)."""
    return region if isinstance(region, str) and not region_problems(region) else None
