"""Pod pieces: ECI sizing, Spark memory overhead, security contexts, env, names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.workloads.eci import EciOptions, EciOptionsError, EciSpecError
from ask_components.workloads.naming import max_name_length, object_names
from ask_components.workloads.pod import (
    PodSecurity,
    container_security_context,
    env_vars,
    pod_security_context,
    resources,
    size_pod,
)
from ask_components.workloads.quantity import parse_memory_gib
from ask_components.workloads.spark_sizing import size_spark_pod


@pytest.mark.parametrize(
    ("cpu", "memory", "region", "eci", "spec", "annotations"),
    [
        (
            "500m",
            "1Gi",
            "cn-hangzhou",
            EciOptions(),
            "0.5-1Gi",
            {"k8s.aliyun.com/eci-use-specs": "0.5-1Gi"},
        ),
        (
            "1",
            "1.5Gi",
            "cn-hangzhou",
            EciOptions(),
            "1-2Gi",
            {"k8s.aliyun.com/eci-use-specs": "1-2Gi"},
        ),
        # Alibaba's example: 7 vCPU / 13 GiB lands on the extended 8-14Gi in Hangzhou...
        (
            7,
            "13Gi",
            "cn-hangzhou",
            EciOptions(),
            "8-14Gi",
            {"k8s.aliyun.com/eci-use-specs": "8-14Gi"},
        ),
        # ...but not on spot, which has no extended specs.
        (
            7,
            "13Gi",
            "cn-hangzhou",
            EciOptions(spot="SpotAsPriceGo", spot_fallback=True),
            "8-16Gi",
            {
                "k8s.aliyun.com/eci-use-specs": "8-16Gi",
                "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
                "k8s.aliyun.com/eci-spot-fallback": "true",
            },
        ),
        (
            "2",
            "4Gi",
            "eu-central-1",
            EciOptions(specs=("4-8Gi",), image_cache="auto"),
            "2-4Gi",
            {"k8s.aliyun.com/eci-use-specs": "2-4Gi,4-8Gi", "k8s.aliyun.com/eci-auto-imc": "true"},
        ),
    ],
)
def test_size_pod(
    cpu: str | int,
    memory: str,
    region: str,
    eci: EciOptions,
    spec: str,
    annotations: dict[str, str],
) -> None:
    sizing = size_pod(cpu, memory, region=region, eci=eci)
    assert sizing.use_specs_value == spec
    assert dict(sizing.annotations) == annotations


def test_sizing_problems_surface_as_eci_errors() -> None:
    with pytest.raises(EciSpecError, match="no ECI spec in cn-hangzhou holds 65 vCPU"):
        size_pod(65, "1Gi", region="cn-hangzhou", eci=EciOptions())
    with pytest.raises(EciOptionsError, match=r"economy supports only 0\.25–8 vCPU"):
        size_pod(12, "12Gi", region="cn-hangzhou", eci=EciOptions(compute_category=("economy",)))


@given(
    cpu=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(64), places=2),
    memory=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(500), places=1),
)
def test_the_spec_always_holds_the_request(cpu: Decimal, memory: Decimal) -> None:
    try:
        sizing = size_pod(str(cpu), f"{memory}Gi", region="cn-hangzhou", eci=EciOptions())
    except EciSpecError:
        return  # e.g. 0.5 vCPU with 500 GiB: no such spec
    assert sizing.spec.cpu >= cpu
    assert sizing.spec.memory_gib >= memory
    assert resources(sizing.spec)["requests"] == resources(sizing.spec)["limits"]


@pytest.mark.parametrize(
    ("cores", "memory", "app_type", "spot", "spec", "heap", "overhead"),
    [
        # max(384 MiB, 10%) on the JVM; the rounding goes to the overhead.
        (1, "2Gi", "Scala", False, "1-4Gi", "2048m", "2048m"),
        (2, "4Gi", "Scala", False, "2-6Gi", "4096m", "2048m"),
        (2, "4Gi", "Scala", True, "2-8Gi", "4096m", "4096m"),
        (4, "7Gi", "Java", False, "4-8Gi", "7168m", "1024m"),
        # 40% for Python: 4 GiB needs 1.6 GiB of overhead.
        (2, "4Gi", "Python", False, "2-6Gi", "4096m", "2048m"),
        (2, "6Gi", "Python", False, "2-10Gi", "6144m", "4096m"),
        (1, "512Mi", "Java", False, "1-2Gi", "512m", "1536m"),
    ],
)
def test_spark_pods_get_memory_plus_overhead(
    cores: int,
    memory: str,
    app_type: str,
    spot: bool,
    spec: str,
    heap: str,
    overhead: str,
) -> None:
    eci = EciOptions(spot="SpotAsPriceGo", spot_fallback=True) if spot else EciOptions()
    sizing = size_spark_pod(cores, memory, app_type=app_type, region="cn-hangzhou", eci=eci)  # type: ignore[arg-type]
    assert (sizing.spec.use_specs_value, sizing.memory, sizing.memory_overhead) == (
        spec,
        heap,
        overhead,
    )
    # The pod asks Kubernetes for exactly the spec ECI bills.
    assert Decimal(sizing.memory_mib + sizing.overhead_mib) / 1024 == sizing.spec.memory_gib
    assert sizing.overhead_mib >= max(384, sizing.memory_mib // 10)


def test_security_contexts() -> None:
    assert pod_security_context(PodSecurity()) == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert container_security_context(PodSecurity(2000, read_only_root_filesystem=False)) == {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": False,
        "runAsNonRoot": True,
    }


@pytest.mark.parametrize("uid", [0, -1])
def test_root_is_refused(uid: int) -> None:
    with pytest.raises(ValueError, match="run_as_user must be a non-root UID"):
        PodSecurity(uid)


def test_env_plain_then_secret_refs() -> None:
    assert env_vars({"LOG_LEVEL": "info"}, ["DB_PASSWORD"], "web-env") == [
        {"name": "LOG_LEVEL", "value": "info"},
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "web-env", "key": "DB_PASSWORD"}},
        },
    ]


def test_object_names_and_limits() -> None:
    assert object_names("sparkJob", "etl", secret_env=True) == (
        ("SparkApplication", "etl"),
        ("ServiceAccount", "etl-spark"),
        ("Role", "etl-spark"),
        ("RoleBinding", "etl-spark"),
        ("Secret", "etl-env"),
    )
    assert [
        max_name_length(kind) for kind in ("app", "cronJob", "batchJob", "sparkJob", "ciRunner")
    ] == [59, 52, 59, 56, 56]
    assert parse_memory_gib("4Gi") == 4
