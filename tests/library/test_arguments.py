"""Components check their arguments with the stack file's rules: one ArgumentError listing
every problem with its argument path, and nothing registered (issue #15)."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from ask_components import (
    ACS,
    AcsOptions,
    AskCluster,
    AskClusterArgs,
    Autoscale,
    BatchJob,
    BatchJobArgs,
    CiRunnerPool,
    CiRunnerPoolArgs,
    ClusterAddon,
    HttpProbe,
    Network,
    NetworkArgs,
    Platform,
    ScheduledScaling,
    ServerlessApp,
    ServerlessAppArgs,
    ServerlessCronJob,
    ServerlessCronJobArgs,
    SparkJob,
    SparkJobArgs,
    SparkPod,
    load_platform_config,
)
from ask_components.errors import ArgumentError, ConfigError
from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
from ask_components.preview.engine import run_program
from ask_components.workloads.eci import EciOptions
from tests.conftest import platform_values


def refused(program: Callable[[], None]) -> ArgumentError:
    """The ArgumentError a program raises; and that it registered nothing at all."""
    registered: list[str] = []
    with pytest.raises(ArgumentError) as caught:
        run_program(program, registered=registered)
    assert registered == []
    return caught.value


def test_a_bad_egress_is_one_error_naming_egress_and_no_child() -> None:
    # The done-when: silently a network without NAT before.
    error = refused(
        lambda: Network(
            "x",
            NetworkArgs(cidr="10.0.0.0/16", zones=["cn-hangzhou-i"], egress="dual"),  # type: ignore[arg-type]
        )
    )
    assert str(error) == (
        "invalid arguments of Network 'x' (1 problem):\n"
        "  - egress: 'dual' is not allowed: 'none', 'single' or 'per-zone'"
    )
    assert isinstance(error, ConfigError)
    assert isinstance(error, ValueError)
    assert (error.component, error.name, error.exit_code) == ("Network", "x", 2)


def test_a_public_cidr_and_a_zone_of_another_region_are_refused_together() -> None:
    error = refused(
        lambda: Network(
            "x",
            NetworkArgs(
                cidr="1.0.0.0/16",
                zones=["cn-hangzhou-i", "cn-beijing-a", "cn-hangzhou-i"],
                region="cn-hangzhou",
                eip_bandwidth_mbps=0,
            ),
        )
    )
    # The stack file's messages (config.NetworkConfig), at the arguments' paths.
    assert [str(problem) for problem in error.problems] == [
        "cidr: 1.0.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        "zones[1]: zone cn-beijing-a is not in region cn-hangzhou (configured as region)",
        "zones[2]: zone cn-hangzhou-i is listed twice",
        "eip_bandwidth_mbps: Input should be greater than or equal to 1 (got 0)",
    ]


def test_without_a_region_zones_are_not_checked_against_one(pulumi_run) -> None:  # type: ignore[no-untyped-def]
    graph = pulumi_run(
        lambda: Network("x", NetworkArgs(cidr="10.0.0.0/16", zones=["cn-beijing-a"]))
    )
    assert len(graph.of_type("alicloud:vpc/switch:Switch")) == 1


def test_the_local_network_takes_the_same_rules() -> None:
    error = refused(
        lambda: SandboxNetwork(
            "x",
            SandboxNetworkArgs(cidr="10.0.0.0/16", zones=["ap-southeast-1a"], egress="x"),  # type: ignore[arg-type]
        )
    )
    assert [str(problem) for problem in error.problems] == [
        "zones[0]: zone ap-southeast-1a is not in region cn-hangzhou (configured as region)",
        "egress: 'x' is not allowed: 'none', 'single' or 'per-zone'",
    ]


def test_ask_cluster_arguments() -> None:
    def program() -> None:
        AskCluster(
            "c",
            AskClusterArgs(
                vpc_id=pulumi.Output.from_input("vpc-1"),
                vswitch_ids=["vsw-1", 3],  # type: ignore[list-item]
                version="1.3",
                service_cidr="8.8.0.0/16",
                addons=[ClusterAddon("Bad Name")],
                delete_options=[("SLB", "keep")],
                cluster_name="c" * 64,
            ),
        )

    assert [str(problem) for problem in refused(program).problems] == [
        'version: \'1.3\' is not a Kubernetes version like "1.33" or "1.33.3-aliyun.1"',
        "service_cidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or "
        "192.168.0.0/16",
        "addons[0].name: 'Bad Name' is not an addon name (lowercase letters, digits, '-')",
        "vswitch_ids: must hold strings or Pulumi Outputs, got 3",
        "cluster_name: String should have at most 63 characters (got '" + "c" * 64 + "')",
        "delete_options[0].delete_mode: 'keep' is not allowed: 'delete' or 'retain'",
    ]


def test_ask_cluster_kind_rules_are_the_stack_files() -> None:
    def program() -> None:
        AskCluster(
            "c", AskClusterArgs(vpc_id="vpc-1", vswitch_ids=["vsw-1"], kind="acs", edition="basic")
        )

    assert [str(problem) for problem in refused(program).problems] == [
        "edition: kind acs is created as ack.pro.small: edition basic exists for ACK Serverless "
        "(kind ask) only"
    ]


def test_serverless_app_arguments() -> None:
    def program() -> None:
        ServerlessApp(
            "Web",
            ServerlessAppArgs(
                image="",
                region="cn-hangzhou",
                cpu="0",
                port=70000,
                autoscale=Autoscale(3, 2),
                schedules=[ScheduledScaling("up", "bad", 9)],
                readiness=HttpProbe("healthz"),
                namespace="Shop",
                controller_time_zone="Mars/Base",
            ),
        )

    assert [str(problem) for problem in refused(program).problems] == [
        "name: name 'Web' is not a valid Kubernetes name: lowercase letters, digits and '-', "
        "starting and ending with a letter or digit",
        "image: String should have at least 1 character (got '')",
        "cpu: cpu must be greater than 0, got '0'",
        "port: Input should be less than or equal to 65535 (got 70000)",
        "autoscale.min: min 3 is above max 2",
        "schedules[0].schedule: schedule 'bad' has 1 fields; expected 6 (second minute hour "
        'day-of-month month day-of-week), e.g. "0 0 8 * * 1-5"',
        "readiness.path: probe path 'healthz' must start with /",
        "namespace: namespace 'Shop' is not a valid Kubernetes name: lowercase letters, digits "
        "and '-', starting and ending with a letter or digit",
        "controller_time_zone: 'Mars/Base' is not an IANA time zone (expected e.g. "
        "Asia/Shanghai or UTC)",
    ]


def test_an_app_too_large_for_any_spec_and_eci_only_options_on_acs() -> None:
    def program() -> None:
        ServerlessApp(
            "web",
            ServerlessAppArgs(
                image="web:1",
                region="cn-hangzhou",
                runtime=ACS,
                eci=EciOptions(ram_role="app-role"),
                secret_env={"bad name": "x"},
            ),
        )

    assert [str(problem) for problem in refused(program).problems] == [
        "secret_env.bad name: 'bad name' is not an env var name (letters, digits and '_')",
    ]

    def acs_only() -> None:
        ServerlessApp(
            "web",
            ServerlessAppArgs(
                image="web:1", region="cn-hangzhou", runtime=ACS, eci=EciOptions(ram_role="r")
            ),
        )

    assert [str(problem) for problem in refused(acs_only).problems] == [
        "eci.ram_role: is ECI-only: ACS pods get RAM roles through RRSA (the cluster enables "
        "it); remove it"
    ]

    def too_large() -> None:
        ServerlessApp(
            "web", ServerlessAppArgs(image="web:1", region="cn-hangzhou", cpu=128, memory="1Ti")
        )

    problems = refused(too_large).problems
    assert [str(problem) for problem in problems] == [
        "cpu: no ECI spec in cn-hangzhou holds 128 vCPU / 1024 GiB; the largest there is "
        "64 vCPU / 512 GiB"
    ]


def test_cron_and_batch_job_arguments() -> None:
    cron = refused(
        lambda: ServerlessCronJob(
            "nightly",
            ServerlessCronJobArgs(
                image="job:1", region="cn-hangzhou", schedule="61 * * * *", time_zone="Nowhere"
            ),
        )
    )
    assert [str(problem) for problem in cron.problems] == [
        "schedule: schedule '61 * * * *': minute 61 is out of range 0-59",
        "time_zone: 'Nowhere' is not an IANA time zone (expected e.g. Asia/Shanghai or UTC)",
    ]
    batch = refused(
        lambda: BatchJob(
            "etl",
            BatchJobArgs(
                image="job:1",
                region="cn-hangzhou",
                parallelism=5,
                completions=2,
                fail_fast=True,
                eci=EciOptions(fail_strategy="fail-over"),
            ),
        )
    )
    assert [str(problem) for problem in batch.problems] == [
        "fail_fast: failFast conflicts with eci.failStrategy: fail-over",
        "parallelism: 5 pods at once for 2 completions: the extra pods would only be billed",
    ]


def test_spark_job_arguments_size_each_pod_with_its_own_options() -> None:
    error = refused(
        lambda: SparkJob(
            "spark",
            SparkJobArgs(
                image="spark:3",
                region="cn-hangzhou",
                spark_version="3.5",
                main_application_file="local:///a.jar",
                driver=SparkPod(cores=100),
                runtime=ACS,
                executor_eci=EciOptions(custom_tags={"team": "data"}),
            ),
        )
    )
    assert [str(problem) for problem in error.problems] == [
        "spark_version: '3.5' is not a Spark version like 3.5.5",
        "driver: no ACS spec holds 100 vCPU / 2.375 GiB; the largest is 64 vCPU / 512 GiB",
        "executor_eci.custom_tags: is ECI-only: ACS has no custom-tags annotation; remove it",
    ]


def test_ci_runner_arguments() -> None:
    error = refused(
        lambda: CiRunnerPool(
            "ci",
            CiRunnerPoolArgs(
                url="gitlab.example.com",
                token=pulumi.Output.secret("glrt-x"),
                region="cn-hangzhou",
                concurrency=0,
                tags=["a b"],
            ),
        )
    )
    assert [str(problem) for problem in error.problems] == [
        "url: 'gitlab.example.com' is not an http(s) URL",
        "concurrency: Input should be greater than or equal to 1 (got 0)",
        "tags[0]: tag 'a b' must not contain spaces or commas",
    ]
    acs_on_eci = refused(
        lambda: CiRunnerPool(
            "ci",
            CiRunnerPoolArgs(
                url="https://gitlab.example.com",
                token="t",
                region="cn-hangzhou",
                job_acs=AcsOptions("performance"),
            ),
        )
    )
    assert [str(problem) for problem in acs_on_eci.problems] == [
        "job_acs: ACS options apply to ACS pods only (cluster.kind acs, or ack-pro with "
        "serverlessPods acs); this cluster runs ECI pods: remove acs"
    ]


def test_platform_secrets_name_the_missing_and_the_extra_keys() -> None:
    values = platform_values(
        workloads={
            "apps": [{"name": "web", "image": "web:1", "secretEnv": {"DB_PW": "dbPassword"}}]
        }
    )
    values["ask:dbPassword"] = "set"
    config = load_platform_config(values, stack="dev")
    error = refused(lambda: Platform("shop", config, secrets={"dbPw": "x", "dbPassword": "y"}))
    assert str(error) == (
        "invalid arguments of Platform 'shop' (3 problems):\n"
        "  - secrets['ask:dbPassword']: is missing: "
        "ask:platform.workloads.apps[0].secretEnv.DB_PW reads it\n"
        "  - secrets['dbPw']: no workload reads it (the workloads read ask:dbPassword)\n"
        "  - secrets['dbPassword']: no workload reads it (did you mean 'ask:dbPassword'? Keys "
        "are full config keys)"
    )
