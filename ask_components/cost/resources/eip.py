"""Elastic IP address: ``alicloud:ecs/eipAddress:EipAddress``.

Pay-by-data-transfer (``internetChargeType: PayByTraffic``): configuration fee per hour plus
outbound traffic from usage (``monthly_traffic_gb``). Pay-by-bandwidth (``PayByBandwidth``, the
provider's default): configuration fee per day plus a bandwidth fee per Mbit/s of ``bandwidth``
(default 5) per day, tiered: the first 5 Mbit/s at ``eip.bandwidth``, every Mbit/s above at
``eip.bandwidth_above_5`` (China site: EIP-CN-2020; international site: not found).
The configuration fee is not charged for an EIP bound to a VPC ECS instance, but is for NAT
gateways, SLBs, ENIs and HaVips (EIP-2021); this project binds EIPs to NAT gateways, so it is
always priced. Source: pricing.md §1.6.

The local target's ``SandboxEip`` stand-in is priced the same way.
"""

from __future__ import annotations

from decimal import Decimal

from ask_components.cost.model import HOURS_PER_DAY, HOURS_PER_MONTH, CostLine, make_line
from ask_components.cost.resources._base import (
    Pricer,
    PricingContext,
    UsageKey,
    as_decimal,
    describe,
    join_notes,
    price_note,
)
from ask_components.preview.graph import ResourceNode

DEFAULT_BANDWIDTH_MBPS = Decimal(5)
"""The provider's default ``bandwidth`` (Mbit/s) when the input is not set."""

TIER_MBPS = Decimal(5)
"""Pay-by-bandwidth EIPs pay one price per Mbit/s up to 5 Mbit/s and another above."""

USAGE_KEYS = (
    UsageKey("monthly_traffic_gb", "outbound Internet traffic in a month, GB (pay-by-traffic)"),
)


def price_eip(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Configuration fee, plus traffic (usage) or bandwidth (fixed) by charge type."""
    charge = str(node.inputs.get("internetChargeType") or "PayByBandwidth")
    payment = node.inputs.get("paymentType")
    pay_note = (
        f"payment type {payment}: priced at the pay-as-you-go rate"
        if isinstance(payment, str) and payment != "PayAsYouGo"
        else ""
    )
    if charge.lower() == "paybytraffic":
        traffic = ctx.usage.get("monthly_traffic_gb")
        return [
            ctx.hourly_line(
                "Configuration fee (pay-by-traffic)", "eip.config_traffic", note=pay_note
            ),
            ctx.usage_line("Outbound traffic", "eip.traffic", "GB", traffic),
        ]
    bandwidth = as_decimal(node.inputs.get("bandwidth"))
    bw_note = ""
    if bandwidth is None:
        bandwidth = DEFAULT_BANDWIDTH_MBPS
        bw_note = f"bandwidth not set: the default {describe(bandwidth)} Mbit/s"
    days = HOURS_PER_MONTH / HOURS_PER_DAY
    config = ctx.price("eip.config_bandwidth")
    # Bandwidth is tiered at 5 Mbit/s: the first 5 at one price, every Mbit/s above at another
    # (EIP-CN-2020: "带宽费以5 Mbps为界，实行阶梯定价").
    low = min(bandwidth, TIER_MBPS)
    high = bandwidth - low
    band = ctx.price("eip.bandwidth")
    # Cost = price × 730 / 24 (× Mbit/s), computed in that order so it stays exact.
    lines = [
        _daily_line(
            "Configuration fee (pay-by-bandwidth)",
            "days",
            days,
            Decimal(1),
            config.amount,
            join_notes(pay_note, price_note(config)),
            "eip.config_bandwidth",
        ),
        _daily_line(
            "Bandwidth, first 5 Mbit/s" if high else f"Bandwidth ({describe(low)} Mbit/s)",
            "Mbps-days",
            days * low,
            low,
            band.amount,
            join_notes(bw_note, price_note(band)),
            "eip.bandwidth",
        ),
    ]
    if high > 0:
        above = ctx.price("eip.bandwidth_above_5")
        lines.append(
            _daily_line(
                f"Bandwidth above 5 Mbit/s ({describe(high)} Mbit/s)",
                "Mbps-days",
                days * high,
                high,
                above.amount,
                price_note(above),
                "eip.bandwidth_above_5",
            )
        )
    return lines


def _daily_line(
    name: str,
    unit: str,
    quantity: Decimal,
    count: Decimal,
    price: Decimal | None,
    note: str,
    key: str,
) -> CostLine:
    line = make_line(name, unit, quantity, price, note=note, price_key=key)
    if price is None:
        return line
    exact = price * count * HOURS_PER_MONTH / HOURS_PER_DAY
    return CostLine(
        line.name,
        line.unit,
        line.quantity,
        line.unit_price,
        exact,
        line.usage_based,
        line.note,
        line.price_key,
    )


PRICER = Pricer(
    kind="EIP",
    types=("alicloud:ecs/eipAddress:EipAddress",),
    sandbox_classes=("SandboxEip",),
    usage_keys=USAGE_KEYS,
    price=price_eip,
)
