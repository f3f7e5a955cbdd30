"""The policy model: what a rule sees (``Subject``), says (``Finding``) and is (``Rule``).

Rules are plain functions over plain data, so one implementation serves both the Pulumi policy
pack (``policies/``, which adapts ``ResourceValidationArgs``/``StackValidationArgs``) and
``askc policy check`` (which adapts the offline preview's ``ResourceGraph``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
        """Every finding of this rule over the subjects, with the subject it is about.

        A rule that meets a value it cannot read (:class:`Unreadable`) fails closed: the reason
        becomes a finding, so a malformed manifest never passes a check unseen.
        """
        found: list[tuple[Subject, Finding]] = []
        if self.check_stack is not None:
            by_urn = {subject.urn: subject for subject in subjects}
            for finding in _closed(self.check_stack(subjects)):
                subject = by_urn.get(finding.urn or "")
                if subject is None:  # a finding about the stack as a whole
                    subject = Subject("pulumi:pulumi:Stack", "stack", finding.urn or "")
                found.append((subject, finding))
        elif self.check_resource is not None:
            for subject in subjects:
                found.extend(
                    (subject, finding) for finding in _closed(self.check_resource(subject))
                )
        return found


class Unreadable(Exception):
    """A value a rule checks is there but not in a shape it can read (``containers: "nginx"``,
    ``spec: null`` on a Deployment).

    Attributes:
        where: the property path (``spec.template.spec.containers``).
        problem: what is wrong with it (``is a string, not a list``).
        urn: the resource, when known where it was raised (stack rules).
    """

    def __init__(self, where: str, problem: str, urn: str | None = None) -> None:
        self.where = where
        self.problem = problem
        self.urn = urn
        super().__init__(f"{where} {problem}")

    def about(self, urn: str) -> Unreadable:
        """The same problem, attributed to the resource ``urn``."""
        return Unreadable(self.where, self.problem, urn)


UNREADABLE_FIX = (
    "write the field as the resource's API defines it; a rule cannot pass what it cannot read"
)


def _closed(findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings of one check, ending with one about an unreadable value if it met one."""
    try:
        yield from findings
    except Unreadable as err:
        yield Finding(
            f"cannot check {err.where or 'the resource'}: it {err.problem}",
            fix=UNREADABLE_FIX,
            urn=err.urn,
        )


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


# Helpers every rule uses: readers of untrusted, possibly partial JSON. Missing and unknown
# values read as empty (a rule says nothing about what is not there or not known yet); a value
# of the wrong shape raises Unreadable, which fails the rule with the reason.


def describe(value: Any) -> str:
    """What a JSON value is, for messages (``a string ('nginx')``, ``null``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def as_map(value: Any, where: str = "") -> Mapping[str, Any]:
    """``value`` if it is a mapping; empty when missing or unknown.

    Raises:
        Unreadable: ``value`` is something else (``where`` names it).
    """
    if isinstance(value, Mapping):
        return value
    if value is None or is_unknown(value):
        return {}
    raise Unreadable(where, f"is {describe(value)}, not a mapping")


def as_list(value: Any, where: str = "") -> Sequence[Any]:
    """``value`` if it is a list; empty when missing or unknown.

    Raises:
        Unreadable: ``value`` is something else (``where`` names it).
    """
    if isinstance(value, list | tuple):
        return value
    if value is None or is_unknown(value):
        return ()
    raise Unreadable(where, f"is {describe(value)}, not a list")


def dig(value: Any, *keys: str, base: str = "") -> Any:
    """``value[k1][k2]…``; None when a step is missing, ``[unknown]`` when a step is unknown.

    Args:
        value: where to start.
        keys: the keys to follow.
        base: the path of ``value`` itself, for messages.

    Raises:
        Unreadable: a step is neither a mapping nor missing nor unknown.
    """
    path = base
    for key in keys:
        if value is None or is_unknown(value):
            return value
        if not isinstance(value, Mapping):
            raise Unreadable(path or "the resource", f"is {describe(value)}, not a mapping")
        value = value.get(key)
        path = f"{path}.{key}" if path else key
    return value


def is_unknown(value: Any) -> bool:
    """True for a value only known after deployment."""
    return isinstance(value, str) and value == UNKNOWN_MARK


def is_true(value: Any) -> bool:
    """True for ``True`` and for the string ``"true"`` (annotations are strings)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
