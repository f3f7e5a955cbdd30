"""``AskCluster``: an ACK Serverless cluster and a ready Kubernetes provider.

Type token ``ask:cluster:AskCluster``. What a first ``pulumi up`` needs beyond the provider's
schema (docs/deploy.md has the whole story):

- the version sent is always a full ACK version, resolved from a minor against what ACK offers
  and what is deployed (``cluster/versions.py``), so a later preview shows no spurious upgrade;
- add-ons the workloads need later are ``cs.KubernetesAddon`` children (``add_addon``): the
  ``addons`` list of ``ManagedKubernetes`` is read only at create;
- a private cluster's kubeconfig points at the intranet endpoint (``cluster/kubeconfig.py``);
- the Kubernetes provider never drops unreachable objects from the state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_alicloud as alicloud
import pulumi_kubernetes as k8s

from ask_components.arguments.cluster import check_cluster
from ask_components.cluster.kinds import BASE_ADDONS, PROFILES, ClusterKind, cluster_spec
from ask_components.cluster.kubeconfig import with_server
from ask_components.cluster.lookup import resolve_cluster_version
from ask_components.cluster.versions import ResolvedVersion, parse_version
from ask_components.replacement import child_options

Edition = Literal["basic", "pro"]

DEFAULT_EDITION: Edition = "pro"
"""Pro: the control plane has an SLA; ASK Pro is the edition Alibaba recommends for production."""

DEFAULT_SERVICE_CIDR = "172.21.0.0/20"

# What happens to cloud resources the cluster created when it is deleted
# (pulumi-alicloud cs/_inputs.py ManagedKubernetesDeleteOptionArgs):
# - SLB: CLBs that the cloud controller made for LoadBalancer Services die with the cluster,
#   otherwise they are orphaned and keep billing;
# - ALB: retained, because this project creates the ALB as a Pulumi resource and Pulumi deletes it;
# - PrivateZone: the service-discovery zone exists only for this cluster;
# - SLS: logs are kept for audits after the cluster is gone.
DEFAULT_DELETE_OPTIONS: tuple[tuple[str, str], ...] = (
    ("SLB", "delete"),
    ("ALB", "retain"),
    ("PrivateZone", "delete"),
    ("SLS_Data", "retain"),
    ("SLS_ControlPlane", "retain"),
)


@dataclass(frozen=True)
class ClusterAddon:
    """An addon installed when the cluster is created.

    Attributes:
        name: the addon name as DescribeAddons lists it (``metrics-server``).
        version: the addon version; the latest when None.
        config: the addon's config, sent as JSON; none when None.
        disabled: install it disabled.
    """

    name: str
    version: str | None = None
    config: Mapping[str, Any] | None = None
    disabled: bool = False


def default_addons(kind: ClusterKind) -> tuple[ClusterAddon, ...]:
    """The add-ons a cluster of ``kind`` gets at create when none are given."""
    return tuple(ClusterAddon(name) for name in BASE_ADDONS[kind])


@dataclass
class AskClusterArgs:
    """Arguments of an ``AskCluster``.

    Attributes:
        vpc_id: the VPC the cluster lives in.
        kind: ``ask`` (ACK Serverless, ECI pods), ``acs`` (an ACS cluster, ACS pods) or
            ``ack-pro`` (ACK Pro; give it the ``ack-virtual-node`` add-on, ``ACK_PRO_ADDONS``).
            The profile it sets is ForceNew: changing the kind replaces the cluster.
        vswitch_ids: the vSwitches of the control plane endpoints and of the pods (ECI).
        cluster_name: the cluster's name in the console; default: the component name.
        edition: ``basic`` (ack.standard) or ``pro`` (ack.pro.small).
        version: a minor (``"1.33"``: the newest patch ACK offers, or the deployed cluster's
            own version while it runs that minor), a full ACK version (``"1.33.3-aliyun.1"``,
            sent as is), an already ``ResolvedVersion`` (what the Platform passes), or None for
            the newest ACK offers (or the deployed cluster's). Resolving asks ACK through two
            read-only invokes, ``cs.get_kubernetes_version`` and ``cs.get_clusters``.
        service_cidr: the Service CIDR; must not overlap the VPC; immutable.
        public_api: expose the API server on the Internet (off by default). Without it the
            kubeconfig and the provider use the intranet endpoint: deploy from inside the VPC.
        deletion_protection: refuse deletion of the cluster (in the cloud).
        protect: Pulumi ``protect`` on the cluster: no ``pulumi destroy`` or replacement until
            it is turned off.
        new_nat_gateway: let the cluster create its own NAT gateway; False when the Network
            owns egress (the default: one NAT, owned by Pulumi).
        addons: addons installed at create (create-only: later ones need ``add_addon``); None:
            the kind's defaults (``default_addons``; ACK Pro's include the virtual node).
        secret_addon_config: send the addons' configs as Pulumi secrets (encrypted in the state,
            masked in previews); set it when a config may hold a credential.
        delete_options: (resource type, ``delete``|``retain``) for what the cluster created.
        tags: tags on the cluster (also how ``cs.get_clusters`` finds the deployed one).

    ``AskCluster`` checks them with the stack file's ``cluster`` rules before it registers
    anything (``ask_components.arguments.cluster``).
    """

    vpc_id: pulumi.Input[str]
    vswitch_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    kind: ClusterKind = "ask"
    cluster_name: str | None = None
    edition: Edition = DEFAULT_EDITION
    version: str | ResolvedVersion | None = None
    service_cidr: str = DEFAULT_SERVICE_CIDR
    public_api: bool = False
    deletion_protection: bool = False
    protect: bool = False
    new_nat_gateway: bool = False
    addons: Sequence[ClusterAddon] | None = None
    secret_addon_config: bool = False
    delete_options: Sequence[tuple[str, str]] = DEFAULT_DELETE_OPTIONS
    tags: Mapping[str, str] = field(default_factory=dict)


CLUSTER_TYPE = "alicloud:cs/managedKubernetes:ManagedKubernetes"
ADDON_TYPE = "alicloud:cs/kubernetesAddon:KubernetesAddon"


def _addon_config(addon: ClusterAddon, *, secret: bool) -> pulumi.Input[str] | None:
    if addon.config is None:
        return None
    text = json.dumps(dict(addon.config), sort_keys=True)
    return pulumi.Output.secret(text) if secret else text


def intranet_kubeconfig(kubeconfig: str, connections: Sequence[Any] | None) -> str:
    """The kubeconfig with the cluster's intranet endpoint as its server.

    Args:
        kubeconfig: the credential's kubeconfig (the Internet one).
        connections: the cluster's ``connections`` output (a list of one
            ``ManagedKubernetesConnection``).

    Raises:
        KubeconfigError: the cluster reports no intranet endpoint.
    """
    from ask_components.cluster.kubeconfig import KubeconfigError

    endpoint = next((found for found in map(_intranet_endpoint, connections or ()) if found), None)
    if not endpoint:
        raise KubeconfigError(
            "the cluster reports no intranet API server endpoint (connections.api_server_intranet)"
        )
    return with_server(kubeconfig, str(endpoint))


def _intranet_endpoint(connection: Any) -> str | None:
    # An output type (attribute) when read from the resource, a plain dict with snake_case
    # keys when it comes through Output.all.
    if isinstance(connection, Mapping):
        value = connection.get("api_server_intranet")
    else:
        value = getattr(connection, "api_server_intranet", None)
    return str(value) if value else None


class AskCluster(pulumi.ComponentResource):
    """A serverless Kubernetes cluster: ACK Serverless (``cs.ManagedKubernetes`` with
    ``profile="Serverless"``), an ACS cluster (``profile="Acs"``) or ACK Pro (``profile=
    "Default"``) with a virtual node, as ``args.kind`` says. One component for the three, so a
    stack that changes its kind keeps its URNs and the preview shows the cluster replaced.

    Give the ``alicloud`` provider of the region in ``opts.providers``: the cluster and the
    version look-ups use it.

    Outputs:
        cluster_id: the cluster id.
        kubeconfig: the admin kubeconfig, a Pulumi secret (the intranet endpoint unless
            ``public_api``).
        version: the full Kubernetes version sent (``"1.33.3-aliyun.1"``).
        provider: a ``pulumi_kubernetes.Provider`` for the cluster; every workload uses it.
    """

    cluster_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    version: str
    provider: k8s.Provider

    def __init__(
        self, name: str, args: AskClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_cluster(name, args)
        super().__init__("ask:cluster:AskCluster", name, None, opts)
        self._name = name
        cluster_name = args.cluster_name or name
        resolved = self._resolve(args, cluster_name)
        self.version = resolved.version
        self.cluster = alicloud.cs.ManagedKubernetes(
            f"{name}-cluster",
            name=cluster_name,
            # The old cs.ServerlessKubernetes is deprecated; ASK, ACS and ACK Pro are all
            # ManagedKubernetes with a profile (ForceNew).
            profile=PROFILES[args.kind],
            cluster_spec=cluster_spec(args.kind, args.edition),
            version=resolved.version,
            vswitch_ids=args.vswitch_ids,
            service_cidr=args.service_cidr,
            # Sent only when true (the provider reads it with d.GetOk): False leaves it to the
            # API, whose default for snat_entry is false (docs/deploy.md, provider defaults).
            new_nat_gateway=args.new_nat_gateway,
            slb_internet_enabled=args.public_api,
            deletion_protection=args.deletion_protection,
            # RRSA: pods get RAM roles through OIDC instead of long-lived AccessKeys.
            enable_rrsa=True,
            # Every ECI pod takes an ENI in the cluster's security group; a basic group holds
            # at most 2,000 private IPs, an enterprise group has no such limit.
            is_enterprise_security_group=True,
            addons=[
                alicloud.cs.ManagedKubernetesAddonArgs(
                    name=addon.name,
                    version=addon.version,
                    config=_addon_config(addon, secret=args.secret_addon_config),
                    disabled=addon.disabled,
                )
                for addon in (args.addons if args.addons is not None else default_addons(args.kind))
            ],
            delete_options=[
                alicloud.cs.ManagedKubernetesDeleteOptionArgs(
                    resource_type=resource_type, delete_mode=mode
                )
                for resource_type, mode in args.delete_options
            ],
            tags=dict(args.tags),
            opts=child_options(self, CLUSTER_TYPE, protect=args.protect),
        )
        pulumi.log.info(f"Kubernetes {resolved.version}: {resolved.origin}", resource=self.cluster)
        credential = alicloud.cs.get_cluster_credential_output(
            cluster_id=self.cluster.id, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        kubeconfig: pulumi.Output[str] = credential.kube_config
        if not args.public_api:
            kubeconfig = pulumi.Output.all(credential.kube_config, self.cluster.connections).apply(
                lambda values: intranet_kubeconfig(values[0], values[1])
            )
        self.cluster_id = self.cluster.id
        self.kubeconfig = pulumi.Output.secret(kubeconfig)
        # No delete_unreachable: with it, a refresh from a machine that cannot reach the API
        # server (a private cluster seen from outside the VPC) would silently drop every
        # Kubernetes resource from the state.
        self.provider = k8s.Provider(
            f"{name}-k8s", kubeconfig=self.kubeconfig, opts=pulumi.ResourceOptions(parent=self)
        )
        self.register_outputs(
            {
                "cluster_id": self.cluster_id,
                "kubeconfig": self.kubeconfig,
                "version": resolved.version,
            }
        )

    def _resolve(self, args: AskClusterArgs, cluster_name: str) -> ResolvedVersion:
        if isinstance(args.version, ResolvedVersion):
            return args.version
        if args.version is not None and _is_full(args.version):
            return ResolvedVersion(args.version, "pinned")
        return resolve_cluster_version(
            args.version,
            cluster_name=cluster_name,
            profile=PROFILES[args.kind],
            tags=args.tags,
            opts=pulumi.InvokeOptions(parent=self),
        )

    def add_addon(
        self,
        addon: str,
        *,
        config: Mapping[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> alicloud.cs.KubernetesAddon:
        """Install an add-on on the running cluster (a ``cs.KubernetesAddon`` child).

        Args:
            addon: the add-on's name as ACK lists it (``ack-kubernetes-cronhpa-controller``).
            config: its config, sent as JSON; ACK's default when None.
            opts: more options (merged; the parent stays this cluster).
        """
        options = child_options(self, ADDON_TYPE)
        if opts is not None:
            options = pulumi.ResourceOptions.merge(options, opts)
        return alicloud.cs.KubernetesAddon(
            f"{self._name}-addon-{addon}",
            cluster_id=self.cluster.id,
            name=addon,
            config=json.dumps(dict(config), sort_keys=True) if config is not None else None,
            opts=options,
        )


def _is_full(version: str) -> bool:
    try:
        parse_version(version)
    except ValueError:
        return False
    return True
