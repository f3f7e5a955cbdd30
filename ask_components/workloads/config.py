"""``ask:platform.workloads``: the serverless workloads of a platform, validated once.

Five lists, one per kind: ``apps`` (long-running, autoscaled), ``cronJobs``, ``batchJobs``,
``sparkJobs`` and ``ciRunners``. Every rule that can be checked before deploying is checked here,
each problem with its config path: names (DNS-1123 labels, unique per kind, no two objects of
the same kind and name in a namespace), quantities, schedules and time zones, and the ECI options
*together with the spec the pod rounds to* (``eci.specs`` plus the pod's own spec stay within 5,
economy excludes spot and large specs, spot excludes the extended specs).

Secret env (``secretEnv: {DB_PASSWORD: dbPassword}``) names config keys of namespace ``ask``
whose values are Pulumi secrets; :meth:`WorkloadsConfig.secret_config_keys` lists them so the
program layer can check and read them (``config.secret_config_problems``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Annotated, ClassVar, Final, Literal, cast

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from ask_components.configbase import ConfigModel, Problems
from ask_components.ingress.config import ExposeConfig
from ask_components.workloads.acs_specs import AcsSpecError
from ask_components.workloads.cron import CronError, check_schedule, check_time_zone, to_time_zone
from ask_components.workloads.defaults import (
    DEFAULT_CPU,
    DEFAULT_JOB_IMAGE,
    DEFAULT_MEMORY,
    DEFAULT_RUNNER_IMAGE,
)
from ask_components.workloads.eci_options import (
    ComputeCategory,
    EciOptions,
    EciOptionsError,
    FailStrategy,
    ScheduleStrategy,
    SpotStrategy,
)
from ask_components.workloads.eci_specs import EciSpecError
from ask_components.workloads.naming import (
    RESERVED_NAMESPACES,
    WorkloadKind,
    dns_label_problem,
    max_name_length,
    object_names,
)
from ask_components.workloads.pod import DEFAULT_RUN_AS_USER, size_pod
from ask_components.workloads.quantity import QuantityError, parse_cpu, parse_memory_gib
from ask_components.workloads.runtime import (
    ECI,
    AcsOptions,
    AcsOptionsError,
    ComputeClass,
    ComputeQos,
    PodRuntime,
    PodSizing,
)
from ask_components.workloads.spark_operator_chart import (
    DEFAULT_REPOSITORY as SPARK_OPERATOR_REPOSITORY,
)
from ask_components.workloads.spark_operator_chart import DEFAULT_VERSION as SPARK_OPERATOR_VERSION
from ask_components.workloads.spark_operator_chart import check_operator_version
from ask_components.workloads.spark_sizing import SparkAppType, SparkPodSizing, size_spark_pod

__all__ = [
    "DEFAULT_CPU",
    "DEFAULT_CRONHPA_TIME_ZONE",
    "DEFAULT_MEMORY",
    "DEFAULT_RUNNER_IMAGE",
    "AppConfig",
    "AutoscaleConfig",
    "BatchJobConfig",
    "CiRunnerConfig",
    "CronJobConfig",
    "EciConfig",
    "ProbeConfig",
    "ScheduleConfig",
    "SparkJobConfig",
    "SparkPodConfig",
    "WorkloadsConfig",
]

DEFAULT_CRONHPA_TIME_ZONE: Final = "UTC"
"""The time zone the CronHPA controller runs schedules in when unset: a container without ``TZ``
runs in UTC (the controller uses its local time; see ``workloads/cron.py``)."""

DEFAULT_SPOT_STRATEGY: Final[SpotStrategy] = "SpotAsPriceGo"
"""Spot strategy of workloads that run on spot by default: pay the market price, never above
the on-demand price (https://www.alibabacloud.com/help/en/eci/user-guide/create-a-preemptible-elastic-container-instance-1)."""

_ENV_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONFIG_KEY_RE: Final = re.compile(r"(?:ask:)?[A-Za-z][A-Za-z0-9_.-]*")
_URL_RE: Final = re.compile(r"https?://[^\s/$.?#][^\s]*")
_SPARK_VERSION_RE: Final = re.compile(r"\d+\.\d+\.\d+")
_TAG_RE: Final = re.compile(r"[^\s,]+")
CONFIG_NAMESPACE: Final = "ask"


def _quantity(kind: Literal["cpu", "memory"]) -> Callable[[object], str]:
    parse = parse_cpu if kind == "cpu" else parse_memory_gib

    def check(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise QuantityError(f"{kind} {value!r} is not a Kubernetes quantity")
        if parse(value, name=kind) == 0:
            raise ValueError(f"{kind} must be greater than 0, got {value!r}")
        return value if isinstance(value, str) else str(value)

    return check


Cpu = Annotated[str, BeforeValidator(_quantity("cpu"))]
Memory = Annotated[str, BeforeValidator(_quantity("memory"))]


def _time_zone(zone: str | None) -> str | None:
    if zone is not None:
        check_time_zone(zone)
    return zone


TimeZone = Annotated[str | None, BeforeValidator(_time_zone)]


def _check_namespace(namespace: str | None) -> str | None:
    if namespace is None:
        return None
    problem = dns_label_problem(namespace, what="namespace")
    if problem:
        raise ValueError(problem)
    if namespace in RESERVED_NAMESPACES or namespace.startswith("kube-"):
        raise ValueError(f"namespace {namespace!r} is reserved; name a namespace of your own")
    return namespace


class EciConfig(ConfigModel):
    """``eci``: ECI features of a workload's pods (see ``EciOptions`` for every rule)."""

    specs: list[str] = Field(
        default_factory=list,
        description='Fallback specs after the pod\'s own ("4-8Gi", "ecs.c6.xlarge"); at most '
        "4, since the pod's spec comes first and eci-use-specs takes 5.",
    )
    spot: str | None = Field(
        None,
        description="SpotAsPriceGo or SpotWithPriceLimit; unset: on-demand (cronJobs, batchJobs, "
        "Spark executors: SpotAsPriceGo unless their spot is false).",
    )
    spot_price_limit: Decimal | None = Field(
        None, description="Hourly price cap, with SpotWithPriceLimit only."
    )
    spot_duration_hours: int | None = Field(
        None, description="Spot protection period in hours (0 = none); ECI's default is 1."
    )
    spot_fallback: bool | None = Field(
        None, description="Fall back to on-demand when spot stock runs out; default true on spot."
    )
    compute_category: list[str] = Field(
        default_factory=list, description="economy and/or general, in order; economy is not spot."
    )
    image_cache: str | None = Field(None, description='"auto" or an ImageCache id (imc-…).')
    ephemeral_storage_gib: int | None = Field(
        None, description="Extra ephemeral storage (GiB) on top of the free 30 GiB, billed."
    )
    with_eip: bool = Field(False, description="Give each pod its own EIP.")
    eip_bandwidth_mbps: int | None = Field(None, description="That EIP's bandwidth (Mbit/s).")
    max_pending_minutes: int | None = Field(
        None, description="Minutes a pod may stay pending before ECI gives up (10–1440)."
    )
    custom_tags: dict[str, str] = Field(
        default_factory=dict, description="Up to 3 tags on each ECI instance (cost allocation)."
    )
    ram_role: str | None = Field(None, description="RAM role the pods assume.")
    fail_strategy: str | None = Field(None, description="fail-back, fail-over or fail-fast.")
    vswitch_ids: list[str] = Field(
        default_factory=list, description="vSwitches for the pods; default: the eci-profile's."
    )
    schedule_strategy: str | None = Field(
        None, description="VSwitchOrdered or VSwitchRandom (with vswitchIds)."
    )

    def options(
        self,
        *,
        spot_default: bool = False,
        image_cache: str | None = None,
        fail_strategy: str | None = None,
        on_demand: bool = False,
    ) -> EciOptions:
        """These options as ``EciOptions``.

        Args:
            spot_default: use :data:`DEFAULT_SPOT_STRATEGY` when ``spot`` is unset.
            image_cache: the image cache when ``imageCache`` is unset.
            fail_strategy: the fail strategy when ``failStrategy`` is unset.
            on_demand: drop every spot setting (the Spark driver).

        Raises:
            EciOptionsError: the options are invalid or conflict.
        """
        spot = (
            self.spot
            if self.spot is not None
            else (DEFAULT_SPOT_STRATEGY if spot_default else None)
        )
        if on_demand:
            spot = None
        fallback = self.spot_fallback if self.spot_fallback is not None else spot is not None
        return EciOptions(
            specs=tuple(self.specs),
            spot=cast(SpotStrategy | None, spot),
            spot_price_limit=None if on_demand else self.spot_price_limit,
            spot_duration_hours=None if on_demand else self.spot_duration_hours,
            spot_fallback=False if on_demand else fallback,
            compute_category=cast(tuple[ComputeCategory, ...], tuple(self.compute_category)),
            image_cache=self.image_cache if self.image_cache is not None else image_cache,
            extra_ephemeral_storage_gib=self.ephemeral_storage_gib,
            with_eip=self.with_eip,
            eip_bandwidth_mbps=self.eip_bandwidth_mbps,
            max_pending_minutes=self.max_pending_minutes,
            custom_tags=dict(self.custom_tags),
            ram_role=self.ram_role,
            fail_strategy=cast(
                FailStrategy | None,
                self.fail_strategy if self.fail_strategy is not None else fail_strategy,
            ),
            vswitch_ids=tuple(self.vswitch_ids),
            schedule_strategy=cast(ScheduleStrategy | None, self.schedule_strategy),
        )


class AcsConfig(ConfigModel):
    """``acs``: ACS features of a workload's pods (ACS pods only: cluster.kind acs, or ack-pro
    with serverlessPods acs). Written as pod-template labels, never in a selector."""

    compute_class: ComputeClass | None = Field(
        None, description="general-purpose (ACS's default) or performance."
    )
    compute_qos: ComputeQos | None = Field(
        None,
        description="default or best-effort (preemptible, 5-minute notice); unset: best-effort "
        "for spot workloads, else default.",
    )

    def options(self) -> AcsOptions:
        """These options as ``AcsOptions``."""
        return AcsOptions(self.compute_class, self.compute_qos)


class PodSettings(ConfigModel):
    """What every workload has: a name, and settings its pods share."""

    KIND: ClassVar[WorkloadKind] = "app"

    name: str = Field(description="Name of the workload and its Kubernetes objects (DNS label).")
    env: dict[str, str] = Field(default_factory=dict, description="Env vars (name -> value).")
    secret_env: dict[str, str] = Field(
        default_factory=dict,
        description="Env vars from secrets: name -> config key of namespace ask whose value is a "
        "Pulumi secret (pulumi config set --secret ask:<key> …). Kept in a Kubernetes Secret.",
    )
    eci: EciConfig = Field(default_factory=lambda: EciConfig(), description="ECI options.")
    acs: AcsConfig = Field(
        default_factory=lambda: AcsConfig(),
        description="ACS options (compute class and QoS), for ACS pods only.",
    )
    namespace: str | None = Field(
        None,
        description="A namespace of the workload's own, created with it; unset: the platform's "
        "shared namespace (workloads.namespace).",
    )
    run_as_user: int = Field(
        DEFAULT_RUN_AS_USER, ge=1, description="UID the containers run as (never root)."
    )
    read_only_root_filesystem: bool = Field(
        True, description="Mount the image read-only (/tmp stays writable); false to opt out."
    )

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        problem = dns_label_problem(name, what="name", max_length=max_name_length(cls.KIND))
        if problem:
            raise ValueError(problem)
        return name

    @field_validator("env", "secret_env")
    @classmethod
    def _env_names(cls, env: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        problems = [
            (f".{name}", f"{name!r} is not an env var name (letters, digits and '_')")
            for name in env
            if not _ENV_NAME_RE.fullmatch(name)
        ]
        if info.field_name == "secret_env":
            problems.extend(
                (
                    f".{name}",
                    f"{key!r} is not a config key of namespace {CONFIG_NAMESPACE} "
                    "(e.g. dbPassword or ask:dbPassword)",
                )
                for name, key in env.items()
                if not _CONFIG_KEY_RE.fullmatch(key)
            )
        if problems:
            raise Problems(problems)
        return env

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, namespace: str | None) -> str | None:
        return _check_namespace(namespace)

    @model_validator(mode="after")
    def _env_once(self) -> PodSettings:
        both = [name for name in self.secret_env if name in self.env]
        if both:
            raise Problems(
                [(f".secretEnv.{name}", f"{name} is also set in env; keep one") for name in both]
            )
        return self

    def secret_config_keys(self) -> dict[str, str]:
        """Env var -> full config key (``ask:dbPassword``) of each secret env var."""
        return {
            name: key if key.startswith(f"{CONFIG_NAMESPACE}:") else f"{CONFIG_NAMESPACE}:{key}"
            for name, key in self.secret_env.items()
        }


def _region(info: ValidationInfo) -> str | None:
    region = (info.context or {}).get("region")
    return region if isinstance(region, str) else None


def _runtime(info: ValidationInfo) -> PodRuntime:
    """The cluster's pod runtime (``PlatformConfig`` puts it in the validation context)."""
    runtime = (info.context or {}).get("runtime")
    return runtime if isinstance(runtime, PodRuntime) else ECI


def _runtime_problems(settings: PodSettings, runtime: PodRuntime) -> list[tuple[str, str]]:
    """ECI options the stack file sets that the runtime cannot take, and acs options on ECI."""
    problems: list[tuple[str, str]] = []
    if runtime.kind == "eci" and settings.acs.model_fields_set:
        problems.append(
            (
                ".acs",
                "ACS options apply to ACS pods only (cluster.kind acs, or ack-pro with "
                "serverlessPods acs); this cluster runs ECI pods: remove acs",
            )
        )
    try:
        own = settings.eci.options()
    except EciOptionsError:
        return problems  # reported with the options' own rules
    for text in runtime.eci_only_problems(own):
        option, _, message = text.partition(": ")
        problems.append((f".eci.{option}", message))
    return problems


def _eci_problem(error: EciOptionsError, *, hint: str = "") -> list[tuple[str, str]]:
    """EciOptionsError problems ("computeCategory: …") as (".eci.computeCategory", "…")."""
    problems = []
    for text in error.problems:
        option, _, message = text.partition(": ")
        problems.append((f".eci.{option}", message + (hint if "spot" in message else "")))
    return problems


def _size(
    build: Callable[[], PodSizing | SparkPodSizing],
    *,
    path: str = "",
    label: str = "",
    hint: str = "",
) -> list[tuple[str, str]]:
    """Problems of sizing a pod (no spec large enough, options in conflict with the spec)."""
    try:
        build()
    except EciOptionsError as error:
        return [(sub, label + message) for sub, message in _eci_problem(error, hint=hint)]
    except AcsOptionsError as error:
        return [
            (f".acs.{option}" if option != "acs" else ".acs", label + message)
            for option, _, message in (text.partition(": ") for text in error.problems)
        ]
    except (EciSpecError, AcsSpecError) as error:
        return [(path, label + str(error))]
    return []


def _spot_hint(kind: str, defaulted: bool) -> str:
    return f" ({kind} run on spot by default: set spot: false)" if defaulted else ""


class _Workload(PodSettings):
    """A workload with a name, an image and one main container."""

    image: str = Field(min_length=1, description="Container image, pinned (registry/repo:tag).")
    command: list[str] | None = Field(None, description="Entrypoint override.")
    args: list[str] | None = Field(None, description="Arguments.")
    cpu: Cpu = Field(DEFAULT_CPU, description="vCPUs (quantity); rounded up to an ECI spec.")
    memory: Memory = Field(DEFAULT_MEMORY, description="Memory (quantity); rounded up likewise.")

    def eci_options(self) -> EciOptions:
        """The ECI options of the pods (defaults of the kind applied)."""
        return self.eci.options()

    def sizing(self, region: str, runtime: PodRuntime = ECI) -> PodSizing:
        """The pod's spec, labels and annotations in ``region`` on ``runtime``."""
        return size_pod(
            self.cpu,
            self.memory,
            region=region,
            eci=runtime.without_eci_only(self.eci_options()),
            acs=self.acs.options(),
            runtime=runtime,
        )

    def _sizing_problems(self, info: ValidationInfo, hint: str = "") -> list[tuple[str, str]]:
        try:
            self.eci_options()
        except EciOptionsError as error:
            return _eci_problem(error, hint=hint)
        runtime = _runtime(info)
        problems = _runtime_problems(self, runtime)
        region = _region(info)
        if problems or region is None:
            return problems
        return _size(lambda: self.sizing(region, runtime), hint=hint)


class AutoscaleConfig(ConfigModel):
    """``autoscale``: a HorizontalPodAutoscaler on CPU."""

    min: int = Field(ge=1, description="Fewest replicas (also the baseline the cost is priced at).")
    max: int = Field(ge=1, description="Most replicas.")
    target_cpu_percent: int = Field(
        70, ge=1, le=100, description="Average CPU use (% of the pod's spec) to scale at."
    )

    @model_validator(mode="after")
    def _bounds(self) -> AutoscaleConfig:
        if self.min > self.max:
            raise Problems([(".min", f"min {self.min} is above max {self.max}")])
        return self


class ScheduleConfig(ConfigModel):
    """One scheduled scaling job of a CronHPA."""

    name: str = Field(description="Job name, unique within the app (DNS label).")
    schedule: str = Field(
        description='6-field cron, seconds first ("0 0 8 * * 1-5"), in the app\'s timeZone.'
    )
    target_size: int = Field(ge=1, description="The HPA's min replicas from then on.")
    run_once: bool = Field(False, description="Run once, then never again.")

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        problem = dns_label_problem(name, what="name")
        if problem:
            raise ValueError(problem)
        return name

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, schedule: str) -> str:
        check_schedule(schedule, seconds=True)
        return schedule


class ProbeConfig(ConfigModel):
    """An HTTP probe."""

    path: str = Field(description="HTTP path, e.g. /healthz.")
    port: int | None = Field(None, ge=1, le=65535, description="Port; default: the app's port.")
    initial_delay_seconds: int = Field(0, ge=0, description="Wait before the first probe.")
    period_seconds: int = Field(10, ge=1, description="Seconds between probes.")
    timeout_seconds: int = Field(1, ge=1, description="Seconds before a probe times out.")
    failure_threshold: int = Field(3, ge=1, description="Failures in a row that count.")

    @field_validator("path")
    @classmethod
    def _path(cls, path: str) -> str:
        if not path.startswith("/"):
            raise ValueError(f"probe path {path!r} must start with /")
        return path


class AppConfig(_Workload):
    """``apps[]``: a long-running service (Deployment, Service, HPA, CronHPA, PDB)."""

    port: int = Field(8080, ge=1, le=65535, description="Port the container listens on.")
    service_port: int = Field(80, ge=1, le=65535, description="Port of the ClusterIP Service.")
    replicas: int | None = Field(
        None, ge=1, description="Fixed replica count (default 1); exclusive with autoscale."
    )
    autoscale: AutoscaleConfig | None = Field(None, description="HPA on CPU.")
    schedules: list[ScheduleConfig] = Field(
        default_factory=list, description="Scheduled scaling (CronHPA); needs autoscale."
    )
    time_zone: TimeZone = Field(
        None,
        description="Time zone of schedules (e.g. Asia/Shanghai); default: the CronHPA "
        "controller's (workloads.cronHpaTimeZone).",
    )
    readiness: ProbeConfig | None = Field(None, description="HTTP readiness probe.")
    liveness: ProbeConfig | None = Field(None, description="HTTP liveness probe.")
    expose: ExposeConfig | None = Field(
        None,
        description="Serve it through the platform ingress ({host, path, public, annotations}); "
        "the ALB's health check follows the readiness probe.",
    )

    KIND: ClassVar[WorkloadKind] = "app"

    @property
    def min_replicas(self) -> int:
        """Replicas at rest: autoscale.min, else replicas, else 1."""
        if self.autoscale is not None:
            return self.autoscale.min
        return self.replicas or 1

    @model_validator(mode="after")
    def _app_rules(self, info: ValidationInfo) -> AppConfig:
        problems = self._sizing_problems(info)
        if self.replicas is not None and self.autoscale is not None:
            problems.append(
                (
                    ".replicas",
                    "replicas and autoscale exclude each other: with autoscale the HPA owns the "
                    "replica count (autoscale.min is the floor)",
                )
            )
        if self.schedules and self.autoscale is None:
            problems.append(
                (
                    ".schedules",
                    "scheduled scaling needs autoscale: the CronHPA moves the HPA's min "
                    "replicas (set autoscale: {min, max})",
                )
            )
        seen: set[str] = set()
        for index, job in enumerate(self.schedules):
            if job.name in seen:
                problems.append((f".schedules[{index}].name", f"{job.name} is listed twice"))
            seen.add(job.name)
            if self.autoscale is not None and job.target_size > self.autoscale.max:
                problems.append(
                    (
                        f".schedules[{index}].targetSize",
                        f"{job.target_size} is above autoscale.max {self.autoscale.max}",
                    )
                )
        if problems:
            raise Problems(problems)
        return self

    def controller_schedules(self, controller_zone: str) -> list[ScheduleConfig]:
        """The schedules moved into the CronHPA controller's time zone."""
        source = self.time_zone or controller_zone
        return [
            job.model_copy(
                update={
                    "schedule": to_time_zone(job.schedule, source=source, target=controller_zone)
                }
            )
            for job in self.schedules
        ]


class CronJobConfig(_Workload):
    """``cronJobs[]``: a Kubernetes CronJob, on spot with on-demand fallback by default."""

    schedule: str = Field(description='5-field cron ("30 2 * * *") or @daily, @hourly, ….')
    time_zone: TimeZone = Field(
        None, description="Time zone of the schedule (Asia/Shanghai); default: the controller's."
    )
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = Field(
        "Forbid", description="What to do when a run is due while the last still runs."
    )
    successful_jobs_history_limit: int = Field(3, ge=0, description="Finished Jobs kept.")
    failed_jobs_history_limit: int = Field(1, ge=0, description="Failed Jobs kept.")
    starting_deadline_seconds: int | None = Field(
        300,
        ge=1,
        description="A run more than this late is skipped (unset: Kubernetes counts every "
        "missed run and stops scheduling after 100).",
    )
    active_deadline_seconds: int | None = Field(
        None, ge=1, description="Seconds a run may take before it is stopped."
    )
    backoff_limit: int = Field(2, ge=0, description="Retries of a failed run.")
    restart_policy: Literal["Never", "OnFailure"] = Field(
        "Never", description="Never: a new pod per retry; OnFailure: restart in place."
    )
    spot: bool = Field(True, description="Run on spot with fallback to on-demand.")

    KIND: ClassVar[WorkloadKind] = "cronJob"

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, schedule: str) -> str:
        check_schedule(schedule, seconds=False)
        return schedule

    def eci_options(self) -> EciOptions:
        return self.eci.options(spot_default=self.spot)

    @model_validator(mode="after")
    def _cron_rules(self, info: ValidationInfo) -> CronJobConfig:
        problems = _spot_conflict(self.spot, self.eci)
        problems += self._sizing_problems(info, _spot_hint("cronJobs", self._spot_defaulted()))
        if problems:
            raise Problems(problems)
        return self

    def _spot_defaulted(self) -> bool:
        return self.spot and self.eci.spot is None


