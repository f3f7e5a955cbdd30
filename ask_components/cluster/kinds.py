"""The three cluster kinds, as the cloud knows them (pure, no Pulumi).

All three are ``cs.ManagedKubernetes`` (``cluster_type=ManagedKubernetes``); the ``profile``
tells them apart and is ForceNew, so changing the kind replaces the cluster
(aliyun/terraform-provider-alicloud ``alicloud/resource_alicloud_cs_managed_kubernetes.go``
line 54; pulumi-alicloud ``cs/managed_kubernetes.py``: "Default: ACK managed cluster ...
Serverless: ACK Serverless cluster ... Acs: ACS cluster").

| kind | profile | cluster_spec | pods | add-ons at create (``BASE_ADDONS``) |
| --- | --- | --- | --- | --- |
| ``ask`` | Serverless | ack.standard or ack.pro.small | ECI | ``ASK_ADDONS`` |
| ``acs`` | Acs | ack.pro.small | ACS | ``ACS_ADDONS`` |
| ``ack-pro`` | Default | ack.pro.small | ECI or ACS (virtual node) | ``ACK_PRO_ADDONS`` |

Sources and what is not verified (docs/targets.md has the whole story):

- ASK closed to accounts that never had an ASK cluster on 2025-02-17; ACS and ACK Pro with
  serverless pods are what Alibaba offers instead (ACK Serverless overview, Dec 15, 2025).
- ACS: ``cluster_spec="ack.pro.small"`` is what the provider's ACS acceptance test
  (``TestAccAliCloudCSManagedKubernetesForProfile``) and every ACS example use. ACS add-on names
  are **not** on any official page found: ``managed-coredns`` and ``managed-metrics-server``
  come from public third-party ``profile="Acs"`` configs; ACS clusters "do not enable DNS
  resolution by default" (ACS DNS overview), so CoreDNS is asked for explicitly.
  ``ACS_ADDONS`` is one constant so it is one edit when Alibaba names them.
- ACK Pro: ``ack-virtual-node`` is the add-on the provider's own test installs (TF
  ``cs_kubernetes_addon`` docs). Whether the cluster's system pods run **without any ECS node**
  is not verified: ``managed-coredns`` is hosted by ACK (not pods of the cluster), but
  ``metrics-server`` is a Deployment of the cluster and may stay Pending without a node that
  takes it. docs/targets.md says how to check on a real account and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

__all__ = [
    "ACK_PRO_ADDONS",
    "ACS_ADDONS",
    "ASK_ADDONS",
    "BASE_ADDONS",
    "CLUSTER_KINDS",
    "PROFILES",
    "VIRTUAL_NODE_ADDON",
    "ClusterKind",
    "cluster_spec",
]

ClusterKind = Literal["ask", "acs", "ack-pro"]
CLUSTER_KINDS: Final[tuple[ClusterKind, ...]] = ("ask", "acs", "ack-pro")

PROFILES: Final[Mapping[ClusterKind, str]] = {
    "ask": "Serverless",
    "acs": "Acs",
    "ack-pro": "Default",
}
"""``profile`` of each kind (pulumi-alicloud cs/managed_kubernetes.py)."""

VIRTUAL_NODE_ADDON: Final = "ack-virtual-node"
"""ACK's virtual node: ECI (and, with ACS, ACS) pods on an ACK cluster (TF
``website/docs/r/cs_kubernetes_addon.html.markdown``: ``cleanup_cloud_resources`` "only works
for addon ack-virtual-node")."""

ASK_ADDONS: Final = ("metrics-server", "managed-coredns")
"""metrics-server feeds the HPAs; managed CoreDNS makes Service names resolve (ASK has no DNS by
default: https://www.alibabacloud.com/help/en/container-service-for-kubernetes/latest/ask-service-discovery-and-dns)."""

ACS_ADDONS: Final = ("managed-coredns", "managed-metrics-server")
"""Unverified names (third-party ACS configs; see the module docs)."""

ACK_PRO_ADDONS: Final = ("managed-coredns", "metrics-server", VIRTUAL_NODE_ADDON)
"""The hosted CoreDNS, metrics-server for the HPAs, and the virtual node every pod runs on."""

BASE_ADDONS: Final[Mapping[ClusterKind, tuple[str, ...]]] = {
    "ask": ASK_ADDONS,
    "acs": ACS_ADDONS,
    "ack-pro": ACK_PRO_ADDONS,
}
"""Add-ons installed at create when ``cluster.addons`` is unset."""


def cluster_spec(kind: ClusterKind, edition: Literal["basic", "pro"]) -> str:
    """The ``cluster_spec`` of a kind: ACS and ACK Pro are ``ack.pro.small``; ASK takes
    ``ack.standard`` (basic) or ``ack.pro.small`` (pro)."""
    if kind == "ask" and edition == "basic":
        return "ack.standard"
    return "ack.pro.small"
