"""The cost model's plain data: cost lines and money helpers.

Money is :class:`~decimal.Decimal` everywhere and is rounded only when shown
(:func:`round_money`, to the cent, half up).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

HOURS_PER_MONTH: Final = Decimal(730)
"""Hours in a billing month: 730, the convention Infracost uses (8,760 hours / 12)."""

SECONDS_PER_HOUR: Final = Decimal(3600)
"""Seconds in an hour: ECI's per-second price is the hourly price divided by 3,600."""

HOURS_PER_DAY: Final = Decimal(24)
"""Hours in a day, for prices per day (PrivateZone zones, EIP bandwidth)."""

CENT: Final = Decimal("0.01")

LineStatus = Literal["priced", "usage_unknown", "price_not_found"]


def round_money(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up (only for display)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=65536)
def plain(amount: Decimal) -> str:
    """A decimal as plain text, never in exponent notation (``0.00000059``, not ``5.9E-7``).

    Cached (a report repeats a few thousand distinct amounts many times): equal decimals
    (``2``, ``2.00``, ``2E+0``) share one text, which is why ``-0`` prints as ``0``.
    """
    text = str(amount)  # C-fast; exponent notation only for very small or very large values
    if "E" in text:
        text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text


@dataclass(frozen=True)
class Bound:
    """How far an amount can be trusted: exact, or a bound on one side (or neither).

    Attributes:
        may_be_higher: the real amount may be higher: the amount is a lower bound (``≥``),
            because a price was not found.
        may_be_lower: the real amount may be lower: the amount is an upper bound (``≤``), e.g.
            spot pods priced at the on-demand price.
    """

    may_be_higher: bool = False
    may_be_lower: bool = False

    def __or__(self, other: Bound) -> Bound:
        if other is self or other.exact:
            return self
        if self.exact:
            return other
        return _BOUNDS[
            (self.may_be_higher or other.may_be_higher, self.may_be_lower or other.may_be_lower)
        ]

    @property
    def exact(self) -> bool:
        """True when the amount is neither a lower nor an upper bound."""
        return not (self.may_be_higher or self.may_be_lower)

    @property
    def mark(self) -> str:
        """``≥ `` (lower bound), ``≤ `` (upper bound), ``≈ `` (either way) or nothing."""
        if self.may_be_higher and self.may_be_lower:
            return "≈ "
        if self.may_be_higher:
            return "≥ "
        return "≤ " if self.may_be_lower else ""

    @property
    def words(self) -> str:
        """The mark in words for sentences: ``at least ``, ``at most ``, ``about `` or nothing."""
        return {"≈ ": "about ", "≥ ": "at least ", "≤ ": "at most ", "": ""}[self.mark]

    def flipped(self) -> Bound:
        """The bound of the negated amount (``-x``): a lower bound becomes an upper bound."""
        return Bound(self.may_be_lower, self.may_be_higher)


_BOUNDS: Final = {(h, lo): Bound(h, lo) for h in (False, True) for lo in (False, True)}
"""The four bounds, shared (combining bounds is on the hot path of rendering 10,000 resources)."""

EXACT: Final = _BOUNDS[(False, False)]
"""An amount that is neither a lower nor an upper bound."""
AT_LEAST: Final = _BOUNDS[(True, False)]
"""A lower bound (``≥``): the real amount may be higher."""
AT_MOST: Final = _BOUNDS[(False, True)]
"""An upper bound (``≤``): the real amount may be lower."""


@dataclass(frozen=True)
class CostLine:
    """One priced component of a resource (Infracost's "cost component").

    Attributes:
        name: what is billed, for people (``vCPU (2 vCPU × 3 pods)``).
        unit: the unit of ``quantity`` and ``unit_price`` (``vCPU-hours``).
        quantity: the monthly quantity; None when it depends on usage nobody gave.
        unit_price: the price per ``unit``; None when the catalog has no price.
        monthly_cost: ``quantity × unit_price``; None when either is unknown.
        usage_based: True when the quantity comes (or would come) from the usage file.
        note: caveats: where a value came from, what was assumed.
        price_key: the catalog key of the price (``eci.vcpu``).
        upper_bound: True when ``monthly_cost`` is a ceiling, not an estimate (spot pods
            priced at the on-demand price).
    """

    name: str
    unit: str
    quantity: Decimal | None
    unit_price: Decimal | None
    monthly_cost: Decimal | None
    usage_based: bool = False
    note: str = ""
    price_key: str = ""
    upper_bound: bool = False

    @property
    def status(self) -> LineStatus:
        """``priced``, ``usage_unknown`` (no usage given) or ``price_not_found``."""
        if self.unit_price is None:
            return "price_not_found"
        if self.quantity is None:
            return "usage_unknown"
        return "priced"


def make_line(
    name: str,
    unit: str,
    quantity: Decimal | None,
    unit_price: Decimal | None,
    *,
    usage_based: bool = False,
    note: str = "",
    price_key: str = "",
    upper_bound: bool = False,
) -> CostLine:
    """A cost line whose monthly cost is ``quantity × unit_price`` when both are known."""
    cost = None if quantity is None or unit_price is None else quantity * unit_price
    return CostLine(
        name=name,
        unit=unit,
        quantity=quantity,
        unit_price=unit_price,
        monthly_cost=cost,
        usage_based=usage_based,
        note=note,
        price_key=price_key,
        upper_bound=upper_bound,
    )
