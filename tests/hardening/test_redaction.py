"""Credentials in URLs and in the environment are hidden before anything prints (issue #16)."""

from __future__ import annotations

import logging
import re
import sys

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ask_components import cli as askc_cli
from ask_components.cli import app
from ask_components.clikit import GuardedGroup, handle_errors
from ask_components.errors import InputError
from ask_components.redaction import install_log_filter, mask_urls, redact, register_secret

runner = CliRunner()

KEY_ID = "LTAI5tREDACTionID77"
KEY_SECRET = "redactionSECRETvalue0042xyz"
TOKEN = "CAIS-redaction-sts-token-31"
URL_ID = "urlUSERid9"
URL_SECRET = "urlPASSWORDsecret9"


@pytest.fixture(autouse=True)
def credentials_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", KEY_SECRET)
    monkeypatch.setenv("ALICLOUD_SECURITY_TOKEN", TOKEN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://ID:SECRET@127.0.0.1:5123", "http://****@127.0.0.1:5123"),
        ("see 'https://only-user@h/x'", "see 'https://****@h/x'"),
        ("s3://b/k?endpoint=http://ID:PW@127.0.0.1:9&region=x", "s3://b/k?endpoint=http://****@127.0.0.1:9&region=x"),
        ("s3://b/k?endpoint=ID:PW@127.0.0.1:9", "s3://b/k?endpoint=****@127.0.0.1:9"),
        ("s3://b/k?endpoint=http://ID:PW%40h:9", "s3://b/k?endpoint=http://****%40h:9"),
        ("x?endpoint=http%3A%2F%2FID%3APW%40h%26sk%3Dzz%26r%3D1", "x?endpoint=http%3A%2F%2F****%40h%26sk%3D****%26r%3D1"),
        ("s3://b/k?region=cn&ak=ID&sk=SECRET: cannot read", "s3://b/k?region=cn&ak=****&sk=****: cannot read"),
        ("u?AccessKeyId=a&AccessKeySecret=b&SecurityToken=c&x=1", "u?AccessKeyId=****&AccessKeySecret=****&SecurityToken=****&x=1"),
        ("h/?X-Amz-Signature=abc&X-Amz-Credential=AK%2F1 done", "h/?X-Amz-Signature=****&X-Amz-Credential=**** done"),
        ("stacks/Pulumi.http:/ID:PW@x/.yaml", "stacks/Pulumi.http:/****@x/.yaml"),
        # Not credentials: left alone.
        ("mail user@example.com at 12:30, http://[::1]:80/x?a=b&region=cn-hangzhou", "mail user@example.com at 12:30, http://[::1]:80/x?a=b&region=cn-hangzhou"),
        # Any parameter named like a key is hidden, credential or not: failing closed.
        ("versions?key-marker=1&prefix=.pulumi/", "versions?key-marker=****&prefix=.pulumi/"),
    ],
)  # fmt: skip
def test_mask_urls(text: str, expected: str) -> None:
    assert mask_urls(text) == expected


def test_redact_hides_the_environment_credentials_without_any_client() -> None:
    text = f"id={KEY_ID} secret={KEY_SECRET} token={TOKEN} x={KEY_SECRET[:5]}"
    assert redact(text) == f"id=**** secret=**** token=**** x={KEY_SECRET[:5]}"


def test_short_values_are_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", "ab")
    register_secret("xyz", None, "")
    assert redact("ab xyz abc") == "ab xyz abc"


def test_redact_refuses_bytes() -> None:
    with pytest.raises(TypeError, match="redact\\(\\) takes text, not bytes"):
        redact(b"x")  # type: ignore[arg-type]


ENDPOINT_REFUSED = (
    "credentials do not belong in the endpoint URL; set $ALIBABA_CLOUD_ACCESS_KEY_ID and "
    "$ALIBABA_CLOUD_ACCESS_KEY_SECRET instead"
)


@pytest.mark.parametrize(
    ("argv", "stderr"),
    [
        (
            ["backend", "check", "--bucket", "state-b", "--region", "cn-hangzhou",
             "--endpoint", f"http://{URL_ID}:{URL_SECRET}@127.0.0.1:5123"],
            f"invalid endpoint 'http://****@127.0.0.1:5123': {ENDPOINT_REFUSED}",
        ),
        (
            ["cost", "--state", f"s3://b/k?region=cn-hangzhou&endpoint=http://{URL_ID}:{URL_SECRET}@127.0.0.1:5123"],
            "s3://b/k?region=cn-hangzhou&endpoint=http://****@127.0.0.1:5123: invalid endpoint "
            f"'http://****@127.0.0.1:5123': {ENDPOINT_REFUSED}",
        ),
        (
            # sk is the environment's own secret, so hidden by value too; ak by its name only.
            ["cost", "--state", f"s3://b/k?region=cn-hangzhou&ak={URL_ID}&sk={KEY_SECRET}"],
            "s3://b/k?region=cn-hangzhou&ak=****&sk=****: invalid bucket name 'b': must be 3-63 "
            "characters long (is 1)",
        ),
    ],
    ids=["backend-endpoint", "cost-state-endpoint", "cost-state-ak-sk"],
)  # fmt: skip
def test_credentials_in_urls_are_masked_in_errors(argv: list[str], stderr: str) -> None:
    result = runner.invoke(app, argv)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {stderr}\n")


