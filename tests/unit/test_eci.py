"""ECI specs, rounding, pod billed spec and ECI options (ask_components.workloads.eci)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.errors import AskError
from ask_components.workloads.eci import (
    ALL_REGION_SPECS,
    DEFAULT_POD_SPEC,
    EXTENDED_SPEC_REGIONS,
    EXTENDED_SPECS,
    MAX_USE_SPECS,
    EciOptions,
    EciOptionsError,
    EciSpec,
    EciSpecError,
    billed_spec,
    is_ecs_instance_type,
    is_spot,
    round_spec,
    supported_specs,
)

HANGZHOU = "cn-hangzhou"  # has the extended specs
FRANKFURT = "eu-central-1"  # does not
USE_SPECS = "k8s.aliyun.com/eci-use-specs"
SPOT_STRATEGY = "k8s.aliyun.com/eci-spot-strategy"


def spec(text: str) -> EciSpec:
    return EciSpec.parse(text)


def container(
    name: str = "app",
    *,
    requests: Mapping[str, Any] | None = None,
    limits: Mapping[str, Any] | None = None,
    env: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A container as a manifest holds it (camelCase keys, plain values)."""
    result: dict[str, Any] = {"name": name, "image": "nginx"}
    resources: dict[str, Any] = {}
    if requests is not None:
        resources["requests"] = dict(requests)
    if limits is not None:
        resources["limits"] = dict(limits)
    if resources:
        result["resources"] = resources
    if env is not None:
        result["env"] = env
    return result


IGNORE = [{"name": "__ECI_RESOURCE_IGNORE__", "value": "TRUE"}]


# -- EciSpec ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpu", "memory", "use_specs", "instance_spec", "cpu_quantity", "memory_quantity"),
    [
        ("2", "4", "2-4Gi", "2.0-4.0Gi", "2", "4Gi"),
        ("0.25", "0.5", "0.25-0.5Gi", "0.25-0.5Gi", "250m", "512Mi"),
        ("0.5", "1", "0.5-1Gi", "0.5-1.0Gi", "500m", "1Gi"),
        ("64", "512", "64-512Gi", "64.0-512.0Gi", "64", "512Gi"),
        ("2.0", "4.00", "2-4Gi", "2.0-4.0Gi", "2", "4Gi"),
    ],
)
def test_spec_formats(
    cpu: str,
    memory: str,
    use_specs: str,
    instance_spec: str,
    cpu_quantity: str,
    memory_quantity: str,
) -> None:
    value = EciSpec(Decimal(cpu), Decimal(memory))
    assert str(value) == use_specs
    assert value.use_specs_value == use_specs
    assert value.instance_spec_value == instance_spec
    assert value.cpu_quantity == cpu_quantity
    assert value.memory_quantity == memory_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2-4Gi", EciSpec(Decimal(2), Decimal(4))),
        ("2.0-4.0Gi", EciSpec(Decimal(2), Decimal(4))),
        ("0.25-0.5Gi", EciSpec(Decimal("0.25"), Decimal("0.5"))),
        (" 8-14Gi ", EciSpec(Decimal(8), Decimal(14))),
    ],
)
def test_spec_parse(text: str, expected: EciSpec) -> None:
    assert EciSpec.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["2x4", "2-4G", "2-4", "-4Gi", "0-4Gi", "2-0Gi", "", "ecs.c6.large"]
)
def test_spec_parse_rejects(text: str) -> None:
    with pytest.raises(EciSpecError) as caught:
        EciSpec.parse(text)
    assert str(caught.value) == (
        f'"{text}" is not an ECI vCPU-Mem spec (expected e.g. "2-4Gi" or "0.25-0.5Gi")'
    )


