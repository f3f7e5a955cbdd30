"""Show an :class:`Estimate` or a :class:`CostDiff`: a rich table, Markdown for a pull-request
comment, or JSON for machines.

Money is rounded only here, to the cent, half up. JSON carries both the rounded amount
(``"12.35"``) and the unrounded one (``...Raw``) as strings, with a stable key order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ask_components.cost.diff import CostDiff, LineDiff, MultiDiff, ResourceDiff
from ask_components.cost.estimate import Coverage, Estimate, ResourceCost
from ask_components.cost.grid import TextGrid
from ask_components.cost.model import Bound, CostLine, plain, round_money

JSON_FORMAT_VERSION = "1"
"""Version of the JSON layout; bumped when a key changes meaning or goes away."""

USAGE_MARK = "*"
"""Marks usage-based lines (their cost comes from the usage file)."""

MARKER_PREFIX = "<!-- askc-cost-diff"
"""How every Markdown diff starts: a hidden comment a pipeline finds its own PR comment by."""


def comment_marker(project: str, stack: str | None = None) -> str:
    """The hidden first line of a Markdown diff: stable for a project (and stack), whatever the
    numbers, so ``askc cost comment --behavior update`` edits the same comment every run."""
    where = f" stack={stack}" if stack else ""
    return f"{MARKER_PREFIX} project={project}{where} -->"


# ---------------------------------------------------------------------------------------------
# Number formatting


def money(amount: Decimal) -> str:
    """``1,234.57``: rounded to the cent, half up, with thousands separators."""
    return f"{round_money(amount):,}"


def signed(amount: Decimal) -> str:
    """``+1,234.57`` / ``-3.00`` / ``0.00``."""
    rounded = round_money(amount)
    if rounded == 0:
        return "0.00"
    return f"{'+' if rounded > 0 else '-'}{abs(rounded):,}"


def quantity(amount: Decimal) -> str:
    """A monthly quantity: at most 4 decimals, no trailing zeros, thousands separators."""
    rounded = amount.quantize(Decimal("0.0001")) if amount != amount.to_integral_value() else amount
    whole, _, frac = plain(rounded).partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def bounded(amount: Decimal, bound: Bound) -> str:
    """``≥ 1,234.57``: the amount with its bound's mark (nothing when exact)."""
    return bound.mark + money(amount)


def bounded_signed(amount: Decimal, bound: Bound) -> str:
    """``≥ +12.00``: a change with its bound's mark."""
    return bound.mark + signed(amount)


def percent(diff: CostDiff) -> str:
    """``+12.35%`` (``≥``/``≤``/``≈`` in front when it is a bound), ``new`` (from 0) or
    ``0.00%``."""
    value = diff.percent
    if value is None:
        return "new" if diff.is_new else "0.00%"
    return f"{diff.percent_bound.mark}{signed(value)}%"


def line_cost(line: CostLine) -> str:
    """The monthly cost cell of a line."""
    if line.status == "price_not_found":
        return "price not found"
    if line.status == "usage_unknown":
        return "depends on usage"
    assert line.monthly_cost is not None
    return ("≤ " if line.upper_bound else "") + money(line.monthly_cost)


def _line_name(line: CostLine) -> str:
    return line.name + (f" {USAGE_MARK}" if line.usage_based else "")


def _qty(line: CostLine) -> str:
    return "—" if line.quantity is None else quantity(line.quantity)


def _price(line: CostLine) -> str:
    return "—" if line.unit_price is None else plain(line.unit_price)


def _short_type(type_token: str) -> str:
    return type_token.rsplit(":", 1)[-1]


def coverage_text(coverage: Coverage) -> str:
    """``12 resources: 10 estimated · 1 free · 1 not supported``."""
    return (
        f"{coverage.total} resources: {coverage.estimated} estimated · {coverage.free} free · "
        f"{coverage.unsupported} not supported"
    )


