"""Compare two estimates resource by resource: what was added, removed or changed, and the delta."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Literal

from ask_components.cost.estimate import Estimate, ResourceCost, line_bound
from ask_components.cost.model import EXACT, Bound, CostLine
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceGraph

Change = Literal["added", "removed", "changed", "unchanged"]
StackChange = Literal["", "added", "removed"]
"""A stack that exists only after the change is ``added``, only before ``removed``."""

CHANGING_OPS = frozenset(
    {
        "create",
        "update",
        "replace",
        "create-replacement",
        "delete-replaced",
        "delete",
        "import",
        "import-replacement",
        "read-replacement",
        "discard",
        "discard-replaced",
    }
)
"""Preview steps that change a resource (``same``, ``read`` and ``refresh`` do not)."""


@dataclass(frozen=True)
class LineDiff:
    """One cost line on both sides (matched by price key, usage flag and position).

    Attributes:
        before: the line before, or None when it is new.
        after: the line after, or None when it is gone.
    """

    before: CostLine | None
    after: CostLine | None

    @property
    def name(self) -> str:
        """The line's name (after, else before)."""
        line = self.after or self.before
        assert line is not None
        return line.name

    @property
    def delta(self) -> Decimal:
        """Monthly cost after minus before (unknown costs count as 0)."""
        return _cost(self.after) - _cost(self.before)

    @property
    def changed(self) -> bool:
        """True when the line differs between the sides."""
        return self.before != self.after

    @property
    def bound(self) -> Bound:
        """The bound of :attr:`delta`: a gap after makes it a lower bound, a gap before an upper
        bound; the same gap on both sides cancels out (it changes nothing)."""
        if not self.changed:
            return EXACT
        after = line_bound(self.after) if self.after is not None else EXACT
        before = line_bound(self.before) if self.before is not None else EXACT
        return after | before.flipped()


def _cost(line: CostLine | None) -> Decimal:
    if line is None or line.monthly_cost is None:
        return Decimal(0)
    return line.monthly_cost


@dataclass(frozen=True)
class ResourceDiff:
    """One resource on both sides.

    Attributes:
        urn: its URN.
        name: its logical name.
        type: its type token.
        change: ``added``, ``removed``, ``changed`` (inputs or cost) or ``unchanged``.
        before: its cost before, or None when added.
        after: its cost after, or None when removed.
        op: the preview step's operation, when the sides come from ``pulumi preview --json``.
    """

    urn: str
    name: str
    type: str
    change: Change
    before: ResourceCost | None
    after: ResourceCost | None
    op: str = ""

    @property
    def category(self) -> str:
        """``priced``, ``free`` or ``unsupported`` (after, else before)."""
        cost = self.after or self.before
        assert cost is not None
        return cost.category

    @property
    def monthly_before(self) -> Decimal:
        """Monthly cost before (0 when added)."""
        return self.before.monthly_cost if self.before else Decimal(0)

    @property
    def monthly_after(self) -> Decimal:
        """Monthly cost after (0 when removed)."""
        return self.after.monthly_cost if self.after else Decimal(0)

    @property
    def delta(self) -> Decimal:
        """Monthly cost change."""
        return self.monthly_after - self.monthly_before

    @cached_property
    def delta_bound(self) -> Bound:
        """The bound of :attr:`delta` (see :attr:`LineDiff.bound`)."""
        if (
            self.before is not None
            and self.after is not None
            and self.before.lines == self.after.lines
        ):
            return EXACT
        bound = EXACT
        for line in self.lines():
            bound = bound | line.bound
        return bound

    @property
    def cost_changed(self) -> bool:
        """True when any cost line differs (amount, quantity, price, status)."""
        before = self.before.lines if self.before else ()
        after = self.after.lines if self.after else ()
        return before != after

    def lines(self) -> list[LineDiff]:
        """The cost lines of both sides, matched by price key, usage flag and position."""
        return list(self._matched)

    @cached_property
    def _matched(self) -> tuple[LineDiff, ...]:
        before = list(self.before.lines if self.before else ())
        after = list(self.after.lines if self.after else ())
        result: list[LineDiff] = []
        for line in after:
            match = next(
                (
                    b
                    for b in before
                    if (b.price_key, b.usage_based) == (line.price_key, line.usage_based)
                ),
                None,
            )
            if match is not None:
                before.remove(match)
            result.append(LineDiff(match, line))
        result.extend(LineDiff(b, None) for b in before)
        return tuple(result)


