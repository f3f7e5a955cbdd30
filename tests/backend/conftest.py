"""Fixtures for the state-backend tests: one moto S3 server per test module, on 127.0.0.1 only.

The environment is scrubbed of every AWS_*, ALIBABA_CLOUD_* and OSS_* variable and given fake
Alibaba credentials, so a test can prove these values never appear in any output.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from tests.backend._support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, SECRETS, Cli


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """Start one in-process S3 API server for the whole module; yield its http:// endpoint."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def alibaba_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the Alibaba variables, with fake values; nothing from AWS_* or ~/.aws."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "ALIBABA_CLOUD_", "OSS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET)


@pytest.fixture
def bucket_name(request: pytest.FixtureRequest) -> str:
    """A bucket name unique to this test (valid for OSS and S3)."""
    stem = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40].strip("-")
    return f"t-{stem}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def s3(moto_endpoint: str) -> Any:
    """A plain boto3 client for arranging and asserting bucket state behind the CLI's back."""
    return boto3.session.Session(
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=ACCESS_KEY_SECRET,
        region_name=REGION,
    ).client(
        "s3",
        endpoint_url=moto_endpoint,
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


@pytest.fixture
def cli(moto_endpoint: str) -> Iterator[Cli]:
    """The CLI runner; after the test, no secret may appear in anything it printed."""
    runner = Cli(moto_endpoint)
    yield runner
    for text in runner.outputs:
        for secret in SECRETS:
            assert secret not in text
