"""Kubernetes quantity parsing and formatting (ask_components.workloads.quantity)."""

from __future__ import annotations

from decimal import Context, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.errors import AskError
from ask_components.workloads.quantity import (
    QuantityError,
    format_cpu,
    format_memory_gib,
    parse_cpu,
    parse_memory_gib,
)

GIB = 2**30
CPU_EXAMPLES = '(expected e.g. "500m", "1.5", "2")'
MEMORY_EXAMPLES = '(expected e.g. "512Mi", "4Gi", "1G", "1073741824")'
_EXACT = Context(prec=100)


def gib(size_bytes: Decimal | int) -> Decimal:
    """Bytes as GiB, exactly (the default 28-digit context would round)."""
    return _EXACT.divide(Decimal(size_bytes), Decimal(GIB))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("500m", "0.5"),
        ("250m", "0.25"),
        ("1.5", "1.5"),
        ("2", "2"),
        (2, "2"),
        (0.5, "0.5"),
        (Decimal("0.25"), "0.25"),
        ("0", "0"),
        ("-0", "0"),
        ("+1", "1"),
        (".5", "0.5"),
        ("1.", "1"),
        ("1k", "1000"),
        ("100000000n", "0.1"),
        ("1500u", "0.0015"),
        ("1e3", "1000"),
        ("1E-3", "0.001"),
        ("2e+0", "2"),
        # Kubernetes keeps nano precision and rounds finer values up.
        ("0.1n", "0.000000001"),
        ("1.5n", "0.000000002"),
    ],
)
def test_parse_cpu(value: str | int | float | Decimal, expected: str) -> None:
    assert parse_cpu(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected_bytes"),
    [
        ("512Mi", GIB // 2),
        ("3Gi", 3 * GIB),
        ("1.5Gi", 3 * GIB // 2),
        ("1G", 10**9),
        ("1e9", 10**9),
        ("1E9", 10**9),
        ("2048M", 2048 * 10**6),
        ("1073741824", GIB),
        (1073741824, GIB),
        ("4096Ki", 4096 * 1024),
        ("1Ti", 1024 * GIB),
        ("1Pi", 2**50),
        ("1Ei", 2**60),
        ("1E", 10**18),
        ("0.5Gi", GIB // 2),
        ("128974848", 128974848),
        ("129e6", 129 * 10**6),
        ("123Mi", 123 * 2**20),
    ],
)
def test_parse_memory_gib(value: str | int, expected_bytes: int) -> None:
    assert parse_memory_gib(value) == gib(expected_bytes)


def test_parse_memory_decimal_si_is_exact() -> None:
    # 10^9 / 2^30 = 5^9 / 2^21 has a finite decimal expansion; nothing may be lost.
    assert parse_memory_gib("1G") == Decimal("0.931322574615478515625")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", f'cpu "lots" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("", f'cpu "" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        (" 1", f'cpu " 1" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("1 m", f'cpu "1 m" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("1mi", f'cpu "1mi" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("1e", f'cpu "1e" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("1e1.5", f'cpu "1e1.5" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("0x10", f'cpu "0x10" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("NaN", f'cpu "NaN" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("Infinity", f'cpu "Infinity" is not a Kubernetes quantity {CPU_EXAMPLES}'),
        (".", f'cpu "." is not a Kubernetes quantity {CPU_EXAMPLES}'),
        ("-1", f'cpu "-1" must not be negative {CPU_EXAMPLES}'),
        ("-500m", f'cpu "-500m" must not be negative {CPU_EXAMPLES}'),
        (-1, f"cpu -1 must not be negative {CPU_EXAMPLES}"),
        (Decimal("-0.5"), f"cpu Decimal('-0.5') must not be negative {CPU_EXAMPLES}"),
        (True, f"cpu True is a bool, not a Kubernetes quantity {CPU_EXAMPLES}"),
        (float("nan"), f"cpu nan is not a finite quantity {CPU_EXAMPLES}"),
        (float("inf"), f"cpu inf is not a finite quantity {CPU_EXAMPLES}"),
        (Decimal("NaN"), f"cpu Decimal('NaN') is not a finite quantity {CPU_EXAMPLES}"),
        (None, f"cpu None is not a Kubernetes quantity {CPU_EXAMPLES}"),
        ([1], f"cpu [1] is not a Kubernetes quantity {CPU_EXAMPLES}"),
        (
            "10E",
            'cpu "10E" is too large for a Kubernetes quantity '
            "(at most 9223372036854775807 base units)",
        ),
    ],
)
def test_parse_cpu_rejects(value: object, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_cpu(value)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_parse_memory_rejects_with_memory_examples() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_memory_gib("4GB")
    assert str(caught.value) == f'memory "4GB" is not a Kubernetes quantity {MEMORY_EXAMPLES}'


def test_error_names_the_value_it_parses() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_cpu("two", name="containers[1].resources.limits.cpu")
    assert str(caught.value) == (
        f'containers[1].resources.limits.cpu "two" is not a Kubernetes quantity {CPU_EXAMPLES}'
    )


def test_quantity_error_is_an_ask_error_and_a_value_error() -> None:
    assert issubclass(QuantityError, AskError)
    assert issubclass(QuantityError, ValueError)
    assert QuantityError("x").exit_code == 2


@pytest.mark.parametrize(
    ("vcpus", "expected"),
    [
        (Decimal(2), "2"),
        (2, "2"),
        (Decimal("0.5"), "500m"),
        (Decimal("0.25"), "250m"),
        (Decimal("1.5"), "1500m"),
        (Decimal(12), "12"),
        (Decimal(0), "0"),
        (Decimal(1000), "1k"),
        (Decimal("2.000"), "2"),
        (Decimal("0.0000005"), "500n"),
        (Decimal("0.0000000001"), "1n"),  # below a nanocore: rounded up, as Kubernetes does
    ],
)
def test_format_cpu(vcpus: Decimal | int, expected: str) -> None:
    assert format_cpu(vcpus) == expected


@pytest.mark.parametrize(
    ("gib", "expected"),
    [
        (Decimal(4), "4Gi"),
        (4, "4Gi"),
        (Decimal("0.5"), "512Mi"),
        (Decimal("1.5"), "1536Mi"),
        (Decimal(1024), "1Ti"),
        (Decimal(0), "0"),
        (Decimal(1) / 1024 / 1024, "1Ki"),
        (gib(10**9), "1G"),
        (gib(1500), "1500"),
        (gib(2**60), "1Ei"),
    ],
)
def test_format_memory_gib(gib: Decimal | int, expected: str) -> None:
    assert format_memory_gib(gib) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: format_cpu(Decimal(-1)), f"cpu Decimal('-1') must not be negative {CPU_EXAMPLES}"),
        (lambda: format_cpu(True), f"cpu True is a bool, not a Kubernetes quantity {CPU_EXAMPLES}"),
        (
            lambda: format_memory_gib(Decimal("Infinity")),
            f"memory Decimal('Infinity') is not a finite quantity {MEMORY_EXAMPLES}",
        ),
    ],
)
def test_format_rejects(call: object, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message


# -- properties ---------------------------------------------------------------------------------

nanocores = st.integers(min_value=0, max_value=10**15)
nanobytes = st.integers(min_value=0, max_value=2**53 * 10**9)


@given(nanocores)
def test_cpu_round_trips_format_then_parse(nano: int) -> None:
    vcpus = Decimal(nano).scaleb(-9)
    assert parse_cpu(format_cpu(vcpus)) == vcpus


@given(nanobytes)
def test_memory_round_trips_format_then_parse(nano: int) -> None:
    size = gib(Decimal(nano).scaleb(-9))
    assert parse_memory_gib(format_memory_gib(size)) == size


@given(st.integers(min_value=0, max_value=2**50))
def test_whole_kib_memory_formats_with_a_binary_suffix(kib: int) -> None:
    text = format_memory_gib(gib(kib * 1024))
    assert text == "0" or text[-2:] in {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}


_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_DECIMAL = {"m": Fraction(1, 1000), "": Fraction(1), "k": Fraction(1000), "M": Fraction(10**6)}


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(sorted({**_BINARY, **_DECIMAL})),
)
def test_parse_memory_matches_exact_fraction_arithmetic(whole: int, frac: int, suffix: str) -> None:
    text = f"{whole}.{frac:03d}{suffix}"
    factor = _BINARY.get(suffix) or _DECIMAL[suffix]
    expected_bytes = (Fraction(whole) + Fraction(frac, 1000)) * factor
    # Kubernetes rounds up to a nano-unit; the oracle does the same with exact fractions.
    nano = -((-expected_bytes * 10**9) // 1)
    expected = Fraction(nano, 10**9) / GIB
    got = parse_memory_gib(text)
    assert Fraction(got) == expected


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=-9, max_value=6))
def test_parse_cpu_exponent_form_equals_scaled_value(mantissa: int, exponent: int) -> None:
    assert parse_cpu(f"{mantissa}e{exponent}") == Decimal(mantissa).scaleb(exponent)
