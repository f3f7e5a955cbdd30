"""ECI options for a workload's pods, validated and rendered as pod-template annotations.

Annotation names and values: https://www.alibabacloud.com/help/en/eci/user-guide/pod-annotations
(summarised in ask-platform.md 1.1). Annotations only apply when set on the pod template at
creation, so :meth:`EciOptions.annotations` is meant for ``spec.template.metadata.annotations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Literal, get_args

from ask_components.errors import AskError
from ask_components.workloads._format import canonical, plain, show
from ask_components.workloads.eci_specs import (
    ALL_REGION_SPECS,
    EXTENDED_SPECS,
    EciSpec,
    EciSpecError,
    is_ecs_instance_type,
)

__all__ = [
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
    "ECONOMY_MAX_VCPU",
    "ECONOMY_MIN_VCPU",
    "MAX_CUSTOM_TAGS",
    "MAX_EXTRA_EPHEMERAL_STORAGE_GIB",
    "MAX_PENDING_MINUTES_RANGE",
    "MAX_USE_SPECS",
    "MAX_VSWITCHES",
    "SPOT_PRICE_LIMIT_DECIMALS",
    "ComputeCategory",
    "EciOptions",
    "EciOptionsError",
    "FailStrategy",
    "ScheduleStrategy",
    "SpotStrategy",
    "is_spot",
]


class EciOptionsError(AskError, ValueError):
    """ECI options hold an invalid value or a conflict. Lists every problem found.

    Attributes:
        problems: one message per problem, each starting with the option's config name.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            lines = [f"invalid ECI options ({len(self.problems)} problems):"]
            lines.extend(f"  - {problem}" for problem in self.problems)
            message = "\n".join(lines)
        super().__init__(message)


# Annotation names, from https://www.alibabacloud.com/help/en/eci/user-guide/pod-annotations.
ANNOTATION_VSWITCH: Final = "k8s.aliyun.com/eci-vswitch"
ANNOTATION_SCHEDULE_STRATEGY: Final = "k8s.aliyun.com/eci-schedule-strategy"
ANNOTATION_USE_SPECS: Final = "k8s.aliyun.com/eci-use-specs"
ANNOTATION_COMPUTE_CATEGORY: Final = "k8s.aliyun.com/eci-compute-category"
ANNOTATION_SPOT_STRATEGY: Final = "k8s.aliyun.com/eci-spot-strategy"
ANNOTATION_SPOT_PRICE_LIMIT: Final = "k8s.aliyun.com/eci-spot-price-limit"
ANNOTATION_SPOT_DURATION: Final = "k8s.aliyun.com/eci-spot-duration"
ANNOTATION_SPOT_FALLBACK: Final = "k8s.aliyun.com/eci-spot-fallback"
ANNOTATION_FAIL_STRATEGY: Final = "k8s.aliyun.com/eci-fail-strategy"
ANNOTATION_MAX_PENDING_MINUTE: Final = "k8s.aliyun.com/eci-max-pending-minute"
ANNOTATION_CUSTOM_TAGS: Final = "k8s.aliyun.com/eci-custom-tags"
ANNOTATION_RAM_ROLE_NAME: Final = "k8s.aliyun.com/eci-ram-role-name"
ANNOTATION_AUTO_IMAGE_CACHE: Final = "k8s.aliyun.com/eci-auto-imc"
ANNOTATION_IMAGE_CACHE_ID: Final = "k8s.aliyun.com/eci-imc-id"
ANNOTATION_EXTRA_EPHEMERAL_STORAGE: Final = "k8s.aliyun.com/eci-extra-ephemeral-storage"
ANNOTATION_WITH_EIP: Final = "k8s.aliyun.com/eci-with-eip"
ANNOTATION_EIP_BANDWIDTH: Final = "k8s.aliyun.com/eip-bandwidth"
ANNOTATION_INSTANCE_TYPE: Final = "k8s.aliyun.com/eci-instance-type"
"""Legacy annotation pinning an ECS type (https://developer.aliyun.com/ask/275213); read only."""
ANNOTATION_INSTANCE_SPEC: Final = "k8s.aliyun.com/eci-instance-spec"
"""Written by ECI after creation: the billed spec, e.g. ``2.0-4.0Gi``. Pods outside ECI (the
local target) state it themselves (``EciOptions.instance_spec``)."""

