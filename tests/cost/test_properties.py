"""Properties of the cost engine that hold for any input (hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ask_components.cost.diff import diff
from ask_components.cost.estimate import estimate
from ask_components.cost.model import round_money
from ask_components.cost.render import render_json
from tests.cost.conftest import deployment, graph, node

CPUS = st.sampled_from(["250m", "500m", "1", "1500m", "2", "3", "4", "7", "8"])
MEMORY = st.sampled_from(["512Mi", "1Gi", "2Gi", "3Gi", "4Gi", "8Gi", "13Gi", "16Gi"])


@settings(max_examples=40, deadline=None)
@given(
    replicas=st.integers(0, 50),
    cpu=CPUS,
    memory=MEMORY,
    site=st.sampled_from(["china", "international"]),
)
def test_a_deployment_costs_replicas_times_one_pod(
    replicas: int, cpu: str, memory: str, site: str
) -> None:
    one = estimate(
        graph(deployment(replicas=1, cpu=cpu, memory=memory)), region="cn-hangzhou", site=site
    ).total  # type: ignore[arg-type]
    many = estimate(
        graph(deployment(replicas=replicas, cpu=cpu, memory=memory)),
        region="cn-hangzhou",
        site=site,
    ).total  # type: ignore[arg-type]
    assert one > 0
    assert many == one * replicas


@settings(max_examples=30, deadline=None)
@given(
    editions=st.lists(st.sampled_from(["Basic", "Standard", "StandardWithWaf"]), max_size=6),
    replicas=st.lists(st.integers(0, 5), max_size=4),
)
def test_totals_add_up_and_json_rounds_the_raw_amounts(
    editions: list[str], replicas: list[int]
) -> None:
    resources = [
        node("alicloud:alb/loadBalancer:LoadBalancer", f"alb{i}", {"loadBalancerEdition": e})
        for i, e in enumerate(editions)
    ]
    resources += [deployment(f"web{i}", replicas=r) for i, r in enumerate(replicas)]
    after = estimate(graph(*resources), region="cn-hangzhou", site="international")
    before = estimate(
        graph(*resources[: len(resources) // 2]), region="cn-hangzhou", site="international"
    )
    assert after.total == sum((r.monthly_cost for r in after.resources), Decimal(0))
    result = diff(before, after)
    assert result.delta == sum((r.delta for r in result.resources), Decimal(0))
    data = json.loads(render_json(result))
    for side in ("before", "after", "delta"):
        raw = Decimal(data[side]["monthlyCostRaw"])
        assert data[side]["monthlyCost"] == str(round_money(raw))
