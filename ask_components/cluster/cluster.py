"""``AskCluster``: an ACK Serverless cluster and a ready Kubernetes provider.

Type token ``ask:cluster:AskCluster``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_alicloud as alicloud
import pulumi_kubernetes as k8s

Edition = Literal["basic", "pro"]

CLUSTER_SPECS: Mapping[Edition, str] = {"basic": "ack.standard", "pro": "ack.pro.small"}
"""Edition -> ``cluster_spec`` (pulumi-alicloud cs/managed_kubernetes.py)."""

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


DEFAULT_ADDONS: tuple[ClusterAddon, ...] = (
    ClusterAddon("metrics-server"),
    ClusterAddon("managed-coredns"),
)
"""metrics-server feeds the HPAs; managed CoreDNS makes Service names resolve (ASK has no DNS
by default: https://www.alibabacloud.com/help/en/container-service-for-kubernetes/latest/ask-service-discovery-and-dns)."""


@dataclass
class AskClusterArgs:
    """Arguments of an ``AskCluster``.

    Attributes:
        vpc_id: the VPC the cluster lives in.
        vswitch_ids: the vSwitches of the control plane endpoints and of the pods (ECI).
        cluster_name: the cluster's name in the console; default: the component name.
        edition: ``basic`` (ack.standard) or ``pro`` (ack.pro.small).
        version: the Kubernetes version; Alibaba's latest when None.
        service_cidr: the Service CIDR; must not overlap the VPC; immutable.
        public_api: expose the API server on the Internet (off by default).
        deletion_protection: refuse deletion of the cluster.
        new_nat_gateway: let the cluster create its own NAT gateway; False when the Network
            owns egress (the default: one NAT, owned by Pulumi).
        addons: addons installed at create (create-only: later ones need ``cs.KubernetesAddon``).
        delete_options: (resource type, ``delete``|``retain``) for what the cluster created.
        tags: tags on the cluster.
    """

    vpc_id: pulumi.Input[str]
    vswitch_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    cluster_name: str | None = None
    edition: Edition = DEFAULT_EDITION
    version: str | None = None
    service_cidr: str = DEFAULT_SERVICE_CIDR
    public_api: bool = False
    deletion_protection: bool = False
    new_nat_gateway: bool = False
    addons: Sequence[ClusterAddon] = DEFAULT_ADDONS
    delete_options: Sequence[tuple[str, str]] = DEFAULT_DELETE_OPTIONS
    tags: Mapping[str, str] = field(default_factory=dict)


class AskCluster(pulumi.ComponentResource):
    """An ACK Serverless cluster (``cs.ManagedKubernetes`` with ``profile="Serverless"``).

    Outputs:
        cluster_id: the cluster id.
        kubeconfig: the admin kubeconfig, a Pulumi secret.
        provider: a ``pulumi_kubernetes.Provider`` for the cluster; every workload uses it.
    """

    cluster_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    provider: k8s.Provider

    def __init__(
        self, name: str, args: AskClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:cluster:AskCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.cluster = alicloud.cs.ManagedKubernetes(
            f"{name}-cluster",
            name=args.cluster_name or name,
            # The old cs.ServerlessKubernetes is deprecated; ASK is ManagedKubernetes + profile.
            profile="Serverless",
            cluster_spec=CLUSTER_SPECS[args.edition],
            version=args.version,
            vswitch_ids=args.vswitch_ids,
            service_cidr=args.service_cidr,
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
                    config=json.dumps(dict(addon.config), sort_keys=True)
                    if addon.config is not None
                    else None,
                    disabled=addon.disabled,
                )
                for addon in args.addons
            ],
            delete_options=[
                alicloud.cs.ManagedKubernetesDeleteOptionArgs(
                    resource_type=resource_type, delete_mode=mode
                )
                for resource_type, mode in args.delete_options
            ],
            tags=dict(args.tags),
            opts=child,
        )
        credential = alicloud.cs.get_cluster_credential_output(
            cluster_id=self.cluster.id, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        self.cluster_id = self.cluster.id
        self.kubeconfig = pulumi.Output.secret(credential.kube_config)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            # A destroy after the cluster is gone must not hang on unreachable objects.
            delete_unreachable=True,
            opts=child,
        )
        self.register_outputs({"cluster_id": self.cluster_id, "kubeconfig": self.kubeconfig})
