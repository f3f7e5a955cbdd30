"""Enhanced NAT gateway: ``alicloud:vpc/natGateway:NatGateway``.

Instance fee for every hour of the month plus CU (capacity units) from usage. Internet NAT
(``networkType`` internet, the default) uses the Internet NAT prices; a VPC NAT gateway
(``networkType`` intranet) has its own prices, not found yet. EIPs bound to the gateway are
billed on the EIP. Source: pricing.md §1.5 (NAT-EN, NAT-2021, NAT-CN-2020).

CU per hour = max(new connections/s ÷ 1,000, concurrent connections/min ÷ 10,000, GB/h ÷ 1).
Usage: ``monthly_cu_hours``, else ``average_cu × 730``, else ``monthly_data_processed_gb`` (1 CU
per GB: a lower bound, exact when traffic is the largest dimension every hour).

A gateway with ``internetChargeType: PayBySpec`` (sold only to gateways that already had it) pays
a fixed instance fee by ``specification`` (Small, Middle, Large, XLarge.1) and no CU fee: it is
priced from the ``nat.spec_*`` entries (China site: NAT-CN-2021 "按固定规格计费价格"), never as
pay-by-CU. A specification the book has no price for is "price not found". Allowed values of
both inputs: terraform-provider-alicloud ``alicloud/resource_alicloud_nat_gateway.go``
(``internet_charge_type`` PayByLcu | PayBySpec; ``specification`` Large | Middle | Small |
XLarge.1, ignored for PayByLcu).

The local target's ``SandboxNatGateway`` stand-in is priced the same way.
"""

from __future__ import annotations

from typing import Final

from ask_components.cost.model import CostLine, make_line
from ask_components.cost.resources._base import Pricer, PricingContext, UsageKey
from ask_components.cost.resources._lcu import unit_hours
from ask_components.preview.graph import ResourceNode

SPEC_KEYS: Final = {
    "small": "nat.spec_small",
    "middle": "nat.spec_middle",
    "large": "nat.spec_large",
    "xlarge.1": "nat.spec_xlarge",
}
"""``specification`` (case-insensitive) of a pay-by-specification gateway to its catalog key."""

DEFAULT_SPEC: Final = "Small"
"""What a pay-by-specification gateway without ``specification`` is priced as: the smallest, an
assumption (the provider leaves the value to the API, whose default is not in the sources)."""

USAGE_KEYS = (
    UsageKey("monthly_cu_hours", "CU-hours in a month (sum over hours of the hourly CU count)"),
    UsageKey("average_cu", "average CUs per hour (used when monthly_cu_hours is not given)"),
    UsageKey(
        "monthly_data_processed_gb",
        "GB through the gateway in a month, in + out (1 CU per GB; used when neither CU key "
        "is given)",
    ),
)


def price_nat_gateway(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Instance fee and CU-hours from usage."""
    network = str(node.inputs.get("networkType") or "internet").lower()
    payment = node.inputs.get("paymentType")
    note = (
        f"payment type {payment}: priced at the pay-as-you-go rate"
        if isinstance(payment, str) and payment != "PayAsYouGo"
        else ""
    )
    charge = str(node.inputs.get("internetChargeType") or "").lower()
    if charge == "paybyspec" and network != "intranet":
        return [_spec_line(node, ctx, note)]
    if network == "intranet":
        instance_key, cu_key, label = "nat.vpc_instance", "nat.vpc_cu", "VPC NAT: "
    else:
        instance_key, cu_key, label = "nat.instance", "nat.cu", ""
    cu = unit_hours(ctx.usage, "monthly_cu_hours", "average_cu")
    cu_note = ""
    if cu is None and "monthly_data_processed_gb" in ctx.usage:
        cu = ctx.usage["monthly_data_processed_gb"]
        cu_note = "from monthly_data_processed_gb (1 CU per GB): a lower bound"
    return [
        ctx.hourly_line(f"{label}Instance fee", instance_key, note=note),
        ctx.usage_line(f"{label}Capacity units (CU)", cu_key, "CU-hours", cu, note=cu_note),
    ]


PRICER = Pricer(
    kind="NAT gateway",
    types=("alicloud:vpc/natGateway:NatGateway",),
    sandbox_classes=("SandboxNatGateway",),
    usage_keys=USAGE_KEYS,
    price=price_nat_gateway,
)


def _spec_line(node: ResourceNode, ctx: PricingContext, note: str) -> CostLine:
    """The fixed instance fee of a pay-by-specification gateway (no CU fee)."""
    raw = node.inputs.get("specification")
    spec = raw if isinstance(raw, str) and raw else DEFAULT_SPEC
    key = SPEC_KEYS.get(spec.lower())
    spec_note = "" if raw else f"specification not set: priced as {DEFAULT_SPEC} (assumed)"
    if key is None:
        return make_line(
            f"Instance fee (pay-by-specification, {spec})",
            "hours",
            None,
            None,
            note=f"price not found: unknown NAT specification {spec!r}; expected Small, "
            "Middle, Large or XLarge.1",
            price_key="nat.spec_*",
        )
    return ctx.hourly_line(
        f"Instance fee (pay-by-specification, {spec})",
        key,
        note="; ".join(n for n in (spec_note, note) if n),
    )
