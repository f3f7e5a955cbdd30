"""Pulumi DIY-backend checkpoints: decoding, validation, and ``read_checkpoint(url)``.

A checkpoint is ``{"version": 3, "checkpoint": {"stack": ..., "latest": {"manifest": ...,
"resources": [...]}}}`` at ``.pulumi/stacks/<project>/<stack>.json`` (older layout:
``.pulumi/stacks/<stack>.json``), optionally gzip-compressed as ``<stack>.json.gz``
(``PULUMI_SELF_MANAGED_STATE_GZIP=true``).
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ask_components.backend.client import StateBucket
from ask_components.backend.names import AddressingStyle, BackendTarget, normalize_endpoint
from ask_components.errors import BackendError, InputError
from ask_components.files import parse_failure
from ask_components.redaction import redact, register_secret

GZIP_MAGIC = b"\x1f\x8b"

# Environment variables consulted for the region when a URL has neither region nor endpoint.
REGION_VARIABLES = ("ALIBABA_CLOUD_REGION_ID", "OSS_REGION")


def decode_checkpoint(data: bytes, source: str) -> dict[str, Any]:
    """Parse bytes (JSON, or gzip-compressed JSON) as a checkpoint document.

    Args:
        data: the object's bytes.
        source: how to name the object in errors (a URL or key, without credentials).

    Raises:
        InputError: the bytes are not JSON, or the JSON is not a checkpoint.
    """
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{source}: corrupt gzip data ({exc})") from None
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise InputError(f"{source} is not a Pulumi checkpoint: not UTF-8 text") from None
    except RecursionError:  # json recurses per nesting level; a checkpoint is a few deep
        raise InputError(f"{source} is not a Pulumi checkpoint: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not a Pulumi checkpoint: invalid JSON at line {exc.lineno} "
            f"column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:  # an integer of 5,000 digits
        raise InputError(f"{source} is not a Pulumi checkpoint: it {parse_failure(exc)}") from None
    problem = checkpoint_problem(document)
    if problem:
        raise InputError(f"{source} is not a Pulumi checkpoint: {problem}")
    assert isinstance(document, dict)
    return document


def checkpoint_problem(document: Any) -> str | None:
    """Why ``document`` is not a checkpoint, or ``None`` when it is one."""
    if not isinstance(document, dict):
        return f"expected a JSON object, got {type(document).__name__}"
    if "checkpoint" not in document:
        if "deployment" in document:
            return (
                "it has 'deployment' but no 'checkpoint' (a `pulumi stack export` file, "
                "not a backend checkpoint)"
            )
        return "no 'checkpoint' object"
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return f"'version' must be an integer, got {version!r}"
    body = document["checkpoint"]
    if not isinstance(body, dict):
        return f"'checkpoint' must be an object, got {type(body).__name__}"
    latest = body.get("latest")
    if latest is not None:
        if not isinstance(latest, dict):
            return f"'checkpoint.latest' must be an object, got {type(latest).__name__}"
        resources = latest.get("resources")
        if resources is not None and not isinstance(resources, list):
            return f"'checkpoint.latest.resources' must be a list, got {type(resources).__name__}"
    return None


def resources_of(document: Mapping[str, Any]) -> list[Any]:
    """The resource list of a valid checkpoint (empty for a stack that was never deployed)."""
    latest = document["checkpoint"].get("latest") or {}
    return list(latest.get("resources") or [])


def stack_name_of(document: Mapping[str, Any]) -> str | None:
    """The stack name recorded in a checkpoint (``organization/project/stack`` or ``stack``)."""
    name = document["checkpoint"].get("stack")
    return str(name) if name else None


# --- s3:// URLs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateUrl:
    """A parsed ``s3://bucket/key?endpoint=…&region=…`` URL.

    Attributes:
        target: the bucket and endpoint.
        key: the object key.
        display: the URL as it may be shown (no user info, sensitive parameters masked).
    """

    target: BackendTarget
    key: str
    display: str


def safe_url(url: str) -> str:
    """``url`` as it may be shown: user info and credential-like query values masked (also in
    a URL given as a query value, such as ``endpoint=http://ID:SECRET@host``).

    The user info found is registered as a secret, so later messages hide it too.
    """
    parts = urlsplit(url)
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        register_secret(userinfo, *userinfo.split(":", 1))
    return redact(url)


def parse_state_url(url: str, env: Mapping[str, str] | None = None) -> StateUrl:
    """Parse an ``s3://`` checkpoint URL as Pulumi's DIY backend writes them.

    Understood query parameters: ``endpoint`` (host or URL), ``region``, ``disableSSL=true``
    (http), ``s3ForcePathStyle=true`` (path-style addressing). Without ``endpoint`` the region's
    public OSS endpoint is used; without ``region`` either, ``$ALIBABA_CLOUD_REGION_ID`` or
    ``$OSS_REGION``.

    Args:
        url: ``s3://bucket/.pulumi/stacks/<project>/<stack>.json?endpoint=…&region=…``.
        env: the environment for the region fallback; ``None`` means ``os.environ``.

    Raises:
        InputError: the URL is not a usable ``s3://`` object URL.
    """
    display = safe_url(url)
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise InputError(f"{display}: expected an s3:// URL (s3://bucket/path/to/stack.json)")
    # Not parts.hostname: it lowercases, and "MyBucket" must fail rather than name another bucket.
    bucket_name = parts.netloc.rsplit("@", 1)[-1]
    if not bucket_name:
        raise InputError(f"{display}: the URL names no bucket (s3://bucket/path/to/stack.json)")
    key = unquote(parts.path.lstrip("/"))
    if not key or key.endswith("/"):
        raise InputError(
            f"{display}: the URL names no object; expected "
            "s3://bucket/.pulumi/stacks/<project>/<stack>.json"
        )
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    source = os.environ if env is None else env
    region = query.get("region") or next(
        (source[name] for name in REGION_VARIABLES if source.get(name)), None
    )
    endpoint = query.get("endpoint")
    if not region:
        raise InputError(
            f"{display}: no region: add ?region=<region> (and &endpoint=oss-<region>.aliyuncs.com) "
            f"or set {' or '.join('$' + name for name in REGION_VARIABLES)}"
        )
    if endpoint and "://" not in endpoint:
        scheme = "http" if query.get("disableSSL", "").lower() == "true" else "https"
        endpoint = f"{scheme}://{endpoint}"
    style: AddressingStyle | None = None
    if (
        query.get("s3ForcePathStyle", "").lower() == "true"
        or query.get("use_path_style", "").lower() == "true"
    ):
        style = "path"
    try:
        target = BackendTarget.create(
            bucket_name,
            region,
            normalize_endpoint(endpoint) if endpoint else None,
            addressing_style=style,
        )
    except InputError as exc:
        raise InputError(f"{display}: {exc}") from None
    return StateUrl(target=target, key=key, display=display)


def read_checkpoint(url: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Download and parse one checkpoint from an OSS/S3 DIY backend.

    Credentials come from ``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``ALIBABA_CLOUD_ACCESS_KEY_SECRET``
    (or the ``OSS_*`` names).

    Args:
        url: ``s3://bucket/.pulumi/stacks/<project>/<stack>.json?endpoint=…&region=…`` or a plain
            ``s3://bucket/path.json`` (region from the environment).
        env: the environment to read credentials and region from; ``None`` means ``os.environ``.

    Returns:
        The whole checkpoint document (``{"version": 3, "checkpoint": {...}}``).

    Raises:
        InputError: bad URL, missing object, bad JSON, or not a checkpoint.
        BackendError: missing credentials or bucket, access denied, endpoint unreachable.
    """
    parsed = parse_state_url(url, env)
    try:
        bucket = StateBucket.connect(parsed.target, env)
        data, _ = bucket.get_bytes(parsed.key)
    except (InputError, BackendError) as exc:
        raise type(exc)(f"cannot read {parsed.display}: {exc}") from None
    return decode_checkpoint(data, parsed.display)
