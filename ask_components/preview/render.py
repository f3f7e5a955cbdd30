"""Show a ResourceGraph to a person: a tree with one line of detail per resource, and counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ask_components.preview.graph import ResourceGraph, ResourceNode

Describe = Callable[[Mapping[str, Any]], str]
NodeDescribe = Callable[[ResourceNode, ResourceGraph], str]


def _join(*parts: object) -> str:
    return ", ".join(str(part) for part in parts if part not in (None, "", []))


_DESCRIBE: dict[str, Describe] = {
    "pulumi:providers:alicloud": lambda i: _join(i.get("region")),
    "alicloud:vpc/network:Network": lambda i: _join(i.get("cidrBlock")),
    "alicloud:vpc/switch:Switch": lambda i: _join(i.get("cidrBlock"), i.get("zoneId")),
    "alicloud:vpc/natGateway:NatGateway": lambda i: _join(
        i.get("natType"), i.get("internetChargeType")
    ),
    "alicloud:ecs/eipAddress:EipAddress": lambda i: _join(
        i.get("internetChargeType"), f"{i.get('bandwidth')} Mbit/s" if i.get("bandwidth") else None
    ),
    "alicloud:ecs/eipAssociation:EipAssociation": lambda i: _join(i.get("instanceType")),
    "alicloud:cs/kubernetesAddon:KubernetesAddon": lambda i: _join(
        i.get("name"), f"version {i['version']}" if i.get("version") else None
    ),
    "kubernetes:helm.sh/v3:Release": lambda i: _join(
        f"chart {i.get('chart')} {i.get('version')}" if i.get("chart") else None,
        (i.get("repositoryOpts") or {}).get("repo"),
        f"namespace {i['namespace']}" if i.get("namespace") else None,
    ),
    "alicloud:cs/managedKubernetes:ManagedKubernetes": lambda i: _join(
        i.get("profile"),
        i.get("clusterSpec"),
        f"Kubernetes {i['version']}" if i.get("version") else None,
        "public API" if i.get("slbInternetEnabled") else "private API",
        "deletion protection" if i.get("deletionProtection") else None,
    ),
}


_DESCRIBE_NODE: dict[str, NodeDescribe] = {}


def register_describer(type_token: str, describe: Describe) -> None:
    """Add the one-line detail for a resource type (components of later layers call this)."""
    _DESCRIBE[type_token] = describe


def register_node_describer(type_token: str, describe: NodeDescribe) -> None:
    """Add a one-line detail that needs more than the resource's inputs (e.g. its siblings).

    Used in the tree, where the graph is at hand; elsewhere the inputs-only describer (if any)
    is used.
    """
    _DESCRIBE_NODE[type_token] = describe


def describe(node: ResourceNode, graph: ResourceGraph | None = None) -> str:
    """One line of detail about a resource, or '' when there is nothing short to say."""
    if graph is not None:
        node_describer = _DESCRIBE_NODE.get(node.type)
        if node_describer is not None:
            return node_describer(node, graph)
    describer = _DESCRIBE.get(node.type)
    return describer(node.inputs) if describer else ""


_siblings_cache: tuple[ResourceGraph, dict[str | None, list[ResourceNode]]] | None = None


def siblings(node: ResourceNode, graph: ResourceGraph) -> list[ResourceNode]:
    """The resources with the same parent as ``node`` (itself included), indexed once per graph."""
    global _siblings_cache
    if _siblings_cache is None or _siblings_cache[0] is not graph:
        index: dict[str | None, list[ResourceNode]] = {}
        for other in graph:
            index.setdefault(other.parent, []).append(other)
        _siblings_cache = (graph, index)
    return _siblings_cache[1].get(node.parent, [])


def option_marks(node: ResourceNode) -> list[str]:
    """What the tree says about a resource's options: protection and ignored changes (what a
    reviewer must not miss: a protected resource stops a destroy, an ignored field is not
    Pulumi's to set)."""
    options = node.options
    marks: list[str] = []
    if options.get("protect"):
        marks.append("protected")
    ignored = options.get("ignoreChanges")
    if ignored:
        marks.append("ignores changes to " + ", ".join(str(path) for path in ignored))
    return marks


def render_tree(graph: ResourceGraph) -> Group:
    """The graph as a tree by parent, then a table of counts per type."""
    by_parent: dict[str | None, list[ResourceNode]] = {}
    known = {node.urn for node in graph}
    for node in graph:
        parent = node.parent if node.parent in known else None
        by_parent.setdefault(parent, []).append(node)

    root = Tree(Text(f"{graph.project} / {graph.stack}", style="bold"), guide_style="dim")

    def add(branch: Tree, node: ResourceNode) -> None:
        label = Text()
        label.append(node.name, style="bold" if not node.custom else "")
        label.append(f"  {node.type}", style="cyan" if node.custom else "magenta")
        detail = describe(node, graph)
        if detail:
            label.append(f"  {detail}", style="dim")
        for mark in option_marks(node):
            label.append(f"  [{mark}]", style="yellow")
        sub = branch.add(label)
        for child in by_parent.get(node.urn, []):
            add(sub, child)

    for node in by_parent.get(None, []):
        add(root, node)

    counts = Table(title=f"{len(graph)} resources", show_edge=False, title_justify="left")
    counts.add_column("type")
    counts.add_column("count", justify="right")
    for type_token, count in sorted(graph.type_counts().items()):
        counts.add_row(type_token, str(count))
    return Group(root, Text(""), counts)


def diagnostic_lines(graph: ResourceGraph) -> list[str]:
    """What the program logged, as ``pulumi preview`` lists it under Diagnostics: a heading,
    then one line per message with the resource it is about (none when nothing was logged).
    Plain text, printed whole: a message is copied into tickets and searches."""
    if not graph.diagnostics:
        return []
    names = {node.urn: node.name for node in graph}
    lines = ["Diagnostics:"]
    for diagnostic in graph.diagnostics:
        subject = graph.stack if diagnostic.urn is None else names.get(diagnostic.urn, "")
        lines.append(f"  {subject} ({diagnostic.severity}): {diagnostic.message}")
    return lines
