"""Read a Pulumi project (``Pulumi.yaml``) and its stack files the way the Pulumi CLI does.

Config values are read as the Pulumi CLI reads them (``sdk/go/common/resource/config/value.go``,
``Value.unmarshalValue``): a scalar is first read as a string, so ``alicloud:region: 5`` is the
text ``"5"`` and ``date: 2024-01-01`` the text ``"2024-01-01"``, exactly as written; only mappings
and lists are structured values. Inside a structured value every scalar must be a JSON value:
YAML's dates, timestamps, ``!!binary``, ``!!set``, ``.nan`` / ``.inf`` and keys that are not text
are refused with their config path (quote them), rather than guessed at.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ask_components.errors import ConfigError, ConfigProblem, InputError
from ask_components.files import parse_failure, path_exists, read_text_file
from ask_components.preview.graph import SECRET_MASK

# libyaml's loader when PyYAML has it: the same safe loading, several times faster on the large
# stack files of platforms with hundreds of workloads.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_STACK_FILE_BYTES = 5 * 1024 * 1024
"""A stack file larger than this is refused: a config is kilobytes, this guards mistakes."""

MAX_YAML_VALUES = 1_000_000
"""A YAML document whose aliases add more values than this is refused. Aliases let a few hundred
bytes stand for billions of values (the "billion laughs" document); PyYAML builds them as
shared objects, but everything downstream (validation, JSON, rules) walks the expanded tree.
A document without aliases is never refused by this (its size is bounded by the file limit)."""

MAX_YAML_DEPTH = 64
"""A YAML document nested deeper than this is refused (a config is a handful of levels deep;
deeper trees would exhaust the recursion of the code that walks them)."""


PROJECT_CONFIG_TYPES = ("string", "integer", "boolean", "array", "object")
"""The ``type`` values a project config declaration may take (pulumi/pulumi
``sdk/go/common/workspace/project.go``)."""

_PROJECT_CONFIG_FIELDS = frozenset({"type", "description", "items", "default", "value", "secret"})


@dataclass(frozen=True)
class ProjectConfigItem:
    """One key of the ``config:`` block of ``Pulumi.yaml`` (project-level config).

    Attributes:
        key: the full key (``ask:target``; a key without a namespace gets the project's).
        type: the declared type (project-namespaced keys only), or None.
        items: the declared item type of an ``array``, as written.
        default: the default of a project-namespaced key, or None.
        value: the value of a key of another namespace (``alicloud:region``), or None.
        secret: the stack value must be a secret.
    """

    key: str
    type: str | None = None
    items: Any = None
    default: Any = None
    value: Any = None
    secret: bool = False


@dataclass(frozen=True)
class PulumiProject:
    """A Pulumi project on disk.

    Attributes:
        name: the project name (``Pulumi.yaml`` ``name``).
        directory: the folder holding ``Pulumi.yaml``.
        main: the program entry relative to the folder (``main:``), or None for ``__main__.py``.
        stack_config_dir: where ``Pulumi.<stack>.yaml`` files live.
        config: the project-level config (``Pulumi.yaml`` ``config:``), by full key.
    """

    name: str
    directory: Path
    main: str | None
    stack_config_dir: Path
    config: Mapping[str, ProjectConfigItem] = field(default_factory=dict)

    def main_path(self) -> Path:
        """The program's entry file.

        Raises:
            InputError: it does not exist (``main:`` names a missing path, or no ``__main__.py``).
        """
        target = self.directory / (self.main or ".")
        entry = target / "__main__.py" if target.is_dir() else target
        if not entry.is_file():
            where = f"`main: {self.main}`" if self.main else "the program"
            raise InputError(
                f"project file {self.directory / 'Pulumi.yaml'}: {where} is not there: "
                f"{entry} does not exist"
            )
        return entry

    def stack_file(self, stack: str) -> Path:
        """The config file of a stack.

        Raises:
            InputError: ``stack`` is not a Pulumi stack name (see :func:`validate_stack_name`).
        """
        return self.stack_config_dir / f"Pulumi.{validate_stack_name(stack)}.yaml"

    def stacks(self) -> list[str]:
        """The stacks that have a config file."""
        return sorted(
            path.name[len("Pulumi.") : -len(".yaml")]
            for path in self.stack_config_dir.glob("Pulumi.*.yaml")
        )


# Pulumi's stack names (pkg/backend/diy/store.go and the service): 1-100 of these characters, so
# a name is never a path (`--stack x/../../evil` must not read a file outside stacks/).
_STACK_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def validate_stack_name(stack: str) -> str:
    """Return ``stack`` if Pulumi allows it as a stack name, else raise ``InputError``.

    Args:
        stack: the name given with ``--stack`` (the stack file is ``Pulumi.<stack>.yaml``).
    """
    if not _STACK_NAME_RE.match(stack) or stack in (".", ".."):
        raise InputError(
            f"stack {stack!r} is not a stack name: 1-100 letters, digits, '-', '_' or '.' "
            "(the stack file is <stackConfigDir>/Pulumi.<stack>.yaml)"
        )
    return stack


def load_yaml_file(path: Path, what: str) -> Any:
    """Parse a YAML file with clear errors (missing, too large, not UTF-8, not YAML)."""
    return _load_yaml_file(path, what)[0]


def _load_yaml_file(path: Path, what: str) -> tuple[Any, yaml.Node | None]:
    text = read_text_file(path, what, MAX_STACK_FILE_BYTES)
    try:
        return _load_guarded(text, MAX_YAML_VALUES)
    except YamlRefused as err:
        raise InputError(f"{what} {path} {err}") from None
    except RecursionError:  # the parser itself recurses per level
        raise InputError(
            f"{what} {path} is nested more than {MAX_YAML_DEPTH} levels deep"
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{what} {path} is not valid YAML{where}: {problem}") from None


class YamlRefused(ValueError):
    """A YAML document is refused: its aliases expand to more than ``MAX_YAML_VALUES`` values,
    it is nested too deeply, an alias refers to itself, or a mapping repeats a key."""


YamlTooLarge = YamlRefused
"""The former name of :class:`YamlRefused`."""


def _duplicate_key(node: yaml.MappingNode) -> str | None:
    """Why a mapping node is refused for repeating a key, or ``None``.

    YAML says keys are unique; PyYAML keeps the last, so a repeated key silently replaces the
    first (``alicloud:region`` written twice deploys to the second region). Merge keys (``<<``)
    are YAML's way of combining mappings and are left to it.
    """
    first: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        seen = first.setdefault((key.tag, key.value), key)
        if seen is not key:
            return (
                f"has the key {key.value!r} twice (line {seen.start_mark.line + 1} and line "
                f"{key.start_mark.line + 1}); keys must be unique"
            )
    return None


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the node stands for once every alias is expanded (stops when aliases add
    more than ``limit``).

    Each distinct node is sized once (aliases share nodes), children before parents, so the
    cost is linear in the document, not in its expansion.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if not children_done:
            if key in in_progress:
                raise YamlRefused("refers to itself through an alias (a recursive document)")
            if isinstance(node, yaml.MappingNode) and (duplicate := _duplicate_key(node)):
                raise YamlRefused(duplicate)
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        in_progress.discard(key)
        total, depth = 1, 1
        for child in children:
            if id(child) not in sizes:  # an alias back to an ancestor
                raise YamlRefused("refers to itself through an alias (a recursive document)")
            total += sizes[id(child)]
            depth = max(depth, depths[id(child)] + 1)
        if depth > MAX_YAML_DEPTH:
            raise YamlRefused(f"is nested more than {MAX_YAML_DEPTH} levels deep")
        # Values beyond the distinct nodes come from aliases only.
        if total > limit + len(sizes) + 1:
            raise YamlRefused(
                f"expands to more than {limit} values through YAML aliases "
                "(a 'billion laughs' document?)"
            )
        sizes[key], depths[key] = total, depth
    return sizes[id(root)]


def _check_depth(text: str) -> None:
    """Refuse deep nesting from the event stream (the parser is iterative, the composer and
    everything after it recurse per level)."""
    depth = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlRefused(f"is nested more than {MAX_YAML_DEPTH} levels deep")
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1


def safe_load_guarded(text: str, *, limit: int = MAX_YAML_VALUES) -> Any:
    """``yaml.safe_load`` that refuses documents whose aliases add more than ``limit`` values,
    deep nesting and repeated keys.

    Raises:
        YamlRefused: aliases add too many values, too deep, a recursive alias, a repeated key.
        yaml.YAMLError: the text is not YAML.
    """
    return _load_guarded(text, limit)[0]


def _load_guarded(text: str, limit: int) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (which keeps each scalar as written)."""
    _check_depth(text)
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _expanded_size(node, limit)
        try:
            return loader.construct_document(node), node
        except YamlRefused:
            raise
        except ValueError as err:  # an int of 5,000 digits: int() refuses it
            raise YamlRefused(parse_failure(err)) from None
    finally:
        loader.dispose()


def load_project(directory: Path) -> PulumiProject:
    """Read ``Pulumi.yaml`` in a folder."""
    directory = directory.resolve()
    path = directory / "Pulumi.yaml"
    if not path_exists(path, "project file"):
        raise InputError(f"no Pulumi project in {directory}: Pulumi.yaml is missing")
    document = load_yaml_file(path, "project file")
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise InputError(f"project file {path} has no `name`")
    main = document.get("main")
    if main is not None and not isinstance(main, str):
        raise InputError(f"project file {path}: `main` must be a path, got {main!r}")
    config_dir = document.get("stackConfigDir")
    raw_config = document.get("config")
    if isinstance(raw_config, str) and config_dir is None:
        # The old spelling of stackConfigDir (project.go RewriteConfigPathIntoStackConfigDir).
        config_dir, raw_config = raw_config, None
    return PulumiProject(
        name=document["name"],
        directory=directory,
        main=main if isinstance(main, str) else None,
        stack_config_dir=directory / config_dir if isinstance(config_dir, str) else directory,
        config=project_config(document["name"], raw_config, path),
    )


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def project_config(project: str, raw: Any, path: Path) -> dict[str, ProjectConfigItem]:
    """The ``config:`` block of ``Pulumi.yaml``, read with the Pulumi CLI's rules.

    As in pulumi/pulumi ``sdk/go/common/workspace/project.go`` (``RewriteShorthandConfigValues``,
    ``Project.Validate``): a plain value or a list is shorthand, a ``default`` for a key of the
    project's namespace and a ``value`` for a key of another (``alicloud:region``); a mapping is
    a declaration (``type``, ``description``, ``items``, ``default``, ``value``, ``secret``), so
    a structured value is written ``{value: {...}}``. A key of another namespace takes only a
    ``value``.

    Raises:
        InputError: the block breaks one of those rules (the key is named).
    """
    if raw is None:
        return {}
    where = f"project file {path}"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: `config` must be a mapping of config keys")
    items: dict[str, ProjectConfigItem] = {}
    for raw_key, entry in raw.items():
        key = str(raw_key)
        full = _full_key(project, key)
        own = full.startswith(f"{project}:")
        if not isinstance(entry, Mapping):
            items[full] = (
                ProjectConfigItem(full, default=entry)
                if own
                else ProjectConfigItem(full, value=entry)
            )
            continue
        unknown = sorted(str(name) for name in entry if name not in _PROJECT_CONFIG_FIELDS)
        if unknown:
            raise InputError(
                f"{where}: config key {key!r} has {', '.join(map(repr, unknown))}; a project "
                "config entry takes type, description, items, default, value and secret "
                "(write a structured value as `value: {...}`)"
            )
        declared = entry.get("type")
        if "default" in entry and "value" in entry:
            raise InputError(f"{where}: config key {key!r} cannot have both a default and a value")
        if own:
            if declared is not None and declared not in PROJECT_CONFIG_TYPES:
                raise InputError(
                    f"{where}: config key {key!r} has type {declared!r}; the types are "
                    + ", ".join(PROJECT_CONFIG_TYPES)
                )
            if declared == "array" and entry.get("items") is None:
                raise InputError(
                    f"{where}: config key {key!r} declares an array without `items` (its item type)"
                )
            if (
                declared is not None
                and entry.get("default") is not None
                and not _config_value_has_type(entry["default"], declared, entry.get("items"))
            ):
                raise InputError(
                    f"{where}: the default of config key {key!r} is not of type {declared!r}"
                )
        else:
            if declared is not None:
                raise InputError(
                    f"{where}: config key {key!r} is not in the project's namespace "
                    f"({project}) and cannot declare a type"
                )
            if "default" in entry:
                raise InputError(
                    f"{where}: config key {key!r} is not in the project's namespace "
                    f"({project}) and cannot have a default: use `value`"
                )
            if entry.get("value") is None:
                raise InputError(f"{where}: config key {key!r} must give a `value`")
        items[full] = ProjectConfigItem(
            full,
            type=declared,
            items=entry.get("items"),
            default=entry.get("default"),
            value=entry.get("value"),
            secret=bool(entry.get("secret", False)),
        )
    return items


def _config_value_has_type(value: Any, type_name: str, items: Any) -> bool:
    """Whether a config value is of a declared type (project.go ``ValidateConfigValue``:
    integers may be integral floats or integer strings, booleans the strings true/false)."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value.is_integer()
        if isinstance(value, str):
            try:
                int(value)
            except ValueError:
                return False
            return True
        return False
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if type_name == "object":
        return isinstance(value, Mapping)
    if not isinstance(value, list) or not isinstance(items, Mapping):
        return False
    item_type = items.get("type")
    return isinstance(item_type, str) and all(
        _config_value_has_type(item, item_type, items.get("items")) for item in value
    )


def read_stack_config(project: PulumiProject, stack: str) -> tuple[dict[str, Any], list[str]]:
    """A stack's config (key -> value) and which keys are secrets.

    Keys without a namespace get the project's, as the CLI does. ``secure:`` values cannot be
    decrypted offline: they become ``SECRET_MASK`` and their key is marked secret. Values are
    read as the CLI reads them (see the module docs): scalars as the text written. The project's
    own ``config:`` (``Pulumi.yaml``) fills in what the stack file does not set, and the stack
    file's values win, as ``pulumi`` merges them (pulumi/pulumi
    ``sdk/go/common/workspace/config.go`` ``mergeConfig``).

    Raises:
        InputError: no such stack file, it is unusable, a key the project requires is not set,
            or a value is not of the type the project declares.
        ConfigError: a structured value holds something that is not JSON (each, with its path).
    """
    path = project.stack_file(stack)
    if not path_exists(path, "stack file"):
        known = ", ".join(project.stacks()) or "none"
        raise InputError(f"stack {stack!r} has no config file {path} (stacks with one: {known})")
    document, node = _load_yaml_file(path, "stack file")
    document = document or {}
    if not isinstance(document, dict):
        raise InputError(f"stack file {path} must be a mapping with a `config:` key")
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise InputError(f"stack file {path}: `config` must be a mapping")
    texts = _config_scalar_texts(node)
    values: dict[str, Any] = {}
    secret_keys: list[str] = []
    problems: list[ConfigProblem] = []
    for key, value in config.items():
        full_key = str(key) if ":" in str(key) else f"{project.name}:{key}"
        if isinstance(value, dict | list):
            problems.extend(_json_problems(value, full_key))
        elif value is not None:
            value = _scalar_text(texts.get(str(key)), value, full_key, problems)
        masked, secret = mask_secure(value)
        values[full_key] = masked
        if secret:
            secret_keys.append(full_key)
    if problems:
        raise ConfigError(problems)
    _apply_project_config(project, stack, values, secret_keys)
    return values, secret_keys


def _config_scalar_texts(root: yaml.Node | None) -> dict[str, yaml.ScalarNode]:
    """The scalar nodes of ``config:``'s values, by key: what the user wrote, character for
    character (the constructed values have lost it: ``1.50`` became ``1.5``)."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "config":
            if not isinstance(value, yaml.MappingNode):
                return {}
            return {
                str(k.value): v
                for k, v in value.value
                if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
            }
    return {}


