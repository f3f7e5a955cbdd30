"""PrivateZone: ``alicloud:pvtz/zone:Zone``.

One authoritative zone billed per day (730 / 24 days a month) plus DNS queries from usage
(``monthly_queries``, priced per 10,000). Zone attachments and records are free. Source:
pricing.md §1.7 (PVTZ-EN, PVTZ-CN).

Query fees are billed per day and each daily bill is rounded to the fen (CNY) / cent (USD)
(pricing.md §1.10), so the month's query cost is ``round(daily queries ÷ 10,000 × price, 0.01)
× 730 / 24``: with few queries the daily fee rounds to 0.00 (or up to 0.01), not to a fraction.
Rounding is half up, as Alibaba rounds sub-cent instance fees (ECI-CN); the mode of the daily
query bill is not stated in the sources.

The local target's ``SandboxPrivateZone`` stand-in is priced the same way.
"""

from __future__ import annotations

from decimal import Decimal

from ask_components.cost.model import HOURS_PER_DAY, HOURS_PER_MONTH, CostLine, round_money
from ask_components.cost.resources._base import (
    Pricer,
    PricingContext,
    UsageKey,
    join_notes,
    price_note,
)
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
        _queries_line(ctx, queries),
    ]


def daily_query_fee(monthly_queries: Decimal, price: Decimal) -> Decimal:
    """One day's query bill, rounded to the cent half up: ``queries/day ÷ 10,000 × price``."""
    per_day = monthly_queries * HOURS_PER_DAY / HOURS_PER_MONTH
    return round_money(per_day / QUERIES_PER_UNIT * price)


def _queries_line(ctx: PricingContext, queries: Decimal | None) -> CostLine:
    price = ctx.price("pvtz.queries")
    quantity = None if queries is None else queries / QUERIES_PER_UNIT
    if quantity is None or price.amount is None:
        return ctx.usage_line("DNS queries", "pvtz.queries", "10k-queries", quantity)
    assert queries is not None
    daily = daily_query_fee(queries, price.amount)
    return CostLine(
        "DNS queries",
        "10k-queries",
        quantity,
        price.amount,
        daily * HOURS_PER_MONTH / HOURS_PER_DAY,
        usage_based=True,
        note=join_notes(f"billed daily, {daily} a day after rounding", price_note(price)),
        price_key="pvtz.queries",
    )


PRICER = Pricer(
    kind="PrivateZone",
    types=("alicloud:pvtz/zone:Zone",),
    sandbox_classes=("SandboxPrivateZone",),
    usage_keys=USAGE_KEYS,
    price=price_private_zone,
)