def test_spec_is_canonical_frozen_and_ordered() -> None:
    value = EciSpec(Decimal("2.0"), Decimal("4.00"))
    assert repr(value) == "EciSpec(cpu=Decimal('2'), memory_gib=Decimal('4'))"
    assert value == spec("2-4Gi")
    assert hash(value) == hash(spec("2-4Gi"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.cpu = Decimal(4)  # type: ignore[misc]
    shuffled = [spec("4-2Gi"), spec("2-16Gi"), spec("0.5-1Gi"), spec("2-4Gi"), spec("0.25-1Gi")]
    assert [str(s) for s in sorted(shuffled)] == ["0.25-1Gi", "0.5-1Gi", "2-4Gi", "2-16Gi", "4-2Gi"]


@pytest.mark.parametrize(
    ("cpu", "memory", "message"),
    [
        (Decimal(0), Decimal(4), "EciSpec.cpu must be positive, got Decimal('0')"),
        (Decimal(2), Decimal(-1), "EciSpec.memory_gib must be positive, got Decimal('-1')"),
        (True, Decimal(4), "EciSpec.cpu must be a Decimal, got True"),
        (2.5, Decimal(4), "EciSpec.cpu must be a Decimal, got 2.5"),
        (Decimal("NaN"), Decimal(4), "EciSpec.cpu must be positive, got Decimal('NaN')"),
    ],
)
def test_spec_rejects_bad_values(cpu: object, memory: object, message: str) -> None:
    with pytest.raises(EciSpecError) as caught:
        EciSpec(cpu, memory)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_spec_round_trips_through_both_annotation_forms() -> None:
    for value in ALL_REGION_SPECS | EXTENDED_SPECS:
        assert EciSpec.parse(value.use_specs_value) == value
        assert EciSpec.parse(value.instance_spec_value) == value


# -- spec tables --------------------------------------------------------------------------------


def test_all_region_table_matches_the_documentation() -> None:
    by_cpu: dict[str, list[str]] = {}
    for value in sorted(ALL_REGION_SPECS):
        by_cpu.setdefault(str(value.cpu), []).append(str(value.memory_gib))
    assert by_cpu == {
        "0.25": ["0.5", "1"],
        "0.5": ["1", "2"],
        "1": ["2", "4", "8"],
        "2": ["1", "2", "4", "8", "16"],
        "4": ["2", "4", "8", "16", "32"],
        "8": ["4", "8", "16", "32", "64"],
        "12": ["12", "24", "48", "96"],
        "16": ["16", "32", "64", "128"],
        "24": ["24", "48", "96", "192"],
        "32": ["32", "64", "128", "256"],
        "52": ["96", "192", "384"],
        "64": ["128", "256", "512"],
    }


def test_extended_table_matches_the_documentation() -> None:
    by_cpu: dict[int, list[int]] = {}
    for value in sorted(EXTENDED_SPECS):
        by_cpu.setdefault(int(value.cpu), []).append(int(value.memory_gib))
    assert by_cpu == {
        2: [6, 10, 12, 14],
        4: [6, 10, 12, 14, 18, 20, 22, 24, 26, 28, 30],
        6: list(range(6, 49, 2)),
        8: [10, 12, 14, *range(18, 31, 2), *range(34, 63, 2)],
    }
    assert not EXTENDED_SPECS & ALL_REGION_SPECS
    assert "ap-southeast-1" in EXTENDED_SPEC_REGIONS
    assert len(EXTENDED_SPEC_REGIONS) == 12


@pytest.mark.parametrize(
    ("region", "spot", "count"),
    [
        (HANGZHOU, False, 106),
        (HANGZHOU, True, 44),
        ("ap-southeast-1", False, 106),
        ("cn-chengdu", False, 106),
        (FRANKFURT, False, 44),
        ("us-west-1", False, 44),
        ("cn-hongkong", False, 44),
    ],
)
def test_supported_specs(region: str, spot: bool, count: int) -> None:
    specs = supported_specs(region, spot=spot)
    assert len(specs) == count
    assert list(specs) == sorted(specs)
    assert set(specs) >= ALL_REGION_SPECS
    assert (spec("8-14Gi") in specs) == (count == 106)


# -- round_spec ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpu", "memory", "region", "spot", "expected"),
    [
        # Alibaba's example (https://help.aliyun.com/document_detail/114662.html).
        ("7", "13", HANGZHOU, False, "8-14Gi"),
        ("7", "13", FRANKFURT, False, "8-16Gi"),
        ("7", "13", HANGZHOU, True, "8-16Gi"),
        ("2", "10", HANGZHOU, False, "2-10Gi"),
        ("2", "10", HANGZHOU, True, "2-16Gi"),
        ("2", "10", FRANKFURT, False, "2-16Gi"),
        ("4.25", "8.5", HANGZHOU, False, "6-10Gi"),
        ("4.25", "8.5", FRANKFURT, False, "8-16Gi"),
        ("0.1", "0.1", FRANKFURT, False, "0.25-0.5Gi"),
        ("0.3", "0.5", FRANKFURT, False, "0.5-1Gi"),
        ("1", "3", FRANKFURT, False, "1-4Gi"),
        ("3", "1", FRANKFURT, False, "4-2Gi"),
        ("2", "17", HANGZHOU, False, "4-18Gi"),
        ("2", "17", FRANKFURT, False, "4-32Gi"),
        ("8", "63", HANGZHOU, False, "8-64Gi"),
        ("9", "1", FRANKFURT, False, "12-12Gi"),
        ("53", "100", FRANKFURT, False, "64-128Gi"),
        ("64", "512", FRANKFURT, False, "64-512Gi"),
        ("2", "4", FRANKFURT, False, "2-4Gi"),
    ],
)
def test_round_spec(cpu: str, memory: str, region: str, spot: bool, expected: str) -> None:
    assert round_spec(Decimal(cpu), Decimal(memory), region=region, spot=spot) == spec(expected)


def test_round_spec_takes_ints() -> None:
    assert round_spec(7, 13, region=HANGZHOU) == spec("8-14Gi")


@pytest.mark.parametrize(
    ("cpu", "memory", "region", "spot", "message"),
    [
        (
            70,
            8,
            FRANKFURT,
            False,
            "no ECI spec in eu-central-1 holds 70 vCPU / 8 GiB; "
            "the largest there is 64 vCPU / 512 GiB",
        ),
        (
            2,
            600,
            HANGZHOU,
            False,
            "no ECI spec in cn-hangzhou holds 2 vCPU / 600 GiB; "
            "the largest there is 64 vCPU / 512 GiB",
        ),
        (
            Decimal("64.5"),
            Decimal("0.5"),
            HANGZHOU,
            True,
            "no ECI spot spec in cn-hangzhou holds 64.5 vCPU / 0.5 GiB; "
            "the largest there is 64 vCPU / 512 GiB",
        ),
        (0, 4, HANGZHOU, False, "an ECI request needs a positive number of vCPU, got 0"),
        (
            2,
            Decimal(-1),
            HANGZHOU,
            False,
            "an ECI request needs a positive number of GiB of memory, got Decimal('-1')",
        ),
        (True, 4, HANGZHOU, False, "an ECI request needs a number of vCPU, got True"),
        (2, 4, "Hangzhou", False, 'region must be a region ID like "cn-hangzhou", got "Hangzhou"'),
    ],
)
def test_round_spec_rejects(
    cpu: Decimal | int, memory: Decimal | int, region: str, spot: bool, message: str
) -> None:
    with pytest.raises(EciSpecError) as caught:
        round_spec(cpu, memory, region=region, spot=spot)
    assert str(caught.value) == message


def test_spec_error_is_an_ask_error_and_a_value_error() -> None:
    assert issubclass(EciSpecError, AskError)
    assert issubclass(EciSpecError, ValueError)
    assert issubclass(EciOptionsError, AskError)
    assert issubclass(EciOptionsError, ValueError)


regions = st.sampled_from([HANGZHOU, FRANKFURT, "ap-southeast-1", "cn-beijing", "us-east-1"])
cpu_requests = st.integers(min_value=1, max_value=64_000).map(lambda n: Decimal(n) / 1000)
memory_requests = st.integers(min_value=1, max_value=512 * 1024).map(lambda n: Decimal(n) / 1024)


@given(cpu_requests, memory_requests, regions, st.booleans())
def test_round_spec_is_the_smallest_supported_spec_holding_the_request(
    cpu: Decimal, memory: Decimal, region: str, spot: bool
) -> None:
    specs = supported_specs(region, spot=spot)
    try:
        result = round_spec(cpu, memory, region=region, spot=spot)
    except EciSpecError:
        # Only a request no spec holds may fail (e.g. 60 vCPU with 100 GiB is fine, 1 vCPU with
        # 512 GiB too, but nothing in the table has more than 64 vCPU or 512 GiB).
        assert not any(s.cpu >= cpu and s.memory_gib >= memory for s in specs)
        return
    assert result in specs
    assert result.cpu >= cpu
    assert result.memory_gib >= memory
    smaller = [s for s in specs if s < result and s.cpu >= cpu and s.memory_gib >= memory]
    assert smaller == []
    if spot:
        assert result in ALL_REGION_SPECS


@given(cpu_requests, memory_requests)
def test_extended_regions_never_round_higher_than_others(cpu: Decimal, memory: Decimal) -> None:
    try:
        base = round_spec(cpu, memory, region=FRANKFURT)
    except EciSpecError:
        return
    assert round_spec(cpu, memory, region=HANGZHOU) <= base


# -- billed_spec --------------------------------------------------------------------------------


def test_billed_spec_alibaba_example_rounds_7_13_to_8_14_in_hangzhou() -> None:
    pod = {"containers": [container(requests={"cpu": "7", "memory": "13Gi"})]}
    assert billed_spec(pod, None, region=HANGZHOU) == spec("8-14Gi")
    assert billed_spec(pod, None, region=FRANKFURT) == spec("8-16Gi")


SIDECAR_POD_CONTAINERS = [
    container("a", requests={"cpu": "2", "memory": "4Gi"}),
    container("b", requests={"cpu": "2", "memory": "4Gi"}),
]


def test_billed_spec_alibaba_sidecar_example() -> None:
    # https://www.alibabacloud.com/help/en/eci/user-guide/ignore-specific-containers-during-resource-adjustment
    sidecar = container("sidecar", requests={"cpu": "250m", "memory": "512Mi"})
    pod = {"containers": [*SIDECAR_POD_CONTAINERS, sidecar]}
    assert billed_spec(pod, None, region=HANGZHOU) == spec("6-10Gi")


@pytest.mark.parametrize("value", ["TRUE", "true", "True", " true "])
def test_billed_spec_leaves_out_ignored_sidecar(value: str) -> None:
    sidecar = container(
        "sidecar",
        requests={"cpu": "250m", "memory": "512Mi"},
        env=[{"name": "OTHER", "value": "x"}, {"name": "__ECI_RESOURCE_IGNORE__", "value": value}],
    )
    pod = {"containers": [*SIDECAR_POD_CONTAINERS, sidecar]}
    assert billed_spec(pod, None, region=HANGZHOU) == spec("4-8Gi")


@pytest.mark.parametrize(
    "env",
    [
        [{"name": "__ECI_RESOURCE_IGNORE__", "value": "false"}],
        [{"name": "__ECI_RESOURCE_IGNORE__", "value": "1"}],
        [{"name": "__ECI_RESOURCE_IGNORE__", "valueFrom": {"configMapKeyRef": {"name": "x"}}}],
        [{"name": "eci_resource_ignore", "value": "TRUE"}],
    ],
)
def test_billed_spec_counts_containers_not_ignored(env: list[dict[str, Any]]) -> None:
    sidecar = container("sidecar", requests={"cpu": "250m", "memory": "512Mi"}, env=env)
    pod = {"containers": [*SIDECAR_POD_CONTAINERS, sidecar]}
    assert billed_spec(pod, None, region=HANGZHOU) == spec("6-10Gi")


@pytest.mark.parametrize(
    ("containers", "region", "expected"),
    [
        # Nothing set: 2 vCPU / 4 GiB.
        ([container()], FRANKFURT, "2-4Gi"),
        ([], FRANKFURT, "2-4Gi"),
        ([container(requests={}, limits={})], FRANKFURT, "2-4Gi"),
        ([container(requests={"cpu": "1", "memory": "2Gi"}, env=IGNORE)], FRANKFURT, "2-4Gi"),
        # Requests only: their sum.
        ([container(requests={"cpu": "500m", "memory": "1Gi"})], FRANKFURT, "0.5-1Gi"),
        (
            [
                container("a", requests={"cpu": "1", "memory": "1Gi"}),
                container("b", requests={"cpu": "1", "memory": 1073741824}),
            ],
            FRANKFURT,
            "2-2Gi",
        ),
        # Limits only: their sum.
        ([container(limits={"cpu": 3, "memory": "5Gi"})], HANGZHOU, "4-6Gi"),
        # Both: limits win, requests ignored.
        (
            [
                container(
                    requests={"cpu": "1", "memory": "2Gi"}, limits={"cpu": "2", "memory": "8Gi"}
                )
            ],
            FRANKFURT,
            "2-8Gi",
        ),
        (
            [
                container(
                    requests={"cpu": "4", "memory": "8Gi"}, limits={"cpu": "2", "memory": "4Gi"}
                )
            ],
            FRANKFURT,
            "2-4Gi",
        ),
        # Each resource on its own: a CPU limit and a memory request.
        ([container(requests={"memory": "3Gi"}, limits={"cpu": "2"})], FRANKFURT, "2-4Gi"),
        # A container without limits counts with its requests (our reading, see billed_spec).
        (
            [
                container("a", limits={"cpu": "2", "memory": "4Gi"}),
                container("b", requests={"cpu": "1", "memory": "2Gi"}),
            ],
            HANGZHOU,
            "4-6Gi",
        ),
        # Only one resource set: the other puts no bound on the spec.
        ([container(limits={"memory": "8Gi"})], FRANKFURT, "1-8Gi"),
        ([container(requests={"cpu": "3"})], FRANKFURT, "4-2Gi"),
        ([container(requests={"cpu": "0", "memory": "0"})], FRANKFURT, "0.25-0.5Gi"),
    ],
)
def test_billed_spec_sums_containers(
    containers: list[dict[str, Any]], region: str, expected: str
) -> None:
    assert billed_spec({"containers": containers}, None, region=region) == spec(expected)


def test_billed_spec_leaves_out_init_containers() -> None:
    pod = {
        "initContainers": [container("init", requests={"cpu": "16", "memory": "64Gi"})],
        "containers": [container(requests={"cpu": "1", "memory": "2Gi"})],
    }
    assert billed_spec(pod, None, region=FRANKFURT) == spec("1-2Gi")


@pytest.mark.parametrize(
    ("use_specs", "region", "expected"),
    [
        ("4-8Gi", FRANKFURT, "4-8Gi"),
        ("4-8Gi,2-4Gi,ecs.c6.xlarge", FRANKFURT, "4-8Gi"),
        (" 0.5-1Gi , 4-8Gi", FRANKFURT, "0.5-1Gi"),
        ("2.0-4.0Gi", FRANKFURT, "2-4Gi"),
        ("2-10Gi", HANGZHOU, "2-10Gi"),
        # Not offered there: rounded up like a request (our reading, see billed_spec).
        ("2-10Gi", FRANKFURT, "2-16Gi"),
    ],
)
def test_billed_spec_use_specs_annotation_wins(use_specs: str, region: str, expected: str) -> None:
    pod = {"containers": [container(requests={"cpu": "16", "memory": "32Gi"})]}
    assert billed_spec(pod, {USE_SPECS: use_specs}, region=region) == spec(expected)


def test_billed_spec_spot_cannot_use_extended_specs() -> None:
    pod = {"containers": [container(requests={"cpu": "2", "memory": "10Gi"})]}
    assert billed_spec(pod, None, region=HANGZHOU) == spec("2-10Gi")
    assert billed_spec(pod, None, region=HANGZHOU, spot=True) == spec("2-16Gi")
    spot_annotations = {SPOT_STRATEGY: "SpotAsPriceGo"}
    assert billed_spec(pod, spot_annotations, region=HANGZHOU) == spec("2-16Gi")


@pytest.mark.parametrize(
    ("pod", "annotations", "message"),
    [
        (
            {"containers": []},
            {USE_SPECS: "ecs.c6.xlarge,2-4Gi"},
            'k8s.aliyun.com/eci-use-specs: the first entry "ecs.c6.xlarge" is an ECS instance '
            "type; ECI bills the pod as that ECS type, which billed_spec does not price or round",
        ),
        (
            {"containers": []},
            {"k8s.aliyun.com/eci-instance-type": "ecs.g6.large"},
            'k8s.aliyun.com/eci-instance-type: the pod pins the ECS instance type "ecs.g6.large"; '
            "ECI bills the pod as that ECS type, which billed_spec does not price or round",
        ),
        (
            {"containers": []},
            {USE_SPECS: "big,2-4Gi"},
            'k8s.aliyun.com/eci-use-specs: "big" is not an ECI vCPU-Mem spec '
            '(expected e.g. "2-4Gi" or "0.25-0.5Gi")',
        ),
        (
            {"containers": [container(requests={"cpu": "40", "memory": "600Gi"})]},
            None,
            "no ECI spec in cn-hangzhou holds 40 vCPU / 600 GiB; "
            "the largest there is 64 vCPU / 512 GiB",
        ),
        (
            {"containers": [container(), container("b", limits={"cpu": "two"})]},
            None,
            'containers[1].resources.limits.cpu "two" is not a Kubernetes quantity '
            '(expected e.g. "500m", "1.5", "2")',
        ),
        (
            {"containers": [container(requests={"memory": "-1Gi"})]},
            None,
            'containers[0].resources.requests.memory "-1Gi" must not be negative '
            '(expected e.g. "512Mi", "4Gi", "1G", "1073741824")',
        ),
        (
            {"containers": [container(f"c{i}") for i in range(21)]},
            None,
            "containers: ECI accepts at most 20 containers in a pod, got 21",
        ),
        ({"containers": "app"}, None, "containers must be a list, got str"),
        ({"containers": ["app"]}, None, "containers[0] must be a mapping, got str"),
        (
            {"containers": [{"name": "a", "resources": {"limits": ["cpu"]}}]},
            None,
            "containers[0].resources.limits must be a mapping, got list",
        ),
    ],
)
def test_billed_spec_rejects(
    pod: dict[str, Any], annotations: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(EciSpecError) as caught:
        billed_spec(pod, annotations, region=HANGZHOU)
    assert str(caught.value) == message


def test_default_pod_spec() -> None:
    assert spec("2-4Gi") == DEFAULT_POD_SPEC


@given(cpu_requests, memory_requests, regions)
def test_billed_spec_of_one_container_is_its_rounded_request(
    cpu: Decimal, memory: Decimal, region: str
) -> None:
    pod = {"containers": [container(limits={"cpu": str(cpu), "memory": f"{memory}Gi"})]}
    try:
        expected = round_spec(cpu, memory, region=region)
    except EciSpecError:
        with pytest.raises(EciSpecError):
            billed_spec(pod, None, region=region)
        return
    assert billed_spec(pod, None, region=region) == expected


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        (None, False),
        ({}, False),
        ({SPOT_STRATEGY: "SpotAsPriceGo"}, True),
        ({SPOT_STRATEGY: "SpotWithPriceLimit"}, True),
        ({SPOT_STRATEGY: "NoSpot"}, False),
        ({USE_SPECS: "2-4Gi"}, False),
    ],
)
def test_is_spot(annotations: dict[str, str] | None, expected: bool) -> None:
    assert is_spot(annotations) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ecs.c6.xlarge", True), ("ecs.gn6i-c4g1.xlarge", True), ("2-4Gi", False), ("c6", False)],
)
def test_is_ecs_instance_type(value: str, expected: bool) -> None:
    assert is_ecs_instance_type(value) is expected


