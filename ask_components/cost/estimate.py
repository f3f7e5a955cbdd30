"""Price a whole resource graph: per-resource cost lines, totals and coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from ask_components.cost.catalog import PriceBook, Site, load_price_book, site_for_region
from ask_components.cost.model import AT_LEAST, AT_MOST, EXACT, Bound, CostLine
from ask_components.cost.resources import Category, GraphIndex, PricingContext, classify
from ask_components.cost.usage import NO_USAGE, Usage, UsageEntry
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceGraph


def line_bound(line: CostLine) -> Bound:
    """A line's bound: a lower bound when its price was not found, an upper bound when it is a
    ceiling (spot at on-demand); usage-based lines without usage are apart, not bounds."""
    if line.unit_price is None:
        return AT_LEAST
    if line.upper_bound and line.monthly_cost is not None:
        return AT_MOST
    return EXACT


def lines_bound(lines: Iterable[CostLine]) -> Bound:
    """The bound of the sum of ``lines``."""
    bound = EXACT
    for line in lines:
        bound = bound | line_bound(line)
    return bound


@dataclass(frozen=True)
class ResourceCost:
    """The cost of one resource.

    Attributes:
        urn: the resource's URN.
        name: its logical name.
        type: its type token.
        category: ``priced``, ``free`` or ``unsupported``.
        kind: what it was priced as (``ALB``), or why it is free / not supported.
        region: the region it was priced in.
        lines: its cost lines (empty unless priced).
    """

    urn: str
    name: str
    type: str
    category: Category
    kind: str
    region: str
    lines: tuple[CostLine, ...] = ()

    @cached_property
    def fixed_cost(self) -> Decimal:
        """Monthly cost of the lines that do not depend on usage."""
        return sum(
            (
                line.monthly_cost
                for line in self.lines
                if not line.usage_based and line.monthly_cost is not None
            ),
            Decimal(0),
        )

    @cached_property
    def usage_cost(self) -> Decimal:
        """Monthly cost of the usage-based lines that have usage."""
        return sum(
            (
                line.monthly_cost
                for line in self.lines
                if line.usage_based and line.monthly_cost is not None
            ),
            Decimal(0),
        )

    @cached_property
    def monthly_cost(self) -> Decimal:
        """Fixed plus usage-based monthly cost."""
        return self.fixed_cost + self.usage_cost

    @cached_property
    def incomplete(self) -> bool:
        """True when a line's price was not found (the cost is then a lower bound)."""
        return any(line.status == "price_not_found" for line in self.lines)

    @cached_property
    def upper_bound(self) -> bool:
        """True when a priced line is only a ceiling (spot at on-demand)."""
        return any(line.upper_bound and line.monthly_cost is not None for line in self.lines)

    @cached_property
    def bound(self) -> Bound:
        """Whether :attr:`monthly_cost` is exact, a lower bound, an upper bound or neither."""
        return lines_bound(self.lines)

    @cached_property
    def fixed_bound(self) -> Bound:
        """The bound of :attr:`fixed_cost`."""
        return lines_bound(line for line in self.lines if not line.usage_based)

    @cached_property
    def usage_bound(self) -> Bound:
        """The bound of :attr:`usage_cost`."""
        return lines_bound(line for line in self.lines if line.usage_based)


@dataclass(frozen=True)
class Coverage:
    """What the estimate could and could not price.

    Attributes:
        total: resources in the graph.
        estimated: resources priced by a module.
        free: resources that cost nothing by themselves.
        unsupported: resources no module prices.
        unsupported_types: (type token, count) of the unsupported ones, most frequent first.
        prices_not_found: cost lines whose price the catalog does not have.
        usage_unknown: usage-based lines without usage ("depends on usage").
    """

    total: int
    estimated: int
    free: int
    unsupported: int
    unsupported_types: tuple[tuple[str, int], ...]
    prices_not_found: int
    usage_unknown: int


