"""Turn ``ask:platform.workloads`` into workload components on a target's Kubernetes provider.

The one place config becomes component args for the workloads. It needs only what every target's
``Foundation`` provides (its Kubernetes provider), the validated config and the secret values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s

from ask_components.ingress.base import AlbIngressBase
from ask_components.ingress.expose import ClbIngress
from ask_components.targets import Controllers
from ask_components.workloads.app import (
    Autoscale,
    HttpProbe,
    ScheduledScaling,
    ServerlessApp,
    ServerlessAppArgs,
)
from ask_components.workloads.batch import BatchJob, BatchJobArgs
from ask_components.workloads.ci_runner import CiRunnerPool, CiRunnerPoolArgs
from ask_components.workloads.config import (
    AppConfig,
    BatchJobConfig,
    CiRunnerConfig,
    CronJobConfig,
    PodSettings,
    ProbeConfig,
    SparkJobConfig,
)
from ask_components.workloads.cronjob import ServerlessCronJob, ServerlessCronJobArgs
from ask_components.workloads.defaults import POD_SECURITY_LABELS
from ask_components.workloads.pod import PodSecurity, labels
from ask_components.workloads.runtime import ECI, PodRuntime
from ask_components.workloads.spark import SparkJob, SparkJobArgs, SparkPod

if TYPE_CHECKING:
    from ask_components.config import PlatformConfig

__all__ = ["Workloads", "app_args", "build_workloads", "common_args"]


@dataclass
class Workloads:
    """The workloads of a platform.

    Attributes:
        namespace: the shared Namespace, or None when no workload uses it.
        apps, cron_jobs, batch_jobs, spark_jobs, ci_runners: the components by workload name.
    """

    namespace: k8s.core.v1.Namespace | None = None
    apps: dict[str, ServerlessApp] = field(default_factory=dict)
    cron_jobs: dict[str, ServerlessCronJob] = field(default_factory=dict)
    batch_jobs: dict[str, BatchJob] = field(default_factory=dict)
    spark_jobs: dict[str, SparkJob] = field(default_factory=dict)
    ci_runners: dict[str, CiRunnerPool] = field(default_factory=dict)

    def billed_specs(self) -> dict[str, dict[str, str]]:
        """Kind (as in the config) -> workload name -> billed ECI spec; empty kinds left out."""
        kinds: dict[str, Mapping[str, Any]] = {
            "apps": self.apps,
            "cronJobs": self.cron_jobs,
            "batchJobs": self.batch_jobs,
            "sparkJobs": self.spark_jobs,
            "ciRunners": self.ci_runners,
        }
        return {
            kind: {name: component.billed_spec for name, component in components.items()}
            for kind, components in kinds.items()
            if components
        }


def build_workloads(
    config: PlatformConfig,
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
    secrets: Mapping[str, pulumi.Input[str]],
    *,
    ingress: AlbIngressBase | ClbIngress | None = None,
    runtime: PodRuntime = ECI,
    controllers: Controllers | None = None,
) -> Workloads:
    """Create the configured workloads.

    Args:
        config: the validated platform config.
        provider: the cluster's Kubernetes provider (``Foundation.provider``).
        parent: the parent of every workload (the Platform).
        secrets: full config key (``ask:dbPassword``) -> secret value, for every key
            ``config.workloads.secret_config_keys()`` lists.
        ingress: the platform's ingress, for apps with ``expose`` (the config has checked that
            there is one when an app is exposed).
        runtime: where the pods run (``Foundation.pod_runtime``): ECI or ACS pods, and on the
            local target stating the spec the cloud would bill.
        controllers: what serves the custom resources (``targets.build_controllers``); every
            CronHPA and SparkApplication is made after it.
    """
    workloads = config.workloads
    shared = config.workloads_namespace
    result = Workloads()
    uses_shared = any(workload.namespace is None for _, _, workload in workloads.all())
    if uses_shared:
        result.namespace = k8s.core.v1.Namespace(
            f"{config.name}-workloads-namespace",
            metadata={
                "name": shared,
                "labels": {**labels(shared, "namespace", config.name), **POD_SECURITY_LABELS},
            },
            opts=pulumi.ResourceOptions(parent=parent, provider=provider),
        )

    def opts(settings: PodSettings) -> pulumi.ResourceOptions:
        after = [result.namespace] if settings.namespace is None and result.namespace else []
        return pulumi.ResourceOptions(parent=parent, provider=provider, depends_on=after)

    def common(settings: PodSettings) -> dict[str, Any]:
        return common_args(
            settings,
            region=config.region,
            secret_env={name: secrets[key] for name, key in settings.secret_config_keys().items()},
            shared_namespace=shared,
            part_of=config.name,
            runtime=runtime,
        )

    served = controllers or Controllers()
    zone = config.dns.zone if config.dns is not None else None
    for app in workloads.apps:
        args = app_args(app, common(app), workloads.cron_hpa_time_zone, runtime)
        if app.schedules and served.cron_hpa is not None:
            args.served_by = (served.cron_hpa,)
        if app.expose is not None:
            args.expose, args.ingress, args.private_zone = app.expose, ingress, zone
        result.apps[app.name] = ServerlessApp(app.name, args, opts(app))
    for job in workloads.cron_jobs:
        result.cron_jobs[job.name] = ServerlessCronJob(
            job.name, _cron_args(job, common(job), runtime), opts(job)
        )
    for batch in workloads.batch_jobs:
        result.batch_jobs[batch.name] = BatchJob(
            batch.name, _batch_args(batch, common(batch), runtime), opts(batch)
        )
    for spark in workloads.spark_jobs:
        spark_args = _spark_args(spark, common(spark), runtime)
        if served.spark is not None:
            spark_args.served_by = (served.spark,)
        result.spark_jobs[spark.name] = SparkJob(spark.name, spark_args, opts(spark))
    for runner in workloads.ci_runners:
        result.ci_runners[runner.name] = CiRunnerPool(
            runner.name,
            _runner_args(runner, common(runner), secrets[runner.token_config_key], runtime),
            opts(runner),
        )
    return result


def common_args(
    settings: PodSettings,
    *,
    region: str,
    secret_env: Mapping[str, pulumi.Input[str]],
    shared_namespace: str,
    part_of: str | None,
    runtime: PodRuntime,
) -> dict[str, Any]:
    """The ``WorkloadArgs`` fields of a workload's config: a namespace of its own is created
    with it, else it goes into ``shared_namespace``.

    Args:
        settings: the workload's config.
        region: the region.
        secret_env: env var -> secret value.
        shared_namespace: the namespace of workloads that name none.
        part_of: the ``app.kubernetes.io/part-of`` label.
        runtime: where the pods run.
    """
    return {
        "region": region,
        "env": dict(settings.env),
        "secret_env": dict(secret_env),
        "security": PodSecurity(settings.run_as_user, settings.read_only_root_filesystem),
        "namespace": settings.namespace or shared_namespace,
        "create_namespace": settings.namespace is not None,
        "part_of": part_of,
        "runtime": runtime,
    }


def _probe(probe: ProbeConfig | None) -> HttpProbe | None:
    if probe is None:
        return None
    return HttpProbe(
        path=probe.path,
        port=probe.port,
        initial_delay_seconds=probe.initial_delay_seconds,
        period_seconds=probe.period_seconds,
        timeout_seconds=probe.timeout_seconds,
        failure_threshold=probe.failure_threshold,
    )


def _pod(
    workload: AppConfig | CronJobConfig | BatchJobConfig, runtime: PodRuntime
) -> dict[str, Any]:
    return {
        "image": workload.image,
        "cpu": workload.cpu,
        "memory": workload.memory,
        "command": workload.command,
        "args": workload.args,
        # The kind's ECI defaults an ACS pod cannot take are dropped; the stack file's own were
        # refused by the config.
        "eci": runtime.without_eci_only(workload.eci_options()),
        "acs": workload.acs.options(),
    }


def app_args(
    app: AppConfig, common: dict[str, Any], controller_zone: str, runtime: PodRuntime
) -> ServerlessAppArgs:
    autoscale = app.autoscale
    return ServerlessAppArgs(
        **common,
        **_pod(app, runtime),
        port=app.port,
        service_port=app.service_port,
        replicas=app.replicas or 1,
        autoscale=Autoscale(autoscale.min, autoscale.max, autoscale.target_cpu_percent)
        if autoscale is not None
        else None,
        schedules=[
            ScheduledScaling(job.name, job.schedule, job.target_size, job.run_once)
            for job in app.schedules
        ],
        schedule_time_zone=app.time_zone,
        controller_time_zone=controller_zone,
        readiness=_probe(app.readiness),
        liveness=_probe(app.liveness),
    )


def _cron_args(
    job: CronJobConfig, common: dict[str, Any], runtime: PodRuntime
) -> ServerlessCronJobArgs:
    return ServerlessCronJobArgs(
        **common,
        **_pod(job, runtime),
        schedule=job.schedule,
        time_zone=job.time_zone,
        concurrency_policy=job.concurrency_policy,
        successful_jobs_history_limit=job.successful_jobs_history_limit,
        failed_jobs_history_limit=job.failed_jobs_history_limit,
        starting_deadline_seconds=job.starting_deadline_seconds,
        active_deadline_seconds=job.active_deadline_seconds,
        backoff_limit=job.backoff_limit,
        restart_policy=job.restart_policy,
    )


def _batch_args(batch: BatchJobConfig, common: dict[str, Any], runtime: PodRuntime) -> BatchJobArgs:
    return BatchJobArgs(
        **common,
        **_pod(batch, runtime),
        parallelism=batch.parallelism,
        completions=batch.completions,
        backoff_limit=batch.backoff_limit,
        ttl_seconds_after_finished=batch.ttl_seconds_after_finished,
        active_deadline_seconds=batch.active_deadline_seconds,
        # failFast is already in eci_options() as failStrategy fail-fast.
        fail_fast=False,
        restart_policy=batch.restart_policy,
    )


def _spark_args(spark: SparkJobConfig, common: dict[str, Any], runtime: PodRuntime) -> SparkJobArgs:
    return SparkJobArgs(
        **common,
        image=spark.image,
        spark_version=spark.spark_version,
        main_application_file=spark.main_application_file,
        main_class=spark.main_class,
        app_type=spark.app_type,
        arguments=list(spark.arguments),
        spark_conf=dict(spark.spark_conf),
        driver=SparkPod(spark.driver.cores, spark.driver.memory, 1),
        executor=SparkPod(spark.executor.cores, spark.executor.memory, spark.executor.instances),
        driver_eci=runtime.without_eci_only(spark.driver_options()),
        executor_eci=runtime.without_eci_only(spark.executor_options()),
        driver_acs=spark.acs.options(),
        executor_acs=spark.acs.options(),
        schedule=spark.schedule,
        time_zone=spark.time_zone,
        concurrency_policy=spark.concurrency_policy,
    )


def _runner_args(
    runner: CiRunnerConfig, common: dict[str, Any], token: pulumi.Input[str], runtime: PodRuntime
) -> CiRunnerPoolArgs:
    return CiRunnerPoolArgs(
        **common,
        url=runner.url,
        token=token,
        concurrency=runner.concurrency,
        tags=list(runner.tags),
        image=runner.image,
        cpu=runner.cpu,
        memory=runner.memory,
        job_image=runner.job_image,
        job_cpu=runner.job_cpu,
        job_memory=runner.job_memory,
        job_eci=runtime.without_eci_only(runner.job_options()),
        job_acs=runner.acs.options(),
        pull_policy=runner.pull_policy,
    )