# -- EciOptions ---------------------------------------------------------------------------------


def test_default_options_write_no_annotations() -> None:
    options = EciOptions()
    assert options.annotations() == {}
    assert options.annotations(spec("2-4Gi")) == {USE_SPECS: "2-4Gi"}
    assert options.is_spot is False


def test_every_option_as_annotations() -> None:
    options = EciOptions(
        specs=("4-8Gi", "ecs.c6.xlarge"),
        spot="SpotWithPriceLimit",
        spot_price_limit=Decimal("0.500"),
        spot_duration_hours=0,
        spot_fallback=True,
        image_cache="auto",
        extra_ephemeral_storage_gib=50,
        with_eip=True,
        eip_bandwidth_mbps=10,
        max_pending_minutes=30,
        custom_tags={"team": "data", "env": "prod"},
        ram_role="AliyunECIContainerGroupRole",
        fail_strategy="fail-fast",
        vswitch_ids=("vsw-aaa111", "vsw-bbb222"),
        schedule_strategy="VSwitchRandom",
    )
    assert options.is_spot is True
    assert options.annotations(spec("2-4Gi")) == {
        "k8s.aliyun.com/eci-vswitch": "vsw-aaa111,vsw-bbb222",
        "k8s.aliyun.com/eci-schedule-strategy": "VSwitchRandom",
        "k8s.aliyun.com/eci-use-specs": "2-4Gi,4-8Gi,ecs.c6.xlarge",
        "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit",
        "k8s.aliyun.com/eci-spot-price-limit": "0.5",
        "k8s.aliyun.com/eci-spot-duration": "0",
        "k8s.aliyun.com/eci-spot-fallback": "true",
        "k8s.aliyun.com/eci-fail-strategy": "fail-fast",
        "k8s.aliyun.com/eci-max-pending-minute": "30",
        "k8s.aliyun.com/eci-custom-tags": "team:data,env:prod",
        "k8s.aliyun.com/eci-ram-role-name": "AliyunECIContainerGroupRole",
        "k8s.aliyun.com/eci-auto-imc": "true",
        "k8s.aliyun.com/eci-extra-ephemeral-storage": "50Gi",
        "k8s.aliyun.com/eci-with-eip": "true",
        "k8s.aliyun.com/eip-bandwidth": "10",
    }
    assert options.annotations() == {
        **options.annotations(spec("2-4Gi")),
        "k8s.aliyun.com/eci-use-specs": "4-8Gi,ecs.c6.xlarge",
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            EciOptions(image_cache="imc-2zebxkiifuyzzlhl5"),
            {"k8s.aliyun.com/eci-imc-id": "imc-2zebxkiifuyzzlhl5"},
        ),
        (
            EciOptions(spot="SpotAsPriceGo"),
            {"k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"},
        ),
        (
            EciOptions(spot="SpotAsPriceGo", spot_duration_hours=1, spot_fallback=True),
            {
                "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
                "k8s.aliyun.com/eci-spot-duration": "1",
                "k8s.aliyun.com/eci-spot-fallback": "true",
            },
        ),
        (
            EciOptions(compute_category=("economy", "general")),
            {"k8s.aliyun.com/eci-compute-category": "economy,general"},
        ),
        (EciOptions(with_eip=True), {"k8s.aliyun.com/eci-with-eip": "true"}),
        (EciOptions(fail_strategy="fail-back"), {"k8s.aliyun.com/eci-fail-strategy": "fail-back"}),
        (
            EciOptions(max_pending_minutes=1440),
            {"k8s.aliyun.com/eci-max-pending-minute": "1440"},
        ),
        (
            EciOptions(spot="SpotWithPriceLimit", spot_price_limit=Decimal("0.125")),
            {
                "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit",
                "k8s.aliyun.com/eci-spot-price-limit": "0.125",
            },
        ),
        (
            EciOptions(spot="SpotWithPriceLimit", spot_price_limit=Decimal(2)),
            {
                "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit",
                "k8s.aliyun.com/eci-spot-price-limit": "2",
            },
        ),
    ],
)
def test_options_annotations(options: EciOptions, expected: dict[str, str]) -> None:
    assert options.annotations() == expected


