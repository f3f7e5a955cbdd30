"""``askc backend restore``: make an old checkpoint version the latest again, losing nothing.

The order of operations is chosen so that every step leaves a way back:

1. Refuse unless versioning is on (the replaced checkpoint must stay as a noncurrent version)
   and no lock file exists (a ``pulumi`` command may be writing), unless forced past the locks.
2. Download the chosen version and check it parses as a checkpoint, before anything is written.
3. Copy the current version, pinned by version id, to ``.pulumi/backups/…`` (a second way back
   that no lifecycle rule for noncurrent versions will ever expire).
4. Write the old bytes over the key with ``If-Match: <current ETag>`` (``If-None-Match: *`` when
   the stack was deleted), so a ``pulumi up`` that wrote in between makes the write fail instead
   of being overwritten. If the server does not implement conditional writes, re-check the ETag
   just before an unconditional write.
5. Re-list the versions: the version right below the new one must be the one that was read
   (this catches a concurrent write on servers that silently ignore ``If-Match``), and the new
   version's bytes must equal the restored ones and parse as a checkpoint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from ask_components.backend import settings
from ask_components.backend.checkpoint import decode_checkpoint, resources_of
from ask_components.backend.client import ServiceFault, StateBucket
from ask_components.backend.history import list_versions
from ask_components.backend.stacks import LockInfo, StackRef, find_locks
from ask_components.errors import BackendError, InputError

WriteGuard = Literal["if-match", "if-none-match", "re-check"]

_PRECONDITION_CODES = ("PreconditionFailed", "412", "ConditionalRequestConflict")
_ABSENT_CODES = ("404", "NoSuchKey", "NotFound")


class StackLockedError(BackendError):
    """A lock file exists for the stack: a ``pulumi`` command may be changing it right now."""


class ConcurrentChangeError(BackendError):
    """The checkpoint changed between the read and the write of a restore."""


@dataclass(frozen=True)
class _Current:
    etag: str
    version_id: str
    size: int


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore` did.

    Attributes:
        stack: the stack.
        source_version_id: the version that was restored.
        resource_count: resources in the restored checkpoint.
        new_version_id: the version id of the new latest version (``None`` if nothing written).
        replaced_version_id: the version that was latest before (now noncurrent), if any.
        backup_key: where the replaced checkpoint was also copied, if anywhere.
        guard: how the write was protected against a concurrent ``pulumi up``.
        ignored_locks: locks that ``force`` went past.
        already_latest: True when the version was already the latest (nothing written).
    """

    stack: StackRef
    source_version_id: str
    resource_count: int
    new_version_id: str | None = None
    replaced_version_id: str | None = None
    backup_key: str | None = None
    guard: WriteGuard | None = None
    ignored_locks: tuple[LockInfo, ...] = field(default=())
    already_latest: bool = False


def restore(
    bucket: StateBucket, ref: StackRef, version_id: str, force: bool = False
) -> RestoreResult:
    """Make ``version_id`` the latest version of the stack's checkpoint.

    Args:
        bucket: the connected state bucket.
        ref: the stack (from :func:`~ask_components.backend.stacks.find_stack`).
        version_id: the version to restore (from ``history``).
        force: go on even though lock files exist for the stack.

    Raises:
        StackLockedError: a lock file exists and ``force`` is false (exit code 2).
        InputError: no such version, a delete marker, or not a valid checkpoint.
        ConcurrentChangeError: the checkpoint changed during the restore.
        BackendError: versioning is off, or the endpoint refused a request.
    """
    versioning = settings.read_versioning(bucket)
    if versioning != "Enabled":
        raise BackendError(
            f"versioning is {versioning.lower()} on bucket {bucket.name!r}: restoring would "
            "overwrite the current checkpoint with no way back; turn it on first with: "
            f"{bucket.target.bootstrap_command()}"
        )
    locks = tuple(find_locks(bucket, ref))
    if locks and not force:
        listed = "; ".join(str(lock) for lock in locks)
        raise StackLockedError(
            f"stack {ref.display} is locked ({listed}): a pulumi command may be updating it. "
            "Wait for it to finish; if the lock is stale (its process is gone), re-run with --force"
        )

    data, source_meta = _read_source(bucket, ref, version_id)
    document = decode_checkpoint(data, f"version {version_id} of {ref.key}")
    count = len(resources_of(document))

    current = _read_current(bucket, ref)
    before = _snapshot(bucket, ref, current, backup_key=None)
    if current is not None and current.version_id == version_id:
        return RestoreResult(
            ref,
            version_id,
            count,
            replaced_version_id=current.version_id,
            ignored_locks=locks,
            already_latest=True,
        )

    backup_key = _backup(bucket, ref, current) if current is not None else None
    new_version_id, guard = _write(bucket, ref, data, source_meta, current, backup_key)
    _verify(bucket, ref, data, new_version_id, before, backup_key)
    return RestoreResult(
        stack=ref,
        source_version_id=version_id,
        resource_count=count,
        new_version_id=new_version_id,
        replaced_version_id=current.version_id if current else None,
        backup_key=backup_key,
        guard=guard,
        ignored_locks=locks,
    )


def _read_source(
    bucket: StateBucket, ref: StackRef, version_id: str
) -> tuple[bytes, dict[str, Any]]:
    where = f"version {version_id} of {ref.key}"
    probe = bucket.call_or_fault(
        "head_object",
        ("404", "NoSuchVersion", "NoSuchKey", "405", "MethodNotAllowed", "400"),
        Key=ref.key,
        VersionId=version_id,
    )
    if isinstance(probe, ServiceFault):
        if probe.status == 405 or probe.code == "MethodNotAllowed":
            raise InputError(f"{where} is a delete marker, not a checkpoint; pick another version")
        raise InputError(
            f"no {where} in bucket {bucket.name!r}; list the versions with: "
            f"askc backend history {bucket.target.askc_args()} --stack {ref.display}"
        )
    return bucket.get_bytes(ref.key, version_id)


