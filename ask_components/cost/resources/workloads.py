"""Kubernetes workloads whose pods run on ECI: Deployments, StatefulSets, ReplicaSets, Pods
(always on) and Jobs, CronJobs (per run).

Always-on workloads: replicas from ``spec.replicas`` (default 1) or, when a
HorizontalPodAutoscaler targets the workload (``spec.scaleTargetRef`` kind + name, same
namespace), its ``minReplicas`` (default 1), for 730 hours a month: fixed cost. The usage file's
``average_replicas`` adds the replicas above that baseline as usage-based lines; without it, a
workload with an HPA shows a "depends on usage" line with the price of one more pod-hour.

Jobs and CronJobs: pods per run = ``completions`` (else ``parallelism``, else 1); usage
``monthly_runs × run_seconds`` (how long each pod runs) gives pod-hours, all usage-based. Without
usage the line shows the price of one pod-hour. See :mod:`.eci_pods` for the pod price.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import (
    Pricer,
    PricingContext,
    UsageKey,
    as_count,
    describe,
    dig,
    plural,
    string_map,
)
from ask_components.cost.resources.eci_pods import (
    RUN_KEYS,
    SPOT_KEY,
    always_on_lines,
    monthly_pod_seconds,
    pod_shape,
    run_lines,
)
from ask_components.preview.graph import ResourceNode

ALWAYS_ON_KEYS = (
    UsageKey(
        "average_replicas",
        "average number of pods over the month (default: HPA minReplicas or spec.replicas)",
    ),
    SPOT_KEY,
)


def template_of(spec: Any) -> tuple[Any, dict[str, str], dict[str, str]]:
    """The pod spec, pod-template annotations and labels under a workload's
    ``spec.template``."""
    template = dig(spec, "template")
    return (
        dig(template, "spec"),
        string_map(dig(template, "metadata", "annotations")),
        string_map(dig(template, "metadata", "labels")),
    )


def _kind(node: ResourceNode) -> str:
    return node.type.rsplit(":", 1)[-1]


def price_always_on(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Replicas × 730 hours at the billed pod spec, and more replicas from usage."""
    kind = _kind(node)
    if kind == "Pod":
        pod_spec: Any = node.inputs.get("spec")
        annotations = string_map(dig(node.inputs, "metadata", "annotations"))
        labels = string_map(dig(node.inputs, "metadata", "labels"))
    else:
        pod_spec, annotations, labels = template_of(node.inputs.get("spec"))
    shape = pod_shape(pod_spec, annotations, ctx.region, labels)
    baseline, source, hpa_max = _baseline_replicas(node, ctx, kind)
    lines = always_on_lines(shape, ctx, baseline, note=source)
    average = ctx.usage.get("average_replicas")
    if average is not None:
        extra = average - baseline
        if extra > 0:
            lines += always_on_lines(
                shape,
                ctx,
                extra,
                prefix="Replicas above the baseline: ",
                usage_based=True,
                note=f"average_replicas {describe(average)} (usage file) − {describe(baseline)}",
            )
        elif extra < 0:
            lines[0] = _with_note(
                lines[0],
                f"average_replicas {describe(average)} is below the "
                f"baseline {describe(baseline)}: the baseline is billed",
            )
    elif hpa_max is not None and hpa_max > baseline:
        lines += run_lines(
            shape,
            ctx,
            "Replicas above the HPA minimum",
            None,
            note=f"up to {plural(hpa_max - baseline, 'more pod')}; set "
            "average_replicas in the usage file",
        )
    return lines


def _with_note(line: CostLine, note: str) -> CostLine:
    from dataclasses import replace

    return replace(line, note=f"{line.note}; {note}" if line.note else note)


def _baseline_replicas(
    node: ResourceNode, ctx: PricingContext, kind: str
) -> tuple[Decimal, str, Decimal | None]:
    """(replicas billed all month, where the number came from, HPA maxReplicas or None)."""
    if kind == "Pod":
        return Decimal(1), "", None
    hpa = (
        ctx.index.hpa_for(node, kind)
        if kind in ("Deployment", "StatefulSet", "ReplicaSet")
        else None
    )
    if hpa is not None:
        minimum = as_count(
            dig(hpa.inputs, "spec", "minReplicas"), f"HPA {hpa.name}: spec.minReplicas"
        )
        maximum = as_count(
            dig(hpa.inputs, "spec", "maxReplicas"), f"HPA {hpa.name}: spec.maxReplicas"
        )
        if minimum is None:
            return Decimal(1), f"HPA {hpa.name}: minReplicas not set, 1", maximum
        return minimum, f"HPA {hpa.name} minReplicas", maximum
    raw = dig(node.inputs, "spec", "replicas")
    replicas = as_count(raw, "spec.replicas")
    if replicas is None:
        shown = "not set" if raw is None else f"not known ({raw})"
        return Decimal(1), f"spec.replicas {shown}: 1", None
    return replicas, "spec.replicas", None


def job_pods_per_run(job_spec: Mapping[str, Any] | Any) -> Decimal:
    """Pods one run of a Job creates: ``completions``, else ``parallelism``, else 1."""
    for field in ("completions", "parallelism"):
        value = as_count(dig(job_spec, field), field)
        if value is not None:
            return value
    return Decimal(1)


def price_job(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Pod-hours from ``monthly_runs × run_seconds`` (usage) at the billed pod spec."""
    spec = node.inputs.get("spec")
    job_spec = dig(spec, "jobTemplate", "spec") if _kind(node) == "CronJob" else spec
    pod_spec, annotations, labels = template_of(job_spec)
    shape = pod_shape(pod_spec, annotations, ctx.region, labels)
    pods = job_pods_per_run(job_spec)
    seconds = monthly_pod_seconds(ctx.usage, pods)
    note = f"{plural(pods, 'pod')} per run"
    if seconds is None:
        note += "; set monthly_runs and run_seconds in the usage file"
    return run_lines(shape, ctx, "Job pods", seconds, note=note)


ALWAYS_ON_PRICER = Pricer(
    kind="ECI pods (long-running workload)",
    types=(
        "kubernetes:apps/v1:Deployment",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:apps/v1:ReplicaSet",
        "kubernetes:core/v1:Pod",
    ),
    usage_keys=ALWAYS_ON_KEYS,
    price=price_always_on,
)

JOB_PRICER = Pricer(
    kind="ECI pods (Job / CronJob)",
    types=(
        "kubernetes:batch/v1:Job",
        "kubernetes:batch/v1:CronJob",
        "kubernetes:batch/v1beta1:CronJob",
    ),
    usage_keys=RUN_KEYS,
    price=price_job,
)
