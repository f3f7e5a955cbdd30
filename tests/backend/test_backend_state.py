"""``askc backend history`` and ``restore`` against a real S3 API server (moto)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from ask_components.backend import (
    BackendTarget,
    ConcurrentChangeError,
    StateBucket,
    find_stack,
    restore,
)
from ask_components.backend.client import credentials_from_env, make_s3_client
from ask_components.backend.settings import UnreadablePolicy, public_policy_statements
from ask_components.backend.stacks import StackRef
from tests.backend._support import REGION, Cli, make_checkpoint

KEY = ".pulumi/stacks/proj/dev.json"


@pytest.fixture
def state_bucket(s3: Any, bucket_name: str) -> str:
    """A versioned bucket (the only protection history and restore rely on; bootstrap is
    tested in test_backend_bootstrap.py)."""
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=bucket_name, VersioningConfiguration={"Status": "Enabled"})
    return bucket_name


def _write_versions(
    s3: Any, bucket: str, key: str = KEY, counts: tuple[int, ...] = (1, 4, 2)
) -> list[tuple[str, bytes]]:
    """Write one checkpoint per count, oldest first; return (version id, bytes) per write."""
    written = []
    for index, count in enumerate(counts):
        body = make_checkpoint("dev", count, pad=index * 7)
        version = s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]
        written.append((version, body))
    return written


def _latest(s3: Any, bucket: str, key: str = KEY) -> bytes:
    data: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return data


def _version_ids(s3: Any, bucket: str, key: str = KEY) -> list[str]:
    listing = s3.list_object_versions(Bucket=bucket, Prefix=key)
    return [v["VersionId"] for v in listing.get("Versions", []) if v["Key"] == key]


def test_history_of_three_writes_newest_first(cli: Cli, s3: Any, state_bucket: str) -> None:
    written = _write_versions(s3, state_bucket)
    # Noise the listing must ignore: Pulumi's .bak file and another stack.
    s3.put_object(Bucket=state_bucket, Key=KEY + ".bak", Body=b"{}")
    s3.put_object(
        Bucket=state_bucket, Key=".pulumi/stacks/proj/prod.json", Body=make_checkpoint("prod", 9)
    )

    report = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert report["project"] == "proj"
    assert report["key"] == KEY
    assert report["total_versions"] == 3
    rows = [
        (v["version_id"], v["size"], v["resource_count"], v["is_latest"], v["deleted"])
        for v in report["versions"]
    ]
    assert rows == [
        (written[2][0], len(written[2][1]), 2, True, False),
        (written[1][0], len(written[1][1]), 4, False, False),
        (written[0][0], len(written[0][1]), 1, False, False),
    ]

    table = cli("history", "--bucket", state_bucket, "--region", REGION, "--stack", "proj/dev")
    assert table.exit_code == 0
    lines = [line for line in table.stdout.splitlines() if any(v in line for v, _ in written)]
    assert [next(v for v, _ in written if v in line) for line in lines] == [
        written[2][0],
        written[1][0],
        written[0][0],
    ]
    assert "latest" in lines[0]
    assert all("latest" not in line for line in lines[1:])

    limited = cli.json(
        "history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev", "--limit", "1"
    )
    assert [v["version_id"] for v in limited["versions"]] == [written[2][0]]
    assert limited["total_versions"] == 3


def test_history_finds_the_old_layout_and_asks_for_a_project_when_ambiguous(
    cli: Cli, s3: Any, state_bucket: str
) -> None:
    s3.put_object(
        Bucket=state_bucket, Key=".pulumi/stacks/dev.json", Body=make_checkpoint("dev", 3)
    )
    old = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert (old["project"], old["key"]) == (None, ".pulumi/stacks/dev.json")

    s3.put_object(Bucket=state_bucket, Key=KEY, Body=make_checkpoint("dev", 1))
    result = cli("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: stack 'dev' exists in several projects ((no project), proj); "
        "pass --project or --stack PROJECT/STACK\n"
    )
    chosen = cli.json(
        "history",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--project",
        "proj",
    )
    assert chosen["key"] == KEY

    missing = cli("history", "--bucket", state_bucket, "--region", REGION, "--stack", "qa")
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"Error: no checkpoint for stack 'qa' in bucket '{state_bucket}' "
        "(looked under .pulumi/stacks/); stacks found: dev, proj/dev\n"
    )


def test_restore_the_oldest_keeps_the_newest_as_a_noncurrent_version(
    cli: Cli, s3: Any, state_bucket: str
) -> None:
    written = _write_versions(s3, state_bucket)
    oldest_id, oldest = written[0]
    newest_id, newest = written[2]

    report = cli.json(
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        oldest_id,
    )
    assert report["restored_version_id"] == oldest_id
    assert report["replaced_version_id"] == newest_id
    assert report["resource_count"] == 1
    assert report["write_guard"] == "if-match"
    assert report["backup_key"].startswith(".pulumi/backups/proj/dev/dev.")
    assert report["backup_key"].endswith(".before-restore.json")

    assert _latest(s3, state_bucket) == oldest
    versions = _version_ids(s3, state_bucket)
    assert versions[0] == report["new_version_id"]
    assert versions[1:] == [newest_id, written[1][0], oldest_id]
    kept = s3.get_object(Bucket=state_bucket, Key=KEY, VersionId=newest_id)["Body"].read()
    assert kept == newest
    assert _latest(s3, state_bucket, report["backup_key"]) == newest

    history = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert [v["resource_count"] for v in history["versions"]] == [1, 2, 4, 1]

    human = cli(
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        newest_id,
    )
    assert human.exit_code == 0
    assert f"Restored version {newest_id} of proj/dev (2 resources)" in human.stdout
    assert f"s3://{state_bucket}/.pulumi/backups/proj/dev/" in human.stdout
    assert _latest(s3, state_bucket) == newest


@pytest.mark.parametrize(
    "lock_folder",
    [
        ".pulumi/locks/organization/proj/dev",  # where Pulumi writes it (pkg/backend/diy/lock.go)
        ".pulumi/locks/proj/dev",
    ],
)
def test_restore_is_refused_while_the_stack_is_locked(
    cli: Cli, s3: Any, state_bucket: str, lock_folder: str
) -> None:
    written = _write_versions(s3, state_bucket)
    lock_key = f"{lock_folder}/0b1c2d3e-aaaa-bbbb-cccc-000000000001.json"
    lock = {
        "pid": 4242,
        "username": "alice",
        "hostname": "ci-runner-7",
        "timestamp": "2026-01-01T00:00:00Z",
    }
    s3.put_object(Bucket=state_bucket, Key=lock_key, Body=json.dumps(lock).encode())
    args = [
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        written[0][0],
    ]

    refused = cli(*args)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        f"Error: stack proj/dev is locked ({lock_key}, held by alice@ci-runner-7 pid 4242, since "
    )
    assert "re-run with --force" in refused.stderr
    assert _latest(s3, state_bucket) == written[2][1]
    assert len(_version_ids(s3, state_bucket)) == 3

    forced = cli(*args, "--force")
    assert forced.exit_code == 0
    assert f"Warning: --force went past the lock {lock_key}" in forced.stderr
    assert _latest(s3, state_bucket) == written[0][1]


def test_a_lock_in_the_old_layout_also_blocks(cli: Cli, s3: Any, state_bucket: str) -> None:
    written = _write_versions(s3, state_bucket)
    s3.put_object(Bucket=state_bucket, Key=".pulumi/locks/dev/feed.json", Body=b"{}")
    result = cli(
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        written[0][0],
    )
    assert result.exit_code == 2
    assert "is locked (.pulumi/locks/dev/feed.json, since" in result.stderr


def test_restore_refuses_versions_that_are_not_checkpoints(
    cli: Cli, s3: Any, state_bucket: str
) -> None:
    written = _write_versions(s3, state_bucket)
    junk = s3.put_object(Bucket=state_bucket, Key=KEY, Body=b"{not json")["VersionId"]
    export = s3.put_object(
        Bucket=state_bucket, Key=KEY, Body=json.dumps({"version": 3, "deployment": {}}).encode()
    )["VersionId"]
    s3.put_object(Bucket=state_bucket, Key=KEY, Body=written[2][1])
    base = ["restore", "--bucket", state_bucket, "--region", REGION, "--stack", "dev"]

    bad_json = cli(*base, "--version-id", junk)
    assert bad_json.exit_code == 2
    assert bad_json.stderr == (
        f"Error: version {junk} of {KEY} is not a Pulumi checkpoint: invalid JSON at line 1 "
        "column 2: Expecting property name enclosed in double quotes\n"
    )
    not_checkpoint = cli(*base, "--version-id", export)
    assert not_checkpoint.exit_code == 2
    assert "(a `pulumi stack export` file, not a backend checkpoint)" in not_checkpoint.stderr
    unknown = cli(*base, "--version-id", "no-such-version")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith(f"Error: no version no-such-version of {KEY} in bucket")
    assert len(_version_ids(s3, state_bucket)) == 6  # nothing was written

    history = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    problems = {v["version_id"]: (v["resource_count"], v["problem"]) for v in history["versions"]}
    assert problems[junk] == (
        None,
        f"version {junk} is not a Pulumi checkpoint: invalid JSON at line 1 column 2: "
        "Expecting property name enclosed in double quotes",
    )
    assert problems[written[0][0]] == (1, None)
    table = cli("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert next(line for line in table.stdout.splitlines() if junk in line).count("unreadable") == 1

    same = cli(*base, "--version-id", _version_ids(s3, state_bucket)[0])
    assert same.exit_code == 0
    assert "is already the latest checkpoint of proj/dev; nothing to do." in same.stdout
    assert len(_version_ids(s3, state_bucket)) == 6


def test_restore_refuses_when_versioning_is_suspended(cli: Cli, s3: Any, state_bucket: str) -> None:
    written = _write_versions(s3, state_bucket)
    s3.put_bucket_versioning(Bucket=state_bucket, VersioningConfiguration={"Status": "Suspended"})
    result = cli(
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        written[0][0],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: versioning is suspended on bucket '{state_bucket}': restoring would overwrite"
    )
    assert _latest(s3, state_bucket) == written[2][1]


def test_restore_brings_back_a_deleted_stack(cli: Cli, s3: Any, state_bucket: str) -> None:
    written = _write_versions(s3, state_bucket)
    s3.delete_object(Bucket=state_bucket, Key=KEY)  # pulumi stack rm
    history = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert [v["deleted"] for v in history["versions"]] == [True, False, False, False]
    assert history["versions"][0]["is_latest"] is True

    report = cli.json(
        "restore",
        "--bucket",
        state_bucket,
        "--region",
        REGION,
        "--stack",
        "dev",
        "--version-id",
        written[2][0],
    )
    assert report["write_guard"] == "if-none-match"
    assert report["backup_key"] is None
    assert _latest(s3, state_bucket) == written[2][1]


# --- concurrency: a `pulumi up` that writes between our read and our write -------------------


def _library_bucket(moto_endpoint: str, bucket: str) -> StateBucket:
    target = BackendTarget.create(bucket, REGION, moto_endpoint)
    credentials = credentials_from_env()
    return StateBucket(target, make_s3_client(target, credentials), credentials)


def _ignoring_if_match(bucket: StateBucket) -> None:
    """Make the bucket's client behave as behind a proxy that strips If-Match."""

    def drop_if_match(request: Any, **_: Any) -> None:
        if "If-Match" in request.headers:
            del request.headers["If-Match"]

    bucket.client.meta.events.register("before-sign.s3.PutObject", drop_if_match)


