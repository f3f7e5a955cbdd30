"""Credentials from the Alibaba environment variables, the boto3 S3 client, and error translation.

Secrets never leave this module in readable form: ``Credentials`` has no readable repr, every
error message passes through :func:`~ask_components.redaction.redact`, and a logging filter
scrubs them from botocore's and urllib3's debug logs (botocore logs the ``Authorization`` header,
which holds the access key id, and the ``x-amz-security-token`` header verbatim).
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ask_components.backend.names import BackendTarget
from ask_components.errors import BackendError, InputError
from ask_components.redaction import install_log_filter, redact, register_secret

# (access key id, access key secret, security token) variable names, in order of preference.
CREDENTIAL_VARIABLES: tuple[tuple[str, str, str], ...] = (
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
    ),
    ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN"),
)

# Seconds. A state bucket answers small requests; failing fast beats hanging a CI job.
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 60
MAX_ATTEMPTS = 3

# Error codes (or HTTP statuses) by which an S3-compatible server says "this API is not here".
UNSUPPORTED_CODES = frozenset(
    {"NotImplemented", "MethodNotAllowed", "UnsupportedOperation", "NotSupported", "501", "405"}
)
UNSUPPORTED_STATUSES = frozenset({405, 501})

AskErrorT = BackendError | InputError


@dataclass(frozen=True)
class Credentials:
    """An access key pair (and optional STS token) read from the environment.

    The repr shows only where the values came from, never the values.

    Attributes:
        access_key_id: the AccessKey ID.
        access_key_secret: the AccessKey secret.
        security_token: the STS security token, or ``None``.
        id_variable: the environment variable the id came from.
        secret_variable: the environment variable the secret came from.
        token_variable: the environment variable the token comes from (if set).
    """

    access_key_id: str = field(repr=False)
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    id_variable: str = "ALIBABA_CLOUD_ACCESS_KEY_ID"
    secret_variable: str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
    token_variable: str = "ALIBABA_CLOUD_SECURITY_TOKEN"

    def __repr__(self) -> str:
        token = ", with security token" if self.security_token else ""
        return f"Credentials(from ${self.id_variable} and ${self.secret_variable}{token})"

    __str__ = __repr__

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be shown."""
        values = (self.access_key_id, self.access_key_secret, self.security_token)
        return tuple(value for value in values if value)

    @property
    def hint(self) -> str:
        """Which variables to check, for error messages."""
        return f"${self.id_variable} / ${self.secret_variable}"


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials:
    """Read the credentials from the standard Alibaba Cloud (or OSS) environment variables.

    ``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (optional
    ``ALIBABA_CLOUD_SECURITY_TOKEN``) win over ``OSS_ACCESS_KEY_ID`` / ``OSS_ACCESS_KEY_SECRET``
    (optional ``OSS_SESSION_TOKEN``). A pair is never mixed across the two families.

    Args:
        env: the environment to read; ``None`` means ``os.environ``.

    Raises:
        BackendError: no complete pair is set (the message names the variables to set).
    """
    source = os.environ if env is None else env
    half_set: list[str] = []
    for id_var, secret_var, token_var in CREDENTIAL_VARIABLES:
        key_id = source.get(id_var, "").strip()
        secret = source.get(secret_var, "").strip()
        if key_id and secret:
            token = source.get(token_var, "").strip() or None
            return Credentials(key_id, secret, token, id_var, secret_var, token_var)
        if key_id or secret:
            missing = secret_var if key_id else id_var
            half_set.append(f"{missing} is not set (its partner is)")
    detail = f" ({'; '.join(half_set)})" if half_set else ""
    raise BackendError(
        "no OSS credentials found"
        + detail
        + ": set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
        "(and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials), "
        "or OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN)"
    )


# --- keeping secrets out of text and logs -------------------------------------------------------


def register_secrets(credentials: Credentials) -> None:
    """Remember the credentials' values so :func:`redact` and the log filter hide them.

    The environment's credential variables are hidden anyway (``ask_components.redaction``);
    this covers credentials handed over any other way.
    """
    register_secret(*credentials.secrets)
    install_log_filter()


