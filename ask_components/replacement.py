"""Which cloud resources must be deleted before their replacement is created.

Pulumi replaces create-first: the new resource exists before the old one goes. That fails for a
resource whose name or address is unique in its scope, because the new one collides with the
old one it is meant to replace. These get ``delete_before_replace``: a replacement then removes
the old one first (and fails safely where the cloud refuses the delete, e.g. a deletion-protected
cluster or a vSwitch that still holds ENIs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import pulumi

__all__ = ["DELETE_BEFORE_REPLACE", "child_options"]

DELETE_BEFORE_REPLACE: Final[Mapping[str, str]] = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (
        "the cluster's name is fixed by the platform (what the console and the version lookup "
        "show); pulumi-alicloud's bridge already replaces an explicitly named resource "
        "delete-first (pulumi-terraform-bridge nameRequiresDeleteBeforeReplace), this makes it "
        "explicit"
    ),
    "alicloud:cs/kubernetesAddon:KubernetesAddon": (
        "a cluster holds one installation of an add-on (the id is <cluster>:<name>)"
    ),
    "alicloud:vpc/switch:Switch": (
        "vSwitch CIDR blocks may not overlap in a VPC: a new vSwitch with the same block is "
        "refused while the old one exists"
    ),
    "alicloud:vpc/snatEntry:SnatEntry": "a SNAT table holds one entry per source vSwitch",
    "alicloud:ecs/eipAssociation:EipAssociation": "an EIP is bound to one instance at a time",
    "alicloud:pvtz/zone:Zone": (
        "a VPC resolves one zone per name: the new zone's attachment to the same VPC is "
        "refused (Zone.VpcExists) while the old zone is attached"
    ),
    "alicloud:pvtz/zoneAttachment:ZoneAttachment": "a zone's VPC binding is one per zone",
    "alicloud:pvtz/zoneRecord:ZoneRecord": ("a record (name, type, value) is unique in its zone"),
}
"""Type token -> why a replacement must delete first."""


def child_options(
    parent: pulumi.Resource,
    type_token: str,
    *,
    depends_on: Sequence[pulumi.Resource] = (),
    protect: bool = False,
) -> pulumi.ResourceOptions:
    """Options of a component's cloud child: parented, ``delete_before_replace`` where
    :data:`DELETE_BEFORE_REPLACE` lists the type, ``protect`` when asked."""
    return pulumi.ResourceOptions(
        parent=parent,
        depends_on=list(depends_on) or None,
        delete_before_replace=True if type_token in DELETE_BEFORE_REPLACE else None,
        protect=True if protect else None,
    )