def _concurrent_writer(s3: Any, bucket: str, body: bytes) -> Any:
    """A botocore hook that writes `body` once, just before our PutObject goes out."""
    fired: list[str] = []

    def hook(**_: Any) -> None:
        if not fired:
            fired.append(s3.put_object(Bucket=bucket, Key=KEY, Body=body)["VersionId"])

    hook.fired = fired  # type: ignore[attr-defined]
    return hook


def test_a_concurrent_write_makes_the_conditional_restore_fail(
    moto_endpoint: str, s3: Any, state_bucket: str
) -> None:
    written = _write_versions(s3, state_bucket)
    bucket = _library_bucket(moto_endpoint, state_bucket)
    intruder = make_checkpoint("dev", 7)
    hook = _concurrent_writer(s3, state_bucket, intruder)
    bucket.client.meta.events.register("before-call.s3.PutObject", hook)

    with pytest.raises(
        ConcurrentChangeError,
        match=r"refused \(HTTP 412 PreconditionFailed\); nothing was overwritten",
    ):
        restore(bucket, find_stack(bucket, "dev"), written[0][0])
    assert _latest(s3, state_bucket) == intruder  # the concurrent write won, untouched


def test_a_server_that_ignores_if_match_is_caught_by_the_recheck(
    moto_endpoint: str, s3: Any, state_bucket: str
) -> None:
    written = _write_versions(s3, state_bucket)
    bucket = _library_bucket(moto_endpoint, state_bucket)
    intruder = make_checkpoint("dev", 7)
    hook = _concurrent_writer(s3, state_bucket, intruder)
    bucket.client.meta.events.register("before-call.s3.PutObject", hook)
    _ignoring_if_match(bucket)

    with pytest.raises(ConcurrentChangeError, match="the server ignored the If-Match condition"):
        restore(bucket, find_stack(bucket, "dev"), written[0][0])
    # Nothing is lost: the concurrent write is still there as a version.
    intruder_id = hook.fired[0]
    kept = s3.get_object(Bucket=state_bucket, Key=KEY, VersionId=intruder_id)["Body"].read()
    assert kept == intruder


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def test_a_server_without_conditional_writes_gets_a_recheck_instead(
    moto_endpoint: str, s3: Any, state_bucket: str
) -> None:
    written = _write_versions(s3, state_bucket)
    bucket = _library_bucket(moto_endpoint, state_bucket)

    def not_implemented(request: Any, **_: Any) -> AWSResponse | None:
        if "If-Match" not in request.headers:
            return None
        body = b"<Error><Code>NotImplemented</Code><Message>If-Match</Message></Error>"
        return AWSResponse(request.url, 501, {}, _Raw(body))

    bucket.client.meta.events.register("before-send.s3.PutObject", not_implemented)
    result = restore(bucket, find_stack(bucket, "dev"), written[0][0])
    assert result.guard == "re-check"
    assert _latest(s3, state_bucket) == written[0][1]


