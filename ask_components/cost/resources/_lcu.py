"""Capacity-unit usage shared by ALB, CLB and NAT: monthly unit-hours or an hourly average."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ask_components.cost.model import HOURS_PER_MONTH


def unit_hours(usage: Mapping[str, Decimal], monthly_key: str, average_key: str) -> Decimal | None:
    """Monthly capacity-unit hours: ``monthly_key`` if given, else ``average_key × 730``."""
    if monthly_key in usage:
        return usage[monthly_key]
    if average_key in usage:
        return usage[average_key] * HOURS_PER_MONTH
    return None