def _unsupported_text(coverage: Coverage) -> str:
    return ", ".join(f"{t} ×{n}" for t, n in coverage.unsupported_types)


def _header(estimate: Estimate) -> str:
    usage = estimate.usage_file or "none"
    return (
        f"{estimate.project}/{estimate.stack} · {estimate.region} · {estimate.site} site "
        f"({estimate.currency}) · prices: {estimate.price_book} · usage: {usage}"
    )


def _not_found(resources: Iterable[ResourceCost]) -> list[tuple[str, CostLine]]:
    return [
        (r.name, line) for r in resources for line in r.lines if line.status == "price_not_found"
    ]


def _why(line: CostLine) -> str:
    """Why a line's price was not found (its note without the repeated prefix)."""
    return line.note.replace("price not found: ", "")


# ---------------------------------------------------------------------------------------------
# Table (rich)


def render_table(result: Estimate | CostDiff | MultiDiff) -> RenderableType:
    """A rich renderable for terminals: the breakdown of an estimate, a diff, or a report of
    several stacks' diffs."""
    if isinstance(result, MultiDiff):
        from ask_components.cost import report

        return report.render_table(result)
    if isinstance(result, CostDiff):
        return _diff_table(result)
    return _estimate_table(result)


def _estimate_table(estimate: Estimate) -> RenderableType:
    cur = estimate.currency
    table = TextGrid()
    table.add_column("Name")
    table.add_column("Monthly qty", justify="right")
    table.add_column("Unit")
    table.add_column(f"Unit price ({cur})", justify="right")
    table.add_column(f"Monthly cost ({cur})", justify="right")
    for resource in estimate.resources:
        if resource.category != "priced":
            continue
        table.add_row(
            Text(f"{resource.name} ({_short_type(resource.type)})", style="bold"),
            "",
            "",
            "",
            Text(_resource_cost(resource), style="bold"),
        )
        for position, line in enumerate(resource.lines):
            branch = "└─" if position == len(resource.lines) - 1 else "├─"
            table.add_row(
                f" {branch} {_line_name(line)}",
                _qty(line),
                line.unit,
                _price(line),
                line_cost(line),
            )
    table.add_section()
    table.add_row(
        Text("OVERALL TOTAL", style="bold"),
        "",
        "",
        "",
        Text(bounded(estimate.total, estimate.bound), style="bold"),
    )
    return Group(Text(_header(estimate)), Text(""), table, Text(""), *_estimate_footer(estimate))


def _estimate_footer(estimate: Estimate) -> list[Text]:
    cov = estimate.coverage
    out = [
        Text(
            f"Fixed {bounded(estimate.fixed_total, estimate.fixed_bound)} + usage-based "
            f"{bounded(estimate.usage_total, estimate.usage_bound)} "
            f"= {bounded(estimate.total, estimate.bound)} {estimate.currency} a month (730 hours)"
        ),
        Text(coverage_text(cov)),
    ]
    if cov.unsupported:
        out.append(Text(f"Not supported: {_unsupported_text(cov)}"))
    if cov.usage_unknown:
        out.append(
            Text(
                f"{USAGE_MARK} usage-based: {cov.usage_unknown} line(s) depend on usage "
                "(not in the totals); set them in the usage file"
            )
        )
    else:
        out.append(Text(f"{USAGE_MARK} usage-based"))
    not_found = _not_found(estimate.resources)
    if not_found:
        out.append(Text(f"Prices not found ({len(not_found)}), not in the totals:"))
        out.extend(Text(f"  {name} › {line.name}: {_why(line)}") for name, line in not_found)
    if any(r.upper_bound for r in estimate.resources):
        out.append(Text("≤ spot pods priced at on-demand: an upper bound"))
    if any(r.incomplete for r in estimate.resources):
        out.append(Text("≥ a price was not found: the cost shown is a lower bound"))
    out.extend(Text(f"Warning: {w}") for w in estimate.warnings)
    return out


