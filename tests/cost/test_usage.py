"""The usage file: validation, matching, precedence, warnings and the template."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ask_components.cost.estimate import estimate
from ask_components.cost.resources.workloads import ALWAYS_ON_KEYS
from ask_components.cost.usage import load_usage, parse_usage, usage_template
from ask_components.errors import InputError
from tests.cost.conftest import FIXTURES, deployment, graph, node, usage


def test_fixture_loads() -> None:
    parsed = load_usage(FIXTURES / "usage-prod.yaml")
    assert [e.pattern for e in parsed.entries] == ["alicloud:vpc/natGateway:NatGateway", "alb"]
    assert parsed.resources[0].values == {"monthly_lcu_hours": Decimal(1000)}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"resource_usage": {"web": {"avg_replicas": 3}}},
            "resource_usage[\"web\"]: unknown usage key 'avg_replicas'; keys for any priced "
            "resource: average_cu, average_lcu, average_replicas,",
        ),
        (
            {"resource_type_default_usage": {"kubernetes:apps/v1:Deployment": {"monthly_runs": 3}}},
            "unknown usage key 'monthly_runs'; keys for kubernetes:apps/v1:Deployment: "
            "average_replicas, spot_discount_percent",
        ),
        (
            {"resource_usage": {"web": {"average_replicas": -1}}},
            'resource_usage["web"].average_replicas: must be a number >= 0, got -1',
        ),
        ({"resource_usage": {"web": {"average_replicas": "many"}}}, "must be a number"),
        ({"resource_usage": {"web": {"average_replicas": True}}}, "must be a number"),
        ({"resource_usage": {"web": {"spot_discount_percent": 120}}}, "must be at most 100"),
        ({"resource_usage": {"web": 3}}, "must be a mapping of usage key to number"),
        ({"resource_usage": ["web"]}, "resource_usage must be a mapping"),
        (
            {"usage": {}},
            "unknown top-level key 'usage'; allowed: version, "
            "resource_type_default_usage, resource_usage",
        ),
    ],
)
def test_errors_name_the_key(document: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_usage(document, "usage file u.yaml")
    assert message in str(caught.value)
    assert "u.yaml" in str(caught.value)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"usage file .*missing\.yaml: cannot read it"):
        load_usage(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("resource_usage: [\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_usage(bad)


def test_precedence_type_default_then_patterns_in_file_order() -> None:
    parsed = usage(
        {
            "resource_type_default_usage": {"kubernetes:apps/v1:*": {"average_replicas": 2}},
            "resource_usage": {
                "web-*": {"average_replicas": 3},
                "web-api": {"average_replicas": 4},
            },
        }
    )
    api, other, job = deployment("web-api"), deployment("web-ui"), deployment("worker")
    keys = ALWAYS_ON_KEYS
    assert parsed.values_for(api, keys)[0] == {"average_replicas": Decimal(4)}
    assert parsed.values_for(other, keys)[0] == {"average_replicas": Decimal(3)}
    assert parsed.values_for(job, keys)[0] == {"average_replicas": Decimal(2)}


def test_patterns_match_the_urn_too() -> None:
    web = deployment("web")
    parsed = usage({"resource_usage": {"urn:pulumi:dev::p::*::web": {"average_replicas": 3}}})
    result = estimate(graph(web), region="cn-hangzhou", usage=parsed)
    assert result.resources[0].usage_cost > 0


def test_warnings_for_patterns_that_match_nothing_or_keys_nobody_reads() -> None:
    parsed = usage(
        {"resource_usage": {"nothing-*": {"monthly_runs": 1}, "web": {"monthly_traffic_gb": 10}}}
    )
    result = estimate(graph(deployment("web")), region="cn-hangzhou", usage=parsed)
    assert result.warnings == (
        "usage: resource_usage pattern 'nothing-*' matches no priced resource",
        "usage: monthly_traffic_gb under 'web' is read by none of the resources it matches",
    )


def test_template_is_valid_yaml_and_changes_nothing() -> None:
    web = deployment("web")
    resources = (
        web,
        replace(web, urn=web.urn + "-2"),  # the same logical name: keyed by URN
        node("alicloud:alb/loadBalancer:LoadBalancer", "alb", {"loadBalancerEdition": "Basic"}),
        node("alicloud:vpc/network:Network", "vpc", {}),  # free: not in the template
    )
    text = usage_template(graph(*resources))
    assert parse_usage(yaml.safe_load(text), "t").entries == ()
    assert "vpc" not in text
    assert '# "alb":  # alicloud:alb/loadBalancer:LoadBalancer' in text
    assert '# "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web":' in text
    uncommented = re.sub(r"^  # ", "  ", text, flags=re.MULTILINE)
    parsed = parse_usage(yaml.safe_load(uncommented), "t")
    assert {e.pattern for e in parsed.resources} == {
        "alb",
        "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web",
        "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web-2",
    }
    assert parsed.resources[-1].values == {"monthly_lcu_hours": 0, "average_lcu": 0}