def _read_current(bucket: StateBucket, ref: StackRef) -> _Current | None:
    head = bucket.call_or_fault("head_object", _ABSENT_CODES, Key=ref.key)
    if isinstance(head, ServiceFault):
        return None  # the stack was removed (a delete marker is the latest version)
    return _Current(
        etag=str(head["ETag"]),
        version_id=str(head.get("VersionId")),
        size=int(head.get("ContentLength", 0)),
    )


def _snapshot(
    bucket: StateBucket, ref: StackRef, current: _Current | None, backup_key: str | None
) -> frozenset[str]:
    """Every version id of the key now; fails if the latest is no longer ``current``."""
    versions = list_versions(bucket, ref)
    latest = next((v for v in versions if v.is_latest and not v.deleted), None)
    if (latest.version_id if latest else None) != (current.version_id if current else None):
        raise ConcurrentChangeError(_changed_message(ref, backup_key, "nothing was overwritten"))
    return frozenset(version.version_id for version in versions)


def _backup(bucket: StateBucket, ref: StackRef, current: _Current) -> str:
    key = ref.backup_key(datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ"))
    bucket.call(
        "copy_object",
        Key=key,
        CopySource={"Bucket": bucket.name, "Key": ref.key, "VersionId": current.version_id},
    )
    copied = bucket.call("head_object", Key=key)
    if int(copied.get("ContentLength", -1)) != current.size:
        raise BackendError(
            f"the backup copy {key} has {copied.get('ContentLength')} bytes, expected "
            f"{current.size}; nothing was restored"
        )
    return key


def _write(
    bucket: StateBucket,
    ref: StackRef,
    data: bytes,
    source_meta: dict[str, Any],
    current: _Current | None,
    backup_key: str | None,
) -> tuple[str, WriteGuard]:
    params: dict[str, Any] = {
        "Key": ref.key,
        "Body": data,
        "ContentType": source_meta.get("ContentType") or "application/json",
    }
    if source_meta.get("ContentEncoding"):
        params["ContentEncoding"] = source_meta["ContentEncoding"]
    guard: WriteGuard
    if current is None:
        guard, condition = "if-none-match", {"IfNoneMatch": "*"}
    else:
        guard, condition = "if-match", {"IfMatch": current.etag}
    result = bucket.call_or_fault(
        "put_object", (*_PRECONDITION_CODES, "unsupported"), **params, **condition
    )
    if isinstance(result, ServiceFault) and not result.unsupported:
        raise ConcurrentChangeError(
            _changed_message(
                ref,
                backup_key,
                "the conditional write was refused (HTTP "
                f"{result.status} {result.code}); nothing was overwritten",
            )
        )
    if isinstance(result, ServiceFault):
        # The server does not do conditional writes: narrow the window to one round trip.
        if _read_current(bucket, ref) != current:
            raise ConcurrentChangeError(
                _changed_message(ref, backup_key, "nothing was overwritten")
            )
        guard = "re-check"
        result = bucket.call("put_object", **params)
    new_version_id = result.get("VersionId")
    if not new_version_id:
        raise BackendError(
            f"the endpoint returned no version id for the write to {ref.key}: versioning does "
            f"not seem to work on bucket {bucket.name!r}; check it with: "
            f"askc backend check {bucket.target.askc_args()}"
        )
    return str(new_version_id), guard


def _verify(
    bucket: StateBucket,
    ref: StackRef,
    data: bytes,
    new_version_id: str,
    before: frozenset[str],
    backup_key: str | None,
) -> None:
    """Check that exactly one version (ours) was added, that it is the latest, and its bytes.

    Compares sets of version ids rather than positions: listings give one-second timestamps
    and list delete markers apart from versions, so order within a second is not reliable.
    """
    after = list_versions(bucket, ref)
    ids = {version.version_id for version in after}
    if new_version_id not in ids:
        raise BackendError(f"the restored version {new_version_id} of {ref.key} is not listed")
    latest = next((version for version in after if version.is_latest), None)
    if latest is not None and latest.version_id != new_version_id:
        raise ConcurrentChangeError(
            _changed_message(
                ref,
                backup_key,
                f"version {latest.version_id} was written right after the restore "
                f"(the restored content is version {new_version_id}, now noncurrent)",
            )
        )
    others = sorted(ids - before - {new_version_id})
    if others:
        raise ConcurrentChangeError(
            _changed_message(
                ref,
                backup_key,
                f"version(s) {', '.join(others)} were written between the read and the restore "
                "(the server ignored the If-Match condition); they are kept as noncurrent versions",
            )
        )
    written, _ = bucket.get_bytes(ref.key, new_version_id)
    if hashlib.sha256(written).digest() != hashlib.sha256(data).digest():
        raise BackendError(
            f"the restored version {new_version_id} of {ref.key} differs from the source bytes"
        )
    decode_checkpoint(written, f"restored version {new_version_id} of {ref.key}")


def _changed_message(ref: StackRef, backup_key: str | None, what: str) -> str:
    backup = f"; the state as it was is also copied to {backup_key}" if backup_key else ""
    return (
        f"the checkpoint of stack {ref.display} changed during the restore (a pulumi command "
        f"may be running): {what}{backup}. Check `askc backend history` and try again"
    )
