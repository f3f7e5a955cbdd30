"""The RAM policy of a stack: exactly the actions of the types it registers, the committed
docs/ram/<stack>.json kept current, and `askc deploy ram-policy`."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.config import TARGET_KEY
from ask_components.deploy.policy import MAX_POLICY_CHARS, cloud_tokens, ram_policy
from ask_components.deploy.ram import RAM_CODES, ROWS_BY_TOKEN
from ask_components.errors import InputError
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.preview.project import load_project, read_stack_config
from tests.conftest import PROJECT_ROOT

runner = CliRunner()
RAM_DOCS = PROJECT_ROOT / "docs" / "ram"
REGENERATE = "askc deploy ram-policy --stack {stack} > docs/ram/{stack}.json"

DEV_CS = [
    "cs:CancelTask",
    "cs:CheckControlPlaneLogEnable",
    "cs:CreateCluster",
    "cs:DeleteCluster",
    "cs:DescribeClusterDetail",
    "cs:DescribeClusterUserKubeconfig",
    "cs:DescribeClustersForRegion",
    "cs:DescribeKubernetesVersionMetadata",
    "cs:DescribeTaskInfo",
    "cs:GetClusterAuditProject",
    "cs:MigrateCluster",
    "cs:ModifyCluster",
    "cs:ModifyClusterTags",
    "cs:UpgradeCluster",
]
# Prod's app has schedules: the CronHPA controller is a day-2 add-on (cs.KubernetesAddon).
PROD_CS = sorted(
    {
        *DEV_CS,
        "cs:DescribeAddon",
        "cs:DescribeClusterAddonsUpgradeStatus",
        "cs:GetClusterAddonInstance",
        "cs:InstallClusterAddons",
        "cs:ModifyClusterAddon",
        "cs:UnInstallClusterAddons",
        "cs:UpgradeClusterAddons",
    }
)
DEV_VPC = [
    "vpc:AllocateEipAddress",
    "vpc:AssociateEipAddress",
    "vpc:CreateNatGateway",
    "vpc:CreateSnatEntry",
    "vpc:CreateVSwitch",
    "vpc:CreateVpc",
    "vpc:DeleteNatGateway",
    "vpc:DeleteSnatEntry",
    "vpc:DeleteVSwitch",
    "vpc:DeleteVpc",
    "vpc:DescribeEipAddresses",
    "vpc:DescribeNatGateways",
    "vpc:DescribeRouteTableList",
    "vpc:DescribeSnatTableEntries",
    "vpc:DescribeVSwitchAttributes",
    "vpc:DescribeVpcAttribute",
    "vpc:ListTagResources",
    "vpc:ModifyEipAddressAttribute",
    "vpc:ModifyNatGatewayAttribute",
    "vpc:ModifySnatEntry",
    "vpc:ModifyVSwitchAttribute",
    "vpc:ModifyVpcAttribute",
    "vpc:ReleaseEipAddress",
    "vpc:TagResources",
    "vpc:UnTagResources",
    "vpc:UnassociateEipAddress",
]


@cache
def _graph(stack: str) -> ResourceGraph:
    return run_preview(PROJECT_ROOT, stack)


def _cloud_stacks() -> list[str]:
    """The repository's stacks on the alicloud target (every one needs a committed policy)."""
    project = load_project(PROJECT_ROOT)
    return [
        stack
        for stack in project.stacks()
        if read_stack_config(project, stack)[0].get(TARGET_KEY, "alicloud") == "alicloud"
    ]


def _shape_problems(document: Any) -> list[str]:
    """What makes a document not a RAM policy: Version "1", a non-empty Statement list, each
    with Effect Allow/Deny, Action (a ``<RamCode>:<Action>`` string or a list of them) and
    Resource, and nothing else but an optional Condition."""
    if not isinstance(document, dict) or set(document) != {"Version", "Statement"}:
        return [f"top level is {document!r:.80}"]
    problems = [] if document["Version"] == "1" else ["Version is not '1'"]
    statements = document["Statement"]
    if not isinstance(statements, list) or not statements:
        return [*problems, "Statement is not a non-empty list"]
    for index, statement in enumerate(statements):
        where = f"Statement[{index}]"
        if not isinstance(statement, dict):
            problems.append(f"{where} is not an object")
            continue
        if (
            not {"Effect", "Action", "Resource"}
            <= set(statement)
            <= {
                "Effect",
                "Action",
                "Resource",
                "Condition",
            }
        ):
            problems.append(f"{where} has keys {sorted(statement)}")
            continue
        if statement["Effect"] not in ("Allow", "Deny"):
            problems.append(f"{where}.Effect is {statement['Effect']!r}")
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        if not isinstance(actions, list) or not actions:
            problems.append(f"{where}.Action is empty")
            continue
        for action in actions:
            match = re.fullmatch(r"([a-z]+):([A-Za-z]+)", str(action))
            if match is None or match.group(1) not in RAM_CODES:
                problems.append(f"{where}.Action {action!r} is not <known RamCode>:<Action>")
        resource = statement["Resource"]
        if not (resource == "*" or (isinstance(resource, list) and resource)):
            problems.append(f"{where}.Resource is {resource!r}")
    return problems


