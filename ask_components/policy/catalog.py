"""Every rule, in the order they are documented and reported."""

from __future__ import annotations

from ask_components.policy.model import Rule
from ask_components.policy.rules import (
    ALB_HTTPS_REDIRECT,
    API_SERVER_PRIVATE,
    CLB_INTERNET_PUBLIC_ONLY,
    CONTAINER_LIMITS,
    ECI_SPEC_DECLARED,
    IMAGE_TAG_PINNED,
    NO_HOST_NAMESPACES,
    NO_PLAINTEXT_SECRETS,
    NO_PRIVILEGED_CONTAINERS,
    PROD_DELETION_PROTECTION,
    RUN_AS_NON_ROOT,
    SPOT_BATCH_ONLY,
)
from ask_components.policy.stack_rules import (
    NAT_EGRESS_FOR_PUBLIC_IMAGES,
    PRIVATE_ZONE_PLATFORM_VPC,
)

RULES: tuple[Rule, ...] = (
    API_SERVER_PRIVATE,
    PROD_DELETION_PROTECTION,
    ECI_SPEC_DECLARED,
    CONTAINER_LIMITS,
    IMAGE_TAG_PINNED,
    RUN_AS_NON_ROOT,
    NO_PRIVILEGED_CONTAINERS,
    NO_HOST_NAMESPACES,
    SPOT_BATCH_ONLY,
    ALB_HTTPS_REDIRECT,
    CLB_INTERNET_PUBLIC_ONLY,
    PRIVATE_ZONE_PLATFORM_VPC,
    NO_PLAINTEXT_SECRETS,
    NAT_EGRESS_FOR_PUBLIC_IMAGES,
)
"""The ask-guardrails rules."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
