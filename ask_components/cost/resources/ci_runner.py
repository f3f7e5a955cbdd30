"""CI job pods of a GitLab Runner pool (Kubernetes executor) on ECI.

The runner pool's ConfigMap (``kubernetes:core/v1:ConfigMap``) carries the runner's
``config.toml`` (any data key ending in ``.toml`` with a ``[[runners]]`` entry whose ``executor`` is
``kubernetes``). Each CI job runs in one pod: a build container (``cpu_request``/``cpu_limit``,
``memory_request``/``memory_limit``) and the helper container (``helper_cpu_*``,
``helper_memory_*``); pod annotations from ``[runners.kubernetes.pod_annotations]``. Service
containers differ per job and are not counted. The runner's own Deployment is priced like any
Deployment.

Cost per month = ``monthly_runs × run_seconds`` pod-hours at the billed job-pod spec (usage-based,
per runner entry); without usage the line shows the price of one job-pod hour.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import Pricer, PricingContext, string_map
from ask_components.cost.resources.eci_pods import (
    RUN_KEYS,
    monthly_pod_seconds,
    pod_shape,
    run_lines,
)
from ask_components.preview.graph import ResourceNode


def kubernetes_runners(node: ResourceNode) -> list[dict[str, Any]]:
    """The ``[[runners]]`` entries with the kubernetes executor in a ConfigMap's TOML data."""
    data = node.inputs.get("data")
    if not isinstance(data, Mapping):
        return []
    found: list[dict[str, Any]] = []
    for key, text in data.items():
        if not (isinstance(key, str) and key.endswith(".toml") and isinstance(text, str)):
            continue
        if "[[runners]]" not in text:
            continue
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue
        runners = document.get("runners")
        for runner in runners if isinstance(runners, list) else []:
            if isinstance(runner, dict) and runner.get("executor") == "kubernetes":
                found.append(runner)
    return found


def is_runner_config(node: ResourceNode) -> bool:
    """True for a ConfigMap holding a GitLab Runner config with the Kubernetes executor."""
    return bool(kubernetes_runners(node))


def _container(name: str, settings: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    resources: dict[str, dict[str, Any]] = {"requests": {}, "limits": {}}
    for resource in ("cpu", "memory"):
        for kind, suffix in (("requests", "request"), ("limits", "limit")):
            value = settings.get(f"{prefix}{resource}_{suffix}")
            if value not in (None, ""):
                resources[kind][resource] = value
    return {"name": name, "resources": resources}


def job_pod(runner: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The pod spec, annotations and labels of one CI job pod."""
    settings = runner.get("kubernetes")
    settings = settings if isinstance(settings, Mapping) else {}
    spec = {
        "containers": [_container("build", settings, ""), _container("helper", settings, "helper_")]
    }
    return (
        spec,
        string_map(settings.get("pod_annotations")),
        string_map(settings.get("pod_labels")),
    )


def price_ci_jobs(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Job-pod hours from usage for each Kubernetes runner in the config."""
    lines: list[CostLine] = []
    runners = kubernetes_runners(node)
    for index, runner in enumerate(runners):
        pod_spec, annotations, labels = job_pod(runner)
        shape = pod_shape(pod_spec, annotations, ctx.region, labels)
        name = runner.get("name")
        label = "CI job pods" if len(runners) == 1 else f"CI job pods ({name or f'runner {index}'})"
        seconds = monthly_pod_seconds(ctx.usage, Decimal(1))
        note = "" if seconds is not None else "set monthly_runs and run_seconds"
        lines += run_lines(shape, ctx, label, seconds, note=note)
    return lines


PRICER = Pricer(
    kind="ECI pods (CI runner jobs)",
    types=("kubernetes:core/v1:ConfigMap",),
    usage_keys=RUN_KEYS,
    price=price_ci_jobs,
    applies=is_runner_config,
)
