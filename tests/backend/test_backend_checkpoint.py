"""``read_checkpoint(url)`` and checkpoint decoding, against a real S3 API server (moto)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from ask_components.backend import decode_checkpoint, parse_state_url, read_checkpoint
from ask_components.errors import BackendError, InputError
from tests.backend._support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, make_checkpoint

KEY = ".pulumi/stacks/shop/prod.json"


@pytest.fixture
def bucket(s3: Any, bucket_name: str) -> str:
    s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket_name


def test_read_checkpoint_returns_the_whole_document(
    s3: Any, bucket: str, moto_endpoint: str
) -> None:
    body = make_checkpoint("prod", 5, project="shop")
    s3.put_object(Bucket=bucket, Key=KEY, Body=body)
    url = f"s3://{bucket}/{KEY}?endpoint={moto_endpoint}&region={REGION}"
    assert read_checkpoint(url) == json.loads(body)


def test_read_checkpoint_understands_pulumi_login_style_urls(
    s3: Any, bucket: str, moto_endpoint: str
) -> None:
    body = make_checkpoint("prod", 2, project="shop")
    s3.put_object(Bucket=bucket, Key=KEY + ".gz", Body=gzip.compress(body))
    host = moto_endpoint.removeprefix("http://")
    url = (
        f"s3://{bucket}/{KEY}.gz?endpoint={host}&disableSSL=true&s3ForcePathStyle=true"
        f"&region={REGION}"
    )
    document = read_checkpoint(url)
    assert len(document["checkpoint"]["latest"]["resources"]) == 2


def test_read_checkpoint_errors_name_the_url(s3: Any, bucket: str, moto_endpoint: str) -> None:
    query = f"?endpoint={moto_endpoint}&region={REGION}"
    s3.put_object(Bucket=bucket, Key="bad.json", Body=b"[1, 2")
    s3.put_object(
        Bucket=bucket, Key="export.json", Body=json.dumps({"version": 3, "deployment": {}}).encode()
    )
    shown = f"s3://{bucket}/{{}}?endpoint={moto_endpoint}&region={REGION}"

    with pytest.raises(InputError) as missing:
        read_checkpoint(f"s3://{bucket}/{KEY}{query}")
    assert str(missing.value) == (
        f"cannot read {shown.format(KEY)}: no object {KEY} in bucket '{bucket}' at {moto_endpoint}"
    )
    with pytest.raises(InputError) as bad_json:
        read_checkpoint(f"s3://{bucket}/bad.json{query}")
    assert str(bad_json.value) == (
        f"{shown.format('bad.json')} is not a Pulumi checkpoint: invalid JSON at line 1 column 6: "
        "Expecting ',' delimiter"
    )
    with pytest.raises(
        InputError, match=r"export\.json.* is not a Pulumi checkpoint: it has 'deployment'"
    ):
        read_checkpoint(f"s3://{bucket}/export.json{query}")
    with pytest.raises(BackendError) as no_bucket:
        read_checkpoint(f"s3://{bucket}-gone/{KEY}{query}")
    assert str(no_bucket.value).startswith(f"cannot read s3://{bucket}-gone/{KEY}?endpoint=")
    assert "does not exist" in str(no_bucket.value)


def test_read_checkpoint_never_echoes_credentials_in_the_url(
    bucket: str, moto_endpoint: str
) -> None:
    url = (
        f"s3://{ACCESS_KEY_ID}:{ACCESS_KEY_SECRET}@{bucket}/{KEY}"
        f"?endpoint={moto_endpoint}&region={REGION}&access_key={ACCESS_KEY_SECRET}"
    )
    with pytest.raises(InputError) as error:
        read_checkpoint(url)
    text = str(error.value)
    assert ACCESS_KEY_ID not in text
    assert ACCESS_KEY_SECRET not in text
    assert "access_key=%2A%2A%2A%2A" in text or "access_key=****" in text


def test_read_checkpoint_without_credentials(
    monkeypatch: pytest.MonkeyPatch, bucket: str, moto_endpoint: str
) -> None:
    monkeypatch.delenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
    with pytest.raises(BackendError, match=r"^cannot read s3://.*: no OSS credentials found"):
        read_checkpoint(f"s3://{bucket}/{KEY}?endpoint={moto_endpoint}&region={REGION}")


@pytest.mark.parametrize(
    ("url", "env", "bucket", "key", "endpoint", "style"),
    [
        (
            "s3://state/.pulumi/stacks/p/dev.json?endpoint=oss-cn-shanghai.aliyuncs.com&region=cn-shanghai",
            {},
            "state",
            ".pulumi/stacks/p/dev.json",
            "https://oss-cn-shanghai.aliyuncs.com",
            "virtual",
        ),
        (
            "s3://state/dev.json",
            {"ALIBABA_CLOUD_REGION_ID": "ap-southeast-1"},
            "state",
            "dev.json",
            "https://oss-ap-southeast-1.aliyuncs.com",
            "virtual",
        ),
        (
            "s3://state/a%20b.json?region=cn-beijing&endpoint=localhost:9000&disableSSL=true",
            {},
            "state",
            "a b.json",
            "http://localhost:9000",
            "path",
        ),
        (
            "s3://state/x.json?region=cn-beijing&endpoint=https://minio.internal&s3ForcePathStyle=true",
            {},
            "state",
            "x.json",
            "https://minio.internal",
            "path",
        ),
    ],
)
def test_parse_state_url(
    url: str, env: dict[str, str], bucket: str, key: str, endpoint: str, style: str
) -> None:
    parsed = parse_state_url(url, env)
    assert (parsed.target.bucket, parsed.key, parsed.target.endpoint) == (bucket, key, endpoint)
    assert parsed.target.addressing_style == style


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://state/x.json?region=cn-beijing", "expected an s3:// URL"),
        ("s3://state?region=cn-beijing", "the URL names no object"),
        ("s3://state/.pulumi/?region=cn-beijing", "the URL names no object"),
        ("s3://state/x.json", "no region: add ?region=<region>"),
        ("s3://Bad_Bucket/x.json?region=cn-beijing", "invalid bucket name 'Bad_Bucket'"),
        (
            "s3://MyState/x.json?region=cn-beijing",
            "invalid bucket name 'MyState': must be lowercase",
        ),
        ("s3://state/x.json?region=oss-cn-beijing", "without the 'oss-' prefix"),
    ],
)
def test_parse_state_url_errors(url: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("?", r"\?").replace("(", r"\(")):
        parse_state_url(url, {})


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "expected a JSON object, got list"),
        ({"version": 3}, "no 'checkpoint' object"),
        ({"version": "3", "checkpoint": {}}, "'version' must be an integer, got '3'"),
        ({"version": 3, "checkpoint": []}, "'checkpoint' must be an object, got list"),
        (
            {"version": 3, "checkpoint": {"latest": 1}},
            "'checkpoint.latest' must be an object, got int",
        ),
        (
            {"version": 3, "checkpoint": {"latest": {"resources": {}}}},
            "'checkpoint.latest.resources' must be a list, got dict",
        ),
    ],
)
def test_decode_checkpoint_rejects_what_is_not_a_checkpoint(document: Any, problem: str) -> None:
    with pytest.raises(InputError) as error:
        decode_checkpoint(json.dumps(document).encode(), "s3://b/k.json")
    assert str(error.value) == f"s3://b/k.json is not a Pulumi checkpoint: {problem}"


def test_decode_checkpoint_accepts_a_stack_that_was_never_deployed() -> None:
    document = {"version": 3, "checkpoint": {"stack": "organization/p/dev", "latest": None}}
    assert decode_checkpoint(json.dumps(document).encode(), "x") == document