def test_use_specs_lists_the_pod_spec_once() -> None:
    options = EciOptions(specs=("2-4Gi", "4-8Gi"))
    assert options.annotations(spec("2-4Gi")) == {USE_SPECS: "2-4Gi,4-8Gi"}


def test_use_specs_takes_at_most_five_with_the_pod_spec() -> None:
    four = ("1-2Gi", "1-4Gi", "1-8Gi", "ecs.c6.xlarge")
    assert EciOptions(specs=four).annotations(spec("0.5-1Gi")) == {
        USE_SPECS: "0.5-1Gi,1-2Gi,1-4Gi,1-8Gi,ecs.c6.xlarge"
    }
    five = (*four, "ecs.g6.xlarge")
    assert len(five) == MAX_USE_SPECS
    with pytest.raises(EciOptionsError) as caught:
        EciOptions(specs=five).annotations(spec("0.5-1Gi"))
    assert str(caught.value) == (
        "specs: eci-use-specs takes at most 5 specs, got 6 (the pod's spec 0.5-1Gi and 5 fallbacks)"
    )


@pytest.mark.parametrize(
    ("options", "pod_spec", "message"),
    [
        (
            EciOptions(spot="SpotAsPriceGo"),
            "2-10Gi",
            "spot: the pod's spec 2-10Gi exists only as an extended spec, which ECI does not "
            "allow for spot (SpotAsPriceGo)",
        ),
        (
            EciOptions(compute_category=("economy", "general")),
            "16-32Gi",
            "computeCategory: economy supports only 0.25–8 vCPU, "
            "the pod's spec 16-32Gi has 16 vCPU",
        ),
    ],
)
def test_annotations_reject_a_conflicting_pod_spec(
    options: EciOptions, pod_spec: str, message: str
) -> None:
    with pytest.raises(EciOptionsError) as caught:
        options.annotations(spec(pod_spec))
    assert str(caught.value) == message


