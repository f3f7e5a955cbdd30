"""Pod pricing shared by every workload: ECI pods (ASK, ACK Pro's virtual node) and ACS pods.

A pod is billed at the spec ECI creates for it (:func:`ask_components.workloads.eci.billed_spec`:
``eci-use-specs`` first, else limits over requests, rounded up to a supported spec) for as long as
it runs, per second (pricing.md §1.1, ECI-CN)::

    pod cost = (vCPUs × vCPU price + GiB × memory price + extra GiB × storage price) × seconds

- vCPU price: ``eci.vcpu``, or ``eci.vcpu_economy`` when the pod's
  ``k8s.aliyun.com/eci-compute-category`` starts with ``economy`` (memory keeps its price).
- Extra ephemeral storage: the larger of ``k8s.aliyun.com/eci-extra-ephemeral-storage`` (GiB on top
  of the free 30 GiB) and the containers' ``ephemeral-storage`` requests minus 30 GiB.
- Spot (``k8s.aliyun.com/eci-spot-strategy`` set): the market price, at most the on-demand price.
  Without ``spot_discount_percent`` in the usage file the lines are priced at on-demand as an upper
  bound and flagged; with it, on-demand × (1 − discount / 100).

ACS pods (a pod template labelled ``alibabacloud.com/compute-class``, or ``alibabacloud.com/acs:
"true"`` on ACK Pro) are billed at the spec ACS normalises them to
(:func:`~ask_components.workloads.acs_specs.acs_billed_spec`: ``pod-use-spec``, else the larger of
the summed requests and limits, rounded to ACS's grid) at the price of their compute class and QoS
(``acs.<class>.<qos>.vcpu`` / ``.memory``, reference/acs-and-ack-pro.md §3): best-effort is ACS's
preemptible QoS, with its own list price, so no spot discount applies. The lines name the runtime
(``ACS general-purpose, default QoS``).

Prices are per second in the catalog; lines show them per hour (× 3,600, exact).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ask_components.cost.model import HOURS_PER_MONTH, SECONDS_PER_HOUR, CostLine, make_line
from ask_components.cost.resources._base import (
    PricingContext,
    UsageKey,
    describe,
    join_notes,
    plural,
    price_note,
)
from ask_components.errors import InputError
from ask_components.preview.wire import UNKNOWNS
from ask_components.workloads.acs_specs import AcsSpec, AcsSpecError, acs_billed_spec
from ask_components.workloads.eci import (
    ANNOTATION_COMPUTE_CATEGORY,
    ANNOTATION_EXTRA_EPHEMERAL_STORAGE,
    EciSpec,
    EciSpecError,
    billed_spec,
    is_spot,
)
from ask_components.workloads.eci_options import MAX_EXTRA_EPHEMERAL_STORAGE_GIB
from ask_components.workloads.quantity import QuantityError, parse_cpu, parse_memory_gib
from ask_components.workloads.runtime import (
    ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE,
    LABEL_ACS,
    LABEL_COMPUTE_CLASS,
    LABEL_COMPUTE_QOS,
)

FREE_EPHEMERAL_GIB = Decimal(30)
"""Temporary storage included with every ECI pod (ECI-TMP)."""

SPOT_KEY = UsageKey(
    "spot_discount_percent",
    "spot pods only: discount off the on-demand price, 0-100 (without it spot pods are priced "
    "at on-demand as an upper bound)",
    maximum=Decimal(100),
)


@dataclass(frozen=True)
class PodShape:
    """What one pod is billed as.

    Attributes:
        spec: the billed vCPU/memory spec, or None when it cannot be worked out.
        problem: why ``spec`` is None (an ECS instance type, a malformed quantity...).
        economy: priced at the economy vCPU price.
        spot: a spot (preemptible) pod.
        extra_storage_gib: ephemeral storage billed on top of the free 30 GiB.
    """

    spec: EciSpec | AcsSpec | None
    problem: str
    economy: bool
    spot: bool
    extra_storage_gib: Decimal
    acs_class: str | None = None
    acs_qos: str | None = None

    @property
    def acs(self) -> bool:
        """An ACS pod (priced by compute class and QoS)."""
        return self.acs_class is not None

    @property
    def runtime(self) -> str:
        """``ACS general-purpose, default QoS`` for ACS pods; '' for ECI (the default)."""
        return f"ACS {self.acs_class}, {self.acs_qos} QoS" if self.acs else ""

    def label(self) -> str:
        """``2 vCPU, 4 GiB`` (+ ``economy``, ``spot``; ACS pods name their class and QoS)."""
        if self.spec is None:
            return "spec unknown"
        parts = [f"{describe(self.spec.cpu)} vCPU", f"{describe(self.spec.memory_gib)} GiB"]
        if self.economy:
            parts.append("economy")
        if self.spot:
            parts.append("spot")
        if self.acs:
            parts.append(self.runtime)
        return ", ".join(parts)


ACS_CLASSES = ("general-purpose", "performance")
ACS_QOS = ("default", "best-effort")


def pod_shape(
    pod_spec: Any,
    annotations: Mapping[str, str],
    region: str,
    labels: Mapping[str, str] | None = None,
) -> PodShape:
    """The billed shape of a pod from its spec and pod-template annotations and labels.

    Raises:
        InputError: a quantity of the manifest is malformed or out of range (see
            :func:`quantity_problem`): priced as not found, it would have made a silent lower
            bound (or dropped the line).
    """
    try:
        key = json.dumps([pod_spec, annotations, labels or {}], sort_keys=True, default=str)
    except (TypeError, ValueError):  # keys of mixed types cannot be sorted: no cache
        return _pod_shape(pod_spec, annotations, region, labels)
    return _cached_pod_shape(key, region)


@functools.lru_cache(maxsize=4096)
def _cached_pod_shape(key: str, region: str) -> PodShape:
    """:func:`pod_shape` of a pod given as JSON text: a stack has a handful of distinct pod
    shapes, and checking and sizing one parses every quantity and walks the spec table. A
    refusal (InputError) is not cached; it ends the run anyway."""
    pod_spec, annotations, labels = json.loads(key)
    return _pod_shape(pod_spec, annotations, region, labels)


def _pod_shape(
    pod_spec: Any,
    annotations: Mapping[str, str],
    region: str,
    labels: Mapping[str, str] | None,
) -> PodShape:
    problem_in_manifest = quantity_problem(pod_spec, annotations)
    if problem_in_manifest is not None:
        raise InputError(problem_in_manifest)
    labels = labels or {}
    if LABEL_COMPUTE_CLASS in labels or labels.get(LABEL_ACS) == "true":
        return _acs_shape(pod_spec, annotations, labels)
    spot = is_spot(annotations)
    category = annotations.get(ANNOTATION_COMPUTE_CATEGORY, "")
    economy = category.strip().lower().startswith("economy")
    spec: EciSpec | None
    problem = ""
    try:
        spec = billed_spec(
            pod_spec if isinstance(pod_spec, Mapping) else {},
            annotations,
            region=region,
            spot=spot,
        )
    except EciSpecError as err:
        spec, problem = None, str(err)
    extra, storage_problem = _extra_storage(pod_spec, annotations)
    return PodShape(spec, join_notes(problem, storage_problem), economy, spot, extra)


def quantity_problem(pod_spec: Any, annotations: Mapping[str, Any]) -> str | None:
    """What is wrong with a quantity the pricing reads, or None.

    The containers' cpu, memory and ephemeral-storage limits and requests must be Kubernetes
    quantities (the API server refuses others), and the extra-storage annotation (ECI's or
    ACS's) at most
    :data:`~ask_components.workloads.eci_options.MAX_EXTRA_EPHEMERAL_STORAGE_GIB`. Values not
    known yet (``[unknown]``) are left to the pricing, which says it cannot price them.
    """
    for key in (ANNOTATION_EXTRA_EPHEMERAL_STORAGE, ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE):
        storage = annotations.get(key)
        if storage is None or _unknown(storage):
            continue
        try:
            extra = parse_memory_gib(storage, name=key)
        except QuantityError as err:
            return str(err)
        if extra > MAX_EXTRA_EPHEMERAL_STORAGE_GIB:
            return (
                f"{key} {json.dumps(storage)} is more than {MAX_EXTRA_EPHEMERAL_STORAGE_GIB} GiB "
                "(one cloud disk of 32768 GiB, 30 of them free)"
            )
    containers = pod_spec.get("containers") if isinstance(pod_spec, Mapping) else None
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        resources = container.get("resources") if isinstance(container, Mapping) else None
        for kind in ("limits", "requests"):
            values = resources.get(kind) if isinstance(resources, Mapping) else None
            for name in ("cpu", "memory", "ephemeral-storage"):
                value = values.get(name) if isinstance(values, Mapping) else None
                if value is None or _unknown(value):
                    continue
                where = f"containers[{index}].resources.{kind}.{name}"
                try:
                    if name == "cpu":
                        parse_cpu(value, name=where)
                    else:
                        parse_memory_gib(value, name=where)
                except QuantityError as err:
                    return str(err)
    return None


def _unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWNS


def _acs_shape(
    pod_spec: Any, annotations: Mapping[str, str], labels: Mapping[str, str]
) -> PodShape:
    compute_class = labels.get(LABEL_COMPUTE_CLASS, "general-purpose")
    qos = labels.get(LABEL_COMPUTE_QOS, "default")
    problem = ""
    spec: AcsSpec | None = None
    if compute_class not in ACS_CLASSES:
        problem = f"compute class {compute_class!r} is not priced (general-purpose, performance)"
    elif qos not in ACS_QOS:
        problem = f"compute QoS {qos!r} is not priced (default, best-effort)"
    else:
        try:
            spec = acs_billed_spec(pod_spec if isinstance(pod_spec, Mapping) else {}, annotations)
        except AcsSpecError as err:
            problem = str(err)
    extra, storage_problem = _extra_storage(
        pod_spec, annotations, annotation=ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE
    )
    return PodShape(
        spec,
        join_notes(problem, storage_problem),
        economy=False,
        spot=False,
        extra_storage_gib=extra,
        acs_class=compute_class,
        acs_qos=qos,
    )


def _extra_storage(
    pod_spec: Any,
    annotations: Mapping[str, str],
    *,
    annotation: str = ANNOTATION_EXTRA_EPHEMERAL_STORAGE,
) -> tuple[Decimal, str]:
    extra = Decimal(0)
    problem = ""
    value = annotations.get(annotation)
    if value:
        try:
            extra = parse_memory_gib(value, name=annotation)
        except QuantityError as err:
            problem = f"{err}; extra ephemeral storage not priced"
    requested = Decimal(0)
    containers = pod_spec.get("containers") if isinstance(pod_spec, Mapping) else None
    for container in containers if isinstance(containers, list) else []:
        resources = container.get("resources") if isinstance(container, Mapping) else None
        requests = resources.get("requests") if isinstance(resources, Mapping) else None
        amount = requests.get("ephemeral-storage") if isinstance(requests, Mapping) else None
        if amount is None:
            continue
        try:
            requested += parse_memory_gib(amount, name="ephemeral-storage")
        except QuantityError as err:
            problem = join_notes(problem, str(err))
    return max(extra, requested - FREE_EPHEMERAL_GIB, Decimal(0)), problem


@dataclass(frozen=True)
class PodRates:
    """Per-hour prices of one pod's parts (None where the catalog has no price)."""

    vcpu_hour: Decimal | None
    memory_hour: Decimal | None
    storage_hour: Decimal | None
    vcpu_key: str
    notes: tuple[str, str, str]
    spot_note: str
    upper_bound: bool
    memory_key: str = "eci.memory"
    storage_key: str = "eci.ephemeral_storage"

    def pod_hour(self, shape: PodShape) -> Decimal | None:
        """The price of one pod for one hour (vCPU + memory), or None."""
        if shape.spec is None or self.vcpu_hour is None or self.memory_hour is None:
            return None
        return shape.spec.cpu * self.vcpu_hour + shape.spec.memory_gib * self.memory_hour


def pod_rates(shape: PodShape, ctx: PricingContext) -> PodRates:
    """Hourly prices for a pod's vCPU, memory and extra storage, with the spot factor applied
    (worked out once per region, category, spot and discount in an estimate)."""
    key = (
        "pod_rates",
        ctx.region,
        shape.economy,
        shape.spot,
        shape.acs_class,
        shape.acs_qos,
        ctx.usage.get(SPOT_KEY.name),
    )
    found = ctx.index.memo.get(key)
    if isinstance(found, PodRates):
        return found
    rates = _pod_rates(shape, ctx)
    ctx.index.memo[key] = rates
    return rates


def _pod_rates(shape: PodShape, ctx: PricingContext) -> PodRates:
    if shape.acs:
        # ACS: the class and QoS have their own list prices (best-effort is not a discount).
        base = (
            f"acs.{str(shape.acs_class).replace('-', '_')}.{str(shape.acs_qos).replace('-', '_')}"
        )
        vcpu_key, memory_key = f"{base}.vcpu", f"{base}.memory"
        storage_key = "acs.ephemeral_storage"
    else:
        vcpu_key = "eci.vcpu_economy" if shape.economy else "eci.vcpu"
        memory_key, storage_key = "eci.memory", "eci.ephemeral_storage"
    prices = [ctx.price(vcpu_key), ctx.price(memory_key), ctx.price(storage_key)]
    factor = Decimal(1)
    spot_note = ""
    upper_bound = False
    if shape.spot:
        discount = ctx.usage.get(SPOT_KEY.name)
        if discount is None:
            upper_bound = True
            spot_note = (
                "spot: market price, at most on-demand; priced at on-demand as an upper "
                "bound (set spot_discount_percent in the usage file)"
            )
        else:
            factor = (Decimal(100) - discount) / Decimal(100)
            spot_note = f"spot: {describe(discount)}% off on-demand (usage file)"

    def hourly(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else amount * SECONDS_PER_HOUR * factor

    vcpu, memory, storage = (hourly(p.amount) for p in prices)
    notes = (price_note(prices[0]), price_note(prices[1]), price_note(prices[2]))
    return PodRates(
        vcpu, memory, storage, vcpu_key, notes, spot_note, upper_bound, memory_key, storage_key
    )


def always_on_lines(
    shape: PodShape,
    ctx: PricingContext,
    pods: Decimal,
    *,
    prefix: str = "",
    usage_based: bool = False,
    note: str = "",
) -> list[CostLine]:
    """vCPU, memory and extra-storage lines for ``pods`` pods running all month (730 hours)."""
    rates = pod_rates(shape, ctx)
    hours = pods * HOURS_PER_MONTH
    pods_text = plural(pods, "pod")
    if shape.acs:
        pods_text += f", {shape.runtime}"
    common = join_notes(note, rates.spot_note)
    if shape.spec is None:
        return [
            make_line(
                f"{prefix}Pods ({pods_text})",
                "pod-hours",
                hours,
                None,
                usage_based=usage_based,
                note=join_notes(common, f"price not found: {shape.problem}"),
                price_key=f"{rates.vcpu_key}+{rates.memory_key}",
            )
        ]
    cpu, mem = shape.spec.cpu, shape.spec.memory_gib
    cpu_label = f"{describe(cpu)} vCPU{' economy' if shape.economy else ''}"
    lines = [
        make_line(
            f"{prefix}vCPU ({cpu_label} × {pods_text})",
            "vCPU-hours",
            cpu * hours,
            rates.vcpu_hour,
            usage_based=usage_based,
            note=join_notes(common, rates.notes[0]),
            price_key=rates.vcpu_key,
            upper_bound=rates.upper_bound,
        ),
        make_line(
            f"{prefix}Memory ({describe(mem)} GiB × {pods_text})",
            "GiB-hours",
            mem * hours,
            rates.memory_hour,
            usage_based=usage_based,
            note=join_notes(common, rates.notes[1]),
            price_key=rates.memory_key,
            upper_bound=rates.upper_bound,
        ),
    ]
    if shape.extra_storage_gib > 0:
        lines.append(
            make_line(
                f"{prefix}Extra ephemeral storage ({describe(shape.extra_storage_gib)} GiB × "
                f"{pods_text})",
                "GiB-hours",
                shape.extra_storage_gib * hours,
                rates.storage_hour,
                usage_based=usage_based,
                note=join_notes(shape.problem, rates.notes[2]),
                price_key=rates.storage_key,
            )
        )
    return lines


def run_lines(
    shape: PodShape, ctx: PricingContext, name: str, pod_seconds: Decimal | None, *, note: str = ""
) -> list[CostLine]:
    """Usage-based lines for pods that run ``pod_seconds`` a month (None: depends on usage).

    One ``pod-hours`` line priced per pod-hour (vCPU + memory), so that without usage it shows
    the hourly price of one pod; plus extra storage per pod-hour when the pod has some. The cost
    is ``pod-seconds × hourly price ÷ 3,600``, which stays exact (the catalog is per second).
    """
    rates = pod_rates(shape, ctx)
    price = rates.pod_hour(shape)
    if shape.spec is None:
        problems = f"price not found: {shape.problem}"
    else:
        problems = join_notes(rates.notes[0], rates.notes[1])
    pod_hours = None if pod_seconds is None else pod_seconds / SECONDS_PER_HOUR
    lines = [
        _exact_cost(
            make_line(
                f"{name} ({shape.label()})",
                "pod-hours",
                pod_hours,
                price,
                usage_based=True,
                note=join_notes(note, rates.spot_note, problems),
                price_key=f"{rates.vcpu_key}+{rates.memory_key}",
                upper_bound=rates.upper_bound,
            ),
            pod_seconds,
        )
    ]
    if shape.extra_storage_gib > 0:
        storage = (
            None if rates.storage_hour is None else rates.storage_hour * shape.extra_storage_gib
        )
        lines.append(
            _exact_cost(
                make_line(
                    f"{name}: extra ephemeral storage "
                    f"({describe(shape.extra_storage_gib)} GiB per pod)",
                    "pod-hours",
                    pod_hours,
                    storage,
                    usage_based=True,
                    note=join_notes(shape.problem if shape.spec else "", rates.notes[2]),
                    price_key=rates.storage_key,
                ),
                pod_seconds,
            )
        )
    return lines


def _exact_cost(line: CostLine, pod_seconds: Decimal | None) -> CostLine:
    if line.monthly_cost is None or pod_seconds is None or line.unit_price is None:
        return line
    return replace(line, monthly_cost=pod_seconds * line.unit_price / SECONDS_PER_HOUR)


def monthly_pod_seconds(usage: Mapping[str, Decimal], pods_per_run: Decimal) -> Decimal | None:
    """``monthly_runs × run_seconds × pods per run``, or None without both keys."""
    runs = usage.get("monthly_runs")
    seconds = usage.get("run_seconds")
    if runs is None or seconds is None:
        return None
    return runs * seconds * pods_per_run


RUN_KEYS = (
    UsageKey("monthly_runs", "runs in a month"),
    UsageKey("run_seconds", "how long one run's pods run, seconds"),
    SPOT_KEY,
)
