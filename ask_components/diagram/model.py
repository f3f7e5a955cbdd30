"""The platform as a picture: what a ResourceGraph holds, as boxes in boxes with a few arrows.

:func:`platform_diagram` reads a graph (an offline preview, or one side of a ``pulumi preview``)
into a :class:`Diagram`: the VPC with a box per zone (its vSwitch, the NAT gateway and EIP of
that zone), the cluster with the workloads grouped by kind (billed spec, replicas, monthly
cost), the ALB or the CLBs, and the private zone with its records. The renderers (Mermaid, SVG,
HTML) only draw it. Everything is in graph order, so the same graph always gives the same
picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from ask_components.preview.graph import UNKNOWN_MARK, ResourceGraph, ResourceNode

VPC_TYPES: Final = ("alicloud:vpc/network:Network", "pulumi-python:dynamic/sandbox:SandboxVpc")
VSWITCH_TYPES: Final = (
    "alicloud:vpc/switch:Switch",
    "pulumi-python:dynamic/sandbox:SandboxVSwitch",
)
NAT_TYPES: Final = (
    "alicloud:vpc/natGateway:NatGateway",
    "pulumi-python:dynamic/sandbox:SandboxNatGateway",
)
EIP_TYPES: Final = (
    "alicloud:ecs/eipAddress:EipAddress",
    "pulumi-python:dynamic/sandbox:SandboxEip",
)
EIP_ASSOCIATION_TYPE: Final = "alicloud:ecs/eipAssociation:EipAssociation"
SNAT_TYPE: Final = "alicloud:vpc/snatEntry:SnatEntry"
CLUSTER_TYPE: Final = "alicloud:cs/managedKubernetes:ManagedKubernetes"
ADDON_TYPE: Final = "alicloud:cs/kubernetesAddon:KubernetesAddon"
KIND_CLUSTER_TYPE: Final = "ask:cluster:KindCluster"
ALB_TYPES: Final = (
    "alicloud:alb/loadBalancer:LoadBalancer",
    "pulumi-python:dynamic/sandbox:SandboxAlb",
)
ZONE_TYPES: Final = ("alicloud:pvtz/zone:Zone", "pulumi-python:dynamic/sandbox:SandboxPrivateZone")
ZONE_ATTACHMENT_TYPE: Final = "alicloud:pvtz/zoneAttachment:ZoneAttachment"
RECORD_TYPES: Final = (
    "alicloud:pvtz/zoneRecord:ZoneRecord",
    "pulumi-python:dynamic/sandbox:SandboxZoneRecord",
)
SERVICE_TYPE: Final = "kubernetes:core/v1:Service"
INGRESS_TYPE: Final = "kubernetes:networking.k8s.io/v1:Ingress"

WORKLOAD_KINDS: Final = {
    "ask:workloads:ServerlessApp": ("apps", "Apps"),
    "ask:workloads:ServerlessCronJob": ("cronJobs", "CronJobs"),
    "ask:workloads:BatchJob": ("batchJobs", "Batch jobs"),
    "ask:workloads:SparkJob": ("sparkJobs", "Spark jobs"),
    "ask:workloads:CiRunnerPool": ("ciRunners", "CI runners"),
}
"""Workload components: (key in the ``workloads`` stack output, heading), in drawing order."""

_MAIN_CHILD: Final = (
    "kubernetes:apps/v1:Deployment",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1:Job",
    "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication",
    "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication",
)
"""The resource whose one-line description says what a workload runs."""


@dataclass(frozen=True)
class Box:
    """One thing in the picture.

    Attributes:
        id: a Mermaid-safe id (letters, digits, ``_``; starts with a letter), unique.
        kind: what it is (``vpc``, ``zone``, ``vswitch``, ``nat``, ``eip``, ``cluster``,
            ``alb``, ``clb``, ``private-zone``, ``record``, ``workloads``, ``workload``,
            ``internet``).
        lines: the label, one line each (the first is the title).
        urns: the resources it stands for (highlighted when one of them changes).
        children: the boxes inside it (a group when not empty).
        row: lay the children out side by side (else one under another).
        cost: its resources' monthly cost, or None when none of them is priced.
    """

    id: str
    kind: str
    lines: tuple[str, ...]
    urns: tuple[str, ...] = ()
    children: tuple[Box, ...] = ()
    row: bool = False
    cost: str | None = None

    @property
    def is_group(self) -> bool:
        """Whether it holds other boxes."""
        return bool(self.children)

    def walk(self) -> Iterable[Box]:
        """This box and every box inside it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Edge:
    """An arrow.

    Attributes:
        source: the id of the box it starts at.
        target: the id of the box it points to.
        label: text on the arrow (a host name), or ''.
        dashed: a reference rather than traffic (a DNS record's target).
    """

    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass(frozen=True)
