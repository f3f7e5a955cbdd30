"""ACS pod specs: the vCPU/memory grid of ACS's general-purpose and performance classes, and the
rounding ACS applies (pure, table-tested).

The grid (https://www.alibabacloud.com/help/en/cs/user-guide/acs-pod-instance-overview, Feb 2026
wording; summarised in reference/acs-and-ack-pro.md §2.3):

| vCPU | memory (GiB) |
| --- | --- |
| 0.25 | 0.5, 1, 2 |
| 0.5, 1, 1.5, ..., 16 (every 0.5) | every whole GiB from ceil(vCPU) to 8 x vCPU |
| 24 | 24, 48, 96, 192 |
| 32 | 32, 64, 128, 256 |
| 48 | 48, 96, 192, 384 |
| 64 | 64, 128, 256, 512 |

ACS "calculates the maximum cumulative value of requests or limits across all containers and
normalizes it to the closest supported specification" (same page); its example: 2 vCPU / 3.5 GiB
becomes 2 vCPU / 4 GiB, ``alibabacloud.com/pod-use-spec: 2-4Gi``. Which of two candidates wins
(more vCPU or more memory) is not documented: like ECI's rounding here, the fewest vCPUs win,
then the least memory. Pods above 16 vCPU or 128 GiB need a ticket to Alibaba first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Final

from ask_components.errors import AskError
from ask_components.workloads._format import plain, positive_decimal, show
from ask_components.workloads.quantity import (
    QuantityError,
    format_cpu,
    format_memory_gib,
    parse_cpu,
    parse_memory_gib,
)

__all__ = [
    "ACS_SPECS",
    "TICKET_CPU",
    "TICKET_MEMORY_GIB",
    "AcsSpec",
    "AcsSpecError",
    "acs_billed_spec",
    "round_acs_spec",
]

TICKET_CPU: Final = Decimal(16)
TICKET_MEMORY_GIB: Final = Decimal(128)
"""Above 16 vCPU or 128 GiB an ACS pod needs an approved ticket (ACS pod overview)."""

_SPEC_RE: Final = re.compile(r"(?P<cpu>[0-9]+(?:\.[0-9]+)?)-(?P<memory>[0-9]+(?:\.[0-9]+)?)Gi")


class AcsSpecError(AskError, ValueError):
    """No ACS spec fits a request, or a value is not an ACS spec."""


@dataclass(frozen=True, order=True)
class AcsSpec:
    """One ACS vCPU/memory spec. Orders by fewest vCPUs, then least memory.

    Attributes:
        cpu: vCPUs (``Decimal("2.5")``).
        memory_gib: memory in GiB (``Decimal("5")``).
    """

    cpu: Decimal
    memory_gib: Decimal

    def __post_init__(self) -> None:
        for name in ("cpu", "memory_gib"):
            value = positive_decimal(f"AcsSpec.{name}", getattr(self, name), AcsSpecError)
            object.__setattr__(self, name, value)

    @classmethod
    def parse(cls, value: str) -> AcsSpec:
        """Read a spec as ``alibabacloud.com/pod-use-spec`` writes it (``"2-4Gi"``).

        Raises:
            AcsSpecError: the value is not one.
        """
        match = _SPEC_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None or Decimal(match["cpu"]) == 0 or Decimal(match["memory"]) == 0:
            raise AcsSpecError(f'{show(value)} is not an ACS spec (expected e.g. "2-4Gi")')
        return cls(Decimal(match["cpu"]), Decimal(match["memory"]))

    @property
    def use_specs_value(self) -> str:
        """The spec as ``alibabacloud.com/pod-use-spec`` states it: ``"2-4Gi"``, ``"0.25-0.5Gi"``
        (the billed spec the rest of the project shows)."""
        return f"{plain(self.cpu)}-{plain(self.memory_gib)}Gi"

    @property
    def cpu_quantity(self) -> str:
        """The vCPUs as a Kubernetes quantity: ``"2"``, ``"250m"``."""
        return format_cpu(self.cpu)

    @property
    def memory_quantity(self) -> str:
        """The memory as a Kubernetes quantity: ``"4Gi"``, ``"512Mi"``."""
        return format_memory_gib(self.memory_gib)

    @property
    def needs_ticket(self) -> bool:
        """Above 16 vCPU or 128 GiB: Alibaba must approve it by ticket first."""
        return self.cpu > TICKET_CPU or self.memory_gib > TICKET_MEMORY_GIB

    def __str__(self) -> str:
        return self.use_specs_value


def _grid() -> tuple[AcsSpec, ...]:
    specs = [AcsSpec(Decimal("0.25"), Decimal(memory)) for memory in ("0.5", "1", "2")]
    for half_steps in range(1, 33):  # 0.5 .. 16 vCPU
        cpu = Decimal(half_steps) / 2
        low = math.ceil(cpu)
        specs.extend(AcsSpec(cpu, Decimal(memory)) for memory in range(low, int(cpu * 8) + 1))
    for large in (24, 32, 48, 64):
        specs.extend(AcsSpec(Decimal(large), Decimal(large * factor)) for factor in (1, 2, 4, 8))
    return tuple(sorted(specs))


ACS_SPECS: Final[tuple[AcsSpec, ...]] = _grid()
"""Every spec of the grid, fewest vCPUs first, then least memory."""


@cache
def _spec_set() -> frozenset[AcsSpec]:
    return frozenset(ACS_SPECS)


def is_acs_spec(spec: AcsSpec) -> bool:
    """Whether ``spec`` is on the grid."""
    return spec in _spec_set()


def round_acs_spec(cpu: Decimal | int, memory_gib: Decimal | int) -> AcsSpec:
    """Round a pod's vCPU/memory up to the ACS spec it is created and billed as.

    Args:
        cpu: the vCPUs the pod needs, > 0.
        memory_gib: the memory it needs in GiB, > 0.

    Raises:
        AcsSpecError: a value is not positive, or it is larger than the largest spec.
    """
    for name, value in (("vCPU", cpu), ("GiB of memory", memory_gib)):
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise AcsSpecError(f"{name} must be a number, got {show(value)}")
        if not Decimal(value).is_finite() or Decimal(value) <= 0:
            raise AcsSpecError(f"{name} must be greater than 0, got {show(value)}")
    wanted_cpu, wanted_memory = Decimal(cpu), Decimal(memory_gib)
    for spec in ACS_SPECS:
        if spec.cpu >= wanted_cpu and spec.memory_gib >= wanted_memory:
            return spec
    largest = ACS_SPECS[-1]
    raise AcsSpecError(
        f"no ACS spec holds {plain(wanted_cpu)} vCPU / {plain(wanted_memory)} GiB; the largest "
        f"is {plain(largest.cpu)} vCPU / {plain(largest.memory_gib)} GiB"
    )


ANNOTATION_POD_USE_SPEC: Final = "alibabacloud.com/pod-use-spec"
DEFAULT_ACS_POD: Final = AcsSpec(Decimal(2), Decimal(4))
""""the default resources for a single pod are 2 vCPUs and 4 GiB" when no container sets any."""


def acs_billed_spec(pod_spec: Mapping[str, Any], annotations: Mapping[str, str] | None) -> AcsSpec:
    """The spec ACS bills a pod as.

    ACS "calculates the maximum cumulative value of requests or limits across all containers and
    normalizes it to the closest supported specification" (ACS pod overview): per resource, the
    larger of the summed requests and the summed limits of the containers, rounded with
    :func:`round_acs_spec`. ``alibabacloud.com/pod-use-spec`` (what ACS wrote, or what the local
    target states) wins when present. A pod whose containers set nothing is 2 vCPU / 4 GiB. How
    init containers and sidecars count is not documented; they are left out here.

    Raises:
        AcsSpecError: a malformed resource value or annotation, or a pod larger than any spec.
    """
    stated = (annotations or {}).get(ANNOTATION_POD_USE_SPEC, "").strip()
    if stated:
        try:
            spec = AcsSpec.parse(stated)
        except AcsSpecError as error:
            raise AcsSpecError(f"{ANNOTATION_POD_USE_SPEC}: {error}") from None
        return round_acs_spec(spec.cpu, spec.memory_gib)
    if not isinstance(pod_spec, Mapping):
        raise AcsSpecError(f"pod spec must be a mapping, got {type(pod_spec).__name__}")
    containers = pod_spec.get("containers") or []
    if not isinstance(containers, Sequence) or isinstance(containers, str):
        raise AcsSpecError(f"containers must be a list, got {type(containers).__name__}")
    totals: dict[tuple[str, str], Decimal] = {}
    for index, container in enumerate(containers):
        resources = container.get("resources") if isinstance(container, Mapping) else None
        for kind in ("requests", "limits"):
            values = resources.get(kind) if isinstance(resources, Mapping) else None
            if not isinstance(values, Mapping):
                continue
            for resource in ("cpu", "memory"):
                if values.get(resource) is None:
                    continue
                name = f"containers[{index}].resources.{kind}.{resource}"
                try:
                    amount = (
                        parse_cpu(values[resource], name=name)
                        if resource == "cpu"
                        else parse_memory_gib(values[resource], name=name)
                    )
                except QuantityError as error:
                    raise AcsSpecError(str(error)) from error
                totals[(kind, resource)] = totals.get((kind, resource), Decimal(0)) + amount
    if not totals:
        return DEFAULT_ACS_POD
    cpu = max(
        totals.get(("requests", "cpu"), Decimal(0)), totals.get(("limits", "cpu"), Decimal(0))
    )
    memory = max(
        totals.get(("requests", "memory"), Decimal(0)), totals.get(("limits", "memory"), Decimal(0))
    )
    # A resource no container sets puts no bound on the spec: the smallest grid value holds it.
    return round_acs_spec(max(cpu, ACS_SPECS[0].cpu), max(memory, ACS_SPECS[0].memory_gib))