def _spot_conflict(spot: bool, eci: EciConfig) -> list[tuple[str, str]]:
    if not spot and eci.spot is not None:
        return [(".spot", f"spot: false conflicts with eci.spot: {eci.spot}; remove one")]
    return []


class BatchJobConfig(_Workload):
    """``batchJobs[]``: a parallel Kubernetes Job, on spot with on-demand fallback by default."""

    parallelism: int = Field(1, ge=1, description="Pods running at once.")
    completions: int = Field(1, ge=1, description="Pods that must succeed.")
    backoff_limit: int = Field(3, ge=0, description="Failed pods before the Job fails.")
    ttl_seconds_after_finished: int | None = Field(
        None,
        ge=0,
        description="Delete the finished Job after this long (a later `pulumi up --refresh` "
        "then runs it again).",
    )
    active_deadline_seconds: int | None = Field(
        None, ge=1, description="Seconds the Job may run before it is stopped."
    )
    fail_fast: bool = Field(
        False, description="ECI reports a pod it cannot create at once instead of retrying."
    )
    restart_policy: Literal["Never", "OnFailure"] = Field("Never", description="Pod restarts.")
    spot: bool = Field(True, description="Run on spot with fallback to on-demand.")

    KIND: ClassVar[WorkloadKind] = "batchJob"

    def eci_options(self) -> EciOptions:
        return self.eci.options(
            spot_default=self.spot, fail_strategy="fail-fast" if self.fail_fast else None
        )

    @model_validator(mode="after")
    def _batch_rules(self, info: ValidationInfo) -> BatchJobConfig:
        problems = _spot_conflict(self.spot, self.eci)
        if self.fail_fast and self.eci.fail_strategy not in (None, "fail-fast"):
            problems.append(
                (
                    ".failFast",
                    f"failFast conflicts with eci.failStrategy: {self.eci.fail_strategy}",
                )
            )
        if self.fail_fast and _runtime(info).kind == "acs":
            problems.append(
                (
                    ".failFast",
                    "failFast is ECI's fail strategy (k8s.aliyun.com/eci-fail-strategy); ACS "
                    "pods have none: remove it",
                )
            )
        if self.parallelism > self.completions:
            problems.append(
                (
                    ".parallelism",
                    f"{self.parallelism} pods at once for {self.completions} completions: "
                    "the extra pods would only be billed",
                )
            )
        defaulted = self.spot and self.eci.spot is None
        if not problems or all(path != ".failFast" for path, _ in problems):
            problems += self._sizing_problems(info, _spot_hint("batchJobs", defaulted))
        if problems:
            raise Problems(problems)
        return self


