"""The ResourceGraph: every resource a Pulumi program registers, as plain data.

The offline preview produces one, and the cost engine reads the same shape from
``pulumi preview --json`` steps and from ``pulumi stack export`` / DIY-backend checkpoints,
so everything downstream (tree view, pricing, policies, tests) works on one model.

Inputs are plain JSON values with Pulumi's camelCase property names (what the engine and the
state files use), integral floats restored to ints, and secret values replaced by
:data:`SECRET_MASK`.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SECRET_MASK = "[secret]"
"""What a secret value is replaced with, everywhere a graph is shown or stored."""

UNKNOWN_MARK = "[unknown]"
"""What a value only known after deployment shows as, everywhere a graph is shown or stored."""

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class ResourceNode:
    """One registered resource.

    Attributes:
        urn: the resource's URN, as the engine would build it.
        type: the type token (``alicloud:vpc/network:Network``, ``ask:network:Network``).
        name: the logical name.
        custom: True for provider-backed resources, False for components and the stack.
        parent: URN of the parent resource, or None for the stack itself.
        provider: the provider reference (``<provider URN>::<id>``) or None (default provider).
        dependencies: URNs this resource depends on explicitly or through its inputs.
        inputs: the resource's inputs as plain JSON values (camelCase keys, secrets masked).
        secret_paths: dotted paths of inputs whose values were secrets (``data.token``).
        options: the non-default resource options it was registered with, named as Pulumi
            names them (``protect``, ``ignoreChanges``, ``deleteBeforeReplace``,
            ``replaceOnChanges``, ``retainOnDelete``, ``aliases`` (URNs),
            ``additionalSecretOutputs``, ``customTimeouts``, ``dependsOn`` (explicit
            dependencies)); empty when none.
        property_dependencies: input name -> the URNs its value came from (Pulumi's
            ``propertyDependencies``), for the inputs that have any; ``askc preview diff``
            reads it to tell which input of a resource changes when a dependency is replaced.
    """

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None = None
    provider: str | None = None
    dependencies: tuple[str, ...] = ()
    inputs: Mapping[str, Any] = field(default_factory=dict)
    secret_paths: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_provider(self) -> bool:
        """True for provider resources (``pulumi:providers:<pkg>``)."""
        return self.type.startswith("pulumi:providers:")

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON-ready data."""
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "custom": self.custom,
            "parent": self.parent,
            "provider": self.provider,
            "dependencies": list(self.dependencies),
            "inputs": dict(self.inputs),
            "secretPaths": list(self.secret_paths),
            "options": dict(self.options),
            "propertyDependencies": {
                key: list(urns) for key, urns in self.property_dependencies.items()
            },
        }


@dataclass(frozen=True)
class Diagnostic:
    """A message the program logged (``pulumi.log``), as ``pulumi preview`` lists it.

    Attributes:
        severity: ``info``, ``warning`` or ``error``.
        message: the text.
        urn: the resource it is about, or None for the stack.
    """

    severity: str
    message: str
    urn: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {"severity": self.severity, "message": self.message, "urn": self.urn}


@dataclass(frozen=True)
class ResourceGraph:
    """All resources of one program run, in registration order.

    Attributes:
        project: the Pulumi project name.
        stack: the stack name.
        resources: the nodes, in the order they were registered.
        outputs: the stack outputs (secrets masked).
        diagnostics: what the program logged, in order.
    """

    project: str
    stack: str
    resources: tuple[ResourceNode, ...]
    outputs: Mapping[str, Any] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    def __iter__(self) -> Iterator[ResourceNode]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def by_urn(self) -> dict[str, ResourceNode]:
        """A map from URN to node."""
        return {node.urn: node for node in self.resources}

    def of_type(self, type_token: str) -> list[ResourceNode]:
        """Every node of the given type token, in registration order."""
        return [node for node in self.resources if node.type == type_token]

    def children(self, urn: str) -> list[ResourceNode]:
        """The direct children of a resource, in registration order."""
        return [node for node in self.resources if node.parent == urn]

    def type_counts(self) -> Counter[str]:
        """How many resources of each type the graph holds."""
        return Counter(node.type for node in self.resources)

    def to_dict(self) -> dict[str, Any]:
        """The graph as JSON-ready data."""
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [node.to_dict() for node in self.resources],
            "outputs": dict(self.outputs),
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The graph as a JSON document (stable key order)."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)


def restacked(graph: ResourceGraph, stack: str) -> ResourceGraph:
    """``graph`` as if it were stack ``stack`` of the same project, so that two stacks'
    resources match by URN: every URN (and reference to one: parent, provider, dependencies,
    aliases, property dependencies) gets the other stack's name, and so does the stack
    resource's own name (``<project>-<stack>``)."""
    old_prefix, new_prefix = f"urn:pulumi:{graph.stack}::", f"urn:pulumi:{stack}::"
    old_root, new_root = f"{graph.project}-{graph.stack}", f"{graph.project}-{stack}"

    def rename(urn: str) -> str:
        if not urn.startswith(old_prefix):
            return urn
        renamed = new_prefix + urn[len(old_prefix) :]
        if renamed.endswith(f"{STACK_TYPE}::{old_root}"):
            renamed = renamed[: -len(old_root)] + new_root
        return renamed

    def provider(value: str | None) -> str | None:
        if value is None:
            return None
        urn, sep, ident = value.rpartition("::")
        return rename(urn) + sep + ident if sep else rename(value)

    nodes = tuple(
        dataclasses.replace(
            node,
            urn=rename(node.urn),
            name=new_root if node.type == STACK_TYPE else node.name,
            parent=rename(node.parent) if node.parent is not None else None,
            provider=provider(node.provider),
            dependencies=tuple(rename(urn) for urn in node.dependencies),
            options={
                **node.options,
                **(
                    {"aliases": [rename(str(urn)) for urn in node.options["aliases"]]}
                    if node.options.get("aliases")
                    else {}
                ),
                **(
                    {"dependsOn": [rename(str(urn)) for urn in node.options["dependsOn"]]}
                    if node.options.get("dependsOn")
                    else {}
                ),
            },
            property_dependencies={
                key: tuple(rename(urn) for urn in urns)
                for key, urns in node.property_dependencies.items()
            },
        )
        for node in graph.resources
    )
    return ResourceGraph(graph.project, stack, nodes, graph.outputs, graph.diagnostics)
