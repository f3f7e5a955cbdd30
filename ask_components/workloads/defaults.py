"""Defaults shared by the workload config and the components (pure constants)."""

from __future__ import annotations

from typing import Final

DEFAULT_CPU: Final = "0.5"
"""CPU of a workload's pod when unset: 0.5 vCPU, the smallest spec with 1 GiB."""

DEFAULT_MEMORY: Final = "1Gi"
"""Memory of a workload's pod when unset."""

DEFAULT_RUNNER_IMAGE: Final = "gitlab/gitlab-runner:v17.11.3"
"""The GitLab Runner image, pinned to a version tag: a runner upgrade is a decision, and a moving
tag would let two pods of one Deployment run different code."""

DEFAULT_JOB_IMAGE: Final = "alpine:3.20"
"""Image of CI jobs whose ``.gitlab-ci.yml`` names none."""

POD_SECURITY_LABELS: Final = {
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
}
"""Pod Security Admission labels of the namespaces made here: warn and audit (not enforce) at
"restricted", the level every pod made here meets; a pod added by hand that does not shows up
in warnings instead of failing."""
