"""``askc cost``: the monthly cost of a stack (the callback), ``diff`` and ``usage-template``.

The main ``askc`` app mounts :data:`app` as ``cost``::

    askc cost --stack dev                                  # breakdown of the offline preview
    askc cost diff --stack prod --baseline-ref origin/main --format markdown --fail-above 100
    askc cost diff --preview-json preview.json             # pulumi preview --json output
    askc cost usage-template --stack prod > stacks/usage.prod.yaml

Errors of the project (``AskError``) print ``Error: <message>`` on stderr and exit with their
code (2 for bad input or config, 3 when ``--fail-above`` is exceeded), without a traceback.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from ask_components.clikit import GuardedGroup, ProjectDirOption, console, handle_errors
from ask_components.cost.catalog import SITES, PriceBook, Site, load_price_book, site_for_region
from ask_components.cost.diff import CostDiff, diff
from ask_components.cost.estimate import Estimate, estimate
from ask_components.cost.render import money, render_json, render_markdown, render_table, signed
from ask_components.cost.sources import PreviewSides, read_preview_json, read_state, region_of
from ask_components.cost.stack import (
    PricingSettings,
    offline_preview,
    preview_at_ref,
    pricing_settings,
    stack_config_dir,
    stack_settings,
)
from ask_components.cost.usage import NO_USAGE, Usage, load_usage
from ask_components.errors import CostGateError, InputError
from ask_components.preview.graph import ResourceGraph
from ask_components.preview.project import validate_stack_name
from ask_components.regions import region_problem

DEFAULT_STACK = "dev"

app = typer.Typer(
    cls=GuardedGroup,
    name="cost",
    help="Monthly cost of a stack (breakdown), of a change (diff), and the usage file template.",
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(enum.StrEnum):
    """Output formats."""

    table = "table"
    markdown = "markdown"
    json = "json"


StackOpt = Annotated[
    str | None,
    typer.Option(
        "--stack", "-s", help="Stack name: reads stacks/Pulumi.<stack>.yaml (default: dev)."
    ),
]
PreviewJsonOpt = Annotated[
    str | None,
    typer.Option("--preview-json", help="`pulumi preview --json` output file, or - for stdin."),
]
UsageOpt = Annotated[
    Path | None,
    typer.Option(
        "--usage-file",
        help="Usage file (default: stacks/usage.<stack>.yaml if present).",
        dir_okay=False,
    ),
]
PriceBookOpt = Annotated[
    Path | None,
    typer.Option(
        "--price-book", help="Your price overrides, merged over the built-in book.", dir_okay=False
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="Region to price in (default: alicloud:region).")
]
SiteOpt = Annotated[
    str | None,
    typer.Option(
        "--site", help="china or international (default: ask:pricing.site, else by region)."
    ),
]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--state", help="Price a deployed state: stack export or checkpoint file, or s3://…"
    ),
]


@dataclass(frozen=True)
class Pricing:
    """Everything an estimate needs besides the graph."""

    region: str
    site: Site
    usage: Usage
    book: PriceBook


def _settings(project_dir: Path, stack: str) -> PricingSettings:
    """The stack config's pricing settings, when the project has a config file for the stack."""
    if not (stack_config_dir(project_dir) / f"Pulumi.{stack}.yaml").exists():
        return PricingSettings()
    return stack_settings(project_dir, stack)


def resolve_pricing(
    *,
    project_dir: Path,
    stack: str,
    region: str | None,
    site: str | None,
    usage_file: Path | None,
    price_book: Path | None,
    preferred: list[PricingSettings],
    fallbacks: list[PricingSettings],
) -> Pricing:
    """Region, site, usage and prices: options first, then ``preferred`` (the config a
    ``pulumi preview --json`` ran with), then the stack config, then ``fallbacks`` (regions of
    the graphs' alicloud providers).

    Raises:
        InputError: no region can be found, or a bad --site, usage file or price book.
    """
    validate_stack_name(stack)  # it names usage.<stack>.yaml: never a path
    candidates = [
        PricingSettings(region, None),
        *preferred,
        _settings(project_dir, stack),
        *fallbacks,
    ]
    found_region = next((c.region for c in candidates if c.region), None)
    if found_region is None:
        raise InputError(
            "cannot tell which region to price in: set alicloud:region in the stack "
            "config or pass --region"
        )
    problem = region_problem(found_region)
    if problem is not None:  # priced anyway, every price would be "not found": a lower bound
        where = "--region" if region else "the region to price in (alicloud:region)"
        raise InputError(f"{where}: {problem}")
    if site is not None and site not in SITES:
        raise InputError(f"--site: {site!r} is not allowed; use {' or '.join(SITES)}")
    found_site: Site = site_for_region(found_region)
    if site == "china" or site == "international":
        found_site = site
    else:
        found_site = next((c.site for c in candidates if c.site), found_site)
    if usage_file is None:
        default = stack_config_dir(project_dir) / f"usage.{stack}.yaml"
        usage = load_usage(default) if default.exists() else NO_USAGE
    else:
        usage = load_usage(usage_file)
    return Pricing(found_region, found_site, usage, load_price_book(found_site, price_book))


def _estimate(graph: ResourceGraph, pricing: Pricing) -> Estimate:
    return estimate(
        graph,
        region=pricing.region,
        site=pricing.site,
        usage=pricing.usage,
        price_book=pricing.book,
    )


def _emit(result: Estimate | CostDiff, fmt: Format) -> None:
    if fmt is Format.table:
        console.print(render_table(result))
    elif fmt is Format.markdown:
        sys.stdout.write(render_markdown(result))
    else:
        sys.stdout.write(render_json(result))
    sys.stdout.flush()


