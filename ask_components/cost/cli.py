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
import os
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, cast

import typer

from ask_components.clikit import GuardedGroup, ProjectDirOption, console, handle_errors
from ask_components.cost.catalog import SITES, PriceBook, Site, load_price_book, site_for_region
from ask_components.cost.comment import BEHAVIORS, Behavior, GitHub, GitLab, Outcome, post_comment
from ask_components.cost.diff import CostDiff, MultiDiff, StackChange, diff
from ask_components.cost.estimate import Estimate, estimate
from ask_components.cost.render import money, render_json, render_markdown, render_table, signed
from ask_components.cost.sources import PreviewSides, read_preview_json, read_state, region_of
from ask_components.cost.stack import (
    PricingSettings,
    empty_graph,
    offline_preview,
    preview_at_ref,
    previews_at_ref,
    pricing_settings,
    project_stacks,
    stack_config_dir,
    stack_settings,
)
from ask_components.cost.usage import NO_USAGE, Usage, load_usage
from ask_components.errors import CostGateError, InputError
from ask_components.preview.graph import ResourceGraph, restacked
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


def _emit(result: Estimate | CostDiff | MultiDiff, fmt: Format, diagram: str | None = None) -> None:
    if fmt is Format.table:
        console.print(render_table(result))
    elif fmt is Format.markdown:
        sys.stdout.write(render_markdown(result, diagram=diagram))
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


@dataclass(frozen=True)
class PricingOptions:
    """The pricing options of a command line, applied to each stack."""

    region: str | None
    site: str | None
    usage_file: Path | None
    price_book: Path | None


def _has_stack(project_dir: Path, stack: str) -> bool:
    return (stack_config_dir(project_dir) / f"Pulumi.{stack}.yaml").exists()


def _pricing_for(
    project_dir: Path,
    stack: str,
    options: PricingOptions,
    graphs: list[ResourceGraph],
    preferred: list[PricingSettings] | None = None,
) -> Pricing:
    return resolve_pricing(
        project_dir=project_dir,
        stack=stack,
        region=options.region,
        site=options.site,
        usage_file=options.usage_file,
        price_book=options.price_book,
        preferred=preferred or [],
        fallbacks=[PricingSettings(region_of(g), None) for g in graphs],
    )


def _priced_diff(
    before: ResourceGraph,
    after: ResourceGraph,
    pricing: Pricing,
    before_pricing: Pricing | None = None,
    *,
    ops: dict[str, str] | None = None,
    stack_change: StackChange = "",
    baseline: str = "",
) -> CostDiff:
    """Price both graphs (``before`` with ``before_pricing`` when it differs) and compare them."""
    return diff(
        _estimate(before, before_pricing or pricing),
        _estimate(after, pricing),
        ops=ops,
        before_graph=before,
        after_graph=after,
        stack_change=stack_change,
        baseline=baseline,
    )


def _stack_diff(
    project_dir: Path,
    stack: str,
    before: ResourceGraph | None,
    after: ResourceGraph | None,
    options: PricingOptions,
    baseline: str,
    baseline_settings: PricingSettings | None = None,
) -> CostDiff:
    """The diff of one stack whose stack file may exist on one side only (``baseline_settings``:
    its stack file's pricing settings at the baseline, for a stack the change removes)."""
    present = after if after is not None else before
    if present is None:
        raise InputError(
            f"stack {stack!r} has a stack file neither in the working tree nor at {baseline}"
        )
    change: StackChange = "added" if before is None else "removed" if after is None else ""
    before = before if before is not None else empty_graph(present.project, stack)
    after = after if after is not None else empty_graph(present.project, stack)
    pricing = _pricing_for(
        project_dir, stack, options, [after, before], [baseline_settings or PricingSettings()]
    )
    return _priced_diff(before, after, pricing, stack_change=change, baseline=baseline)


