"""Run the rules over a set of resources: ``check`` and the ``ResourceGraph`` adapter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ask_components.policy.catalog import RULES
from ask_components.policy.model import Level, Rule, Subject, Violation
from ask_components.policy.settings import PolicySettings
from ask_components.preview.graph import ResourceGraph


@dataclass(frozen=True)
class PolicyReport:
    """What a policy check found.

    Attributes:
        stack: the stack checked.
        violations: mandatory and advisory violations, in rule order.
        levels: rule id -> effective level (``disabled`` for waived rules too).
        waived: the rules the stack waives.
        resources: how many resources were checked.
    """

    stack: str
    violations: tuple[Violation, ...]
    levels: dict[str, Level]
    waived: frozenset[str]
    resources: int

    @property
    def mandatory(self) -> list[Violation]:
        """The violations that fail the check."""
        return [v for v in self.violations if v.level is Level.MANDATORY]

    @property
    def advisory(self) -> list[Violation]:
        """The violations shown as warnings."""
        return [v for v in self.violations if v.level is Level.ADVISORY]

    @property
    def passed(self) -> bool:
        """True when no mandatory rule failed."""
        return not self.mandatory


def violations_of(rule: Rule, level: Level, subjects: Sequence[Subject]) -> list[Violation]:
    """The findings of one rule as violations at ``level``."""
    return [
        Violation(
            rule=rule.id,
            level=level,
            resource_type=subject.type,
            resource_name=subject.name,
            urn=subject.urn,
            message=finding.message,
            fix=finding.fix or rule.fix,
            url=rule.url,
        )
        for subject, finding in rule.run(subjects)
    ]


def check(
    subjects: Sequence[Subject], settings: PolicySettings | None = None, *, stack: str = ""
) -> PolicyReport:
    """Run every enabled rule over the subjects."""
    settings = settings or PolicySettings()
    violations: list[Violation] = []
    levels = settings.levels()
    for rule in RULES:
        level = levels[rule.id]
        if level is Level.DISABLED:
            continue
        violations.extend(violations_of(rule, level, subjects))
    return PolicyReport(
        stack=stack,
        violations=tuple(violations),
        levels=levels,
        waived=settings.waive,
        resources=len(subjects),
    )


def subjects_from_graph(graph: ResourceGraph) -> list[Subject]:
    """The graph's resources as rule subjects (providers and the stack left out)."""
    return [
        Subject(
            type=node.type,
            name=node.name,
            urn=node.urn,
            props=node.inputs,
            dependencies=node.dependencies,
        )
        for node in graph
        if not node.is_provider and node.type != "pulumi:pulumi:Stack"
    ]


def check_graph(graph: ResourceGraph, settings: PolicySettings | None = None) -> PolicyReport:
    """Run every enabled rule over a ResourceGraph (the offline preview's, or one from JSON)."""
    return check(subjects_from_graph(graph), settings, stack=graph.stack)