_SIGNS = {"added": "+", "removed": "-", "changed": "~", "unchanged": " "}


def _listed(diff: CostDiff) -> list[ResourceDiff]:
    """Changed resources worth a row: everything but free ones whose cost cannot change."""
    return [r for r in diff.changed() if r.category != "free" or r.delta != 0]


def _free_named(diff: CostDiff) -> list[str]:
    """Sentences naming the free resources added and removed (they have no row)."""
    out: list[str] = []
    for change in ("added", "removed"):
        names = [
            r.name
            for r in diff.resources
            if r.change == change and r.category == "free" and r.delta == 0
        ]
        if names:
            out.append(f"Also {change}, free ({len(names)}): {', '.join(names)}")
    return out


def _gap_groups(diff: CostDiff) -> tuple[list[tuple[str, CostLine]], list[tuple[str, str, int]]]:
    """Price gaps of a diff: those the change touches, one per resource line; and those that did
    not change, grouped once by price key and reason as (key, reason, how many lines)."""
    changed: list[tuple[str, CostLine]] = []
    same: dict[tuple[str, str], int] = {}
    for r in diff.resources:
        for ld in r.lines():
            line = ld.after if ld.after is not None else ld.before
            assert line is not None
            if line.status != "price_not_found":
                continue
            if r.change != "unchanged" and ld.changed:
                changed.append((r.name, line))
            elif ld.after is not None:
                key = (line.price_key, _why(line))
                same[key] = same.get(key, 0) + 1
    return changed, [(key, why, n) for (key, why), n in same.items()]


def _diff_summary(diff: CostDiff) -> str:
    cur = diff.currency
    return (
        f"Monthly cost change for {diff.after.project}/{diff.after.stack}: "
        f"{bounded_signed(diff.delta, diff.delta_bound)} {cur} ({percent(diff)}) · "
        f"{bounded(diff.before.total, diff.before.bound)} → "
        f"{bounded(diff.after.total, diff.after.bound)} {cur}"
    )


def _cell_before(r: ResourceDiff) -> str:
    return "—" if r.before is None else _resource_cost(r.before)


def _cell_after(r: ResourceDiff) -> str:
    return "—" if r.after is None else _resource_cost(r.after)


def _resource_cost(cost: ResourceCost) -> str:
    """A resource's monthly cost cell: ``≥`` when prices are missing, ``≤`` for spot ceilings."""
    if cost.category == "unsupported":
        return "not supported"
    if cost.category == "free":
        return "free"
    if cost.incomplete and not any(line.monthly_cost is not None for line in cost.lines):
        return "price not found"
    return bounded(cost.monthly_cost, cost.bound)


def _ld_label(ld: LineDiff) -> str:
    line = ld.after or ld.before
    assert line is not None
    return _line_name(line)


def _line_delta(ld: LineDiff) -> str:
    if any(line is not None and line.monthly_cost is None for line in (ld.before, ld.after)):
        return "—"
    return signed(ld.delta)


def _line_cell(line: CostLine | None) -> str:
    return "—" if line is None else line_cost(line)


def _shown_lines(r: ResourceDiff) -> list[LineDiff]:
    lines = r.lines()
    return lines if r.change != "changed" else [ld for ld in lines if ld.changed]


