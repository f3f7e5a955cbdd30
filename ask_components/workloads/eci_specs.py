"""ECI vCPU/memory specs: the spec table per region and ECI's rounding rule.

Source: https://help.aliyun.com/document_detail/114662.html (ZH) and
https://www.alibabacloud.com/help/es/eci/user-guide/specify-the-number-of-vcpus-and-memory-size-to-create-a-pod-1
(ES, same table); summarised in ask-platform.md 1.2.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from ask_components.errors import AskError
from ask_components.workloads._format import one_decimal, plain, positive_decimal, show
from ask_components.workloads.quantity import format_cpu, format_memory_gib

__all__ = [
    "ALL_REGION_SPECS",
    "DEFAULT_POD_SPEC",
    "EXTENDED_SPECS",
    "EXTENDED_SPEC_REGIONS",
    "SMALLEST_SPEC",
    "EciSpec",
    "EciSpecError",
    "is_ecs_instance_type",
    "round_spec",
    "supported_specs",
]


class EciSpecError(AskError, ValueError):
    """No ECI spec fits a request, or a pod's size cannot be worked out."""


_SPEC_RE: Final = re.compile(r"(?P<cpu>[0-9]+(?:\.[0-9]+)?)-(?P<memory>[0-9]+(?:\.[0-9]+)?)Gi")

# ECS instance types are written family.size, e.g. ecs.c6.xlarge, ecs.gn6i-c4g1.xlarge.
_ECS_TYPE_RE: Final = re.compile(r"ecs\.[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+")


@dataclass(frozen=True, order=True)
class EciSpec:
    """One ECI vCPU/memory spec. Orders by fewest vCPUs, then least memory.

    Attributes:
        cpu: vCPUs, e.g. ``Decimal("0.25")``.
        memory_gib: memory in GiB, e.g. ``Decimal("0.5")``.
    """

    cpu: Decimal
    memory_gib: Decimal

    def __post_init__(self) -> None:
        for name in ("cpu", "memory_gib"):
            value = positive_decimal(f"EciSpec.{name}", getattr(self, name), EciSpecError)
            object.__setattr__(self, name, value)

    @classmethod
    def parse(cls, value: str) -> EciSpec:
        """Read a vCPU-Mem spec as ECI writes it.

        Args:
            value: ``"2-4Gi"`` (the ``eci-use-specs`` form) or ``"2.0-4.0Gi"`` (the
                ``eci-instance-spec`` form).

        Returns:
            The spec.

        Raises:
            EciSpecError: the value is not a vCPU-Mem spec.
        """
        match = _SPEC_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None or Decimal(match["cpu"]) == 0 or Decimal(match["memory"]) == 0:
            raise EciSpecError(
                f'{show(value)} is not an ECI vCPU-Mem spec (expected e.g. "2-4Gi" or "0.25-0.5Gi")'
            )
        return cls(Decimal(match["cpu"]), Decimal(match["memory"]))

    @property
    def use_specs_value(self) -> str:
        """The spec as ``k8s.aliyun.com/eci-use-specs`` takes it: ``"2-4Gi"``, ``"0.25-0.5Gi"``."""
        return f"{plain(self.cpu)}-{plain(self.memory_gib)}Gi"

    @property
    def instance_spec_value(self) -> str:
        """The spec as ECI reports it in ``k8s.aliyun.com/eci-instance-spec``: ``"2.0-4.0Gi"``."""
        return f"{one_decimal(self.cpu)}-{one_decimal(self.memory_gib)}Gi"

    @property
    def cpu_quantity(self) -> str:
        """The vCPUs as a Kubernetes quantity for requests/limits: ``"2"``, ``"250m"``."""
        return format_cpu(self.cpu)

    @property
    def memory_quantity(self) -> str:
        """The memory as a Kubernetes quantity for requests/limits: ``"4Gi"``, ``"512Mi"``."""
        return format_memory_gib(self.memory_gib)

    def __str__(self) -> str:
        return self.use_specs_value


def _spec_table(rows: Mapping[str, Iterable[int | str]]) -> frozenset[EciSpec]:
    """Build specs from ``{vCPU: memory sizes}`` rows as the documentation lays them out."""
    return frozenset(
        EciSpec(Decimal(cpu), Decimal(memory)) for cpu, sizes in rows.items() for memory in sizes
    )


# Specs available in every region, from "Specify the number of vCPUs and memory size to create a
# pod": https://help.aliyun.com/document_detail/114662.html (ZH) and
# https://www.alibabacloud.com/help/es/eci/user-guide/specify-the-number-of-vcpus-and-memory-size-to-create-a-pod-1
ALL_REGION_SPECS: Final[frozenset[EciSpec]] = _spec_table(
    {
        "0.25": ("0.5", 1),
        "0.5": (1, 2),
        "1": (2, 4, 8),
        "2": (1, 2, 4, 8, 16),
        "4": (2, 4, 8, 16, 32),
        "8": (4, 8, 16, 32, 64),
        "12": (12, 24, 48, 96),
        "16": (16, 32, 64, 128),
        "24": (24, 48, 96, 192),
        "32": (32, 64, 128, 256),
        "52": (96, 192, 384),
        "64": (128, 256, 512),
    }
)
"""Specs ECI offers in every region (same source as the table above)."""

