"""A :class:`Diagram` as a self-contained SVG (and an HTML page around it): no script, no font
or style from the network, so the file shows the same anywhere, offline.

The layout is computed here, deterministically: a leaf is a box sized to its text; a group
stacks its children one under another, or side by side for a row (the zones, a workload kind);
arrows are straight lines between box centres, drawn under the boxes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ask_components.diagram.model import Box, Diagram

CHAR_WIDTH: Final = 7.2
"""Width of one character at the 12 px font (monospace metrics, so text always fits)."""
LINE_HEIGHT: Final = 16
PADDING: Final = 10
GAP: Final = 14
HEADER: Final = 22
MAX_CHARS: Final = 48
"""Longer label lines are cut (with …) so that one long line does not widen the picture."""

_FILL: Final = {
    "internet": "#e0f2fe",
    "vpc": "#eef6ff",
    "zones": "#f8fafc",
    "zone": "#ffffff",
    "vswitch": "#f1f5f9",
    "nat": "#ecfdf5",
    "eip": "#d1fae5",
    "cluster": "#f5f3ff",
    "cluster-group": "#faf5ff",
    "workloads": "#ffffff",
    "workload": "#ede9fe",
    "alb": "#ffedd5",
    "clb": "#ffedd5",
    "private-zone": "#fef9c3",
    "private-zone-group": "#fefce8",
    "record": "#fef3c7",
}
_CHANGED_FILL: Final = "#fde68a"
_CHANGED_STROKE: Final = "#b45309"


@dataclass(frozen=True)
class Placed:
    """A box with its place: top-left corner and size."""

    box: Box
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of the box."""
        return self.x + self.width / 2, self.y + self.height / 2


def _lines(box: Box) -> list[str]:
    lines = [*box.lines, *([box.cost] if box.cost else [])]
    return [line if len(line) <= MAX_CHARS else line[: MAX_CHARS - 1] + "…" for line in lines]


def _size(box: Box) -> tuple[float, float]:
    lines = _lines(box)
    text_width = max((len(line) for line in lines), default=0) * CHAR_WIDTH
    if not box.is_group:
        return text_width + 2 * PADDING, len(lines) * LINE_HEIGHT + 2 * PADDING
    sizes = [_size(child) for child in box.children]
    header = len(lines) * LINE_HEIGHT + PADDING
    if box.row:
        width = sum(w for w, _ in sizes) + GAP * (len(sizes) - 1)
        height = max(h for _, h in sizes)
    else:
        width = max(w for w, _ in sizes)
        height = sum(h for _, h in sizes) + GAP * (len(sizes) - 1)
    return max(width + 2 * PADDING, text_width + 2 * PADDING), height + header + PADDING


def layout(diagram: Diagram) -> list[Placed]:
    """Every box with its place; the top-level boxes one under another."""
    placed: list[Placed] = []

    def place(box: Box, x: float, y: float) -> None:
        width, height = _size(box)
        placed.append(Placed(box, x, y, width, height))
        if not box.is_group:
            return
        cx = x + PADDING
        cy = y + len(_lines(box)) * LINE_HEIGHT + PADDING
        for child in box.children:
            child_width, child_height = _size(child)
            place(child, cx, cy)
            if box.row:
                cx += child_width + GAP
            else:
                cy += child_height + GAP

    y: float = HEADER + GAP
    for box in diagram.boxes:
        place(box, GAP, y)
        y += _size(box)[1] + GAP
    return placed


def render_svg(diagram: Diagram, changed: Iterable[str] = ()) -> str:
    """The diagram as an SVG document.

    Args:
        diagram: the picture.
        changed: URNs of resources a change touches; their boxes are highlighted.
    """
    placed = layout(diagram)
    highlighted = set(diagram.changed_ids(changed))
    width = max((p.x + p.width for p in placed), default=200) + GAP
    height = max((p.y + p.height for p in placed), default=60) + GAP
    where = {p.box.id: p for p in placed}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans Mono, monospace" '
        'font-size="12">',
        f"<title>{html.escape(diagram.title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#475569"/></marker></defs>',
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{GAP}" y="{HEADER}" font-size="15" font-weight="bold">'
        f"{html.escape(_heading(diagram))}</text>",
    ]
    for p in placed:
        if p.box.is_group:
            out.append(_rect(p, p.box.id in highlighted))
    for p in placed:
        if not p.box.is_group:
            out.append(_rect(p, p.box.id in highlighted))
    for edge in diagram.edges:
        if edge.source not in where or edge.target not in where:
            continue
        (x1, y1), (x2, y2) = where[edge.source].centre, where[edge.target].centre
        dash = ' stroke-dasharray="5 4"' if edge.dashed else ""
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#475569" '
            f'stroke-width="1.5" marker-end="url(#arrow)" opacity="0.7"{dash}/>'
        )
    for p in placed:
        out.append(_text(p))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _heading(diagram: Diagram) -> str:
    if diagram.total:
        return f"{diagram.title} · {diagram.total}"
    return diagram.title


def _rect(p: Placed, changed: bool) -> str:
    fill = _CHANGED_FILL if changed else _FILL.get(p.box.kind, "#ffffff")
    stroke = _CHANGED_STROKE if changed else "#64748b"
    width = 3 if changed else 1
    radius = 14 if p.box.kind in ("eip", "internet", "workload") else 4
    return (
        f'<rect id="{p.box.id}" x="{p.x:.1f}" y="{p.y:.1f}" width="{p.width:.1f}" '
        f'height="{p.height:.1f}" rx="{radius}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width}"/>'
    )


def _text(p: Placed) -> str:
    parts = [f'<text x="{p.x + PADDING:.1f}" y="{p.y + PADDING + 12:.1f}">']
    for index, line in enumerate(_lines(p.box)):
        weight = ' font-weight="bold"' if index == 0 else ""
        dy = "0" if index == 0 else str(LINE_HEIGHT)
        parts.append(
            f'<tspan x="{p.x + PADDING:.1f}" dy="{dy}"{weight}>{html.escape(line)}</tspan>'
        )
    parts.append("</text>")
    return "".join(parts)


def render_html(diagram: Diagram, changed: Iterable[str] = ()) -> str:
    """A standalone HTML page: the SVG inline, a legend, nothing loaded from elsewhere."""
    svg = render_svg(diagram, changed)
    title = html.escape(diagram.title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} · askc diagram</title>\n"
        "<style>body{margin:16px;font-family:DejaVu Sans,sans-serif;color:#0f172a;"
        "background:#ffffff}p{color:#475569;font-size:13px}"
        ".changed{background:#fde68a;border:2px solid #b45309;padding:0 4px}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        "<p>What the offline preview of this stack holds (askc diagram). "
        'Highlighted: <span class="changed">changed by the compared change</span>. '
        "Costs are monthly estimates of askc cost.</p>\n"
        f"{svg}"
        "</body>\n</html>\n"
    )


__all__ = ["Placed", "layout", "render_html", "render_svg"]
