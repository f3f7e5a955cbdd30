"""``Platform``'s ``secrets``: exactly the secrets its workloads read, by full config key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ask_components.config import PLATFORM_KEY, PlatformConfig
from ask_components.errors import ArgumentError, ConfigProblem


def check_platform_secrets(name: str, config: PlatformConfig, secrets: Mapping[str, Any]) -> None:
    """Raise one ``ArgumentError`` naming every secret missing from ``secrets`` (with the
    workload key that reads it) and every key no workload reads (with the one it may mean)."""
    needed: dict[str, str] = {}
    for path, key in config.workloads.secret_config_keys():
        needed.setdefault(key, f"{PLATFORM_KEY}.workloads.{path}")
    problems = [
        ConfigProblem(f"secrets[{key!r}]", f"is missing: {where} reads it")
        for key, where in needed.items()
        if key not in secrets
    ]
    for key in secrets:
        if key in needed:
            continue
        near = [full for full in needed if full.partition(":")[2] == key]
        hint = (
            f"did you mean {near[0]!r}? Keys are full config keys"
            if near
            else "the workloads read " + (", ".join(sorted(needed)) or "no secrets")
        )
        problems.append(ConfigProblem(f"secrets[{key!r}]", f"no workload reads it ({hint})"))
    if problems:
        raise ArgumentError("Platform", name, problems)