SpotStrategy = Literal["SpotAsPriceGo", "SpotWithPriceLimit"]
ComputeCategory = Literal["economy", "general"]
FailStrategy = Literal["fail-back", "fail-over", "fail-fast"]
ScheduleStrategy = Literal["VSwitchOrdered", "VSwitchRandom"]

_SPOT_STRATEGIES: Final[tuple[str, ...]] = get_args(SpotStrategy)
_COMPUTE_CATEGORIES: Final[tuple[str, ...]] = get_args(ComputeCategory)
_FAIL_STRATEGIES: Final[tuple[str, ...]] = get_args(FailStrategy)
_SCHEDULE_STRATEGIES: Final[tuple[str, ...]] = get_args(ScheduleStrategy)

MAX_USE_SPECS: Final = 5
"""Entries ``eci-use-specs`` takes, primary spec included (https://help.aliyun.com/zh/ack/create-an-eci-pod)."""

MAX_VSWITCHES: Final = 10
"""vSwitches ``eci-vswitch`` takes (https://www.alibabacloud.com/help/doc-detail/157290.htm)."""

MAX_CUSTOM_TAGS: Final = 3
"""Tags ``eci-custom-tags`` takes (pod-annotations doc)."""

MAX_PENDING_MINUTES_RANGE: Final = range(10, 1441)
"""Values ``eci-max-pending-minute`` accepts, 10 to 1440; ECI's default is 240."""

MAX_EXTRA_EPHEMERAL_STORAGE_GIB: Final = 32_768 - 30
"""The most ``eci-extra-ephemeral-storage`` may add here. ECI documents no maximum (nor does the
Terraform provider's ``ephemeral_storage``); the bound is the largest cloud disk, 32,768 GiB
(https://www.alibabacloud.com/help/en/elastic-compute-service/latest/block-storage-overview-disks),
which is what ACS says its extra storage is (billed as PL1 ESSD, acs-and-ack-pro.md §2.5), less
the free 30 GiB. It keeps absurd values (10**12 GiB) out of manifests and estimates."""

SPOT_PRICE_LIMIT_DECIMALS: Final = 3
"""Decimal places ``eci-spot-price-limit`` accepts (pod-annotations doc)."""

ECONOMY_MIN_VCPU: Final = Decimal("0.25")
ECONOMY_MAX_VCPU: Final = Decimal(8)
"""The economy compute category exists only from 0.25 to 8 vCPU
(https://help.aliyun.com/document_detail/324246.html)."""

