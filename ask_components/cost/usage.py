"""The usage file: how much of the usage-priced things a stack is expected to use in a month.

Layout (``stacks/usage.<stack>.yaml`` or ``--usage-file``), like Infracost's usage file::

    version: 0.1
    resource_type_default_usage:        # per type token (fnmatch patterns allowed)
      kubernetes:batch/v1:CronJob:
        run_seconds: 600
    resource_usage:                     # per resource: logical name or URN (fnmatch patterns)
      report-*:
        monthly_runs: 30
      "urn:pulumi:prod::ask-platform::...::web":
        average_replicas: 4

Values are numbers ≥ 0; keys end with their unit. For one resource, type defaults apply first,
then every matching ``resource_usage`` entry in file order (a later one wins). A resource reads
only the keys its pricer knows; unknown keys are errors.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import yaml

from ask_components.cost.resources import (
    ALL_USAGE_KEYS,
    PRICERS,
    GraphIndex,
    UsageKey,
    classify,
)
from ask_components.cost.resources._base import sandbox_class
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.preview.project import YamlTooLarge, safe_load_guarded

MAX_USAGE_BYTES: Final = 5 * 1024 * 1024
"""A usage file larger than this is refused."""

TOP_LEVEL_KEYS: Final = ("version", "resource_type_default_usage", "resource_usage")

SECONDS_IN_A_MONTH: Final = Decimal(31 * 24 * 3600)
"""The longest month, in seconds: no run lasts longer, and no more runs fit, one a second."""

USAGE_MAXIMA: Final[Mapping[str, Decimal]] = {
    "average_replicas": Decimal(2**31 - 1),  # Kubernetes keeps replicas in an int32
    "run_seconds": SECONDS_IN_A_MONTH,
    "monthly_runs": SECONDS_IN_A_MONTH,
}
"""The largest value of a usage key that can mean something; a key's own ``maximum``
(``spot_discount_percent`` ≤ 100) is stricter still."""

DEFAULT_USAGE_MAXIMUM: Final = Decimal(10) ** 12
"""The largest value of any other usage key (traffic GB, queries, capacity units): a trillion
is past any platform's month, and keeps every price × quantity far inside Decimal's range
(a usage of 1e999999 overflowed, and '1e9999999999' ran a minute and 19 GB before failing)."""


def default_usage_path(project_dir: Path, stack: str) -> Path:
    """Where a stack's usage file lives by default: ``stacks/usage.<stack>.yaml``."""
    return project_dir / "stacks" / f"usage.{stack}.yaml"


@dataclass(frozen=True)
class UsageEntry:
    """One pattern of the usage file and its values.

    Attributes:
        pattern: a type token, logical name or URN, or an fnmatch pattern of one.
        values: key to number.
        section: ``resource_type_default_usage`` or ``resource_usage``.
    """

    pattern: str
    values: Mapping[str, Decimal]
    section: str

    @cached_property
    def _match(self) -> Callable[[str], object]:
        """The pattern compiled once (matching 10,000 resources calls it 20,000 times)."""
        return re.compile(fnmatch.translate(self.pattern)).match

    def matches(self, node: ResourceNode) -> bool:
        """Whether the entry applies to ``node`` (fnmatch rules, case-sensitive)."""
        pattern, match = self.pattern, self._match
        if self.section == "resource_type_default_usage":
            cls = sandbox_class(node.type)
            candidates: tuple[str, ...] = (node.type, cls) if cls else (node.type,)
        else:
            candidates = (node.name, node.urn)
        return any(c == pattern or match(c) for c in candidates)


@dataclass(frozen=True)
class Usage:
    """A parsed usage file (or none: :data:`NO_USAGE`).

    Attributes:
        type_defaults: entries of ``resource_type_default_usage``, in file order.
        resources: entries of ``resource_usage``, in file order.
        origin: the file it came from (empty for none).
    """

    type_defaults: tuple[UsageEntry, ...] = ()
    resources: tuple[UsageEntry, ...] = ()
    origin: str = ""

    @property
    def entries(self) -> tuple[UsageEntry, ...]:
        """Every entry: type defaults first, then per-resource ones."""
        return self.type_defaults + self.resources

    def values_for(
        self, node: ResourceNode, keys: Iterable[UsageKey]
    ) -> tuple[dict[str, Decimal], list[UsageEntry]]:
        """The values that apply to ``node`` for ``keys``, and the entries that matched it."""
        names = {key.name for key in keys}
        values: dict[str, Decimal] = {}
        matched: list[UsageEntry] = []
        for entry in self.entries:
            if entry.matches(node):
                matched.append(entry)
                values.update({k: v for k, v in entry.values.items() if k in names})
        return values, matched


NO_USAGE: Final = Usage()


def usage_maximum(key: UsageKey) -> Decimal:
    """The largest value ``key`` may take (see :data:`USAGE_MAXIMA`)."""
    maximum = USAGE_MAXIMA.get(key.name, DEFAULT_USAGE_MAXIMUM)
    return maximum if key.maximum is None else min(maximum, key.maximum)


