"""Show a :class:`MultiDiff` (``askc cost diff --all-stacks``): one report for several stacks.

Every format has one summary line per stack (added, removed, changed or unchanged; before,
after, change) and a grand total per currency, then each stack's own diff as
:mod:`ask_components.cost.render` shows it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ask_components.cost import render
from ask_components.cost.diff import CostDiff, GrandTotal, MultiDiff
from ask_components.cost.grid import Justify, TextGrid
from ask_components.cost.model import Bound, plain, round_money


def stack_status(diff: CostDiff) -> str:
    """``new stack``, ``stack removed``, ``changed`` or ``unchanged``, for the summary."""
    if diff.stack_change == "added":
        return "new stack"
    if diff.stack_change == "removed":
        return "stack removed"
    return "changed" if diff.changed() else "unchanged"


def _total_percent(total: GrandTotal) -> Decimal | None:
    return None if total.before == 0 else total.delta / total.before * Decimal(100)


def _percent_text(total: GrandTotal) -> str:
    value = _total_percent(total)
    if value is None:
        return "new" if total.after != 0 else "0.00%"
    # The grand total's percentage is marked like its change: an exact change over a total
    # before that is a lower bound is still only an estimate of the ratio.
    mark = (total.delta_bound | total.before_bound).mark
    return f"{mark}{render.signed(value)}%"


def _headline(total: GrandTotal) -> str:
    cur = total.currency
    stacks = f"{total.stacks} stack{'s' if total.stacks != 1 else ''}"
    if total.delta > 0:
        return (
            f"📈 **Monthly cost will increase by {total.delta_bound.words}"
            f"{render.money(total.delta)} {cur} ({_percent_text(total)})** across {stacks}"
        )
    if total.delta < 0:
        return (
            f"📉 **Monthly cost will decrease by {total.delta_bound.flipped().words}"
            f"{render.money(-total.delta)} {cur} ({_percent_text(total)})** across {stacks}"
        )
    return (
        f"**Monthly cost will not change** "
        f"({render.bounded_signed(total.delta, total.delta_bound)} {cur}) across {stacks}"
    )


def _row(diff: CostDiff) -> tuple[str, str, str, str, str]:
    return (
        diff.after.stack or diff.before.stack,
        stack_status(diff),
        render.bounded(diff.before.total, diff.before.bound),
        render.bounded(diff.after.total, diff.after.bound),
        f"{render.bounded_signed(diff.delta, diff.delta_bound)} {diff.currency}",
    )


def render_markdown(report: MultiDiff) -> str:
    """Markdown for one PR comment: marker, a headline per currency, the stacks, each diff."""
    out = [render.comment_marker(report.project)]
    totals = report.totals()
    out += [_headline(total) for total in totals] or ["**No stacks to compare**"]
    out += [
        "",
        f"`{report.project}`, compared with {report.baseline or 'the baseline'}",
        "",
        "| Stack | Change | Before | After | Delta |",
        "|---|---|---:|---:|---:|",
    ]
    for diff in report.diffs:
        stack, status, before, after, delta = _row(diff)
        out.append(f"| `{render.md_text(stack)}` | {status} | {before} | {after} | {delta} |")
    for total in totals:
        out.append(
            f"| **Total ({total.currency})** | | "
            f"{render.bounded(total.before, total.before_bound)} | "
            f"{render.bounded(total.after, total.after_bound)} | "
            f"**{render.bounded_signed(total.delta, total.delta_bound)} {total.currency}** |"
        )
    out.append("")
    for diff in report.diffs:
        stack, status, _, _, delta = _row(diff)
        out += [f"<details><summary>{stack}: {delta} ({status})</summary>", ""]
        out += render.diff_body(diff)
        out += ["</details>", ""]
    return "\n".join(out)


def render_table(report: MultiDiff) -> RenderableType:
    """A rich renderable: the stacks and grand totals, then each stack's diff."""
    table = TextGrid()
    columns: tuple[tuple[str, Justify], ...] = (
        ("Stack", "left"),
        ("Change", "left"),
        ("Before", "right"),
        ("After", "right"),
        ("Delta", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify)
    for diff in report.diffs:
        table.add_row(*_row(diff))
    table.add_section()
    for total in report.totals():
        table.add_row(
            Text(f"Total ({total.currency})", style="bold"),
            f"{total.stacks} stack(s)",
            render.bounded(total.before, total.before_bound),
            render.bounded(total.after, total.after_bound),
            Text(
                f"{render.bounded_signed(total.delta, total.delta_bound)} {total.currency} "
                f"({_percent_text(total)})",
                style="bold",
            ),
        )
    parts: list[RenderableType] = [
        Text(f"Monthly cost change of {report.project}, compared with {report.baseline}"),
        Text(""),
        table,
    ]
    for diff in report.diffs:
        parts += [Text(""), Text(f"── {_row(diff)[0]} ({stack_status(diff)}) ──", style="bold")]
        parts.append(render.render_table(diff))
    return Group(*parts)


def _bounds(bound: Bound, prefix: str = "") -> dict[str, bool]:
    return render.bound_json(bound, prefix)


def _total_json(total: GrandTotal) -> dict[str, Any]:
    pct = _total_percent(total)
    return {
        "currency": total.currency,
        "stacks": total.stacks,
        "before": {
            **render.amount_json("monthlyCost", total.before),
            **_bounds(total.before_bound),
        },
        "after": {**render.amount_json("monthlyCost", total.after), **_bounds(total.after_bound)},
        "delta": {**render.amount_json("monthlyCost", total.delta), **_bounds(total.delta_bound)},
        "percentChange": None if pct is None else str(round_money(pct)),
        "percentChangeRaw": None if pct is None else plain(pct),
    }


def report_json(report: MultiDiff) -> dict[str, Any]:
    """The report as JSON-ready data: a summary per stack, the totals, and each full diff."""
    return {
        "formatVersion": render.JSON_FORMAT_VERSION,
        "kind": "multiDiff",
        "project": report.project,
        "baseline": report.baseline,
        "hoursPerMonth": 730,
        "stacks": [
            {
                "stack": _row(diff)[0],
                "change": stack_status(diff),
                "currency": diff.currency,
                "before": {
                    **render.amount_json("monthlyCost", diff.before.total),
                    **_bounds(diff.before.bound),
                },
                "after": {
                    **render.amount_json("monthlyCost", diff.after.total),
                    **_bounds(diff.after.bound),
                },
                "delta": {
                    **render.amount_json("monthlyCost", diff.delta),
                    **_bounds(diff.delta_bound),
                },
            }
            for diff in report.diffs
        ],
        "totals": [_total_json(total) for total in report.totals()],
        "diffs": [render.diff_json(diff) for diff in report.diffs],
    }


__all__ = ["render_markdown", "render_table", "report_json", "stack_status"]
