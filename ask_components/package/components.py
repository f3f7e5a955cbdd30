"""The components as the multi-language package hosts them: ``ask:index:Network``,
``ask:index:AskCluster``, ``ask:index:ServerlessApp`` and ``ask:index:Platform``.

Each is a thin component around the Python one of the same name, which it makes as its child
with the same name (so cloud names are the same). The Python classes keep their own type tokens
(``ask:network:Network``...), so the URNs of every stack deployed from Python stay as they are;
these wrappers exist only for programs in other languages, whose URNs are new.

No ``from __future__ import annotations`` here: the component host reads the annotations (the
``args`` type and the outputs) as types, and the attribute docstrings as the schema's
descriptions. ``construct`` hands ``args`` over as a plain dict with Python names
(pulumi/pulumi#18526), which is what the ``TypedDict``s of ``types.py`` declare; each wrapper
checks it with the same models as the Python arguments (``ask_components/arguments/``) and
reports problems with the schema's camelCase names.
"""

from collections.abc import Mapping
from typing import Any

import pulumi

from ask_components.arguments import check_arguments, plain, valid_region
from ask_components.arguments.cluster import AskClusterArguments
from ask_components.arguments.network import NetworkArguments
from ask_components.cluster import cluster as python_cluster
from ask_components.configbase import ConfigModel
from ask_components.network import network as python_network
from ask_components.package.inputs import PlatformInputs, ServerlessAppInputs
from ask_components.package.types import (
    AskClusterArgs,
    NetworkArgs,
    PlatformArgs,
    ServerlessAppArgs,
)
from ask_components.workloads._base import DEFAULT_NAMESPACE
from ask_components.workloads.runtime import PodRuntime, runtime_for

PACKAGE = "ask"
"""The package name: resources are ``ask:index:<Component>``, ``pulumi package add`` names it."""


def _inputs(
    component: str,
    name: str,
    model: type[ConfigModel],
    args: Mapping[str, Any],
    runtime: PodRuntime | None = None,
    /,
    **document: Any,
) -> Any:
    """``args`` (with ``document`` over them) checked by ``model`` in the context the stack file
    gives (the region; the pod runtime the workloads are sized on), problems in schema names."""
    values = {**plain(dict(args)), **document}
    context = {
        "region": valid_region(values.get("region")),
        "region_key": "region",
        "runtime": runtime or _runtime(values.get("cluster_kind"), values.get("serverless_pods")),
    }
    return check_arguments(component, name, model, values, context=context, schema_names=True)


def _runtime(kind: object, pods: object) -> PodRuntime:
    """The pod runtime a cluster kind gives (ECI when the kind is unknown: reported anyway)."""
    return runtime_for(
        kind if kind in ("ask", "acs", "ack-pro") else "ask",
        pods if pods in ("eci", "acs") else None,
    )


def _child(parent: pulumi.Resource) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=parent)


