"""No credential ever appears in output, errors, reprs or debug logs — in any command or format."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from moto.core.authorization import enable_iam_authentication

from ask_components.backend import BackendTarget, StateBucket, credentials_from_env
from ask_components.backend.client import redact
from tests.backend._support import REGION, SECRETS, SECURITY_TOKEN, Cli, make_checkpoint

KEY = ".pulumi/stacks/proj/dev.json"


@pytest.fixture(autouse=True)
def with_security_token(monkeypatch: pytest.MonkeyPatch) -> None:
    # An STS token is sent as a header on every request: the likeliest thing to leak.
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", SECURITY_TOKEN)


def _assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_no_secret_in_any_command_output_or_debug_log(
    cli: Cli, s3: Any, bucket_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Arranged with the test's own client before logging starts: only askc's requests are logged.
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": REGION})
    caplog.set_level(logging.DEBUG)
    for name in ("botocore", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    b = ["--bucket", bucket_name, "--region", REGION]
    missing = ["--bucket", bucket_name + "-missing", "--region", REGION]
    results = []
    for fmt in ("table", "json"):
        f = ["--format", fmt]
        results += [
            cli("check", *missing, *f),  # missing bucket: error
            cli("check", *b, *f),  # first time: unprotected, exit 1
            cli("bootstrap", *b, *f),
            cli("bootstrap", *b, *f),
            cli("check", *b, *f),
        ]
    versions = [
        s3.put_object(Bucket=bucket_name, Key=KEY, Body=make_checkpoint("dev", n))["VersionId"]
        for n in (1, 2)
    ]
    s3.put_object(Bucket=bucket_name, Key=".pulumi/locks/proj/dev/l.json", Body=b"{}")
    for fmt in ("table", "json"):
        f = ["--format", fmt]
        results += [
            cli("history", *b, "--stack", "dev", *f),
            cli("history", *b, "--stack", "nope", *f),
            cli("history", *missing, "--stack", "dev", *f),
            cli("restore", *b, "--stack", "dev", "--version-id", versions[0], *f),  # locked
            cli("restore", *b, "--stack", "dev", "--version-id", versions[0], "--force", *f),
            cli("restore", *b, "--stack", "dev", "--version-id", "bogus", "--force", *f),
            cli("bootstrap", "--bucket", "Bad_Name", "--region", REGION, *f),
        ]
    with enable_iam_authentication():
        for fmt in ("table", "json"):
            results += [
                cli("check", *b, "--format", fmt),
                cli("history", *b, "--stack", "dev", "--format", fmt),
                cli("restore", *b, "--stack", "dev", "--version-id", versions[1], "--format", fmt),
            ]
    assert {r.exit_code for r in results} == {0, 1, 2}  # successes and failures were exercised
    assert any("InvalidAccessKeyId" in r.stderr for r in results)
    # The `cli` fixture checks every stdout and stderr; the client's debug log is checked here.
    # (moto's own server-side log of the requests it receives is the test double's business.)
    client_log = "\n".join(
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("moto", "werkzeug"))
    )
    assert "X-Amz-Security-Token" in client_log  # the header was logged...
    assert "Credential=" in client_log
    _assert_clean(client_log)  # ...but not its value, nor the key id in Credential=


def test_credentials_and_clients_have_no_readable_repr(
    moto_endpoint: str, bucket_name: str
) -> None:
    credentials = credentials_from_env()
    assert repr(credentials) == (
        "Credentials(from $ALIBABA_CLOUD_ACCESS_KEY_ID and $ALIBABA_CLOUD_ACCESS_KEY_SECRET, "
        "with security token)"
    )
    _assert_clean(str(credentials))
    bucket = StateBucket.connect(BackendTarget.create(bucket_name, REGION, moto_endpoint))
    _assert_clean(repr(bucket))
    _assert_clean(repr(bucket.__dict__))


def test_redact_hides_registered_secrets() -> None:
    credentials = credentials_from_env()
    StateBucket.connect(BackendTarget.create("some-bucket", REGION, "http://127.0.0.1:9"))
    text = (
        f"id={credentials.access_key_id} secret={credentials.access_key_secret} t={SECURITY_TOKEN}"
    )
    assert redact(text) == "id=**** secret=**** t=****"