def test_economy_takes_up_to_eight_vcpu() -> None:
    options = EciOptions(compute_category=("economy",))
    assert options.annotations(spec("8-64Gi"))[USE_SPECS] == "8-64Gi"


OPTION_ERRORS: list[tuple[Callable[[], EciOptions], str]] = [
    # specs
    (
        lambda: EciOptions(specs=("2x4",)),
        'specs: "2x4" is neither a vCPU-Mem spec like "2-4Gi" '
        'nor an ECS instance type like "ecs.c6.xlarge"',
    ),
    (
        lambda: EciOptions(specs=("3-5Gi",)),
        'specs: "3-5Gi" is not an ECI spec '
        "(see https://help.aliyun.com/document_detail/114662.html)",
    ),
    (lambda: EciOptions(specs=("2.0-4.0Gi",)), 'specs: write "2.0-4.0Gi" as "2-4Gi"'),
    (lambda: EciOptions(specs=("2-4Gi", "2-4Gi")), 'specs: "2-4Gi" is listed twice'),
    (
        lambda: EciOptions(specs=("1-2Gi", "1-4Gi", "1-8Gi", "2-4Gi", "2-8Gi", "4-8Gi")),
        "specs: at most 5 specs, got 6",
    ),
    (
        lambda: EciOptions(specs="2-4Gi"),  # type: ignore[arg-type]
        'specs: must be a list of specs, got the string "2-4Gi"',
    ),
    (
        lambda: EciOptions(specs=("2-10Gi",), spot="SpotAsPriceGo"),
        'specs: "2-10Gi" exists only as an extended spec, which ECI does not allow for spot '
        "(SpotAsPriceGo)",
    ),
    # spot
    (
        lambda: EciOptions(spot="cheap"),  # type: ignore[arg-type]
        'spot: "cheap" is not a spot strategy (expected "SpotAsPriceGo" or "SpotWithPriceLimit")',
    ),
    (
        lambda: EciOptions(spot="SpotWithPriceLimit"),
        "spot: SpotWithPriceLimit requires spotPriceLimit (hourly price cap)",
    ),
    (
        lambda: EciOptions(spot="SpotAsPriceGo", spot_price_limit=Decimal("0.5")),
        "spotPriceLimit: only allowed with spot: SpotWithPriceLimit (spot is SpotAsPriceGo)",
    ),
    (
        lambda: EciOptions(spot_price_limit=Decimal("0.5")),
        "spotPriceLimit: only allowed with spot: SpotWithPriceLimit (spot is unset)",
    ),
    (
        lambda: EciOptions(spot="SpotWithPriceLimit", spot_price_limit=Decimal("0.1234")),
        "spotPriceLimit: at most 3 decimal places, got 0.1234",
    ),
    (
        lambda: EciOptions(spot="SpotWithPriceLimit", spot_price_limit=Decimal(0)),
        "spotPriceLimit: must be greater than 0, got 0",
    ),
    (
        lambda: EciOptions(spot="SpotWithPriceLimit", spot_price_limit=Decimal("-0.1")),
        "spotPriceLimit: must be greater than 0, got -0.1",
    ),
    (
        lambda: EciOptions(spot="SpotWithPriceLimit", spot_price_limit="cheap"),  # type: ignore[arg-type]
        'spotPriceLimit: must be a decimal number, got "cheap"',
    ),
    (lambda: EciOptions(spot_duration_hours=1), "spotDurationHours: only allowed with spot"),
    (
        lambda: EciOptions(spot="SpotAsPriceGo", spot_duration_hours=-1),
        "spotDurationHours: must be 0 (no protection period) or a whole number of hours >= 1, "
        "got -1",
    ),
    (lambda: EciOptions(spot_fallback=True), "spotFallback: only allowed with spot"),
    (
        lambda: EciOptions(spot="SpotAsPriceGo", spot_fallback="yes"),  # type: ignore[arg-type]
        'spotFallback: must be true or false, got "yes"',
    ),
    # computeCategory
    (
        lambda: EciOptions(spot="SpotAsPriceGo", compute_category=("economy",)),
        "computeCategory: economy cannot be combined with spot (SpotAsPriceGo) — "
        "ECI rejects it with FeatureBasedConstraintConflict",
    ),
    (
        lambda: EciOptions(
            spot="SpotWithPriceLimit",
            spot_price_limit=Decimal("0.1"),
            compute_category=("general", "economy"),
        ),
        "computeCategory: economy cannot be combined with spot (SpotWithPriceLimit) — "
        "ECI rejects it with FeatureBasedConstraintConflict",
    ),
    (
        lambda: EciOptions(compute_category=("fast",)),  # type: ignore[arg-type]
        'computeCategory: "fast" is not a compute category (expected "economy" or "general")',
    ),
    (
        lambda: EciOptions(compute_category=("general", "general")),
        'computeCategory: "general" is listed twice',
    ),
    (
        lambda: EciOptions(compute_category="economy"),  # type: ignore[arg-type]
        'computeCategory: must be a list such as ["economy", "general"], got the string "economy"',
    ),
    (
        lambda: EciOptions(compute_category=("economy",), specs=("12-24Gi",)),
        'computeCategory: economy supports only 0.25–8 vCPU, specs entry "12-24Gi" has 12 vCPU',
    ),
    # imageCache
    (
        lambda: EciOptions(image_cache="yes"),
        'imageCache: "yes" must be "auto" or an ImageCache ID (expected "imc-…")',
    ),
    (
        lambda: EciOptions(image_cache="imc-"),
        'imageCache: "imc-" must be "auto" or an ImageCache ID (expected "imc-…")',
    ),
    # ephemeralStorageGib
    (
        lambda: EciOptions(extra_ephemeral_storage_gib=0),
        "ephemeralStorageGib: must be a whole number of GiB from 1 to 32738 (one ESSD of 32768 GiB, 30 of them free), got 0",
    ),
    (
        lambda: EciOptions(extra_ephemeral_storage_gib=32739),
        "ephemeralStorageGib: must be a whole number of GiB from 1 to 32738 (one ESSD of 32768 GiB, 30 of them free), got 32739",
    ),
    (
        lambda: EciOptions(extra_ephemeral_storage_gib=True),
        "ephemeralStorageGib: must be a whole number of GiB from 1 to 32738 (one ESSD of 32768 GiB, 30 of them free), got True",
    ),
    # withEip / eipBandwidthMbps
    (
        lambda: EciOptions(eip_bandwidth_mbps=10),
        "eipBandwidthMbps: only allowed with withEip: true",
    ),
    (
        lambda: EciOptions(with_eip=True, eip_bandwidth_mbps=0),
        "eipBandwidthMbps: must be a whole number of Mbit/s greater than 0, got 0",
    ),
    (
        lambda: EciOptions(with_eip="true"),  # type: ignore[arg-type]
        'withEip: must be true or false, got "true"',
    ),
    # maxPendingMinutes
    (
        lambda: EciOptions(max_pending_minutes=9),
        "maxPendingMinutes: must be between 10 and 1440, got 9",
    ),
    (
        lambda: EciOptions(max_pending_minutes=1441),
        "maxPendingMinutes: must be between 10 and 1440, got 1441",
    ),
    # customTags
    (
        lambda: EciOptions(custom_tags={"a": "1", "b": "2", "c": "3", "d": "4"}),
        "customTags: at most 3 tags, got 4",
    ),
    (
        lambda: EciOptions(custom_tags={"a,b": "1"}),
        'customTags: tag key "a,b" must not contain "," or ":"',
    ),
    (
        lambda: EciOptions(custom_tags={"a": "1:2"}),
        'customTags: tag value "1:2" must not contain "," or ":"',
    ),
    (
        lambda: EciOptions(custom_tags={"": "x"}),
        'customTags: tag key "" must be a non-empty string',
    ),
    # ramRole / failStrategy
    (
        lambda: EciOptions(ram_role="my role"),
        'ramRole: "my role" is not a RAM role name (1-64 letters, digits, ".", "_" or "-")',
    ),
    (
        lambda: EciOptions(fail_strategy="retry"),  # type: ignore[arg-type]
        'failStrategy: "retry" is not a fail strategy (expected "fail-back", "fail-over" or '
        '"fail-fast")',
    ),
    # vswitchIds / scheduleStrategy
    (
        lambda: EciOptions(vswitch_ids=tuple(f"vsw-{i}" for i in range(11))),
        "vswitchIds: at most 10 vSwitches, got 11",
    ),
    (
        lambda: EciOptions(vswitch_ids=("subnet-1",)),
        'vswitchIds: "subnet-1" is not a vSwitch ID (expected "vsw-…")',
    ),
    (lambda: EciOptions(vswitch_ids=("vsw-a", "vsw-a")), 'vswitchIds: "vsw-a" is listed twice'),
    (
        lambda: EciOptions(vswitch_ids="vsw-a"),  # type: ignore[arg-type]
        'vswitchIds: must be a list of vSwitch IDs, got the string "vsw-a"',
    ),
    (
        lambda: EciOptions(schedule_strategy="Random"),  # type: ignore[arg-type]
        'scheduleStrategy: "Random" is not a schedule strategy (expected "VSwitchOrdered" or '
        '"VSwitchRandom")',
    ),
]


