"""The rules as a Pulumi policy pack (CrossGuard): adapters from ``pulumi_policy``'s arguments.

``policies/__main__.py`` builds the ``PolicyPack`` from :func:`build_policies` and
:func:`initial_config`. Nothing here starts a server, so tests call each policy's ``validate``
with real ``ResourceValidationArgs`` / ``StackValidationArgs``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ask_components.policy.catalog import RULES
from ask_components.policy.model import UNKNOWN_MARK, Level, Rule, Subject
from ask_components.policy.settings import POLICY_KEY, PolicySettings, parse_policy_settings

PACK_NAME = "ask-guardrails"

_LEVELS = {
    Level.MANDATORY: EnforcementLevel.MANDATORY,
    Level.ADVISORY: EnforcementLevel.ADVISORY,
    Level.DISABLED: EnforcementLevel.DISABLED,
}


def plain(value: Any) -> Any:
    """A pack property as plain JSON data; values unknown during preview become ``[unknown]``.

    ``pulumi_policy`` wraps inputs in proxies that raise ``UnknownValueError`` when an unknown
    value is read; the rules want plain dicts and lists, like the offline preview gives them.
    """
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key in value:
            try:
                item = value[key]
            except UnknownValueError:
                result[str(key)] = UNKNOWN_MARK
                continue
            result[str(key)] = plain(item)
        return result
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(UNKNOWN_MARK)
        return items
    return value


def subject_of_args(args: ResourceValidationArgs) -> Subject:
    """A resource under validation as a rule subject."""
    return Subject(type=args.resource_type, name=args.name, urn=args.urn, props=plain(args.props))


def subject_of_resource(resource: PolicyResource) -> Subject:
    """A stack resource as a rule subject (dependencies from both kinds of edges)."""
    dependencies = [dep.urn for dep in resource.dependencies]
    for deps in resource.property_dependencies.values():
        dependencies.extend(dep.urn for dep in deps if dep.urn not in dependencies)
    return Subject(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        props=plain(resource.props),
        dependencies=tuple(dict.fromkeys(dependencies)),
    )


def violation_text(message: str, fix: str) -> str:
    """What the pack reports: the finding and its fix."""
    return f"{message}. Fix: {fix}."


def _resource_policy(rule: Rule, level: Level) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        subject = subject_of_args(args)
        for _, finding in rule.run([subject]):
            report_violation(violation_text(finding.message, finding.fix or rule.fix), None)

    return ResourceValidationPolicy(
        name=rule.id,
        description=rule.description,
        validate=validate,
        enforcement_level=_LEVELS[level],
        remediation_steps=rule.fix,
        url=rule.url,
    )


def _stack_policy(rule: Rule, level: Level) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        subjects = [subject_of_resource(resource) for resource in args.resources]
        for subject, finding in rule.run(subjects):
            report_violation(
                violation_text(finding.message, finding.fix or rule.fix), subject.urn or None
            )

    return StackValidationPolicy(
        name=rule.id,
        description=rule.description,
        validate=validate,
        enforcement_level=_LEVELS[level],
        remediation_steps=rule.fix,
        url=rule.url,
    )


def build_policies(settings: PolicySettings | None = None) -> list[Policy]:
    """One policy per rule, at the levels the settings give (waived rules disabled)."""
    settings = settings or PolicySettings()
    policies: list[Policy] = []
    for rule in RULES:
        level = settings.level(rule.id)
        if rule.kind == "stack":
            policies.append(_stack_policy(rule, level))
        else:
            policies.append(_resource_policy(rule, level))
    return policies


def initial_config(settings: PolicySettings | None = None) -> dict[str, EnforcementLevel]:
    """The pack's ``initial_config``: every rule's level (``--policy-pack-config`` overrides it)."""
    settings = settings or PolicySettings()
    return {rule.id: _LEVELS[settings.level(rule.id)] for rule in RULES}


def pack_readme() -> str:
    """The pack's README: each rule with its level, why it exists and its source."""
    lines = ["# ask-guardrails", "", "Guardrails for Alibaba Cloud ACK Serverless (ASK).", ""]
    for rule in RULES:
        lines += [
            f"## {rule.id} ({rule.level.value})",
            "",
            rule.description,
            "",
            f"Why: {rule.rationale}",
            "",
            f"Fix: {rule.fix}.",
            "",
            f"Source: {rule.url}",
            "",
        ]
    return "\n".join(lines)


def settings_from_stack_config(config: Mapping[str, Any]) -> PolicySettings:
    """The stack's ``ask:policy`` from the config Pulumi gives a policy pack (``PULUMI_CONFIG``)."""
    raw = config.get(POLICY_KEY)
    if isinstance(raw, str):
        # Invalid JSON stays a string: parse_policy_settings reports it with the key.
        with contextlib.suppress(json.JSONDecodeError):
            raw = json.loads(raw)
    return parse_policy_settings(raw)


def stack_config_from_env() -> dict[str, Any]:
    """The stack config the Pulumi CLI passes to the pack, or {} outside a Pulumi run."""
    from pulumi.runtime.config import get_config_env

    return dict(get_config_env())
