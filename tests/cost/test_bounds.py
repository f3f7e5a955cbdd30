"""Honest totals: a price not found makes every total a lower bound (``≥`` / ``lowerBound``)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ask_components.cost.diff import diff
from ask_components.cost.estimate import Estimate
from ask_components.cost.model import Bound
from ask_components.cost.render import percent, render_json, render_markdown
from tests.cost.conftest import deployment, node, run
from tests.cost.test_render_golden import table_text

ALB = "alicloud:alb/loadBalancer:LoadBalancer"


def _singapore(*extra: object) -> Estimate:
    """An ECI pod in ap-southeast-1 (no built-in ECI price) beside a priced ALB."""
    return run(
        (
            deployment("web", 2, cpu="1", memory="2Gi"),
            node(ALB, "alb", {"loadBalancerEdition": "Basic"}),
        ),
        region="ap-southeast-1",
    )


def _hangzhou(replicas: int = 2) -> Estimate:
    return run(
        (deployment("web", replicas, cpu="1", memory="2Gi"),),
        region="cn-hangzhou",
        site="international",
    )


def test_an_unpriced_line_makes_every_total_a_lower_bound() -> None:
    result = _singapore()
    assert result.bound == Bound(may_be_higher=True)
    assert result.fixed_bound == Bound(may_be_higher=True)
    assert result.usage_bound == Bound()  # the usage-based lines have prices
    table = table_text(result)
    # Only the ALB instance fee is priced: 0.007 USD × 730 = 5.11.
    assert "OVERALL TOTAL" in table
    total_row = next(line for line in table.splitlines() if "OVERALL TOTAL" in line)
    assert total_row.split()[-2:] == ["≥", "5.11"]
    assert "Fixed ≥ 5.11 + usage-based 0.00 = ≥ 5.11 USD a month (730 hours)" in table
    markdown = render_markdown(result)
    assert markdown.splitlines()[0] == (
        "**Monthly cost: ≥ 5.11 USD** (fixed ≥ 5.11 + usage-based 0.00) · `p/dev`"
        " · ≥: a price was not found, the real cost is higher"
    )
    assert "| **Total** | | **≥ 5.11** |" in markdown
    data = json.loads(render_json(result))
    assert (data["monthlyCost"], data["lowerBound"], data["upperBound"]) == ("5.11", True, False)
    assert (data["fixedCostLowerBound"], data["usageCostLowerBound"]) == (True, False)
    web = next(r for r in data["resources"] if r["name"] == "web")
    assert (web["lowerBound"], web["monthlyCost"]) == (True, "0.00")


def test_a_fully_priced_stack_is_exact() -> None:
    result = _hangzhou()
    assert result.bound.exact
    data = json.loads(render_json(result))
    assert (data["lowerBound"], data["upperBound"]) == (False, False)
    # 2 pods × (1 vCPU × 0.0000077 + 2 GiB × 0.00000096) USD/s × 3,600 × 730 = 50.56272
    assert render_markdown(result).startswith("**Monthly cost: 50.56 USD** (fixed 50.56 + ")


def test_diff_of_lower_bounds_marks_before_after_and_percentage() -> None:
    before = _singapore()
    after = run(
        (
            deployment("web", 2, cpu="1", memory="2Gi"),
            node(ALB, "alb", {"loadBalancerEdition": "Standard"}),
        ),
        region="ap-southeast-1",
    )
    result = diff(before, after)
    # The unpriced pods did not change: the delta (15.33 - 5.11 = 10.22) is exact, the totals
    # are lower bounds, and the percentage is at most +200% (the real "before" is higher).
    assert result.delta == Decimal("10.220")
    assert result.delta_bound.exact
    assert result.before.bound.may_be_higher
    assert result.after.bound.may_be_higher
    assert result.percent_bound == Bound(may_be_lower=True)
    assert percent(result) == "≤ +200.00%"
    markdown = render_markdown(result)
    assert markdown.splitlines()[1] == (
        "📈 **Monthly cost will increase by 10.22 USD (≤ +200.00%)**"
    )
    assert "`p/dev`: ≥ 5.11 → ≥ 15.33 USD a month" in markdown
    assert "| | **Total** | | ≥ 5.11 | ≥ 15.33 | **+10.22** |" in markdown
    table = table_text(result)
    assert "+10.22 USD (≤ +200.00%) · ≥ 5.11 → ≥ 15.33 USD" in table
    data = json.loads(render_json(result))
    assert (data["before"]["lowerBound"], data["after"]["lowerBound"]) == (True, True)
    assert (data["delta"]["lowerBound"], data["delta"]["upperBound"]) == (False, False)
    assert (data["percentChangeLowerBound"], data["percentChangeUpperBound"]) == (False, True)


def test_an_added_gap_makes_the_increase_a_lower_bound() -> None:
    before = run((node(ALB, "alb", {"loadBalancerEdition": "Basic"}),), region="ap-southeast-1")
    after = _singapore()
    result = diff(before, after)
    assert result.delta == 0  # the new pods have no price
    assert result.delta_bound == Bound(may_be_higher=True)
    assert (
        render_markdown(result).splitlines()[1] == "**Monthly cost will not change** (≥ 0.00 USD)"
    )
    assert json.loads(render_json(result))["delta"]["lowerBound"] is True


def test_a_removed_gap_makes_the_change_an_upper_bound() -> None:
    result = diff(
        _singapore(),
        run((node(ALB, "alb", {"loadBalancerEdition": "Basic"}),), region="ap-southeast-1"),
    )
    assert result.delta_bound == Bound(may_be_lower=True)
    web = next(r for r in result.resources if r.name == "web")
    assert (web.change, web.delta_bound) == ("removed", Bound(may_be_lower=True))


@pytest.mark.parametrize(
    ("mark", "higher", "lower", "words"),
    [
        ("", False, False, ""),
        ("≥ ", True, False, "at least "),
        ("≤ ", False, True, "at most "),
        ("≈ ", True, True, "about "),
    ],
)
def test_bound_marks(mark: str, higher: bool, lower: bool, words: str) -> None:
    bound = Bound(higher, lower)
    assert (bound.mark, bound.words, bound.flipped()) == (mark, words, Bound(lower, higher))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0"),
        ("-0", "0"),
        ("-0.00", "0"),
        ("0.000", "0"),
        ("1E+2", "100"),
        ("100", "100"),
        ("5.9E-7", "0.00000059"),
        ("2.50", "2.5"),
        ("-1.10", "-1.1"),
        ("107.31", "107.31"),
    ],
)
def test_plain_amounts_never_use_exponents_or_trailing_zeros(amount: str, text: str) -> None:
    from ask_components.cost.model import plain

    # Twice: the second answer comes from the cache, where 2, 2.0 and 2E+0 share one entry.
    assert plain(Decimal(amount)) == plain(Decimal(amount)) == text
