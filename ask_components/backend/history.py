"""``askc backend history``: every kept version of a stack's checkpoint, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ask_components.backend.checkpoint import decode_checkpoint, resources_of
from ask_components.backend.client import StateBucket
from ask_components.backend.stacks import StackRef, iter_version_pages
from ask_components.errors import InputError

DEFAULT_LIMIT = 50
"""How many versions ``history`` inspects unless told otherwise (each one is downloaded)."""


@dataclass(frozen=True)
class CheckpointVersion:
    """One version of a checkpoint object.

    Attributes:
        version_id: the object version id (what ``restore --version-id`` takes).
        last_modified: when the version was written.
        size: bytes (0 for a delete marker).
        is_latest: True for the version Pulumi reads now.
        deleted: True for a delete marker (``pulumi stack rm`` or a lifecycle expiry).
        etag: the version's ETag.
        resource_count: resources in ``checkpoint.latest``; ``None`` if not counted or unreadable.
        problem: why the version could not be read as a checkpoint, if it could not.
    """

    version_id: str
    last_modified: datetime
    size: int
    is_latest: bool
    deleted: bool = False
    etag: str | None = None
    resource_count: int | None = None
    problem: str | None = None


def list_versions(bucket: StateBucket, ref: StackRef) -> list[CheckpointVersion]:
    """Every version and delete marker of the checkpoint key, newest first (no downloads)."""
    versions: list[CheckpointVersion] = []
    markers: list[CheckpointVersion] = []
    for page in iter_version_pages(bucket, ref.key):
        versions.extend(_entry(e, deleted=False) for e in _exact(page.get("Versions", []), ref.key))
        markers.extend(
            _entry(e, deleted=True) for e in _exact(page.get("DeleteMarkers", []), ref.key)
        )
    # S3 lists the versions of one key newest first; delete markers come in a separate list.
    # Merge by time without reordering within a list (timestamps tie at one-second precision).
    merged = _merge_newest_first(versions, markers)
    latest = [v for v in merged if v.is_latest]
    return latest + [v for v in merged if not v.is_latest]


def _exact(entries: Iterable[dict[str, Any]], key: str) -> Iterable[dict[str, Any]]:
    # The prefix listing also returns `<stack>.json.bak` and friends.
    return (entry for entry in entries if entry.get("Key") == key)


def _entry(entry: dict[str, Any], *, deleted: bool) -> CheckpointVersion:
    return CheckpointVersion(
        version_id=str(entry.get("VersionId")),
        last_modified=entry["LastModified"],
        size=int(entry.get("Size", 0)),
        is_latest=bool(entry.get("IsLatest")),
        deleted=deleted,
        etag=entry.get("ETag"),
    )


def _merge_newest_first(
    first: list[CheckpointVersion], second: list[CheckpointVersion]
) -> list[CheckpointVersion]:
    merged: list[CheckpointVersion] = []
    i = j = 0
    while i < len(first) and j < len(second):
        if second[j].last_modified > first[i].last_modified:
            merged.append(second[j])
            j += 1
        else:
            merged.append(first[i])
            i += 1
    return merged + first[i:] + second[j:]


def history(
    bucket: StateBucket,
    ref: StackRef,
    limit: int | None = DEFAULT_LIMIT,
    count_resources: bool = True,
) -> tuple[list[CheckpointVersion], int]:
    """The versions of a stack's checkpoint, newest first, with their resource counts.

    Args:
        bucket: the connected state bucket.
        ref: the stack (from :func:`~ask_components.backend.stacks.find_stack`).
        limit: inspect at most this many of the newest versions; ``None`` for all.
        count_resources: download each version to count its resources.

    Returns:
        The (possibly limited) versions and the total number of versions.
    """
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}")
    every = list_versions(bucket, ref)
    shown = every if limit is None else every[:limit]
    if count_resources:
        shown = [_with_count(bucket, ref, version) for version in shown]
    return shown, len(every)


def _with_count(
    bucket: StateBucket, ref: StackRef, version: CheckpointVersion
) -> CheckpointVersion:
    if version.deleted:
        return version
    data, _ = bucket.get_bytes(ref.key, version.version_id)
    try:
        document = decode_checkpoint(data, f"version {version.version_id}")
    except InputError as exc:
        return replace(version, problem=str(exc))
    return replace(version, resource_count=len(resources_of(document)))
