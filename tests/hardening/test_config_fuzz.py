"""Invalid stack configs, generated: each ends in a ConfigError naming config paths, never a crash.

Every generated config is a valid one with one to three mutations applied, each of which alone
makes it invalid (a wrong type, an out-of-range number, conflicting options, an unknown key, a
broken CIDR, a bad name or region). ``load_platform_config`` sees 1,200 of them; a sample also goes
through ``askc preview``, which must exit 2 with the problems, no traceback, nothing registered.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.config import load_platform_config
from ask_components.errors import ConfigError
from ask_components.preview.engine import run_preview

runner = CliRunner()

PATH_PREFIXES = ("ask:platform.", "ask:platform[", "ask:target", "alicloud:region")


def _valid() -> dict[str, Any]:
    return {
        "alicloud:region": "cn-hangzhou",
        "ask:target": "alicloud",
        "ask:platform": {
            "name": "shop",
            "network": {
                "cidr": "10.0.0.0/16",
                "zones": ["cn-hangzhou-i", "cn-hangzhou-j"],
                "egress": "single",
            },
            "cluster": {"edition": "pro", "version": "1.33", "serviceCidr": "172.21.0.0/20"},
        },
    }


def _parent(config: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    """The mapping holding the last key of ``path`` (None when an earlier mutation replaced a
    parent by a non-mapping: the config is invalid already)."""
    *parents, last = path.split("/")
    node: Any = config
    for part in parents:
        if not isinstance(node, dict):
            return None, last
        node = node.setdefault(part, {})
    return (node if isinstance(node, dict) else None), last


def _set(config: dict[str, Any], path: str, value: Any) -> None:
    node, last = _parent(config, path)
    if node is not None:
        node[last] = value


def _delete(config: dict[str, Any], path: str) -> None:
    node, last = _parent(config, path)
    if node is not None:
        node.pop(last, None)


P = "ask:platform"
_not_a_string = st.one_of(
    st.integers(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.just("k"), st.integers(), max_size=1),
)
_bad_cidrs = st.sampled_from(
    [
        "10.0.0.0/33",
        "10.0.0.1/16",
        "300.0.0.0/16",
        "1.0.0.0/16",
        "abc",
        "10.0.0.0",
        "10.0.0.0/-1",
        "",
        "10.0.0.0/25",
        "8.8.8.0/24",
        "10.0.0.0/7",
        "::1/128",
        "10.0.0.0//16",
    ]
)
_bad_names = st.one_of(
    st.sampled_from(
        [
            "Shop",
            "1shop",
            "shop-",
            "s",
            "aliyun-shop",
            "shop_platform",
            "x" * 40,
            "",
            "shop!",
            "-shop",
        ]
    ),
    st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True),
)
_typos = st.sampled_from(
    ["zone", "cidrs", "egres", "publicAPI", "edtion", "Name", "vpc", "nat", "extra", "cidr_block"]
)

MUTATIONS: list[st.SearchStrategy[tuple[str, Any]]] = [
    # wrong types
    st.tuples(st.just(f"{P}/name"), _not_a_string),
    st.tuples(
        st.just(f"{P}/network"),
        st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(), max_size=2)),
    ),
    st.tuples(
        st.just(f"{P}/network/zones"), st.one_of(st.text(max_size=5), st.integers(), st.just([]))
    ),
    st.tuples(st.just(f"{P}/network/zones"), st.lists(st.integers(), min_size=1, max_size=3)),
    st.tuples(
        st.just(f"{P}/network/cidr"),
        st.one_of(st.integers(), st.booleans(), st.lists(st.text(max_size=3), max_size=2)),
    ),
    st.tuples(
        st.just(f"{P}/cluster"),
        st.one_of(st.lists(st.integers(), max_size=2), st.text(max_size=4), st.integers()),
    ),
    st.tuples(
        st.just(f"{P}/cluster/publicApi"),
        st.one_of(
            st.dictionaries(st.just("a"), st.integers(), max_size=1),
            st.lists(st.booleans(), max_size=2),
            st.sampled_from(["maybe", "2", "ja"]),
        ),
    ),
    st.tuples(
        st.just(f"{P}/cluster/version"),
        st.one_of(
            st.floats(allow_nan=False),
            st.integers(),
            st.sampled_from(["v1.33", "1.3", "latest", "1.33.x", "2.0"]),
        ),
    ),
    st.tuples(
        st.just(f"{P}/cluster/addons"),
        st.one_of(
            st.text(max_size=3),
            st.lists(st.integers(), min_size=1, max_size=2),
            st.just([{"name": "Bad Name"}]),
            st.just([{"name": "metrics-server"}, {"name": "metrics-server"}]),
        ),
    ),
    st.tuples(
        st.just(f"{P}/cluster/deletionProtection"), st.sampled_from(["sometimes", [True], {"x": 1}])
    ),
    st.tuples(
        st.just(P),
        st.one_of(
            st.integers(),
            st.lists(st.integers(), max_size=2),
            st.sampled_from(["{not json", "[1, 2]", "42"]),
        ),
    ),
    # out-of-range numbers and enumerations
    st.tuples(
        st.just(f"{P}/network/vswitchPrefixLength"),
        st.one_of(st.integers(max_value=15), st.integers(min_value=30)),
    ),
    st.tuples(
        st.just(f"{P}/network/egress"),
        st.one_of(st.sampled_from(["multi", "NAT", "Single", ""]), st.integers()),
    ),
    st.tuples(
        st.just(f"{P}/cluster/edition"), st.sampled_from(["platinum", "Pro", "", "standard"])
    ),
    st.tuples(st.just("ask:target"), st.sampled_from(["aws", "Local", "", "alibaba"])),
    st.tuples(st.just(f"{P}/network/zones"), st.just([f"cn-hangzhou-{c}" for c in "bcdefghi"])),
    # conflicting options
    st.tuples(
        st.just(f"{P}/cluster/serviceCidr"),
        st.sampled_from(["10.0.0.0/20", "10.0.128.0/24", "10.0.0.0/8"]),
    ),
    st.tuples(
        st.just(f"{P}/network/zones"),
        st.sampled_from(
            [
                ["cn-hangzhou-i", "cn-hangzhou-i"],
                ["cn-beijing-a"],
                ["cn-hangzhou-i", "ap-southeast-1a"],
            ]
        ),
    ),
    st.tuples(
        st.just(f"{P}/network/pinnedVswitches"),
        st.sampled_from(
            [
                {"cn-hangzhou-k": "10.0.0.0/19"},
                {"cn-hangzhou-i": "192.168.0.0/19"},
                {"cn-hangzhou-i": "bad"},
                {"cn-hangzhou-i": "10.0.0.0/19", "cn-hangzhou-j": "10.0.0.0/19"},
            ]
        ),
    ),
    st.tuples(
        st.just(f"{P}/network"),
        st.just({"cidr": "10.0.0.0/24", "zones": ["cn-hangzhou-i"], "vswitchPrefixLength": 20}),
    ),
    # unknown keys
    st.tuples(_typos.map(lambda key: f"{P}/{key}"), st.integers()),
    st.tuples(_typos.map(lambda key: f"{P}/network/{key}"), st.text(max_size=3)),
    st.tuples(_typos.map(lambda key: f"{P}/cluster/{key}"), st.booleans()),
    # broken CIDRs
    st.tuples(st.just(f"{P}/network/cidr"), _bad_cidrs),
    st.tuples(
        st.just(f"{P}/cluster/serviceCidr"),
        _bad_cidrs.filter(lambda c: c not in ("10.0.0.0/25", "10.0.0.0/7")),
    ),
    # bad names and regions
    st.tuples(st.just(f"{P}/name"), _bad_names),
    st.tuples(
        st.just("alicloud:region"),
        st.sampled_from(["CN_HANGZHOU", "", "hangzhou", "cn-", "cn hangzhou", 7]),
    ),
    st.tuples(st.just("alicloud:region"), st.just("__delete__")),
    st.tuples(st.just(f"{P}/name"), st.just("__delete__")),
    st.tuples(st.just(f"{P}/network"), st.just("__delete__")),
]


@st.composite
def invalid_configs(draw: st.DrawFn) -> dict[str, Any]:
    config = _valid()
    chosen = draw(
        st.lists(st.sampled_from(range(len(MUTATIONS))), min_size=1, max_size=3, unique=True)
    )
    for index in chosen:
        path, value = draw(MUTATIONS[index])
        if value == "__delete__":
            _delete(config, path)
        else:
            _set(config, path, copy.deepcopy(value))
    return config


def _assert_paths(err: ConfigError) -> None:
    assert err.problems, "a ConfigError lists at least one problem"
    for problem in err.problems:
        assert problem.path == P or problem.path.startswith(PATH_PREFIXES), problem
        assert problem.message


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=invalid_configs())
def test_every_invalid_config_is_a_config_error_with_paths(config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_platform_config(config, stack="dev")
    _assert_paths(caught.value)


_STACK_HEADER = "# generated by test_config_fuzz\n"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=invalid_configs())
def test_askc_preview_exits_2_on_invalid_configs(
    project_copy: Path, config: dict[str, Any]
) -> None:
    stack_file = project_copy / "stacks" / "Pulumi.fuzz.yaml"
    stack_file.write_text(_STACK_HEADER + yaml.safe_dump({"config": config}))

    result = runner.invoke(app, ["preview", "--stack", "fuzz", "-C", str(project_copy)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: invalid stack config (")
    for line in lines[1:]:
        path = line.removeprefix("  - ").split(": ", 1)[0]
        assert path == P or path.startswith(PATH_PREFIXES), line

    registered: list[str] = []
    with pytest.raises(ConfigError) as caught:
        run_preview(project_copy, "fuzz", registered=registered)
    _assert_paths(caught.value)
    assert registered == []
