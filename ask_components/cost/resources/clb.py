"""CLB (Classic Load Balancer) and NLB that the cloud controller manager creates for a
``kubernetes:core/v1:Service`` of ``spec.type: LoadBalancer``, and CLBs declared directly
(``alicloud:slb/loadBalancer:LoadBalancer``).

CLB: instance fee (every pay-as-you-go CLB since 2024-12-01) + public IP retention fee when
Internet-facing (``address-type`` ``internet``, the default) + either LCU from usage (pay-by-LCU,
``PayByCLCU``, the CCM default since v2.5.0) or a specification fee (``PayBySpec``, no longer sold,
price not found). Service annotations read (prefix
``service.beta.kubernetes.io/alibaba-cloud-loadbalancer-``, old prefix ``alicloud-loadbalancer-``
too): ``instance-charge-type``, ``spec``, ``address-type``, ``id``. A Service that reuses an
existing CLB (``...-id``) creates nothing and is free here. Source: pricing.md §1.4.

NLB (a Service with ``spec.loadBalancerClass: alibabacloud.com/nlb``): instance fee + LCU from
usage. Source: pricing.md §1.4 (NLB).
"""

from __future__ import annotations

from collections.abc import Mapping

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import (
    Pricer,
    PricingContext,
    UsageKey,
    dig,
    string_map,
)
from ask_components.cost.resources._lcu import unit_hours
from ask_components.preview.graph import ResourceNode

PREFIXES = (
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-",
    "service.beta.kubernetes.io/alicloud-loadbalancer-",
)
"""Annotation prefixes the Alibaba cloud controller manager reads (current, then legacy)."""

NLB_CLASS = "alibabacloud.com/nlb"
"""``spec.loadBalancerClass`` that makes the CCM create an NLB instead of a CLB."""

USAGE_KEYS = (
    UsageKey("monthly_lcu_hours", "LCU-hours in a month (sum over hours of the hourly LCU count)"),
    UsageKey("average_lcu", "average LCUs per hour (used when monthly_lcu_hours is not given)"),
)


def annotation(annotations: Mapping[str, str], name: str) -> str | None:
    """A CCM annotation by its short name (``spec``), under the current or legacy prefix."""
    for prefix in PREFIXES:
        value = annotations.get(prefix + name)
        if value is not None:
            return value
    return None


def is_load_balancer_service(node: ResourceNode) -> bool:
    """True for a Service of type LoadBalancer that makes the CCM create a load balancer."""
    if dig(node.inputs, "spec", "type") != "LoadBalancer":
        return False
    annotations = string_map(dig(node.inputs, "metadata", "annotations"))
    return not annotation(annotations, "id")


def clb_lines(
    ctx: PricingContext, *, internet: bool, charge_type: str | None, spec: str | None
) -> list[CostLine]:
    """The lines of one pay-as-you-go CLB."""
    lines = [ctx.hourly_line("Instance fee", "clb.instance")]
    if internet:
        lines.append(ctx.hourly_line("Public IP retention fee", "clb.public_ip"))
    by_spec = (charge_type or "").lower() == "paybyspec" or (charge_type is None and bool(spec))
    if by_spec:
        lines.append(
            ctx.hourly_line(f"Specification fee ({spec or 'slb.s1.small'})", "clb.specification")
        )
    else:
        lcu = unit_hours(ctx.usage, "monthly_lcu_hours", "average_lcu")
        lines.append(ctx.usage_line("Capacity units (LCU)", "clb.lcu", "LCU-hours", lcu))
    return lines


def price_service_lb(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """The CLB (or NLB) the CCM creates for a LoadBalancer Service."""
    lcu = unit_hours(ctx.usage, "monthly_lcu_hours", "average_lcu")
    if dig(node.inputs, "spec", "loadBalancerClass") == NLB_CLASS:
        return [
            ctx.hourly_line("NLB instance fee", "nlb.instance"),
            ctx.usage_line("NLB capacity units (LCU)", "nlb.lcu", "LCU-hours", lcu),
        ]
    annotations = string_map(dig(node.inputs, "metadata", "annotations"))
    address = (annotation(annotations, "address-type") or "internet").lower()
    return clb_lines(
        ctx,
        internet=address == "internet",
        charge_type=annotation(annotations, "instance-charge-type"),
        spec=annotation(annotations, "spec"),
    )


def price_slb(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """A CLB declared as ``alicloud:slb/loadBalancer:LoadBalancer``."""
    address = node.inputs.get("addressType")
    if not isinstance(address, str):
        # The provider's rule: a CLB in a vSwitch is intranet, otherwise Internet-facing.
        address = "intranet" if node.inputs.get("vswitchId") else "internet"
    charge = node.inputs.get("instanceChargeType")
    spec = node.inputs.get("loadBalancerSpec")
    return clb_lines(
        ctx,
        internet=address.lower() == "internet",
        charge_type=charge if charge in ("PayBySpec", "PayByCLCU") else None,
        spec=spec if isinstance(spec, str) and spec else None,
    )


SERVICE_PRICER = Pricer(
    kind="CLB/NLB (Service type LoadBalancer)",
    types=("kubernetes:core/v1:Service",),
    usage_keys=USAGE_KEYS,
    price=price_service_lb,
    applies=is_load_balancer_service,
)

SLB_PRICER = Pricer(
    kind="CLB",
    types=("alicloud:slb/loadBalancer:LoadBalancer",),
    usage_keys=USAGE_KEYS,
    price=price_slb,
)