def _racing_restore(
    moto_endpoint: str, s3: Any, bucket_name: str, event: str
) -> tuple[list[tuple[str, bytes]], StateBucket, StackRef, bytes, list[str]]:
    """Three checkpoint versions, the stack, and a client behind a proxy that strips If-Match
    whose botocore ``event`` (from now on) makes a pulumi up write once (its version id lands in
    the list)."""
    written = _write_versions(s3, bucket_name)
    bucket = _library_bucket(moto_endpoint, bucket_name)
    _ignoring_if_match(bucket)
    ref = find_stack(bucket, "dev")
    intruder = make_checkpoint("dev", 7)
    fired: list[str] = []

    def write_once(**_: Any) -> None:
        if not fired:
            fired.append(s3.put_object(Bucket=bucket_name, Key=KEY, Body=intruder)["VersionId"])

    bucket.client.meta.events.register(event, write_once)
    return written, bucket, ref, intruder, fired


def test_a_write_right_after_the_restore_is_reported_as_the_new_latest(
    moto_endpoint: str, s3: Any, state_bucket: str
) -> None:
    # On a server that ignores If-Match, a pulumi up that writes just after the restore's write
    # wins; the restore must say that its content is no longer the latest.
    written, bucket, ref, intruder, fired = _racing_restore(
        moto_endpoint, s3, state_bucket, "after-call.s3.PutObject"
    )
    with pytest.raises(ConcurrentChangeError) as error:
        restore(bucket, ref, written[0][0])
    known = {fired[0], *(version for version, _ in written)}
    (restored_id,) = (v for v in _version_ids(s3, state_bucket) if v not in known)
    assert str(error.value).startswith(
        "the checkpoint of stack proj/dev changed during the restore (a pulumi command may be "
        f"running): version {fired[0]} was written right after the restore (the restored "
        f"content is version {restored_id}, now noncurrent); the state as it was is also copied "
        "to .pulumi/backups/"
    )
    assert _latest(s3, state_bucket) == intruder


