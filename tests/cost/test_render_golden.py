"""Golden files of the three renderers. Rewrite them with ``UPDATE_GOLDEN=1 pytest tests/cost``."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from ask_components.cost.catalog import load_price_book
from ask_components.cost.diff import CostDiff, diff
from ask_components.cost.estimate import Estimate, estimate
from ask_components.cost.render import money, percent, render_json, render_markdown, render_table
from ask_components.cost.sources import read_preview_json
from ask_components.cost.usage import load_usage
from tests.cost.conftest import FIXTURES, HERE, deployment, graph

GOLDEN = HERE / "golden"


def _inputs() -> tuple[Estimate, CostDiff]:
    sides = read_preview_json(FIXTURES / "preview-prod.json")
    book = load_price_book("international", FIXTURES / "prices-intl.yaml")
    usage = load_usage(FIXTURES / "usage-prod.yaml")
    # Paths in the output are relative, so the golden files do not depend on the checkout.
    usage = type(usage)(usage.type_defaults, usage.resources, "usage-prod.yaml")
    book = type(book)(
        book.site, book.currency, book.region_groups, book.prices, "built-in + prices-intl.yaml"
    )
    kwargs = {"region": "cn-hangzhou", "usage": usage, "price_book": book}
    before = estimate(sides.before, **kwargs)  # type: ignore[arg-type]
    after = estimate(sides.after, **kwargs)  # type: ignore[arg-type]
    return after, diff(before, after, ops={s.urn: s.op for s in sides.steps})


def table_text(result: Estimate | CostDiff) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=120, color_system=None, force_terminal=False).print(
        render_table(result)
    )
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"{path} is missing: run UPDATE_GOLDEN=1 pytest tests/cost")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "render"),
    [("table.txt", table_text), ("md", render_markdown), ("json", render_json)],
)
@pytest.mark.parametrize("kind", ["estimate", "diff"])
def test_golden(kind: str, name: str, render: object) -> None:
    estimate_result, diff_result = _inputs()
    result = estimate_result if kind == "estimate" else diff_result
    check(f"{kind}.{name}", render(result))  # type: ignore[operator]


def test_json_money_is_strings_with_two_decimals_and_raw() -> None:
    _, result = _inputs()
    data = json.loads(render_json(result))
    assert list(data)[:4] == ["formatVersion", "kind", "project", "stack"]
    # web 2 → 4 pods: +2 × (0.02772 + 2 × 0.003456) × 730 = +50.56272; alb Basic → Standard:
    # +10.22 (LCU 1000 × 0.0056 = 5.60 on both sides); nat: 0.034 × 730 = 24.82 + 1 CU × 730 ×
    # 0.034 = 24.82; old-zone: −0.015 × 730 / 24 = −0.45625. Total +109.96647.
    assert data["delta"]["monthlyCost"] == "109.97"
    assert data["delta"]["monthlyCostRaw"] == "109.96647"
    # before: 50.56272 + 5.11 + 5.6 + 0.45625 = 61.72897
    assert data["before"]["monthlyCostRaw"] == "61.72897"
    assert isinstance(data["percentChange"], str)
    web = next(r for r in data["resources"] if r["name"] == "web")
    assert web["after"]["lines"][0]["unitPrice"] == "0.02772"


def test_markdown_starts_with_the_delta() -> None:
    _, result = _inputs()
    first = render_markdown(result).splitlines()[1]
    assert first == "📈 **Monthly cost will increase by 109.97 USD (+178.14%)**"


def test_percent_of_a_new_stack_says_new() -> None:
    empty = estimate(graph(), region="cn-hangzhou")
    result = diff(empty, estimate(graph(deployment()), region="cn-hangzhou"))
    assert percent(result) == "new"
    assert "(new)" in render_markdown(result).splitlines()[1]
    assert json.loads(render_json(result))["new"] is True


def test_money_rounds_half_up_only_at_display() -> None:
    from decimal import Decimal

    assert money(Decimal("0.005")) == "0.01"
    assert money(Decimal("2.675")) == "2.68"
    assert money(Decimal("1234567.004999")) == "1,234,567.00"


def test_goldens_are_committed() -> None:
    names = sorted(p.name for p in Path(GOLDEN).iterdir())
    assert names == sorted(
        f"{k}.{n}" for k in ("estimate", "diff") for n in ("table.txt", "md", "json")
    )
