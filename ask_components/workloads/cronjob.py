"""``ServerlessCronJob``: a Kubernetes CronJob whose pods are ECI instances.

Type token ``ask:workloads:ServerlessCronJob``. Runs on spot by default, **with** fallback to
on-demand: a scheduled run that does not happen (no spot stock in the zone) usually costs more
than the spot discount saves — a report that is not sent, a sync that is a day behind — so the
default pays on-demand prices when it must rather than skip a run. ``eci=EciOptions()`` turns
spot off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

import pulumi
import pulumi_kubernetes as k8s

from ask_components.workloads import describe as _describe  # registers the preview describers
from ask_components.workloads._base import PodArgs, WorkloadChildren
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.pod import (
    PodSizing,
    container,
    env_vars,
    manifest,
    pod_spec,
)

__all__ = [
    "DEFAULT_SPOT_WITH_FALLBACK",
    "ServerlessCronJob",
    "ServerlessCronJobArgs",
    "job_template",
]

_ = _describe

DEFAULT_SPOT_WITH_FALLBACK: Final = EciOptions(spot="SpotAsPriceGo", spot_fallback=True)
"""Spot at the market price (never above on-demand), falling back to on-demand without stock."""

RestartPolicy = Literal["Never", "OnFailure"]


def _spot_with_fallback() -> EciOptions:
    return DEFAULT_SPOT_WITH_FALLBACK


@dataclass(kw_only=True)
class ServerlessCronJobArgs(PodArgs):
    """Arguments of a ``ServerlessCronJob`` (and every ``PodArgs`` field).

    Attributes:
        schedule: 5-field cron (``"30 2 * * *"``) or a descriptor (``@daily``).
        time_zone: the schedule's IANA time zone; the controller's (UTC on ACK) when None.
        concurrency_policy: ``Forbid`` (skip a run while the last one runs), ``Allow`` or
            ``Replace``.
        successful_jobs_history_limit: finished Jobs kept.
        failed_jobs_history_limit: failed Jobs kept.
        starting_deadline_seconds: a run more than this late is skipped; None lets Kubernetes
            count every missed run (and stop scheduling after 100 of them).
        active_deadline_seconds: seconds a run may take; unbounded when None.
        backoff_limit: retries of a failed run (a spot pod taken back is retried too).
        restart_policy: ``Never`` (a new pod per retry) or ``OnFailure`` (restart in place).
        eci: as in ``PodArgs``; default spot with fallback (see the module docs).
    """

    schedule: str
    time_zone: str | None = None
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = "Forbid"
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 1
    starting_deadline_seconds: int | None = 300
    active_deadline_seconds: int | None = None
    backoff_limit: int = 2
    restart_policy: RestartPolicy = "Never"
    eci: EciOptions = field(default_factory=_spot_with_fallback)


def job_template(
    name: str,
    args: PodArgs,
    sizing: PodSizing,
    children: WorkloadChildren,
    restart_policy: RestartPolicy,
) -> dict[str, Any]:
    """The pod template of a Job: one container with the whole ECI spec, ECI annotations."""
    main = container(
        name=name,
        image=args.image,
        spec=sizing.spec,
        security=args.security,
        command=args.command,
        args=args.args,
        env=env_vars(args.env, children.secret_env_names, children.env_secret_name),
    )
    return {
        "metadata": children.template_metadata(sizing),
        "spec": pod_spec([main], args.security, restart_policy=restart_policy),
    }


class ServerlessCronJob(pulumi.ComponentResource):
    """A CronJob on ECI.

    Pass the cluster's Kubernetes provider in ``opts`` (``ResourceOptions(provider=...)``).

    Outputs:
        namespace: the namespace.
        billed_spec: the ECI spec each run's pod is billed as (``"1-2Gi"``).
    """

    namespace: str
    billed_spec: str
    sizing: PodSizing

    def __init__(
        self, name: str, args: ServerlessCronJobArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:workloads:ServerlessCronJob", name, None, opts)
        self.sizing = args.size()
        children = WorkloadChildren(self, name, args, "cronjob")
        self.namespace = args.namespace
        self.billed_spec = self.sizing.use_specs_value
        job_spec: dict[str, Any] = {"backoffLimit": args.backoff_limit}
        if args.active_deadline_seconds is not None:
            job_spec["activeDeadlineSeconds"] = args.active_deadline_seconds
        job_spec["template"] = job_template(name, args, self.sizing, children, args.restart_policy)
        spec: dict[str, Any] = {
            "schedule": args.schedule,
            "concurrencyPolicy": args.concurrency_policy,
            "successfulJobsHistoryLimit": args.successful_jobs_history_limit,
            "failedJobsHistoryLimit": args.failed_jobs_history_limit,
        }
        if args.time_zone is not None:
            spec["timeZone"] = args.time_zone
        if args.starting_deadline_seconds is not None:
            spec["startingDeadlineSeconds"] = args.starting_deadline_seconds
        spec["jobTemplate"] = {"metadata": {"labels": dict(children.labels)}, "spec": job_spec}
        self.cron_job = k8s.batch.v1.CronJob(
            f"{name}-cronjob",
            metadata=children.metadata(name),
            spec=manifest(spec),
            opts=children.opts(),
        )
        self.register_outputs({"namespace": self.namespace, "billed_spec": self.billed_spec})
