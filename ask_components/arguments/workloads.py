"""The workload components' arguments checked with the stack file's workload rules.

``ServerlessAppArgs`` is checked by ``AppConfig``, ``ServerlessCronJobArgs`` by ``CronJobConfig``,
``BatchJobArgs`` by ``BatchJobConfig``, ``SparkJobArgs`` by ``SparkJobConfig`` and
``CiRunnerPoolArgs`` by ``CiRunnerConfig``, with the region and the pod runtime in the validation
context as the stack file passes them: names, quantities, schedules and time zones, probes, ECI
options together with the spec the pod rounds to, ECI-only options on ACS pods.

Where the arguments hold something the stack file names instead (a secret's value rather than
its config key), a stand-in that meets the key rule takes its place: the env var names are
checked, the values are the program's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ask_components.arguments import arg_path, check_arguments, plain, region_problems, valid_region
from ask_components.configbase import ConfigModel
from ask_components.errors import ArgumentError, ConfigProblem
from ask_components.workloads.config import (
    AppConfig,
    BatchJobConfig,
    CiRunnerConfig,
    CronJobConfig,
    SparkJobConfig,
    sizing_problems,
)
from ask_components.workloads.cron import CronError, check_time_zone
from ask_components.workloads.naming import dns_label_problem
from ask_components.workloads.runtime import AcsOptions

if TYPE_CHECKING:
    from ask_components.workloads._base import PodArgs, WorkloadArgs
    from ask_components.workloads.app import ServerlessAppArgs
    from ask_components.workloads.batch import BatchJobArgs
    from ask_components.workloads.ci_runner import CiRunnerPoolArgs
    from ask_components.workloads.cronjob import ServerlessCronJobArgs
    from ask_components.workloads.eci_options import EciOptions
    from ask_components.workloads.spark import SparkJobArgs, SparkPodKind

M = TypeVar("M", bound=ConfigModel)

SECRET_STAND_IN: Final = "ask:argument"
"""Stands in for a secret's config key: a component gets the secret's value instead."""

_WORKLOAD_RENAMES: Final = {
    # The stack file reports a pod no spec holds at the workload itself: here, its cpu.
    "": "cpu",
    "run_as_user": "security.run_as_user",
    "read_only_root_filesystem": "security.read_only_root_filesystem",
    "eci.ephemeral_storage_gib": "eci.extra_ephemeral_storage_gib",
}
"""Config key -> argument path, where the arguments name a key otherwise (every workload)."""


def eci_document(options: EciOptions) -> dict[str, Any]:
    """``EciOptions`` as the stack file's ``eci`` section (``EciConfig``)."""
    document = plain(options)
    document.pop("instance_spec")  # the local target's, not a config key
    document["ephemeral_storage_gib"] = document.pop("extra_ephemeral_storage_gib")
    return {key: value for key, value in document.items() if value is not None}


def _acs_document(options: AcsOptions) -> dict[str, Any]:
    # Only what is set: the stack file refuses an acs section on ECI pods when it names anything.
    return {key: value for key, value in plain(options).items() if value is not None}


def _workload_document(
    name: str, args: WorkloadArgs
) -> tuple[dict[str, Any], list[tuple[str, str]], dict[str, Any]]:
    """What every workload's arguments share: (document, problems outside it, context)."""
    document: dict[str, Any] = {
        "name": name,
        "env": dict(args.env),
        "secret_env": dict.fromkeys(args.secret_env, SECRET_STAND_IN),
        "run_as_user": args.security.run_as_user,
        "read_only_root_filesystem": args.security.read_only_root_filesystem,
    }
    extra = region_problems(args.region)
    if args.create_namespace:
        # A namespace the workload makes is its own: the stack file's rules (no reserved one).
        document["namespace"] = args.namespace
    elif (problem := dns_label_problem(args.namespace, what="namespace")) is not None:
        extra.append(("namespace", problem))
    context = {"region": valid_region(args.region), "runtime": args.runtime}
    return document, extra, context


def _pod_document(name: str, args: PodArgs) -> tuple[dict[str, Any], list[tuple[str, str]], Any]:
    document, extra, context = _workload_document(name, args)
    document.update(
        image=args.image,
        cpu=args.cpu,
        memory=args.memory,
        command=plain(args.command),
        args=plain(args.args),
        eci=eci_document(args.eci),
    )
    if args.acs != AcsOptions():
        document["acs"] = _acs_document(args.acs)
    return document, extra, context