def test_a_write_between_the_read_and_the_snapshot_stops_the_restore_before_writing(
    moto_endpoint: str, s3: Any, state_bucket: str
) -> None:
    # The intruder lands after the restore read the current version but before it listed the
    # versions. On a server that ignores If-Match only the snapshot check sees it: without it,
    # the restore would overwrite the intruder and report success.
    written, bucket, ref, intruder, _ = _racing_restore(
        moto_endpoint, s3, state_bucket, "before-call.s3.ListObjectVersions"
    )
    with pytest.raises(ConcurrentChangeError) as error:
        restore(bucket, ref, written[0][0])
    assert str(error.value) == (
        "the checkpoint of stack proj/dev changed during the restore (a pulumi command may be "
        "running): nothing was overwritten. Check `askc backend history` and try again"
    )
    assert _latest(s3, state_bucket) == intruder
    assert len(_version_ids(s3, state_bucket)) == 4  # three writes and the intruder: no restore


def test_history_and_restore_of_a_version_nested_200k_deep(
    cli: Cli, s3: Any, state_bucket: str
) -> None:
    _write_versions(s3, state_bucket, counts=(2,))
    deep = b'{"version": ' + b"[" * 200_000 + b"]" * 200_000 + b', "checkpoint": {}}'
    bad = s3.put_object(Bucket=state_bucket, Key=KEY, Body=deep)["VersionId"]
    history = cli.json("history", "--bucket", state_bucket, "--region", REGION, "--stack", "dev")
    assert history["versions"][0]["problem"] == (
        f"version {bad} is not a Pulumi checkpoint: nested too deeply"
    )
    result = cli("restore", "--bucket", state_bucket, "--region", REGION, "--stack", "dev",
                 "--version-id", bad)  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: version {bad} of {KEY} is not a Pulumi checkpoint: nested too deeply\n"
    )