def _number(value: Any, where: str, key: UsageKey) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(f"{where}: must be a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(f"{where}: must be a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise InputError(f"{where}: must be a number >= 0, got {value!r}")
    maximum = usage_maximum(key)
    if number > maximum:
        raise InputError(f"{where}: must be at most {maximum}, got {value!r}")
    return number


def _keys_for_type(pattern: str) -> dict[str, UsageKey] | None:
    """The usage keys of the pricer of an exact type token (or sandbox class), else None."""
    for pricer in PRICERS:
        if pattern in pricer.types or pattern in pricer.sandbox_classes:
            return {key.name: key for key in pricer.usage_keys}
    return None


def _entries(section: str, data: Any, label: str) -> tuple[UsageEntry, ...]:
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        raise InputError(
            f"{label}: {section} must be a mapping of pattern to values, got {type(data).__name__}"
        )
    entries: list[UsageEntry] = []
    for pattern, values in data.items():
        where = f"{label}: {section}[{json.dumps(str(pattern))}]"
        if values is None:
            continue
        if not isinstance(values, Mapping):
            raise InputError(
                f"{where}: must be a mapping of usage key to number, got {type(values).__name__}"
            )
        allowed = ALL_USAGE_KEYS
        scope = "any priced resource"
        if section == "resource_type_default_usage":
            typed = _keys_for_type(str(pattern))
            if typed is not None:
                allowed, scope = typed, str(pattern)
        parsed: dict[str, Decimal] = {}
        for key, value in values.items():
            if key not in allowed:
                names = ", ".join(sorted(allowed)) or "none"
                raise InputError(f"{where}: unknown usage key {key!r}; keys for {scope}: {names}")
            parsed[str(key)] = _number(value, f"{where}.{key}", allowed[str(key)])
        entries.append(UsageEntry(str(pattern), parsed, section))
    return tuple(entries)


def parse_usage(data: Any, label: str) -> Usage:
    """Validate a usage document (already parsed from YAML)."""
    if data is None:
        return Usage(origin=label)
    if not isinstance(data, Mapping):
        raise InputError(f"{label}: expected a mapping at the top level, got {type(data).__name__}")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise InputError(
                f"{label}: unknown top-level key {key!r}; allowed: {', '.join(TOP_LEVEL_KEYS)}"
            )
    return Usage(
        type_defaults=_entries(
            "resource_type_default_usage", data.get("resource_type_default_usage"), label
        ),
        resources=_entries("resource_usage", data.get("resource_usage"), label),
        origin=label,
    )


def load_usage(path: Path) -> Usage:
    """Read and validate a usage file.

    Raises:
        InputError: missing, too large, not UTF-8, not YAML, or an unknown key / bad value (the
            message names the file, the entry and the key, and lists the allowed keys).
    """
    label = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"usage file {label}: cannot read it: {exc.strerror or exc}") from None
    if size > MAX_USAGE_BYTES:
        raise InputError(
            f"usage file {label}: {size} bytes is larger than the limit of {MAX_USAGE_BYTES}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"usage file {label}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"usage file {label}: cannot read it: {exc.strerror or exc}") from None
    try:
        # Guarded: no alias bombs, no nesting deep enough to exhaust the recursion.
        data = safe_load_guarded(text)
    except YamlTooLarge as exc:
        raise InputError(f"usage file {label}: {exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"usage file {label}: not valid YAML: {exc}") from None
    return parse_usage(data, f"usage file {label}")


@dataclass
class _TemplateResource:
    node: ResourceNode
    keys: tuple[UsageKey, ...]
    pattern: str = field(default="")


def usage_template(graph: ResourceGraph) -> str:
    """A commented YAML usage file for the priced resources of ``graph``.

    Every entry is commented out, so the file is valid and changes nothing as written; uncomment
    the lines you want and set their values.
    """
    index = GraphIndex(graph)
    items: list[_TemplateResource] = []
    for node in graph.resources:
        found = classify(node, index)
        if found.pricer is not None and found.pricer.usage_keys:
            items.append(_TemplateResource(node, found.pricer.usage_keys))
    names: dict[str, int] = {}
    for item in items:
        names[item.node.name] = names.get(item.node.name, 0) + 1
    for item in items:
        key = item.node.name if names[item.node.name] == 1 else item.node.urn
        item.pattern = glob.escape(key)

    width = max((len(k.name) for i in items for k in i.keys), default=0)
    out = [
        f"# Usage for `askc cost` (project {graph.project}, stack {graph.stack}).",
        "# Uncomment the lines you need and set the monthly values you expect; keys end with",
        "# their unit. resource_usage keys match a logical name or URN (fnmatch patterns such as",
        "# web-* work); resource_type_default_usage sets defaults per type token. Usage-based",
        "# costs without a value show as 'depends on usage'.",
        "version: 0.1",
        "resource_type_default_usage:",
    ]
    seen_types: dict[str, tuple[UsageKey, ...]] = {}
    for item in items:
        seen_types.setdefault(item.node.type, item.keys)
    for type_token, keys in seen_types.items():
        out.append(f"  # {json.dumps(type_token)}:")
        out.extend(_key_lines(keys, width))
    out.append("resource_usage:")
    for item in items:
        out.append(f"  # {json.dumps(item.pattern)}:  # {item.node.type}")
        out.extend(_key_lines(item.keys, width))
    return "\n".join(out) + "\n"


def _key_lines(keys: Iterable[UsageKey], width: int) -> list[str]:
    return [f"  #   {(key.name + ': 0').ljust(width + 3)}  # {key.description}" for key in keys]


__all__ = [
    "NO_USAGE",
    "Usage",
    "UsageEntry",
    "default_usage_path",
    "load_usage",
    "parse_usage",
    "usage_template",
]