def _scalar_text(
    node: yaml.ScalarNode | None, value: Any, path: str, problems: list[ConfigProblem]
) -> Any:
    """A scalar config value as the Pulumi CLI reads it: the text written (``!!binary``: the
    bytes it encodes, as UTF-8 text)."""
    if isinstance(value, str):
        return value
    if node is None:  # not a scalar after all: a !!set is written as a mapping
        problem = _not_json(value)
        if problem is not None:
            problems.append(ConfigProblem(path, problem))
            return None
        return value
    if node.tag == "tag:yaml.org,2002:binary":
        try:
            return base64.b64decode(node.value, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            problems.append(ConfigProblem(path, "a YAML !!binary value that is not UTF-8 text"))
            return None
    return node.value


# What YAML (1.1, PyYAML) can hold that JSON cannot, and how to say it.
def _not_json(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return f"{value.isoformat(sep=' ')} is a YAML timestamp, not a JSON value: quote it"
    if isinstance(value, datetime.date):
        return f"{value.isoformat()} is a YAML date, not a JSON value: quote it"
    if isinstance(value, bytes):
        return "a YAML !!binary value is not a JSON value: write it as text"
    if isinstance(value, set | frozenset):
        return "a YAML !!set is not a JSON value: write a list"
    if isinstance(value, tuple):
        return "a YAML !!omap or !!pairs is not a JSON value: write a mapping or a list"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a JSON number: quote it or write a finite number"
    return None


def _json_problems(value: Any, path: str) -> list[ConfigProblem]:
    """Every place in a structured config value that is not plain JSON, with its path."""
    problems: list[ConfigProblem] = []
    todo: list[tuple[Any, str]] = [(value, path)]
    while todo:
        item, where = todo.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    problems.append(ConfigProblem(where, f"the key {key!r} is not text: quote it"))
                    continue
                todo.append((inner, f"{where}.{key}"))
        elif isinstance(item, list):
            todo.extend((inner, f"{where}[{index}]") for index, inner in enumerate(item))
        elif (problem := _not_json(item)) is not None:
            problems.append(ConfigProblem(where, problem))
    return sorted(problems, key=lambda problem: problem.path)


def _apply_project_config(
    project: PulumiProject, stack: str, values: dict[str, Any], secret_keys: list[str]
) -> None:
    """Merge the project's config under a stack's values and check the stack's against it."""
    missing: list[str] = []
    problems: list[ConfigProblem] = []
    for key in sorted(project.config):
        item = project.config[key]
        if key not in values:
            fallback = item.value if item.value is not None else item.default
            if fallback is None:
                if key.startswith(f"{project.name}:"):
                    missing.append(key)
                continue
            # Pulumi.yaml's values reach the program as the stack file's do: plain JSON only.
            problems.extend(_json_problems(fallback, key))
            values[key] = fallback
            continue
        if item.secret and key not in secret_keys:
            raise InputError(
                f"stack {stack!r}: config key {key} must be a secret, as Pulumi.yaml declares: "
                f"pulumi config set --secret {key} <value>"
            )
        if (
            item.type is not None
            and key not in secret_keys
            and not _config_value_has_type(values[key], item.type, item.items)
        ):
            raise InputError(
                f"stack {stack!r}: config key {key} must be of type {item.type!r}, "
                "as Pulumi.yaml declares"
            )
    if problems:
        raise ConfigError(problems)
    if missing:
        raise InputError(
            f"stack {stack!r} is missing config {'value' if len(missing) == 1 else 'values'} "
            f"{', '.join(missing)}, which Pulumi.yaml requires (no default): "
            f"pulumi config set {missing[0]} <value>"
        )


def mask_secure(value: Any) -> tuple[Any, bool]:
    """A config value with each ``{secure: …}`` replaced by ``SECRET_MASK``, and whether any was."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_MASK, True
        secret = False
        masked: dict[str, Any] = {}
        for key, item in value.items():
            masked[key], inner = mask_secure(item)
            secret = secret or inner
        return masked, secret
    if isinstance(value, list):
        items = [mask_secure(item) for item in value]
        return [item for item, _ in items], any(inner for _, inner in items)
    return value, False
