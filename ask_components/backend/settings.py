"""Read a state bucket's protective settings; shared by ``bootstrap`` and ``check``.

Each reader returns plain values. ``None`` means "not set", :data:`UNSUPPORTED` means the
endpoint does not implement the API (OSS's S3 compatibility lacks a few S3 bucket APIs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from ask_components.backend.client import ServiceFault, StateBucket

STATE_PREFIX: Final = ".pulumi/"
"""Everything Pulumi's DIY backend writes lives under this prefix."""

LIFECYCLE_RULE_ID: Final = "askc-pulumi-state-noncurrent-versions"
"""The id of the lifecycle rule ``bootstrap`` manages (other rules are left alone)."""

DEFAULT_NONCURRENT_DAYS: Final = 90
"""How long a replaced checkpoint version stays restorable, unless ``--noncurrent-days`` says."""

DEFAULT_SSE_ALGORITHM: Final = "AES256"

PUBLIC_GROUP_URIS: Final = frozenset(
    {
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    }
)

PUBLIC_ACCESS_BLOCK_KEYS: Final = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)


class Unsupported:
    def __repr__(self) -> str:
        return "UNSUPPORTED"


UNSUPPORTED: Final = Unsupported()
"""Returned by a reader when the endpoint does not implement the API."""

Versioning = Literal["Enabled", "Suspended", "Off"]


def bucket_exists(bucket: StateBucket) -> bool:
    """True when the bucket exists and these credentials may use it.

    Asks with a GET, not HEAD: a HEAD error has no body, so "bad key", "wrong secret" and "no
    permission" would all look like a bare 403.
    """
    result = bucket.call_or_fault("get_bucket_versioning", ("NoSuchBucket",))
    return not isinstance(result, ServiceFault)


def read_versioning(bucket: StateBucket) -> Versioning:
    """``Enabled``, ``Suspended`` or ``Off`` (never enabled)."""
    status = bucket.call("get_bucket_versioning").get("Status")
    if status == "Enabled":
        return "Enabled"
    if status == "Suspended":
        return "Suspended"
    return "Off"


def read_encryption(bucket: StateBucket) -> str | None:
    """The default server-side encryption algorithm (``AES256``, ``KMS``...) or ``None``."""
    result = bucket.call_or_fault(
        "get_bucket_encryption",
        ("ServerSideEncryptionConfigurationNotFoundError", "NoSuchServerSideEncryptionRule"),
    )
    if isinstance(result, ServiceFault):
        return None
    rules = result.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    for rule in rules:
        algorithm = rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        if algorithm:
            return str(algorithm)
    return None


def public_acl_grants(bucket: StateBucket) -> list[str]:
    """The public grants in the bucket ACL, as ``"<group>: <permission>"``; empty when private."""
    grants = bucket.call("get_bucket_acl").get("Grants", [])
    found: list[str] = []
    for grant in grants:
        grantee = grant.get("Grantee", {})
        uri = grantee.get("URI", "")
        if uri in PUBLIC_GROUP_URIS:
            found.append(f"{uri.rsplit('/', 1)[-1]}: {grant.get('Permission', '?')}")
    return found


def read_public_access_block(bucket: StateBucket) -> dict[str, bool] | Unsupported | None:
    """The four block-public-access flags, ``None`` if not configured, or ``UNSUPPORTED``."""
    result = bucket.call_or_fault(
        "get_public_access_block",
        ("NoSuchPublicAccessBlockConfiguration", "unsupported"),
    )
    if isinstance(result, ServiceFault):
        return UNSUPPORTED if result.unsupported else None
    config = result.get("PublicAccessBlockConfiguration", {})
    return {key: bool(config.get(key)) for key in PUBLIC_ACCESS_BLOCK_KEYS}


@dataclass(frozen=True)
class UnreadablePolicy:
    """A bucket policy this check cannot read: it may allow anyone, so it is never a pass.

    Attributes:
        reason: what is wrong with it (``it is not JSON``).
    """

    reason: str

    def problem(self) -> str:
        """The sentence ``backend check`` and ``bootstrap`` report."""
        return f"the bucket policy cannot be read ({self.reason}): it may allow anyone"


def public_policy_statements(bucket: StateBucket) -> list[str] | Unsupported | UnreadablePolicy:
    """Statement ids (or indexes) of the bucket policy that allow anyone, without conditions."""
    result = bucket.call_or_fault("get_bucket_policy", ("NoSuchBucketPolicy", "unsupported"))
    if isinstance(result, ServiceFault):
        return UNSUPPORTED if result.unsupported else []
    try:
        policy = json.loads(result.get("Policy") or "{}")
    except (ValueError, RecursionError):  # not JSON, or an integer of 5,000 digits
        return UnreadablePolicy("it is not JSON")
    if not isinstance(policy, Mapping):
        return UnreadablePolicy("it is not a JSON object")
    statements = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return UnreadablePolicy("its Statement is neither a list nor an object")
    found: list[str] = []
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping):
            return UnreadablePolicy(f"its statement #{index} is not an object")
        if statement.get("Effect") != "Allow" or statement.get("Condition"):
            continue
        if _is_everyone(statement.get("Principal")):
            found.append(str(statement.get("Sid") or f"#{index}"))
    return found