class SparkPodConfig(ConfigModel):
    """The driver or the executors of a Spark job."""

    cores: int = Field(1, ge=1, description="Spark cores (task slots); the pod's vCPUs.")
    memory: Memory = Field("2Gi", description="JVM heap; the pod adds the memory overhead.")
    instances: int = Field(2, ge=1, description="Executors (ignored for the driver).")


class SparkJobConfig(PodSettings):
    """``sparkJobs[]``: a SparkApplication (or ScheduledSparkApplication) for the spark-operator."""

    image: str = Field(min_length=1, description="Spark image, pinned.")
    spark_version: str = Field(description="Spark version of the image (3.5.5).")
    main_application_file: str = Field(description="local:///…, oss://… or https://… jar/py.")
    main_class: str | None = Field(None, description="Main class (Java/Scala).")
    type: SparkAppType | None = Field(
        None, description="Java, Scala, Python or R; default: from the file (.py, .R) or Scala."
    )
    arguments: list[str] = Field(default_factory=list, description="Application arguments.")
    spark_conf: dict[str, str] = Field(default_factory=dict, description="--conf properties.")
    driver: SparkPodConfig = Field(
        default_factory=lambda: SparkPodConfig(instances=1), description="The driver pod."
    )
    executor: SparkPodConfig = Field(
        default_factory=lambda: SparkPodConfig(), description="The executor pods."
    )
    executor_spot: bool = Field(
        True, description="Executors on spot with fallback; the driver is always on-demand."
    )
    schedule: str | None = Field(
        None, description="5-field cron: makes it a ScheduledSparkApplication."
    )
    time_zone: TimeZone = Field(None, description="Time zone of the schedule.")
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = Field(
        "Forbid", description="Scheduled runs: what to do when a run is due while one runs."
    )

    KIND: ClassVar[WorkloadKind] = "sparkJob"

    @field_validator("spark_version")
    @classmethod
    def _version(cls, version: str) -> str:
        if not _SPARK_VERSION_RE.fullmatch(version):
            raise ValueError(f"{version!r} is not a Spark version like 3.5.5")
        return version

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, schedule: str | None) -> str | None:
        if schedule is not None:
            check_schedule(schedule, seconds=False)
        return schedule

    @property
    def app_type(self) -> SparkAppType:
        """The application type, given or inferred from the main file."""
        if self.type is not None:
            return self.type
        lowered = self.main_application_file.lower()
        if lowered.endswith(".py"):
            return "Python"
        if lowered.endswith(".r"):
            return "R"
        return "Scala"

    def driver_options(self) -> EciOptions:
        """Driver: on-demand (a lost driver loses the run), image cache on."""
        return self.eci.options(on_demand=True, image_cache="auto")

    def executor_options(self) -> EciOptions:
        """Executors: spot with fallback unless executorSpot is false, image cache on."""
        return self.eci.options(spot_default=self.executor_spot, image_cache="auto")

    def driver_sizing(self, region: str, runtime: PodRuntime = ECI) -> SparkPodSizing:
        """The driver pod's sizing."""
        return size_spark_pod(
            self.driver.cores,
            self.driver.memory,
            app_type=self.app_type,
            region=region,
            eci=runtime.without_eci_only(self.driver_options()),
            acs=self.acs.options(),
            runtime=runtime,
        )

    def executor_sizing(self, region: str, runtime: PodRuntime = ECI) -> SparkPodSizing:
        """An executor pod's sizing."""
        return size_spark_pod(
            self.executor.cores,
            self.executor.memory,
            app_type=self.app_type,
            region=region,
            eci=runtime.without_eci_only(self.executor_options()),
            acs=self.acs.options(),
            runtime=runtime,
        )

    @model_validator(mode="after")
    def _spark_rules(self, info: ValidationInfo) -> SparkJobConfig:
        problems = _spot_conflict(self.executor_spot, self.eci)
        if self.app_type in ("Java", "Scala") and not self.main_class:
            problems.append((".mainClass", f"a {self.app_type} application needs mainClass"))
        hint = _spot_hint("Spark executors", self.executor_spot and self.eci.spot is None)
        runtime = _runtime(info)
        try:
            self.driver_options()
            self.executor_options()
        except EciOptionsError as error:
            problems += _eci_problem(error, hint=hint)
        else:
            region = _region(info)
            runtime_problems = _runtime_problems(self, runtime)
            problems += runtime_problems
            if region is not None and not runtime_problems:
                problems += _size(
                    lambda: self.driver_sizing(region, runtime), path=".driver", label="driver: "
                )
                problems += _size(
                    lambda: self.executor_sizing(region, runtime),
                    path=".executor",
                    label="executors: ",
                    hint=hint,
                )
        if problems:
            raise Problems(problems)
        return self


