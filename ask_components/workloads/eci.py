"""ECI on ACK Serverless: what a pod is billed as, and the annotations that ask for ECI features.

Everything here is pure: plain ``str``/``int``/``Decimal``/``dict`` in, frozen dataclasses out.
This module is the public surface; the logic lives in three small modules:

- :mod:`~ask_components.workloads.eci_specs`: :class:`EciSpec`, the spec table per region,
  :func:`supported_specs` and :func:`round_spec`.
- :mod:`~ask_components.workloads.eci_sizing`: :func:`billed_spec`, the spec ECI creates (and
  bills) for a whole pod.
- :mod:`~ask_components.workloads.eci_options`: :class:`EciOptions`, validated ECI features
  rendered as pod-template annotations, and :func:`is_spot`.
"""

from __future__ import annotations

from ask_components.workloads.eci_options import (
    ANNOTATION_AUTO_IMAGE_CACHE,
    ANNOTATION_COMPUTE_CATEGORY,
    ANNOTATION_CUSTOM_TAGS,
    ANNOTATION_EIP_BANDWIDTH,
    ANNOTATION_EXTRA_EPHEMERAL_STORAGE,
    ANNOTATION_FAIL_STRATEGY,
    ANNOTATION_IMAGE_CACHE_ID,
    ANNOTATION_INSTANCE_SPEC,
    ANNOTATION_INSTANCE_TYPE,
    ANNOTATION_MAX_PENDING_MINUTE,
    ANNOTATION_RAM_ROLE_NAME,
    ANNOTATION_SCHEDULE_STRATEGY,
    ANNOTATION_SPOT_DURATION,
    ANNOTATION_SPOT_FALLBACK,
    ANNOTATION_SPOT_PRICE_LIMIT,
    ANNOTATION_SPOT_STRATEGY,
    ANNOTATION_USE_SPECS,
    ANNOTATION_VSWITCH,
    ANNOTATION_WITH_EIP,
    ECONOMY_MAX_VCPU,
    ECONOMY_MIN_VCPU,
    MAX_CUSTOM_TAGS,
    MAX_PENDING_MINUTES_RANGE,
    MAX_USE_SPECS,
    MAX_VSWITCHES,
    SPOT_PRICE_LIMIT_DECIMALS,
    ComputeCategory,
    EciOptions,
    EciOptionsError,
    FailStrategy,
    ScheduleStrategy,
    SpotStrategy,
    is_spot,
)
from ask_components.workloads.eci_sizing import MAX_CONTAINERS, RESOURCE_IGNORE_ENV, billed_spec
from ask_components.workloads.eci_specs import (
    ALL_REGION_SPECS,
    DEFAULT_POD_SPEC,
    EXTENDED_SPEC_REGIONS,
    EXTENDED_SPECS,
    SMALLEST_SPEC,
    EciSpec,
    EciSpecError,
    is_ecs_instance_type,
    round_spec,
    supported_specs,
)

__all__ = [
    "ALL_REGION_SPECS",
    "ANNOTATION_AUTO_IMAGE_CACHE",
    "ANNOTATION_COMPUTE_CATEGORY",
    "ANNOTATION_CUSTOM_TAGS",
    "ANNOTATION_EIP_BANDWIDTH",
    "ANNOTATION_EXTRA_EPHEMERAL_STORAGE",
    "ANNOTATION_FAIL_STRATEGY",
    "ANNOTATION_IMAGE_CACHE_ID",
    "ANNOTATION_INSTANCE_SPEC",
    "ANNOTATION_INSTANCE_TYPE",
    "ANNOTATION_MAX_PENDING_MINUTE",
    "ANNOTATION_RAM_ROLE_NAME",
    "ANNOTATION_SCHEDULE_STRATEGY",
    "ANNOTATION_SPOT_DURATION",
    "ANNOTATION_SPOT_FALLBACK",
    "ANNOTATION_SPOT_PRICE_LIMIT",
    "ANNOTATION_SPOT_STRATEGY",
    "ANNOTATION_USE_SPECS",
    "ANNOTATION_VSWITCH",
    "ANNOTATION_WITH_EIP",
    "DEFAULT_POD_SPEC",
    "ECONOMY_MAX_VCPU",
    "ECONOMY_MIN_VCPU",
    "EXTENDED_SPECS",
    "EXTENDED_SPEC_REGIONS",
    "MAX_CONTAINERS",
    "MAX_CUSTOM_TAGS",
    "MAX_PENDING_MINUTES_RANGE",
    "MAX_USE_SPECS",
    "MAX_VSWITCHES",
    "RESOURCE_IGNORE_ENV",
    "SMALLEST_SPEC",
    "SPOT_PRICE_LIMIT_DECIMALS",
    "ComputeCategory",
    "EciOptions",
    "EciOptionsError",
    "EciSpec",
    "EciSpecError",
    "FailStrategy",
    "ScheduleStrategy",
    "SpotStrategy",
    "billed_spec",
    "is_ecs_instance_type",
    "is_spot",
    "round_spec",
    "supported_specs",
]