def test_the_dev_policy_is_exactly_what_its_types_need() -> None:
    policy = ram_policy(_graph("dev"))
    assert policy.document() == {
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": DEV_CS, "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": ["ram:CreateServiceLinkedRole"],
                "Resource": "*",
                "Condition": {"StringEquals": {"ram:ServiceName": ["nat.aliyuncs.com"]}},
            },
            {"Effect": "Allow", "Action": DEV_VPC, "Resource": "*"},
        ],
    }
    assert [row.token for row in policy.rows] == [
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "alicloud:ecs/eipAddress:EipAddress",
        "alicloud:ecs/eipAssociation:EipAssociation",
        "alicloud:vpc/natGateway:NatGateway",
        "alicloud:vpc/network:Network",
        "alicloud:vpc/snatEntry:SnatEntry",
        "alicloud:vpc/switch:Switch",
        "alicloud:cs/getClusterCredential:getClusterCredential",
        "alicloud:cs/getClusters:getClusters",
        "alicloud:cs/getKubernetesVersion:getKubernetesVersion",
    ]


def test_the_prod_policy_adds_the_alb_and_the_private_zone() -> None:
    document = ram_policy(_graph("prod")).document()
    by_code = {
        statement["Action"][0].split(":")[0]: statement for statement in document["Statement"]
    }
    assert list(by_code) == ["alb", "cs", "pvtz", "ram", "vpc"]
    assert by_code["cs"]["Action"] == PROD_CS
    assert by_code["vpc"]["Action"] == DEV_VPC
    assert by_code["alb"]["Action"] == [
        "alb:CreateLoadBalancer",
        "alb:DeleteLoadBalancer",
        "alb:DisableDeletionProtection",
        "alb:DisableLoadBalancerAccessLog",
        "alb:EnableDeletionProtection",
        "alb:EnableLoadBalancerAccessLog",
        "alb:GetLoadBalancerAttribute",
        "alb:ListAsynJobs",
        "alb:TagResources",
        "alb:UnTagResources",
        "alb:UpdateLoadBalancerAddressTypeConfig",
        "alb:UpdateLoadBalancerAttribute",
        "alb:UpdateLoadBalancerEdition",
        "alb:UpdateLoadBalancerZones",
    ]
    assert by_code["pvtz"]["Action"] == [
        "pvtz:AddZone",
        "pvtz:AddZoneRecord",
        "pvtz:BindZoneVpc",
        "pvtz:DeleteZone",
        "pvtz:DeleteZoneRecord",
        "pvtz:DescribeSyncEcsHostTask",
        "pvtz:DescribeZoneInfo",
        "pvtz:DescribeZoneRecords",
        "pvtz:ListTagResources",
        "pvtz:SetZoneRecordStatus",
        "pvtz:TagResources",
        "pvtz:UntagResources",
        "pvtz:UpdateZoneRecord",
        "pvtz:UpdateZoneRemark",
    ]
    assert by_code["ram"]["Condition"] == {
        "StringEquals": {
            "ram:ServiceName": [
                "alb.aliyuncs.com",
                "logdelivery.alb.aliyuncs.com",
                "nat.aliyuncs.com",
            ]
        }
    }


def _graph_of(*types: str, stack: str = "s") -> ResourceGraph:
    nodes = tuple(
        ResourceNode(
            urn=f"urn:pulumi:s::p::{token}::r{index}", type=token, name=f"r{index}", custom=True
        )
        for index, token in enumerate(types)
    )
    return ResourceGraph(project="p", stack=stack, resources=nodes)


def test_a_type_without_a_row_is_named_in_the_error() -> None:
    graph = _graph_of(
        "alicloud:vpc/network:Network",
        "alicloud:slb/loadBalancer:LoadBalancer",
        "alicloud:oss/bucket:Bucket",
        "pulumi:providers:alicloud",
    )
    with pytest.raises(InputError) as caught:
        ram_policy(graph)
    assert str(caught.value) == (
        "stack s registers alicloud:oss/bucket:Bucket, alicloud:slb/loadBalancer:LoadBalancer, "
        "which ask_components/deploy/ram.py has no RAM actions for: add a row with the API "
        "calls of its Terraform resource"
    )


def test_a_graph_without_cloud_resources_needs_no_policy() -> None:
    graph = _graph_of("pulumi:providers:kubernetes", "kubernetes:core/v1:Namespace", stack="local")
    assert cloud_tokens(graph) == ()
    with pytest.raises(InputError, match=r"^stack local registers no Alibaba Cloud resources"):
        ram_policy(graph)


