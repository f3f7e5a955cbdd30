"""Every rule through the policy pack: real ResourceValidationArgs / StackValidationArgs."""

from __future__ import annotations

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

from ask_components.policy import RULES, RULES_BY_ID, Level, PolicySettings
from ask_components.policy.pack import PACK_NAME, build_policies, initial_config, plain
from tests.policy.cases import CASES, CLUSTER, Case, urn
from tests.policy.packkit import resource_args, run_pack

_LEVEL = {Level.MANDATORY: EnforcementLevel.MANDATORY, Level.ADVISORY: EnforcementLevel.ADVISORY}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_pack_reports_exactly_the_findings(case: Case) -> None:
    reported = run_pack(case.graph())
    rule = RULES_BY_ID[case.rule]
    expected = [
        (case.rule, _LEVEL[rule.level], f"{message}. Fix: {rule.fix}.") for message in case.messages
    ]
    got = [(name, level, message) for name, level, message, _ in reported]
    # A case's own fix text may differ from the rule's general fix: compare up to "Fix:".
    assert [(n, lv, m.split(". Fix: ")[0]) for n, lv, m in got] == [
        (n, lv, m.split(". Fix: ")[0]) for n, lv, m in expected
    ]
    assert all(". Fix: " in message and message.endswith(".") for _, _, message in got)


def test_stack_findings_name_the_resource() -> None:
    case = next(c for c in CASES if c.id == "zone-two-vpcs")
    reported = run_pack(case.graph())
    assert [u for *_, u in reported] == [
        urn("dev", "alicloud:pvtz/zoneAttachment:ZoneAttachment", "zone-att")
    ]


def test_a_finding_carries_its_own_fix() -> None:
    case = next(c for c in CASES if c.id == "env-password")
    messages = [message for _, _, message, _ in run_pack(case.graph())]
    assert messages == [
        "container spec.template.spec.containers[0] (app) sets env DB_PASSWORD to a literal value. "
        "Fix: take DB_PASSWORD from a Secret: env[].valueFrom.secretKeyRef.",
        "ConfigMap data has the secret-looking key 'api-key'. "
        "Fix: move 'api-key' to a Secret and mount or reference it from there.",
    ]


def test_one_policy_per_rule_with_its_metadata() -> None:
    policies = build_policies()
    assert [p.name for p in policies] == [rule.id for rule in RULES]
    for policy, rule in zip(policies, RULES, strict=True):
        assert policy.description == rule.description
        assert policy.url == rule.url
        assert policy.url.startswith("https://")
        assert policy.remediation_steps == rule.fix
        assert policy.enforcement_level is _LEVEL[rule.level]
        expected_kind = StackValidationPolicy if rule.kind == "stack" else ResourceValidationPolicy
        assert isinstance(policy, expected_kind)
    assert PACK_NAME == "ask-guardrails"


def test_settings_set_levels_and_waivers_in_policies_and_initial_config() -> None:
    settings = PolicySettings(
        enforcement={"image-tag-pinned": Level.ADVISORY, "eci-spec-declared": Level.MANDATORY},
        waive=frozenset({"api-server-private"}),
    )
    levels = {p.name: p.enforcement_level for p in build_policies(settings)}
    assert levels["image-tag-pinned"] is EnforcementLevel.ADVISORY
    assert levels["eci-spec-declared"] is EnforcementLevel.MANDATORY
    assert levels["api-server-private"] is EnforcementLevel.DISABLED
    config = initial_config(settings)
    assert config["api-server-private"] is EnforcementLevel.DISABLED
    assert config["image-tag-pinned"] is EnforcementLevel.ADVISORY
    assert config["container-limits"] is EnforcementLevel.MANDATORY
    assert set(config) == set(RULES_BY_ID)


def test_a_waived_rule_reports_nothing() -> None:
    case = next(c for c in CASES if c.id == "api-public")
    assert run_pack(case.graph(), PolicySettings(waive=frozenset({"api-server-private"}))) == []


def test_unknown_values_read_through_the_proxy_become_the_unknown_mark() -> None:
    args = resource_args(
        CLUSTER,
        "c",
        urn("dev", CLUSTER, "c"),
        {
            "slbInternetEnabled": "[unknown]",
            "tags": {"a": "[unknown]"},
            "vswitchIds": ["[unknown]", "vsw-1"],
        },
    )
    assert plain(args.props) == {
        "slbInternetEnabled": "[unknown]",
        "tags": {"a": "[unknown]"},
        "vswitchIds": ["[unknown]", "vsw-1"],
    }


def test_docs_list_every_rule_with_its_level() -> None:
    from tests.conftest import PROJECT_ROOT

    document = (PROJECT_ROOT / "docs" / "policies.md").read_text()
    for rule in RULES:
        assert f"| `{rule.id}` | {rule.level.value} | {rule.kind} |" in document
        assert rule.url in document