def _diff_table(diff: CostDiff) -> RenderableType:
    cur = diff.currency
    table = TextGrid()
    table.add_column("")
    table.add_column("Resource")
    table.add_column(f"Before ({cur})", justify="right")
    table.add_column(f"After ({cur})", justify="right")
    table.add_column(f"Delta ({cur})", justify="right")
    listed = _listed(diff)
    for r in listed:
        op = f", {r.op}" if r.op else ""
        table.add_row(
            _SIGNS[r.change],
            Text(f"{r.name} ({_short_type(r.type)}{op})", style="bold"),
            _cell_before(r),
            _cell_after(r),
            Text(bounded_signed(r.delta, r.delta_bound), style="bold"),
        )
        shown = _shown_lines(r)
        for position, ld in enumerate(shown):
            branch = "└─" if position == len(shown) - 1 else "├─"
            table.add_row(
                "",
                f" {branch} {_ld_label(ld)}",
                _line_cell(ld.before),
                _line_cell(ld.after),
                _line_delta(ld),
            )
    table.add_section()
    table.add_row(
        "",
        Text("Monthly total", style="bold"),
        bounded(diff.before.total, diff.before.bound),
        bounded(diff.after.total, diff.after.bound),
        Text(bounded_signed(diff.delta, diff.delta_bound), style="bold"),
    )
    parts: list[RenderableType] = [Text(_diff_summary(diff)), Text("")]
    parts.append(table if listed else Text("No resource changes its cost."))
    parts += [Text(""), *(Text(t) for t in _diff_footer(diff))]
    return Group(*parts)


def _counts(diff: CostDiff) -> str:
    counts = dict.fromkeys(("added", "removed", "changed", "unchanged"), 0)
    for r in diff.resources:
        counts[r.change] += 1
    return " · ".join(f"{n} {k}" for k, n in counts.items())


def _diff_footer(diff: CostDiff) -> list[str]:
    cur = diff.currency
    out = [
        f"Key: + added, - removed, ~ changed, {USAGE_MARK} usage-based",
        f"Resources: {_counts(diff)}",
        f"Fixed: {money(diff.before.fixed_total)} → {money(diff.after.fixed_total)} "
        f"({signed(diff.fixed_delta)}) · Usage-based {USAGE_MARK}: "
        f"{money(diff.before.usage_total)} → {money(diff.after.usage_total)} "
        f"({signed(diff.usage_delta)}) {cur}",
        f"After: {coverage_text(diff.after.coverage)}",
    ]
    if diff.after.coverage.unsupported:
        out.append(f"Not supported: {_unsupported_text(diff.after.coverage)}")
    unknown = diff.after.coverage.usage_unknown
    if unknown:
        out.append(f"{unknown} usage-based line(s) depend on usage and are not in the totals")
    out.extend(_free_named(diff))
    changed, same = _gap_groups(diff)
    if changed:
        out.append(f"{len(changed)} price(s) not found in what changes, not in the totals:")
        out.extend(f"  {name} › {line.name}: {_why(line)}" for name, line in changed)
    if same:
        count = sum(n for _, _, n in same)
        out.append(f"{count} price gap(s) that did not change, not in the totals:")
        out.extend(f"  {key} ×{n}: {why}" for key, why, n in same)
    out.extend(f"Warning: {w}" for w in diff.after.warnings)
    return out


# ---------------------------------------------------------------------------------------------
# Markdown


def md_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: Estimate | CostDiff | MultiDiff, *, diagram: str | None = None) -> str:
    """Markdown for a pull-request comment: summary line first, a table, then ``<details>``.
    A diff (and a report of several stacks) starts with its hidden :func:`comment_marker`;
    ``diagram`` (Mermaid source) ends it in a ``mermaid`` block, as ``askc preview diff`` does."""
    if isinstance(result, MultiDiff):
        from ask_components.cost import report

        text = report.render_markdown(result)
    elif isinstance(result, CostDiff):
        text = _diff_markdown(result)
    else:
        text = _estimate_markdown(result)
    if diagram is None:
        return text
    from ask_components.diagram.mermaid import fenced  # only with --with-diagram

    return "\n".join([text.rstrip("\n"), "", *fenced(diagram)]) + "\n"


