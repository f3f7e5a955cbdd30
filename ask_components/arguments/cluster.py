"""``AskClusterArgs`` checked with the stack file's ``cluster`` rules (``ClusterConfig``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ask_components.arguments import InputList, InputStr, check_arguments, plain
from ask_components.config import ClusterConfig
from ask_components.configbase import ConfigModel

if TYPE_CHECKING:
    from ask_components.cluster.cluster import AskClusterArgs

# What a cluster may delete or keep of what it created, and how (aliyun/terraform-provider-
# alicloud alicloud/resource_alicloud_cs_managed_kubernetes.go, delete_options: resource_type
# StringInSlice SLB, ALB, SLS_Data, SLS_ControlPlane, PrivateZone; delete_mode delete, retain).
DeleteResourceType = Literal["SLB", "ALB", "SLS_Data", "SLS_ControlPlane", "PrivateZone"]
DeleteMode = Literal["delete", "retain"]

MAX_CLUSTER_NAME_LENGTH = 63
"""The cluster name's length limit (the same provider file, ``name``: StringLenBetween(1, 63))."""


class DeleteOptionConfig(ConfigModel):
    """What happens to one kind of cloud resource the cluster created, when it is deleted."""

    resource_type: DeleteResourceType = Field(
        description="SLB, ALB, SLS_Data, SLS_ControlPlane or PrivateZone."
    )
    delete_mode: DeleteMode = Field(description="delete (with the cluster) or retain.")


class AskClusterArguments(ClusterConfig):
    """The arguments of an ``AskCluster``: the stack file's ``cluster`` keys and rules, and what
    only a program passes (the VPC and vSwitches, names, Pulumi options, tags)."""

    vpc_id: InputStr = Field(description="The VPC the cluster lives in.")
    vswitch_ids: InputList = Field(
        description="The vSwitches of the control plane endpoints and of the pods."
    )
    cluster_name: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_CLUSTER_NAME_LENGTH,
        description="The cluster's name in the console; default: the component name.",
    )
    protect: bool = Field(
        False,
        description="Pulumi protect on the cluster: no destroy or replacement until turned off.",
    )
    new_nat_gateway: bool = Field(
        False,
        description="Let the cluster create its own NAT gateway (off: the Network owns egress).",
    )
    secret_addon_config: bool = Field(
        False, description="Send the add-ons' configs as Pulumi secrets."
    )
    delete_options: list[DeleteOptionConfig] | None = Field(
        None,
        description="What the cluster's deletion does to what it created; default: CLBs and "
        "its PrivateZone deleted, ALB and logs retained.",
    )
    tags: dict[str, str] = Field(
        default_factory=dict,
        description="Tags on the cluster (also how the deployed one is found).",
    )


def check_cluster(name: str, args: AskClusterArgs) -> None:
    """Raise one ``ArgumentError`` for everything wrong with ``args``."""
    document: dict[str, Any] = plain(args)
    version = getattr(args.version, "version", args.version)  # a ResolvedVersion's full text
    document["version"] = version
    document["delete_options"] = [
        {"resource_type": resource_type, "delete_mode": mode}
        for resource_type, mode in args.delete_options
    ]
    check_arguments("AskCluster", name, AskClusterArguments, document)