def parse_amount(text: str | None) -> Decimal | None:
    """``--fail-above`` as a Decimal ≥ 0.

    Raises:
        InputError: not a plain non-negative number.
    """
    if text is None:
        return None
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise InputError(
            f"--fail-above: {text!r} is not an amount >= 0 (e.g. 100 or 12.50, in "
            "the stack's currency)"
        )
    return amount


def _preview(source: str) -> PreviewSides:
    return read_preview_json(source)


@app.callback(invoke_without_command=True)
@handle_errors
def breakdown(
    ctx: typer.Context,
    stack: StackOpt = None,
    project_dir: ProjectDirOption = Path("."),
    preview_json: PreviewJsonOpt = None,
    state: StateOpt = None,
    usage_file: UsageOpt = None,
    price_book: PriceBookOpt = None,
    region: RegionOpt = None,
    site: SiteOpt = None,
    output_format: FormatOpt = Format.table,
) -> None:
    """Monthly cost of a stack: its offline preview, a `pulumi preview --json`, or a state."""
    if ctx.invoked_subcommand is not None:
        return
    if preview_json is not None and state is not None:
        raise InputError("give --preview-json or --state, not both")
    preferred: list[PricingSettings] = []
    fallbacks: list[PricingSettings] = []
    if preview_json is not None:
        sides = _preview(preview_json)
        graph = sides.after
        preferred.append(pricing_settings(sides.config))
    elif state is not None:
        graph = read_state(state)
    else:
        graph = offline_preview(project_dir, stack or DEFAULT_STACK)
    fallbacks.append(PricingSettings(region_of(graph), None))
    pricing = resolve_pricing(
        project_dir=project_dir,
        stack=stack or graph.stack or DEFAULT_STACK,
        region=region,
        site=site,
        usage_file=usage_file,
        price_book=price_book,
        preferred=preferred,
        fallbacks=fallbacks,
    )
    _emit(_estimate(graph, pricing), output_format)


@app.command("diff")
@handle_errors
def diff_command(
    stack: StackOpt = None,
    project_dir: ProjectDirOption = Path("."),
    preview_json: PreviewJsonOpt = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="Before = a deployed state: stack export or checkpoint "
            "file, or s3://… checkpoint URL.",
        ),
    ] = None,
    baseline_ref: Annotated[
        str | None,
        typer.Option(
            "--baseline-ref",
            help="Before = the offline preview of the project at this git ref (e.g. origin/main).",
        ),
    ] = None,
    usage_file: UsageOpt = None,
    price_book: PriceBookOpt = None,
    region: RegionOpt = None,
    site: SiteOpt = None,
    output_format: FormatOpt = Format.table,
    fail_above: Annotated[
        str | None,
        typer.Option(
            "--fail-above",
            help="Exit 3 when the monthly increase is above this amount (stack currency).",
        ),
    ] = None,
) -> None:
    """Monthly cost change: after = the preview (or the working tree), before = a baseline."""
    limit = parse_amount(fail_above)
    if baseline is not None and baseline_ref is not None:
        raise InputError("give --baseline or --baseline-ref, not both")
    if preview_json is None and baseline is None and baseline_ref is None:
        raise InputError(
            "nothing to compare with: give --preview-json, --baseline or --baseline-ref"
        )
    preferred: list[PricingSettings] = []
    fallbacks: list[PricingSettings] = []
    ops: dict[str, str] = {}
    before_graph: ResourceGraph | None = None
    if preview_json is not None:
        sides = _preview(preview_json)
        after_graph = sides.after
        before_graph = sides.before
        ops = {step.urn: step.op for step in sides.steps}
        preferred.append(pricing_settings(sides.config))
    else:
        after_graph = offline_preview(project_dir, stack or DEFAULT_STACK)
    resolved_stack = stack or after_graph.stack or DEFAULT_STACK
    if baseline is not None:
        before_graph = read_state(baseline)
        ops = {}
    elif baseline_ref is not None:
        before_graph = preview_at_ref(project_dir, resolved_stack, baseline_ref)
        ops = {}
    assert before_graph is not None
    fallbacks += [
        PricingSettings(region_of(after_graph), None),
        PricingSettings(region_of(before_graph), None),
    ]
    pricing = resolve_pricing(
        project_dir=project_dir,
        stack=resolved_stack,
        region=region,
        site=site,
        usage_file=usage_file,
        price_book=price_book,
        preferred=preferred,
        fallbacks=fallbacks,
    )
    result = diff(
        _estimate(before_graph, pricing),
        _estimate(after_graph, pricing),
        ops=ops,
        before_graph=before_graph,
        after_graph=after_graph,
    )
    _emit(result, output_format)
    if limit is not None and result.delta > limit:
        raise CostGateError(
            f"the monthly cost increase {signed(result.delta)} "
            f"{result.currency} is above --fail-above {money(limit)}"
        )


@app.command("usage-template")
@handle_errors
def usage_template_command(
    stack: StackOpt = None,
    project_dir: ProjectDirOption = Path("."),
    preview_json: PreviewJsonOpt = None,
    state: StateOpt = None,
) -> None:
    """Print a commented usage file for the stack's priced resources."""
    from ask_components.cost.usage import usage_template

    if preview_json is not None and state is not None:
        raise InputError("give --preview-json or --state, not both")
    if preview_json is not None:
        graph = _preview(preview_json).after
    elif state is not None:
        graph = read_state(state)
    else:
        graph = offline_preview(project_dir, stack or DEFAULT_STACK)
    sys.stdout.write(usage_template(graph))


__all__ = ["Format", "app", "parse_amount", "resolve_pricing"]
