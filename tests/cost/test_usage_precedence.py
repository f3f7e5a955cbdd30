"""Capacity-unit usage with both keys set: the monthly total wins over the hourly average.

``_lcu.unit_hours`` is shared by ALB, CLB Services and NAT gateways; a mutant that read the
average first survived every other test (issue #16).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ask_components.cost.resources._lcu import unit_hours
from tests.cost.conftest import node, price_one

ALB = "alicloud:alb/loadBalancer:LoadBalancer"
NAT = "alicloud:vpc/natGateway:NatGateway"
SERVICE = "kubernetes:core/v1:Service"


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        ({"monthly_lcu_hours": Decimal(100), "average_lcu": Decimal(5)}, Decimal(100)),
        ({"average_lcu": Decimal(5)}, Decimal(3650)),  # 5 × 730
        ({"monthly_lcu_hours": Decimal(0), "average_lcu": Decimal(5)}, Decimal(0)),
        ({}, None),
    ],
)
def test_unit_hours(usage: dict[str, Decimal], expected: Decimal | None) -> None:
    assert unit_hours(usage, "monthly_lcu_hours", "average_lcu") == expected


BOTH_LCU = {"monthly_lcu_hours": 100, "average_lcu": 5}


@pytest.mark.parametrize(
    ("resource", "usage", "line"),
    [
        (node(ALB, "lb", {"loadBalancerEdition": "Basic"}), BOTH_LCU, "Capacity units (LCU)"),
        (
            node(SERVICE, "lb", {"spec": {"type": "LoadBalancer"}}),
            BOTH_LCU,
            "Capacity units (LCU)",
        ),
        (
            node(NAT, "lb", {"natType": "Enhanced"}),
            {"monthly_cu_hours": 100, "average_cu": 5},
            "Capacity units (CU)",
        ),
    ],
)
def test_each_capacity_priced_resource_takes_the_monthly_total(
    resource: object, usage: dict[str, int], line: str
) -> None:
    cost = price_one(
        resource,  # type: ignore[arg-type]
        site="international",
        usage_doc={"resource_usage": {"lb": usage}},
    )
    assert [(u.name, u.quantity) for u in cost.lines if u.usage_based] == [(line, Decimal(100))]
