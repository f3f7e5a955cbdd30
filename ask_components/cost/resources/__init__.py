"""Which resources are priced, free or not supported, and by which module.

One module per priced resource type (like Infracost's ``internal/resources/aws/*.go``); this
package only holds the registry and the explicit list of free types. A resource that is neither
priced nor free is "not supported": counted and listed, never silently 0.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from ask_components.cost.resources import (
    alb,
    ci_runner,
    clb,
    cluster,
    eip,
    nat_gateway,
    private_zone,
    spark,
    spark_operator,
    workloads,
)
from ask_components.cost.resources._base import (
    GraphIndex,
    PriceFn,
    Pricer,
    PricingContext,
    UsageKey,
    sandbox_class,
)
from ask_components.preview.graph import STACK_TYPE, ResourceNode

PRICERS: Final[tuple[Pricer, ...]] = (
    workloads.ALWAYS_ON_PRICER,
    workloads.JOB_PRICER,
    spark.PRICER,
    ci_runner.PRICER,
    clb.SERVICE_PRICER,
    clb.SLB_PRICER,
    alb.PRICER,
    nat_gateway.PRICER,
    eip.PRICER,
    private_zone.PRICER,
    cluster.PRICER,
    spark_operator.PRICER,
)
"""Every pricer, in the order they are tried for a type."""

FREE_TYPES: Final = frozenset(
    {
        # Networking that Alibaba Cloud does not bill by itself.
        "alicloud:vpc/network:Network",
        "alicloud:vpc/switch:Switch",
        "alicloud:vpc/snatEntry:SnatEntry",
        "alicloud:vpc/forwardEntry:ForwardEntry",
        "alicloud:vpc/routeEntry:RouteEntry",
        "alicloud:vpc/routeTable:RouteTable",
        "alicloud:vpc/routeTableAttachment:RouteTableAttachment",
        "alicloud:ecs/eipAssociation:EipAssociation",
        # ACK add-ons have no fee of their own; the pods an add-on runs in the cluster (the
        # CronHPA controller's) are not in the graph (docs/cost-model.md).
        "alicloud:cs/kubernetesAddon:KubernetesAddon",
        "alicloud:ecs/securityGroup:SecurityGroup",
        "alicloud:ecs/securityGroupRule:SecurityGroupRule",
        "alicloud:pvtz/zoneAttachment:ZoneAttachment",
        "alicloud:pvtz/zoneRecord:ZoneRecord",
        # Identity.
        "alicloud:ram/role:Role",
        "alicloud:ram/policy:Policy",
        "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
        # Pulumi itself.
        STACK_TYPE,
        "pulumi:pulumi:StackReference",
    }
)
"""Types that cost nothing by themselves. Kubernetes objects that run no pods are free by rule
(see :func:`classify`), as are providers and component resources."""

FREE_SANDBOX_CLASSES: Final = frozenset(
    {
        "SandboxVpc",
        "SandboxVSwitch",
        "SandboxZoneRecord",
        "SandboxZoneAttachment",
        "SandboxSnatEntry",
        "SandboxEipAssociation",
        "SandboxSecurityGroup",
        # The zone's answers from the kind cluster's CoreDNS: what PrivateZone's price (charged
        # on SandboxPrivateZone) already includes in the cloud.
        "CorednsZones",
    }
)
"""Local-target stand-ins for free cloud resources (matched on the class name)."""

REMOTE_COMPONENT_TYPES: Final = frozenset(
    {
        "kubernetes:helm.sh/v4:Chart",
        "kubernetes:yaml/v2:ConfigGroup",
        "kubernetes:yaml/v2:ConfigFile",
        "kubernetes:kustomize/v2:Directory",
    }
)
"""Kubernetes components whose children the engine creates: with no children in the graph (an
offline preview) their contents are invisible, so they are not supported rather than free."""

UNSUPPORTED_KUBERNETES: Final = frozenset({"kubernetes:helm.sh/v3:Release"})
"""Kubernetes resources that install things we cannot see (a Helm release's pods); the platform's
own Spark operator release is priced from its chart values (``spark_operator``)."""

Category = Literal["priced", "free", "unsupported"]


@dataclass(frozen=True)
class Classification:
    """How a resource is treated.

    Attributes:
        category: ``priced``, ``free`` or ``unsupported``.
        pricer: the pricer for ``priced`` resources.
        reason: why it is free or not supported, for people.
    """

    category: Category
    pricer: Pricer | None = None
    reason: str = ""


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _wire_names(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_camel(str(key)): _wire_names(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_wire_names(item) for item in value]
    return value


def _as_alicloud(price: PriceFn) -> PriceFn:
    """Price a sandbox stand-in under the names of the alicloud resource it stands for.

    Sandbox resources name their inputs as the Python SDK does (``internet_charge_type``); the
    alicloud resources reach the graph with the wire's camelCase names (``internetChargeType``),
    which the pricers read.
    """

    def priced(node: ResourceNode, ctx: PricingContext) -> Any:
        return price(dataclasses.replace(node, inputs=_wire_names(node.inputs)), ctx)

    return priced


_BY_TYPE: Final[dict[str, list[Pricer]]] = {}
_BY_SANDBOX: Final[dict[str, Pricer]] = {}
for _pricer in PRICERS:
    for _type in _pricer.types:
        _BY_TYPE.setdefault(_type, []).append(_pricer)
    for _class in _pricer.sandbox_classes:
        _BY_SANDBOX[_class] = dataclasses.replace(_pricer, price=_as_alicloud(_pricer.price))


def has_containers(value: Any) -> bool:
    """True when inputs hold a non-empty ``containers`` list anywhere (a pod template)."""
    if isinstance(value, Mapping):
        containers = value.get("containers")
        if isinstance(containers, list) and containers:
            return True
        return any(has_containers(item) for item in value.values())
    if isinstance(value, list):
        return any(has_containers(item) for item in value)
    return False


def classify(node: ResourceNode, index: GraphIndex) -> Classification:
    """Whether a resource is priced (and by what), free, or not supported."""
    if node.type == STACK_TYPE or node.is_provider:
        return Classification("free", reason="Pulumi stack or provider")
    if not node.custom:
        if node.type in REMOTE_COMPONENT_TYPES and not index.child_count.get(node.urn):
            return Classification("unsupported", reason="its contents are not in the graph")
        return Classification("free", reason="component (its children are priced)")
    for pricer in _BY_TYPE.get(node.type, ()):
        if pricer.applies is None or pricer.applies(node):
            return Classification("priced", pricer)
    cls = sandbox_class(node.type)
    if cls is not None:
        if cls in _BY_SANDBOX:
            return Classification("priced", _BY_SANDBOX[cls])
        if cls in FREE_SANDBOX_CLASSES:
            return Classification("free", reason="local stand-in for a free cloud resource")
        return Classification("unsupported", reason="unknown dynamic resource")
    if node.type in FREE_TYPES:
        return Classification("free", reason="no charge of its own")
    if node.type.startswith("kubernetes:"):
        if node.type in UNSUPPORTED_KUBERNETES:
            return Classification("unsupported", reason="installs objects the graph does not show")
        if has_containers(node.inputs):
            return Classification("unsupported", reason="runs pods of a kind not priced yet")
        return Classification("free", reason="Kubernetes object that runs no pods")
    return Classification("unsupported", reason="no pricing for this type yet")


def usage_keys_for(node: ResourceNode, index: GraphIndex) -> tuple[UsageKey, ...]:
    """The usage keys that apply to a resource (none unless it is priced)."""
    found = classify(node, index)
    return found.pricer.usage_keys if found.pricer is not None else ()


ALL_USAGE_KEYS: Final[dict[str, UsageKey]] = {
    key.name: key for pricer in PRICERS for key in pricer.usage_keys
}
"""Every usage key any pricer reads, by name."""

__all__ = [
    "ALL_USAGE_KEYS",
    "FREE_SANDBOX_CLASSES",
    "FREE_TYPES",
    "PRICERS",
    "Classification",
    "GraphIndex",
    "Pricer",
    "PricingContext",
    "UsageKey",
    "classify",
    "has_containers",
    "usage_keys_for",
]