class Diagram:
    """The platform as boxes and arrows.

    Attributes:
        title: ``<project> / <stack>``.
        boxes: the top-level boxes, in drawing order.
        edges: the arrows.
        currency: the currency of the costs, or '' when nothing is priced.
        total: the monthly total of the drawn resources, or None.
    """

    title: str
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...] = ()
    currency: str = ""
    total: str | None = None

    def all_boxes(self) -> list[Box]:
        """Every box, depth first."""
        return [box for top in self.boxes for box in top.walk()]

    def changed_ids(self, urns: Iterable[str]) -> list[str]:
        """Ids of the leaf boxes that stand for one of ``urns``, in drawing order."""
        wanted = set(urns)
        return [
            box.id
            for box in self.all_boxes()
            if not box.is_group and any(urn in wanted for urn in box.urns)
        ]


_ID_CHARS = re.compile(r"[^A-Za-z0-9_]+")


class _Ids:
    """Mermaid-safe, unique ids (``nat_cn_hangzhou_i``)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, kind: str, name: str = "") -> str:
        base = _ID_CHARS.sub("_", f"{kind}_{name}" if name else kind).strip("_").lower()
        base = base if base[:1].isalpha() else f"n_{base}"
        candidate, count = base, 2
        while candidate in self.used:
            candidate, count = f"{base}_{count}", count + 1
        self.used.add(candidate)
        return candidate


def _get(node: ResourceNode, camel: str) -> Any:
    """An input by its Pulumi name, or its snake_case name (the sandbox provider's inputs)."""
    if camel in node.inputs:
        return node.inputs[camel]
    snake = re.sub(r"([A-Z])", r"_\1", camel).lower()
    return node.inputs.get(snake)


def _known(value: Any) -> str:
    return "" if value in (None, UNKNOWN_MARK, "") else str(value)


def _join(*parts: Any) -> str:
    return ", ".join(str(part) for part in parts if part not in (None, "", UNKNOWN_MARK))


@dataclass
class _Costs:
    """Monthly costs per URN, from one estimate."""

    by_urn: Mapping[str, tuple[Decimal, bool, bool]] = field(default_factory=dict)
    currency: str = ""

    def text(self, urns: Iterable[str]) -> str | None:
        found = [self.by_urn[urn] for urn in urns if urn in self.by_urn]
        if not found or not self.currency:
            return None
        total = sum((amount for amount, _, _ in found), Decimal(0))
        lower = any(incomplete for _, incomplete, _ in found)
        usage = any(usage for _, _, usage in found)
        from ask_components.cost.render import money

        text = f"{'≥ ' if lower else ''}{money(total)} {self.currency}/month"
        return text + (" + usage" if usage else "")


def _costs(graph: ResourceGraph, region: str | None) -> _Costs:
    """One estimate of the whole graph (the cost engine's public entry point)."""
    if region is None:
        return _Costs()
    from ask_components.cost.estimate import estimate

    result = estimate(graph, region=region)
    return _Costs(
        {
            cost.urn: (
                cost.monthly_cost,
                cost.incomplete,
                any(line.status == "usage_unknown" for line in cost.lines),
            )
            for cost in result.resources
            if cost.lines
        },
        result.currency,
    )


class _Builder:
    def __init__(self, graph: ResourceGraph, costs: _Costs) -> None:
        self.graph = graph
        self.costs = costs
        self.ids = _Ids()
        self.by_urn = graph.by_urn()
        self.children: dict[str | None, list[ResourceNode]] = {}
        for node in graph:
            self.children.setdefault(node.parent, []).append(node)
        self.box_of: dict[str, str] = {}  # URN -> box id, for arrows
        self.edges: list[Edge] = []

    def of(self, types: Iterable[str] | str) -> list[ResourceNode]:
        wanted = {types} if isinstance(types, str) else set(types)
        return [node for node in self.graph if node.type in wanted]

    def descendants(self, node: ResourceNode) -> list[ResourceNode]:
        found: list[ResourceNode] = []
        for child in self.children.get(node.urn, []):
            found.append(child)
            found.extend(self.descendants(child))
        return found

    def deps(self, node: ResourceNode, key: str) -> tuple[str, ...]:
        snake = re.sub(r"([A-Z])", r"_\1", key).lower()
        return node.property_dependencies.get(key) or node.property_dependencies.get(snake) or ()

    def leaf(self, kind: str, name: str, lines: list[str], urns: list[str]) -> Box:
        box_id = self.ids.make(kind, name)
        for urn in urns:
            self.box_of.setdefault(urn, box_id)
        cost = self.costs.text(urns)
        return Box(box_id, kind, tuple(line for line in lines if line), tuple(urns), cost=cost)

    # -- network

    def zone_of(self, node: ResourceNode, vswitch_zone: Mapping[str, str]) -> str | None:
        for key in ("vswitchId", "vswitchIds"):
            for urn in self.deps(node, key):
                if urn in vswitch_zone:
                    return vswitch_zone[urn]
        return None

    def network(self) -> list[Box]:
        vpcs = self.of(VPC_TYPES)
        if not vpcs:
            return []
        vpc = vpcs[0]
        vswitches = self.of(VSWITCH_TYPES)
        vswitch_zone = {node.urn: _known(_get(node, "zoneId")) or node.name for node in vswitches}
        zones: dict[str, list[Box]] = {zone: [] for zone in vswitch_zone.values()}
        for node in vswitches:
            zones[vswitch_zone[node.urn]].append(
                self.leaf(
                    "vswitch",
                    vswitch_zone[node.urn],
                    [
                        f"vSwitch {_known(_get(node, 'vswitchName'))}",
                        _known(_get(node, "cidrBlock")),
                    ],
                    [node.urn],
                )
            )
        nat_zone: dict[str, str] = {}
        for node in self.of(NAT_TYPES):
            zone = self.zone_of(node, vswitch_zone) or next(iter(zones), "")
            nat_zone[node.urn] = zone
            snat = [n.urn for n in self.of(SNAT_TYPE) if node.urn in self.deps(n, "snatTableId")]
            zones.setdefault(zone, []).append(
                self.leaf(
                    "nat",
                    zone,
                    [
                        f"NAT {_known(_get(node, 'natGatewayName'))}",
                        _join(_get(node, "natType"), _get(node, "internetChargeType")),
                    ],
                    [node.urn, *snat],
                )
            )
        for node in self.of(EIP_TYPES):
            nat = self.eip_nat(node)
            zone = nat_zone.get(nat or "", next(iter(zones), ""))
            bandwidth = _known(_get(node, "bandwidth"))
            associations = [
                n.urn
                for n in self.of(EIP_ASSOCIATION_TYPE)
                if node.urn in self.deps(n, "allocationId")
            ]
            box = self.leaf(
                "eip",
                zone,
                [
                    f"EIP {_known(_get(node, 'addressName'))}",
                    _join(
                        _get(node, "internetChargeType"),
                        f"{bandwidth} Mbit/s" if bandwidth else None,
                    ),
                ],
                [node.urn, *associations],
            )
            zones.setdefault(zone, []).append(box)
            if nat is not None and nat in self.box_of:
                self.edges.append(Edge(self.box_of[nat], box.id))
                self.edges.append(Edge(box.id, "internet", "egress"))
        zone_boxes = [
            Box(self.ids.make("zone", zone), "zone", (f"Zone {zone}",), children=tuple(boxes))
            for zone, boxes in zones.items()
            if boxes
        ]
        inside: list[Box] = (
            [Box(self.ids.make("zones"), "zones", ("Zones",), children=tuple(zone_boxes), row=True)]
            if zone_boxes
            else []
        )
        inside.extend(self.load_balancers())
        cluster = self.cluster()
        if cluster is not None:
            inside.append(cluster)
        vpc_id = self.ids.make("vpc", _known(_get(vpc, "vpcName")) or vpc.name)
        self.box_of.setdefault(vpc.urn, vpc_id)
        return [
            Box(
                vpc_id,
                "vpc",
                (f"VPC {_known(_get(vpc, 'vpcName'))}", _known(_get(vpc, "cidrBlock"))),
                (vpc.urn,),
                tuple(inside),
            )
        ]

    def eip_nat(self, eip: ResourceNode) -> str | None:
        """The NAT gateway an EIP is bound to (its association, or the sandbox EIP's own
        ``instance_id``)."""
        for urn in self.deps(eip, "instanceId"):
            return urn
        for node in self.of(EIP_ASSOCIATION_TYPE):
            if eip.urn in self.deps(node, "allocationId"):
                for urn in self.deps(node, "instanceId"):
                    return urn
        return None

    # -- ingress

    def load_balancers(self) -> list[Box]:
        boxes: list[Box] = []
        for node in self.of(ALB_TYPES):
            address = _known(_get(node, "addressType")) or "Intranet"
            box = self.leaf(
                "alb",
                _known(_get(node, "loadBalancerName")) or node.name,
                [
                    f"ALB {_known(_get(node, 'loadBalancerName'))}",
                    _join(_get(node, "loadBalancerEdition"), address),
                ],
                [node.urn],
            )
            boxes.append(box)
            if address == "Internet":
                self.edges.append(Edge("internet", box.id))
        for node in self.of(SERVICE_TYPE):
            spec = node.inputs.get("spec")
            if not isinstance(spec, Mapping) or spec.get("type") != "LoadBalancer":
                continue
            metadata = node.inputs.get("metadata")
            annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
            address = ""
            if isinstance(annotations, Mapping):
                address = str(
                    annotations.get(
                        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", ""
                    )
                )
            name = str(metadata.get("name", node.name)) if isinstance(metadata, Mapping) else ""
            box = self.leaf("clb", name, [f"CLB for {name}", address or "internet"], [node.urn])
            boxes.append(box)
            if address in ("", "internet"):
                self.edges.append(Edge("internet", box.id))
        return boxes

    # -- cluster and workloads

    def cluster(self) -> Box | None:
        clusters = self.of(CLUSTER_TYPE)
        kind_clusters = self.of(KIND_CLUSTER_TYPE)
        if clusters:
            node = clusters[0]
            addons = [n.urn for n in self.of(ADDON_TYPE)]
            title = f"Cluster {_known(_get(node, 'name'))}"
            lines = [
                title,
                _join(
                    _get(node, "profile"),
                    _get(node, "clusterSpec"),
                    f"Kubernetes {_known(_get(node, 'version'))}"
                    if _known(_get(node, "version"))
                    else None,
                ),
            ]
            urns = [node.urn, *addons]
        elif kind_clusters:
            node = kind_clusters[0]
            lines, urns = [f"kind cluster {node.name}", "local target"], [node.urn]
        else:
            # Workloads of a cluster the graph does not hold (another program's): still drawn.
            groups = self.workloads()
            if not groups:
                return None
            return Box(
                self.ids.make("workloads"), "cluster-group", ("Workloads",), (), tuple(groups)
            )
        cluster_id = self.ids.make("cluster", node.name)
        for urn in urns:
            self.box_of.setdefault(urn, cluster_id)
        groups = self.workloads()
        cost = self.costs.text(urns)
        if not groups:
            return Box(cluster_id, "cluster", tuple(lines), tuple(urns), cost=cost)
        # A group with a box of its own for the control plane, so that it can be highlighted.
        plane = Box(
            self.ids.make("control_plane", node.name),
            "cluster",
            ("Control plane", *lines[1:]),
            tuple(urns),
            cost=cost,
        )
        return Box(cluster_id, "cluster-group", (lines[0],), (), (plane, *groups), row=False)

    def workloads(self) -> list[Box]:
        import ask_components.workloads.describe  # noqa: F401  (registers the describers)
        from ask_components.preview.render import describe

        specs = self.graph.outputs.get("workloads")
        specs = specs if isinstance(specs, Mapping) else {}
        groups: list[Box] = []
        for type_token, (key, heading) in WORKLOAD_KINDS.items():
            members: list[Box] = []
            for component in self.of(type_token):
                inside = self.descendants(component)
                main = next((n for n in inside if n.type in _MAIN_CHILD), None)
                detail = describe(main, self.graph) if main is not None else ""
                billed = (
                    specs.get(key, {}).get(component.name)
                    if isinstance(specs.get(key), Mapping)
                    else None
                )
                if billed and str(billed) not in detail:
                    detail = _join(detail, f"billed {billed}")
                # A CLB Service is drawn (and priced) as its own box, not inside the app's.
                urns = [
                    urn
                    for urn in (component.urn, *(n.urn for n in inside))
                    if urn not in self.box_of
                ]
                box = self.leaf("workload", component.name, [component.name, detail], urns)
                members.append(box)
                for ingress in (n for n in inside if n.type == INGRESS_TYPE):
                    self.route(ingress, box.id)
                for service in (n for n in inside if n.type == SERVICE_TYPE):
                    if service.urn in self.box_of and self.box_of[service.urn] != box.id:
                        self.edges.append(Edge(self.box_of[service.urn], box.id))
            if members:
                groups.append(
                    Box(
                        self.ids.make("workloads", key),
                        "workloads",
                        (heading,),
                        (),
                        tuple(members),
                        row=True,
                    )
                )
        return groups

    def route(self, ingress: ResourceNode, target: str) -> None:
        spec = ingress.inputs.get("spec")
        rules = spec.get("rules") if isinstance(spec, Mapping) else None
        hosts = [
            str(rule["host"])
            for rule in rules or ()
            if isinstance(rule, Mapping) and rule.get("host")
        ]
        albs = [self.box_of[n.urn] for n in self.of(ALB_TYPES) if n.urn in self.box_of]
        for alb in albs[:1]:
            self.edges.append(Edge(alb, target, ", ".join(hosts)))

    # -- private DNS

    def private_zone(self) -> list[Box]:
        boxes: list[Box] = []
        for zone in self.of(ZONE_TYPES):
            attachments = [
                n.urn for n in self.of(ZONE_ATTACHMENT_TYPE) if zone.urn in self.deps(n, "zoneId")
            ]
            records: list[Box] = []
            for record in self.of(RECORD_TYPES):
                if zone.urn not in self.deps(record, "zoneId"):
                    continue
                value = _known(_get(record, "value"))
                rr = _known(_get(record, "rr"))
                box = self.leaf(
                    "record",
                    rr,
                    [f"{rr} {_known(_get(record, 'type'))}", value],
                    [record.urn],
                )
                records.append(box)
                for urn in self.deps(record, "value"):
                    if urn in self.box_of:
                        self.edges.append(Edge(box.id, self.box_of[urn], dashed=True))
            zone_name = _known(_get(zone, "zoneName"))
            zone_id = self.ids.make("private_zone", zone_name or zone.name)
            for urn in (zone.urn, *attachments):
                self.box_of.setdefault(urn, zone_id)
            cost = self.costs.text([zone.urn, *attachments])
            lines = (f"Private zone {zone_name}",)
            if not records:
                boxes.append(
                    Box(zone_id, "private-zone", lines, (zone.urn, *attachments), cost=cost)
                )
                continue
            head = Box(
                self.ids.make("zone_record_set", zone_name),
                "private-zone",
                ("Zone", zone_name),
                (zone.urn, *attachments),
                cost=cost,
            )
            boxes.append(Box(zone_id, "private-zone-group", lines, (), (head, *records), row=True))
        return boxes


def platform_diagram(graph: ResourceGraph, *, region: str | None = None) -> Diagram:
    """The picture of a platform graph.

    Args:
        graph: the resources (an offline preview, or one side of ``pulumi preview --json``).
        region: the region to price in; without it the boxes show no cost.
    """
    costs = _costs(graph, region)
    builder = _Builder(graph, costs)
    builder.ids.make("internet")
    network = builder.network()
    if not network:
        cluster = builder.cluster()
        network = [*builder.load_balancers(), *([cluster] if cluster else [])]
    boxes = [
        Box("internet", "internet", ("Internet",)),
        *network,
        *builder.private_zone(),
    ]
    used = {box.id for top in boxes for box in top.walk()}
    edges = tuple(
        dict.fromkeys(edge for edge in builder.edges if edge.source in used and edge.target in used)
    )
    if not any("internet" in (edge.source, edge.target) for edge in edges):
        boxes = boxes[1:]
    total = costs.text(list(costs.by_urn)) if costs.by_urn else None
    return Diagram(f"{graph.project} / {graph.stack}", tuple(boxes), edges, costs.currency, total)


__all__ = ["Box", "Diagram", "Edge", "platform_diagram"]
