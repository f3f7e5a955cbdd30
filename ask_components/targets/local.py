"""The local target: a kind cluster, with the sandbox provider standing in for the cloud network.

The network is a ``SandboxNetwork`` (VPC, vSwitches, NAT and EIPs in the sandbox store, with
Alibaba's rules); the cluster is the kind cluster behind ``ask:local.kubeContext``. Both expose
the outputs of their cloud counterparts, so the Platform's outputs have the same keys on either
target. See docs/local-target.md for what is and is not emulated.
"""

from __future__ import annotations

import pulumi

from ask_components.cluster.kind import KindCluster, KindClusterArgs
from ask_components.config import PlatformConfig
from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
from ask_components.targets import Foundation, platform_tags


def build_foundation(name: str, config: PlatformConfig, parent: pulumi.Resource) -> Foundation:
    """A ``SandboxNetwork`` in the sandbox store and a ``KindCluster`` for the kube context."""
    network_config = config.network
    network = SandboxNetwork(
        f"{name}-network",
        SandboxNetworkArgs(
            cidr=network_config.cidr,
            zones=network_config.zones,
            egress=network_config.egress,
            vswitch_prefix_length=network_config.vswitch_prefix_length,
            pinned_vswitches=network_config.pinned_vswitches,
            name_prefix=name,
            tags=platform_tags(config),
            region=config.region,
            sandbox_state=config.local.sandbox_state,
        ),
        pulumi.ResourceOptions(parent=parent),
    )
    cluster = KindCluster(
        f"{name}-kind",
        KindClusterArgs(context=config.local.kube_context),
        pulumi.ResourceOptions(parent=parent),
    )
    return Foundation(
        vpc_id=network.vpc_id,
        vswitch_ids=network.vswitch_ids,
        zone_ids=network.zone_ids,
        nat_gateway_ids=network.nat_gateway_ids,
        egress_ips=network.egress_ips,
        cluster_id=cluster.cluster_id,
        kubeconfig=cluster.kubeconfig,
        provider=cluster.provider,
        resources={"network": network, "cluster": cluster},
    )
