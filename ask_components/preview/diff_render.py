"""Show a :class:`PreviewDiff`: a coloured tree for terminals (as ``pulumi preview`` draws it),
Markdown for a pull-request comment, and JSON for machines (schema in docs/preview-diff.md)."""

from __future__ import annotations

import json
from typing import Any, Final

from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from ask_components.preview.diff import OP_ORDER, Op, PreviewDiff, PropertyChange, ResourceChange

FORMAT_VERSION: Final = 1
"""Version of the JSON document; raised when a field changes meaning or goes away."""

MARKER_PREFIX: Final = "<!-- askc-preview-diff"
"""How the Markdown report starts: pipelines find their earlier comment by it."""

SYMBOLS: Final = {
    Op.CREATE: "+",
    Op.UPDATE: "~",
    Op.REPLACE: "+-",
    Op.DELETE: "-",
    Op.SAME: " ",
}
"""Pulumi's marks for each op."""

STYLES: Final = {
    Op.CREATE: "green",
    Op.UPDATE: "yellow",
    Op.REPLACE: "magenta",
    Op.DELETE: "red",
    Op.SAME: "dim",
}
"""Pulumi's colours for each op."""

_VERBS: Final = {
    Op.CREATE: "to create",
    Op.UPDATE: "to update",
    Op.REPLACE: "to replace",
    Op.DELETE: "to delete",
    Op.SAME: "unchanged",
}

_VALUE_WIDTH: Final = 80


def marker(diff: PreviewDiff) -> str:
    """The hidden first line of the Markdown report (stable for a project and stack)."""
    return f"{MARKER_PREFIX} project={diff.project} stack={diff.stack} -->"


