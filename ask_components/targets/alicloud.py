"""The alicloud target: the real cloud resources."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_alicloud as alicloud
from pulumi.runtime.config import is_config_secret

from ask_components.cluster.cluster import AskCluster, AskClusterArgs, ClusterAddon
from ask_components.cluster.kinds import PROFILES
from ask_components.cluster.lookup import DeployedCluster, deployed_cluster, resolve_cluster_version
from ask_components.cluster.versions import ResolvedVersion, VersionError
from ask_components.config import PLATFORM_KEY, PROD_STACK_PREFIX, PlatformConfig
from ask_components.dns.dns import PrivateDns, PrivateDnsArgs
from ask_components.dns.records import DnsRecord, configured_records
from ask_components.errors import ConfigError, ConfigProblem
from ask_components.ingress.alb import AccessLog, AlbIngress, AlbIngressArgs
from ask_components.ingress.expose import ClbIngress
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
    # Before any cloud resource: a version ACK cannot create or reach is a config problem, and
    # nothing may be created before it is found.
    version = _cluster_version(config, tags, provider)
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
    # The listed addons, else the defaults (with the ALB Ingress controller for kind alb).
    addons = tuple(
        ClusterAddon(addon.name, addon.version, addon.config, addon.disabled)
        for addon in config.addons
    )
    cluster = AskCluster(
        f"{name}-ask",
        AskClusterArgs(
            vpc_id=network.vpc_id,
            vswitch_ids=network.vswitch_ids,
            kind=cluster_config.kind,
            cluster_name=name,
            edition=cluster_config.edition,
            version=version,
            service_cidr=cluster_config.service_cidr,
            public_api=cluster_config.public_api,
            deletion_protection=config.deletion_protection,
            protect=config.protected,
            # The Network owns egress when it has any; without it, ASK gets no NAT at all
            # (egress "none" is a decision, not an omission).
            new_nat_gateway=False,
            addons=addons,
            # A secure value anywhere in ask:platform can only be meant for an addon's free-form
            # config: keep those configs secret, as `pulumi config set --secret` asked.
            secret_addon_config=is_config_secret(PLATFORM_KEY),
            tags=tags,
        ),
        pulumi.ResourceOptions(parent=parent, providers=[provider], depends_on=[network]),
    )
    if not cluster_config.public_api:
        pulumi.log.info(
            "the API server is private (ask:platform.cluster.publicApi: false): run pulumi from "
            "inside the VPC, e.g. on this platform's CI runner or over a VPN "
            "(docs/deploy.md, private API access)",
            resource=cluster,
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
        pod_runtime=config.pod_runtime,
    )


def _cluster_version(
    config: PlatformConfig, tags: dict[str, str], provider: alicloud.Provider
) -> ResolvedVersion:
    """The full Kubernetes version for ``cluster.version`` (cluster/versions.py), and the one
    check of a kind change against the deployed cluster.

    Raises:
        ConfigError: ACK does not offer the version, the deployed cluster cannot be moved to
            it, or a prod* stack would replace its cluster without ``cluster.allowReplacement``.
    """
    opts = pulumi.InvokeOptions(provider=provider)
    profile = PROFILES[config.cluster.kind]
    try:
        deployed = deployed_cluster(config.name, tags, opts)
        if deployed is not None and deployed.profile != profile:
            _kind_change(config, deployed)
        return resolve_cluster_version(
            config.cluster.version,
            cluster_name=config.name,
            profile=profile,
            tags=tags,
            opts=opts,
            deployed=deployed,
        )
    except VersionError as err:
        raise ConfigError([ConfigProblem(f"{PLATFORM_KEY}.cluster.version", str(err))]) from None


def _kind_change(config: PlatformConfig, deployed: DeployedCluster) -> None:
    """A new kind means a new cluster (``profile`` is ForceNew): refused for prod* stacks
    unless the stack file says it is intended, and said out loud otherwise."""
    kinds = {profile: kind for kind, profile in PROFILES.items()}
    old = kinds.get(deployed.profile, f"profile {deployed.profile}")
    new = config.cluster.kind
    what = (
        f"the deployed cluster {deployed.cluster_id} is kind {old} (profile {deployed.profile}); "
        f"kind {new} (profile {PROFILES[new]}) REPLACES it with a new cluster, and every "
        "Kubernetes resource moves to the new one (docs/migrate-ask-to-acs.md)"
    )
    if config.stack.startswith(PROD_STACK_PREFIX) and not config.cluster.allow_replacement:
        raise ConfigError(
            [
                ConfigProblem(
                    f"{PLATFORM_KEY}.cluster.kind",
                    f"{what}: set cluster.allowReplacement: true to do that on a prod* stack "
                    "(and protect: false, cluster.deletionProtection: false first)",
                )
            ]
        )
    pulumi.log.warn(f"{PLATFORM_KEY}.cluster.kind: {what}")


def build_ingress(
    name: str, config: PlatformConfig, parent: pulumi.Resource, foundation: Foundation
) -> AlbIngress | ClbIngress:
    """An ``AlbIngress`` (kind alb) or the ``ClbIngress`` settings (kind clb)."""
    ingress = config.ingress
    network: Network = foundation.resources["network"]
    cluster: AskCluster = foundation.resources["cluster"]
    tags = platform_tags(config)
    if ingress.kind == "clb":
        return ClbIngress(
            public=ingress.public,
            # Intranet CLBs take their address from the first zone's vSwitch.
            intranet_vswitch_id=network.vswitches[config.network.zones[0]].id,
            certificate_id=ingress.certificate_ids[0] if ingress.certificate_ids else None,
            redirect_http=ingress.redirect_http,
            deletion_protection=config.ingress_deletion_protection,
            tags=tags,
            depends_on=(cluster, network),
        )
    access_log = ingress.access_log
    return AlbIngress(
        f"{name}-alb",
        AlbIngressArgs(
            vpc_id=network.vpc_id,
            zone_vswitches={zone: network.vswitches[zone].id for zone in config.network.zones},
            edition=ingress.edition,
            public=ingress.public,
            certificate_ids=ingress.certificate_ids,
            redirect_http=ingress.redirect_http if ingress.https else None,
            access_log=AccessLog(access_log.project, access_log.store) if access_log else None,
            deletion_protection=config.ingress_deletion_protection,
            protect=config.protected,
            cluster_id=cluster.cluster_id,
            region=config.region,
            tags=tags,
        ),
        pulumi.ResourceOptions(
            parent=parent,
            providers=[foundation.resources["provider"], foundation.provider],
            depends_on=[cluster],
        ),
    )


def build_dns(
    name: str,
    config: PlatformConfig,
    parent: pulumi.Resource,
    foundation: Foundation,
    app_records: Sequence[DnsRecord[pulumi.Input[str]]] = (),
) -> PrivateDns:
    """A ``PrivateDns`` for ``config.dns``, attached to the platform VPC only."""
    assert config.dns is not None  # build_dns in targets/__init__.py checks it
    records: list[DnsRecord[pulumi.Input[str]]] = [
        *configured_records(config.dns),
        *app_records,
    ]
    return PrivateDns(
        f"{name}-dns",
        PrivateDnsArgs(
            zone_name=config.dns.zone,
            vpc_id=foundation.vpc_id,
            region=config.region,
            records=records,
            remark=f"ask-components platform {config.name} ({config.stack})",
            tags=platform_tags(config),
        ),
        pulumi.ResourceOptions(parent=parent, providers=[foundation.resources["provider"]]),
    )