def _estimate_markdown(estimate: Estimate) -> str:
    cur = estimate.currency
    out = [
        f"**Monthly cost: {bounded(estimate.total, estimate.bound)} {cur}** (fixed "
        f"{bounded(estimate.fixed_total, estimate.fixed_bound)} + usage-based "
        f"{bounded(estimate.usage_total, estimate.usage_bound)}) · "
        f"`{estimate.project}/{estimate.stack}`{_bound_note(estimate.bound)}",
        "",
        "| Resource | Type | Monthly cost |",
        "|---|---|---:|",
    ]
    for r in estimate.resources:
        if r.category == "priced":
            out.append(f"| `{md_text(r.name)}` | {md_text(r.type)} | {_resource_cost(r)} |")
    out.append(f"| **Total** | | **{bounded(estimate.total, estimate.bound)}** |")
    out += ["", f"{coverage_text(estimate.coverage)}. {_usage_sentence(estimate.coverage)}", ""]
    out += ["<details><summary>Cost details</summary>", ""]
    out += _details_lines(r for r in estimate.resources if r.category == "priced")
    out += _md_notes(estimate, estimate.resources, estimate.warnings)
    out += ["</details>", ""]
    return "\n".join(out)


def _md_gaps(title: str, gaps: list[tuple[str, CostLine]]) -> list[str]:
    """A Markdown list of price gaps (resource › line: why) under ``title``; nothing if none."""
    if not gaps:
        return []
    items = [
        f"- `{md_text(name)}` › {md_text(line.name)}: {md_text(_why(line))}" for name, line in gaps
    ]
    return [title, *items, ""]


def _bound_note(bound: Bound) -> str:
    """What a bound mark in a headline means, for Markdown readers."""
    if bound.may_be_higher:
        return " · ≥: a price was not found, the real cost is higher"
    if bound.may_be_lower:
        return " · ≤: spot pods at on-demand prices, the real cost is lower"
    return ""


def _usage_sentence(coverage: Coverage) -> str:
    if not coverage.usage_unknown:
        return "Usage-based costs come from the usage file."
    return (
        f"{coverage.usage_unknown} usage-based line(s) depend on usage and are not in the totals."
    )


def _details_lines(resources: Iterable[ResourceCost]) -> list[str]:
    out: list[str] = []
    for r in resources:
        out += [
            f"**`{md_text(r.name)}`** ({md_text(r.type)}, {r.region})",
            "",
            "| Line | Monthly qty | Unit | Unit price | Monthly cost | Note |",
            "|---|---:|---|---:|---:|---|",
        ]
        out += [
            f"| {md_text(_line_name(line))} | {_qty(line)} | {line.unit} | {_price(line)} | "
            f"{line_cost(line)} | {md_text(line.note)} |"
            for line in r.lines
        ]
        out.append("")
    return out


def _md_notes(
    estimate: Estimate,
    resources: Iterable[ResourceCost],
    warnings: Iterable[str],
    *,
    gaps: bool = True,
) -> list[str]:
    cov = estimate.coverage
    out = [
        f"Prices: {estimate.site} site ({estimate.currency}), {estimate.price_book}; "
        f"usage file: {estimate.usage_file or 'none'}; 730 hours a month. "
        f"Lines marked {USAGE_MARK} are usage-based.",
        "",
    ]
    if cov.unsupported:
        out += [f"Not supported: {md_text(_unsupported_text(cov))}", ""]
    resources = list(resources)
    out += _md_gaps("Prices not found (not in the totals):", _not_found(resources) if gaps else [])
    if any(r.upper_bound for r in resources):
        out += ["≤: spot pods priced at on-demand, an upper bound.", ""]
    if any(r.incomplete for r in resources):
        out += ["≥: a price was not found, the cost shown is a lower bound.", ""]
    for warning in warnings:
        out.append(f"- ⚠️ {md_text(warning)}")
    if warnings:
        out.append("")
    return out