@dataclass(frozen=True)
class Estimate:
    """The monthly cost of one resource graph.

    Attributes:
        project: the Pulumi project.
        stack: the stack.
        region: the default region (resources with a provider of their own may differ).
        site: the price book's site.
        currency: ``CNY`` or ``USD``.
        resources: every resource, in graph order, with its cost.
        coverage: counts of priced / free / unsupported resources and missing prices.
        warnings: problems worth a look (usage patterns that matched nothing...).
        price_book: where the prices came from.
        usage_file: the usage file read, or empty.
    """

    project: str
    stack: str
    region: str
    site: Site
    currency: str
    resources: tuple[ResourceCost, ...]
    coverage: Coverage
    warnings: tuple[str, ...] = ()
    price_book: str = "built-in"
    usage_file: str = ""

    @cached_property
    def fixed_total(self) -> Decimal:
        """Monthly cost that does not depend on usage."""
        return sum((r.fixed_cost for r in self.resources), Decimal(0))

    @cached_property
    def usage_total(self) -> Decimal:
        """Monthly cost from usage-based lines that have usage."""
        return sum((r.usage_cost for r in self.resources), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Fixed plus usage-based monthly cost."""
        return self.fixed_total + self.usage_total

    @cached_property
    def fixed_bound(self) -> Bound:
        """The bound of :attr:`fixed_total`: ``≥`` when a fixed line's price was not found."""
        return lines_bound(line for r in self.resources for line in r.lines if not line.usage_based)

    @cached_property
    def usage_bound(self) -> Bound:
        """The bound of :attr:`usage_total`."""
        return lines_bound(line for r in self.resources for line in r.lines if line.usage_based)

    @property
    def bound(self) -> Bound:
        """The bound of :attr:`total`: ``≥`` whenever any line's price was not found."""
        return self.fixed_bound | self.usage_bound

    def by_urn(self) -> dict[str, ResourceCost]:
        """A map from URN to resource cost."""
        return {r.urn: r for r in self.resources}


def estimate(
    graph: ResourceGraph,
    *,
    region: str,
    site: Site | None = None,
    usage: Usage | None = None,
    price_book: PriceBook | None = None,
) -> Estimate:
    """Price every resource of ``graph``.

    Args:
        graph: the resources (an offline preview, one side of a ``pulumi preview``, a state).
        region: the stack's region; resources whose provider sets another region use that.
        site: ``china`` or ``international``; by default from the region (``cn-*`` → china).
        usage: the usage file's values; none by default (usage-based lines depend on usage).
        price_book: the prices; the built-in book of ``site`` by default.

    Raises:
        InputError: ``price_book`` is for another site than ``site``.
    """
    if site is None:
        site = price_book.site if price_book is not None else site_for_region(region)
    book = price_book if price_book is not None else load_price_book(site)
    if book.site != site:
        raise InputError(f"the price book is for site {book.site!r}, the estimate for {site!r}")
    usage = usage or NO_USAGE
    index = GraphIndex(graph)
    costs: list[ResourceCost] = []
    used: dict[int, set[str]] = {}
    matched_any: set[int] = set()
    entry_ids = {id(entry): entry for entry in usage.entries}
    for node in graph.resources:
        found = classify(node, index)
        node_region = index.region_of(node, region)
        if found.pricer is None:
            costs.append(
                ResourceCost(
                    node.urn, node.name, node.type, found.category, found.reason, node_region
                )
            )
            continue
        values, matched = usage.values_for(node, found.pricer.usage_keys)
        for entry in matched:
            matched_any.add(id(entry))
            used.setdefault(id(entry), set()).update(found.pricer.usage_key_names)
        ctx = PricingContext(node_region, book, values, index)
        try:
            lines = tuple(found.pricer.price(node, ctx))
        except InputError as err:  # a value no manifest can hold: say which resource has it
            raise InputError(f"{node.name} ({node.type}): {err}") from None
        costs.append(
            ResourceCost(
                node.urn, node.name, node.type, "priced", found.pricer.kind, node_region, lines
            )
        )
    warnings = _usage_warnings(usage, entry_ids, matched_any, used)
    return Estimate(
        project=graph.project,
        stack=graph.stack,
        region=region,
        site=site,
        currency=book.currency,
        resources=tuple(costs),
        coverage=_coverage(costs),
        warnings=tuple(warnings),
        price_book=book.origin,
        usage_file=usage.origin,
    )


def _usage_warnings(
    usage: Usage, entries: dict[int, UsageEntry], matched: set[int], used: dict[int, set[str]]
) -> list[str]:
    warnings: list[str] = []
    for key, entry in entries.items():
        if entry.section != "resource_usage":
            continue
        if key not in matched:
            warnings.append(
                f"usage: resource_usage pattern {entry.pattern!r} matches no priced resource"
            )
            continue
        unread = sorted(set(entry.values) - used.get(key, set()))
        if unread:
            warnings.append(
                f"usage: {', '.join(unread)} under {entry.pattern!r} is read by none "
                "of the resources it matches"
            )
    return warnings


def _coverage(costs: list[ResourceCost]) -> Coverage:
    categories = Counter(c.category for c in costs)
    unsupported = Counter(c.type for c in costs if c.category == "unsupported")
    lines = [line for c in costs for line in c.lines]
    return Coverage(
        total=len(costs),
        estimated=categories["priced"],
        free=categories["free"],
        unsupported=categories["unsupported"],
        unsupported_types=tuple(sorted(unsupported.items(), key=lambda kv: (-kv[1], kv[0]))),
        prices_not_found=sum(1 for line in lines if line.status == "price_not_found"),
        usage_unknown=sum(1 for line in lines if line.status == "usage_unknown"),
    )
