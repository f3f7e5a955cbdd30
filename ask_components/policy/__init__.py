"""Policy guardrails: rules shared by the ask-guardrails policy pack and ``askc policy check``."""

from ask_components.policy.catalog import RULES, RULES_BY_ID
from ask_components.policy.check import PolicyReport, check, check_graph, subjects_from_graph
from ask_components.policy.model import Finding, Level, Rule, Subject, Violation
from ask_components.policy.settings import PolicySettings, parse_policy_settings

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "Level",
    "PolicyReport",
    "PolicySettings",
    "Rule",
    "Subject",
    "Violation",
    "check",
    "check_graph",
    "parse_policy_settings",
    "subjects_from_graph",
]
