"""ALB (Application Load Balancer): ``alicloud:alb/loadBalancer:LoadBalancer``.

Instance fee by ``loadBalancerEdition`` for every hour of the month, plus LCU (capacity units)
from usage. Internet traffic of Internet-facing ALBs is billed on the EIP / Internet side, not
here. Source: pricing.md §1.3 (ALB-EN, ALB-CN).

The local target's ``SandboxAlb`` stand-in is priced the same way (so a local stack shows what the
same platform costs on ASK); it reads the same ``loadBalancerEdition`` input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ask_components.cost.model import CostLine, make_line
from ask_components.cost.resources._base import Pricer, PricingContext, UsageKey, join_notes
from ask_components.cost.resources._lcu import unit_hours
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceNode
from ask_components.preview.wire import UNKNOWNS

EDITION_PRICES = {
    "basic": "alb.instance_basic",
    "standard": "alb.instance_standard",
    "standardwithwaf": "alb.instance_standard_with_waf",
}
"""``loadBalancerEdition`` (case-insensitive) to its catalog key."""

USAGE_KEYS = (
    UsageKey("monthly_lcu_hours", "LCU-hours in a month (sum over hours of the hourly LCU count)"),
    UsageKey("average_lcu", "average LCUs per hour (used when monthly_lcu_hours is not given)"),
)


def price_alb(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Instance fee by edition, and LCU-hours from usage."""
    lines: list[CostLine] = []
    edition = node.inputs.get("loadBalancerEdition")
    key = EDITION_PRICES.get(edition.lower()) if isinstance(edition, str) else None
    billing = node.inputs.get("loadBalancerBillingConfig")
    if billing is not None and not isinstance(billing, Mapping) and billing not in UNKNOWNS:
        # The provider's schema makes it a block ({payType: PayAsYouGo}); a string is no ALB.
        raise InputError(
            f"loadBalancerBillingConfig is {json.dumps(billing)}, not an object like "
            '{"payType": "PayAsYouGo"}'
        )
    pay_type = billing.get("payType") if isinstance(billing, Mapping) else None
    pay_note = (
        f"pay type {pay_type}: priced at the pay-as-you-go rate"
        if isinstance(pay_type, str) and pay_type not in ("PayAsYouGo", "PostPay")
        else ""
    )
    if key is None:
        shown = edition if isinstance(edition, str) else "not given"
        lines.append(
            make_line(
                "Instance fee",
                "hours",
                None,
                None,
                note=join_notes(
                    f"price not found: unknown ALB edition ({shown}); "
                    "expected Basic, Standard or StandardWithWaf",
                    pay_note,
                ),
                price_key="alb.instance_*",
            )
        )
    else:
        lines.append(ctx.hourly_line(f"Instance fee ({edition})", key, note=pay_note))
    lcu = unit_hours(ctx.usage, "monthly_lcu_hours", "average_lcu")
    lines.append(ctx.usage_line("Capacity units (LCU)", "alb.lcu", "LCU-hours", lcu))
    return lines


PRICER = Pricer(
    kind="ALB",
    types=("alicloud:alb/loadBalancer:LoadBalancer",),
    sandbox_classes=("SandboxAlb",),
    usage_keys=USAGE_KEYS,
    price=price_alb,
)
