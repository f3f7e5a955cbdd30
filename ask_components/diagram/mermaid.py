"""A :class:`Diagram` as a Mermaid flowchart (GitHub and GitLab draw it in Markdown).

Groups are ``subgraph`` blocks, leaves are nodes whose label holds their lines (``<br/>``
between them); ids are the diagram's, already Mermaid-safe. Changed resources are highlighted
with a ``classDef``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ask_components.diagram.model import Box, Diagram

CHANGED_CLASS: Final = "changed"
"""The class given to boxes whose resources a change touches."""

_SHAPES: Final = {
    "internet": ('(("', '"))'),
    "eip": ('(["', '"])'),
    "record": ('>"', '"]'),
    "workload": ('("', '")'),
}
"""Node shapes per kind (default: a rectangle)."""

_CLASSES: Final = {
    "vpc": "fill:#eef6ff,stroke:#3b82f6",
    "zone": "fill:#f8fafc,stroke:#94a3b8",
    "nat": "fill:#ecfdf5,stroke:#059669",
    "eip": "fill:#ecfdf5,stroke:#059669",
    "cluster": "fill:#f5f3ff,stroke:#7c3aed",
    "alb": "fill:#fff7ed,stroke:#ea580c",
    "clb": "fill:#fff7ed,stroke:#ea580c",
    "workload": "fill:#ffffff,stroke:#7c3aed",
    "record": "fill:#fefce8,stroke:#ca8a04",
}

_CHANGED_STYLE: Final = "fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#111827"


def escape(text: str) -> str:
    """Label text made safe inside Mermaid's double quotes (entity codes)."""
    return (
        text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _label(box: Box) -> str:
    lines = [*box.lines, *([box.cost] if box.cost else [])]
    return "<br/>".join(escape(line) for line in lines)


def _emit(box: Box, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if box.is_group:
        out.append(f'{pad}subgraph {box.id}["{_label(box)}"]')
        out.append(f"{pad}  direction {'LR' if box.row else 'TB'}")
        for child in box.children:
            _emit(child, depth + 1, out)
        out.append(f"{pad}end")
        return
    opening, closing = _SHAPES.get(box.kind, ('["', '"]'))
    out.append(f"{pad}{box.id}{opening}{_label(box)}{closing}")


def render_mermaid(diagram: Diagram, changed: Iterable[str] = ()) -> str:
    """The diagram as Mermaid flowchart text.

    Args:
        diagram: the picture.
        changed: URNs of resources a change touches; their boxes get the ``changed`` class.
    """
    out = [f"%% {diagram.title} (askc diagram)", "flowchart TB"]
    for box in diagram.boxes:
        _emit(box, 1, out)
    for edge in diagram.edges:
        arrow = "-.->" if edge.dashed else "-->"
        label = f'|"{escape(edge.label)}"|' if edge.label else ""
        out.append(f"  {edge.source} {arrow}{label} {edge.target}")
    leaves = [box for box in diagram.all_boxes() if not box.is_group]
    for kind, style in _CLASSES.items():
        members = [box.id for box in leaves if box.kind == kind]
        if members:
            out.append(f"  classDef {kind.replace('-', '_')} {style}")
            out.append(f"  class {','.join(members)} {kind.replace('-', '_')}")
    highlighted = diagram.changed_ids(changed)
    if highlighted:
        out.append(f"  classDef {CHANGED_CLASS} {_CHANGED_STYLE}")
        out.append(f"  class {','.join(highlighted)} {CHANGED_CLASS}")
    return "\n".join(out) + "\n"


def fenced(diagram: str) -> list[str]:
    """The lines of a Markdown ``mermaid`` code block holding ``diagram`` (GitHub and GitLab
    draw it), as ``askc preview diff`` and ``askc cost diff`` end their Markdown with it."""
    return ["```mermaid", diagram.rstrip("\n"), "```"]


__all__ = ["CHANGED_CLASS", "escape", "fenced", "render_mermaid"]