def _diff_markdown(diff: CostDiff) -> str:
    cur = diff.currency
    if diff.delta > 0:
        headline = (
            f"📈 **Monthly cost will increase by {diff.delta_bound.words}{money(diff.delta)} "
            f"{cur} ({percent(diff)})**"
        )
    elif diff.delta < 0:
        headline = (
            f"📉 **Monthly cost will decrease by {diff.delta_bound.flipped().words}"
            f"{money(-diff.delta)} {cur} ({percent(diff)})**"
        )
    else:
        headline = (
            f"**Monthly cost will not change** ({bounded_signed(diff.delta, diff.delta_bound)} "
            f"{cur})"
        )
    out = [
        comment_marker(diff.after.project or diff.before.project, diff.after.stack),
        headline,
        "",
        *diff_body(diff),
    ]
    return "\n".join(out)


def _stack_state(diff: CostDiff) -> str:
    if diff.stack_change == "added":
        return f" · new stack (no stack file at {diff.baseline or 'the baseline'})"
    if diff.stack_change == "removed":
        return " · stack removed (no stack file after the change)"
    return ""


def diff_body(diff: CostDiff) -> list[str]:
    """A diff's Markdown after its headline (also a section of a multi-stack report)."""
    cur = diff.currency
    out = [
        f"`{diff.after.project}/{diff.after.stack}`: "
        f"{bounded(diff.before.total, diff.before.bound)} → "
        f"{bounded(diff.after.total, diff.after.bound)} {cur} a month · fixed "
        f"{signed(diff.fixed_delta)}, usage-based {signed(diff.usage_delta)}"
        f"{_bound_note(diff.before.bound | diff.after.bound)}{_stack_state(diff)}",
        "",
    ]
    listed = _listed(diff)
    if listed:
        out += ["| | Resource | Type | Before | After | Delta |", "|---|---|---|---:|---:|---:|"]
        for r in listed:
            op = f" ({r.op})" if r.op else ""
            out.append(
                f"| {md_text(_SIGNS[r.change])} | `{md_text(r.name)}`{op} | {md_text(r.type)} | "
                f"{_cell_before(r)} | {_cell_after(r)} | "
                f"{bounded_signed(r.delta, r.delta_bound)} |"
            )
        out.append(
            f"| | **Total** | | {bounded(diff.before.total, diff.before.bound)} | "
            f"{bounded(diff.after.total, diff.after.bound)} | "
            f"**{bounded_signed(diff.delta, diff.delta_bound)}** |"
        )
    else:
        out.append("No resource changes its cost.")
    free = _free_named(diff)
    if free:
        out += ["", *(f"{md_text(sentence)}  " for sentence in free)]
    out += ["", f"{coverage_text(diff.after.coverage)}. {_usage_sentence(diff.after.coverage)}", ""]
    out += ["<details><summary>Cost details</summary>", "", f"Resources: {_counts(diff)}", ""]
    for r in listed:
        shown = _shown_lines(r)
        if not shown:
            continue
        out += [
            f"**{md_text(_SIGNS[r.change])} `{md_text(r.name)}`** ({md_text(r.type)})",
            "",
            "| Line | Before | After | Delta |",
            "|---|---:|---:|---:|",
        ]
        out += [
            f"| {md_text(_ld_label(ld))} | {_line_cell(ld.before)} | "
            f"{_line_cell(ld.after)} | {_line_delta(ld)} |"
            for ld in shown
        ]
        out.append("")
    changed, same = _gap_groups(diff)
    out += _md_gaps("Prices not found in what changes (not in the totals):", changed)
    if same:
        count = sum(n for _, _, n in same)
        out += [
            f"<details><summary>{count} price gap(s) that did not change</summary>",
            "",
            *(f"- `{md_text(key)}` ×{n}: {md_text(why)}" for key, why, n in same),
            "",
            "</details>",
            "",
        ]
    warnings = list(diff.after.warnings)
    out += _md_notes(diff.after, diff.after.resources, warnings, gaps=False)
    out += ["</details>", ""]
    return out


# ---------------------------------------------------------------------------------------------
# JSON


