"""The policy model: what a rule sees (``Subject``), says (``Finding``) and is (``Rule``).

Rules are plain functions over plain data, so one implementation serves both the Pulumi policy
pack (``policies/``, which adapts ``ResourceValidationArgs``/``StackValidationArgs``) and
``askc policy check`` (which adapts the offline preview's ``ResourceGraph``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ask_components.preview.graph import UNKNOWN_MARK as UNKNOWN_MARK


class Level(StrEnum):
    """What a violation of a rule does.

    ``mandatory`` fails ``askc policy check`` (exit 1) and blocks ``pulumi up``; ``advisory`` is
    printed as a warning; ``disabled`` does not run the rule.
    """

    MANDATORY = "mandatory"
    ADVISORY = "advisory"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Subject:
    """One resource as a rule sees it, whoever produced it.

    Attributes:
        type: the type token (``alicloud:vpc/network:Network``, ``kubernetes:apps/v1:Deployment``).
        name: the logical name.
        urn: the URN (``urn:pulumi:<stack>::<project>::<type>::<name>``).
        props: the inputs as plain JSON values, camelCase, unknown values as ``[unknown]``.
        dependencies: URNs of the resources this one depends on (explicit and through inputs).
    """

    type: str
    name: str
    urn: str
    props: Mapping[str, Any] = field(default_factory=dict)
    dependencies: tuple[str, ...] = ()

    @property
    def stack(self) -> str:
        """The stack name, from the URN (so the pack and ``askc`` agree on it)."""
        return stack_of(self.urn)


def stack_of(urn: str) -> str:
    """The stack part of a URN, or '' when the text is not a Pulumi URN."""
    if not urn.startswith("urn:pulumi:"):
        return ""
    return urn[len("urn:pulumi:") :].split("::", 1)[0]


@dataclass(frozen=True)
class Finding:
    """One thing a rule found wrong.

    Attributes:
        message: what is wrong, naming the field (``spec.template…containers[0] (app)``).
        fix: how to fix this case; the rule's general fix when None.
        urn: the resource it is about (stack rules); the checked resource when None.
    """

    message: str
    fix: str | None = None
    urn: str | None = None


ResourceCheck = Callable[[Subject], Iterable[Finding]]
StackCheck = Callable[[Sequence[Subject]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A guardrail.

    Attributes:
        id: the rule id (kebab case), used in config, waivers and output.
        description: one line: what the rule demands.
        rationale: why, in a sentence or two.
        url: the Alibaba Cloud (or Kubernetes) document behind it.
        fix: how to fix a violation in general.
        level: the default enforcement level.
        check_resource: the check of one resource (resource rules).
        check_stack: the check of all resources together (stack rules).
    """

    id: str
    description: str
    rationale: str
    url: str
    fix: str
    level: Level
    check_resource: ResourceCheck | None = None
    check_stack: StackCheck | None = None

    @property
    def kind(self) -> str:
        """``resource`` or ``stack``."""
        return "stack" if self.check_stack is not None else "resource"

    def run(self, subjects: Sequence[Subject]) -> list[tuple[Subject, Finding]]:
        """Every finding of this rule over the subjects, with the subject it is about."""
        found: list[tuple[Subject, Finding]] = []
        if self.check_stack is not None:
            by_urn = {subject.urn: subject for subject in subjects}
            for finding in self.check_stack(subjects):
                subject = by_urn.get(finding.urn or "")
                if subject is None:  # a finding about the stack as a whole
                    subject = Subject("pulumi:pulumi:Stack", "stack", finding.urn or "")
                found.append((subject, finding))
        elif self.check_resource is not None:
            for subject in subjects:
                found.extend((subject, finding) for finding in self.check_resource(subject))
        return found


@dataclass(frozen=True)
class Violation:
    """A finding of a rule at its effective level, ready to show.

    Attributes:
        rule: the rule id.
        level: ``mandatory`` or ``advisory``.
        resource_type: the resource's type token.
        resource_name: the resource's logical name.
        urn: the resource's URN.
        message: what is wrong.
        fix: how to fix it.
        url: where the rule comes from.
    """

    rule: str
    level: Level
    resource_type: str
    resource_name: str
    urn: str
    message: str
    fix: str
    url: str

    def to_dict(self) -> dict[str, str]:
        """The violation as JSON-ready data."""
        return {
            "rule": self.rule,
            "level": self.level.value,
            "resourceType": self.resource_type,
            "resourceName": self.resource_name,
            "urn": self.urn,
            "message": self.message,
            "fix": self.fix,
            "url": self.url,
        }


# Helpers every rule uses: tolerant readers of untrusted, possibly partial JSON.


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> Sequence[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list | tuple) else ()


def dig(value: Any, *keys: str) -> Any:
    """``value[k1][k2]…``, or None when a step is missing or not a mapping."""
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def is_unknown(value: Any) -> bool:
    """True for a value only known after deployment."""
    return isinstance(value, str) and value == UNKNOWN_MARK


def is_true(value: Any) -> bool:
    """True for ``True`` and for the string ``"true"`` (annotations are strings)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
