"""Read a Pulumi project (``Pulumi.yaml``) and its stack files the way the Pulumi CLI does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ask_components.errors import InputError
from ask_components.preview.graph import SECRET_MASK

# libyaml's loader when PyYAML has it: the same safe loading, several times faster on the large
# stack files of platforms with hundreds of workloads.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_STACK_FILE_BYTES = 5 * 1024 * 1024
"""A stack file larger than this is refused: a config is kilobytes, this guards mistakes."""


@dataclass(frozen=True)
class PulumiProject:
    """A Pulumi project on disk.

    Attributes:
        name: the project name (``Pulumi.yaml`` ``name``).
        directory: the folder holding ``Pulumi.yaml``.
        main: the program entry relative to the folder (``main:``), or None for ``__main__.py``.
        stack_config_dir: where ``Pulumi.<stack>.yaml`` files live.
    """

    name: str
    directory: Path
    main: str | None
    stack_config_dir: Path

    def main_path(self) -> Path:
        """The program's entry file."""
        target = self.directory / (self.main or ".")
        return target / "__main__.py" if target.is_dir() else target

    def stack_file(self, stack: str) -> Path:
        """The config file of a stack."""
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        """The stacks that have a config file."""
        return sorted(
            path.name[len("Pulumi.") : -len(".yaml")]
            for path in self.stack_config_dir.glob("Pulumi.*.yaml")
        )


def load_yaml_file(path: Path, what: str) -> Any:
    """Parse a YAML file with clear errors (missing, too large, not UTF-8, not YAML)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist") from None
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read: {err.strerror}") from None
    if size > MAX_STACK_FILE_BYTES:
        raise InputError(f"{what} {path} is {size} bytes; the limit is {MAX_STACK_FILE_BYTES}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{what} {path} is not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise InputError(f"{what} {path} cannot be read: {err.strerror}") from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{what} {path} is not valid YAML{where}: {problem}") from None


def load_project(directory: Path) -> PulumiProject:
    """Read ``Pulumi.yaml`` in a folder."""
    directory = directory.resolve()
    path = directory / "Pulumi.yaml"
    if not path.exists():
        raise InputError(f"no Pulumi project in {directory}: Pulumi.yaml is missing")
    document = load_yaml_file(path, "project file")
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise InputError(f"project file {path} has no `name`")
    main = document.get("main")
    config_dir = document.get("stackConfigDir")
    return PulumiProject(
        name=document["name"],
        directory=directory,
        main=main if isinstance(main, str) else None,
        stack_config_dir=directory / config_dir if isinstance(config_dir, str) else directory,
    )


def read_stack_config(project: PulumiProject, stack: str) -> tuple[dict[str, Any], list[str]]:
    """A stack's config (key -> value) and which keys are secrets.

    Keys without a namespace get the project's, as the CLI does. ``secure:`` values cannot be
    decrypted offline: they become ``SECRET_MASK`` and their key is marked secret.
    """
    path = project.stack_file(stack)
    if not path.exists():
        known = ", ".join(project.stacks()) or "none"
        raise InputError(f"stack {stack!r} has no config file {path} (stacks with one: {known})")
    document = load_yaml_file(path, "stack file") or {}
    if not isinstance(document, dict):
        raise InputError(f"stack file {path} must be a mapping with a `config:` key")
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise InputError(f"stack file {path}: `config` must be a mapping")
    values: dict[str, Any] = {}
    secret_keys: list[str] = []
    for key, value in config.items():
        full_key = str(key) if ":" in str(key) else f"{project.name}:{key}"
        masked, secret = mask_secure(value)
        values[full_key] = masked
        if secret:
            secret_keys.append(full_key)
    return values, secret_keys


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