def test_only_the_types_registered_are_granted() -> None:
    """A lone vSwitch needs the vSwitch row and nothing else: no service-linked role, no cs."""
    document = ram_policy(_graph_of("alicloud:vpc/switch:Switch")).document()
    assert document == {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "vpc:CreateVSwitch",
                    "vpc:DeleteVSwitch",
                    "vpc:DescribeVSwitchAttributes",
                    "vpc:ModifyVSwitchAttribute",
                    "vpc:TagResources",
                    "vpc:UnTagResources",
                ],
                "Resource": "*",
            }
        ],
    }


def test_the_cluster_profile_does_not_change_the_policy() -> None:
    """ACS (profile Acs), ASK (Serverless) and ACK Pro (no profile) clusters are one type,
    managed through the ACK API: the same cs: actions."""
    documents = []
    for inputs in ({"profile": "Acs"}, {"profile": "Serverless"}, {}):
        node = ResourceNode(
            urn="urn:pulumi:s::p::alicloud:cs/managedKubernetes:ManagedKubernetes::c",
            type="alicloud:cs/managedKubernetes:ManagedKubernetes",
            name="c",
            custom=True,
            inputs=inputs,
        )
        graph = ResourceGraph(project="p", stack="s", resources=(node,))
        documents.append(ram_policy(graph).document())
    assert documents[0] == documents[1] == documents[2]
    assert documents[0]["Statement"] == [
        {"Effect": "Allow", "Action": DEV_CS, "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": ["vpc:DescribeNatGateways", "vpc:DescribeVSwitchAttributes"],
            "Resource": "*",
        },
    ]


def test_the_kubernetes_addon_row_is_ready_for_day_2_addons() -> None:
    statements = ram_policy(_graph_of("alicloud:cs/kubernetesAddon:KubernetesAddon")).statements
    assert [(statement.ram_code, statement.actions) for statement in statements] == [
        (
            "cs",
            (
                "cs:DescribeAddon",
                "cs:DescribeClusterAddonsUpgradeStatus",
                "cs:DescribeTaskInfo",
                "cs:GetClusterAddonInstance",
                "cs:InstallClusterAddons",
                "cs:ModifyClusterAddon",
                "cs:UnInstallClusterAddons",
                "cs:UpgradeClusterAddons",
            ),
        )
    ]


def test_every_cloud_stack_has_a_committed_policy_that_is_current() -> None:
    stacks = _cloud_stacks()
    assert {"dev", "prod"} <= set(stacks)
    for stack in stacks:
        path = RAM_DOCS / f"{stack}.json"
        regenerate = REGENERATE.format(stack=stack)
        assert path.exists(), f"{path} is missing: {regenerate}"
        assert path.read_text() == ram_policy(_graph(stack)).to_json(), (
            f"{path} is out of date: {regenerate}"
        )
    committed = {path.stem for path in RAM_DOCS.glob("*.json")}
    assert committed == set(stacks), f"docs/ram has policies of no stack: {committed - set(stacks)}"


@pytest.mark.parametrize("path", sorted(RAM_DOCS.glob("*.json")), ids=lambda path: path.name)
def test_each_committed_policy_is_a_ram_policy_document(path: Path) -> None:
    text = path.read_text()
    assert len(text) <= MAX_POLICY_CHARS
    document = json.loads(text)
    assert _shape_problems(document) == []
    for statement in document["Statement"]:
        assert statement["Action"] == sorted(statement["Action"])
        for action in statement["Action"]:
            code = action.split(":")[0]
            known = any(action in row.actions for row in ROWS_BY_TOKEN.values())
            assert known or action == "ram:CreateServiceLinkedRole", action
            assert code in RAM_CODES


def test_the_shape_check_catches_what_ram_would_refuse() -> None:
    assert _shape_problems({"Version": "2", "Statement": []}) == [
        "Version is not '1'",
        "Statement is not a non-empty list",
    ]
    assert _shape_problems(
        {
            "Version": "1",
            "Statement": [
                {"Effect": "Permit", "Action": ["s3:GetObject", "vpc:Create Vpc"], "Resource": []},
                {"Effect": "Allow", "Action": "vpc:CreateVpc"},
            ],
        }
    ) == [
        "Statement[0].Effect is 'Permit'",
        "Statement[0].Action 's3:GetObject' is not <known RamCode>:<Action>",
        "Statement[0].Action 'vpc:Create Vpc' is not <known RamCode>:<Action>",
        "Statement[0].Resource is []",
        "Statement[1] has keys ['Action', 'Effect']",
    ]


def test_askc_prints_the_policy() -> None:
    result = runner.invoke(app, ["deploy", "ram-policy", "--stack", "dev", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (RAM_DOCS / "dev.json").read_text()


def test_askc_refuses_a_local_stack_and_an_unknown_one() -> None:
    result = runner.invoke(
        app, ["deploy", "ram-policy", "--stack", "local", "-C", str(PROJECT_ROOT)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: stack local registers no Alibaba Cloud resources (a local-target stack?): it "
        "needs no RAM policy\n"
    )
    result = runner.invoke(app, ["deploy", "ram-policy", "--stack", "qa", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: stack 'qa' has no config file ")
    assert "Traceback" not in result.output
