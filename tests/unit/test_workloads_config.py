"""ask:platform.workloads: one row per rule, each with its exact message and config path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ask_components.config import load_platform_config, secret_config_problems
from ask_components.errors import ConfigError
from ask_components.workloads.config import AppConfig, BatchJobConfig, CronJobConfig
from ask_components.workloads.eci import EciOptions
from tests.conftest import platform_values

APP = {"name": "web", "image": "nginx:1.27"}
CRON = {"name": "report", "image": "report:1", "schedule": "30 2 * * *"}
BATCH = {"name": "render", "image": "render:1"}
SPARK = {
    "name": "etl",
    "image": "spark:3.5.5",
    "sparkVersion": "3.5.5",
    "mainApplicationFile": "local:///opt/etl.jar",
    "mainClass": "com.shop.Etl",
}
RUNNER = {"name": "ci", "url": "https://gitlab.example.com"}
SECRETS = {"ask:dbPassword": "[secret]", "ask:gitlabRunnerToken": "[secret]"}


def values_with(**workloads: Any) -> dict[str, Any]:
    return {**platform_values(workloads=workloads), **SECRETS}


def problems_of(values: dict[str, Any], secret_keys: list[str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack="dev", secret_keys=secret_keys)
    return [str(problem) for problem in caught.value.problems]


def test_no_workloads_by_default() -> None:
    config = load_platform_config(platform_values(), stack="dev")
    assert list(config.workloads.all()) == []
    assert config.workloads_namespace == "shop"
    assert config.kubernetes_version == "1.33"


def test_an_app_with_every_default() -> None:
    config = load_platform_config(values_with(apps=[APP]), stack="dev")
    app = config.workloads.apps[0]
    assert (app.cpu, app.memory, app.port, app.service_port) == ("0.5", "1Gi", 8080, 80)
    assert (app.replicas, app.autoscale, app.min_replicas) == (None, None, 1)
    assert (app.run_as_user, app.read_only_root_filesystem, app.namespace) == (10001, True, None)
    assert app.eci_options() == EciOptions()
    sizing = app.sizing("cn-hangzhou")
    assert sizing.use_specs_value == "0.5-1Gi"
    assert dict(sizing.annotations) == {"k8s.aliyun.com/eci-use-specs": "0.5-1Gi"}


@pytest.mark.parametrize(
    ("kind", "workload", "expected"),
    [
        ("cronJobs", CRON, EciOptions(spot="SpotAsPriceGo", spot_fallback=True)),
        ("cronJobs", {**CRON, "spot": False}, EciOptions()),
        ("batchJobs", BATCH, EciOptions(spot="SpotAsPriceGo", spot_fallback=True)),
        (
            "batchJobs",
            {**BATCH, "failFast": True},
            EciOptions(spot="SpotAsPriceGo", spot_fallback=True, fail_strategy="fail-fast"),
        ),
        ("apps", APP, EciOptions()),
        (
            "apps",
            {**APP, "eci": {"spot": "SpotAsPriceGo"}},
            EciOptions(spot="SpotAsPriceGo", spot_fallback=True),
        ),
        (
            "apps",
            {**APP, "eci": {"spot": "SpotAsPriceGo", "spotFallback": False}},
            EciOptions(spot="SpotAsPriceGo"),
        ),
        (
            "cronJobs",
            {**CRON, "eci": {"spot": "SpotWithPriceLimit", "spotPriceLimit": "0.25"}},
            EciOptions(
                spot="SpotWithPriceLimit", spot_price_limit=Decimal("0.25"), spot_fallback=True
            ),
        ),
    ],
)
def test_spot_defaults_per_kind(kind: str, workload: dict[str, Any], expected: EciOptions) -> None:
    config = load_platform_config(values_with(**{kind: [workload]}), stack="dev")
    [(_, _, loaded)] = list(config.workloads.all())
    assert isinstance(loaded, AppConfig | CronJobConfig | BatchJobConfig)
    assert loaded.eci_options() == expected


def test_spark_driver_on_demand_executors_on_spot_image_cache_on() -> None:
    config = load_platform_config(values_with(sparkJobs=[SPARK]), stack="dev")
    spark = config.workloads.spark_jobs[0]
    assert spark.app_type == "Scala"
    assert spark.driver_options() == EciOptions(image_cache="auto")
    assert spark.executor_options() == EciOptions(
        spot="SpotAsPriceGo", spot_fallback=True, image_cache="auto"
    )
    assert spark.driver_sizing("cn-hangzhou").spec.use_specs_value == "1-4Gi"
    # 2 GiB of heap + 384 MiB of overhead on 1 vCPU: the next spec up is 1-4Gi.
    assert spark.executor_sizing("cn-hangzhou").spec.use_specs_value == "1-4Gi"


@pytest.mark.parametrize(
    ("file", "expected"),
    [("local:///a.py", "Python"), ("oss://b/x.R", "R"), ("local:///a.jar", "Scala")],
)
def test_spark_type_from_the_main_file(file: str, expected: str) -> None:
    spark = {**SPARK, "mainApplicationFile": file}
    config = load_platform_config(values_with(sparkJobs=[spark]), stack="dev")
    assert config.workloads.spark_jobs[0].app_type == expected


def test_app_schedules_move_into_the_controller_zone() -> None:
    app = {
        **APP,
        "autoscale": {"min": 2, "max": 10},
        "timeZone": "Asia/Shanghai",
        "schedules": [{"name": "up", "schedule": "0 0 8 * * 1-5", "targetSize": 6}],
    }
    config = load_platform_config(values_with(apps=[app]), stack="dev")
    moved = config.workloads.apps[0].controller_schedules(config.workloads.cron_hpa_time_zone)
    assert [(job.name, job.schedule, job.target_size) for job in moved] == [
        ("up", "0 0 0 * * 1-5", 6)
    ]


def test_secret_config_keys_are_listed_with_their_paths() -> None:
    config = load_platform_config(
        values_with(
            apps=[{**APP, "secretEnv": {"DB_PASSWORD": "dbPassword"}}],
            ciRunners=[RUNNER],
        ),
        stack="dev",
    )
    assert config.workloads.secret_config_keys() == [
        ("apps[0].secretEnv.DB_PASSWORD", "ask:dbPassword"),
        ("ciRunners[0].tokenSecret", "ask:gitlabRunnerToken"),
    ]


PATH = "ask:platform.workloads"


@pytest.mark.parametrize(
    ("workloads", "expected"),
    [
        # names
        (
            {"apps": [APP, APP]},
            f"{PATH}.apps[1].name: web is also the name of apps[0]",
        ),
        (
            {"apps": [{**APP, "name": "Web_1"}]},
            f"{PATH}.apps[0].name: name 'Web_1' is not a valid Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit",
        ),
        (
            {"cronJobs": [{**CRON, "name": "r" * 53}]},
            f"{PATH}.cronJobs[0].name: name '{'r' * 53}' is 53 characters long; the limit is 52",
        ),
        (
            {
                "apps": [{**APP, "secretEnv": {"A": "dbPassword"}}],
                "cronJobs": [{**CRON, "name": "web", "secretEnv": {"A": "dbPassword"}}],
            },
            f"{PATH}.cronJobs[0].name: Secret web-env in namespace shop is also made by apps[0]; rename one",
        ),
        # quantities and sizes
        (
            {"apps": [{**APP, "cpu": "lots"}]},
            f'{PATH}.apps[0].cpu: cpu "lots" is not a Kubernetes quantity (expected e.g. "500m", "1.5", "2")',
        ),
        (
            {"apps": [{**APP, "memory": "2GB"}]},
            f'{PATH}.apps[0].memory: memory "2GB" is not a Kubernetes quantity (expected e.g. "512Mi", "4Gi", "1G", "1073741824")',
        ),
        (
            {"apps": [{**APP, "cpu": 0}]},
            f"{PATH}.apps[0].cpu: cpu must be greater than 0, got 0",
        ),
        (
            {"apps": [{**APP, "cpu": 100}]},
            f"{PATH}.apps[0]: no ECI spec in cn-hangzhou holds 100 vCPU / 1 GiB; the largest there is 64 vCPU / 512 GiB",
        ),
        # ECI options, checked with the pod's own spec
        (
            {"apps": [{**APP, "eci": {"spot": "SpotAsPriceGo", "computeCategory": ["economy"]}}]},
            f"{PATH}.apps[0].eci.computeCategory: economy cannot be combined with spot (SpotAsPriceGo) — ECI rejects it with FeatureBasedConstraintConflict",
        ),
        (
            {"cronJobs": [{**CRON, "eci": {"computeCategory": ["economy"]}}]},
            f"{PATH}.cronJobs[0].eci.computeCategory: economy cannot be combined with spot (SpotAsPriceGo) — ECI rejects it with FeatureBasedConstraintConflict (cronJobs run on spot by default: set spot: false)",
        ),
        (
            {
                "apps": [
                    {
                        **APP,
                        "eci": {"specs": ["1-2Gi", "2-4Gi", "4-8Gi", "8-16Gi", "16-32Gi", "2-8Gi"]},
                    }
                ]
            },
            f"{PATH}.apps[0].eci.specs: at most 5 specs, got 6",
        ),
        (
            {"apps": [{**APP, "eci": {"specs": ["2-4Gi", "4-8Gi", "8-16Gi", "16-32Gi", "2-8Gi"]}}]},
            f"{PATH}.apps[0].eci.specs: eci-use-specs takes at most 5 specs, got 6 (the pod's spec 0.5-1Gi and 5 fallbacks)",
        ),
        (
            {
                "apps": [
                    {**APP, "cpu": "12", "memory": "8Gi", "eci": {"computeCategory": ["economy"]}}
                ]
            },
            f"{PATH}.apps[0].eci.computeCategory: economy supports only 0.25–8 vCPU, the pod's spec 12-12Gi has 12 vCPU",
        ),
        (
            {"apps": [{**APP, "eci": {"spot": "Cheap"}}]},
            f'{PATH}.apps[0].eci.spot: "Cheap" is not a spot strategy (expected "SpotAsPriceGo" or "SpotWithPriceLimit")',
        ),
        (
            {"cronJobs": [{**CRON, "spot": False, "eci": {"spot": "SpotAsPriceGo"}}]},
            f"{PATH}.cronJobs[0].spot: spot: false conflicts with eci.spot: SpotAsPriceGo; remove one",
        ),
        (
            {"batchJobs": [{**BATCH, "failFast": True, "eci": {"failStrategy": "fail-back"}}]},
            f"{PATH}.batchJobs[0].failFast: failFast conflicts with eci.failStrategy: fail-back",
        ),
        (
            {"batchJobs": [{**BATCH, "parallelism": 5, "completions": 2}]},
            f"{PATH}.batchJobs[0].parallelism: 5 pods at once for 2 completions: the extra pods would only be billed",
        ),
        # apps
        (
            {"apps": [{**APP, "replicas": 2, "autoscale": {"min": 2, "max": 4}}]},
            f"{PATH}.apps[0].replicas: replicas and autoscale exclude each other: with autoscale the HPA owns the replica count (autoscale.min is the floor)",
        ),
        (
            {"apps": [{**APP, "autoscale": {"min": 5, "max": 4}}]},
            f"{PATH}.apps[0].autoscale.min: min 5 is above max 4",
        ),
        (
            {
                "apps": [
                    {
                        **APP,
                        "schedules": [{"name": "up", "schedule": "0 0 8 * * *", "targetSize": 3}],
                    }
                ]
            },
            f"{PATH}.apps[0].schedules: scheduled scaling needs autoscale: the CronHPA moves the HPA's min replicas (set autoscale: {{min, max}})",
        ),
        (
            {
                "apps": [
                    {
                        **APP,
                        "autoscale": {"min": 1, "max": 4},
                        "schedules": [{"name": "up", "schedule": "0 0 8 * * *", "targetSize": 6}],
                    }
                ]
            },
            f"{PATH}.apps[0].schedules[0].targetSize: 6 is above autoscale.max 4",
        ),
        (
            {
                "apps": [
                    {
                        **APP,
                        "autoscale": {"min": 1, "max": 4},
                        "schedules": [{"name": "up", "schedule": "0 8 * * *", "targetSize": 2}],
                    }
                ]
            },
            f"{PATH}.apps[0].schedules[0].schedule: schedule '0 8 * * *' has 5 fields; expected 6 (second minute hour day-of-month month day-of-week), e.g. \"0 0 8 * * 1-5\"",
        ),
        (
            {
                "apps": [
                    {
                        **APP,
                        "autoscale": {"min": 1, "max": 4},
                        "timeZone": "Europe/Berlin",
                        "schedules": [{"name": "up", "schedule": "0 0 8 * * *", "targetSize": 2}],
                    }
                ]
            },
            f"{PATH}.apps[0].schedules: time zone Europe/Berlin observes daylight saving time, so a CronHPA schedule cannot be moved into the controller's time zone once for the whole year; write it in the controller's time zone instead",
        ),
        (
            {"apps": [{**APP, "readiness": {"path": "healthz"}}]},
            f"{PATH}.apps[0].readiness.path: probe path 'healthz' must start with /",
        ),
        (
            {"apps": [{**APP, "runAsUser": 0}]},
            f"{PATH}.apps[0].runAsUser: Input should be greater than or equal to 1 (got 0)",
        ),
        # env
        (
            {"apps": [{**APP, "env": {"LOG-LEVEL": "x"}}]},
            f"{PATH}.apps[0].env.LOG-LEVEL: 'LOG-LEVEL' is not an env var name (letters, digits and '_')",
        ),
        (
            {"apps": [{**APP, "env": {"DB": "x"}, "secretEnv": {"DB": "dbPassword"}}]},
            f"{PATH}.apps[0].secretEnv.DB: DB is also set in env; keep one",
        ),
        (
            {"apps": [{**APP, "secretEnv": {"DB": "aws:dbPassword"}}]},
            f"{PATH}.apps[0].secretEnv.DB: 'aws:dbPassword' is not a config key of namespace ask (e.g. dbPassword or ask:dbPassword)",
        ),
        # cron jobs
        (
            {"cronJobs": [{**CRON, "schedule": "61 * * * *"}]},
            f"{PATH}.cronJobs[0].schedule: schedule '61 * * * *': minute 61 is out of range 0-59",
        ),
        (
            {"cronJobs": [{**CRON, "timeZone": "Asia/Beijing"}]},
            f"{PATH}.cronJobs[0].timeZone: 'Asia/Beijing' is not an IANA time zone (expected e.g. Asia/Shanghai or UTC)",
        ),
        (
            {"cronJobs": [{**CRON, "concurrencyPolicy": "Never"}]},
            f"{PATH}.cronJobs[0].concurrencyPolicy: 'Never' is not allowed: 'Allow', 'Forbid' or 'Replace'",
        ),
        # spark
        (
            {"sparkJobs": [{**SPARK, "mainClass": None}]},
            f"{PATH}.sparkJobs[0].mainClass: a Scala application needs mainClass",
        ),
        (
            {"sparkJobs": [{**SPARK, "sparkVersion": "3.5"}]},
            f"{PATH}.sparkJobs[0].sparkVersion: '3.5' is not a Spark version like 3.5.5",
        ),
        (
            {"sparkJobs": [{**SPARK, "executor": {"cores": 0}}]},
            f"{PATH}.sparkJobs[0].executor.cores: Input should be greater than or equal to 1 (got 0)",
        ),
        (
            {"sparkJobs": [{**SPARK, "executor": {"cores": 80}}]},
            f"{PATH}.sparkJobs[0].executor: executors: no ECI spot spec in cn-hangzhou holds 80 vCPU / 2.375 GiB; the largest there is 64 vCPU / 512 GiB",
        ),
        # CI runners
        (
            {"ciRunners": [{**RUNNER, "url": "gitlab.example.com"}]},
            f"{PATH}.ciRunners[0].url: 'gitlab.example.com' is not an http(s) URL",
        ),
        (
            {"ciRunners": [{**RUNNER, "tags": ["docker build"]}]},
            f"{PATH}.ciRunners[0].tags[0]: tag 'docker build' must not contain spaces or commas",
        ),
        # namespaces
        (
            {"apps": [{**APP, "namespace": "shop"}]},
            f"{PATH}.apps[0].namespace: shop is the shared namespace; leave namespace unset to use it",
        ),
        (
            {"apps": [{**APP, "namespace": "team"}, {**APP, "name": "api", "namespace": "team"}]},
            f"{PATH}.apps[1].namespace: namespace team is already created by apps[0]; a workload's own namespace is its alone",
        ),
        (
            {"apps": [{**APP, "namespace": "kube-system"}]},
            f"{PATH}.apps[0].namespace: namespace 'kube-system' is reserved; name a namespace of your own",
        ),
        (
            {"cronHpaTimeZone": "Moon/Base"},
            f"{PATH}.cronHpaTimeZone: 'Moon/Base' is not an IANA time zone (expected e.g. Asia/Shanghai or UTC)",
        ),
        (
            {"apps": [{**APP, "replics": 2}]},
            f"{PATH}.apps[0].replics: unknown key (check the spelling; keys are camelCase)",
        ),
    ],
)
def test_each_rule_names_its_path(workloads: dict[str, Any], expected: str) -> None:
    assert problems_of(values_with(**workloads)) == [expected]


def test_a_missing_secret_names_the_key_and_the_command() -> None:
    values = platform_values(
        workloads={
            "apps": [{**APP, "secretEnv": {"DB_PASSWORD": "dbPassword"}}],
            "ciRunners": [RUNNER],
        }
    )
    assert problems_of(values) == [
        f"{PATH}.apps[0].secretEnv.DB_PASSWORD: config key ask:dbPassword is not set: pulumi config set --secret ask:dbPassword <value>",
        f"{PATH}.ciRunners[0].tokenSecret: config key ask:gitlabRunnerToken is not set: pulumi config set --secret ask:gitlabRunnerToken <value>",
    ]


def test_a_plain_text_secret_is_refused() -> None:
    values = values_with(apps=[{**APP, "secretEnv": {"DB_PASSWORD": "ask:dbPassword"}}])
    assert problems_of(values, secret_keys=["ask:gitlabRunnerToken"]) == [
        f"{PATH}.apps[0].secretEnv.DB_PASSWORD: config key ask:dbPassword is set in plain text; it must be a secret: pulumi config set --secret ask:dbPassword <value>",
    ]
    config = load_platform_config(values, stack="dev", secret_keys=["ask:dbPassword"])
    assert secret_config_problems(config, values, ["ask:dbPassword"]) == []


def test_every_workload_problem_at_once() -> None:
    values = values_with(
        apps=[{**APP, "cpu": "lots"}, {**APP, "name": "api", "memory": "-1Gi"}],
        cronJobs=[{**CRON, "schedule": "* * *"}],
    )
    assert problems_of(values) == [
        f'{PATH}.apps[0].cpu: cpu "lots" is not a Kubernetes quantity (expected e.g. "500m", "1.5", "2")',
        f'{PATH}.apps[1].memory: memory "-1Gi" must not be negative (expected e.g. "512Mi", "4Gi", "1G", "1073741824")',
        f"{PATH}.cronJobs[0].schedule: schedule '* * *' has 3 fields; expected 5 (minute hour day-of-month month day-of-week), e.g. \"30 2 * * *\"",
    ]
