"""ACS's spec grid and rounding (pure): a table of requests and the spec ACS bills them as."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.workloads.acs_specs import (
    ACS_SPECS,
    AcsSpec,
    AcsSpecError,
    is_acs_spec,
    round_acs_spec,
)

D = Decimal


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        # ACS's own example: 2 vCPU / 3.5 GiB -> 2 vCPU / 4 GiB (pod-use-spec 2-4Gi).
        ("2", "3.5", "2-4Gi"),
        ("0.25", "0.5", "0.25-0.5Gi"),
        ("0.25", "2", "0.25-2Gi"),
        ("0.1", "0.1", "0.25-0.5Gi"),
        # 0.25 vCPU takes at most 2 GiB: 3 GiB needs 0.5 vCPU, whose memory is 1-4 GiB.
        ("0.25", "3", "0.5-3Gi"),
        # 0.5 vCPU starts at ceil(0.5) = 1 GiB.
        ("0.3", "0.5", "0.5-1Gi"),
        ("0.5", "4", "0.5-4Gi"),
        # 0.5 vCPU takes at most 8 x 0.5 = 4 GiB: 6 GiB needs 1 vCPU.
        ("0.5", "6", "1-6Gi"),
        ("1", "0.5", "1-1Gi"),
        ("1", "8", "1-8Gi"),
        ("1", "9", "1.5-9Gi"),
        ("1.2", "2", "1.5-2Gi"),
        # 2.5 vCPU: 3 to 20 GiB.
        ("2.5", "1", "2.5-3Gi"),
        ("12.5", "100", "12.5-100Gi"),
        ("12.5", "101", "13-101Gi"),
        ("16", "128", "16-128Gi"),
        # Above 16 vCPU only 24/32/48/64 with 1, 2, 4, 8 GiB per vCPU.
        ("17", "17", "24-24Gi"),
        ("16", "129", "24-192Gi"),
        # Fewest vCPUs first: 24 vCPU with 192 GiB, not 32 with 128.
        ("24", "100", "24-192Gi"),
        ("64", "512", "64-512Gi"),
    ],
)
def test_rounding(cpu: str, memory: str, expected: str) -> None:
    assert round_acs_spec(D(cpu), D(memory)).use_specs_value == expected


def test_the_grid() -> None:
    by_cpu: dict[Decimal, list[Decimal]] = {}
    for spec in ACS_SPECS:
        by_cpu.setdefault(spec.cpu, []).append(spec.memory_gib)
    assert by_cpu[D("0.25")] == [D("0.5"), D(1), D(2)]
    assert by_cpu[D("0.5")] == [D(1), D(2), D(3), D(4)]
    assert by_cpu[D("1.5")] == [D(n) for n in range(2, 13)]
    assert by_cpu[D(16)] == [D(n) for n in range(16, 129)]
    assert by_cpu[D(48)] == [D(48), D(96), D(192), D(384)]
    assert sorted(by_cpu) == [
        D("0.25"),
        *(D(n) / 2 for n in range(1, 33)),
        D(24),
        D(32),
        D(48),
        D(64),
    ]
    # 3 at 0.25 vCPU; for 0.5..16 vCPU, 8v - ceil(v) + 1 each; 4 x 4 above 16.
    assert (
        len(ACS_SPECS) == 3 + sum(4 * n - math.ceil(n / 2) + 1 for n in range(1, 33)) + 16 == 1891
    )


@pytest.mark.parametrize(
    ("cpu", "memory", "message"),
    [
        ("65", "1", "no ACS spec holds 65 vCPU / 1 GiB; the largest is 64 vCPU / 512 GiB"),
        ("1", "513", "no ACS spec holds 1 vCPU / 513 GiB; the largest is 64 vCPU / 512 GiB"),
        ("0", "1", "vCPU must be greater than 0, got Decimal('0')"),
        ("1", "-1", "GiB of memory must be greater than 0, got Decimal('-1')"),
    ],
)
def test_refusals(cpu: str, memory: str, message: str) -> None:
    with pytest.raises(AcsSpecError) as err:
        round_acs_spec(D(cpu), D(memory))
    assert str(err.value) == message


def test_specs_parse_and_say_when_they_need_a_ticket() -> None:
    assert AcsSpec.parse("2.5-5Gi") == AcsSpec(D("2.5"), D(5))
    assert AcsSpec.parse("2-4Gi").cpu_quantity == "2"
    assert AcsSpec.parse("0.25-0.5Gi").memory_quantity == "512Mi"
    assert not AcsSpec.parse("16-128Gi").needs_ticket
    assert AcsSpec.parse("24-24Gi").needs_ticket
    assert AcsSpec.parse("16-129Gi").needs_ticket
    assert not is_acs_spec(AcsSpec.parse("0.5-5Gi"))
    with pytest.raises(AcsSpecError) as err:
        AcsSpec.parse("2-4G")
    assert str(err.value) == '"2-4G" is not an ACS spec (expected e.g. "2-4Gi")'


@given(
    st.decimals(min_value=D("0.01"), max_value=D(64), places=2),
    st.decimals(min_value=D("0.01"), max_value=D(512), places=2),
)
def test_the_rounded_spec_holds_the_request_and_is_the_smallest(
    cpu: Decimal, memory: Decimal
) -> None:
    try:
        spec = round_acs_spec(cpu, memory)
    except AcsSpecError:
        # Only when the request is larger than every spec of 64 vCPU can hold.
        assert all(s.cpu < cpu or s.memory_gib < memory for s in ACS_SPECS)
        return
    assert is_acs_spec(spec)
    assert spec.cpu >= cpu
    assert spec.memory_gib >= memory
    fitting = [s for s in ACS_SPECS if s.cpu >= cpu and s.memory_gib >= memory]
    assert spec == min(fitting)
