"""ask:local: defaults, both spellings of the value, errors with their paths."""

from __future__ import annotations

from typing import Any

import pytest

from ask_components.config import load_platform_config
from ask_components.errors import ConfigError
from tests.conftest import platform_values


def local_values(local: Any = None, **platform: Any) -> dict[str, Any]:
    values = {**platform_values(**platform), "ask:target": "local"}
    if local is not None:
        values["ask:local"] = local
    return values


def test_defaults() -> None:
    config = load_platform_config(local_values(), stack="local")
    assert config.target == "local"
    assert (config.local.kube_context, config.local.sandbox_state) == (
        "kind-ask",
        ".ask-sandbox/state.db",
    )


@pytest.mark.parametrize(
    "local",
    [
        {"kubeContext": "kind-dev", "sandboxState": "/tmp/s.db"},
        '{"kubeContext": "kind-dev", "sandboxState": "/tmp/s.db"}',
    ],
)
def test_a_mapping_or_its_json_text(local: Any) -> None:
    config = load_platform_config(local_values(local), stack="local")
    assert (config.local.kube_context, config.local.sandbox_state) == ("kind-dev", "/tmp/s.db")


def test_the_local_target_needs_no_region() -> None:
    values = local_values()
    del values["alicloud:region"]
    assert load_platform_config(values, stack="local").region == "cn-hangzhou"


@pytest.mark.parametrize(
    ("local", "problems"),
    [
        (
            {"kubeContext": "kind ask"},
            [
                "ask:local.kubeContext: 'kind ask' is not a kubectl context name (non-empty, no spaces)"
            ],
        ),
        (
            {"sandboxState": "", "kubeContext": ""},
            [
                "ask:local.kubeContext: '' is not a kubectl context name (non-empty, no spaces)",
                "ask:local.sandboxState: '' is not a file path for the sandbox store",
            ],
        ),
        (
            {"kubecontext": "kind-ask"},
            ["ask:local.kubecontext: unknown key (check the spelling; keys are camelCase)"],
        ),
        ("[1, 2]", ["ask:local: must be a mapping, got list"]),
        (
            "{oops",
            ["ask:local: is not valid JSON (Expecting property name enclosed in double quotes)"],
        ),
    ],
)
def test_problems_name_their_path(local: Any, problems: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_platform_config(local_values(local), stack="local")
    assert [str(problem) for problem in caught.value.problems] == problems


def test_local_problems_are_listed_with_the_platforms() -> None:
    values = local_values({"kubeContext": "a b"}, name="Bad")
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack="local")
    assert [problem.path for problem in caught.value.problems] == [
        "ask:platform.name",
        "ask:local.kubeContext",
    ]
