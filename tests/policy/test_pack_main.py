"""``policies/``: the pack project builds ask-guardrails from the stack's ask:policy."""

from __future__ import annotations

import json
import runpy
from typing import Any, ClassVar

import pulumi_policy
import pytest
import yaml
from pulumi_policy import EnforcementLevel

from ask_components.errors import ConfigError
from ask_components.policy import RULES
from tests.conftest import PROJECT_ROOT

PACK_DIR = PROJECT_ROOT / "policies"


class _Recorder:
    """Stands in for PolicyPack, which would start a gRPC server and never return."""

    calls: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, name: str, **kwargs: Any) -> None:
        type(self).calls.append({"name": name, **kwargs})


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    _Recorder.calls = []
    monkeypatch.setattr(pulumi_policy, "PolicyPack", _Recorder)
    return _Recorder.calls


def test_the_pack_project_files() -> None:
    assert yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())["runtime"] == "python"
    requirements = (PACK_DIR / "requirements.txt").read_text().splitlines()
    assert "pulumi-policy>=1.21,<2" in requirements


def test_main_builds_the_pack_with_every_rule(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")
    [call] = recorded
    assert call["name"] == "ask-guardrails"
    assert [policy.name for policy in call["policies"]] == [rule.id for rule in RULES]
    assert call["initial_config"]["api-server-private"] is EnforcementLevel.MANDATORY
    assert call["initial_config"]["eci-spec-declared"] is EnforcementLevel.ADVISORY


def test_main_reads_ask_policy_from_the_stack_config(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = {"waive": ["api-server-private"], "enforcement": {"image-tag-pinned": "advisory"}}
    # The Pulumi CLI passes the stack config to the pack as PULUMI_CONFIG (objects as JSON text).
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"ask:policy": json.dumps(policy)}))
    runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")
    [call] = recorded
    assert call["initial_config"]["api-server-private"] is EnforcementLevel.DISABLED
    assert call["initial_config"]["image-tag-pinned"] is EnforcementLevel.ADVISORY
    levels = {policy.name: policy.enforcement_level for policy in call["policies"]}
    assert levels["api-server-private"] is EnforcementLevel.DISABLED


def test_main_refuses_a_bad_ask_policy(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"ask:policy": '{"waive": ["nope"]}'}))
    with pytest.raises(ConfigError, match=r"ask:policy.waive\[0\]: 'nope' is not a rule id"):
        runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")
    assert recorded == []


def test_the_pack_readme_gives_each_rule_why_and_source(
    recorded: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")
    readme = recorded[0]["readme"]
    for rule in RULES:
        assert f"## {rule.id} ({rule.level.value})" in readme
        assert f"Why: {rule.rationale}" in readme
        assert f"Source: {rule.url}" in readme