_IMAGE_CACHE_ID_RE: Final = re.compile(r"imc-[a-z0-9]+")
_VSWITCH_ID_RE: Final = re.compile(r"vsw-[a-z0-9]+")
_RAM_ROLE_RE: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class EciOptions:
    """ECI features for a workload's pods, validated, rendered as pod-template annotations.

    Every field's default leaves ECI's own default in place (no annotation is written).
    Problems are reported with the camelCase names users write in the stack config.

    Attributes:
        specs: fallback specs (``specs``), tried in order after the pod's own spec: vCPU-Mem
            specs (``"4-8Gi"``) or ECS types (``"ecs.c6.xlarge"``); at most 5 with the pod's spec.
        spot: spot strategy (``spot``); None runs on-demand.
        spot_price_limit: hourly price cap (``spotPriceLimit``), > 0 with at most 3 decimals;
            required by, and only allowed with, ``SpotWithPriceLimit``.
        spot_duration_hours: protection period (``spotDurationHours``), 0 (none) or >= 1;
            None keeps ECI's default of 1 hour. Spot only.
        spot_fallback: fall back to on-demand when spot stock runs out (``spotFallback``).
            Spot only; False keeps ECI's default (no fallback).
        compute_category: ``economy``/``general`` in order of preference (``computeCategory``);
            economy cannot be spot and exists only for 0.25–8 vCPU.
        image_cache: ``"auto"`` to let ECI match or create an ImageCache, or an ``imc-…`` ID
            (``imageCache``); None keeps ECI's default.
        extra_ephemeral_storage_gib: GiB added to the free 30 GiB of ephemeral storage, billed
            (``ephemeralStorageGib``); None adds nothing.
        with_eip: create and bind an EIP to each pod (``withEip``).
        eip_bandwidth_mbps: that EIP's bandwidth in Mbit/s (``eipBandwidthMbps``); only with
            ``with_eip``; None keeps ECI's default of 5.
        max_pending_minutes: minutes before a pending pod is terminated, 10–1440
            (``maxPendingMinutes``); None keeps ECI's default of 240.
        custom_tags: up to 3 tags put on each ECI instance (``customTags``); keys and values
            must not contain ``,`` or ``:``.
        ram_role: RAM role name the pods assume (``ramRole``).
        fail_strategy: what ECI does when creation fails (``failStrategy``).
        vswitch_ids: vSwitches to create pods in, up to 10 (``vswitchIds``); empty uses the
            eci-profile vSwitches.
        schedule_strategy: how ECI picks among the vSwitches (``scheduleStrategy``).
        instance_spec: also state the pod's spec in ``eci-instance-spec``, as ECI writes it on
            the pods it creates. For pods that do not run on ECI (the local target), so they
            carry what the cloud would bill; not a config key.
    """

    specs: tuple[str, ...] = ()
    spot: SpotStrategy | None = None
    spot_price_limit: Decimal | None = None
    spot_duration_hours: int | None = None
    spot_fallback: bool = False
    compute_category: tuple[ComputeCategory, ...] = ()
    image_cache: Literal["auto"] | str | None = None
    extra_ephemeral_storage_gib: int | None = None
    with_eip: bool = False
    eip_bandwidth_mbps: int | None = None
    max_pending_minutes: int | None = None
    custom_tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    ram_role: str | None = None
    fail_strategy: FailStrategy | None = None
    vswitch_ids: tuple[str, ...] = ()
    schedule_strategy: ScheduleStrategy | None = None
    instance_spec: bool = False

    def __post_init__(self) -> None:
        # Lists are accepted for convenience and frozen; a bare string is a mistake, not a list.
        for name in ("specs", "compute_category", "vswitch_ids"):
            value = getattr(self, name)
            if not isinstance(value, str) and isinstance(value, Iterable):
                object.__setattr__(self, name, tuple(value))
        if isinstance(self.custom_tags, Mapping):
            object.__setattr__(self, "custom_tags", MappingProxyType(dict(self.custom_tags)))
        object.__setattr__(self, "spot_price_limit", _as_decimal(self.spot_price_limit))
        problems = [
            *self._spec_problems(),
            *self._spot_problems(),
            *self._compute_category_problems(),
            *self._misc_problems(),
            *self._network_problems(),
        ]
        if problems:
            raise EciOptionsError(problems)

    @property
    def is_spot(self) -> bool:
        """True when the pods run as spot (preemptible) instances."""
        return self.spot is not None

    def annotations(self, spec: EciSpec | None = None) -> dict[str, str]:
        """The pod-template annotations for these options.

        Args:
            spec: the pod's own spec (e.g. from :func:`billed_spec`), put first in
                ``eci-use-specs`` ahead of :attr:`specs`; None lists only :attr:`specs`.

        Returns:
            Annotation names to string values; options left at their defaults write nothing.

        Raises:
            EciOptionsError: the spec and the fallbacks are more than 5, or the spec conflicts
                with spot or with the economy compute category.
        """
        if spec is not None:
            self._check_primary(spec)
        use_specs = [*([spec.use_specs_value] if spec is not None else []), *self.specs]
        use_specs = list(dict.fromkeys(use_specs))  # the pod's spec may also be a fallback
        if len(use_specs) > MAX_USE_SPECS:
            raise EciOptionsError(
                [
                    f"specs: eci-use-specs takes at most {MAX_USE_SPECS} specs, got "
                    f"{len(use_specs)} (the pod's spec {spec} and {len(use_specs) - 1} fallbacks)"
                ]
            )
        result: dict[str, str] = {}
        if self.vswitch_ids:
            result[ANNOTATION_VSWITCH] = ",".join(self.vswitch_ids)
        if self.schedule_strategy is not None:
            result[ANNOTATION_SCHEDULE_STRATEGY] = self.schedule_strategy
        if use_specs:
            result[ANNOTATION_USE_SPECS] = ",".join(use_specs)
        if self.compute_category:
            result[ANNOTATION_COMPUTE_CATEGORY] = ",".join(self.compute_category)
        if self.spot is not None:
            result[ANNOTATION_SPOT_STRATEGY] = self.spot
        if self.spot_price_limit is not None:
            result[ANNOTATION_SPOT_PRICE_LIMIT] = plain(self.spot_price_limit)
        if self.spot_duration_hours is not None:
            result[ANNOTATION_SPOT_DURATION] = str(self.spot_duration_hours)
        if self.spot_fallback:
            result[ANNOTATION_SPOT_FALLBACK] = "true"
        if self.fail_strategy is not None:
            result[ANNOTATION_FAIL_STRATEGY] = self.fail_strategy
        if self.max_pending_minutes is not None:
            result[ANNOTATION_MAX_PENDING_MINUTE] = str(self.max_pending_minutes)
        if self.custom_tags:
            result[ANNOTATION_CUSTOM_TAGS] = ",".join(
                f"{key}:{value}" for key, value in self.custom_tags.items()
            )
        if self.ram_role is not None:
            result[ANNOTATION_RAM_ROLE_NAME] = self.ram_role
        if self.image_cache == "auto":
            result[ANNOTATION_AUTO_IMAGE_CACHE] = "true"
        elif self.image_cache is not None:
            result[ANNOTATION_IMAGE_CACHE_ID] = self.image_cache
        if self.extra_ephemeral_storage_gib is not None:
            result[ANNOTATION_EXTRA_EPHEMERAL_STORAGE] = f"{self.extra_ephemeral_storage_gib}Gi"
        if self.with_eip:
            result[ANNOTATION_WITH_EIP] = "true"
        if self.eip_bandwidth_mbps is not None:
            result[ANNOTATION_EIP_BANDWIDTH] = str(self.eip_bandwidth_mbps)
        if self.instance_spec and spec is not None:
            result[ANNOTATION_INSTANCE_SPEC] = spec.instance_spec_value
        return result

    # -- validation ---------------------------------------------------------------------------

    def _check_primary(self, spec: EciSpec) -> None:
        problems: list[str] = []
        if self.spot is not None and spec in EXTENDED_SPECS:
            problems.append(
                f"spot: the pod's spec {spec} exists only as an extended spec, which ECI does "
                f"not allow for spot ({self.spot})"
            )
        if "economy" in self.compute_category and not _economy_fits(spec):
            problems.append(
                f"computeCategory: economy supports only {ECONOMY_MIN_VCPU}–{ECONOMY_MAX_VCPU} "
                f"vCPU, the pod's spec {spec} has {plain(spec.cpu)} vCPU"
            )
        if problems:
            raise EciOptionsError(problems)

    def _spec_problems(self) -> list[str]:
        if isinstance(self.specs, str):
            return [f"specs: must be a list of specs, got the string {show(self.specs)}"]
        problems: list[str] = []
        if len(self.specs) > MAX_USE_SPECS:
            problems.append(f"specs: at most {MAX_USE_SPECS} specs, got {len(self.specs)}")
        seen: set[str] = set()
        for entry in self.specs:
            if not isinstance(entry, str):
                problems.append(f"specs: {show(entry)} is not a string")
                continue
            if entry in seen:
                problems.append(f"specs: {show(entry)} is listed twice")
            seen.add(entry)
            if is_ecs_instance_type(entry):
                continue
            try:
                spec = EciSpec.parse(entry)
            except EciSpecError:
                problems.append(
                    f"specs: {show(entry)} is neither a vCPU-Mem spec like "
                    '"2-4Gi" nor an ECS instance type like "ecs.c6.xlarge"'
                )
                continue
            if entry != spec.use_specs_value:
                problems.append(f"specs: write {show(entry)} as {show(spec.use_specs_value)}")
            elif spec not in ALL_REGION_SPECS | EXTENDED_SPECS:
                problems.append(
                    f"specs: {show(entry)} is not an ECI spec "
                    "(see https://help.aliyun.com/document_detail/114662.html)"
                )
            elif spec in EXTENDED_SPECS and self.spot is not None:
                problems.append(
                    f"specs: {show(entry)} exists only as an extended spec, which ECI does not "
                    f"allow for spot ({self.spot})"
                )
            if "economy" in self.compute_category and not _economy_fits(spec):
                problems.append(
                    f"computeCategory: economy supports only {ECONOMY_MIN_VCPU}–"
                    f"{ECONOMY_MAX_VCPU} vCPU, specs entry {show(entry)} has "
                    f"{plain(spec.cpu)} vCPU"
                )
        return problems

    def _spot_problems(self) -> list[str]:
        problems: list[str] = []
        if self.spot is not None and self.spot not in _SPOT_STRATEGIES:
            problems.append(
                f"spot: {show(self.spot)} is not a spot strategy "
                '(expected "SpotAsPriceGo" or "SpotWithPriceLimit")'
            )
        if self.spot == "SpotWithPriceLimit" and self.spot_price_limit is None:
            problems.append("spot: SpotWithPriceLimit requires spotPriceLimit (hourly price cap)")
        if self.spot_price_limit is not None:
            problems.extend(self._price_limit_problems(self.spot_price_limit))
        if self.spot_duration_hours is not None:
            if self.spot is None:
                problems.append("spotDurationHours: only allowed with spot")
            if not _is_int(self.spot_duration_hours) or self.spot_duration_hours < 0:
                problems.append(
                    "spotDurationHours: must be 0 (no protection period) or a whole number of "
                    f"hours >= 1, got {show(self.spot_duration_hours)}"
                )
        if self.spot_fallback is not False:
            if self.spot_fallback is not True:
                problems.append(
                    f"spotFallback: must be true or false, got {show(self.spot_fallback)}"
                )
            elif self.spot is None:
                problems.append("spotFallback: only allowed with spot")
        return problems

    def _price_limit_problems(self, limit: object) -> list[str]:
        problems: list[str] = []
        if self.spot != "SpotWithPriceLimit":
            spot = "unset" if self.spot is None else self.spot
            problems.append(
                f"spotPriceLimit: only allowed with spot: SpotWithPriceLimit (spot is {spot})"
            )
        if not isinstance(limit, Decimal) or not limit.is_finite():
            problems.append(f"spotPriceLimit: must be a decimal number, got {show(limit)}")
        elif limit <= 0:
            problems.append(f"spotPriceLimit: must be greater than 0, got {plain(limit)}")
        elif _decimal_places(limit) > SPOT_PRICE_LIMIT_DECIMALS:
            problems.append(
                f"spotPriceLimit: at most {SPOT_PRICE_LIMIT_DECIMALS} decimal places, "
                f"got {plain(limit)}"
            )
        return problems

    def _compute_category_problems(self) -> list[str]:
        if isinstance(self.compute_category, str):
            return [
                'computeCategory: must be a list such as ["economy", "general"], '
                f"got the string {show(self.compute_category)}"
            ]
        problems: list[str] = []
        seen: set[str] = set()
        for category in self.compute_category:
            if category not in _COMPUTE_CATEGORIES:
                problems.append(
                    f"computeCategory: {show(category)} is not a compute category "
                    '(expected "economy" or "general")'
                )
            elif category in seen:
                problems.append(f"computeCategory: {show(category)} is listed twice")
            seen.add(category)
        if "economy" in seen and self.spot is not None:
            problems.append(
                f"computeCategory: economy cannot be combined with spot ({self.spot}) — "
                "ECI rejects it with FeatureBasedConstraintConflict"
            )
        return problems

    def _misc_problems(self) -> list[str]:
        problems: list[str] = []
        if self.image_cache is not None and not (
            self.image_cache == "auto"
            or (
                isinstance(self.image_cache, str) and _IMAGE_CACHE_ID_RE.fullmatch(self.image_cache)
            )
        ):
            problems.append(
                f'imageCache: {show(self.image_cache)} must be "auto" or an ImageCache ID '
                '(expected "imc-…")'
            )
        if self.extra_ephemeral_storage_gib is not None and not (
            _is_positive_int(self.extra_ephemeral_storage_gib)
            and self.extra_ephemeral_storage_gib <= MAX_EXTRA_EPHEMERAL_STORAGE_GIB
        ):
            problems.append(
                "ephemeralStorageGib: must be a whole number of GiB from 1 to "
                f"{MAX_EXTRA_EPHEMERAL_STORAGE_GIB} (one ESSD of 32768 GiB, 30 of them free), "
                f"got {show(self.extra_ephemeral_storage_gib)}"
            )
        if self.max_pending_minutes is not None and not (
            _is_int(self.max_pending_minutes)
            and self.max_pending_minutes in MAX_PENDING_MINUTES_RANGE
        ):
            problems.append(
                f"maxPendingMinutes: must be between {MAX_PENDING_MINUTES_RANGE.start} and "
                f"{MAX_PENDING_MINUTES_RANGE.stop - 1}, got {show(self.max_pending_minutes)}"
            )
        problems.extend(self._custom_tag_problems())
        if self.ram_role is not None and not (
            isinstance(self.ram_role, str) and _RAM_ROLE_RE.fullmatch(self.ram_role)
        ):
            problems.append(
                f"ramRole: {show(self.ram_role)} is not a RAM role name "
                '(1-64 letters, digits, ".", "_" or "-")'
            )
        if self.fail_strategy is not None and self.fail_strategy not in _FAIL_STRATEGIES:
            problems.append(
                f"failStrategy: {show(self.fail_strategy)} is not a fail strategy "
                '(expected "fail-back", "fail-over" or "fail-fast")'
            )
        return problems

    def _custom_tag_problems(self) -> list[str]:
        if not isinstance(self.custom_tags, Mapping):
            return [
                f"customTags: must be a mapping of tag keys to values, got {show(self.custom_tags)}"
            ]
        problems: list[str] = []
        if len(self.custom_tags) > MAX_CUSTOM_TAGS:
            problems.append(
                f"customTags: at most {MAX_CUSTOM_TAGS} tags, got {len(self.custom_tags)}"
            )
        # The annotation is "k:v,k2:v2", so "," and ":" cannot be escaped inside a tag.
        for key, value in self.custom_tags.items():
            for what, text in (("key", key), ("value", value)):
                if not isinstance(text, str) or not text:
                    problems.append(
                        f"customTags: tag {what} {show(text)} must be a non-empty string"
                    )
                elif "," in text or ":" in text:
                    problems.append(
                        f'customTags: tag {what} {show(text)} must not contain "," or ":"'
                    )
        return problems

    def _network_problems(self) -> list[str]:
        problems: list[str] = []
        if not isinstance(self.with_eip, bool):
            problems.append(f"withEip: must be true or false, got {show(self.with_eip)}")
        if not isinstance(self.instance_spec, bool):
            problems.append(f"instance_spec: must be true or false, got {show(self.instance_spec)}")
        if self.eip_bandwidth_mbps is not None:
            if self.with_eip is not True:
                problems.append("eipBandwidthMbps: only allowed with withEip: true")
            if not _is_positive_int(self.eip_bandwidth_mbps):
                problems.append(
                    "eipBandwidthMbps: must be a whole number of Mbit/s greater than 0, "
                    f"got {show(self.eip_bandwidth_mbps)}"
                )
        if isinstance(self.vswitch_ids, str):
            return [
                *problems,
                "vswitchIds: must be a list of vSwitch IDs, "
                f"got the string {show(self.vswitch_ids)}",
            ]
        if len(self.vswitch_ids) > MAX_VSWITCHES:
            problems.append(
                f"vswitchIds: at most {MAX_VSWITCHES} vSwitches, got {len(self.vswitch_ids)}"
            )
        seen: set[str] = set()
        for vswitch_id in self.vswitch_ids:
            if not isinstance(vswitch_id, str) or not _VSWITCH_ID_RE.fullmatch(vswitch_id):
                problems.append(
                    f'vswitchIds: {show(vswitch_id)} is not a vSwitch ID (expected "vsw-…")'
                )
            elif vswitch_id in seen:
                problems.append(f"vswitchIds: {show(vswitch_id)} is listed twice")
            seen.add(vswitch_id)
        if (
            self.schedule_strategy is not None
            and self.schedule_strategy not in _SCHEDULE_STRATEGIES
        ):
            problems.append(
                f"scheduleStrategy: {show(self.schedule_strategy)} is not a schedule strategy "
                '(expected "VSwitchOrdered" or "VSwitchRandom")'
            )
        return problems


def _economy_fits(spec: EciSpec) -> bool:
    return ECONOMY_MIN_VCPU <= spec.cpu <= ECONOMY_MAX_VCPU


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _as_decimal(value: object) -> object:
    """A price given as int, float or text, as a Decimal; anything else unchanged (and refused)."""
    if isinstance(value, bool | Decimal) or value is None:
        return value
    if isinstance(value, int | str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, float):
        return Decimal(repr(value))  # repr() is the shortest exact text: 0.1 -> "0.1"
    return value


def _decimal_places(number: Decimal) -> int:
    exponent = canonical(number).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def is_spot(annotations: Mapping[str, str] | None) -> bool:
    """Whether pod annotations ask for a spot (preemptible) instance.

    Args:
        annotations: the pod's annotations, or None.

    Returns:
        True when ``k8s.aliyun.com/eci-spot-strategy`` is ``SpotAsPriceGo`` or
        ``SpotWithPriceLimit``.
    """
    if not annotations:
        return False
    return annotations.get(ANNOTATION_SPOT_STRATEGY, "").strip() in _SPOT_STRATEGIES