@pytest.mark.parametrize(
    ("build", "message"),
    OPTION_ERRORS,
    ids=[f"{message.split(':')[0]}-{index}" for index, (_, message) in enumerate(OPTION_ERRORS)],
)
def test_options_reject(build: Callable[[], EciOptions], message: str) -> None:
    with pytest.raises(EciOptionsError) as caught:
        build()
    assert str(caught.value) == message
    assert caught.value.problems == (message,)


def test_options_report_every_problem_at_once() -> None:
    with pytest.raises(EciOptionsError) as caught:
        EciOptions(
            spot="SpotAsPriceGo",
            compute_category=("economy",),
            max_pending_minutes=5,
            eip_bandwidth_mbps=20,
        )
    assert str(caught.value) == (
        "invalid ECI options (3 problems):\n"
        "  - computeCategory: economy cannot be combined with spot (SpotAsPriceGo) — "
        "ECI rejects it with FeatureBasedConstraintConflict\n"
        "  - maxPendingMinutes: must be between 10 and 1440, got 5\n"
        "  - eipBandwidthMbps: only allowed with withEip: true"
    )
    assert len(caught.value.problems) == 3


def test_options_are_frozen_hashable_and_copy_their_inputs() -> None:
    tags = {"team": "data"}
    options = EciOptions(
        specs=["4-8Gi"],  # type: ignore[arg-type]
        vswitch_ids=["vsw-a"],  # type: ignore[arg-type]
        custom_tags=tags,
    )
    tags["later"] = "x"
    assert options.specs == ("4-8Gi",)
    assert options.vswitch_ids == ("vsw-a",)
    assert dict(options.custom_tags) == {"team": "data"}
    assert hash(options) == hash(EciOptions(specs=("4-8Gi",), vswitch_ids=("vsw-a",)))
    assert options == EciOptions(
        specs=("4-8Gi",), vswitch_ids=("vsw-a",), custom_tags={"team": "data"}
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.spot = "SpotAsPriceGo"  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.custom_tags["x"] = "y"  # type: ignore[index]


def test_price_limit_given_as_text_or_int_is_a_decimal() -> None:
    text = EciOptions(spot="SpotWithPriceLimit", spot_price_limit="0.25")  # type: ignore[arg-type]
    assert text.spot_price_limit == Decimal("0.25")
    whole = EciOptions(spot="SpotWithPriceLimit", spot_price_limit=1)  # type: ignore[arg-type]
    assert whole.annotations()["k8s.aliyun.com/eci-spot-price-limit"] == "1"


tag_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./", min_size=1, max_size=20)


@given(st.dictionaries(tag_text, tag_text, max_size=3))
def test_custom_tags_annotation_reads_back(tags: dict[str, str]) -> None:
    annotations = EciOptions(custom_tags=tags).annotations()
    if not tags:
        assert annotations == {}
        return
    text = annotations["k8s.aliyun.com/eci-custom-tags"]
    assert dict(item.split(":") for item in text.split(",")) == tags


def test_instance_spec_states_the_pod_spec_as_eci_writes_it() -> None:
    from ask_components.workloads.eci_options import EciOptions

    options = EciOptions(specs=("2-4Gi",), instance_spec=True)
    assert options.annotations(EciSpec.parse("0.5-1Gi")) == {
        "k8s.aliyun.com/eci-use-specs": "0.5-1Gi,2-4Gi",
        "k8s.aliyun.com/eci-instance-spec": "0.5-1.0Gi",
    }
    # Without the pod's own spec there is nothing to state.
    assert options.annotations() == {"k8s.aliyun.com/eci-use-specs": "2-4Gi"}
    assert "k8s.aliyun.com/eci-instance-spec" not in EciOptions().annotations(
        EciSpec.parse("0.5-1Gi")
    )


def test_instance_spec_must_be_a_bool() -> None:
    from ask_components.workloads.eci_options import EciOptions, EciOptionsError

    with pytest.raises(EciOptionsError, match='instance_spec: must be true or false, got "yes"'):
        EciOptions(instance_spec="yes")  # type: ignore[arg-type]
