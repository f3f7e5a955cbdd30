"""``ask:policy``: per-stack enforcement levels and waivers, read from the stack file.

::

    config:
      ask:policy:
        enforcement: {eci-spec-declared: mandatory, image-tag-pinned: advisory}
        waive: [api-server-private]   # this stack has a public API server on purpose

A waived rule does not run for the stack (it is listed as waived); ``enforcement`` changes a
rule's level (``mandatory``, ``advisory`` or ``disabled``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ask_components.errors import ConfigError, ConfigProblem
from ask_components.policy.catalog import RULES, RULES_BY_ID
from ask_components.policy.model import Level

POLICY_KEY = "ask:policy"
_LEVELS = ", ".join(level.value for level in Level)


@dataclass(frozen=True)
class PolicySettings:
    """A stack's policy settings.

    Attributes:
        enforcement: rule id -> level, over the rules' defaults.
        waive: rule ids the stack opts out of.
    """

    enforcement: Mapping[str, Level] = field(default_factory=dict)
    waive: frozenset[str] = frozenset()

    def level(self, rule_id: str) -> Level:
        """The effective level of a rule: waived rules are disabled."""
        if rule_id in self.waive:
            return Level.DISABLED
        return self.enforcement.get(rule_id, RULES_BY_ID[rule_id].level)

    def levels(self) -> dict[str, Level]:
        """Rule id -> effective level, for every rule."""
        return {rule.id: self.level(rule.id) for rule in RULES}


def _known(rule_id: object, path: str, problems: list[ConfigProblem]) -> bool:
    if isinstance(rule_id, str) and rule_id in RULES_BY_ID:
        return True
    problems.append(
        ConfigProblem(path, f"{rule_id!r} is not a rule id (known: {', '.join(RULES_BY_ID)})")
    )
    return False


def parse_policy_settings(raw: Any) -> PolicySettings:
    """Validate an ``ask:policy`` value (a mapping, its JSON text, or None for the defaults).

    Raises:
        ConfigError: every problem, each with its path under ``ask:policy``.
    """
    if raw is None:
        return PolicySettings()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as err:
            raise ConfigError(
                [ConfigProblem(POLICY_KEY, f"is not valid JSON ({err.msg})")]
            ) from None
    if not isinstance(raw, Mapping):
        raise ConfigError(
            [ConfigProblem(POLICY_KEY, f"must be a mapping, got {type(raw).__name__}")]
        )
    problems: list[ConfigProblem] = []
    for key in raw:
        if key not in ("enforcement", "waive"):
            problems.append(
                ConfigProblem(f"{POLICY_KEY}.{key}", "unknown key (allowed: enforcement, waive)")
            )
    enforcement: dict[str, Level] = {}
    raw_enforcement = raw.get("enforcement")
    if raw_enforcement is None:
        raw_enforcement = {}
    if not isinstance(raw_enforcement, Mapping):
        problems.append(
            ConfigProblem(f"{POLICY_KEY}.enforcement", "must be a mapping of rule id to level")
        )
        raw_enforcement = {}
    for rule_id, level in raw_enforcement.items():
        path = f"{POLICY_KEY}.enforcement.{rule_id}"
        if not _known(rule_id, path, problems):
            continue
        try:
            enforcement[rule_id] = Level(level)
        except ValueError:
            problems.append(ConfigProblem(path, f"{level!r} is not a level ({_LEVELS})"))
    waive: set[str] = set()
    raw_waive = raw.get("waive")
    if raw_waive is None:
        raw_waive = []
    if not isinstance(raw_waive, list):
        problems.append(ConfigProblem(f"{POLICY_KEY}.waive", "must be a list of rule ids"))
        raw_waive = []
    for index, rule_id in enumerate(raw_waive):
        if _known(rule_id, f"{POLICY_KEY}.waive[{index}]", problems):
            waive.add(rule_id)
    if problems:
        raise ConfigError(problems)
    return PolicySettings(enforcement, frozenset(waive))


def settings_from_config(values: Mapping[str, Any]) -> PolicySettings:
    """The settings in a stack's config values (key -> value)."""
    return parse_policy_settings(values.get(POLICY_KEY))