# Extra specs offered only in EXTENDED_SPEC_REGIONS and never for spot instances (same page).
# The page lists: 2 vCPU -> 6, 10, 12, 14 GiB; 4 vCPU -> 6, 10, 12, 14, 18, 20, ..., 30 GiB;
# 6 vCPU -> 6 to 48 GiB; 8 vCPU -> 10, 12, 14, 18, 20, ..., 62 GiB; always even sizes, and never
# a size already in ALL_REGION_SPECS (the difference below drops those).
EXTENDED_SPECS: Final[frozenset[EciSpec]] = (
    _spec_table(
        {
            "2": (6, 10, 12, 14),
            "4": (6, *range(10, 31, 2)),
            "6": range(6, 49, 2),
            "8": range(10, 63, 2),
        }
    )
    - ALL_REGION_SPECS
)
"""Specs ECI offers only in :data:`EXTENDED_SPEC_REGIONS`, and not for spot instances."""

EXTENDED_SPEC_REGIONS: Final[frozenset[str]] = frozenset(
    {
        "cn-hangzhou",
        "cn-shanghai",
        "cn-qingdao",
        "cn-beijing",
        "cn-zhangjiakou",
        "cn-huhehaote",
        "cn-wulanchabu",
        "cn-shenzhen",
        "cn-heyuan",
        "cn-guangzhou",
        "cn-chengdu",
        "ap-southeast-1",  # Singapore
    }
)
"""Regions that offer :data:`EXTENDED_SPECS` (https://help.aliyun.com/document_detail/114662.html)."""

DEFAULT_POD_SPEC: Final = EciSpec(Decimal(2), Decimal(4))
"""What ECI creates when no container sets CPU or memory (https://help.aliyun.com/document_detail/451261.htm)."""

SMALLEST_SPEC: Final = min(ALL_REGION_SPECS)
"""The smallest spec anywhere (0.25 vCPU / 0.5 GiB): nothing is billed below it."""


def is_ecs_instance_type(value: str) -> bool:
    """Whether a ``eci-use-specs`` entry is an ECS instance type (``ecs.c6.xlarge``).

    Args:
        value: one entry of the annotation.

    Returns:
        True for ECS instance types, False for anything else (vCPU-Mem specs included).
    """
    return _ECS_TYPE_RE.fullmatch(value) is not None


def supported_specs(region: str, *, spot: bool = False) -> tuple[EciSpec, ...]:
    """The vCPU/memory specs ECI offers in a region, smallest first.

    Args:
        region: the region ID, e.g. ``cn-hangzhou``; regions not in
            :data:`EXTENDED_SPEC_REGIONS` get only :data:`ALL_REGION_SPECS`.
        spot: True for spot (preemptible) pods, which cannot use :data:`EXTENDED_SPECS`.

    Returns:
        The specs, sorted by vCPUs then memory.
    """
    return _supported(_checked_region(region), spot)


def round_spec(
    cpu: Decimal | int,
    memory_gib: Decimal | int,
    *,
    region: str,
    spot: bool = False,
) -> EciSpec:
    """Round a vCPU/memory request up to the spec ECI creates and bills.

    ECI picks "the closest spec such that requested vCPU <= spec vCPU and requested memory <=
    spec memory" (https://help.aliyun.com/document_detail/114662.html). The tie-break is not
    documented; we take the fewest vCPUs, then the least memory, which reproduces Alibaba's
    example (7 vCPU / 13 GiB in cn-hangzhou -> 8 vCPU / 14 GiB).

    Args:
        cpu: requested vCPUs, > 0.
        memory_gib: requested memory in GiB, > 0.
        region: the region ID; it decides whether the extended specs are available.
        spot: True for spot pods, which cannot use the extended specs.

    Returns:
        The smallest supported spec that holds the request.

    Raises:
        EciSpecError: a value is not positive, or no spec in the region is large enough.
    """
    cpu_value = _positive_request(cpu, "vCPU")
    memory_value = _positive_request(memory_gib, "GiB of memory")
    specs = _supported(_checked_region(region), spot)
    for spec in specs:  # sorted: fewest vCPUs first, then least memory
        if spec.cpu >= cpu_value and spec.memory_gib >= memory_value:
            return spec
    # The largest spec has both the most vCPUs and the most memory in every region's table.
    largest = specs[-1]
    kind = "spot spec" if spot else "spec"
    raise EciSpecError(
        f"no ECI {kind} in {region} holds {plain(cpu_value)} vCPU / {plain(memory_value)} GiB; "
        f"the largest there is {plain(largest.cpu)} vCPU / {plain(largest.memory_gib)} GiB"
    )


def _supported(region: str, spot: bool) -> tuple[EciSpec, ...]:
    # Only two tables exist (with and without the extended specs): sort each once, not per pod.
    return _sorted_table(region in EXTENDED_SPEC_REGIONS and not spot)


@functools.cache
def _sorted_table(extended: bool) -> tuple[EciSpec, ...]:
    specs = ALL_REGION_SPECS | EXTENDED_SPECS if extended else ALL_REGION_SPECS
    return tuple(sorted(specs))


def _positive_request(value: object, unit: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise EciSpecError(f"an ECI request needs a number of {unit}, got {show(value)}")
    number = Decimal(value)
    if not number.is_finite() or number <= 0:
        raise EciSpecError(f"an ECI request needs a positive number of {unit}, got {show(value)}")
    return number


def _checked_region(region: object) -> str:
    if not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}-[a-z0-9-]+", region):
        raise EciSpecError(f'region must be a region ID like "cn-hangzhou", got {show(region)}')
    return region