def amount_json(name: str, value: Decimal) -> dict[str, str]:
    return {name: str(round_money(value)), f"{name}Raw": plain(value)}


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _line_json(line: CostLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "unit": line.unit,
        "monthlyQuantity": _opt(line.quantity),
        "unitPrice": _opt(line.unit_price),
        "monthlyCost": None if line.monthly_cost is None else str(round_money(line.monthly_cost)),
        "monthlyCostRaw": _opt(line.monthly_cost),
        "usageBased": line.usage_based,
        "status": line.status,
        "upperBound": line.upper_bound,
        "priceKey": line.price_key,
        "note": line.note,
    }


def bound_json(bound: Bound, prefix: str = "") -> dict[str, bool]:
    """``lowerBound`` (the real amount may be higher) and ``upperBound`` (may be lower)."""
    lower, upper = (
        ("lowerBound", "upperBound")
        if not prefix
        else (
            f"{prefix}LowerBound",
            f"{prefix}UpperBound",
        )
    )
    return {lower: bound.may_be_higher, upper: bound.may_be_lower}


def _totals_json(estimate: Estimate) -> dict[str, Any]:
    """The totals; ``lowerBound``/``upperBound`` are those of ``monthlyCost``."""
    return {
        **amount_json("monthlyCost", estimate.total),
        **bound_json(estimate.bound),
        **amount_json("fixedCost", estimate.fixed_total),
        **bound_json(estimate.fixed_bound, "fixedCost"),
        **amount_json("usageCost", estimate.usage_total),
        **bound_json(estimate.usage_bound, "usageCost"),
    }


def _coverage_json(coverage: Coverage) -> dict[str, Any]:
    return {
        "total": coverage.total,
        "estimated": coverage.estimated,
        "free": coverage.free,
        "unsupported": coverage.unsupported,
        "unsupportedTypes": dict(coverage.unsupported_types),
        "pricesNotFound": coverage.prices_not_found,
        "usageUnknown": coverage.usage_unknown,
    }


def _resource_json(cost: ResourceCost) -> dict[str, Any]:
    return {
        "urn": cost.urn,
        "name": cost.name,
        "type": cost.type,
        "category": cost.category,
        "kind": cost.kind,
        "region": cost.region,
        **amount_json("monthlyCost", cost.monthly_cost),
        **amount_json("fixedCost", cost.fixed_cost),
        **amount_json("usageCost", cost.usage_cost),
        "lowerBound": cost.bound.may_be_higher,
        "upperBound": cost.upper_bound,
        "incomplete": cost.incomplete,
        "lines": [_line_json(line) for line in cost.lines],
    }


def _estimate_json(estimate: Estimate) -> dict[str, Any]:
    return {
        "formatVersion": JSON_FORMAT_VERSION,
        "kind": "estimate",
        "project": estimate.project,
        "stack": estimate.stack,
        "region": estimate.region,
        "site": estimate.site,
        "currency": estimate.currency,
        "priceBook": estimate.price_book,
        "usageFile": estimate.usage_file,
        "hoursPerMonth": 730,
        **_totals_json(estimate),
        "coverage": _coverage_json(estimate.coverage),
        "resources": [_resource_json(r) for r in estimate.resources],
        "warnings": list(estimate.warnings),
    }


