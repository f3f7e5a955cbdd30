"""Spark driver and executor pods on ECI: memory overhead and the billed spec (pure).

Spark on Kubernetes gives each driver and executor pod ``memory + memoryOverhead`` as its memory
request and limit; the overhead is off-heap memory (JVM metaspace, threads, Python workers) and
defaults to ``max(384 MiB, factor × memory)`` with a factor of 0.10 for JVM applications and 0.40
for Python and R (``spark.kubernetes.memoryOverheadFactor``,
https://spark.apache.org/docs/latest/running-on-kubernetes.html). ECI then rounds that pod up to a
spec and bills the spec.

**The rule here:** the pod's ECI spec is ``round_spec(cores, memory + max(384 MiB, factor ×
memory))``, and ``memoryOverhead`` is set to *spec memory − memory*: at least Spark's default,
plus whatever the rounding adds. So the pod asks Kubernetes for exactly the spec ECI bills, and
the memory paid for anyway becomes off-heap headroom instead of waste (too little overhead is
what gets Spark pods OOM-killed). ``coreRequest`` and ``coreLimit`` are the spec's vCPUs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from ask_components.workloads.acs_specs import AcsSpec
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.eci_specs import EciSpec
from ask_components.workloads.quantity import parse_memory_gib
from ask_components.workloads.runtime import ECI, AcsOptions, PodRuntime, PodSizing

__all__ = [
    "JVM_OVERHEAD_FACTOR",
    "MIN_OVERHEAD_MIB",
    "NON_JVM_OVERHEAD_FACTOR",
    "SparkAppType",
    "SparkPodSizing",
    "size_spark_pod",
]

SparkAppType = Literal["Java", "Scala", "Python", "R"]

MIN_OVERHEAD_MIB: Final = 384
"""Spark's floor for the memory overhead of a pod."""

JVM_OVERHEAD_FACTOR: Final = Decimal("0.10")
"""Overhead factor of Java and Scala applications (Spark's default)."""

NON_JVM_OVERHEAD_FACTOR: Final = Decimal("0.40")
"""Overhead factor of Python and R applications (Spark's default: their workers live off-heap)."""

_MIB_PER_GIB: Final = 1024


@dataclass(frozen=True)
class SparkPodSizing:
    """How a Spark driver or executor pod is sized.

    Attributes:
        spec: the spec the pod is billed as (ECI or ACS).
        annotations: the pod annotations (on ECI ``eci-use-specs`` first, then the other ECI
            options).
        memory_mib: the JVM heap (``spark.{driver,executor}.memory``), in MiB.
        overhead_mib: ``memoryOverhead`` in MiB: spec memory − memory.
        labels: the pod labels the runtime adds (ACS compute class and QoS, ACK Pro's placement).
        sizing: the pod's sizing as every other workload has it.
    """

    spec: EciSpec | AcsSpec
    annotations: Mapping[str, str] = field(hash=False)
    memory_mib: int = 0
    overhead_mib: int = 0
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    sizing: PodSizing | None = field(default=None, hash=False, compare=False)

    @property
    def memory(self) -> str:
        """The heap in Spark's notation (``"2048m"``)."""
        return f"{self.memory_mib}m"

    @property
    def memory_overhead(self) -> str:
        """The overhead in Spark's notation (``"2048m"``)."""
        return f"{self.overhead_mib}m"


def overhead_factor(app_type: SparkAppType) -> Decimal:
    """Spark's default memory overhead factor for an application type."""
    return JVM_OVERHEAD_FACTOR if app_type in ("Java", "Scala") else NON_JVM_OVERHEAD_FACTOR


def size_spark_pod(
    cores: int,
    memory: str | int | float | Decimal,
    *,
    app_type: SparkAppType,
    region: str,
    eci: EciOptions,
    acs: AcsOptions | None = None,
    runtime: PodRuntime = ECI,
) -> SparkPodSizing:
    """Size a Spark driver or executor pod (see the module docs for the rule).

    Args:
        cores: Spark cores (task slots) of the pod, >= 1.
        memory: the heap, a Kubernetes quantity (``"4Gi"``); rounded up to whole MiB.
        app_type: the application type (decides the overhead factor).
        region: the region.
        eci: the pod's ECI options.
        acs: the pod's ACS options (ACS pods only).
        runtime: where the pod runs (``PodRuntime``; ECI by default).

    Raises:
        QuantityError: memory is not a quantity.
        EciSpecError / AcsSpecError: no spec holds the pod.
        EciOptionsError / AcsOptionsError: the spec conflicts with the options or the runtime.
    """
    memory_mib = math.ceil(parse_memory_gib(memory, name="memory") * _MIB_PER_GIB)
    minimum_overhead = max(
        MIN_OVERHEAD_MIB, math.ceil(overhead_factor(app_type) * Decimal(memory_mib))
    )
    sizing = runtime.size(
        Decimal(cores),
        Decimal(memory_mib + minimum_overhead) / _MIB_PER_GIB,
        region=region,
        eci=eci,
        acs=acs,
    )
    spec_mib = int(sizing.spec.memory_gib * _MIB_PER_GIB)
    return SparkPodSizing(
        spec=sizing.spec,
        annotations=sizing.annotations,
        memory_mib=memory_mib,
        overhead_mib=spec_mib - memory_mib,
        labels=sizing.labels,
        sizing=sizing,
    )
