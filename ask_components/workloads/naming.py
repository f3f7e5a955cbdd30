"""The Kubernetes names a workload's objects get, and the name rules (pure, no Pulumi).

Every object a workload component makes is named from the workload's name with a fixed suffix,
so names are predictable (``kubectl get deploy web``), references between objects are plain
strings known at preview time, and the config can check for clashes before anything is
registered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal

__all__ = [
    "DNS_LABEL_MAX",
    "ENV_SECRET_SUFFIX",
    "RESERVED_NAMESPACES",
    "WorkloadKind",
    "dns_label_problem",
    "env_secret_name",
    "max_name_length",
    "object_names",
]

WorkloadKind = Literal["app", "cronJob", "batchJob", "sparkJob", "ciRunner"]

DNS_LABEL_MAX: Final = 63
"""Longest DNS-1123 label (RFC 1123), the rule for Namespace, Service and most object names."""

_DNS_LABEL_RE: Final = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")

RESERVED_NAMESPACES: Final = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
"""Namespaces that exist in every cluster: a workload never creates (or owns) them."""

# Object names per kind: (Kubernetes kind, suffix appended to the workload name). The secret of a
# workload's secret env and the runner's token exist only when configured; see object_names.
_OBJECTS: Final[Mapping[WorkloadKind, tuple[tuple[str, str], ...]]] = {
    "app": (
        ("Deployment", ""),
        ("Service", ""),
        ("HorizontalPodAutoscaler", ""),
        ("CronHorizontalPodAutoscaler", ""),
        ("PodDisruptionBudget", ""),
    ),
    "cronJob": (("CronJob", ""),),
    "batchJob": (("Job", ""),),
    "sparkJob": (
        ("SparkApplication", ""),
        ("ServiceAccount", "-spark"),
        ("Role", "-spark"),
        ("RoleBinding", "-spark"),
    ),
    "ciRunner": (
        ("Deployment", ""),
        ("ServiceAccount", ""),
        ("Role", ""),
        ("RoleBinding", ""),
        ("ConfigMap", "-config"),
        ("Secret", "-token"),
    ),
}

ENV_SECRET_SUFFIX: Final = "-env"
"""Suffix of the Secret that holds a workload's secret env (``web-env``)."""

# Longest name per kind. Apps, batch jobs: the "-env" Secret must stay a DNS label (63). CronJob:
# the controller appends an 11-character suffix to each Job's name, so Kubernetes caps CronJob
# names at 52 (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/). Spark: the
# operator names the driver pod "<name>-driver" (7 more). CI runner: the "-config" ConfigMap.
_MAX_NAME: Final[Mapping[WorkloadKind, int]] = {
    "app": DNS_LABEL_MAX - len(ENV_SECRET_SUFFIX),
    "cronJob": 52,
    "batchJob": DNS_LABEL_MAX - len(ENV_SECRET_SUFFIX),
    "sparkJob": DNS_LABEL_MAX - len("-driver"),
    "ciRunner": DNS_LABEL_MAX - len("-config"),
}


def max_name_length(kind: WorkloadKind) -> int:
    """The longest name a workload of this kind may have."""
    return _MAX_NAME[kind]


def env_secret_name(name: str) -> str:
    """The name of the Secret holding a workload's secret env."""
    return f"{name}{ENV_SECRET_SUFFIX}"


def object_names(
    kind: WorkloadKind, name: str, *, secret_env: bool = False
) -> tuple[tuple[str, str], ...]:
    """The (Kubernetes kind, name) of every object a workload may make in its namespace.

    Args:
        kind: the workload kind.
        name: the workload's name.
        secret_env: whether the workload has secret env (a ``<name>-env`` Secret).
    """
    names = tuple((object_kind, f"{name}{suffix}") for object_kind, suffix in _OBJECTS[kind])
    if secret_env:
        names += (("Secret", env_secret_name(name)),)
    return names


def dns_label_problem(value: str, *, what: str, max_length: int = DNS_LABEL_MAX) -> str | None:
    """Why ``value`` is not a DNS-1123 label of at most ``max_length`` characters, or None."""
    if not _DNS_LABEL_RE.fullmatch(value):
        return (
            f"{what} {value!r} is not a valid Kubernetes name: lowercase letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    if len(value) > max_length:
        return f"{what} {value!r} is {len(value)} characters long; the limit is {max_length}"
    return None
