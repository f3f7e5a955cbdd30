"""Stack config rules: one row per rule, each with the exact message and config path."""

from __future__ import annotations

from typing import Any

import pytest

from ask_components.config import load_platform_config, zone_belongs_to_region
from ask_components.errors import ConfigError
from tests.conftest import platform_values


def problems_of(values: dict[str, Any], stack: str = "dev") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack=stack)
    return [str(problem) for problem in caught.value.problems]


def with_network(**network: Any) -> dict[str, Any]:
    base = {"cidr": "10.0.0.0/16", "zones": ["cn-hangzhou-i", "cn-hangzhou-j"]}
    base.update(network)
    return platform_values(network=base)


def test_the_issue_example_loads_with_every_default() -> None:
    config = load_platform_config(
        {
            "alicloud:region": "cn-hangzhou",
            "ask:target": "alicloud",
            "ask:platform": {
                "name": "shop",
                "network": {
                    "cidr": "10.0.0.0/16",
                    "zones": ["cn-hangzhou-i", "cn-hangzhou-j"],
                    "egress": "single",
                },
                "cluster": {
                    "edition": "pro",
                    "version": "1.33",
                    "publicApi": False,
                    "serviceCidr": "172.21.0.0/20",
                },
            },
        },
        stack="dev",
    )
    assert config.name == "shop"
    assert config.region == "cn-hangzhou"
    assert config.target == "alicloud"
    assert config.network.zones == ["cn-hangzhou-i", "cn-hangzhou-j"]
    assert config.network.egress == "single"
    assert config.cluster.edition == "pro"
    assert config.cluster.version == "1.33"
    assert config.cluster.public_api is False
    assert config.cluster.service_cidr == "172.21.0.0/20"
    assert config.deletion_protection is False
    assert config.addon_names == ("metrics-server", "managed-coredns")
    assert config.network.plan().layout() == {
        "cn-hangzhou-i": "10.0.0.0/19",
        "cn-hangzhou-j": "10.0.32.0/19",
    }


def test_platform_may_arrive_as_json_text_as_pulumi_config_holds_it() -> None:
    values = platform_values()
    values["ask:platform"] = '{"name": "shop", "network": {"zones": ["cn-hangzhou-i"]}}'
    config = load_platform_config(values, stack="dev")
    assert config.network.cidr == "10.0.0.0/16"
    assert config.network.egress == "single"