class Network(pulumi.ComponentResource):
    """A VPC over several zones, one vSwitch per zone, and the NAT egress the strategy asks for
    (one Enhanced NAT gateway with an EIP, or one per zone, SNAT for every vSwitch)."""

    vpc_id: pulumi.Output[str]
    """The VPC id."""
    vswitch_ids: pulumi.Output[list[str]]
    """The vSwitch ids, in zone order."""
    zone_ids: pulumi.Output[list[str]]
    """The zones, in order."""
    nat_gateway_ids: pulumi.Output[list[str]]
    """The NAT gateway ids (none, one, or one per zone)."""
    egress_ips: pulumi.Output[list[str]]
    """The public IPs traffic leaves from."""
    layout: pulumi.Output[dict[str, str]]
    """Zone -> vSwitch CIDR (known at plan time)."""

    def __init__(
        self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        inputs = _inputs("Network", name, NetworkArguments, args)
        super().__init__(f"{PACKAGE}:index:Network", name, {}, opts)
        fields = {key: getattr(inputs, key) for key in NetworkArguments.model_fields}
        inner = python_network.Network(name, python_network.NetworkArgs(**fields), _child(self))
        self.vpc_id = inner.vpc_id
        self.vswitch_ids = inner.vswitch_ids
        self.zone_ids = inner.zone_ids
        self.nat_gateway_ids = inner.nat_gateway_ids
        self.egress_ips = inner.egress_ips
        self.layout = inner.layout
        self.register_outputs(
            {key: getattr(inner, key) for key in python_network.NETWORK_OUTPUT_KEYS}
        )


class AskCluster(pulumi.ComponentResource):
    """A serverless Kubernetes cluster: ACK Serverless (kind ask), an ACS cluster (acs) or ACK
    Pro with a virtual node (ack-pro), with a private API server unless publicApi. Make a
    Kubernetes provider from its kubeconfig for the workloads."""

    cluster_id: pulumi.Output[str]
    """The cluster id."""
    kubeconfig: pulumi.Output[str]
    """The admin kubeconfig, a Pulumi secret (the intranet endpoint unless publicApi)."""
    version: pulumi.Output[str]
    """The full Kubernetes version sent ("1.33.3-aliyun.1")."""

    def __init__(
        self, name: str, args: AskClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        inputs = _inputs("AskCluster", name, AskClusterArguments, args)
        super().__init__(f"{PACKAGE}:index:AskCluster", name, {}, opts)
        addons = (
            None
            if inputs.addons is None
            else tuple(
                python_cluster.ClusterAddon(a.name, a.version, a.config, a.disabled)
                for a in inputs.addons
            )
        )
        delete_options = (
            python_cluster.DEFAULT_DELETE_OPTIONS
            if inputs.delete_options is None
            else tuple((o.resource_type, o.delete_mode) for o in inputs.delete_options)
        )
        inner = python_cluster.AskCluster(
            name,
            python_cluster.AskClusterArgs(
                vpc_id=inputs.vpc_id,
                vswitch_ids=inputs.vswitch_ids,
                kind=inputs.kind,
                cluster_name=inputs.cluster_name,
                edition=inputs.edition,
                version=inputs.version,
                service_cidr=inputs.service_cidr,
                public_api=inputs.public_api,
                deletion_protection=bool(inputs.deletion_protection),
                protect=inputs.protect,
                new_nat_gateway=inputs.new_nat_gateway,
                addons=addons,
                secret_addon_config=inputs.secret_addon_config,
                delete_options=delete_options,
                tags=dict(inputs.tags),
            ),
            _child(self),
        )
        self.cluster_id = inner.cluster_id
        self.kubeconfig = inner.kubeconfig
        self.version = pulumi.Output.from_input(inner.version)
        self.register_outputs(
            {"cluster_id": self.cluster_id, "kubeconfig": self.kubeconfig, "version": self.version}
        )


class ServerlessApp(pulumi.ComponentResource):
    """A long-running service on serverless pods (ECI or ACS): Deployment, ClusterIP Service,
    an HPA with autoscale, ACK's CronHPA for schedules, a PodDisruptionBudget from two replicas.
    Give the cluster's Kubernetes provider in the resource options."""

    service_name: pulumi.Output[str]
    """The Service's name."""
    namespace: pulumi.Output[str]
    """The namespace."""
    billed_spec: pulumi.Output[str]
    """The spec each pod is billed as ("1-2Gi")."""

    def __init__(
        self, name: str, args: ServerlessAppArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        from ask_components.workloads import app as python_app
        from ask_components.workloads.build import app_args, common_args

        inputs = _inputs("ServerlessApp", name, ServerlessAppInputs, args, name=name)
        super().__init__(f"{PACKAGE}:index:ServerlessApp", name, {}, opts)
        runtime = _runtime(inputs.cluster_kind, inputs.serverless_pods)
        common = common_args(
            inputs,
            region=inputs.region,
            secret_env=inputs.secrets,
            shared_namespace=DEFAULT_NAMESPACE,
            part_of=None,
            runtime=runtime,
        )
        inner = python_app.ServerlessApp(
            name, app_args(inputs, common, inputs.controller_time_zone, runtime), _child(self)
        )
        self.service_name = pulumi.Output.from_input(inner.service_name)
        self.namespace = pulumi.Output.from_input(inner.namespace)
        self.billed_spec = pulumi.Output.from_input(inner.billed_spec)
        self.register_outputs(
            {
                "service_name": self.service_name,
                "namespace": self.namespace,
                "billed_spec": self.billed_spec,
            }
        )


class Platform(pulumi.ComponentResource):
    """A whole platform from one document, the stack file's ask:platform (with region, target
    and local beside it): network, cluster, ingress, private DNS and workloads."""

    vpc_id: pulumi.Output[str]
    """The VPC id."""
    vswitch_ids: pulumi.Output[list[str]]
    """The vSwitch ids, in zone order."""
    zone_ids: pulumi.Output[list[str]]
    """The zones."""
    nat_gateway_ids: pulumi.Output[list[str]]
    """The NAT gateway ids."""
    egress_ips: pulumi.Output[list[str]]
    """The egress public IPs."""
    cluster_id: pulumi.Output[str]
    """The cluster id."""
    kubeconfig: pulumi.Output[str]
    """The cluster's kubeconfig, a secret."""
    workloads: pulumi.Output[dict[str, dict[str, str]]] | None
    """Kind -> workload name -> the spec its pods are billed as (only with workloads)."""
    ingress_load_balancer_id: pulumi.Output[str] | None
    """The ALB id (ingress kind alb only)."""
    ingress_dns_name: pulumi.Output[str] | None
    """The ALB's DNS name (ingress kind alb only)."""
    private_zone_id: pulumi.Output[str] | None
    """The PrivateZone id (with dns only)."""
    private_zone_records: pulumi.Output[list[str]] | None
    """The full names of its records (with dns only)."""

    def __init__(
        self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        from ask_components.platform import Platform as PythonPlatform

        cluster: Mapping[str, Any] = args.get("cluster") or {}
        # The workloads are sized on the cluster's pod runtime, as the stack file's are.
        runtime = _runtime(cluster.get("kind"), cluster.get("serverless_pods"))
        inputs = _inputs("Platform", name, PlatformInputs, args, runtime, stack=pulumi.get_stack())
        super().__init__(f"{PACKAGE}:index:Platform", name, {}, opts)
        inner = PythonPlatform(name, inputs, _child(self), secrets=dict(inputs.secrets))
        outputs = inner.outputs()
        for key in self.__annotations__:
            setattr(self, key, outputs.get(key))
        self.register_outputs(outputs)


COMPONENTS: tuple[type[pulumi.ComponentResource], ...] = (
    Network,
    AskCluster,
    ServerlessApp,
    Platform,
)
"""What the package hosts."""

for _component in COMPONENTS:
    # The host takes the class docstring as the schema's description: one paragraph, no
    # source indentation.
    _component.__doc__ = " ".join(str(_component.__doc__).split())
