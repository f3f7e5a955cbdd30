"""PodRuntime: one decision about where pods run, and everything it owns (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.runtime import (
    ACS,
    ECI,
    AcsOptions,
    AcsOptionsError,
    PodRuntime,
    runtime_for,
)

D = Decimal


@pytest.mark.parametrize(
    ("kind", "pods", "local", "expected"),
    [
        ("ask", None, False, PodRuntime("eci")),
        ("acs", None, False, PodRuntime("acs")),
        ("ack-pro", None, False, PodRuntime("eci", {"alibabacloud.com/eci": "true"})),
        ("ack-pro", "eci", False, PodRuntime("eci", {"alibabacloud.com/eci": "true"})),
        ("ack-pro", "acs", False, PodRuntime("acs", {"alibabacloud.com/acs": "true"})),
        ("ask", None, True, PodRuntime("eci", states_billed_spec=True)),
        ("acs", None, True, PodRuntime("acs", states_billed_spec=True)),
    ],
)
def test_the_cluster_kind_decides_the_runtime(
    kind: str, pods: str | None, local: bool, expected: PodRuntime
) -> None:
    runtime = runtime_for(kind, pods, local=local)
    assert (runtime.kind, dict(runtime.placement_labels), runtime.states_billed_spec) == (
        expected.kind,
        dict(expected.placement_labels),
        expected.states_billed_spec,
    )


def test_an_eci_pod_is_sized_on_ecis_table_with_its_annotations() -> None:
    sizing = ECI.size(D(2), D("3.5"), region="cn-hangzhou", eci=EciOptions(specs=("4-8Gi",)))
    assert sizing.use_specs_value == "2-4Gi"
    assert dict(sizing.annotations) == {"k8s.aliyun.com/eci-use-specs": "2-4Gi,4-8Gi"}
    assert dict(sizing.labels) == {}
    assert sizing.describe_runtime == "ECI"


def test_an_ack_pro_eci_pod_carries_the_virtual_node_label() -> None:
    sizing = runtime_for("ack-pro").size(D(1), D(2), region="cn-hangzhou")
    assert dict(sizing.labels) == {"alibabacloud.com/eci": "true"}
    assert dict(sizing.annotations) == {"k8s.aliyun.com/eci-use-specs": "1-2Gi"}


def test_an_acs_pod_gets_labels_not_eci_annotations() -> None:
    sizing = ACS.size(D(2), D("3.5"), region="cn-hangzhou")
    assert sizing.use_specs_value == "2-4Gi"
    assert dict(sizing.labels) == {
        "alibabacloud.com/compute-class": "general-purpose",
        "alibabacloud.com/compute-qos": "default",
    }
    assert dict(sizing.annotations) == {}
    assert sizing.describe_runtime == "ACS general-purpose, default QoS"


def test_spot_is_best_effort_on_acs_unless_the_qos_is_given() -> None:
    spot = EciOptions(spot="SpotAsPriceGo", spot_fallback=True)
    assert ACS.size(D(2), D(4), region="r", eci=spot).compute_qos == "best-effort"
    pinned = AcsOptions(compute_qos="default")
    assert ACS.size(D(2), D(4), region="r", eci=spot, acs=pinned).compute_qos == "default"


def test_eci_options_with_an_acs_counterpart_map_to_acs_annotations() -> None:
    options = EciOptions(
        vswitch_ids=("vsw-a", "vsw-b"),
        with_eip=True,
        eip_bandwidth_mbps=20,
        extra_ephemeral_storage_gib=50,
    )
    sizing = runtime_for("ack-pro", "acs", local=True).size(
        D(1), D(2), region="r", eci=options, acs=AcsOptions("performance", "best-effort")
    )
    assert dict(sizing.annotations) == {
        "network.alibabacloud.com/vswitch-ids": "vsw-a,vsw-b",
        "network.alibabacloud.com/pod-with-eip": "true",
        "network.alibabacloud.com/eip-bandwidth": "20",
        "alibabacloud.com/extra-ephemeral-storage": "50Gi",
        # The local target states what ACS would report.
        "alibabacloud.com/pod-use-spec": "1-2Gi",
    }
    assert dict(sizing.labels) == {
        "alibabacloud.com/compute-class": "performance",
        "alibabacloud.com/compute-qos": "best-effort",
        "alibabacloud.com/acs": "true",
    }


def test_eci_only_options_are_refused_on_acs_with_what_to_do_instead() -> None:
    options = EciOptions(
        specs=("4-8Gi",),
        spot="SpotWithPriceLimit",
        spot_price_limit=D("0.5"),
        image_cache="auto",
        ram_role="reader",
    )
    with pytest.raises(AcsOptionsError) as err:
        ACS.size(D(2), D(4), region="r", eci=options)
    assert err.value.problems == (
        "specs: is ECI-only: ACS has no fallback list: a pod is billed as its own spec "
        "(alibabacloud.com/pod-required-spec is single-valued); size it with cpu and memory",
        "imageCache: is ECI-only: ACS has no image-cache annotation; remove it",
        "ramRole: is ECI-only: ACS pods get RAM roles through RRSA (the cluster enables it); "
        "remove it",
        "spotPriceLimit: is ECI-only: ACS has no spot prices: spot runs as compute-qos "
        "best-effort, billed at the best-effort price; remove it",
    )
    # What a workload kind adds by default on ECI is dropped for ACS, not refused.
    assert ACS.without_eci_only(EciOptions(image_cache="auto", spot="SpotAsPriceGo")) == EciOptions(
        spot="SpotAsPriceGo"
    )
    assert ECI.without_eci_only(EciOptions(image_cache="auto")) == EciOptions(image_cache="auto")


def test_acs_options_on_an_eci_pod_are_refused() -> None:
    with pytest.raises(AcsOptionsError) as err:
        ECI.size(D(1), D(2), region="r", acs=AcsOptions(compute_class="performance"))
    assert str(err.value) == (
        "acs: ACS options apply to ACS pods only (cluster.kind acs, or ack-pro with "
        "serverlessPods acs)"
    )


def test_bad_acs_options() -> None:
    with pytest.raises(AcsOptionsError) as err:
        AcsOptions("gpu", "spot")  # type: ignore[arg-type]
    assert err.value.problems == (
        'computeClass: "gpu" is not a compute class (expected "general-purpose" or "performance")',
        'computeQos: "spot" is not a compute QoS (expected "default" or "best-effort")',
    )