@dataclass(frozen=True)
class CostDiff:
    """The monthly cost change between two estimates.

    Attributes:
        before: the estimate of the resources as they are.
        after: the estimate of the resources as they will be.
        resources: every resource of either side: after's order, then removed ones.
        stack_change: ``added`` when the stack exists only after, ``removed`` only before.
        baseline: what "before" is, for people (``HEAD``, ``stack prod``, a file).
        before_graph: the resources before the change, when known.
        after_graph: the resources after the change, when known (``--with-diagram`` draws it).
    """

    before: Estimate
    after: Estimate
    resources: tuple[ResourceDiff, ...]
    stack_change: StackChange = ""
    baseline: str = ""
    before_graph: ResourceGraph | None = field(default=None, compare=False, repr=False)
    after_graph: ResourceGraph | None = field(default=None, compare=False, repr=False)

    def changed_urns(self) -> list[str]:
        """URNs of the resources the change adds, changes or removes."""
        return [r.urn for r in self.resources if r.change != "unchanged"]

    @property
    def currency(self) -> str:
        """The currency of both estimates."""
        return self.after.currency

    @property
    def delta(self) -> Decimal:
        """Monthly total after minus before."""
        return self.after.total - self.before.total

    @property
    def fixed_delta(self) -> Decimal:
        """Change of the cost that does not depend on usage."""
        return self.after.fixed_total - self.before.fixed_total

    @property
    def usage_delta(self) -> Decimal:
        """Change of the usage-based cost."""
        return self.after.usage_total - self.before.usage_total

    @property
    def percent(self) -> Decimal | None:
        """Percent change of the monthly total; None when the total before is 0 (see is_new)."""
        if self.before.total == 0:
            return None
        return self.delta / self.before.total * Decimal(100)

    @property
    def delta_bound(self) -> Bound:
        """The bound of :attr:`delta`: gaps that did not change cancel out."""
        bound = EXACT
        for resource in self.resources:
            if resource.change != "unchanged":
                bound = bound | resource.delta_bound
        return bound

    @property
    def percent_bound(self) -> Bound:
        """The bound of :attr:`percent` (``delta / before``).

        With an exact total before it is the delta's. A total before that is a lower bound makes
        the true percentage smaller in size (an upper bound for an increase, a lower bound for a
        decrease); one that is an upper bound makes it larger.
        """
        delta, before = self.delta_bound, self.before.bound
        if before.exact or (self.delta == 0 and delta.exact):
            return delta
        if not delta.exact:
            return Bound(True, True)
        shrinks = Bound(may_be_lower=True) if self.delta > 0 else Bound(may_be_higher=True)
        bound = EXACT
        if before.may_be_higher:
            bound = bound | shrinks
        if before.may_be_lower:
            bound = bound | shrinks.flipped()
        return bound

    @property
    def is_new(self) -> bool:
        """True when the cost goes from 0 to something (no percent: "new")."""
        return self.before.total == 0 and self.after.total != 0

    def changed(self) -> list[ResourceDiff]:
        """Resources added, removed or changed."""
        return [r for r in self.resources if r.change != "unchanged"]


@dataclass(frozen=True)
class GrandTotal:
    """The sum of several stacks' diffs in one currency.

    Attributes:
        currency: ``CNY`` or ``USD``.
        before: monthly total before.
        after: monthly total after.
        before_bound: the bound of ``before``.
        after_bound: the bound of ``after``.
        delta_bound: the bound of the change.
        stacks: how many stacks are summed.
    """

    currency: str
    before: Decimal
    after: Decimal
    before_bound: Bound
    after_bound: Bound
    delta_bound: Bound
    stacks: int

    @property
    def delta(self) -> Decimal:
        """After minus before."""
        return self.after - self.before


@dataclass(frozen=True)
class MultiDiff:
    """The cost change of several stacks of one project: one report, one grand total per
    currency (stacks on the China and international sites are not added together).

    Attributes:
        project: the Pulumi project.
        diffs: one diff per stack, in stack-name order.
        baseline: what "before" is (``origin/main``).
    """

    project: str
    diffs: tuple[CostDiff, ...]
    baseline: str = ""

    def totals(self) -> list[GrandTotal]:
        """The grand total of each currency, in the order the currencies first appear."""
        out: list[GrandTotal] = []
        for currency in dict.fromkeys(d.currency for d in self.diffs):
            mine = [d for d in self.diffs if d.currency == currency]
            before_bound = after_bound = delta_bound = EXACT
            for d in mine:
                before_bound = before_bound | d.before.bound
                after_bound = after_bound | d.after.bound
                delta_bound = delta_bound | d.delta_bound
            out.append(
                GrandTotal(
                    currency,
                    sum((d.before.total for d in mine), Decimal(0)),
                    sum((d.after.total for d in mine), Decimal(0)),
                    before_bound,
                    after_bound,
                    delta_bound,
                    len(mine),
                )
            )
        return out


def _inputs_differ(before: ResourceGraph | None, after: ResourceGraph | None) -> set[str]:
    if before is None or after is None:
        return set()
    old = before.by_urn()
    return {
        node.urn
        for node in after.resources
        if node.urn in old and dict(old[node.urn].inputs) != dict(node.inputs)
    }


def diff(
    before: Estimate,
    after: Estimate,
    *,
    ops: Mapping[str, str] | None = None,
    before_graph: ResourceGraph | None = None,
    after_graph: ResourceGraph | None = None,
    stack_change: StackChange = "",
    baseline: str = "",
) -> CostDiff:
    """Compare two estimates resource by resource (matched by URN).

    A resource on both sides is ``changed`` when its cost lines differ, when the preview step
    changes it (``ops``: URN to the step's op), or when its inputs differ (given both graphs).

    Raises:
        InputError: the estimates are in different currencies.
    """
    if before.currency != after.currency:
        raise InputError(
            f"cannot compare a {before.currency} estimate with a {after.currency} "
            "one; use the same pricing site for both"
        )
    ops = ops or {}
    input_changes = _inputs_differ(before_graph, after_graph)
    old = before.by_urn()
    seen: set[str] = set()
    resources: list[ResourceDiff] = []
    for cost in after.resources:
        seen.add(cost.urn)
        previous = old.get(cost.urn)
        op = ops.get(cost.urn, "")
        if previous is None:
            change: Change = "added"
        elif (
            previous.lines != cost.lines
            or op in CHANGING_OPS
            or cost.urn in input_changes
            or previous.category != cost.category
        ):
            change = "changed"
        else:
            change = "unchanged"
        resources.append(ResourceDiff(cost.urn, cost.name, cost.type, change, previous, cost, op))
    for cost in before.resources:
        if cost.urn not in seen:
            resources.append(
                ResourceDiff(
                    cost.urn, cost.name, cost.type, "removed", cost, None, ops.get(cost.urn, "")
                )
            )
    return CostDiff(
        before, after, tuple(resources), stack_change, baseline, before_graph, after_graph
    )