@pytest.mark.parametrize(
    ("stack", "explicit", "expected"),
    [
        ("prod", None, True),
        ("prod-eu", None, True),
        ("dev", None, False),
        ("production", False, False),
        ("dev", True, True),
    ],
)
def test_deletion_protection_defaults_on_for_prod_stacks(
    stack: str, explicit: bool | None, expected: bool
) -> None:
    cluster = {} if explicit is None else {"deletionProtection": explicit}
    assert (
        load_platform_config(platform_values(cluster=cluster), stack=stack).deletion_protection
        is expected
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            with_network(cidr="8.8.0.0/16"),
            "ask:platform.network.cidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        ),
        (
            with_network(cidr="10.0.0.0/25"),
            "ask:platform.network.cidr: 10.0.0.0/25 has mask /25; a VPC takes /8 to /24",
        ),
        (
            with_network(cidr="10.0.0.0/7"),
            "ask:platform.network.cidr: 10.0.0.0/7 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        ),
        (
            with_network(cidr="10.0.0.1/16"),
            "ask:platform.network.cidr: '10.0.0.1/16' is not an IPv4 CIDR (10.0.0.1/16 has host bits set)",
        ),
        (
            with_network(zones=["cn-shanghai-e"]),
            "ask:platform.network.zones[0]: zone cn-shanghai-e is not in region cn-hangzhou (configured as alicloud:region)",
        ),
        (
            with_network(zones=["cn-hangzhou-i", "cn-hangzhou-i"]),
            "ask:platform.network.zones[1]: zone cn-hangzhou-i is listed twice",
        ),
        (
            with_network(zones=[]),
            "ask:platform.network.zones: List should have at least 1 item after validation, not 0 (got [])",
        ),
        (
            with_network(zones=[f"cn-hangzhou-{c}" for c in "abcdef"]),
            "ask:platform.network.zones: List should have at most 5 items after validation, not 6 (got ['cn-hangzhou-a', 'cn-hangzhou-b', 'cn-hangzhou-c', 'cn-hangzhou-d', 'cn-hangzhou-e', 'cn-hangzhou-f'])",
        ),
        (
            with_network(egress="always"),
            "ask:platform.network.egress: 'always' is not allowed: 'none', 'single' or 'per-zone'",
        ),
        (
            with_network(vswitchPrefixLength=30),
            "ask:platform.network.vswitchPrefixLength: Input should be less than or equal to 29 (got 30)",
        ),
        (
            with_network(cidr="10.0.0.0/24", vswitchPrefixLength=16),
            "ask:platform.network: vSwitch mask /16 is wider than the VPC 10.0.0.0/24",
        ),
        (
            with_network(egres="single"),
            "ask:platform.network.egres: unknown key (check the spelling; keys are camelCase)",
        ),
        (
            platform_values(cluster={"serviceCidr": "10.0.16.0/20"}),
            "ask:platform.cluster.serviceCidr: 10.0.16.0/20 overlaps the VPC CIDR 10.0.0.0/16 (ask:platform.network.cidr)",
        ),
        (
            # The VPC inside the Service CIDR overlaps it too (not only the other way round).
            platform_values(
                network={"cidr": "192.168.0.0/24", "zones": ["cn-hangzhou-i"]},
                cluster={"serviceCidr": "192.168.0.0/16"},
            ),
            "ask:platform.cluster.serviceCidr: 192.168.0.0/16 overlaps the VPC CIDR 192.168.0.0/24 (ask:platform.network.cidr)",
        ),
        (
            platform_values(cluster={"serviceCidr": "1.2.3.0/24"}),
            "ask:platform.cluster.serviceCidr: 1.2.3.0/24 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        ),
        (
            platform_values(cluster={"edition": "gold"}),
            "ask:platform.cluster.edition: 'gold' is not allowed: 'basic' or 'pro'",
        ),
        (
            platform_values(cluster={"version": "latest"}),
            'ask:platform.cluster.version: \'latest\' is not a Kubernetes version like "1.33" or "1.33.3-aliyun.1"',
        ),
        (
            platform_values(cluster={"publicApi": "maybe"}),
            "ask:platform.cluster.publicApi: Input should be a valid boolean, unable to interpret input (got 'maybe')",
        ),
        (
            platform_values(
                cluster={"addons": [{"name": "metrics-server"}, {"name": "metrics-server"}]}
            ),
            "ask:platform.cluster.addons[1].name: addon metrics-server is listed twice",
        ),
        (
            platform_values(cluster={"addons": [{"name": "Metrics Server"}]}),
            "ask:platform.cluster.addons[0].name: 'Metrics Server' is not an addon name (lowercase letters, digits, '-')",
        ),
        (
            platform_values(name="Shop"),
            "ask:platform.name: 'Shop' is not a valid name: 2-32 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        ),
        (
            platform_values(name="aliyun-shop"),
            "ask:platform.name: 'aliyun-shop' must not start with 'aliyun' (reserved by Alibaba Cloud)",
        ),
        (
            platform_values(name="s"),
            "ask:platform.name: 's' is not a valid name: 2-32 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        ),
        (
            platform_values(nmae="shop"),
            "ask:platform.nmae: unknown key (check the spelling; keys are camelCase)",
        ),
        (
            {**platform_values(), "alicloud:region": "Hangzhou"},
            "alicloud:region: 'Hangzhou' is not an Alibaba region id like cn-hangzhou",
        ),
        (
            {**platform_values(), "ask:target": "aws"},
            "ask:target: 'aws' is not allowed: 'alicloud' or 'local'",
        ),
    ],
)
def test_each_rule_names_its_path(values: dict[str, Any], expected: str) -> None:
    assert problems_of(values) == [expected]


def test_every_problem_is_listed_not_just_the_first() -> None:
    values = platform_values(
        name="Shop",
        network={"cidr": "8.8.0.0/16", "zones": ["cn-shanghai-e", "cn-hangzhou-i"]},
        cluster={"edition": "gold"},
    )
    assert problems_of(values) == [
        "ask:platform.name: 'Shop' is not a valid name: 2-32 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
        "ask:platform.network.cidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        "ask:platform.network.zones[0]: zone cn-shanghai-e is not in region cn-hangzhou (configured as alicloud:region)",
        "ask:platform.cluster.edition: 'gold' is not allowed: 'basic' or 'pro'",
    ]


def test_the_error_text_counts_and_lists_the_problems() -> None:
    values = platform_values(network={"cidr": "8.8.0.0/16", "zones": ["cn-shanghai-e"]})
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack="dev")
    assert str(caught.value) == (
        "invalid stack config (2 problems):\n"
        "  - ask:platform.network.cidr: 8.8.0.0/16 is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16\n"
        "  - ask:platform.network.zones[0]: zone cn-shanghai-e is not in region cn-hangzhou (configured as alicloud:region)"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"alicloud:region": "cn-hangzhou"},
            ["ask:platform: is missing: the stack file must set ask:platform"],
        ),
        (
            {"ask:platform": "{not json"},
            ["ask:platform: is not valid JSON (Expecting property name enclosed in double quotes)"],
        ),
        ({"ask:platform": ["a"]}, ["ask:platform: must be a mapping, got list"]),
        (
            {"ask:platform": {"name": "shop", "network": {"zones": ["cn-hangzhou-i"]}}},
            ["alicloud:region: is missing: the alicloud target needs a region"],
        ),
        (
            {"alicloud:region": "cn-hangzhou", "ask:platform": {"name": "shop"}},
            ["ask:platform.network: is required"],
        ),
    ],
)
def test_missing_and_malformed_documents(values: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(values) == expected


def test_the_local_target_defaults_the_region() -> None:
    values = {
        "ask:target": "local",
        "ask:platform": {"name": "shop", "network": {"zones": ["cn-hangzhou-i"]}},
    }
    assert load_platform_config(values, stack="local").region == "cn-hangzhou"


@pytest.mark.parametrize(
    ("zone", "region", "expected"),
    [
        ("cn-hangzhou-i", "cn-hangzhou", True),
        ("cn-hangzhou-ij", "cn-hangzhou", False),
        ("cn-hangzhoui", "cn-hangzhou", False),
        ("ap-southeast-1a", "ap-southeast-1", True),
        ("ap-southeast-1-a", "ap-southeast-1", False),
        ("cn-beijing-finance-1a", "cn-beijing-finance-1", True),
        ("cn-shanghai-e", "cn-hangzhou", False),
    ],
)
def test_zone_belongs_to_region(zone: str, region: str, expected: bool) -> None:
    assert zone_belongs_to_region(zone, region) is expected
