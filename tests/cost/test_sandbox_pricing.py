"""The local target's stand-ins are priced as what they stand for, from their own input names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ask_components.cost.estimate import estimate
from ask_components.preview.engine import run_preview
from ask_components.sandbox._base import type_token
from tests.conftest import PROJECT_ROOT
from tests.cost.conftest import node, price_one


@pytest.mark.parametrize(
    ("cls", "inputs", "monthly"),
    [
        # The sandbox resources' own (snake_case) names, as the local stack registers them.
        ("SandboxAlb", {"load_balancer_edition": "Standard"}, "15.33"),
        ("SandboxEip", {"internet_charge_type": "PayByTraffic", "bandwidth": "100"}, "2.190"),
        ("SandboxPrivateZone", {"zone_name": "x"}, "0.45625"),
    ],
)
def test_sandbox_inputs_are_read_under_the_alicloud_names(
    cls: str, inputs: dict[str, str], monthly: str
) -> None:
    cost = price_one(node(type_token(cls), "x", inputs), site="international")
    assert cost.category == "priced"
    assert cost.fixed_cost == Decimal(monthly)


def test_the_local_stack_costs_what_the_same_cloud_network_would() -> None:
    def line_names(stack: str) -> dict[str, list[str]]:
        graph = run_preview(PROJECT_ROOT, stack)
        result = estimate(graph, region="cn-hangzhou", site="international")
        return {
            cost.type.rsplit(":", 1)[-1]: [line.name for line in cost.lines]
            for cost in result.resources
            if cost.category == "priced"
        }

    local, dev, prod = line_names("local"), line_names("dev"), line_names("prod")
    assert local["SandboxEip"] == dev["EipAddress"]
    assert local["SandboxNatGateway"] == dev["NatGateway"]
    # The ALB and the private zone as prod's (the same edition, a zone of its own).
    assert local["SandboxAlb"] == prod["LoadBalancer"]
    assert local["SandboxPrivateZone"] == prod["Zone"]
    # The same workloads are priced the same way on both targets (ECI on ASK).
    assert local["Deployment"] == dev["Deployment"]
    assert local["CronJob"] == dev["CronJob"]
    assert set(local) == {
        "SandboxEip",
        "SandboxNatGateway",
        "SandboxAlb",
        "SandboxPrivateZone",
        "Deployment",
        "CronJob",
    }
