"""Spark on ECI: ``SparkApplication`` and ``ScheduledSparkApplication`` of the spark-operator
(``kubernetes:sparkoperator.k8s.io/v1beta2:...``).

One run starts a driver pod and ``executor.instances`` executor pods (Spark's default 2), which
run for the whole run. Each pod is sized as the spark-operator sizes it: CPU request ``coreRequest``
or ``cores`` (default 1), CPU limit ``coreLimit``; memory request and limit ``memory`` (default
``1g``) + ``memoryOverhead``, by default ``max(memoryOverheadFactor × memory, 384 MiB)`` with the
factor 0.1 for JVM jobs and 0.4 for Python and R (Spark's defaults). ECI then bills the rounded
spec (:mod:`.eci_pods`). Pod annotations come from ``driver.annotations`` /
``executor.annotations``.

Cost per month = pod-hours from usage ``monthly_runs × run_seconds`` × (driver + executors), all
usage-based; without usage the lines show the price of one pod-hour of each kind.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import (
    Pricer,
    PricingContext,
    as_count,
    as_decimal,
    dig,
    plural,
    string_map,
)
from ask_components.cost.resources.eci_pods import (
    RUN_KEYS,
    monthly_pod_seconds,
    pod_shape,
    run_lines,
)
from ask_components.preview.graph import ResourceNode
from ask_components.workloads.quantity import (
    BYTES_PER_GIB,
    MAX_QUANTITY,
    QuantityError,
    format_memory_gib,
    parse_memory_gib,
)

DEFAULT_EXECUTORS: Final = Decimal(2)
"""Spark's ``spark.executor.instances`` default."""

DEFAULT_MEMORY_GIB: Final = Decimal(1)
"""Spark's ``spark.driver.memory`` / ``spark.executor.memory`` default (``1g``)."""

MIN_OVERHEAD_GIB: Final = Decimal(384) / Decimal(1024)
"""Spark's minimum memory overhead, 384 MiB."""

JVM_OVERHEAD_FACTOR: Final = Decimal("0.1")
NON_JVM_OVERHEAD_FACTOR: Final = Decimal("0.4")

_JVM_SIZE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?)(?P<unit>[kmgtp]?)b?", re.IGNORECASE)
_JVM_POWER = {"k": -2, "m": -1, "": -1, "g": 0, "t": 1, "p": 2}
"""JVM size suffix to its power of 1,024 relative to GiB (no suffix: MiB, as Spark reads it)."""


def parse_spark_memory(value: Any) -> Decimal:
    """A Spark memory string (``512m``, ``2g``; or a Kubernetes quantity ``2Gi``) in GiB.

    Raises:
        QuantityError: the value is neither form.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return _at_most_a_quantity(Decimal(value) / Decimal(1024), value)  # a bare number: MiB
    if isinstance(value, str):
        match = _JVM_SIZE.fullmatch(value.strip())
        if match:
            power = _JVM_POWER[match["unit"].lower()]
            return _at_most_a_quantity(Decimal(match["number"]) * Decimal(1024) ** power, value)
        return parse_memory_gib(value, name="memory")
    raise QuantityError(f"memory {value!r} is not a Spark memory size (expected e.g. 512m, 2g)")


def _at_most_a_quantity(gib: Decimal, value: Any) -> Decimal:
    """``gib`` if a Kubernetes quantity can hold it (the pod's memory is one), else an error."""
    if gib * BYTES_PER_GIB > MAX_QUANTITY:
        raise QuantityError(
            f"memory {value!r} is too large for a pod (at most {MAX_QUANTITY} bytes)"
        )
    return gib


def spark_pod_spec(role: Any, *, overhead_factor: Decimal) -> tuple[dict[str, Any], str]:
    """The pod spec the spark-operator creates for a driver or executor (and a note)."""
    role = role if isinstance(role, dict) else {}
    note = ""
    try:
        memory = (
            DEFAULT_MEMORY_GIB if role.get("memory") is None else parse_spark_memory(role["memory"])
        )
        if role.get("memoryOverhead") is not None:
            overhead = parse_spark_memory(role["memoryOverhead"])
        else:
            overhead = max(memory * overhead_factor, MIN_OVERHEAD_GIB)
    except QuantityError as err:
        memory, overhead = DEFAULT_MEMORY_GIB, MIN_OVERHEAD_GIB
        note = f"{err}; priced with Spark's default 1g"
    cores = role.get("coreRequest") or role.get("cores") or 1
    requests: dict[str, Any] = {"cpu": cores, "memory": format_memory_gib(memory + overhead)}
    limits: dict[str, Any] = {"memory": requests["memory"]}
    if role.get("coreLimit") is not None:
        limits["cpu"] = role["coreLimit"]
    container = {"name": "spark", "resources": {"requests": requests, "limits": limits}}
    return {"containers": [container]}, note


def price_spark(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Driver and executor pod-hours per month from ``monthly_runs × run_seconds``."""
    spec = node.inputs.get("spec")
    if node.type.endswith(":ScheduledSparkApplication"):
        spec = dig(spec, "template")
    app_type = str(dig(spec, "type") or "Scala")
    factor = as_decimal(dig(spec, "memoryOverheadFactor"))
    if factor is None:
        factor = NON_JVM_OVERHEAD_FACTOR if app_type in ("Python", "R") else JVM_OVERHEAD_FACTOR
    driver = dig(spec, "driver")
    executor = dig(spec, "executor")
    instances = as_count(dig(executor, "instances"), "spec.executor.instances")
    instances_note = ""
    if instances is None:
        instances = DEFAULT_EXECUTORS
        instances_note = "executor.instances not set: Spark's default 2"
    lines: list[CostLine] = []
    for label, role, pods, extra in (
        ("Driver pod", driver, Decimal(1), ""),
        ("Executor pods", executor, instances, instances_note),
    ):
        pod_spec, note = spark_pod_spec(role, overhead_factor=factor)
        annotations = string_map(dig(role, "annotations"))
        shape = pod_shape(pod_spec, annotations, ctx.region, string_map(dig(role, "labels")))
        seconds = monthly_pod_seconds(ctx.usage, pods)
        usage_note = "" if seconds is not None else "set monthly_runs and run_seconds"
        lines += run_lines(
            shape,
            ctx,
            label,
            seconds,
            note="; ".join(
                n for n in (f"{plural(pods, 'pod')} per run", extra, note, usage_note) if n
            ),
        )
    return lines


PRICER = Pricer(
    kind="ECI pods (Spark)",
    types=(
        "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication",
        "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication",
    ),
    usage_keys=RUN_KEYS,
    price=price_spark,
)
