"""``askc backend check``: is a state bucket protected? Reports each protection with its fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ask_components.backend import settings as s
from ask_components.backend.client import StateBucket
from ask_components.backend.names import BackendTarget

CheckStatus = Literal["ok", "missing"]


@dataclass(frozen=True)
class CheckItem:
    """One protection of the state bucket.

    Attributes:
        name: ``versioning``, ``encryption``, ``privacy`` or ``lifecycle``.
        status: ``ok`` or ``missing``.
        detail: what was found.
        fix: the exact command (or action) that fixes it; ``None`` when ok.
    """

    name: str
    status: CheckStatus
    detail: str
    fix: str | None = None


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check`.

    Attributes:
        target: the bucket and endpoint.
        items: one item per protection.
    """

    target: BackendTarget
    items: tuple[CheckItem, ...]

    @property
    def ok(self) -> bool:
        """True when every protection is in place."""
        return all(item.status == "ok" for item in self.items)

    @property
    def missing(self) -> tuple[CheckItem, ...]:
        """The protections that are not in place."""
        return tuple(item for item in self.items if item.status != "ok")


def check(bucket: StateBucket) -> CheckReport:
    """Verify versioning, default encryption, privacy and the noncurrent-version lifecycle rule.

    Args:
        bucket: the connected state bucket.

    Raises:
        BackendError: the bucket does not exist or the endpoint refused a request.
    """
    fix = bucket.target.bootstrap_command()
    items = (
        _check_versioning(bucket, fix),
        _check_encryption(bucket, fix),
        _check_privacy(bucket, fix),
        _check_lifecycle(bucket, fix),
    )
    return CheckReport(bucket.target, items)


def _check_versioning(bucket: StateBucket, fix: str) -> CheckItem:
    state = s.read_versioning(bucket)
    if state == "Enabled":
        return CheckItem("versioning", "ok", "enabled")
    detail = "suspended" if state == "Suspended" else "off"
    return CheckItem(
        "versioning",
        "missing",
        f"{detail}: an overwritten or deleted checkpoint cannot be recovered",
        fix,
    )


def _check_encryption(bucket: StateBucket, fix: str) -> CheckItem:
    algorithm = s.read_encryption(bucket)
    if algorithm:
        return CheckItem("encryption", "ok", f"server-side encryption by default ({algorithm})")
    return CheckItem(
        "encryption", "missing", "no default server-side encryption: state is stored in clear", fix
    )


def _check_privacy(bucket: StateBucket, fix: str) -> CheckItem:
    grants = s.public_acl_grants(bucket)
    statements = s.public_policy_statements(bucket)
    pab = s.read_public_access_block(bucket)
    if pab is s.UNSUPPORTED:
        pab_text = "block public access: not supported by the endpoint"
    elif isinstance(pab, dict) and all(pab.values()):
        pab_text = "block public access: on"
    else:
        pab_text = "block public access: off"
    problems: list[str] = []
    fixes: list[str] = []
    if grants:
        problems.append(f"the ACL is public ({', '.join(grants)})")
        fixes.append(fix)
    if isinstance(statements, list) and statements:
        problems.append(f"bucket policy statement(s) {', '.join(statements)} allow anyone")
        fixes.append(f"remove statement(s) {', '.join(statements)} from the bucket policy")
    elif isinstance(statements, s.UnreadablePolicy):
        problems.append(statements.problem())
        fixes.append("rewrite the bucket policy as a JSON object with a Statement list")
    if problems:
        return CheckItem("privacy", "missing", "; ".join([*problems, pab_text]), "; ".join(fixes))
    return CheckItem("privacy", "ok", f"ACL private; {pab_text}")


def _check_lifecycle(bucket: StateBucket, fix: str) -> CheckItem:
    rules = s.read_lifecycle_rules(bucket)
    if isinstance(rules, s.Unsupported):
        return CheckItem(
            "lifecycle",
            "missing",
            "the endpoint does not implement the lifecycle API, so the rule cannot be verified",
            f"add a rule that expires noncurrent versions under {s.STATE_PREFIX} in the console",
        )
    view = s.view_lifecycle(rules)
    if view.dangerous:
        reasons = "; ".join(f"rule {rule_id!r}: {why}" for rule_id, why in view.dangerous)
        names = ", ".join(sorted({rule_id for rule_id, _ in view.dangerous}))
        return CheckItem(
            "lifecycle",
            "missing",
            reasons,
            f"remove lifecycle rule(s) {names} or narrow them so they skip {s.STATE_PREFIX}",
        )
    days = view.retention_days
    if days is None:
        return CheckItem(
            "lifecycle",
            "missing",
            f"no rule expires noncurrent versions under {s.STATE_PREFIX}: every old checkpoint "
            "is kept (and billed) forever",
            fix,
        )
    rule_ids = ", ".join(str(rule.get("ID") or "(no id)") for rule in view.protecting)
    return CheckItem("lifecycle", "ok", f"noncurrent versions kept {days} days (rule {rule_ids})")
