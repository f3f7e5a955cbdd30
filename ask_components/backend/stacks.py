"""Where a stack's checkpoint, locks and backups live in a DIY-backend bucket.

Two layouts exist: project-scoped (``.pulumi/stacks/<project>/<stack>.json``, locks under
``.pulumi/locks/<project>/<stack>/<id>.json``) and the older one (``.pulumi/stacks/<stack>.json``,
locks under ``.pulumi/locks/<stack>/<id>.json``). Both are found; both lock places are checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from ask_components.backend.client import StateBucket
from ask_components.errors import AskError, InputError

STACKS_PREFIX: Final = ".pulumi/stacks/"
LOCKS_PREFIX: Final = ".pulumi/locks/"
BACKUPS_PREFIX: Final = ".pulumi/backups/"
CHECKPOINT_SUFFIXES: Final = (".json", ".json.gz")

# Pulumi's rule for stack and project names: letters, digits, '-', '_', '.'.
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StackRef:
    """One stack's checkpoint in the bucket.

    Attributes:
        project: the project, or ``None`` for the older layout without projects.
        stack: the stack name.
        key: the checkpoint object's key.
    """

    project: str | None
    stack: str
    key: str

    @property
    def display(self) -> str:
        """``project/stack`` (or ``stack`` in the older layout)."""
        return f"{self.project}/{self.stack}" if self.project else self.stack

    @property
    def suffix(self) -> str:
        """``.json`` or ``.json.gz``."""
        return ".json.gz" if self.key.endswith(".json.gz") else ".json"

    def lock_prefixes(self) -> tuple[str, ...]:
        """Folders whose direct ``*.json`` children are locks on this stack.

        Pulumi names the lock folder after the stack's fully qualified name
        (``organization/<project>/<stack>`` in the project layout, ``<stack>`` in the old one;
        pkg/backend/diy/lock.go). ``<project>/<stack>`` is checked too: refusing on a stray lock
        costs a ``--force``, missing a real one can cost the state.
        """
        legacy = f"{LOCKS_PREFIX}{self.stack}/"
        if self.project is None:
            return (legacy,)
        return (
            f"{LOCKS_PREFIX}organization/{self.project}/{self.stack}/",
            f"{LOCKS_PREFIX}{self.project}/{self.stack}/",
            legacy,
        )

    def backup_key(self, stamp: str) -> str:
        """Where ``restore`` copies the replaced checkpoint: ``.pulumi/backups/…``."""
        folder = f"{self.project}/{self.stack}" if self.project else self.stack
        return f"{BACKUPS_PREFIX}{folder}/{self.stack}.{stamp}.before-restore{self.suffix}"


def split_stack_name(stack: str, project: str | None = None) -> tuple[str | None, str]:
    """Accept ``stack``, ``project/stack``, ``organization/stack``, ``organization/project/stack``.

    (The DIY backend's only organization is the literal ``organization``.)

    Args:
        stack: the ``--stack`` value.
        project: the ``--project`` value, if any.

    Raises:
        InputError: bad names, or ``--project`` disagrees with the project in ``--stack``.
    """
    parts = stack.split("/")
    if len(parts) > 3 or any(not part for part in parts):
        raise InputError(
            f"invalid --stack {stack!r}: expected STACK, PROJECT/STACK "
            "or organization/PROJECT/STACK"
        )
    name = parts[-1]
    from_stack = parts[-2] if len(parts) >= 2 else None
    if len(parts) == 2 and from_stack == "organization":  # Pulumi's <org>/<stack> form
        from_stack = None
    if project and from_stack and project != from_stack:
        raise InputError(f"--project {project!r} disagrees with the project in --stack {stack!r}")
    chosen = project or from_stack
    for label, value in (("stack", name), ("project", chosen)):
        if value is not None and not _NAME_RE.match(value):
            raise InputError(
                f"invalid {label} name {value!r}: use letters, digits, '-', '_' and '.' only"
            )
    return chosen, name


def _all_keys(bucket: StateBucket, prefix: str) -> dict[str, tuple[bool, datetime | None]]:
    """Every key under ``prefix`` that has ever existed → (alive now, latest change)."""
    found: dict[str, tuple[bool, datetime | None]] = {}
    for page in iter_version_pages(bucket, prefix):
        for entry in page.get("Versions", []):
            if entry.get("IsLatest"):
                found[entry["Key"]] = (True, entry.get("LastModified"))
            else:
                found.setdefault(entry["Key"], (False, entry.get("LastModified")))
        for entry in page.get("DeleteMarkers", []):
            if entry.get("IsLatest"):
                found[entry["Key"]] = (False, entry.get("LastModified"))
            else:
                found.setdefault(entry["Key"], (False, entry.get("LastModified")))
    return found


def iter_version_pages(bucket: StateBucket, prefix: str) -> Iterator[dict[str, Any]]:
    """``ListObjectVersions`` pages for ``prefix``, following the markers."""
    params: dict[str, Any] = {"Prefix": prefix}
    while True:
        page = bucket.call("list_object_versions", **params)
        yield page
        if not page.get("IsTruncated"):
            return
        params["KeyMarker"] = page.get("NextKeyMarker")
        params["VersionIdMarker"] = page.get("NextVersionIdMarker")


def _parse_key(key: str) -> tuple[str | None, str] | None:
    """``(project, stack)`` for a checkpoint key, ``None`` for anything else."""
    rest = key.removeprefix(STACKS_PREFIX)
    for suffix in CHECKPOINT_SUFFIXES:
        if rest.endswith(suffix):
            rest = rest.removesuffix(suffix)
            break
    else:
        return None
    parts = rest.split("/")
    if len(parts) == 1:
        return None, parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def find_stack(bucket: StateBucket, stack: str, project: str | None = None) -> StackRef:
    """Find a stack's checkpoint, including stacks whose checkpoint was deleted (kept versions).

    Args:
        bucket: the connected state bucket.
        stack: ``stack``, ``project/stack`` or ``organization/project/stack``.
        project: the project, when the stack name alone is ambiguous.

    Raises:
        InputError: no such stack, or the name exists in several projects and none was given.
    """
    project, name = split_stack_name(stack, project)
    keys = _all_keys(bucket, STACKS_PREFIX)
    candidates: list[tuple[StackRef, bool, datetime | None]] = []
    stacks_seen: set[str] = set()
    for key, (alive, changed) in keys.items():
        parsed = _parse_key(key)
        if parsed is None:
            continue
        key_project, key_stack = parsed
        stacks_seen.add(f"{key_project}/{key_stack}" if key_project else key_stack)
        if key_stack != name or (project is not None and key_project != project):
            continue
        candidates.append((StackRef(key_project, key_stack, key), alive, changed))
    wanted = f"{project}/{name}" if project else name
    if not candidates:
        known = ", ".join(sorted(stacks_seen)[:20]) or "none"
        raise InputError(
            f"no checkpoint for stack {wanted!r} in bucket {bucket.name!r} "
            f"(looked under {STACKS_PREFIX}); stacks found: {known}"
        )
    projects = sorted({ref.project or "(no project)" for ref, _, _ in candidates})
    if len(projects) > 1:
        raise InputError(
            f"stack {name!r} exists in several projects ({', '.join(projects)}); "
            "pass --project or --stack PROJECT/STACK"
        )
    # Same stack as .json and .json.gz: prefer the live one, then the most recently written.
    candidates.sort(key=lambda c: (c[1], c[2] or _EPOCH), reverse=True)
    return candidates[0][0]


@dataclass(frozen=True)
class LockInfo:
    """A lock file a running ``pulumi`` operation holds on the stack.

    Attributes:
        key: the lock object's key.
        last_modified: when it was written.
        holder: who holds it (``user@host pid N``), when the lock content says so.
    """

    key: str
    last_modified: datetime | None
    holder: str | None

    def __str__(self) -> str:
        parts = [self.key]
        if self.holder:
            parts.append(f"held by {self.holder}")
        if self.last_modified:
            parts.append(f"since {self.last_modified.isoformat(timespec='seconds')}")
        return ", ".join(parts)


def find_locks(bucket: StateBucket, ref: StackRef) -> list[LockInfo]:
    """The lock files currently held on the stack (both layouts)."""
    locks: list[LockInfo] = []
    for prefix in ref.lock_prefixes():
        params: dict[str, Any] = {"Prefix": prefix}
        while True:
            page = bucket.call("list_objects_v2", **params)
            for entry in page.get("Contents", []):
                key = entry["Key"]
                rest = key.removeprefix(prefix)
                if "/" in rest or not rest.endswith(".json"):
                    continue
                locks.append(LockInfo(key, entry.get("LastModified"), _lock_holder(bucket, key)))
            if not page.get("IsTruncated"):
                break
            params["ContinuationToken"] = page.get("NextContinuationToken")
    return locks


def _lock_holder(bucket: StateBucket, key: str) -> str | None:
    """``user@host pid N`` from Pulumi's lock content, best effort."""
    try:
        data, _ = bucket.get_bytes(key)
        content = json.loads(data)
    except (AskError, ValueError, RecursionError):  # a lock vanishing or holding junk must
        # not hide the lock
        return None
    if not isinstance(content, Mapping):
        return None
    user = content.get("username")
    host = content.get("hostname")
    pid = content.get("pid")
    text = "@".join(str(part) for part in (user, host) if part)
    if pid:
        text = f"{text} pid {pid}".strip()
    return text or None