def _is_everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any(_is_everyone(value) for value in principal.values())
    if isinstance(principal, list):
        return "*" in principal
    return False


def read_lifecycle_rules(bucket: StateBucket) -> list[dict[str, Any]] | Unsupported:
    """The bucket's lifecycle rules (empty when none), or ``UNSUPPORTED``."""
    result = bucket.call_or_fault(
        "get_bucket_lifecycle_configuration",
        ("NoSuchLifecycleConfiguration", "unsupported"),
    )
    if isinstance(result, ServiceFault):
        return UNSUPPORTED if result.unsupported else []
    return list(result.get("Rules", []))


# --- lifecycle rules: which ones protect and which ones endanger the state --------------------


def rule_prefix(rule: Mapping[str, Any]) -> str | None:
    """The key prefix a rule applies to ("" = whole bucket); ``None`` if it filters on tags/size."""
    if "Filter" not in rule:
        return str(rule.get("Prefix", ""))
    flt = rule["Filter"] or {}
    if "And" in flt:
        conditions = flt["And"] or {}
        if set(conditions) - {"Prefix"}:
            return None
        return str(conditions.get("Prefix", ""))
    if set(flt) - {"Prefix"}:
        return None
    return str(flt.get("Prefix", ""))


def rule_covers_state(rule: Mapping[str, Any]) -> bool:
    """True when an enabled rule applies to every object under ``.pulumi/``."""
    prefix = rule_prefix(rule)
    return (
        rule.get("Status") == "Enabled" and prefix is not None and STATE_PREFIX.startswith(prefix)
    )


def rule_touches_state(rule: Mapping[str, Any]) -> bool:
    """True when an enabled rule applies to at least some objects under ``.pulumi/``."""
    if rule.get("Status") != "Enabled":
        return False
    prefix = rule_prefix(rule)
    if prefix is None:  # tag/size filters: could match state objects
        return True
    return STATE_PREFIX.startswith(prefix) or prefix.startswith(STATE_PREFIX)


def noncurrent_days(rule: Mapping[str, Any]) -> int | None:
    """The rule's ``NoncurrentVersionExpiration`` days, or ``None``."""
    days = (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays")
    return int(days) if days is not None else None


@dataclass(frozen=True)
class LifecycleView:
    """What the lifecycle rules mean for the state.

    Attributes:
        managed: the rule ``bootstrap`` owns (id :data:`LIFECYCLE_RULE_ID`), if present.
        protecting: enabled rules that expire noncurrent versions of all of ``.pulumi/``.
        dangerous: ``(rule id, why)`` for enabled rules that expire or archive current state.
    """

    managed: Mapping[str, Any] | None
    protecting: tuple[Mapping[str, Any], ...]
    dangerous: tuple[tuple[str, str], ...]

    @property
    def retention_days(self) -> int | None:
        """How long noncurrent versions survive: the shortest protecting rule wins."""
        days = [d for d in (noncurrent_days(r) for r in self.protecting) if d is not None]
        return min(days) if days else None


def view_lifecycle(rules: Sequence[Mapping[str, Any]]) -> LifecycleView:
    """Classify the lifecycle rules of a state bucket."""
    managed = next((r for r in rules if r.get("ID") == LIFECYCLE_RULE_ID), None)
    protecting = tuple(r for r in rules if rule_covers_state(r) and noncurrent_days(r) is not None)
    dangerous: list[tuple[str, str]] = []
    for rule in rules:
        if not rule_touches_state(rule):
            continue
        rule_id = str(rule.get("ID") or "(no id)")
        expiration = rule.get("Expiration") or {}
        if expiration.get("Days") is not None or expiration.get("Date") is not None:
            dangerous.append((rule_id, "it expires current objects, i.e. deletes live checkpoints"))
        if rule.get("Transitions"):
            dangerous.append(
                (
                    rule_id,
                    "it moves current objects to another storage class; archived state "
                    "must be restored before Pulumi can read it",
                )
            )
    return LifecycleView(managed=managed, protecting=protecting, dangerous=tuple(dangerous))


def managed_rule(days: int) -> dict[str, Any]:
    """The lifecycle rule ``bootstrap`` writes: noncurrent ``.pulumi/`` versions live ``days``."""
    return {
        "ID": LIFECYCLE_RULE_ID,
        "Status": "Enabled",
        "Filter": {"Prefix": STATE_PREFIX},
        "NoncurrentVersionExpiration": {"NoncurrentDays": days},
    }


def managed_rule_matches(rule: Mapping[str, Any], days: int) -> bool:
    """True when the managed rule is enabled, covers ``.pulumi/`` and keeps ``days``."""
    return rule_covers_state(rule) and noncurrent_days(rule) == days
