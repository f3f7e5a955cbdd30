"""The plan of a change between two graphs, built by hand: ops, paths, reasons, cascades."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from ask_components.errors import ReplaceGateError
from ask_components.preview.diff import (
    REPLACE_ON_CHANGES,
    Op,
    PropertyChange,
    diff_graphs,
)
from ask_components.preview.diff_cli import check_gate
from ask_components.preview.graph import ResourceGraph, ResourceNode, restacked

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
VPC = "alicloud:vpc/network:Network"
VSWITCH = "alicloud:vpc/switch:Switch"
EIP = "alicloud:ecs/eipAddress:EipAddress"
SNAT = "alicloud:vpc/snatEntry:SnatEntry"
NAT = "alicloud:vpc/natGateway:NatGateway"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
K8S_PROVIDER = "pulumi:providers:kubernetes"


def urn(type_token: str, name: str) -> str:
    return f"urn:pulumi:prod::p::{type_token}::{name}"


def node(
    type_token: str,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    options: Mapping[str, Any] | None = None,
    deps: Mapping[str, tuple[str, ...]] | None = None,
    provider: str | None = None,
    urn_name: str | None = None,
) -> ResourceNode:
    return ResourceNode(
        urn=urn(type_token, urn_name or name),
        type=type_token,
        name=urn_name or name,
        custom=True,
        provider=provider,
        inputs=dict(inputs or {}),
        options=dict(options or {}),
        property_dependencies=dict(deps or {}),
        dependencies=tuple(u for us in (deps or {}).values() for u in us),
    )


def graph(*nodes: ResourceNode) -> ResourceGraph:
    return ResourceGraph("p", "prod", nodes)


def plan(before: list[ResourceNode], after: list[ResourceNode]):  # type: ignore[no-untyped-def]
    return diff_graphs(graph(*before), graph(*after), baseline="test")


def cluster(cidr: str = "172.21.0.0/20", **options: Any) -> ResourceNode:
    return node(CLUSTER, "c", {"serviceCidr": cidr, "version": "1.33"}, options=options)


def test_a_force_new_change_replaces_and_names_the_property_and_its_source() -> None:
    result = plan([cluster()], [cluster("172.22.0.0/20")])
    (change,) = result.changed
    assert change.op is Op.REPLACE
    assert change.stateful is True
    assert change.changes == (
        PropertyChange(
            "serviceCidr",
            "update",
            "172.21.0.0/20",
            "172.22.0.0/20",
            replaces=True,
            source="aliyun/terraform-provider-alicloud alicloud/"
            "resource_alicloud_cs_managed_kubernetes.go:243 (service_cidr)",
        ),
    )
    assert [c.urn for c in result.stateful_replacements] == [change.urn]


def test_an_in_place_change_is_an_update_with_its_path_and_values() -> None:
    old = node(DEPLOYMENT, "web", {"spec": {"replicas": 1, "selector": {"app": "web"}}})
    new = node(DEPLOYMENT, "web", {"spec": {"replicas": 3, "selector": {"app": "web"}}})
    (change,) = plan([old], [new]).changed
    assert change.op is Op.UPDATE
    assert change.changes == (PropertyChange("spec.replicas", "update", 1, 3),)


def test_counts_every_op_and_the_unchanged() -> None:
    same = node(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"})
    gone = node(EIP, "old-eip", {"bandwidth": "5"})
    new = node(EIP, "new-eip", {"bandwidth": "5"})
    result = plan([same, gone], [same, new])
    assert result.counts() == {Op.CREATE: 1, Op.UPDATE: 0, Op.REPLACE: 0, Op.DELETE: 1, Op.SAME: 1}
    assert [(c.name, c.op) for c in result.changed] == [
        ("new-eip", Op.CREATE),
        ("old-eip", Op.DELETE),
    ]


def test_a_rename_with_an_alias_is_the_same_resource() -> None:
    old = node(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"})
    renamed = node(
        VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}, options={"aliases": [old.urn]}, urn_name="network"
    )
    result = plan([old], [renamed])
    assert result.counts()[Op.SAME] == 1
    assert result.changed == ()
    (only,) = result.resources
    assert only.old_urn == old.urn


def test_a_rename_without_an_alias_is_delete_and_create() -> None:
    old = node(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"})
    renamed = node(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}, urn_name="network")
    assert [c.op for c in plan([old], [renamed]).changed] == [Op.CREATE, Op.DELETE]


def test_ignore_changes_hides_a_change_and_replace_on_changes_forces_one() -> None:
    options = {
        "ignoreChanges": ["spec.minReplicas"],
        "replaceOnChanges": ['metadata.annotations["autoscaling.ask-components.io/bounds"]'],
    }

    def hpa(low: int, bounds: str) -> ResourceNode:
        inputs = {
            "metadata": {"annotations": {"autoscaling.ask-components.io/bounds": bounds}},
            "spec": {"minReplicas": low},
        }
        return node(HPA, "web-hpa", inputs, options=options)

    assert plan([hpa(2, "2-10")], [hpa(6, "2-10")]).changed == ()
    (change,) = plan([hpa(2, "2-10")], [hpa(2, "3-10")]).changed
    assert change.op is Op.REPLACE
    assert change.replace_reasons[0].path == (
        'metadata.annotations["autoscaling.ask-components.io/bounds"]'
    )
    assert change.replace_reasons[0].source == REPLACE_ON_CHANGES


def test_protect_alone_is_an_update_and_replacing_a_protected_resource_is_noted() -> None:
    (change,) = plan([cluster()], [cluster(protect=True)]).changed
    assert (change.op, change.option_changes, change.changes) == (
        Op.UPDATE,
        ("protect: False -> True",),
        (),
    )
    (change,) = plan([cluster(protect=True)], [cluster("10.1.0.0/16", protect=True)]).changed
    assert change.notes == (
        "protected: `pulumi up` refuses to replace it until protect is turned off",
    )


def test_delete_before_replace_from_the_option_and_from_the_kubernetes_provider() -> None:
    (change,) = plan(
        [cluster(deleteBeforeReplace=True)], [cluster("10.1.0.0/16", deleteBeforeReplace=True)]
    ).changed
    assert (change.delete_before_replace, change.delete_before_replace_reason) == (
        True,
        "deleteBeforeReplace option",
    )
    old = node(DEPLOYMENT, "web", {"metadata": {"name": "web"}, "spec": {"selector": {"a": "1"}}})
    new = node(DEPLOYMENT, "web", {"metadata": {"name": "web"}, "spec": {"selector": {"a": "2"}}})
    (change,) = plan([old], [new]).changed
    assert change.op is Op.REPLACE
    assert change.delete_before_replace_reason == (
        "the provider (an object's fixed name must be free first)"
    )


def network(vpc_cidr: str, eip_isp: str = "BGP") -> list[ResourceNode]:
    vpc = node(VPC, "vpc", {"ipv6CidrBlock": vpc_cidr})
    vsw = node(
        VSWITCH,
        "vsw",
        {"vpcId": "[unknown]", "cidrBlock": "10.0.0.0/19"},
        deps={"vpcId": (vpc.urn,)},
    )
    nat = node(NAT, "nat", {"vswitchId": "[unknown]"}, deps={"vswitchId": (vsw.urn,)})
    eip = node(EIP, "eip", {"isp": eip_isp})
    snat = node(
        SNAT,
        "snat",
        {"snatIp": "[unknown]", "snatTableId": "[unknown]", "sourceVswitchId": "[unknown]"},
        deps={"snatIp": (eip.urn,), "snatTableId": (nat.urn,), "sourceVswitchId": (vsw.urn,)},
    )
    return [vpc, vsw, nat, eip, snat]


def test_a_replacement_carries_to_force_new_inputs_that_take_its_id() -> None:
    result = plan(network("2408::/56"), network("2409::/56"))
    ops = {c.name: c.op for c in result.resources}
    # The vSwitch's vpcId is ForceNew: replaced; the NAT's vswitchId is not: updated; the SNAT
    # entry's sourceVswitchId is ForceNew: replaced.
    assert ops == {
        "vpc": Op.REPLACE,
        "vsw": Op.REPLACE,
        "nat": Op.UPDATE,
        "eip": Op.SAME,
        "snat": Op.REPLACE,
    }
    vsw = next(c for c in result.resources if c.name == "vsw")
    assert vsw.changes[0].path == "vpcId"
    assert vsw.changes[0].cause == urn(VPC, "vpc")
    assert vsw.changes[0].source is not None
    assert vsw.changes[0].source.endswith("; vpc changes")


def test_an_input_from_a_replaced_resource_that_is_not_force_new_is_an_update() -> None:
    result = plan(network("2408::/56"), network("2408::/56", eip_isp="BGP_PRO"))
    ops = {c.name: c.op for c in result.changed}
    assert ops == {"eip": Op.REPLACE, "snat": Op.UPDATE}


def test_a_replaced_provider_replaces_what_it_manages() -> None:
    def stack(cidr: str) -> list[ResourceNode]:
        c = cluster(cidr)
        provider = node(
            K8S_PROVIDER, "k8s", {"kubeconfig": "[secret]"}, deps={"kubeconfig": (c.urn,)}
        )
        app = node(DEPLOYMENT, "web", {"spec": {"replicas": 1}}, provider=f"{provider.urn}::id-1")
        return [c, provider, app]

    result = plan(stack("172.21.0.0/20"), stack("172.22.0.0/20"))
    assert [(c.name, c.op) for c in result.changed] == [
        ("c", Op.REPLACE),
        ("k8s", Op.REPLACE),
        ("web", Op.REPLACE),
    ]
    web = result.changed[2]
    assert web.changes[0].source == "its provider k8s is replaced"


def test_the_gate_names_each_stateful_replacement() -> None:
    result = plan([cluster()], [cluster("172.22.0.0/20")])
    with pytest.raises(ReplaceGateError) as caught:
        check_gate(result)
    assert caught.value.exit_code == 3
    assert str(caught.value) == (
        "--fail-on-replace: 1 stateful resource would be replaced: c (ManagedKubernetes: serviceCidr)"
    )
    check_gate(plan([cluster()], [cluster()]))  # nothing replaced: no error


def test_restacked_graphs_match_by_urn() -> None:
    dev = ResourceGraph(
        "p",
        "dev",
        (
            ResourceNode(
                "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
                "pulumi:pulumi:Stack",
                "p-dev",
                False,
            ),
            ResourceNode(
                "urn:pulumi:dev::p::alicloud:vpc/network:Network::vpc",
                VPC,
                "vpc",
                True,
                parent="urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
            ),
        ),
    )
    moved = restacked(dev, "prod")
    assert [n.urn for n in moved] == [
        "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod",
        "urn:pulumi:prod::p::alicloud:vpc/network:Network::vpc",
    ]
    assert moved.resources[1].parent == "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod"
    assert moved.resources[0].name == "p-prod"