def check_app(name: str, args: ServerlessAppArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a ``ServerlessApp``'s arguments."""
    document, extra, context = _pod_document(name, args)
    document.update(
        port=args.port,
        service_port=args.service_port,
        # With autoscale the HPA owns the count and replicas is ignored (ServerlessAppArgs).
        replicas=args.replicas if args.autoscale is None else None,
        autoscale=plain(args.autoscale),
        schedules=plain(list(args.schedules)),
        time_zone=args.schedule_time_zone,
        readiness=plain(args.readiness),
        liveness=plain(args.liveness),
        expose=args.expose,
    )
    try:
        check_time_zone(args.controller_time_zone)
    except CronError as err:
        extra.append(("controller_time_zone", str(err)))
    if args.expose is not None and args.ingress is None:
        extra.append(("ingress", "expose needs an ingress (an AlbIngress or a ClbIngress)"))
    renames = {**_WORKLOAD_RENAMES, "time_zone": "schedule_time_zone"}
    app = _checked("ServerlessApp", name, AppConfig, document, extra, context, renames)
    if app.schedules:
        # The stack file checks this across its workloads (WorkloadsConfig): the schedules must
        # move into the controller's time zone.
        try:
            app.controller_schedules(args.controller_time_zone)
        except CronError as err:
            raise ArgumentError(
                "ServerlessApp", name, [ConfigProblem("schedules", str(err))]
            ) from None


def check_cron_job(name: str, args: ServerlessCronJobArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a ``ServerlessCronJob``'s
    arguments."""
    document, extra, context = _pod_document(name, args)
    document.update(
        schedule=args.schedule,
        time_zone=args.time_zone,
        concurrency_policy=args.concurrency_policy,
        successful_jobs_history_limit=args.successful_jobs_history_limit,
        failed_jobs_history_limit=args.failed_jobs_history_limit,
        starting_deadline_seconds=args.starting_deadline_seconds,
        active_deadline_seconds=args.active_deadline_seconds,
        backoff_limit=args.backoff_limit,
        restart_policy=args.restart_policy,
        # The arguments' ECI options are the whole choice: no spot default is added to them.
        spot=args.eci.spot is not None,
    )
    _checked("ServerlessCronJob", name, CronJobConfig, document, extra, context)


def check_batch_job(name: str, args: BatchJobArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a ``BatchJob``'s arguments."""
    document, extra, context = _pod_document(name, args)
    document.update(
        parallelism=args.parallelism,
        completions=args.completions,
        backoff_limit=args.backoff_limit,
        ttl_seconds_after_finished=args.ttl_seconds_after_finished,
        active_deadline_seconds=args.active_deadline_seconds,
        fail_fast=args.fail_fast,
        restart_policy=args.restart_policy,
        spot=args.eci.spot is not None,
    )
    _checked("BatchJob", name, BatchJobConfig, document, extra, context)


def check_spark_job(name: str, args: SparkJobArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a ``SparkJob``'s arguments.

    The stack file gives driver and executors one ``eci`` section; the arguments give each its
    own, so each is sized (and checked against the runtime) with its own options, by the
    component's own sizing (``SparkJobArgs.sizing``).
    """
    document, extra, context = _workload_document(name, args)
    document.update(
        image=args.image,
        spark_version=args.spark_version,
        main_application_file=args.main_application_file,
        main_class=args.main_class,
        type=args.app_type,
        arguments=plain(list(args.arguments)),
        spark_conf=dict(args.spark_conf),
        driver=plain(args.driver),
        executor=plain(args.executor),
        executor_spot=False,
        schedule=args.schedule,
        time_zone=args.time_zone,
        concurrency_policy=args.concurrency_policy,
    )
    # Sized below with each pod's own options, not by the model's one eci section.
    context["region"] = None
    pods: tuple[tuple[SparkPodKind, EciOptions], ...] = (
        ("driver", args.driver_eci),
        ("executor", args.executor_eci),
    )
    for pod, options in pods if not extra else ():
        renames = {"eci": f"{pod}_eci", "acs": f"{pod}_acs"}
        # ECI-only options the caller chose, refused on ACS pods (the defaults' image cache is
        # dropped there instead, as the component does).
        eci_only = [
            (arg_path(("eci",), f".{option}", renames=renames), message)
            for option, _, message in (
                text.partition(": ") for text in args.runtime.eci_only_problems(options)
            )
        ]
        if options == args.default_eci(pod):
            eci_only = []
        extra.extend(eci_only)
        if not eci_only:
            extra.extend(
                (arg_path((), sub, renames=renames), message)
                for sub, message in sizing_problems(
                    partial(args.sizing, pod),
                    path=f".{pod}",
                )
            )
    _checked("SparkJob", name, SparkJobConfig, document, extra, context)


def check_ci_runner(name: str, args: CiRunnerPoolArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a ``CiRunnerPool``'s arguments."""
    document, extra, context = _workload_document(name, args)
    document.update(
        url=args.url,
        token_secret=SECRET_STAND_IN,
        concurrency=args.concurrency,
        tags=plain(list(args.tags)),
        image=args.image,
        cpu=args.cpu,
        memory=args.memory,
        job_image=args.job_image,
        job_cpu=args.job_cpu,
        job_memory=args.job_memory,
        pull_policy=args.pull_policy,
        eci=eci_document(args.job_eci),
    )
    if args.job_acs != AcsOptions():
        document["acs"] = _acs_document(args.job_acs)
    renames = {
        **_WORKLOAD_RENAMES,
        "eci.ephemeral_storage_gib": "job_eci.extra_ephemeral_storage_gib",
        "eci": "job_eci",
        "acs": "job_acs",
    }
    _checked("CiRunnerPool", name, CiRunnerConfig, document, extra, context, renames)


def _checked(
    component: str,
    name: str,
    model: type[M],
    document: Mapping[str, Any],
    extra: list[tuple[str, str]],
    context: Mapping[str, Any] | None = None,
    renames: Mapping[str, str] = _WORKLOAD_RENAMES,
) -> M:
    """``check_arguments`` with the workloads' renames."""
    return check_arguments(
        component, name, model, document, context=context, renames=renames, extra=extra
    )
