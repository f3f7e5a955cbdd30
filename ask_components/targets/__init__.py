"""Where each platform concept is realised, per target. The choice is made here and only here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pulumi

from ask_components.workloads.runtime import PodRuntime

if TYPE_CHECKING:
    import pulumi_kubernetes as k8s

    from ask_components.config import PlatformConfig
    from ask_components.dns.dns import PrivateDns
    from ask_components.dns.local import LocalPrivateDns
    from ask_components.dns.records import DnsRecord
    from ask_components.ingress.alb import AlbIngress
    from ask_components.ingress.expose import ClbIngress
    from ask_components.ingress.local import SandboxAlbIngress


@dataclass
class Foundation:
    """What every target provides to the workloads: the network and a cluster to deploy into.

    Attributes:
        vpc_id: the VPC id (a sandbox id on the local target).
        vswitch_ids: the vSwitch ids, in zone order.
        zone_ids: the zones, in order.
        nat_gateway_ids: the NAT gateway ids.
        egress_ips: the egress public IPs.
        cluster_id: the cluster id (the kube context on the local target).
        kubeconfig: the kubeconfig, a secret.
        provider: the Kubernetes provider every workload uses.
        resources: the components made, by concept (``network``, ``cluster``).
        pod_runtime: where the cluster runs pods (``workloads/runtime.py``): ECI or ACS pods, by
            the cluster kind; on the local target they also state the spec the cloud would bill.
    """

    vpc_id: pulumi.Output[str]
    vswitch_ids: pulumi.Output[list[str]]
    zone_ids: pulumi.Output[list[str]]
    nat_gateway_ids: pulumi.Output[list[str]]
    egress_ips: pulumi.Output[list[str]]
    cluster_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    provider: k8s.Provider
    resources: dict[str, Any]
    pod_runtime: PodRuntime = field(default_factory=PodRuntime)


@dataclass
class Controllers:
    """What serves the custom resources of the workloads, made only when a workload needs it.

    Attributes:
        cron_hpa: the CronHPA controller (an ACK add-on), when an app has schedules.
        spark: the Spark operator, when there is a Spark job.
    """

    cron_hpa: pulumi.Resource | None = None
    spark: pulumi.Resource | None = None


CRONHPA_ADDON = "ack-kubernetes-cronhpa-controller"
"""ACK's CronHPA controller add-on (https://www.alibabacloud.com/help/en/ack/
ack-managed-and-ack-dedicated/user-guide/cronhpa; also listed for ACS clusters in
https://help.aliyun.com/en/cs/user-guide/component-overview)."""


def build_controllers(
    name: str, config: PlatformConfig, parent: pulumi.Resource, foundation: Foundation
) -> Controllers:
    """The controllers ``config.workloads`` needs: the CronHPA add-on (alicloud; the config
    refuses schedules on the local target) and the Spark operator (a Helm release, on any
    target)."""
    controllers = Controllers()
    if config.workloads.needs_cron_hpa and config.target == "alicloud":
        from ask_components.cluster.cluster import AskCluster

        cluster: AskCluster = foundation.resources["cluster"]
        controllers.cron_hpa = cluster.add_addon(CRONHPA_ADDON)
    if config.workloads.spark_jobs:
        from ask_components.workloads.spark_operator import SparkOperator, SparkOperatorArgs

        operator = config.workloads.spark_operator
        controllers.spark = SparkOperator(
            f"{name}-spark-operator",
            SparkOperatorArgs(
                job_namespace_labels={"app.kubernetes.io/part-of": config.name},
                version=operator.version,
                repository=operator.repository,
                image_registry=operator.image_registry,
                # On ACK Pro the operator's pods need the virtual node's label, or they wait
                # for an ECS node that does not exist; on ACS they say their compute class.
                pod_labels=foundation.pod_runtime.pod_labels(),
            ),
            pulumi.ResourceOptions(parent=parent, provider=foundation.provider),
        )
    return controllers


def platform_tags(config: PlatformConfig) -> dict[str, str]:
    """Tags on every resource a target makes: who made it, for which platform and stack."""
    return {"managed-by": "ask-components", "platform": config.name, "stack": config.stack}


def build_foundation(name: str, config: PlatformConfig, parent: pulumi.Resource) -> Foundation:
    """Build the network and the cluster of ``config.target``.

    ``alicloud``: the real cloud (targets/alicloud.py). ``local``: a kind cluster, with the sandbox
    provider standing in for VPC, vSwitches, NAT and EIPs (targets/local.py).
    """
    if config.target == "local":
        from ask_components.targets import local

        return local.build_foundation(name, config, parent)
    from ask_components.targets import alicloud

    return alicloud.build_foundation(name, config, parent)


def build_ingress(
    name: str, config: PlatformConfig, parent: pulumi.Resource, foundation: Foundation
) -> AlbIngress | SandboxAlbIngress | ClbIngress | None:
    """The ingress ``config.ingress`` asks for (None for kind none): on alicloud an
    ``AlbIngress`` or the ``ClbIngress`` settings; locally a ``SandboxAlbIngress`` served by
    ingress-nginx (the config refuses clb there before anything is registered)."""
    if config.ingress.kind == "none":
        return None
    if config.target == "local":
        from ask_components.targets import local

        return local.build_ingress(name, config, parent, foundation)
    from ask_components.targets import alicloud

    return alicloud.build_ingress(name, config, parent, foundation)


def build_dns(
    name: str,
    config: PlatformConfig,
    parent: pulumi.Resource,
    foundation: Foundation,
    app_records: Sequence[DnsRecord[pulumi.Input[str]]] = (),
    ingress: AlbIngress | SandboxAlbIngress | ClbIngress | None = None,
) -> PrivateDns | LocalPrivateDns | None:
    """The private zone ``config.dns`` asks for (None when unset), with ``app_records`` (one
    per exposed app) after the configured records: a ``PrivateDns`` on alicloud, a
    ``LocalPrivateDns`` answered by the kind cluster's CoreDNS locally (where ``ingress``, the
    sandbox ALB, gives its DNS name an address in the cluster)."""
    if config.dns is None:
        return None
    if config.target == "local":
        from ask_components.ingress.local import SandboxAlbIngress
        from ask_components.targets import local

        alb = ingress if isinstance(ingress, SandboxAlbIngress) else None
        return local.build_dns(name, config, parent, foundation, app_records, alb)
    from ask_components.targets import alicloud

    return alicloud.build_dns(name, config, parent, foundation, app_records)