# --- the client --------------------------------------------------------------------------------


_session_lock = threading.Lock()
_session: botocore.session.Session | None = None


def _botocore_session() -> botocore.session.Session:
    """One botocore session for the process: it caches the service models (~0.1 s a client).

    Clients get explicit credentials, region, endpoint and config, so nothing from ``AWS_*``
    variables or ``~/.aws`` decides where requests go or whose keys sign them.
    """
    global _session
    with _session_lock:
        if _session is None:
            _session = botocore.session.Session()
        return _session


def make_s3_client(target: BackendTarget, credentials: Credentials) -> Any:
    """Create a boto3 S3 client for the target, with settings OSS needs.

    - Signature v4, which OSS's S3 compatibility accepts.
    - Virtual-hosted addressing for OSS (it refuses path style); path style for IP/localhost.
    - Checksums only when an operation requires them: botocore ≥ 1.36 otherwise sends
      ``aws-chunked`` uploads with trailing CRC32 checksums, which OSS rejects with
      "aws-chunked encoding is not supported".
    - Explicit credentials, so ``AWS_*`` variables and ``~/.aws`` profiles are never used.

    Args:
        target: bucket, region, endpoint and addressing style.
        credentials: the key pair from :func:`credentials_from_env`.
    """
    register_secrets(credentials)
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": target.addressing_style},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
    )
    client = _botocore_session().create_client(
        "s3",
        region_name=target.region,
        endpoint_url=target.endpoint,
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.access_key_secret,
        aws_session_token=credentials.security_token,
        config=config,
    )
    client.meta.events.register("before-sign.s3", _add_content_md5)
    # botocore creates some module loggers lazily on first use; cover those too.
    install_log_filter()
    return client


def _add_content_md5(request: Any, **_: Any) -> None:
    """Send ``Content-MD5`` with every in-memory body.

    OSS's native API demands Content-MD5 on some bucket-configuration writes, and botocore now
    sends an ``x-amz-checksum-crc32`` header there instead; S3 accepts both. For checkpoint
    uploads it is also an end-to-end integrity check.
    """
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, bytes | bytearray) or not body or "Content-MD5" in request.headers:
        return
    digest = hashlib.md5(body, usedforsecurity=False).digest()
    request.headers["Content-MD5"] = base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class ServiceFault:
    """A request the server refused with a code the caller chose to handle.

    Attributes:
        code: the S3 error code (``NoSuchLifecycleConfiguration``, ``NotImplemented``...).
        status: the HTTP status.
        message: the server's message (redacted).
    """

    code: str
    status: int
    message: str

    @property
    def unsupported(self) -> bool:
        """True when the server does not implement the operation."""
        return self.code in UNSUPPORTED_CODES or self.status in UNSUPPORTED_STATUSES


