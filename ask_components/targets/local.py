"""The local target: a kind cluster, with the sandbox provider standing in for the cloud.

The network is a ``SandboxNetwork`` (VPC, vSwitches, NAT and EIPs in the sandbox store, with
Alibaba's rules); the cluster is the kind cluster behind ``ask:local.kubeContext``; the ALB is a
``SandboxAlbIngress`` (a sandbox ALB served by ingress-nginx); the private zone is a
``LocalPrivateDns`` (a sandbox zone whose records the cluster's CoreDNS answers, the ALB's DNS
name resolving to the Service in front of ingress-nginx). Each exposes the outputs of its
cloud counterpart, so the Platform's outputs have the same keys on either target. See
docs/local-target.md for what is and is not emulated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi

from ask_components.cluster.kind import KindCluster, KindClusterArgs
from ask_components.config import PlatformConfig
from ask_components.dns.local import LocalPrivateDns, LocalPrivateDnsArgs
from ask_components.dns.records import DnsRecord, configured_records
from ask_components.ingress.local import SandboxAlbIngress, SandboxAlbIngressArgs
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
        pod_runtime=config.pod_runtime,
    )


def build_ingress(
    name: str, config: PlatformConfig, parent: pulumi.Resource, foundation: Foundation
) -> SandboxAlbIngress:
    """A ``SandboxAlbIngress`` in the sandbox VPC's vSwitches, served by the cluster's
    ingress-nginx (the config refuses kind clb on this target)."""
    ingress = config.ingress
    network: SandboxNetwork = foundation.resources["network"]
    cluster: KindCluster = foundation.resources["cluster"]
    return SandboxAlbIngress(
        f"{name}-alb",
        SandboxAlbIngressArgs(
            network.vpc_id,
            {zone: network.vswitches[zone].id for zone in config.network.zones},
            edition=ingress.edition,
            public=ingress.public,
            certificate_ids=ingress.certificate_ids,
            redirect_http=ingress.redirect_http if ingress.https else None,
            load_balancer_name=f"{name}-alb",
            region=config.region,
            tags=platform_tags(config),
            sandbox_state=config.local.sandbox_state,
        ),
        pulumi.ResourceOptions(
            parent=parent, providers=[foundation.provider], depends_on=[cluster]
        ),
    )


def build_dns(
    name: str,
    config: PlatformConfig,
    parent: pulumi.Resource,
    foundation: Foundation,
    app_records: Sequence[DnsRecord[pulumi.Input[str]]] = (),
    ingress: SandboxAlbIngress | None = None,
) -> LocalPrivateDns:
    """A ``LocalPrivateDns`` for ``config.dns``: the sandbox zone attached to the sandbox VPC,
    its records, and the same records in the kind cluster's CoreDNS. With an ALB, its DNS name
    resolves to the Service standing for it, so ``<app>.<zone>`` reaches ingress-nginx."""
    assert config.dns is not None  # build_dns in targets/__init__.py checks it
    records: list[DnsRecord[pulumi.Input[str]]] = [
        *configured_records(config.dns),
        *app_records,
    ]
    addresses: pulumi.Input[Mapping[str, str]] = (
        pulumi.Output.all(ingress.dns_name, ingress.cluster_ip).apply(
            lambda values: {str(values[0]): str(values[1])}
        )
        if ingress is not None
        else {}
    )
    return LocalPrivateDns(
        f"{name}-dns",
        LocalPrivateDnsArgs(
            zone_name=config.dns.zone,
            vpc_id=foundation.vpc_id,
            kube_context=config.local.kube_context,
            sandbox_state=config.local.sandbox_state,
            records=records,
            addresses=addresses,
            region=config.region,
            remark=f"ask-components platform {config.name} ({config.stack})",
            tags=platform_tags(config),
        ),
        pulumi.ResourceOptions(parent=parent),
    )
