"""Small text helpers shared by the ECI modules (not public API)."""

from __future__ import annotations

from decimal import Decimal


def canonical(number: Decimal) -> Decimal:
    """A Decimal without trailing zeros or exponent: 2.0 -> 2, 0.50 -> 0.5, 1E+2 -> 100."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


def plain(number: Decimal) -> str:
    """A Decimal as plain text: 2, 0.25, 100 (never 1E+2)."""
    return format(canonical(number), "f")


def one_decimal(number: Decimal) -> str:
    """At least one decimal place, as ``eci-instance-spec`` writes numbers: 2.0, 0.25."""
    text = plain(number)
    return text if "." in text else f"{text}.0"


def show(value: object) -> str:
    """A value in an error message: strings in double quotes, anything else as repr()."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def positive_decimal(where: str, value: object, error: type[Exception]) -> Decimal:
    """``value`` as a canonical positive Decimal (2, not 2.0 or 2E+0, so repr and formatting are
    stable), for a spec's fields.

    Raises:
        error: ``value`` is not a finite positive Decimal or int (a bool is not a number here),
            named ``where`` (``EciSpec.cpu``).
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise error(f"{where} must be a Decimal, got {show(value)}")
    number = Decimal(value)
    if not number.is_finite() or number <= 0:
        raise error(f"{where} must be positive, got {show(value)}")
    return canonical(number)
