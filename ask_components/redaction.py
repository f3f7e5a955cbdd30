"""Credentials never reach a terminal: the one redaction every ``askc`` output passes through.

Three kinds of value are hidden (replaced by ``****``):

- the user info of any URL, ``scheme://ID:SECRET@host`` (and ``ID:SECRET@host`` without a
  scheme, as an endpoint in a query string may be written);
- the values of credential-like query parameters (``?ak=…&sk=…``, ``AccessKeySecret=…``,
  ``x-amz-security-token=…``);
- known secrets: the values of the credential variables of the environment (read at the moment
  of redaction, so a secret is hidden even before any client has been made from it) and the
  values registered with :func:`register_secret`.

:func:`guarded_output` swaps ``sys.stdout`` and ``sys.stderr`` for redacting streams while a
command runs, so whatever a command prints (results, warnings, errors, a debug traceback, a log
handler on stderr) is redacted before it is written. :func:`install_log_filter` does the same for
the debug logs of the HTTP libraries, whose records may be handled anywhere.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from typing import Final

MASK: Final = "****"
"""What a hidden value is replaced with."""

SECRET_VARIABLES: Final = (
    # The names the Alibaba Cloud tools and the Terraform provider (pulumi-alicloud's upstream)
    # read: alicloud/provider.go of aliyun/terraform-provider-alicloud, `access_key`,
    # `secret_key` and `security_token` (MultiEnvDefaultFunc).
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_SECURITY_TOKEN",
    # OSS's own tools (ossutil, the OSS SDKs), read by `askc backend` as a second choice.
    "OSS_ACCESS_KEY_ID",
    "OSS_ACCESS_KEY_SECRET",
    "OSS_SESSION_TOKEN",
    # The S3 tools' names, in case a user points them at OSS too.
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
"""Environment variables whose values are credentials, hidden wherever they appear."""

MIN_SECRET_LENGTH: Final = 6
"""Shorter values are not searched for: replacing every "ab" would garble the output, and no
AccessKey is that short (ids are 16-30 characters, secrets 30)."""

# Query parameters that carry credentials in the URL conventions people use: ak/sk, AccessKeyId,
# AccessKeySecret, SecurityToken, X-Amz-Signature, X-Amz-Credential, password, auth...
_SENSITIVE_NAME = (
    r"(?:ak|sk|sig|pwd|[\w.\-]*(?:key|secret|token|passw|credential|signature|auth)[\w.\-]*)"
)
_QUERY_VALUE = re.compile(
    rf"(?P<head>(?:[?&;]|%26|%3F){_SENSITIVE_NAME}(?:=|%3D))(?P<value>[^&;#\s'\"<>]*?)"
    # A colon right before a space or the end closes a sentence ("…&sk=X: cannot reach"), not X.
    r"(?=%26|:?(?:[&;#\s'\"<>]|$))",
    re.IGNORECASE,
)
# scheme://userinfo@ ; the @ may be percent-encoded when the URL sits in another URL's query.
_URL_USERINFO = re.compile(
    r"(?P<scheme>\b[a-z][a-z0-9+.\-]*(?:://|%3A%2F%2F))(?P<userinfo>(?:(?!%40)[^\s/?#@'\"<>])+)"
    r"(?P<at>@|%40)",
    re.IGNORECASE,
)
# ID:SECRET@host without a scheme (a bare endpoint such as `endpoint=ID:SECRET@127.0.0.1:9000`).
_BARE_USERINFO = re.compile(
    r"(?<![\w.~%\-])(?P<userinfo>[\w.~%\-]+:[^\s/?#@'\"<>&=]+)(?P<at>@|%40)(?=[\w\[])"
)

_lock = threading.Lock()
_registered: set[str] = set()


def register_secret(*values: str | None) -> None:
    """Remember values to hide from every later output (credentials found in a URL, a key pair).

    Args:
        values: the secrets; empty, ``None`` and too short values are ignored.
    """
    with _lock:
        _registered.update(v for v in values if v and len(v) >= MIN_SECRET_LENGTH)


def known_secrets(extra: Collection[str] = ()) -> list[str]:
    """Every value to hide now, longest first (so a secret containing another is hidden whole).

    Args:
        extra: values to hide besides the registered ones and the environment's.
    """
    from_env = (os.environ.get(name, "").strip() for name in SECRET_VARIABLES)
    with _lock:
        values = {*_registered, *from_env, *extra}
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def mask_urls(text: str) -> str:
    """``text`` with URL user info and credential-like query values replaced by ``****``.

    Args:
        text: any text that may quote a URL.
    """
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}{m['at']}", text)
    text = _BARE_USERINFO.sub(lambda m: f"{MASK}{m['at']}", text)
    return _QUERY_VALUE.sub(lambda m: f"{m['head']}{MASK}", text)


def redact(text: str, secrets: Collection[str] = ()) -> str:
    """``text`` with every credential it may contain replaced by ``****`` (see the module docs).

    Args:
        text: a message, a rendered result, a log line.
        secrets: extra values to hide.
    """
    if not isinstance(text, str):
        raise TypeError(f"redact() takes text, not {type(text).__name__}")
    text = mask_urls(text)
    for value in known_secrets(secrets):
        text = text.replace(value, MASK)
    return text


class RedactingStream(io.TextIOBase):
    """A text stream that redacts what is written and passes it to another stream.

    Every ``askc`` writer (``print``, ``typer.echo``, rich) writes a message in one call, so a
    credential is never split across two writes. No binary ``buffer`` is offered: text written
    there would pass unredacted (click then writes through this stream as text).

    Args:
        stream: the stream to write to.
    """

    def __init__(self, stream: io.TextIOBase) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` redacted; binary data is refused (click probes with ``write(b"")``)."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(redact(text))
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal (rich sizes its output by it)."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The wrapped stream's file descriptor."""
        return self._stream.fileno()

    def writable(self) -> bool:
        """Always: this stream is for writing."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The wrapped stream's error handler."""
        return getattr(self._stream, "errors", None)

    @property
    def wrapped(self) -> io.TextIOBase:
        """The stream written to."""
        return self._stream


@contextmanager
def guarded_output() -> Iterator[None]:
    """Redact everything written to ``sys.stdout`` and ``sys.stderr`` inside the block."""
    saved = sys.stdout, sys.stderr
    if isinstance(sys.stdout, RedactingStream) and isinstance(sys.stderr, RedactingStream):
        yield  # already guarded (a command calling another)
        return
    sys.stdout = RedactingStream(sys.stdout)  # type: ignore[arg-type]
    sys.stderr = RedactingStream(sys.stderr)  # type: ignore[arg-type]
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):  # a closed pipe: nothing left to protect
                stream.flush()
        sys.stdout, sys.stderr = saved


class _RedactRecords(logging.Filter):
    """Rewrites a log record's message with every credential hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_FILTER = _RedactRecords()

# Loggers that can see request URLs and headers. Filters on a logger only apply to records it
# creates itself, so the filter goes on every existing logger of these families.
LOG_FAMILIES: Final = ("botocore", "boto3", "urllib3", "s3transfer")


def install_log_filter() -> None:
    """Attach the redacting filter to every logger of the HTTP/SDK families that exists now."""
    manager = logging.Logger.manager
    names = [name for name in list(manager.loggerDict) if name.split(".", 1)[0] in LOG_FAMILIES]
    for name in [*LOG_FAMILIES, *names]:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


__all__ = [
    "MASK",
    "SECRET_VARIABLES",
    "RedactingStream",
    "guarded_output",
    "install_log_filter",
    "known_secrets",
    "mask_urls",
    "redact",
    "register_secret",
]
