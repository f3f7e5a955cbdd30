"""Kubernetes resource quantities (``"500m"``, ``"1.5"``, ``"512Mi"``, ``"1G"``, ``"1e9"``).

Parsing follows the quantity grammar of Kubernetes
(https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/)::

    <quantity>        ::= <signedNumber><suffix>
    <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>       ::= m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
    <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>

Like ``k8s.io/apimachinery`` we also accept the ``n`` and ``u`` decimal suffixes (metrics
APIs write CPU in nanocores), round a value more precise than 10^-9 of its base unit up to
10^-9, and refuse values above 2^63 - 1 base units (apimachinery caps them silently; an error
is more useful to someone writing a manifest). Exponents are integers of at most 3 digits.

CPU is returned in vCPUs and memory in GiB, both as exact :class:`~decimal.Decimal` values, so
``parse_memory_gib("1G")`` is exactly ``10**9 / 2**30``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Final

from ask_components.errors import AskError
from ask_components.workloads._format import show

__all__ = [
    "BYTES_PER_GIB",
    "MAX_QUANTITY",
    "QuantityError",
    "format_cpu",
    "format_memory_gib",
    "parse_cpu",
    "parse_memory_gib",
]

QuantityValue = str | int | float | Decimal
"""What a manifest may hold for a quantity: YAML gives strings, ints or floats."""

BYTES_PER_GIB: Final = Decimal(2**30)
"""Bytes in one GiB."""

MAX_QUANTITY: Final = Decimal(2**63 - 1)
"""Largest value, in base units (vCPUs or bytes), that a Kubernetes quantity can hold (int64)."""

_NANO: Final = Decimal("1e-9")
"""Finest precision a Kubernetes quantity keeps; finer values are rounded up to it."""

_BINARY_SI: Final[dict[str, int]] = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
"""Binary suffixes and their power of two."""

_DECIMAL_SI: Final[dict[str, int]] = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
"""Decimal suffixes and their power of ten."""

# The exponent alternative comes first so that "1E3" is 1000 while a bare "1E" is one exa.
_QUANTITY_RE: Final = re.compile(
    r"(?P<sign>[+-]?)(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>[eE][+-]?[0-9]{1,3}|[KMGTPE]i|[numkMGTPE])?"
)

_CPU_EXAMPLES: Final = '"500m", "1.5", "2"'
_MEMORY_EXAMPLES: Final = '"512Mi", "4Gi", "1G", "1073741824"'


class QuantityError(AskError, ValueError):
    """A value is not a usable Kubernetes quantity (malformed, negative, NaN, infinite, bool)."""


def parse_cpu(value: QuantityValue, *, name: str = "cpu") -> Decimal:
    """Parse a Kubernetes CPU quantity into vCPUs.

    Args:
        value: the quantity as a manifest holds it (``"500m"``, ``"1.5"``, ``2``).
        name: what the value is, for the error message (``containers[0].resources.limits.cpu``).

    Returns:
        The number of vCPUs, exact (``"250m"`` -> ``Decimal("0.25")``).

    Raises:
        QuantityError: the value is malformed, negative, NaN, infinite, empty or a bool.
    """
    return _parse(value, name=name, examples=_CPU_EXAMPLES)


def parse_memory_gib(value: QuantityValue, *, name: str = "memory") -> Decimal:
    """Parse a Kubernetes memory quantity into GiB.

    Args:
        value: the quantity as a manifest holds it (``"512Mi"``, ``"1G"``, ``1073741824``);
            a plain number is bytes, as in Kubernetes.
        name: what the value is, for the error message (``containers[0].resources.limits.memory``).

    Returns:
        The size in GiB, exact (``"512Mi"`` -> ``Decimal("0.5")``, ``"1G"`` -> 10^9 / 2^30).

    Raises:
        QuantityError: the value is malformed, negative, NaN, infinite, empty or a bool.
    """
    size_bytes = _parse(value, name=name, examples=_MEMORY_EXAMPLES)
    return _exact(size_bytes).divide(size_bytes, BYTES_PER_GIB)


def format_cpu(vcpus: Decimal | int) -> str:
    """Write a number of vCPUs as a canonical Kubernetes quantity.

    Args:
        vcpus: the number of vCPUs (``Decimal("0.25")``, ``2``).

    Returns:
        The canonical quantity, e.g. ``"2"``, ``"500m"``, ``"1500m"``, ``"250m"``; values finer
        than a nanocore are rounded up to one, as Kubernetes does.

    Raises:
        QuantityError: the value is negative, NaN, infinite or a bool.
    """
    return _format_decimal_si(_checked_number(vcpus, name="cpu", examples=_CPU_EXAMPLES))


def format_memory_gib(gib: Decimal | int) -> str:
    """Write a size in GiB as a canonical Kubernetes memory quantity.

    A whole number of KiB uses the largest binary suffix that keeps the number whole
    (``"4Gi"``, ``"512Mi"``, ``"1536Mi"``); anything else uses decimal suffixes (``"1G"``).

    Args:
        gib: the size in GiB (``Decimal("0.5")``, ``4``).

    Returns:
        The canonical quantity; fractions of a nanobyte are rounded up, as Kubernetes does.

    Raises:
        QuantityError: the value is negative, NaN, infinite or a bool.
    """
    checked = _checked_number(gib, name="memory", examples=_MEMORY_EXAMPLES)
    size_bytes = _round_to_nano(_exact(checked).multiply(checked, BYTES_PER_GIB))
    if size_bytes == 0:
        return "0"
    if size_bytes == size_bytes.to_integral_value():
        whole = int(size_bytes)
        for suffix, power in reversed(_BINARY_SI.items()):
            if whole % (1 << power) == 0:
                return f"{whole >> power}{suffix}"
    return _format_decimal_si(size_bytes)


def _parse(value: object, *, name: str, examples: str) -> Decimal:
    """Parse a quantity into its base unit (vCPUs or bytes), rounded up to 10^-9."""
    if isinstance(value, str):
        amount = _parse_text(value, name=name, examples=examples)
    else:
        amount = _checked_number(value, name=name, examples=examples)
    if amount == 0:
        return Decimal(0)  # also turns "-0" into a plain 0
    if amount > MAX_QUANTITY:
        raise QuantityError(
            f"{name} {show(value)} is too large for a Kubernetes quantity "
            f"(at most {MAX_QUANTITY} base units)"
        )
    return _round_to_nano(amount)


def _parse_text(text: str, *, name: str, examples: str) -> Decimal:
    """Parse the string form of a quantity into its base unit."""
    match = _QUANTITY_RE.fullmatch(text)
    if match is None:
        raise QuantityError(
            f"{name} {show(text)} is not a Kubernetes quantity (expected e.g. {examples})"
        )
    if match["sign"] == "-" and Decimal(match["number"]) != 0:
        raise QuantityError(f"{name} {show(text)} must not be negative (expected e.g. {examples})")
    number = Decimal(match["number"])
    suffix = match["suffix"] or ""
    context = _exact(number)
    if suffix in _BINARY_SI:
        return context.multiply(number, Decimal(2 ** _BINARY_SI[suffix]))
    if suffix in _DECIMAL_SI:
        return number.scaleb(_DECIMAL_SI[suffix], context)
    return number.scaleb(int(suffix[1:]), context)


def _checked_number(value: object, *, name: str, examples: str) -> Decimal:
    """Turn an int, float or Decimal into a finite, non-negative Decimal."""
    if isinstance(value, bool):
        raise QuantityError(
            f"{name} {show(value)} is a bool, not a Kubernetes quantity (expected e.g. {examples})"
        )
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(
                f"{name} {show(value)} is not a finite quantity (expected e.g. {examples})"
            )
        # repr() is the shortest string that reads back as the same float: 0.1 -> "0.1".
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(
                f"{name} {show(value)} is not a finite quantity (expected e.g. {examples})"
            )
        number = value
    else:
        raise QuantityError(
            f"{name} {show(value)} is not a Kubernetes quantity (expected e.g. {examples})"
        )
    if number < 0:
        raise QuantityError(f"{name} {show(value)} must not be negative (expected e.g. {examples})")
    return number


def _format_decimal_si(amount: Decimal) -> str:
    """Canonical decimal-SI form: the largest suffix that leaves a whole number."""
    amount = _round_to_nano(amount)
    if amount == 0:
        return "0"
    context = _exact(amount)
    for suffix, power in sorted(_DECIMAL_SI.items(), key=lambda item: -item[1]):
        mantissa = amount.scaleb(-power, context)
        if mantissa == mantissa.to_integral_value():
            return f"{int(mantissa)}{suffix}"
    raise AssertionError(f"unreachable: {amount} is a whole number of nano units")


def _round_to_nano(amount: Decimal) -> Decimal:
    """Round up to 10^-9 of the base unit, the finest precision Kubernetes keeps."""
    rounded = amount.quantize(_NANO, rounding=ROUND_CEILING, context=_exact(amount))
    return _plain(rounded)


def _plain(amount: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (100, not 1E+2)."""
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1), context=_exact(amount))
    return amount.normalize(_exact(amount))


def _exact(amount: Decimal) -> Context:
    """A context precise enough that arithmetic on ``amount`` and 2^60 or 10^±999 is exact."""
    digits = len(amount.as_tuple().digits)
    return Context(
        prec=digits + 80,
        Emax=10_000,
        Emin=-10_000,
        traps=[InvalidOperation, Overflow, DivisionByZero],
    )