def _parse_stacks(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise InputError(f"--stacks: {text!r} names no stack (give e.g. dev,prod)")
    return list(dict.fromkeys(names))


def multi_stack_diff(
    project_dir: Path, stacks: list[str] | None, ref: str, options: PricingOptions
) -> MultiDiff:
    """Every stack (or ``stacks``) of the project, working tree against git ``ref``.

    A stack file only in the working tree is a stack the change adds (every resource added);
    one only at ``ref``, a stack it removes.

    Raises:
        InputError: a listed stack is on neither side, or a preview fails.
    """
    here = project_stacks(project_dir)
    at_ref = previews_at_ref(project_dir, stacks, ref)
    names = sorted(set(here) | set(at_ref.stacks)) if stacks is None else stacks
    if not names:
        raise InputError(f"no stack files (stacks/Pulumi.*.yaml) in {project_dir} or at {ref}")
    diffs: list[CostDiff] = []
    project = ""
    for name in names:
        after = offline_preview(project_dir, name) if name in here else None
        before = at_ref.graphs.get(name)
        settings = at_ref.settings.get(name)
        diffs.append(_stack_diff(project_dir, name, before, after, options, ref, settings))
        project = project or diffs[-1].after.project or diffs[-1].before.project
    return MultiDiff(project, tuple(diffs), ref)


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
            help="Before = the offline preview of the project at this git ref (e.g. origin/main); "
            "a stack with no stack file there is all added.",
        ),
    ] = None,
    baseline_stack: Annotated[
        str | None,
        typer.Option(
            "--baseline-stack",
            help="Before = the offline preview of another stack of the project (prod vs prod-acs).",
        ),
    ] = None,
    all_stacks: Annotated[
        bool,
        typer.Option(
            "--all-stacks",
            help="Every stacks/Pulumi.*.yaml (here or at --baseline-ref): one report.",
        ),
    ] = False,
    stacks: Annotated[
        str | None,
        typer.Option(
            "--stacks", help="These stacks (comma-separated) in one report, like --all-stacks."
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
    with_diagram: Annotated[
        bool,
        typer.Option(
            "--with-diagram",
            help="Markdown: end with a Mermaid diagram of the stack, the changes marked.",
        ),
    ] = False,
) -> None:
    """Monthly cost change: after = the preview (or the working tree), before = a baseline."""
    limit = parse_amount(fail_above)
    if with_diagram and output_format is not Format.markdown:
        raise InputError("--with-diagram goes with --format markdown")
    given = [
        name
        for name, value in (
            ("--baseline", baseline),
            ("--baseline-ref", baseline_ref),
            ("--baseline-stack", baseline_stack),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise InputError(f"give one baseline, not {' and '.join(given)}")
    options = PricingOptions(region, site, usage_file, price_book)
    if all_stacks or stacks is not None:
        if all_stacks and stacks is not None:
            raise InputError("give --all-stacks or --stacks, not both")
        if baseline_ref is None:
            raise InputError("--all-stacks and --stacks compare with a git ref: add --baseline-ref")
        for flag, value in (("--stack", stack), ("--preview-json", preview_json)):
            if value is not None:
                raise InputError(f"{flag} is for one stack; --all-stacks/--stacks take every stack")
        if usage_file is not None:
            raise InputError(
                "--usage-file is for one stack; with several, each stack reads "
                "stacks/usage.<stack>.yaml"
            )
        if with_diagram:
            raise InputError(
                "--with-diagram draws one stack; use askc diagram --stack NAME for each"
            )
        names = _parse_stacks(stacks) if stacks is not None else None
        report = multi_stack_diff(project_dir, names, baseline_ref, options)
        _emit(report, output_format)
        _gate(limit, [(t.delta, t.currency) for t in report.totals()])
        return
    if preview_json is None and not given:
        raise InputError(
            "nothing to compare with: give --preview-json, --baseline, --baseline-ref or "
            "--baseline-stack"
        )
    if baseline_ref is not None and preview_json is None:
        name = stack or DEFAULT_STACK
        after = offline_preview(project_dir, name) if _has_stack(project_dir, name) else None
        at_ref = previews_at_ref(project_dir, [name], baseline_ref)
        result = _stack_diff(
            project_dir,
            name,
            at_ref.graphs.get(name),
            after,
            options,
            baseline_ref,
            at_ref.settings.get(name),
        )
    elif baseline_stack is not None:
        if preview_json is not None:
            raise InputError("--baseline-stack compares two offline previews; drop --preview-json")
        name = stack or DEFAULT_STACK
        after = offline_preview(project_dir, name)
        before = restacked(offline_preview(project_dir, baseline_stack), name)
        before_pricing = _pricing_for(project_dir, baseline_stack, options, [before])
        after_pricing = _pricing_for(project_dir, name, options, [after])
        result = _priced_diff(
            before, after, after_pricing, before_pricing, baseline=f"stack {baseline_stack}"
        )
    else:
        result = _preview_diff(project_dir, stack, preview_json, baseline, baseline_ref, options)
    _emit(result, output_format, _diagram(result) if with_diagram else None)
    _gate(limit, [(result.delta, result.currency)])


def _diagram(result: CostDiff) -> str:
    """The after side drawn with the changed resources marked (a stack the change removes is
    drawn from before, everything marked)."""
    from ask_components.diagram import render_mermaid_with_changes

    graph = result.after_graph
    if graph is None or not graph.resources:
        graph = result.before_graph
    assert graph is not None  # every path of diff_command prices graphs
    return render_mermaid_with_changes(graph, result.changed_urns(), region=result.after.region)


def _preview_diff(
    project_dir: Path,
    stack: str | None,
    preview_json: str | None,
    baseline: str | None,
    baseline_ref: str | None,
    options: PricingOptions,
) -> CostDiff:
    """After = a ``pulumi preview --json`` (its before = the state it ran on) or the working
    tree; before = a state file, or the project at a git ref."""
    preferred: list[PricingSettings] = []
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
    label = "the preview's state"
    if baseline is not None:
        before_graph = read_state(baseline)
        ops = {}
        label = baseline
    elif baseline_ref is not None:
        before_graph = preview_at_ref(project_dir, resolved_stack, baseline_ref) or empty_graph(
            after_graph.project, resolved_stack
        )
        ops = {}
        label = baseline_ref
    assert before_graph is not None
    pricing = _pricing_for(
        project_dir, resolved_stack, options, [after_graph, before_graph], preferred
    )
    return _priced_diff(before_graph, after_graph, pricing, ops=ops, baseline=label)


def _gate(limit: Decimal | None, deltas: list[tuple[Decimal, str]]) -> None:
    """``--fail-above``: exit 3 when a monthly increase (per currency) is above the limit."""
    if limit is None:
        return
    for delta, currency in deltas:
        if delta > limit:
            raise CostGateError(
                f"the monthly cost increase {signed(delta)} {currency} is above "
                f"--fail-above {money(limit)}"
            )


def _group(name: str, help_text: str) -> typer.Typer:
    """A command group under ``askc cost`` (``comment``, ``prices``)."""
    group = typer.Typer(
        name=name,
        help=help_text,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.add_typer(group, name=name)
    return group


comment_app = _group(
    "comment", "Post `askc cost diff --format markdown` as a pull-request comment (GitHub, GitLab)."
)

BodyOpt = Annotated[
    str,
    typer.Option("--path", help="The Markdown to post (askc cost diff --format markdown), or -."),
]
BehaviorOpt = Annotated[
    str,
    typer.Option(
        "--behavior",
        help="update: edit the earlier comment (or post one); new: always post; hide-and-new: "
        "hide the earlier ones, then post.",
    ),
]


def _body(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--path {path}: cannot read it: {exc}") from None


def _behavior(value: str) -> Behavior:
    if value not in BEHAVIORS:
        raise InputError(f"--behavior: {value!r} is not allowed; use {', '.join(BEHAVIORS)}")
    return cast(Behavior, value)


def _token(names: tuple[str, ...], platform: str) -> str:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    raise InputError(f"{platform}: no token: set {' or '.join(names)} in the environment")


def _number(value: str | None, flag: str, env: str) -> int:
    text = value if value is not None else os.environ.get(env, "")
    if not text.strip().isdigit() or int(text) <= 0:
        shown = repr(text) if text else "nothing"
        raise InputError(f"{flag}: expected a positive number (or ${env}), got {shown}")
    return int(text)


def _report(outcome: Outcome, platform: str) -> None:
    hidden = f", {outcome.hidden} earlier comment(s) hidden" if outcome.hidden else ""
    sys.stdout.write(f"{platform}: {outcome.action} comment {outcome.comment_id}{hidden}\n")


@comment_app.command("github")
@handle_errors
def comment_github(
    path: BodyOpt,
    repo: Annotated[
        str | None, typer.Option("--repo", help="owner/name (default: $GITHUB_REPOSITORY).")
    ] = None,
    pull_request: Annotated[
        str | None,
        typer.Option("--pull-request", help="The pull request number (default: $PR_NUMBER)."),
    ] = None,
    behavior: BehaviorOpt = "update",
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url", help="REST API root (default: $GITHUB_API_URL or api.github.com)."
        ),
    ] = None,
) -> None:
    """Post or update the cost comment of a GitHub pull request ($GITHUB_TOKEN or $GH_TOKEN)."""
    chosen = _behavior(behavior)
    body = _body(path)
    name = repo or os.environ.get("GITHUB_REPOSITORY", "")
    if name.count("/") != 1 or not all(name.split("/")):
        raise InputError(f"--repo: expected owner/name (or $GITHUB_REPOSITORY), got {name!r}")
    number = _number(pull_request, "--pull-request", "PR_NUMBER")
    api = api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    token = _token(("GITHUB_TOKEN", "GH_TOKEN"), "GitHub")
    _report(post_comment(GitHub(api, token, name, number), body, chosen), "GitHub")


@comment_app.command("gitlab")
@handle_errors
def comment_gitlab(
    path: BodyOpt,
    repo: Annotated[
        str | None,
        typer.Option("--repo", help="Project id or path (default: $CI_PROJECT_ID)."),
    ] = None,
    merge_request: Annotated[
        str | None,
        typer.Option(
            "--merge-request", help="The merge request IID (default: $CI_MERGE_REQUEST_IID)."
        ),
    ] = None,
    behavior: BehaviorOpt = "update",
    api_url: Annotated[
        str | None,
        typer.Option("--api-url", help="API root (default: $CI_API_V4_URL or gitlab.com/api/v4)."),
    ] = None,
) -> None:
    """Post or update the cost note of a GitLab merge request ($GITLAB_TOKEN)."""
    chosen = _behavior(behavior)
    body = _body(path)
    project = repo or os.environ.get("CI_PROJECT_ID", "")
    if not project.strip():
        raise InputError("--repo: give the project id or path (or set $CI_PROJECT_ID)")
    number = _number(merge_request, "--merge-request", "CI_MERGE_REQUEST_IID")
    api = api_url or os.environ.get("CI_API_V4_URL") or "https://gitlab.com/api/v4"
    token = _token(("GITLAB_TOKEN",), "GitLab")
    _report(post_comment(GitLab(api, token, project, number), body, chosen), "GitLab")


prices_app = _group("prices", "Live price books from Alibaba's price APIs (needs credentials).")


@prices_app.command("fetch")
@handle_errors
def prices_fetch(
    region: Annotated[str, typer.Option("--region", help="Region to price (cn-hangzhou, ...).")],
    out: Annotated[
        Path,
        typer.Option("--out", help="The price book to write (for --price-book).", dir_okay=False),
    ],
    site: Annotated[
        str | None,
        typer.Option(
            "--site", help="china or international: the account's site (default: by region)."
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="Another API endpoint (tests, VPC).", hidden=True),
    ] = None,
) -> None:
    """Fetch the region's ECI prices (DescribeContainerGroupPrice) into a price book."""
    from ask_components.cost.prices import eci_caller, fetch_price_book, write_price_book

    if not region.strip():
        raise InputError("--region: give a region id such as cn-hangzhou")
    if site is not None and site not in SITES:
        raise InputError(f"--site: {site!r} is not allowed; use {' or '.join(SITES)}")
    chosen: Site = site_for_region(region)
    if site == "china" or site == "international":
        chosen = site
    book = fetch_price_book(region, chosen, eci_caller(region, endpoint))
    write_price_book(book, out)
    keys = ", ".join(book["prices"])
    sys.stdout.write(f"wrote {out}: {keys} for {region} ({chosen} site, {book['currency']})\n")


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