def diff_json(diff: CostDiff) -> dict[str, Any]:
    pct = diff.percent
    return {
        "formatVersion": JSON_FORMAT_VERSION,
        "kind": "diff",
        "project": diff.after.project or diff.before.project,
        "stack": diff.after.stack,
        "stackChange": diff.stack_change or None,
        "baseline": diff.baseline,
        "region": diff.after.region,
        "site": diff.after.site,
        "currency": diff.currency,
        "priceBook": diff.after.price_book,
        "usageFile": diff.after.usage_file,
        "hoursPerMonth": 730,
        "before": _totals_json(diff.before),
        "after": _totals_json(diff.after),
        "delta": {
            **amount_json("monthlyCost", diff.delta),
            **bound_json(diff.delta_bound),
            **amount_json("fixedCost", diff.fixed_delta),
            **amount_json("usageCost", diff.usage_delta),
        },
        "percentChange": None if pct is None else str(round_money(pct)),
        "percentChangeRaw": None if pct is None else plain(pct),
        **bound_json(diff.percent_bound, "percentChange"),
        "new": diff.is_new,
        "coverageBefore": _coverage_json(diff.before.coverage),
        "coverageAfter": _coverage_json(diff.after.coverage),
        "resources": [_resource_diff_json(r) for r in diff.resources],
        "warnings": list(diff.after.warnings),
    }


def _resource_diff_json(r: ResourceDiff) -> dict[str, Any]:
    after = None if r.after is None else _resource_json(r.after)
    # An unchanged resource is the same on both sides: one dict, shown twice.
    same = r.change == "unchanged" and r.before == r.after
    before = after if same else None if r.before is None else _resource_json(r.before)
    return {
        "urn": r.urn,
        "name": r.name,
        "type": r.type,
        "change": r.change,
        "op": r.op,
        **amount_json("delta", r.delta),
        **bound_json(r.delta_bound, "delta"),
        "before": before,
        "after": after,
    }


# ASCII output: the C encoder is twice as fast with it (non-ASCII characters become \\u escapes).
_ENCODE = json.JSONEncoder(ensure_ascii=True).encode


COMPACT_DEPTH = 2
"""From this depth on, JSON values are written on one line: the document's keys and each entry
of ``resources`` (or ``stacks``, ``totals``…) get a line of their own."""


def _encode_compact(value: Any) -> str:
    """One value on one line. A resource of a diff whose ``before`` and ``after`` are the same
    dict (unchanged) has that dict encoded once: it is two thirds of a large diff's JSON."""
    if isinstance(value, dict) and list(value)[-2:] == ["before", "after"]:
        side = value["after"]
        if side is not None and value["before"] is side:
            head = _ENCODE({k: v for k, v in value.items() if k not in ("before", "after")})
            encoded = _ENCODE(side)
            return f'{head[:-1]}, "before": {encoded}, "after": {encoded}}}'
    return _ENCODE(value)


def pretty_json(value: Any, indent: str = "", depth: int = 0) -> str:
    """JSON with the first :data:`COMPACT_DEPTH` levels indented by two spaces and everything
    deeper on one line (one resource per line).

    Why not ``json.dumps(indent=2)``: with ``indent`` Python's encoder runs in pure Python, which
    took longer than pricing the 10,000 resources it shows (benchmarks/cost_scale.py); the
    one-line parts go through the C encoder.
    """
    if depth >= COMPACT_DEPTH or not isinstance(value, dict | list) or not value:
        return _encode_compact(value)
    inner = indent + "  "
    if isinstance(value, dict):
        body = ",\n".join(
            f"{inner}{encode_basestring(key)}: {pretty_json(item, inner, depth + 1)}"
            for key, item in value.items()
        )
        return "{\n" + body + "\n" + indent + "}"
    body = ",\n".join(inner + pretty_json(item, inner, depth + 1) for item in value)
    return "[\n" + body + "\n" + indent + "]"


def render_json(result: Estimate | CostDiff | MultiDiff) -> str:
    """JSON with money as strings (2 decimals, plus ``...Raw`` unrounded) in a stable order."""
    if isinstance(result, MultiDiff):
        from ask_components.cost import report

        data = report.report_json(result)
    elif isinstance(result, CostDiff):
        data = diff_json(result)
    else:
        data = _estimate_json(result)
    return pretty_json(data) + "\n"


__all__ = [
    "JSON_FORMAT_VERSION",
    "money",
    "percent",
    "render_json",
    "render_markdown",
    "render_table",
    "signed",
]
