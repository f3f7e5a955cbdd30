"""``SparkJob``: a Spark application for the spark-operator, on ECI (``ask:workloads:SparkJob``).

A ``sparkoperator.k8s.io/v1beta2`` ``SparkApplication`` (a ``ScheduledSparkApplication`` when a
schedule is given, which needs spark-operator 2.1 or later for ``timeZone``) plus the
ServiceAccount, Role and RoleBinding the driver needs to create its executors. The operator must
watch the namespace (its ``spark.jobNamespaces``).

ECI: the driver runs on-demand (losing it loses the whole run), the executors on spot with
fallback by default (a lost executor only costs its tasks, which Spark reruns); both pods turn
the image cache on (``k8s.aliyun.com/eci-auto-imc``: Spark images are large, and many executors
start at once). Memory: see :mod:`~ask_components.workloads.spark_sizing` for the overhead rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import pulumi
import pulumi_kubernetes as k8s

from ask_components.arguments.workloads import check_spark_job
from ask_components.workloads import describe as _describe  # registers the preview describers
from ask_components.workloads._base import Quantity, WorkloadArgs, WorkloadChildren
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.pod import (
    TMP_MOUNT,
    TMP_VOLUME,
    container_security_context,
    env_vars,
    pod_security_context,
)
from ask_components.workloads.runtime import AcsOptions, PodRuntime
from ask_components.workloads.spark_sizing import SparkAppType, SparkPodSizing, size_spark_pod

__all__ = [
    "DRIVER_RBAC_RESOURCES",
    "DRIVER_RBAC_VERBS",
    "SPARK_API_VERSION",
    "SparkJob",
    "SparkJobArgs",
    "SparkPod",
]

_ = _describe

SPARK_API_VERSION: Final = "sparkoperator.k8s.io/v1beta2"

DRIVER_RBAC_RESOURCES: Final = ("pods", "services", "configmaps", "persistentvolumeclaims")
DRIVER_RBAC_VERBS: Final = ("create", "get", "list", "watch", "delete")
"""What a Spark driver does in its namespace: start and stop executor pods, the headless
service executors reach it through, config maps for their config, and on-demand PVCs
(https://spark.apache.org/docs/latest/running-on-kubernetes.html#rbac)."""


SparkPodKind = Literal["driver", "executor"]


def _defaults_fit(options: EciOptions, default: EciOptions, runtime: PodRuntime) -> EciOptions:
    """The default options as the runtime can take them (ACS pods have no image cache); options
    a caller chose are kept as given, so an ECI-only choice on ACS is refused, not dropped."""
    return runtime.without_eci_only(options) if options == default else options


def _driver_eci() -> EciOptions:
    return EciOptions(image_cache="auto")


def _executor_eci() -> EciOptions:
    return EciOptions(spot="SpotAsPriceGo", spot_fallback=True, image_cache="auto")


@dataclass(frozen=True)
class SparkPod:
    """The driver or the executors.

    Attributes:
        cores: Spark cores (task slots), >= 1; the pod gets at least as many vCPUs.
        memory: the JVM heap, a quantity; the pod adds the memory overhead.
        instances: the number of executors (ignored for the driver).
    """

    cores: int = 1
    memory: Quantity = "2Gi"
    instances: int = 2


@dataclass(kw_only=True)
class SparkJobArgs(WorkloadArgs):
    """Arguments of a ``SparkJob`` (and every ``WorkloadArgs`` field).

    Attributes:
        image: the Spark image, pinned.
        spark_version: the image's Spark version (``"3.5.5"``).
        main_application_file: the application (``local:///opt/app/etl.jar``, ``oss://…``).
        main_class: the main class (Java and Scala).
        app_type: ``Scala``, ``Java``, ``Python`` or ``R``.
        arguments: the application's arguments.
        spark_conf: ``--conf`` properties.
        driver: the driver's cores and memory.
        executor: the executors' cores, memory and count.
        driver_eci: the driver's ECI options; default on-demand with the image cache.
        executor_eci: the executors' ECI options; default spot with fallback, image cache.
        driver_acs: the driver's ACS options (ACS pods only).
        executor_acs: the executors' ACS options (ACS pods only; spot executors run
            best-effort).
        schedule: 5-field cron: run as a ScheduledSparkApplication; None runs once.
        time_zone: the schedule's IANA time zone.
        concurrency_policy: scheduled runs: ``Forbid``, ``Allow`` or ``Replace``.
    """

    image: str
    spark_version: str
    main_application_file: str
    main_class: str | None = None
    app_type: SparkAppType = "Scala"
    arguments: Sequence[str] = ()
    spark_conf: Mapping[str, str] = field(default_factory=dict)
    driver: SparkPod = field(default_factory=lambda: SparkPod(instances=1))
    executor: SparkPod = field(default_factory=SparkPod)
    driver_eci: EciOptions = field(default_factory=_driver_eci)
    executor_eci: EciOptions = field(default_factory=_executor_eci)
    driver_acs: AcsOptions = field(default_factory=AcsOptions)
    executor_acs: AcsOptions = field(default_factory=AcsOptions)
    schedule: str | None = None
    time_zone: str | None = None
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = "Forbid"

    def default_eci(self, pod: SparkPodKind) -> EciOptions:
        """The ECI options a pod gets when the caller gives none (``driver_eci`` or
        ``executor_eci`` left as they are)."""
        return _driver_eci() if pod == "driver" else _executor_eci()

    def sizing(self, pod: SparkPodKind) -> SparkPodSizing:
        """The driver's or an executor's spec, labels and annotations on ``runtime``."""
        spark_pod, eci, acs = (
            (self.driver, self.driver_eci, self.driver_acs)
            if pod == "driver"
            else (self.executor, self.executor_eci, self.executor_acs)
        )
        return size_spark_pod(
            spark_pod.cores,
            spark_pod.memory,
            app_type=self.app_type,
            region=self.region,
            eci=_defaults_fit(eci, self.default_eci(pod), self.runtime),
            acs=acs,
            runtime=self.runtime,
        )


class SparkJob(pulumi.ComponentResource):
    """A Spark application whose driver and executors are ECI pods.

    Pass the cluster's Kubernetes provider in ``opts`` (``ResourceOptions(provider=...)``).

    Outputs:
        namespace: the namespace.
        billed_spec: the billed specs, ``"driver 1-4Gi, 3x executor 2-8Gi"``.
        driver_spec: the driver's ECI spec; executor_spec: each executor's.
    """

    namespace: str
    billed_spec: str
    driver_spec: str
    executor_spec: str
    driver_sizing: SparkPodSizing
    executor_sizing: SparkPodSizing

    def __init__(
        self, name: str, args: SparkJobArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_spark_job(name, args)
        super().__init__("ask:workloads:SparkJob", name, None, opts)
        self.driver_sizing = args.sizing("driver")
        self.executor_sizing = args.sizing("executor")
        children = WorkloadChildren(self, name, args, "spark")
        self.namespace = args.namespace
        self.driver_spec = self.driver_sizing.spec.use_specs_value
        self.executor_spec = self.executor_sizing.spec.use_specs_value
        self.billed_spec = (
            f"driver {self.driver_spec}, {args.executor.instances}x executor {self.executor_spec}"
        )
        account = f"{name}-spark"
        self.service_account, self.role, self.role_binding = children.service_account_with_role(
            account,
            [
                {
                    "apiGroups": [""],
                    "resources": list(DRIVER_RBAC_RESOURCES),
                    "verbs": list(DRIVER_RBAC_VERBS),
                }
            ],
        )
        application = _application_spec(name, args, self, children, account)
        kind = "SparkApplication"
        spec: dict[str, Any] = application
        if args.schedule is not None:
            kind = "ScheduledSparkApplication"
            spec = {"schedule": args.schedule}
            if args.time_zone is not None:
                spec["timeZone"] = args.time_zone
            spec["concurrencyPolicy"] = args.concurrency_policy
            spec["template"] = application
        self.application = k8s.apiextensions.CustomResource(
            f"{name}-application",
            api_version=SPARK_API_VERSION,
            kind=kind,
            metadata=children.metadata(name),
            spec=spec,
            opts=children.opts(after=[self.role_binding, *args.served_by]),
        )
        self.register_outputs(
            {
                "namespace": self.namespace,
                "billed_spec": self.billed_spec,
                "driver_spec": self.driver_spec,
                "executor_spec": self.executor_spec,
            }
        )


def _pod(
    sizing: SparkPodSizing,
    pod: SparkPod,
    args: SparkJobArgs,
    children: WorkloadChildren,
) -> dict[str, Any]:
    cpu = sizing.spec.cpu_quantity
    result: dict[str, Any] = {
        "cores": pod.cores,
        # requests = limits = the ECI spec, as for every workload.
        "coreRequest": cpu,
        "coreLimit": cpu,
        "memory": sizing.memory,
        "memoryOverhead": sizing.memory_overhead,
        # Not "spark-role": Spark sets it and refuses it as a user label.
        "labels": {**children.labels, **sizing.labels},
        "annotations": dict(sizing.annotations),
    }
    env = env_vars(args.env, children.secret_env_names, children.env_secret_name)
    if env:
        result["env"] = env
    result["podSecurityContext"] = pod_security_context(args.security)
    result["securityContext"] = container_security_context(args.security)
    result["volumeMounts"] = [dict(TMP_MOUNT)]
    return result


def _application_spec(
    name: str,
    args: SparkJobArgs,
    job: SparkJob,
    children: WorkloadChildren,
    account: str,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": args.app_type,
        "sparkVersion": args.spark_version,
        "mode": "cluster",
        "image": args.image,
        "imagePullPolicy": "IfNotPresent",
        "mainApplicationFile": args.main_application_file,
    }
    if args.main_class:
        spec["mainClass"] = args.main_class
    if args.arguments:
        spec["arguments"] = list(args.arguments)
    if args.spark_conf:
        spec["sparkConf"] = dict(args.spark_conf)
    spec["restartPolicy"] = {"type": "Never"}
    spec["volumes"] = [dict(TMP_VOLUME)]
    driver = _pod(job.driver_sizing, args.driver, args, children)
    driver["serviceAccount"] = account
    executor = _pod(job.executor_sizing, args.executor, args, children)
    executor["instances"] = args.executor.instances
    spec["driver"] = driver
    spec["executor"] = executor
    return spec
