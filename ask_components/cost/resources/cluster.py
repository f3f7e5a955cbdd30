"""The ASK cluster: ``alicloud:cs/managedKubernetes:ManagedKubernetes`` (``profile: Serverless``)
and the deprecated ``alicloud:cs/serverlessKubernetes:ServerlessKubernetes``.

Management fee by ``clusterSpec``: ``ack.standard`` (Basic) has none; ``ack.pro.small`` (Pro) is
"currently free" for ACK Serverless (public preview) and priced as the catalog says, with that
note. A ManagedKubernetes with another profile is an ACK managed cluster: Pro 0.09 USD / 0.64 CNY
per hour. Source: pricing.md §1.2 (ASK-BILL, ACK-PRO-EN, ACK-PRO-CN).

With ``newNatGateway`` true (the provider's default) ACK creates an Internet NAT gateway that is
not a resource of the stack: its instance fee is priced here so it is not missed.
"""

from __future__ import annotations

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import Pricer, PricingContext
from ask_components.preview.graph import ResourceNode

SERVERLESS_TYPES = ("alicloud:cs/serverlessKubernetes:ServerlessKubernetes",)


def management_key(node: ResourceNode) -> tuple[str, str]:
    """The catalog key of the management fee, and the edition to show."""
    spec = node.inputs.get("clusterSpec")
    spec = spec if isinstance(spec, str) and spec else "ack.standard"
    serverless = node.type in SERVERLESS_TYPES or node.inputs.get("profile") == "Serverless"
    pro = spec.startswith("ack.pro.")
    if serverless:
        return (
            ("ack.serverless_pro", f"Serverless Pro, {spec}")
            if pro
            else ("ack.serverless_basic", f"Serverless Basic, {spec}")
        )
    if not pro:
        return "ack.managed_basic", f"managed Basic, {spec}"
    if spec == "ack.pro.small":
        return "ack.managed_pro", f"managed Pro, {spec}"
    return "ack.managed_pro_larger", f"managed Pro, {spec}"


def price_cluster(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Management fee, plus the NAT gateway ACK creates when ``newNatGateway`` is on."""
    key, edition = management_key(node)
    spec_note = (
        "" if node.inputs.get("clusterSpec") else "clusterSpec not set: priced as ack.standard"
    )
    lines = [ctx.hourly_line(f"Cluster management ({edition})", key, note=spec_note)]
    if node.inputs.get("newNatGateway", True) is not False:
        lines.append(
            ctx.hourly_line(
                "NAT gateway created by ACK (newNatGateway)",
                "nat.instance",
                note="CU and EIP not priced; turn newNatGateway off when the stack owns egress",
            )
        )
    return lines


PRICER = Pricer(
    kind="ASK cluster",
    types=("alicloud:cs/managedKubernetes:ManagedKubernetes", *SERVERLESS_TYPES),
    price=price_cluster,
)
