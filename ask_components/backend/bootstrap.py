"""``askc backend bootstrap``: create and secure a bucket for Pulumi state, idempotently.

Every step reads the current setting first and writes only when it differs, so a second run
changes nothing and says so, setting by setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ask_components.backend import settings as s
from ask_components.backend.client import ServiceFault, StateBucket
from ask_components.backend.names import BackendTarget, is_oss_endpoint
from ask_components.errors import BackendError, InputError

SettingState = Literal["unchanged", "changed", "unsupported", "warning"]

MIN_NONCURRENT_DAYS = 1
MAX_NONCURRENT_DAYS = 36500

_PAB_HINT = (
    "turn on Block Public Access for the bucket in the OSS console "
    "(Bucket > Permission Control > Block Public Access)"
)


@dataclass(frozen=True)
class SettingResult:
    """What bootstrap found and did for one setting.

    Attributes:
        name: ``bucket``, ``versioning``, ``encryption``, ``acl``, ``public-access-block``,
            ``policy`` or ``lifecycle``.
        state: ``unchanged`` (already right), ``changed`` (written now), ``unsupported`` (the
            endpoint lacks the API; skipped) or ``warning`` (needs a human).
        message: e.g. ``already enabled``.
    """

    name: str
    state: SettingState
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass(frozen=True)
class BootstrapReport:
    """The outcome of :func:`bootstrap`.

    Attributes:
        target: the bucket and endpoint.
        noncurrent_days: the retention asked for.
        settings: one result per setting, in the order applied.
    """

    target: BackendTarget
    noncurrent_days: int
    settings: tuple[SettingResult, ...]

    @property
    def changed(self) -> bool:
        """True when at least one setting was written."""
        return any(result.state == "changed" for result in self.settings)

    @property
    def pulumi_login_command(self) -> str:
        """The ``pulumi login`` command for this bucket."""
        return self.target.pulumi_login_command()


def validate_noncurrent_days(days: int) -> int:
    """Return ``days`` if it is a usable retention, else raise ``InputError``."""
    if not MIN_NONCURRENT_DAYS <= days <= MAX_NONCURRENT_DAYS:
        raise InputError(
            f"--noncurrent-days must be between {MIN_NONCURRENT_DAYS} and "
            f"{MAX_NONCURRENT_DAYS}, got {days}"
        )
    return days


def bootstrap(
    bucket: StateBucket, noncurrent_days: int = s.DEFAULT_NONCURRENT_DAYS
) -> BootstrapReport:
    """Create the bucket if needed and turn on every protection Pulumi state needs.

    Args:
        bucket: the connected state bucket.
        noncurrent_days: how long a replaced checkpoint version stays restorable.

    Raises:
        InputError: ``noncurrent_days`` is out of range.
        BackendError: the endpoint refused a request (the message says which and why).
    """
    validate_noncurrent_days(noncurrent_days)
    results = [
        _ensure_bucket(bucket),
        _ensure_versioning(bucket),
        _ensure_encryption(bucket),
        _ensure_private_acl(bucket),
        _ensure_public_access_block(bucket),
        *_inspect_policy(bucket),
        *_ensure_lifecycle(bucket, noncurrent_days),
    ]
    return BootstrapReport(bucket.target, noncurrent_days, tuple(results))


def _ensure_bucket(bucket: StateBucket) -> SettingResult:
    if s.bucket_exists(bucket):
        return SettingResult("bucket", "unchanged", "already exists")
    params: dict[str, object] = {}
    target = bucket.target
    # OSS takes the region from the endpoint and has no S3 LocationConstraint; other S3 servers
    # (and moto) need it outside us-east-1.
    if not is_oss_endpoint(target.endpoint) and target.region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": target.region}
    result = bucket.call_or_fault(
        "create_bucket", ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"), ACL="private", **params
    )
    if isinstance(result, ServiceFault):
        if result.code == "BucketAlreadyOwnedByYou":  # created concurrently by us
            return SettingResult("bucket", "unchanged", "already exists")
        raise BackendError(
            f"bucket name {target.bucket!r} is taken by another account (bucket names are "
            "global); choose another --bucket"
        )
    return SettingResult("bucket", "changed", f"created in {target.region}")


def _ensure_versioning(bucket: StateBucket) -> SettingResult:
    current = s.read_versioning(bucket)
    if current == "Enabled":
        return SettingResult("versioning", "unchanged", "already enabled")
    bucket.call("put_bucket_versioning", VersioningConfiguration={"Status": "Enabled"})
    note = " (was suspended)" if current == "Suspended" else ""
    return SettingResult("versioning", "changed", f"enabled{note}")


def _ensure_encryption(bucket: StateBucket) -> SettingResult:
    current = s.read_encryption(bucket)
    if current:
        return SettingResult("encryption", "unchanged", f"already enabled ({current})")
    bucket.call(
        "put_bucket_encryption",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": s.DEFAULT_SSE_ALGORITHM}}
            ]
        },
    )
    return SettingResult("encryption", "changed", f"enabled ({s.DEFAULT_SSE_ALGORITHM})")


def _ensure_private_acl(bucket: StateBucket) -> SettingResult:
    public = s.public_acl_grants(bucket)
    if not public:
        return SettingResult("acl", "unchanged", "already private")
    bucket.call("put_bucket_acl", ACL="private")
    return SettingResult("acl", "changed", f"set to private (removed {', '.join(public)})")


def _ensure_public_access_block(bucket: StateBucket) -> SettingResult:
    current = s.read_public_access_block(bucket)
    if current is s.UNSUPPORTED:
        return SettingResult(
            "public-access-block", "unsupported", f"not supported by this endpoint; {_PAB_HINT}"
        )
    if isinstance(current, dict) and all(current.values()):
        return SettingResult("public-access-block", "unchanged", "already blocked")
    result = bucket.call_or_fault(
        "put_public_access_block",
        ("unsupported",),
        PublicAccessBlockConfiguration=dict.fromkeys(s.PUBLIC_ACCESS_BLOCK_KEYS, True),
    )
    if isinstance(result, ServiceFault):
        return SettingResult(
            "public-access-block", "unsupported", f"not supported by this endpoint; {_PAB_HINT}"
        )
    return SettingResult("public-access-block", "changed", "public access blocked")


def _inspect_policy(bucket: StateBucket) -> list[SettingResult]:
    public = s.public_policy_statements(bucket)
    if isinstance(public, s.UnreadablePolicy):
        return [
            SettingResult(
                "policy",
                "warning",
                f"{public.problem()}; review it (bootstrap does not edit bucket policies)",
            )
        ]
    if public is s.UNSUPPORTED or not public:
        return []
    assert isinstance(public, list)
    return [
        SettingResult(
            "policy",
            "warning",
            f"bucket policy statement(s) {', '.join(public)} allow anyone; remove them "
            "(bootstrap does not edit bucket policies)",
        )
    ]


def _ensure_lifecycle(bucket: StateBucket, days: int) -> list[SettingResult]:
    rules = s.read_lifecycle_rules(bucket)
    if isinstance(rules, s.Unsupported):
        return [
            SettingResult(
                "lifecycle",
                "unsupported",
                "the endpoint does not implement the lifecycle API; add a rule that expires "
                f"noncurrent versions under {s.STATE_PREFIX} after {days} days in the console",
            )
        ]
    view = s.view_lifecycle(rules)
    kept = f"noncurrent versions under {s.STATE_PREFIX} kept {days} days"
    if view.managed is not None and s.managed_rule_matches(view.managed, days):
        result = SettingResult("lifecycle", "unchanged", f"already set ({kept})")
    else:
        others = [rule for rule in rules if rule.get("ID") != s.LIFECYCLE_RULE_ID]
        bucket.call(
            "put_bucket_lifecycle_configuration",
            LifecycleConfiguration={"Rules": [*others, s.managed_rule(days)]},
        )
        if view.managed is None:
            message = f"rule {s.LIFECYCLE_RULE_ID} added ({kept})"
        else:
            before = s.noncurrent_days(view.managed)
            message = f"rule {s.LIFECYCLE_RULE_ID} updated ({before} → {days} days; {kept})"
        result = SettingResult("lifecycle", "changed", message)
    results = [result]
    for rule in view.protecting:
        other_days = s.noncurrent_days(rule)
        if rule.get("ID") != s.LIFECYCLE_RULE_ID and other_days is not None and other_days < days:
            results.append(
                SettingResult(
                    "lifecycle",
                    "warning",
                    f"rule {rule.get('ID')!r} deletes noncurrent versions after {other_days} "
                    f"days, before the {days} asked for",
                )
            )
    results.extend(
        SettingResult("lifecycle", "warning", f"rule {rule_id!r} endangers the state: {why}")
        for rule_id, why in view.dangerous
    )
    return results
