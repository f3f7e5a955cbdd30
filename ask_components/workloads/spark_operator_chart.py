"""The Spark operator's chart: pinned version, repository, values (pure, no Pulumi).

See ``ask_components.workloads.spark_operator`` for why it is the upstream kubeflow chart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "CHART",
    "DEFAULT_NAMESPACE",
    "DEFAULT_REPOSITORY",
    "DEFAULT_VERSION",
    "MIN_VERSION",
    "SparkOperatorArgs",
    "check_operator_version",
    "operator_values",
]

CHART: Final = "spark-operator"
DEFAULT_REPOSITORY: Final = "https://kubeflow.github.io/spark-operator"
"""The chart repository kubeflow/spark-operator publishes (its README, charts/.../README.md)."""

DEFAULT_VERSION: Final = "2.5.2"
"""The newest release (tag v2.5.2, 2026-07-30) when this was pinned."""

MIN_VERSION: Final = (2, 2, 0)
"""ScheduledSparkApplication ``timeZone`` arrived in v2.2.0 (kubeflow/spark-operator PR #2471)."""

DEFAULT_NAMESPACE: Final = "spark-operator"

CONTROLLER_RESOURCES: Final[Mapping[str, Mapping[str, str]]] = {
    "requests": {"cpu": "500m", "memory": "1Gi"},
    "limits": {"cpu": "500m", "memory": "1Gi"},
}
WEBHOOK_RESOURCES: Final[Mapping[str, Mapping[str, str]]] = {
    "requests": {"cpu": "250m", "memory": "512Mi"},
    "limits": {"cpu": "250m", "memory": "512Mi"},
}

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def check_operator_version(version: str) -> str | None:
    """Why ``version`` cannot serve the platform's Spark jobs, or None when it can."""
    match = _VERSION.match(version)
    if match is None:
        return f"{version!r} is not a chart version like {DEFAULT_VERSION}"
    if tuple(int(part) for part in match.groups()) < MIN_VERSION:
        minimum = ".".join(map(str, MIN_VERSION))
        return (
            f"{version} is older than {minimum}: ScheduledSparkApplication's timeZone needs "
            f"spark-operator {minimum} or later"
        )
    return None


@dataclass
class SparkOperatorArgs:
    """Arguments of a ``SparkOperator``.

    Attributes:
        job_namespace_labels: the labels of the namespaces whose Spark applications it serves.
        version: the chart version (>= 2.2.0).
        repository: the chart repository (a mirror, where the default is out of reach).
        image_registry: the registry of the operator's images; the chart's (ghcr.io) when None.
        namespace: where the operator runs (created here).
        pod_labels: labels on the operator's pods (a pod runtime's own, e.g. ACK Pro's
            virtual-node label).
    """

    job_namespace_labels: Mapping[str, str]
    version: str = DEFAULT_VERSION
    repository: str = DEFAULT_REPOSITORY
    image_registry: str | None = None
    namespace: str = DEFAULT_NAMESPACE
    pod_labels: Mapping[str, str] = field(default_factory=dict)


def operator_values(args: SparkOperatorArgs) -> dict[str, Any]:
    """The chart values (pure)."""
    values: dict[str, Any] = {
        "spark": {
            # No fixed list: the selector alone decides (an empty list and no selector would
            # mean every namespace).
            "jobNamespaces": [],
            "jobNamespaceSelector": ",".join(
                f"{key}={value}" for key, value in sorted(args.job_namespace_labels.items())
            ),
            "serviceAccount": {"create": False},
            "rbac": {"create": False},
        },
        "controller": {"resources": _plain(CONTROLLER_RESOURCES)},
        "webhook": {"enable": True, "resources": _plain(WEBHOOK_RESOURCES)},
    }
    if args.pod_labels:
        values["controller"]["labels"] = dict(args.pod_labels)
        values["webhook"]["labels"] = dict(args.pod_labels)
    if args.image_registry is not None:
        values["image"] = {"registry": args.image_registry}
        values["hook"] = {"image": {"registry": args.image_registry}}
    return values


def _plain(resources: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {key: dict(value) for key, value in resources.items()}