def value_text(value: Any) -> str:
    """A property value on one line (JSON, cut at 80 characters)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def change_text(change: PropertyChange) -> str:
    """``~ spec.replicas: 2 => 3`` (``+`` added, ``-`` removed)."""
    if change.kind == "add":
        return f"+ {change.path}: {value_text(change.new)}"
    if change.kind == "delete":
        return f"- {change.path}: {value_text(change.old)}"
    return f"~ {change.path}: {value_text(change.old)} => {value_text(change.new)}"


def summary_lines(diff: PreviewDiff) -> list[tuple[Op, str]]:
    """``+ 1 to create`` ... ``33 unchanged``, for the ops that occur (same always)."""
    counts = diff.counts()
    lines: list[tuple[Op, str]] = []
    for op in OP_ORDER:
        if op is Op.SAME:
            lines.append((op, f"{counts[op]} unchanged"))
        elif counts[op]:
            lines.append((op, f"{SYMBOLS[op]} {counts[op]} {_VERBS[op]}"))
    return lines


def headline(change: ResourceChange) -> str:
    """What the op says after the name: the diff keys, and the order of a replacement."""
    parts: list[str] = []
    keys = [c.path for c in change.changes] + [o.split(":")[0] for o in change.option_changes]
    if keys:
        parts.append("[diff: " + ", ".join(keys) + "]")
    if change.old_urn:
        parts.append(f"[renamed from {change.old_urn.rsplit('::', 1)[-1]}]")
    if change.op is Op.REPLACE and change.delete_before_replace:
        parts.append(f"[delete before replace: {change.delete_before_replace_reason}]")
    return " ".join(parts)


def _ancestors(diff: PreviewDiff) -> tuple[dict[str, ResourceChange], dict[str | None, list[str]]]:
    by_urn = {change.urn: change for change in diff.resources}
    shown: set[str] = set()
    for change in diff.changed:
        urn: str | None = change.urn
        while urn is not None and urn not in shown and urn in by_urn:
            shown.add(urn)
            urn = by_urn[urn].parent
    children: dict[str | None, list[str]] = {}
    for change in diff.resources:
        if change.urn in shown:
            parent = change.parent if change.parent in shown else None
            children.setdefault(parent, []).append(change.urn)
    return by_urn, children


def render_tree(diff: PreviewDiff) -> Group:
    """The changed resources under their parents (unchanged parents dim), each change's
    properties, then the counts, as ``pulumi preview`` shows them."""
    by_urn, children = _ancestors(diff)
    root = Tree(
        Text(f"{diff.project} / {diff.stack}  (compared with {diff.baseline})", style="bold"),
        guide_style="dim",
    )

    def add(branch: Tree, urn: str) -> None:
        change = by_urn[urn]
        style = STYLES[change.op]
        label = Text()
        label.append(f"{SYMBOLS[change.op]:<2} ", style=style)
        label.append(change.type, style=style)
        label.append(f"  {change.name}", style="bold" if change.op is not Op.SAME else "dim")
        if change.op is not Op.SAME:
            label.append(f"  {change.op.value}", style=style)
            extra = headline(change)
            if extra:
                label.append(f"  {extra}", style=style)
        sub = branch.add(label)
        for line in _detail_lines(change):
            sub.add(Text(line, style=style))
        for child in children.get(urn, []):
            add(sub, child)

    for urn in children.get(None, []):
        add(root, urn)
    parts: list[Any] = [root] if diff.changed else [Text(f"No changes ({diff.baseline}).")]
    parts.append(Text("\nResources:"))
    for op, line in summary_lines(diff):
        parts.append(Text(f"    {line}", style=STYLES[op] if op is not Op.SAME else ""))
    for line in gate_lines(diff):
        parts.append(Text(line, style="bold magenta"))
    return Group(*parts)


def _detail_lines(change: ResourceChange) -> list[str]:
    lines: list[str] = []
    for item in change.changes:
        text = change_text(item)
        if item.replaces:
            text += f"   (replaces: {item.source})"
        lines.append(text)
    lines.extend(f"~ {option}" for option in change.option_changes)
    lines.extend(f"! {note}" for note in change.notes)
    return lines


def gate_lines(diff: PreviewDiff) -> list[str]:
    """The warning about stateful replacements (none when there are none)."""
    found = diff.stateful_replacements
    if not found:
        return []
    lines = [f"\n{len(found)} stateful resource(s) would be REPLACED:"]
    for change in found:
        reasons = ", ".join(c.path for c in change.replace_reasons)
        lines.append(f"  +- {change.name} ({change.type}): {reasons}")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def render_markdown(diff: PreviewDiff, *, diagram: str | None = None) -> str:
    """The plan as a pull-request comment: marker, warning on stateful replacements, counts,
    a table of the changed resources, the property changes in ``<details>``, and optionally a
    Mermaid diagram."""
    lines = [marker(diff), f"### Preview diff: {diff.project} / {diff.stack}", ""]
    lines.append(f"Compared with {diff.baseline}.")
    lines.append("")
    stateful = diff.stateful_replacements
    if stateful:
        lines.append("> [!CAUTION]")
        lines.append(f"> **{len(stateful)} stateful resource(s) would be replaced:** ")
        for change in stateful:
            reasons = ", ".join(_code(c.path) for c in change.replace_reasons)
            lines.append(f"> - {_code(change.name)} ({_code(change.type)}) because of {reasons}")
        lines.append("")
    lines.append(" · ".join(f"**{line}**" for _, line in summary_lines(diff)))
    lines.append("")
    if not diff.changed:
        lines.append("No resource changes.")
    else:
        lines.append("| Op | Resource | Type | Changes |")
        lines.append("| --- | --- | --- | --- |")
        for change in diff.changed:
            keys = ", ".join(
                _code(c.path) + (" (replaces)" if c.replaces else "") for c in change.changes
            )
            if change.old_urn:
                keys = (keys + "; " if keys else "") + "renamed (alias)"
            if change.option_changes:
                keys = (keys + "; " if keys else "") + ", ".join(change.option_changes)
            op = f"{SYMBOLS[change.op]} {change.op.value}"
            if change.op is Op.REPLACE and change.delete_before_replace:
                op += " (delete first)"
            lines.append(
                f"| {_cell(op)} | {_cell(_code(change.name))} | {_cell(_code(change.type))} "
                f"| {_cell(keys)} |"
            )
        lines.append("")
        lines.append("<details><summary>Property changes</summary>")
        lines.append("")
        lines.append("```diff")
        for change in diff.changed:
            lines.append(f"{SYMBOLS[change.op]} {change.name} ({change.type}) {change.op.value}")
            lines.extend(f"    {line}" for line in _detail_lines(change))
        lines.append("```")
        lines.append("")
        lines.append("</details>")
    if diagram is not None:
        from ask_components.diagram.mermaid import fenced  # only with --with-diagram

        lines.extend(["", *fenced(diagram)])
    return "\n".join(lines) + "\n"


def to_dict(diff: PreviewDiff) -> dict[str, Any]:
    """The plan as JSON-ready data: unchanged resources are only counted."""
    counts = diff.counts()
    return {
        "formatVersion": FORMAT_VERSION,
        "kind": "previewDiff",
        "project": diff.project,
        "stack": diff.stack,
        "baseline": diff.baseline,
        "summary": {op.value: counts[op] for op in OP_ORDER},
        "statefulReplacements": [change.urn for change in diff.stateful_replacements],
        "resources": [change.to_dict() for change in diff.changed],
    }


def render_json(diff: PreviewDiff) -> str:
    """The plan as a JSON document."""
    return json.dumps(to_dict(diff), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "FORMAT_VERSION",
    "MARKER_PREFIX",
    "STYLES",
    "SYMBOLS",
    "marker",
    "render_json",
    "render_markdown",
    "render_tree",
    "to_dict",
]
