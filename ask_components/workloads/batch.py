"""``BatchJob``: a parallel Kubernetes Job on ECI (``ask:workloads:BatchJob``).

Many pods start at once, so the spec and the spot choice multiply: spot by default, with
fallback to on-demand (a batch that waits for spot stock finishes late; ECI's own default is to
wait). ``fail_fast`` makes ECI report a pod it cannot create straight away
(``k8s.aliyun.com/eci-fail-strategy: fail-fast``) instead of retrying, so the Job's backoff
counts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final

import pulumi
import pulumi_kubernetes as k8s

from ask_components.workloads import describe as _describe  # registers the preview describers
from ask_components.workloads._base import PodArgs, WorkloadChildren
from ask_components.workloads.cronjob import DEFAULT_SPOT_WITH_FALLBACK, RestartPolicy, job_template
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.pod import PodSizing, manifest, size_pod

__all__ = ["SKIP_AWAIT_ANNOTATION", "BatchJob", "BatchJobArgs"]

_ = _describe

SKIP_AWAIT_ANNOTATION: Final = "pulumi.com/skipAwait"
"""pulumi-kubernetes waits for a Job to finish before ``pulumi up`` returns; a batch may run
for hours, so the Job is created and left to run."""


def _spot_with_fallback() -> EciOptions:
    return DEFAULT_SPOT_WITH_FALLBACK


@dataclass(kw_only=True)
class BatchJobArgs(PodArgs):
    """Arguments of a ``BatchJob`` (and every ``PodArgs`` field).

    Attributes:
        parallelism: pods running at once.
        completions: pods that must succeed.
        backoff_limit: failed pods before the Job fails.
        ttl_seconds_after_finished: delete the finished Job after this long; kept when None
            (Pulumi manages the Job: once deleted, a ``pulumi up --refresh`` creates it again).
        active_deadline_seconds: seconds the Job may run; unbounded when None.
        fail_fast: ECI fails a pod it cannot create at once instead of retrying.
        restart_policy: ``Never`` (a new pod per retry) or ``OnFailure``.
        eci: as in ``PodArgs``; default spot with fallback.
    """

    parallelism: int = 1
    completions: int = 1
    backoff_limit: int = 3
    ttl_seconds_after_finished: int | None = None
    active_deadline_seconds: int | None = None
    fail_fast: bool = False
    restart_policy: RestartPolicy = "Never"
    eci: EciOptions = field(default_factory=_spot_with_fallback)


class BatchJob(pulumi.ComponentResource):
    """A parallel Job on ECI.

    Pass the cluster's Kubernetes provider in ``opts`` (``ResourceOptions(provider=...)``).

    Outputs:
        namespace: the namespace.
        billed_spec: the ECI spec each pod is billed as (``"2-4Gi"``).
    """

    namespace: str
    billed_spec: str
    sizing: PodSizing

    def __init__(
        self, name: str, args: BatchJobArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:workloads:BatchJob", name, None, opts)
        eci = args.eci
        if args.fail_fast:
            eci = replace(eci, fail_strategy="fail-fast")
        self.sizing = size_pod(
            args.cpu, args.memory, region=args.region, eci=eci, acs=args.acs, runtime=args.runtime
        )
        children = WorkloadChildren(self, name, args, "batch")
        self.namespace = args.namespace
        self.billed_spec = self.sizing.use_specs_value
        spec: dict[str, Any] = {
            "parallelism": args.parallelism,
            "completions": args.completions,
            "backoffLimit": args.backoff_limit,
        }
        if args.ttl_seconds_after_finished is not None:
            spec["ttlSecondsAfterFinished"] = args.ttl_seconds_after_finished
        if args.active_deadline_seconds is not None:
            spec["activeDeadlineSeconds"] = args.active_deadline_seconds
        spec["template"] = job_template(name, args, self.sizing, children, args.restart_policy)
        self.job = k8s.batch.v1.Job(
            f"{name}-job",
            metadata=children.metadata(name, annotations={SKIP_AWAIT_ANNOTATION: "true"}),
            spec=manifest(spec),
            opts=children.opts(),
        )
        self.register_outputs({"namespace": self.namespace, "billed_spec": self.billed_spec})
