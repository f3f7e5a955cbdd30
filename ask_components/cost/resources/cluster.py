"""Kubernetes clusters: ``alicloud:cs/managedKubernetes:ManagedKubernetes`` and the deprecated
``alicloud:cs/serverlessKubernetes:ServerlessKubernetes``.

What a cluster costs depends on its kind, read from ``profile`` and ``clusterSpec`` (the two
inputs that the ``cluster.kind`` config key turns into):

| kind      | ``profile``                  | management fee                                       |
| --------- | ---------------------------- | ---------------------------------------------------- |
| ASK       | ``Serverless`` (or the old   | none for ``ack.standard``; ``ack.pro.*`` "currently  |
|           | ServerlessKubernetes type)   | free" (public preview)                               |
| ACS       | ``Acs``                      | none: "There is no cluster management fee"           |
| ACK Pro   | ``Default`` or unset,        | 0.64 CNY / 0.09 USD per hour for ``ack.pro.small``;  |
|           | ``clusterSpec: ack.pro.*``   | larger tiers not found                               |
| ACK Basic | ``Default`` or unset,        | none                                                 |
|           | ``ack.standard`` or unset    |                                                      |

Sources: pricing.md §1.2 (ASK-BILL, ACK-PRO-EN, ACK-PRO-CN); acs-and-ack-pro.md §3.1
(ACS-BILL-INTL, ACS-BILL-CN).

**What the cloud creates for every cluster.** ACK (ASK included) exposes the API server through a
Classic Load Balancer that it creates in the account: "When you create a Container Service for
Kubernetes (ACK) cluster, an internal-facing Classic Load Balancer (CLB) instance is automatically
created for the API server" (https://www.alibabacloud.com/help/en/ack/cluster-access-control,
Apr 09, 2025), billed as "Instance fee; … LCUs" (the ACK billing FAQ). It is internal-facing, so
there is no public IP retention fee: the CLB instance fee (pay-by-CLCU since 2024-12-01) and LCUs
from usage are the cluster's own lines. ACS clusters are ACK clusters API-wise (same CreateCluster)
and ROS's ``ALIYUN::ACS::Cluster`` returns an ``APIServerSLBId`` and takes a
``LoadBalancerSpec`` (acs-and-ack-pro.md §1.4), while ACS bills "the cloud services your
clusters depend on" (§3.1): the same CLB lines are priced for ACS. No page states the ACS API
server CLB's fee in so many words; that is recorded in docs/cost-model.md.

With ``slbInternetEnabled`` (the provider's default true) ACK binds an EIP to that CLB, "You are
charged for the associated EIP" (same page): its configuration fee is priced as a pay-by-traffic
EIP (the charge type ACK picks is not documented; said on the line). With ``newNatGateway`` true
(the provider's default) ACK creates an Internet NAT gateway that is not a resource of the stack:
its instance fee is priced here so it is not missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import Pricer, PricingContext, UsageKey
from ask_components.cost.resources._lcu import unit_hours
from ask_components.preview.graph import ResourceNode

SERVERLESS_TYPES: Final = ("alicloud:cs/serverlessKubernetes:ServerlessKubernetes",)

DEFAULT_SPEC: Final = "ack.standard"
"""What an unset ``clusterSpec`` is priced as (the API's default for ManagedKubernetes)."""

USAGE_KEYS: Final = (
    UsageKey(
        "monthly_lcu_hours",
        "LCU-hours in a month of the API server's CLB (sum over hours of the hourly LCU count)",
    ),
    UsageKey("average_lcu", "average LCUs per hour of the API server's CLB"),
)


@dataclass(frozen=True)
class ClusterKind:
    """What a cluster is, for pricing.

    Attributes:
        label: for people (``ASK Pro``, ``ACS``, ``ACK Pro``).
        fee_key: the catalog key of its management fee.
        spec: the ``clusterSpec`` it is priced at.
        spec_given: False when ``clusterSpec`` was not set (priced as :data:`DEFAULT_SPEC`).
    """

    label: str
    fee_key: str
    spec: str
    spec_given: bool


def cluster_kind(node: ResourceNode) -> ClusterKind:
    """The kind of a cluster resource, from its type, ``profile`` and ``clusterSpec``."""
    raw = node.inputs.get("clusterSpec")
    given = isinstance(raw, str) and bool(raw)
    spec = raw if isinstance(raw, str) and raw else DEFAULT_SPEC
    pro = spec.startswith("ack.pro.")
    profile = node.inputs.get("profile")
    if node.type in SERVERLESS_TYPES or profile == "Serverless":
        if pro:
            return ClusterKind("ASK Pro", "ack.serverless_pro", spec, given)
        return ClusterKind("ASK Basic", "ack.serverless_basic", spec, given)
    if profile == "Acs":
        return ClusterKind("ACS", "acs.cluster", spec, given)
    if not pro:
        return ClusterKind("ACK Basic", "ack.managed_basic", spec, given)
    if spec == "ack.pro.small":
        return ClusterKind("ACK Pro", "ack.managed_pro", spec, given)
    return ClusterKind("ACK Pro", "ack.managed_pro_larger", spec, given)


def price_cluster(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """Management fee, the API server's CLB (+ its EIP), and the NAT gateway ACK may create."""
    kind = cluster_kind(node)
    spec_note = "" if kind.spec_given else f"clusterSpec not set: priced as {DEFAULT_SPEC}"
    lines = [
        ctx.hourly_line(
            f"Cluster management ({kind.label}, {kind.spec})", kind.fee_key, note=spec_note
        ),
        ctx.hourly_line(
            "API server CLB instance fee",
            "clb.instance",
            note="internal-facing CLB that ACK creates for the API server",
        ),
        ctx.usage_line(
            "API server CLB capacity units (LCU)",
            "clb.lcu",
            "LCU-hours",
            unit_hours(ctx.usage, "monthly_lcu_hours", "average_lcu"),
        ),
    ]
    if node.inputs.get("slbInternetEnabled", True) is not False:
        lines.append(
            ctx.hourly_line(
                "API server public endpoint (EIP configuration fee)",
                "eip.config_traffic",
                note="slbInternetEnabled: ACK binds an EIP to the API server CLB; priced as "
                "pay-by-traffic, traffic not priced",
            )
        )
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
    kind="Kubernetes cluster",
    types=("alicloud:cs/managedKubernetes:ManagedKubernetes", *SERVERLESS_TYPES),
    usage_keys=USAGE_KEYS,
    price=price_cluster,
)