class StateBucket:
    """An S3 client bound to one bucket, turning every failure into a clear ``BackendError``.

    Args:
        target: the bucket and endpoint.
        client: a boto3 S3 client (from :func:`make_s3_client`).
        credentials: used to name the variables to check in auth errors; never shown.
    """

    def __init__(self, target: BackendTarget, client: Any, credentials: Credentials) -> None:
        self.target = target
        self.client = client
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"StateBucket({self.target.bucket!r} at {self.target.endpoint})"

    @classmethod
    def connect(cls, target: BackendTarget, env: Mapping[str, str] | None = None) -> StateBucket:
        """Read the credentials from ``env`` and create the client.

        Args:
            target: the bucket and endpoint.
            env: the environment; ``None`` means ``os.environ``.
        """
        credentials = credentials_from_env(env)
        return cls(target, make_s3_client(target, credentials), credentials)

    @property
    def name(self) -> str:
        """The bucket name."""
        return self.target.bucket

    def call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        """Run one S3 operation (boto3 method name) on this bucket's client.

        ``Bucket`` is filled in unless given. Every failure becomes a ``BackendError``.

        Args:
            operation: the boto3 method, e.g. ``get_bucket_versioning``.
            params: the operation's parameters.
        """
        result = self.call_or_fault(operation, (), **params)
        assert isinstance(result, dict)
        return result

    def call_or_fault(
        self, operation: str, tolerate: Collection[str], /, **params: Any
    ) -> dict[str, Any] | ServiceFault:
        """Like :meth:`call`, but return a ``ServiceFault`` for the tolerated error codes.

        Args:
            operation: the boto3 method, e.g. ``get_bucket_lifecycle_configuration``.
            tolerate: error codes to return instead of raising; ``"unsupported"`` stands for
                every way a server says it does not implement the operation.
            params: the operation's parameters.
        """
        params.setdefault("Bucket", self.target.bucket)
        method = getattr(self.client, operation)
        try:
            response: dict[str, Any] = method(**params)
        except ClientError as exc:
            fault = _fault_of(exc)
            if fault.code in tolerate or ("unsupported" in tolerate and fault.unsupported):
                return fault
            raise self._translate(operation, fault, params) from None
        except BotoCoreError as exc:
            raise BackendError(
                redact(f"cannot reach {self.target.endpoint} ({operation}): {exc}")
            ) from None
        response.pop("ResponseMetadata", None)
        return response

    def get_bytes(self, key: str, version_id: str | None = None) -> tuple[bytes, dict[str, Any]]:
        """Download one object (or one version of it) whole.

        Args:
            key: the object key.
            version_id: a version id; ``None`` means the latest version.

        Returns:
            The bytes and the response metadata (``ETag``, ``VersionId``, ``ContentType``...).
        """
        params: dict[str, Any] = {"Key": key}
        if version_id is not None:
            params["VersionId"] = version_id
        response = self.call("get_object", **params)
        body = response.pop("Body")
        try:
            data: bytes = body.read()
        except BotoCoreError as exc:
            raise BackendError(
                redact(f"reading {key} from {self.target.endpoint} failed: {exc}")
            ) from None
        finally:
            body.close()
        return data, response

    def _translate(
        self, operation: str, fault: ServiceFault, params: Mapping[str, Any]
    ) -> AskErrorT:
        """A clear, credential-free error for a refused request."""
        where = f"bucket {self.target.bucket!r} at {self.target.endpoint}"
        key = params.get("Key")
        what = f"{operation} on {where}" + (f" (key {key})" if key else "")
        code = fault.code
        if code in ("NoSuchBucket",) or (fault.status == 404 and operation == "head_bucket"):
            return BackendError(
                f"{where} does not exist; create and secure it with: "
                f"{self.target.bootstrap_command()}"
            )
        if code in ("InvalidAccessKeyId", "InvalidAccessKeyId.NotFound"):
            return BackendError(
                f"the endpoint {self.target.endpoint} does not know this AccessKey ID "
                f"({code}); check {self._credentials.hint}"
            )
        if code == "SignatureDoesNotMatch":
            return BackendError(
                f"the AccessKey secret does not match the AccessKey ID ({code}) at "
                f"{self.target.endpoint}; check ${self._credentials.secret_variable}"
            )
        if code in ("InvalidToken", "InvalidSecurityToken", "ExpiredToken", "SecurityTokenExpired"):
            return BackendError(
                f"the STS security token was refused ({code}); refresh "
                f"${self._credentials.token_variable} together with {self._credentials.hint}"
            )
        if code in ("AccessDenied", "AllAccessDisabled", "Forbidden", "403") or fault.status == 403:
            return BackendError(
                f"access denied: {what} ({code}). The credentials from {self._credentials.hint} "
                "were rejected or lack permission; see the RAM policy in docs/state-backend.md"
            )
        if code in ("NoSuchKey",):
            return InputError(f"no object {key} in {where}")
        if code in ("NoSuchVersion",) or (code == "InvalidArgument" and "VersionId" in params):
            return InputError(f"no version {params.get('VersionId')} of {key} in {where}")
        message = f": {fault.message}" if fault.message else ""
        return BackendError(f"{what} failed: {code} (HTTP {fault.status}){message}")


def _fault_of(exc: ClientError) -> ServiceFault:
    error = exc.response.get("Error", {})
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    code = str(error.get("Code") or status)
    message = redact(str(error.get("Message") or ""))
    return ServiceFault(code=code, status=status, message=message)
