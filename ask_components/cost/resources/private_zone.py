"""PrivateZone: ``alicloud:pvtz/zone:Zone``.

One authoritative zone billed per day (730 / 24 days a month) plus DNS queries from usage
(``monthly_queries``, priced per 10,000). Zone attachments and records are free. Source:
pricing.md §1.7 (PVTZ-EN, PVTZ-CN).

The local target's ``SandboxPrivateZone`` stand-in is priced the same way.
"""

from __future__ import annotations

from decimal import Decimal

from ask_components.cost.model import HOURS_PER_DAY, HOURS_PER_MONTH, CostLine
from ask_components.cost.resources._base import Pricer, PricingContext, UsageKey, price_note
from ask_components.preview.graph import ResourceNode

QUERIES_PER_UNIT = Decimal(10_000)
"""Queries are priced per 10,000."""

USAGE_KEYS = (UsageKey("monthly_queries", "DNS queries to the zone in a month"),)


def price_private_zone(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Zone-days for the month and queries from usage."""
    zone = ctx.price("pvtz.zone")
    days = HOURS_PER_MONTH / HOURS_PER_DAY
    # price × 730 / 24, in that order, so that 0.015 USD/day gives exactly 0.45625 a month.
    cost = None if zone.amount is None else zone.amount * HOURS_PER_MONTH / HOURS_PER_DAY
    queries = ctx.usage.get("monthly_queries")
    return [
        CostLine(
            "Authoritative zone",
            "zone-days",
            days,
            zone.amount,
            cost,
            note=price_note(zone),
            price_key="pvtz.zone",
        ),
        ctx.usage_line(
            "DNS queries",
            "pvtz.queries",
            "10k-queries",
            None if queries is None else queries / QUERIES_PER_UNIT,
        ),
    ]


PRICER = Pricer(
    kind="PrivateZone",
    types=("alicloud:pvtz/zone:Zone",),
    sandbox_classes=("SandboxPrivateZone",),
    usage_keys=USAGE_KEYS,
    price=price_private_zone,
)
