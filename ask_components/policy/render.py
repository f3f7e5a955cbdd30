"""Show a ``PolicyReport``: a rich table for people, Markdown for pull requests, JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ask_components.policy.check import PolicyReport
from ask_components.policy.model import Level, Violation

FORMATS = ("table", "json", "markdown")


def plural(count: int, noun: str) -> str:
    """``1 rule``, ``2 rules``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(report: PolicyReport) -> str:
    """One line: the counts and the verdict."""
    mandatory, advisory = len(report.mandatory), len(report.advisory)
    verdict = "FAILED" if mandatory else "passed"
    waived = f", waived: {', '.join(sorted(report.waived))}" if report.waived else ""
    enabled = sum(1 for level in report.levels.values() if level is not Level.DISABLED)
    return (
        f"policy check {verdict} for stack {report.stack!r}: {mandatory} mandatory, "
        f"{plural(advisory, 'advisory violation')} "
        f"({plural(enabled, 'rule')} over {plural(report.resources, 'resource')}{waived})"
    )


def render_table(report: PolicyReport) -> Group:
    """A table of violations (mandatory first) and the summary line."""
    parts: list[Any] = []
    ordered = report.mandatory + report.advisory
    if ordered:
        table = Table(show_lines=True, title_justify="left", expand=False)
        table.add_column("level")
        table.add_column("rule")
        table.add_column("resource")
        table.add_column("problem")
        table.add_column("fix")
        for violation in ordered:
            style = "bold red" if violation.level is Level.MANDATORY else "yellow"
            label = "error" if violation.level is Level.MANDATORY else "warning"
            table.add_row(
                Text(label, style=style),
                Text(violation.rule),
                Text(f"{violation.resource_type}\n{violation.resource_name}"),
                Text(violation.message),
                Text(violation.fix),
            )
        parts.append(table)
    parts.append(Text(summary(report), style="bold red" if report.mandatory else "green"))
    return Group(*parts)


def to_dict(report: PolicyReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "stack": report.stack,
        "passed": report.passed,
        "mandatory": len(report.mandatory),
        "advisory": len(report.advisory),
        "resources": report.resources,
        "rules": {rule: level.value for rule, level in report.levels.items()},
        "waived": sorted(report.waived),
        "violations": [violation.to_dict() for violation in report.violations],
    }


def render_json(report: PolicyReport) -> str:
    """The report as a JSON document."""
    return json.dumps(to_dict(report), indent=2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(violation: Violation) -> str:
    resource = f"`{_cell(violation.resource_type)}` `{_cell(violation.resource_name)}`"
    return (
        f"| {violation.level.value} | `{violation.rule}` | {resource} "
        f"| {_cell(violation.message)} | {_cell(violation.fix)} |"
    )


def render_markdown(report: PolicyReport) -> str:
    """The report as a Markdown section (for a pull-request comment)."""
    icon = ":x:" if report.mandatory else ":white_check_mark:"
    lines = [f"### {icon} ask-guardrails: stack `{report.stack}`", "", summary(report), ""]
    ordered = report.mandatory + report.advisory
    if ordered:
        lines += [
            "| level | rule | resource | problem | fix |",
            "| --- | --- | --- | --- | --- |",
            *(_row(violation) for violation in ordered),
            "",
        ]
    return "\n".join(lines)


def render_rules(levels: dict[str, Level], output_format: str) -> Any:
    """The rules with their effective levels: a table, JSON or Markdown."""
    from ask_components.policy.catalog import RULES

    if output_format == "json":
        return json.dumps(
            [
                {
                    "id": rule.id,
                    "level": levels[rule.id].value,
                    "default": rule.level.value,
                    "kind": rule.kind,
                    "description": rule.description,
                    "rationale": rule.rationale,
                    "fix": rule.fix,
                    "url": rule.url,
                }
                for rule in RULES
            ],
            indent=2,
        )
    if output_format == "markdown":
        rows = [
            f"| `{rule.id}` | {levels[rule.id].value} | {_cell(rule.description)} | "
            f"{_cell(rule.rationale)} | {rule.url} |"
            for rule in RULES
        ]
        return "\n".join(
            ["| rule | level | demands | why | source |", "| --- | --- | --- | --- | --- |", *rows]
        )
    table = Table(show_lines=True)
    for column in ("rule", "level", "demands", "why", "source"):
        table.add_column(column)
    for rule in RULES:
        table.add_row(
            Text(rule.id),
            Text(levels[rule.id].value),
            Text(rule.description),
            Text(rule.rationale),
            Text(rule.url),
        )
    return table
