"""What every per-type pricing module shares: the pricer record, the context and input helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from ask_components.cost.catalog import Price, PriceBook
from ask_components.cost.model import HOURS_PER_MONTH, CostLine, make_line, plain
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.preview.wire import UNKNOWNS

DYNAMIC_PREFIX: Final = "pulumi-python:dynamic/"
"""Type prefix of Pulumi dynamic resources (the local target's sandbox stand-ins)."""


@dataclass(frozen=True)
class UsageKey:
    """A key a usage file may set for a resource type.

    Attributes:
        name: the key, unit last (``monthly_traffic_gb``).
        description: what it means, for the usage template and errors.
        maximum: the largest allowed value, if any (``spot_discount_percent`` ≤ 100).
    """

    name: str
    description: str
    maximum: Decimal | None = None


class GraphIndex:
    """Lookups over a graph that pricers need (providers' regions, HPAs, children).

    Built once per estimate, so pricing N resources stays O(N).
    """

    def __init__(self, graph: ResourceGraph) -> None:
        self.graph = graph
        self.provider_regions: dict[str, str] = {}
        self.hpas: dict[tuple[str, str, str], list[ResourceNode]] = {}
        self.unnamed_hpas: dict[str | None, list[ResourceNode]] = {}
        self.child_count: dict[str, int] = {}
        self.memo: dict[tuple[object, ...], object] = {}
        """Results pricers share within one estimate (per-pod hourly rates...)."""
        for node in graph.resources:
            if node.parent is not None:
                self.child_count[node.parent] = self.child_count.get(node.parent, 0) + 1
            if node.is_provider:
                region = node.inputs.get("region")
                if isinstance(region, str) and region and region not in UNKNOWNS:
                    self.provider_regions[node.urn] = region
            elif node.type.startswith("kubernetes:autoscaling/") and node.type.endswith(
                ":HorizontalPodAutoscaler"
            ):
                ref = dig(node.inputs, "spec", "scaleTargetRef")
                kind = ref.get("kind") if isinstance(ref, Mapping) else None
                name = ref.get("name") if isinstance(ref, Mapping) else None
                namespace = k8s_namespace(node)
                if isinstance(kind, str) and isinstance(name, str) and name not in UNKNOWNS:
                    self.hpas.setdefault((namespace, kind, name), []).append(node)
                elif isinstance(kind, str):
                    # The target's name is not known yet (an output of the Deployment): match
                    # it later by sharing a parent component.
                    self.unnamed_hpas.setdefault(node.parent, []).append(node)

    def region_of(self, node: ResourceNode, default: str) -> str:
        """The region a resource lives in: its provider's ``region`` input, else ``default``."""
        if node.provider:
            provider_urn = node.provider.rsplit("::", 1)[0]
            return self.provider_regions.get(provider_urn, default)
        return default

    def hpa_for(self, node: ResourceNode, kind: str) -> ResourceNode | None:
        """The HorizontalPodAutoscaler that scales ``node`` (matched by kind, name, namespace)."""
        key = (k8s_namespace(node), kind, k8s_name(node))
        found = self.hpas.get(key)
        if found:
            return found[0]
        siblings = [
            hpa
            for hpa in self.unnamed_hpas.get(node.parent, [])
            if dig(hpa.inputs, "spec", "scaleTargetRef", "kind") == kind
        ]
        return siblings[0] if len(siblings) == 1 else None


@dataclass(frozen=True)
class PricingContext:
    """What a pricer may use besides the node: region, prices, usage and the graph.

    Attributes:
        region: the region the resource lives in.
        book: the price book of the estimate's site.
        usage: the usage values that apply to this resource (key to number).
        index: lookups over the whole graph.
    """

    region: str
    book: PriceBook
    usage: Mapping[str, Decimal]
    index: GraphIndex

    def price(self, key: str) -> Price:
        """The catalog price of ``key`` in this resource's region."""
        return self.book.price(key, self.region)

    def hourly_line(
        self, name: str, key: str, count: Decimal = Decimal(1), *, note: str = ""
    ) -> CostLine:
        """A fixed line billed every hour of the month: ``count × 730 hours × price``."""
        price = self.price(key)
        return make_line(
            name,
            "hours",
            count * HOURS_PER_MONTH,
            price.amount,
            note=join_notes(note, price_note(price)),
            price_key=key,
        )

    def usage_line(
        self,
        name: str,
        key: str,
        unit: str,
        quantity: Decimal | None,
        *,
        note: str = "",
        scale: Decimal = Decimal(1),
    ) -> CostLine:
        """A usage-based line: ``quantity × price × scale`` (None quantity: depends on usage)."""
        price = self.price(key)
        amount = None if price.amount is None else price.amount * scale
        return make_line(
            name,
            unit,
            quantity,
            amount,
            usage_based=True,
            note=join_notes(note, price_note(price)),
            price_key=key,
        )


PriceFn = Callable[[ResourceNode, PricingContext], list[CostLine]]


@dataclass(frozen=True)
class Pricer:
    """How one resource type is priced (one module per type, like Infracost's resources/).

    Attributes:
        kind: a short human name (``ALB``, ``ECI pods (Deployment)``).
        types: the exact type tokens it prices.
        sandbox_classes: class names of local-target sandbox stand-ins it prices as the same
            thing (``SandboxAlb`` in ``pulumi-python:dynamic/<module>:SandboxAlb``).
        usage_keys: the usage-file keys it reads.
        price: turns a node and its context into cost lines.
        applies: for types that are only sometimes priced (a Service only when
            ``type: LoadBalancer``): True when this node is priced here.
    """

    kind: str
    types: tuple[str, ...]
    price: PriceFn
    usage_keys: tuple[UsageKey, ...] = ()
    sandbox_classes: tuple[str, ...] = ()
    applies: Callable[[ResourceNode], bool] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def usage_key_names(self) -> frozenset[str]:
        """The names of the usage keys it reads."""
        return frozenset(k.name for k in self.usage_keys)


def price_note(price: Price) -> str:
    """The catalog entry's note: ``price not found: <why>`` for a gap, else its caveat (if any)."""
    if price.amount is None:
        return f"price not found: {price.entry.note}"
    return price.entry.note


def join_notes(*notes: str) -> str:
    """Non-empty notes joined with ``; ``."""
    return "; ".join(n for n in notes if n)


def dig(data: Any, *path: str) -> Any:
    """``data[p0][p1]...``, or None where a step is missing or not a mapping."""
    for part in path:
        # dict first: graph inputs are plain dicts, and the abstract Mapping check is slow.
        if type(data) is not dict and not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def as_decimal(value: Any) -> Decimal | None:
    """A number from an input (int, float, numeric string); None for unknowns and non-numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int | float | str):
        text = str(value).strip()
        if not text or text in UNKNOWNS:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


MAX_COUNT: Final = 2**31 - 1
"""The largest replica, pod or run count a manifest can hold: Kubernetes keeps ``replicas``,
``minReplicas``, ``maxReplicas``, ``completions``, ``parallelism`` and ``instances`` in int32
fields."""


def as_count(value: Any, where: str) -> Decimal | None:
    """A Kubernetes count (``spec.replicas``…) from an input; None when unset or not known yet.

    Args:
        value: the input value.
        where: its path, for the error (``spec.replicas``).

    Raises:
        InputError: a value no manifest can hold (text, a boolean, negative, fractional, not
            finite, above int32): the API server would have refused it, so pricing it as
            something else (one pod, a negative cost) would be a wrong answer.
    """
    if value is None or (isinstance(value, str) and value.strip() in UNKNOWNS):
        return None
    number = None if isinstance(value, bool) else as_decimal(value)
    # The range first: to_integral_value() of 1e9999999999 would build every digit.
    if number is None or not 0 <= number <= MAX_COUNT or number != number.to_integral_value():
        raise InputError(
            f"{where} is {json.dumps(value)}, not a whole number from 0 to {MAX_COUNT}"
        )
    return number


def k8s_name(node: ResourceNode) -> str:
    """A Kubernetes object's ``metadata.name``, else the logical name (auto-naming not known)."""
    name = dig(node.inputs, "metadata", "name")
    return name if isinstance(name, str) and name and name not in UNKNOWNS else node.name


def k8s_namespace(node: ResourceNode) -> str:
    """A Kubernetes object's ``metadata.namespace`` (``default`` when unset)."""
    namespace = dig(node.inputs, "metadata", "namespace")
    return namespace if isinstance(namespace, str) and namespace else "default"


def string_map(value: Any) -> dict[str, str]:
    """A mapping of strings (annotations, labels) from an input; other values dropped."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def sandbox_class(type_token: str) -> str | None:
    """``SandboxAlb`` for ``pulumi-python:dynamic/<module>:SandboxAlb``, else None."""
    if not type_token.startswith(DYNAMIC_PREFIX):
        return None
    return type_token.rsplit(":", 1)[-1]


def describe(number: Decimal) -> str:
    """A quantity for a line name: ``2``, ``0.5``, ``1.25`` (no trailing zeros)."""
    return plain(number)


def plural(count: Decimal, word: str) -> str:
    """``1 pod`` / ``3 pods`` / ``1.5 pods``."""
    return f"{describe(count)} {word}{'' if count == 1 else 's'}"
