"""Diffs: added / removed / changed / unchanged, deltas and percentages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ask_components.cost.diff import diff
from ask_components.cost.estimate import estimate
from ask_components.cost.sources import read_preview_json
from ask_components.errors import InputError
from tests.cost.conftest import FIXTURES, deployment, graph, node, usage

ALB = "alicloud:alb/loadBalancer:LoadBalancer"


def test_preview_fixture_diff_international() -> None:
    sides = read_preview_json(FIXTURES / "preview-prod.json")
    ops = {s.urn: s.op for s in sides.steps}
    before = estimate(sides.before, region="cn-hangzhou", site="international")
    after = estimate(sides.after, region="cn-hangzhou", site="international")
    result = diff(before, after, ops=ops)
    changes = {r.name: (r.change, r.delta) for r in result.changed()}
    # web: 2 → 4 pods of 1 vCPU / 2 GiB: 2 × (0.02772 + 2 × 0.003456) × 730 = 50.56272
    # alb: Basic 5.11 → Standard 15.33; nat: new 24.82; old-zone: −0.015 × 730 / 24 = −0.45625
    assert changes == {
        "web": ("changed", Decimal("50.56272")),
        "alb": ("changed", Decimal("10.22")),
        "nat": ("added", Decimal("24.82")),
        "old-zone": ("removed", Decimal("-0.45625")),
    }
    assert result.delta == Decimal("50.56272") + Decimal("10.22") + Decimal("24.82") - Decimal(
        "0.45625"
    )
    assert before.total == Decimal("50.56272") + Decimal("5.11") + Decimal("0.45625")
    assert result.percent == result.delta / before.total * 100


def test_from_zero_is_new_without_percent() -> None:
    empty = estimate(graph(), region="cn-hangzhou")
    after = estimate(graph(deployment()), region="cn-hangzhou")
    result = diff(empty, after)
    assert result.percent is None
    assert result.is_new
    assert result.delta == Decimal("321.98256")
    both_empty = diff(empty, empty)
    assert (both_empty.percent, both_empty.is_new, both_empty.delta) == (None, False, 0)


def test_unchanged_and_input_only_changes() -> None:
    vpc_a = node("alicloud:vpc/network:Network", "vpc", {"cidrBlock": "10.0.0.0/16"})
    vpc_b = node("alicloud:vpc/network:Network", "vpc", {"cidrBlock": "10.1.0.0/16"})
    alb = node(ALB, "alb", {"loadBalancerEdition": "Basic"})
    before_graph, after_graph = graph(vpc_a, alb), graph(vpc_b, alb)
    before = estimate(before_graph, region="cn-hangzhou")
    after = estimate(after_graph, region="cn-hangzhou")
    assert [r.change for r in diff(before, after).resources] == ["unchanged", "unchanged"]
    with_inputs = diff(before, after, before_graph=before_graph, after_graph=after_graph)
    assert [r.change for r in with_inputs.resources] == ["changed", "unchanged"]


def test_usage_changes_are_cost_changes() -> None:
    g = graph(deployment())
    before = estimate(g, region="cn-hangzhou")
    after = estimate(
        g, region="cn-hangzhou", usage=usage({"resource_usage": {"web": {"average_replicas": 2}}})
    )
    result = diff(before, after)
    assert result.resources[0].change == "changed"
    assert result.usage_delta == Decimal("321.98256")
    assert result.fixed_delta == 0


def test_line_matching() -> None:
    before = estimate(
        graph(node(ALB, "alb", {"loadBalancerEdition": "Basic"})),
        region="cn-hangzhou",
        site="international",
    )
    after = estimate(
        graph(node(ALB, "alb", {"loadBalancerEdition": "Standard"})),
        region="cn-hangzhou",
        site="international",
    )
    lines = diff(before, after).resources[0].lines()
    assert [(ld.name, ld.delta) for ld in lines] == [
        ("Instance fee (Standard)", Decimal("15.330")),
        ("Capacity units (LCU)", Decimal(0)),
        ("Instance fee (Basic)", Decimal("-5.110")),
    ]


def test_currencies_must_match() -> None:
    g = graph(deployment())
    with pytest.raises(InputError, match="cannot compare a CNY estimate with a USD one"):
        diff(
            estimate(g, region="cn-hangzhou"),
            estimate(g, region="cn-hangzhou", site="international"),
        )
