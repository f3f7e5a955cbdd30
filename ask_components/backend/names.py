"""Bucket, region and endpoint names: validation, defaults and the ``pulumi login`` URL.

Pure functions on plain strings; nothing here talks to the network.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from ask_components.errors import InputError
from ask_components.redaction import mask_urls, register_secret

AddressingStyle = Literal["virtual", "path"]

# OSS bucket naming rules: https://www.alibabacloud.com/help/en/oss/user-guide/bucket-naming-conventions
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
BUCKET_MIN_LEN = 3
BUCKET_MAX_LEN = 63

# Region ids as OSS and the rest of Alibaba Cloud write them: cn-hangzhou, ap-southeast-1,
# cn-shanghai-finance-1, eu-central-1. (Not the OSS "oss-cn-hangzhou" form.)
_REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z0-9]+)+$")
REGION_MAX_LEN = 40


def validate_bucket_name(bucket: str) -> str:
    """Return ``bucket`` if it follows the OSS naming rules, else raise ``InputError``.

    Args:
        bucket: the bucket name as the user typed it.
    """
    problems: list[str] = []
    if not BUCKET_MIN_LEN <= len(bucket) <= BUCKET_MAX_LEN:
        problems.append(
            f"must be {BUCKET_MIN_LEN}-{BUCKET_MAX_LEN} characters long (is {len(bucket)})"
        )
    if bucket != bucket.lower():
        problems.append("must be lowercase")
    if re.search(r"[^a-zA-Z0-9-]", bucket):
        problems.append("may contain only lowercase letters, digits and hyphens")
    if bucket and (bucket[0] == "-" or bucket[-1] == "-"):
        problems.append("must start and end with a letter or a digit")
    if not problems and not _BUCKET_RE.match(bucket):  # pragma: no cover - covered by the above
        problems.append("is not a valid OSS bucket name")
    if problems:
        raise InputError(f"invalid bucket name {bucket!r}: " + "; ".join(problems))
    return bucket


def validate_region(region: str) -> str:
    """Return ``region`` if it looks like an Alibaba Cloud region id, else raise ``InputError``.

    Args:
        region: a region id such as ``cn-hangzhou`` or ``ap-southeast-1``.
    """
    if region.startswith("oss-"):
        raise InputError(
            f"invalid region {region!r}: give the region id without the 'oss-' prefix "
            f"(--region {region.removeprefix('oss-')})"
        )
    if len(region) > REGION_MAX_LEN or not _REGION_RE.match(region):
        raise InputError(
            f"invalid region {region!r}: expected an Alibaba Cloud region id such as "
            "cn-hangzhou, cn-shanghai or ap-southeast-1 (lowercase letters, digits, hyphens)"
        )
    return region


def default_endpoint(region: str) -> str:
    """The public OSS endpoint of a region, e.g. ``https://oss-cn-hangzhou.aliyuncs.com``.

    Args:
        region: a validated region id.
    """
    return f"https://oss-{region}.aliyuncs.com"


def normalize_endpoint(endpoint: str) -> str:
    """Return an endpoint URL with a scheme and no trailing slash, or raise ``InputError``.

    A bare host (``oss-cn-hangzhou.aliyuncs.com``, as in a ``pulumi login`` URL) gets ``https://``.
    Credentials in the URL (``http://ID:SECRET@host``) are refused, and hidden from every later
    output; messages show the endpoint with them masked.

    Args:
        endpoint: ``https://host[:port]``, ``http://host[:port]`` or a bare ``host[:port]``.
    """
    text = endpoint.strip()
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    shown = mask_urls(endpoint)
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        register_secret(userinfo, *userinfo.split(":", 1))
        raise InputError(
            f"invalid endpoint {shown!r}: credentials do not belong in the endpoint URL; set "
            "$ALIBABA_CLOUD_ACCESS_KEY_ID and $ALIBABA_CLOUD_ACCESS_KEY_SECRET instead"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"invalid endpoint {shown!r}: expected https://host[:port] "
            "(or http:// for a local test server)"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InputError(
            f"invalid endpoint {shown!r}: give only scheme, host and port, e.g. https://oss-cn-hangzhou.aliyuncs.com"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InputError(f"invalid endpoint {shown!r}: {exc}") from None
    return f"{parts.scheme}://{parts.netloc}"


def addressing_style_for(endpoint: str) -> AddressingStyle:
    """Path style for IP addresses and ``localhost`` (no DNS for ``bucket.host``), else virtual.

    OSS rejects path-style requests for buckets (``SecondLevelDomainForbidden``), so every real
    OSS endpoint must use virtual-hosted style.

    Args:
        endpoint: a normalized endpoint URL.
    """
    host = urlsplit(endpoint).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return "path"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "virtual"
    return "path"


def is_oss_endpoint(endpoint: str) -> bool:
    """True when the endpoint is an Alibaba Cloud OSS host (``*.aliyuncs.com``)."""
    host = urlsplit(endpoint).hostname or ""
    return host.endswith(".aliyuncs.com")


@dataclass(frozen=True)
class BackendTarget:
    """Where the state lives: one bucket behind one S3-compatible endpoint.

    Attributes:
        bucket: the bucket name (validated against the OSS rules).
        region: the region id (validated).
        endpoint: the endpoint URL with scheme; defaults to the region's public OSS endpoint.
        addressing_style: ``virtual`` (OSS) or ``path`` (IP / localhost test servers).
    """

    bucket: str
    region: str
    endpoint: str
    addressing_style: AddressingStyle

    @classmethod
    def create(
        cls,
        bucket: str,
        region: str,
        endpoint: str | None = None,
        addressing_style: AddressingStyle | None = None,
    ) -> BackendTarget:
        """Validate the names and fill the defaults.

        Args:
            bucket: the bucket name.
            region: the region id.
            endpoint: the endpoint; ``None`` means ``https://oss-<region>.aliyuncs.com``.
            addressing_style: ``None`` chooses by endpoint (IP/localhost → path, else virtual).
        """
        validate_bucket_name(bucket)
        validate_region(region)
        url = normalize_endpoint(endpoint) if endpoint else default_endpoint(region)
        style = addressing_style or addressing_style_for(url)
        return cls(bucket=bucket, region=region, endpoint=url, addressing_style=style)

    @property
    def uses_default_endpoint(self) -> bool:
        """True when the endpoint is the region's default public OSS endpoint."""
        return self.endpoint == default_endpoint(self.region)

    def pulumi_login_url(self) -> str:
        """The ``s3://`` URL for ``pulumi login`` (Pulumi's DIY backend, gocloud.dev s3blob)."""
        parts = urlsplit(self.endpoint)
        query = [f"endpoint={parts.netloc}", f"region={self.region}"]
        if parts.scheme == "http":
            query.append("disableSSL=true")
        if self.addressing_style == "path":
            query.append("s3ForcePathStyle=true")
        return f"s3://{self.bucket}?{'&'.join(query)}"

    def pulumi_login_command(self) -> str:
        """The exact ``pulumi login`` command line, quoted for a POSIX shell."""
        return f"pulumi login '{self.pulumi_login_url()}'"

    def askc_args(self) -> str:
        """``--bucket … --region … [--endpoint …]`` to repeat this target in an ``askc`` command."""
        args = f"--bucket {self.bucket} --region {self.region}"
        if not self.uses_default_endpoint:
            args += f" --endpoint {self.endpoint}"
        return args

    def bootstrap_command(self) -> str:
        """The ``askc backend bootstrap`` command that sets this bucket up."""
        return f"askc backend bootstrap {self.askc_args()}"
