"""The alicloud target: the real cloud resources."""

from __future__ import annotations

import pulumi
import pulumi_alicloud as alicloud

from ask_components.cluster.cluster import AskCluster, AskClusterArgs, ClusterAddon
from ask_components.config import PlatformConfig
from ask_components.network.network import Network, NetworkArgs
from ask_components.targets import Foundation


def platform_tags(config: PlatformConfig) -> dict[str, str]:
    """Tags on every cloud resource: who made it and for which platform and stack."""
    return {"managed-by": "ask-components", "platform": config.name, "stack": config.stack}


def build_foundation(name: str, config: PlatformConfig, parent: pulumi.Resource) -> Foundation:
    """A ``Network`` and an ``AskCluster`` in ``config.region``, through one explicit provider."""
    tags = platform_tags(config)
    # An explicit provider pins the region in the state (and in every preview), instead of
    # whatever the default provider picks up from the environment.
    provider = alicloud.Provider(
        f"{name}-alicloud", region=config.region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    network_config = config.network
    network = Network(
        f"{name}-network",
        NetworkArgs(
            cidr=network_config.cidr,
            zones=network_config.zones,
            egress=network_config.egress,
            vswitch_prefix_length=network_config.vswitch_prefix_length,
            pinned_vswitches=network_config.pinned_vswitches,
            name_prefix=name,
            tags=tags,
        ),
        opts,
    )
    cluster_config = config.cluster
    addons = (
        tuple(
            ClusterAddon(addon.name, addon.version, addon.config, addon.disabled)
            for addon in cluster_config.addons
        )
        if cluster_config.addons is not None
        else tuple(ClusterAddon(n) for n in config.addon_names)
    )
    cluster = AskCluster(
        f"{name}-ask",
        AskClusterArgs(
            vpc_id=network.vpc_id,
            vswitch_ids=network.vswitch_ids,
            cluster_name=name,
            edition=cluster_config.edition,
            version=cluster_config.version,
            service_cidr=cluster_config.service_cidr,
            public_api=cluster_config.public_api,
            deletion_protection=config.deletion_protection,
            # The Network owns egress when it has any; without it, ASK gets no NAT at all
            # (egress "none" is a decision, not an omission).
            new_nat_gateway=False,
            addons=addons,
            tags=tags,
        ),
        pulumi.ResourceOptions(parent=parent, providers=[provider], depends_on=[network]),
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
        resources={"provider": provider, "network": network, "cluster": cluster},
    )