def test_a_lock_nested_too_deeply_still_locks(cli: Cli, s3: Any, state_bucket: str) -> None:
    written = _write_versions(s3, state_bucket)
    lock_key = ".pulumi/locks/proj/dev/deep.json"
    s3.put_object(Bucket=state_bucket, Key=lock_key, Body=b"[" * 200_000 + b"]" * 200_000)
    refused = cli("restore", "--bucket", state_bucket, "--region", REGION, "--stack", "dev",
                  "--version-id", written[0][0])  # fmt: skip
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"Error: stack proj/dev is locked ({lock_key}, since ")


class _PolicyBucket:
    """Answers get_bucket_policy with a fixed policy text."""

    def __init__(self, policy: str) -> None:
        self.policy = policy

    def call_or_fault(self, operation: str, tolerate: Any, **_: Any) -> dict[str, Any]:
        assert operation == "get_bucket_policy"
        return {"Policy": self.policy}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ('{"Statement": {"Sid": "open", "Effect": "Allow", "Principal": "*"}}', ["open"]),
        ('{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}}]}', ["#0"]),
        ('{"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}', []),
        ("{}", []),
        # A policy the check cannot read may allow anyone: never a pass (issue #16, fail closed).
        ("[1, 2]", UnreadablePolicy("it is not a JSON object")),
        ("[" * 200_000 + "]" * 200_000, UnreadablePolicy("it is not JSON")),
        ("not json", UnreadablePolicy("it is not JSON")),
        ('{"Statement": "*"}', UnreadablePolicy("its Statement is neither a list nor an object")),
        ('{"Statement": [{"Effect": "Deny"}, "Allow *"]}', UnreadablePolicy("its statement #1 is not an object")),
    ],
)  # fmt: skip
def test_bucket_policies_are_read_or_reported_unreadable(
    policy: str, expected: list[str] | UnreadablePolicy
) -> None:
    assert public_policy_statements(_PolicyBucket(policy)) == expected  # type: ignore[arg-type]