def test_a_known_secret_is_hidden_in_any_position() -> None:
    url = f"s3://b/{KEY_SECRET}.json?region=cn-hangzhou"
    result = runner.invoke(app, ["cost", "usage-template", "--state", url])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: s3://b/****.json?region=cn-hangzhou: ")


def test_usage_errors_of_the_option_parser_are_redacted_too() -> None:
    result = runner.invoke(app, ["cost", "--format", f"http://{URL_ID}:{URL_SECRET}@x"])
    assert result.exit_code == 2
    assert "'http://****@x' is" in result.stderr
    assert URL_SECRET not in result.stderr


def _leaky_app() -> typer.Typer:
    """A command that prints credentials every way a command can print."""
    leaky = typer.Typer(cls=GuardedGroup)

    @leaky.command()
    @handle_errors
    def leak(fail: bool = False) -> None:
        print(f"print {KEY_SECRET}")
        typer.echo(f"echo {KEY_ID}", err=True)
        sys.stdout.write(f"write http://{URL_ID}:{URL_SECRET}@h\n")
        Console(highlight=False).print(f"rich {TOKEN}")
        logging.getLogger("askc-test").warning("log ?sk=%s", URL_SECRET)
        if fail:
            raise InputError(f"cannot read http://{URL_ID}:{URL_SECRET}@h ({KEY_SECRET})")

    @leaky.command()
    def other() -> None:
        pass

    return leaky


def test_everything_a_command_prints_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKC_DEBUG", "1")  # the traceback too
    # No handler: logging's last resort writes to the sys.stderr of the moment.
    monkeypatch.setattr(logging.getLogger("askc-test"), "propagate", False)
    result = runner.invoke(_leaky_app(), ["leak", "--fail"])

    assert result.exit_code == 2
    assert result.stdout == "print ****\nwrite http://****@h\nrich ****\n"
    assert result.stderr.startswith("echo ****\nlog ?sk=****\n")
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.endswith("Error: cannot read http://****@h (****)\n")
    for secret in (KEY_ID, KEY_SECRET, TOKEN, URL_ID, URL_SECRET):
        assert secret not in result.stdout + result.stderr


def test_a_crash_prints_a_redacted_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash() -> None:
        raise RuntimeError(f"bug near http://{URL_ID}:{URL_SECRET}@h with {KEY_SECRET}")

    monkeypatch.setattr(askc_cli, "app", crash)
    with pytest.raises(SystemExit) as exit_info:
        askc_cli.main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)")
    assert err.endswith("RuntimeError: bug near http://****@h with ****\n")


def test_debug_logs_of_the_http_libraries_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_log_filter()
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    logging.getLogger("urllib3.connectionpool").debug(
        "GET http://%s:%s@h/?x-amz-security-token=%s", URL_ID, URL_SECRET, TOKEN
    )
    assert [r.getMessage() for r in caplog.records] == [
        "GET http://****@h/?x-amz-security-token=****"
    ]


def test_the_cost_readers_errors_carry_no_user_info_even_before_printing() -> None:
    from ask_components.cost.sources import read_state

    def fetch(url: str) -> dict[str, object]:
        return {"version": 3, "deployment": []}

    with pytest.raises(InputError) as error:
        read_state(f"s3://{URL_ID}:{URL_SECRET}@state-b/k.json?region=cn-hangzhou", fetch=fetch)
    assert str(error.value) == (
        "state s3://****@state-b/k.json: the deployment must be an object, got list"
    )


def test_a_usage_error_is_redacted_wherever_its_panel_wraps_the_value() -> None:
    # typer lays usage errors out in a rich panel: a URL can be split over two lines before
    # any stream sees it, so the message is redacted where the parser raises it.
    for pad in range(0, 90, 3):
        value = "x" * pad + f"?ak={URL_ID}&sk={URL_SECRET}"
        result = runner.invoke(app, ["cost", "--format", value])
        assert result.exit_code == 2
        unwrapped = re.sub(r" *│\n│ ?", "", result.stderr)  # the panel's lines joined again
        assert "****" in unwrapped, pad  # the value is quoted back, masked
        assert URL_SECRET not in unwrapped, pad
        assert URL_ID not in unwrapped, pad
