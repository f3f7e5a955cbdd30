"""``askc backend bootstrap`` and ``check`` against a real S3 API server (moto)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto.core.authorization import enable_iam_authentication

from ask_components.backend import BackendTarget, StateBucket, bootstrap
from ask_components.backend.client import credentials_from_env, make_s3_client
from ask_components.backend.settings import LIFECYCLE_RULE_ID
from tests.backend._support import REGION, Cli

ALL_SETTINGS = ["bucket", "versioning", "encryption", "acl", "public-access-block", "lifecycle"]


def _states(report: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["state"] for item in report["settings"]}


def _messages(report: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["message"] for item in report["settings"]}


def test_bootstrap_twice_changes_nothing_the_second_time(
    cli: Cli, s3: Any, bucket_name: str, moto_endpoint: str
) -> None:
    first = cli.json("bootstrap", "--bucket", bucket_name, "--region", REGION)
    assert _states(first) == {
        "bucket": "changed",
        "versioning": "changed",
        "encryption": "changed",
        "acl": "unchanged",  # a new bucket is private already
        "public-access-block": "changed",
        "lifecycle": "changed",
    }
    assert first["changed"] is True
    host = moto_endpoint.removeprefix("http://")
    assert first["pulumi_login"] == (
        f"pulumi login 's3://{bucket_name}?endpoint={host}&region={REGION}"
        "&disableSSL=true&s3ForcePathStyle=true'"
    )

    second = cli.json("bootstrap", "--bucket", bucket_name, "--region", REGION)
    assert second["changed"] is False
    assert _states(second) == dict.fromkeys(ALL_SETTINGS, "unchanged")
    assert _messages(second) == {
        "bucket": "already exists",
        "versioning": "already enabled",
        "encryption": "already enabled (AES256)",
        "acl": "already private",
        "public-access-block": "already blocked",
        "lifecycle": "already set (noncurrent versions under .pulumi/ kept 90 days)",
    }

    # The human output says so per setting, and prints the login command unbroken.
    table = cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    assert table.exit_code == 0
    for line in (
        "versioning: already enabled",
        "encryption: already enabled (AES256)",
        "acl: already private",
        "No changes: the bucket was already set up.",
    ):
        assert line in table.stdout
    assert second["pulumi_login"] in table.stdout

    # And the bucket really is set up that way.
    assert s3.get_bucket_versioning(Bucket=bucket_name)["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket=bucket_name)["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    pab = s3.get_public_access_block(Bucket=bucket_name)["PublicAccessBlockConfiguration"]
    assert pab == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    grants = s3.get_bucket_acl(Bucket=bucket_name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("URI" not in g["Grantee"] for g in grants)
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=bucket_name)["Rules"]
    assert rule["ID"] == LIFECYCLE_RULE_ID
    assert rule["Status"] == "Enabled"
    assert rule["Filter"] == {"Prefix": ".pulumi/"}
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90}


def test_bootstrap_repairs_an_existing_bucket_and_keeps_other_rules(
    cli: Cli, s3: Any, bucket_name: str
) -> None:
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=bucket_name, VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_acl(Bucket=bucket_name, ACL="public-read")
    other = {
        "ID": "logs-cleanup",
        "Status": "Enabled",
        "Filter": {"Prefix": "logs/"},
        "Expiration": {"Days": 7},
    }
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket_name, LifecycleConfiguration={"Rules": [other]}
    )

    report = cli.json(
        "bootstrap", "--bucket", bucket_name, "--region", REGION, "--noncurrent-days", "30"
    )
    messages = _messages(report)
    assert messages["bucket"] == "already exists"
    assert messages["versioning"] == "enabled (was suspended)"
    assert messages["acl"] == "set to private (removed AllUsers: READ)"
    assert messages["lifecycle"] == (
        f"rule {LIFECYCLE_RULE_ID} added (noncurrent versions under .pulumi/ kept 30 days)"
    )
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket_name)["Rules"]}
    assert rules["logs-cleanup"]["Expiration"] == {"Days": 7}  # someone else's rule survives
    assert rules[LIFECYCLE_RULE_ID]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}

    again = cli.json("bootstrap", "--bucket", bucket_name, "--region", REGION)
    assert _messages(again)["lifecycle"] == (
        f"rule {LIFECYCLE_RULE_ID} updated (30 → 90 days; "
        "noncurrent versions under .pulumi/ kept 90 days)"
    )
    assert _states(again)["versioning"] == "unchanged"

    ok = cli.json("check", "--bucket", bucket_name, "--region", REGION)
    assert ok["ok"] is True


def test_check_on_a_bucket_without_versioning_reports_it_and_exits_1(
    cli: Cli, s3: Any, bucket_name: str, moto_endpoint: str
) -> None:
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": REGION})
    report = cli.json("check", "--bucket", bucket_name, "--region", REGION, expect_exit=1)
    fix = (
        f"askc backend bootstrap --bucket {bucket_name} --region {REGION} "
        f"--endpoint {moto_endpoint}"
    )
    assert report["ok"] is False
    by_name = {c["name"]: c for c in report["checks"]}
    assert list(by_name) == ["versioning", "encryption", "privacy", "lifecycle"]
    assert by_name["versioning"]["status"] == "missing"
    assert by_name["versioning"]["detail"].startswith("off:")
    assert by_name["versioning"]["fix"] == fix
    assert by_name["encryption"] == {
        "name": "encryption",
        "status": "missing",
        "detail": "no default server-side encryption: state is stored in clear",
        "fix": fix,
    }
    assert by_name["privacy"]["status"] == "ok"
    assert by_name["lifecycle"]["status"] == "missing"

    table = cli("check", "--bucket", bucket_name, "--region", REGION)
    assert table.exit_code == 1
    assert f"fix versioning: {fix}" in table.stdout

    cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    fixed = cli("check", "--bucket", bucket_name, "--region", REGION)
    assert fixed.exit_code == 0
    assert "All protections are in place." in fixed.stdout


def test_check_flags_a_public_acl_and_a_rule_that_deletes_live_state(
    cli: Cli, s3: Any, bucket_name: str
) -> None:
    cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    s3.delete_public_access_block(Bucket=bucket_name)
    s3.put_bucket_acl(Bucket=bucket_name, ACL="public-read")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket_name)["Rules"]
    rules.append(
        {
            "ID": "expire-all",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Expiration": {"Days": 30},
        }
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket_name, LifecycleConfiguration={"Rules": rules}
    )

    report = cli.json("check", "--bucket", bucket_name, "--region", REGION, expect_exit=1)
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["privacy"]["status"] == "missing"
    assert by_name["privacy"]["detail"] == (
        "the ACL is public (AllUsers: READ); block public access: off"
    )
    assert by_name["lifecycle"]["status"] == "missing"
    assert "'expire-all': it expires current objects" in by_name["lifecycle"]["detail"]
    assert by_name["lifecycle"]["fix"] == (
        "remove lifecycle rule(s) expire-all or narrow them so they skip .pulumi/"
    )
    assert by_name["versioning"]["status"] == by_name["encryption"]["status"] == "ok"


def test_missing_bucket_is_a_clear_error(cli: Cli, bucket_name: str) -> None:
    for command in (
        ["check"],
        ["history", "--stack", "dev"],
        ["restore", "--stack", "dev", "--version-id", "v1"],
    ):
        result = cli(*command, "--bucket", bucket_name, "--region", REGION)
        assert result.exit_code == 2, command
        assert result.stdout == ""
        assert result.stderr.startswith(f"Error: bucket '{bucket_name}' at http://127.0.0.1:")
        assert "does not exist; create and secure it with: askc backend bootstrap" in result.stderr
        assert "Traceback" not in result.stderr


def test_bad_credentials_are_a_clear_error(cli: Cli, bucket_name: str) -> None:
    cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    with enable_iam_authentication():  # moto now checks keys against its IAM
        for command in (["check"], ["bootstrap"], ["history", "--stack", "dev"]):
            result = cli(*command, "--bucket", bucket_name, "--region", REGION)
            assert result.exit_code == 2, command
            assert result.stderr.startswith("Error: the endpoint http://127.0.0.1:")
            assert "does not know this AccessKey ID (InvalidAccessKeyId)" in result.stderr
            assert (
                "check $ALIBABA_CLOUD_ACCESS_KEY_ID / $ALIBABA_CLOUD_ACCESS_KEY_SECRET"
                in result.stderr
            )


def test_missing_credentials_name_the_variables(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, bucket_name: str
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    result = cli("check", "--bucket", bucket_name, "--region", REGION)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no OSS credentials found (ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set (its "
        "partner is)): set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and "
        "ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials), or OSS_ACCESS_KEY_ID and "
        "OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--bucket", "My_State", "--region", REGION],
            "invalid bucket name 'My_State': must be lowercase",
        ),
        (["--bucket", "ab", "--region", REGION], "must be 3-63 characters long (is 2)"),
        (["--bucket", "-state", "--region", REGION], "must start and end with a letter or a digit"),
        (["--bucket", "state", "--region", "oss-cn-hangzhou"], "(--region cn-hangzhou)"),
        (["--bucket", "state", "--region", "Hangzhou"], "invalid region 'Hangzhou'"),
        (
            ["--bucket", "state", "--region", REGION, "--noncurrent-days", "0"],
            "--noncurrent-days must be between 1 and 36500, got 0",
        ),
    ],
)
def test_bad_options_are_input_errors(cli: Cli, args: list[str], message: str) -> None:
    result = cli("bootstrap", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr


def test_unreachable_endpoint_is_a_clear_error(cli: Cli, bucket_name: str) -> None:
    result = cli(
        "check",
        "--bucket",
        bucket_name,
        "--region",
        REGION,
        "--endpoint",
        "http://127.0.0.1:9",
        endpoint=False,
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: cannot reach http://127.0.0.1:9 (get_bucket_versioning)"
    )


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **_: Any) -> Any:
        yield self._body.read()


def _not_implemented(request: Any, **_: Any) -> AWSResponse:
    body = (
        b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>NotImplemented</Code>"
        b"<Message>A header you provided implies functionality that is not implemented"
        b"</Message></Error>"
    )
    return AWSResponse(request.url, 501, {"Content-Type": "application/xml"}, _Raw(body))


def test_endpoint_without_public_access_block_is_tolerated(
    moto_endpoint: str, bucket_name: str
) -> None:
    """OSS's S3 API may lack PublicAccessBlock: bootstrap notes it and carries on."""
    target = BackendTarget.create(bucket_name, REGION, moto_endpoint)
    credentials = credentials_from_env()
    client = make_s3_client(target, credentials)
    for operation in ("GetPublicAccessBlock", "PutPublicAccessBlock"):
        client.meta.events.register(f"before-send.s3.{operation}", _not_implemented)
    report = bootstrap(StateBucket(target, client, credentials))
    pab = next(r for r in report.settings if r.name == "public-access-block")
    assert pab.state == "unsupported"
    assert pab.message.startswith("not supported by this endpoint; turn on Block Public Access")
    assert [r.state for r in report.settings if r.name != "public-access-block"] == [
        "changed",
        "changed",
        "changed",
        "unchanged",
        "changed",
    ]


def test_check_and_bootstrap_never_pass_a_bucket_policy_they_cannot_read(
    cli: Cli, s3: Any, bucket_name: str
) -> None:
    cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    s3.put_bucket_policy(Bucket=bucket_name, Policy='{"Version": "1", "Statement": "*"}')
    report = cli.json("check", "--bucket", bucket_name, "--region", REGION, expect_exit=1)
    privacy = next(c for c in report["checks"] if c["name"] == "privacy")
    assert (privacy["status"], privacy["detail"], privacy["fix"]) == (
        "missing",
        "the bucket policy cannot be read (its Statement is neither a list nor an object): it "
        "may allow anyone; block public access: on",
        "rewrite the bucket policy as a JSON object with a Statement list",
    )
    again = cli("bootstrap", "--bucket", bucket_name, "--region", REGION)
    assert (
        "the bucket policy cannot be read (its Statement is neither a list nor an object): it "
        "may allow anyone; review it (bootstrap does not edit bucket policies)"
    ) in " ".join(again.stdout.split())
