"""Pictures of a platform: Mermaid for Markdown, self-contained SVG and HTML files."""

from __future__ import annotations

from collections.abc import Iterable

from ask_components.diagram.mermaid import render_mermaid
from ask_components.diagram.model import Box, Diagram, Edge, platform_diagram
from ask_components.preview.graph import ResourceGraph


def render_mermaid_with_changes(
    graph: ResourceGraph, changed_urns: Iterable[str], *, region: str | None = None
) -> str:
    """The Mermaid diagram of ``graph`` with the boxes of ``changed_urns`` highlighted (what
    ``askc preview diff --with-diagram`` embeds; ``askc cost diff`` can do the same).

    Args:
        graph: the resources after the change.
        changed_urns: URNs of the resources the change creates, updates, replaces or deletes.
        region: the region to price in (costs in the boxes); None leaves costs out.
    """
    return render_mermaid(platform_diagram(graph, region=region), changed_urns)


__all__ = [
    "Box",
    "Diagram",
    "Edge",
    "platform_diagram",
    "render_mermaid",
    "render_mermaid_with_changes",
]
