"""What a whole pod is billed as on ECI: the spec ECI creates from its containers and annotations.

Rules: https://help.aliyun.com/document_detail/451261.htm (which values size a pod),
https://www.alibabacloud.com/help/en/eci/user-guide/ignore-specific-containers-during-resource-adjustment
(leaving sidecars out), https://help.aliyun.com/document_detail/114662.html (rounding);
summarised in ask-platform.md 1.2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

from ask_components.workloads._format import show
from ask_components.workloads.eci_options import (
    ANNOTATION_INSTANCE_TYPE,
    ANNOTATION_USE_SPECS,
    is_spot,
)
from ask_components.workloads.eci_specs import (
    DEFAULT_POD_SPEC,
    SMALLEST_SPEC,
    EciSpec,
    EciSpecError,
    is_ecs_instance_type,
    round_spec,
)
from ask_components.workloads.quantity import QuantityError, parse_cpu, parse_memory_gib

__all__ = ["MAX_CONTAINERS", "RESOURCE_IGNORE_ENV", "billed_spec"]

MAX_CONTAINERS: Final = 20
"""Containers ECI accepts in one pod
(https://www.alibabacloud.com/help/en/eci/user-guide/ignore-specific-containers-during-resource-adjustment)."""

RESOURCE_IGNORE_ENV: Final = "__ECI_RESOURCE_IGNORE__"
"""Env var that, set to ``TRUE``, leaves a container out of sizing
(https://www.alibabacloud.com/help/en/eci/user-guide/ignore-specific-containers-during-resource-adjustment)."""


def billed_spec(
    pod_spec: Mapping[str, Any],
    annotations: Mapping[str, str] | None,
    *,
    region: str,
    spot: bool = False,
) -> EciSpec:
    """The vCPU/memory spec ECI creates, and bills, for a pod.

    Rules (https://help.aliyun.com/document_detail/451261.htm, ask-platform.md 1.2):

    1. If ``k8s.aliyun.com/eci-use-specs`` is set, its first entry wins; it is rounded like a
       request, so a supported spec stays as it is.
    2. Otherwise CPU and memory are summed over the regular containers, each resource on its own.
       The documentation covers pods where every container sets limits (sum of limits), only
       requests (sum of requests) or both (limits; requests ignored). For a container that sets
       one but not the other, we read "limits win" per container and per resource: the container
       counts with its limit when it has one, else with its request. This never counts less than
       the documented rule for the same pod.
    3. Containers with env ``__ECI_RESOURCE_IGNORE__=TRUE`` (value case-insensitive) are left out.
    4. Init containers are left out: the documentation sizes pods from their containers only and
       says nothing of init containers.
    5. If no counted container sets CPU or memory (also when every container is ignored), the
       pod gets :data:`DEFAULT_POD_SPEC` (2 vCPU / 4 GiB). If only one of the two is set, the
       other puts no bound on the spec: the rounding picks the smallest spec that holds the one
       that is set (an undocumented case).
    6. The sums are rounded with :func:`round_spec`.

    Args:
        pod_spec: a Kubernetes PodSpec as plain data with manifest (camelCase) keys.
        annotations: the pod's annotations, or None.
        region: the region ID; it decides whether the extended specs are available.
        spot: True for spot pods; a pod whose annotations set ``eci-spot-strategy`` is spot too.

    Returns:
        The spec the pod is created with.

    Raises:
        EciSpecError: the pod pins an ECS instance type (billed as that type, which this function
            does not price), has more than 20 containers, holds a malformed resource value, or
            needs more than the largest spec in the region.
    """
    annotations = annotations or {}
    spot = spot or is_spot(annotations)
    pinned = _pinned_spec(annotations)
    if pinned is not None:
        return round_spec(pinned.cpu, pinned.memory_gib, region=region, spot=spot)
    cpu, memory = _pod_request(pod_spec)
    if cpu is None and memory is None:
        cpu, memory = DEFAULT_POD_SPEC.cpu, DEFAULT_POD_SPEC.memory_gib
    # Every spec has at least SMALLEST_SPEC's vCPUs and memory, so flooring an unset (or zero)
    # resource there is the same as "no requirement" and keeps round_spec's request positive.
    return round_spec(
        max(cpu or Decimal(0), SMALLEST_SPEC.cpu),
        max(memory or Decimal(0), SMALLEST_SPEC.memory_gib),
        region=region,
        spot=spot,
    )


def _pinned_spec(annotations: Mapping[str, str]) -> EciSpec | None:
    """The spec the annotations pin the pod to, or None to size it from its containers."""
    use_specs = annotations.get(ANNOTATION_USE_SPECS, "").strip()
    if use_specs:
        first = use_specs.split(",")[0].strip()
        if is_ecs_instance_type(first):
            raise EciSpecError(
                f"{ANNOTATION_USE_SPECS}: the first entry {show(first)} is an ECS instance type; "
                "ECI bills the pod as that ECS type, which billed_spec does not price or round"
            )
        try:
            return EciSpec.parse(first)
        except EciSpecError as error:
            raise EciSpecError(f"{ANNOTATION_USE_SPECS}: {error}") from None
    # The legacy way to pin an ECS type (https://developer.aliyun.com/ask/275213).
    instance_type = annotations.get(ANNOTATION_INSTANCE_TYPE, "").strip()
    if instance_type:
        raise EciSpecError(
            f"{ANNOTATION_INSTANCE_TYPE}: the pod pins the ECS instance type "
            f"{show(instance_type)}; "
            "ECI bills the pod as that ECS type, which billed_spec does not price or round"
        )
    return None


def _pod_request(pod_spec: Mapping[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    """Sum CPU and memory over the counted containers; None where no container sets it."""
    if not isinstance(pod_spec, Mapping):
        raise EciSpecError(f"pod spec must be a mapping, got {type(pod_spec).__name__}")
    containers = pod_spec.get("containers") or []
    if not isinstance(containers, Sequence) or isinstance(containers, str):
        raise EciSpecError(f"containers must be a list, got {type(containers).__name__}")
    if len(containers) > MAX_CONTAINERS:
        raise EciSpecError(
            f"containers: ECI accepts at most {MAX_CONTAINERS} containers in a pod, "
            f"got {len(containers)}"
        )
    cpu: Decimal | None = None
    memory: Decimal | None = None
    for index, container in enumerate(containers):
        path = f"containers[{index}]"
        if not isinstance(container, Mapping):
            raise EciSpecError(f"{path} must be a mapping, got {type(container).__name__}")
        if _ignored(container):
            continue
        container_cpu = _container_resource(container, "cpu", path)
        container_memory = _container_resource(container, "memory", path)
        if container_cpu is not None:
            cpu = (cpu or Decimal(0)) + container_cpu
        if container_memory is not None:
            memory = (memory or Decimal(0)) + container_memory
    return cpu, memory


def _ignored(container: Mapping[str, Any]) -> bool:
    """Whether the container carries ``__ECI_RESOURCE_IGNORE__=TRUE``."""
    for variable in container.get("env") or []:
        if (
            isinstance(variable, Mapping)
            and variable.get("name") == RESOURCE_IGNORE_ENV
            and isinstance(variable.get("value"), str)
            and variable["value"].strip().upper() == "TRUE"
        ):
            return True
    return False


def _container_resource(
    container: Mapping[str, Any], resource: Literal["cpu", "memory"], path: str
) -> Decimal | None:
    """The container's limit of a resource if set, else its request, else None."""
    resources = container.get("resources") or {}
    if not isinstance(resources, Mapping):
        raise EciSpecError(f"{path}.resources must be a mapping, got {type(resources).__name__}")
    for kind in ("limits", "requests"):
        values = resources.get(kind) or {}
        if not isinstance(values, Mapping):
            raise EciSpecError(
                f"{path}.resources.{kind} must be a mapping, got {type(values).__name__}"
            )
        value = values.get(resource)
        if value is None:
            continue
        name = f"{path}.resources.{kind}.{resource}"
        try:
            if resource == "cpu":
                return parse_cpu(value, name=name)
            return parse_memory_gib(value, name=name)
        except QuantityError as error:
            raise EciSpecError(str(error)) from error
    return None
