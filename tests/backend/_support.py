"""Constants and helpers shared by the state-backend tests."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from ask_components.backend.cli import app

ACCESS_KEY_ID = "LTAI5tFAKEkeyIDforTESTS"
ACCESS_KEY_SECRET = "fakeSECRETvalueFORtests0123456789"
SECURITY_TOKEN = "CAIS-fake-STS-token-for-tests-9876"
SECRETS = (ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN)
REGION = "cn-hangzhou"


class Cli:
    """Runs ``askc backend`` commands and keeps every output to check for secrets."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.runner = CliRunner()
        self.outputs: list[str] = []

    def __call__(self, *args: str, endpoint: bool = True) -> Result:
        argv = list(args)
        if endpoint:
            argv += ["--endpoint", self.endpoint]
        result = self.runner.invoke(app, argv)
        self.outputs += [result.stdout, result.stderr]
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    def json(self, *args: str, expect_exit: int = 0) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == expect_exit, result.stdout + result.stderr
        return json.loads(result.stdout)


def make_checkpoint(stack: str, resources: int, project: str = "proj", pad: int = 0) -> bytes:
    """A DIY-backend checkpoint with ``resources`` resources (``pad`` adds bytes)."""
    stack_urn = f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
    items: list[dict[str, Any]] = [
        {"urn": stack_urn, "custom": False, "type": "pulumi:pulumi:Stack"}
    ]
    items += [
        {
            "urn": f"urn:pulumi:{stack}::{project}::alicloud:oss/bucket:Bucket::b{i}",
            "custom": True,
            "id": f"b{i}",
            "type": "alicloud:oss/bucket:Bucket",
            "parent": stack_urn,
        }
        for i in range(1, resources)
    ]
    document = {
        "version": 3,
        "checkpoint": {
            "stack": f"organization/{project}/{stack}",
            "latest": {
                "manifest": {
                    "time": "2026-01-01T00:00:00Z",
                    "magic": "x" * pad,
                    "version": "v3.200.0",
                },
                "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:abc"}},
                "resources": items[:resources],
            },
        },
    }
    return json.dumps(document, indent=4).encode()