class CiRunnerConfig(PodSettings):
    """``ciRunners[]``: a GitLab Runner whose jobs run as ECI pods (kubernetes executor)."""

    url: str = Field(description="GitLab URL (https://gitlab.example.com).")
    token_secret: str = Field(
        "gitlabRunnerToken",
        description="Config key (namespace ask) holding the runner authentication token "
        "(glrt-…) as a Pulumi secret.",
    )
    concurrency: int = Field(4, ge=1, le=1000, description="Jobs running at once.")
    tags: list[str] = Field(
        default_factory=list,
        description="Runner tags; GitLab keeps them with the runner (set them where the token "
        "is created); recorded on the Deployment for review.",
    )
    image: str = Field(DEFAULT_RUNNER_IMAGE, description="GitLab Runner image, pinned.")
    cpu: Cpu = Field("0.25", description="vCPUs of the runner pod itself.")
    memory: Memory = Field("0.5Gi", description="Memory of the runner pod itself.")
    job_image: str = Field(DEFAULT_JOB_IMAGE, description="Image of jobs that name none.")
    job_cpu: Cpu = Field("1", description="vCPUs of each job pod (its build container).")
    job_memory: Memory = Field("2Gi", description="Memory of each job pod.")
    pull_policy: Literal["always", "if-not-present", "never"] = Field(
        "if-not-present", description="Image pull policy of job pods."
    )

    KIND: ClassVar[WorkloadKind] = "ciRunner"

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        if not _URL_RE.fullmatch(url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url

    @field_validator("token_secret")
    @classmethod
    def _token_key(cls, key: str) -> str:
        if not _CONFIG_KEY_RE.fullmatch(key):
            raise ValueError(f"{key!r} is not a config key of namespace {CONFIG_NAMESPACE}")
        return key

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        bad = [
            (f"[{index}]", f"tag {tag!r} must not contain spaces or commas")
            for index, tag in enumerate(tags)
            if not _TAG_RE.fullmatch(tag)
        ]
        if bad:
            raise Problems(bad)
        return tags

    @property
    def token_config_key(self) -> str:
        """The full config key of the token (``ask:gitlabRunnerToken``)."""
        key = self.token_secret
        return key if key.startswith(f"{CONFIG_NAMESPACE}:") else f"{CONFIG_NAMESPACE}:{key}"

    def job_options(self) -> EciOptions:
        """ECI options of the job pods."""
        return self.eci.options()

    def job_sizing(self, region: str, runtime: PodRuntime = ECI) -> PodSizing:
        """The job pods' spec, labels and annotations."""
        return size_pod(
            self.job_cpu,
            self.job_memory,
            region=region,
            eci=runtime.without_eci_only(self.job_options()),
            acs=self.acs.options(),
            runtime=runtime,
        )

    def runner_sizing(self, region: str, runtime: PodRuntime = ECI) -> PodSizing:
        """The runner pod's own spec (on-demand, no options)."""
        return size_pod(self.cpu, self.memory, region=region, eci=EciOptions(), runtime=runtime)

    @model_validator(mode="after")
    def _runner_rules(self, info: ValidationInfo) -> CiRunnerConfig:
        problems: list[tuple[str, str]] = []
        runtime = _runtime(info)
        try:
            self.job_options()
        except EciOptionsError as error:
            problems += _eci_problem(error)
        else:
            region = _region(info)
            problems += _runtime_problems(self, runtime)
            if region is not None and not problems:
                problems += _size(lambda: self.job_sizing(region, runtime), label="job pods: ")
                problems += _size(lambda: self.runner_sizing(region, runtime), label="runner pod: ")
        if problems:
            raise Problems(problems)
        return self


_LISTS: Final[tuple[tuple[str, str, WorkloadKind], ...]] = (
    ("apps", "apps", "app"),
    ("cron_jobs", "cronJobs", "cronJob"),
    ("batch_jobs", "batchJobs", "batchJob"),
    ("spark_jobs", "sparkJobs", "sparkJob"),
    ("ci_runners", "ciRunners", "ciRunner"),
)

AnyWorkload = AppConfig | CronJobConfig | BatchJobConfig | SparkJobConfig | CiRunnerConfig


_REGISTRY = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(/[a-z0-9._-]+)*$")


class SparkOperatorConfig(ConfigModel):
    """``ask:platform.workloads.sparkOperator``: the operator installed when a Spark job exists."""

    version: str = Field(
        SPARK_OPERATOR_VERSION,
        description="kubeflow/spark-operator chart version; 2.2.0 or later (timeZone).",
    )
    repository: str = Field(
        SPARK_OPERATOR_REPOSITORY,
        description="Helm chart repository (a mirror where the default is out of reach).",
    )
    image_registry: str | None = Field(
        None,
        description="Registry of the operator's images (a mirror of ghcr.io); the chart's when "
        "unset.",
    )

    @field_validator("version")
    @classmethod
    def _version(cls, version: str) -> str:
        problem = check_operator_version(version)
        if problem is not None:
            raise ValueError(problem)
        return version

    @field_validator("repository")
    @classmethod
    def _repository(cls, repository: str) -> str:
        if not repository.startswith(("https://", "oci://")):
            raise ValueError(f"{repository!r} is not a chart repository URL (https:// or oci://)")
        return repository

    @field_validator("image_registry")
    @classmethod
    def _registry(cls, registry: str | None) -> str | None:
        if registry is not None and not _REGISTRY.match(registry):
            raise ValueError(f"{registry!r} is not a registry host (e.g. registry.example.com)")
        return registry


class WorkloadsConfig(ConfigModel):
    """``ask:platform.workloads``: what runs on the cluster."""

    namespace: str | None = Field(
        None,
        description="The shared namespace of workloads without their own; default: the "
        "platform name. Created once by the platform.",
    )
    cron_hpa_time_zone: str = Field(
        DEFAULT_CRONHPA_TIME_ZONE,
        description="Time zone the CronHPA controller runs schedules in (its TZ); app schedules "
        "are moved into it.",
    )
    apps: list[AppConfig] = Field(default_factory=list, description="Long-running services.")
    cron_jobs: list[CronJobConfig] = Field(default_factory=list, description="CronJobs.")
    batch_jobs: list[BatchJobConfig] = Field(default_factory=list, description="Batch Jobs.")
    spark_jobs: list[SparkJobConfig] = Field(default_factory=list, description="Spark jobs.")
    ci_runners: list[CiRunnerConfig] = Field(
        default_factory=list, description="GitLab Runner pools."
    )
    spark_operator: SparkOperatorConfig = Field(
        default_factory=lambda: SparkOperatorConfig(),
        description="The Spark operator, installed when sparkJobs is not empty.",
    )

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, namespace: str | None) -> str | None:
        return _check_namespace(namespace)

    @field_validator("cron_hpa_time_zone")
    @classmethod
    def _controller_zone(cls, zone: str) -> str:
        check_time_zone(zone)
        return zone

    @model_validator(mode="after")
    def _names(self) -> WorkloadsConfig:
        problems: list[tuple[str, str]] = []
        for field_name, key, _ in _LISTS:
            seen: dict[str, int] = {}
            for index, workload in enumerate(getattr(self, field_name)):
                if workload.name in seen:
                    problems.append(
                        (
                            f".{key}[{index}].name",
                            f"{workload.name} is also the name of {key}[{seen[workload.name]}]",
                        )
                    )
                else:
                    seen[workload.name] = index
        for index, app in enumerate(self.apps):
            if not app.schedules:
                continue
            try:
                app.controller_schedules(self.cron_hpa_time_zone)
            except CronError as error:
                problems.append((f".apps[{index}].schedules", str(error)))
        if problems:
            raise Problems(problems)
        return self

    @property
    def needs_cron_hpa(self) -> bool:
        """Whether an app has schedules (the CronHPA controller add-on serves them)."""
        return any(app.schedules for app in self.apps)

    def all(self) -> Iterator[tuple[str, WorkloadKind, AnyWorkload]]:
        """Every workload with its config path below ``workloads`` (``apps[0]``) and kind."""
        for field_name, key, kind in _LISTS:
            for index, workload in enumerate(getattr(self, field_name)):
                yield f"{key}[{index}]", kind, workload

    def namespace_problems(self, shared: str) -> list[tuple[str, str]]:
        """Namespace rules that need the shared namespace's name (relative paths).

        A namespace a workload names is created by that workload, so it must not be the shared
        one or another workload's; and no two workloads may make an object of the same kind
        and name in one namespace.
        """
        problems: list[tuple[str, str]] = []
        owners: dict[str, str] = {}
        made: dict[tuple[str, str, str], str] = {}
        for path, kind, workload in self.all():
            namespace = workload.namespace or shared
            if workload.namespace is not None:
                if workload.namespace == shared:
                    problems.append(
                        (
                            f".{path}.namespace",
                            f"{shared} is the shared namespace; leave namespace unset to use it",
                        )
                    )
                elif workload.namespace in owners:
                    problems.append(
                        (
                            f".{path}.namespace",
                            f"namespace {workload.namespace} is already created by "
                            f"{owners[workload.namespace]}; a workload's own namespace is its "
                            "alone",
                        )
                    )
                else:
                    owners[workload.namespace] = path
            for object_kind, name in object_names(
                kind, workload.name, secret_env=bool(workload.secret_env)
            ):
                key = (namespace, object_kind, name)
                if key in made and made[key] != path:
                    problems.append(
                        (
                            f".{path}.name",
                            f"{object_kind} {name} in namespace {namespace} is also made by "
                            f"{made[key]}; rename one",
                        )
                    )
                made.setdefault(key, path)
        return problems

    def secret_config_keys(self) -> list[tuple[str, str]]:
        """(path below ``workloads``, full config key) of every secret the workloads read."""
        keys: list[tuple[str, str]] = []
        for path, _, workload in self.all():
            for name, key in workload.secret_config_keys().items():
                keys.append((f"{path}.secretEnv.{name}", key))
            if isinstance(workload, CiRunnerConfig):
                keys.append((f"{path}.tokenSecret", workload.token_config_key))
        return keys
