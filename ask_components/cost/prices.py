"""Live price books: ``askc cost prices fetch --region R [--site S] --out FILE``.

Asks Alibaba's own price API for the prices the built-in books cannot know, and writes a price
book that ``--price-book`` reads, each price stamped with the API, the request and the date.

What is fetched, and why these SDKs (pinned in pyproject.toml, extra ``prices``):

- **ECI** through ``alibabacloud-eci20180808`` (``DescribeContainerGroupPrice``): ECI prices
  outside the Chinese mainland are not published anywhere else (pricing.md §1.1, ECI-API). The
  request is the API reference's own example spec, 2 vCPU / 4 GiB; the answer's
  ``PriceInfo.Price.DetailInfos.DetailInfo[]`` splits it by ``Resource`` (``CPU`` …), and its
  amounts are per second (the reference's example: ``TradePrice`` 0.00012252 = 2 × 0.000049 +
  4 × 0.00000613, the China-site per-second prices). vCPU = CPU detail ÷ 2; memory = the
  ``Memory`` detail ÷ 4, else (OriginalPrice − CPU detail) ÷ 4. A second request with
  ``ComputeCategory=economy`` gives the economy vCPU price. List prices (``OriginalPrice``),
  as the built-in books hold.
- **Credentials** through ``alibabacloud-credentials``: the standard chain (environment
  variables ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` [+
  ``ALIBABA_CLOUD_SECURITY_TOKEN``], OIDC, the CLI's and the SDK's profile files, an ECS RAM
  role), so no key ever appears on a command line; nothing here prints one.
- Not fetched: BSS ``GetPayAsYouGoPrice`` (``alibabacloud-bssopenapi20171214``) prices the other
  products, but needs each product's module codes from ``DescribePricingModule``; only EIP's
  are documented with an example (pricing.md §1.9), so the NAT, ALB, CLB and PrivateZone books
  stay built-in rather than guessed.

The book is written to a temporary file in the target folder and renamed over ``--out`` only
when every price was fetched: an error leaves nothing half-done.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import yaml

from ask_components.cost.catalog import CURRENCY, Site, read_override
from ask_components.cost.model import plain
from ask_components.errors import InputError

ECI_API: Final = "ECI DescribeContainerGroupPrice (2018-08-08)"
ECI_SOURCE: Final = "https://help.aliyun.com/zh/eci/api-describecontainergroupprice"
REQUEST_CPU: Final = Decimal(2)
REQUEST_MEMORY: Final = Decimal(4)
"""The spec asked for: the API reference's example (2 vCPU, 4 GiB), valid in every region."""

AUTH_CODES: Final = (
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "Forbidden",
    "NoPermission",
    "InvalidSecurityToken",
    "IncompleteSignature",
)
THROTTLE_CODES: Final = ("Throttling", "ServiceUnavailable", "RequestLimitExceeded")
REGION_CODES: Final = ("InvalidRegionId", "InvalidRegion", "UnsupportedRegion")


class PriceApiError(InputError):
    """The price API refused a request, could not be reached, or did not return a price."""


Call = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""Sends one DescribeContainerGroupPrice request (query parameters) and returns the answer."""


def eci_caller(region: str, endpoint: str | None = None) -> Call:
    """A :data:`Call` through Alibaba's ECI SDK with the default credential chain.

    Args:
        region: the region to price (``RegionId``, and the endpoint ``eci.<region>.aliyuncs.com``).
        endpoint: another endpoint (``http://127.0.0.1:8080`` for a test server, or a VPC one).
    """
    try:
        from alibabacloud_credentials.client import Client as CredentialClient
        from alibabacloud_eci20180808 import models as eci_models
        from alibabacloud_eci20180808.client import Client as EciClient
        from alibabacloud_tea_openapi.models import Config
    except ImportError:
        raise InputError(
            "askc cost prices fetch needs Alibaba's SDKs: pip install 'ask-components[prices]'"
        ) from None
    try:
        credential = CredentialClient()
        # Resolved now, so that a missing credential is one clear error before any request.
        credential.get_credential()
    except Exception as exc:  # the chain raises its own exception types
        raise PriceApiError(
            "no Alibaba Cloud credentials found (set ALIBABA_CLOUD_ACCESS_KEY_ID and "
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET, or a profile): "
            f"{_first_line(exc)}"
        ) from None
    config = Config(credential=credential, region_id=region)
    if endpoint:
        scheme, _, host = endpoint.rpartition("://")
        config.endpoint = host
        config.protocol = scheme or "https"
    client = EciClient(config)

    def call(query: Mapping[str, Any]) -> Mapping[str, Any]:
        request = eci_models.DescribeContainerGroupPriceRequest(region_id=region, **query)
        body = client.describe_container_group_price(request).body
        return body.to_map() if body is not None else {}

    return call


def _first_line(exc: BaseException) -> str:
    data = getattr(exc, "data", None)
    said = data.get("Message") if isinstance(data, dict) else None
    text = str(said or getattr(exc, "message", "") or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _refusal(exc: Exception, region: str) -> PriceApiError:
    code = str(getattr(exc, "code", "") or "")
    message = _first_line(exc)
    if code.startswith(AUTH_CODES) or getattr(exc, "statusCode", None) in (401, 403):
        return PriceApiError(
            f"{ECI_API} refused the credentials ({code or 'HTTP error'}): {message}"
        )
    if code.startswith(THROTTLE_CODES):
        return PriceApiError(f"{ECI_API} is throttling requests ({code}); try again later")
    if code.startswith(REGION_CODES):
        return PriceApiError(f"--region {region}: {ECI_API} does not know this region ({code})")
    return PriceApiError(f"{ECI_API} failed for {region}: {code or 'error'}: {message}")


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PriceApiError(f"{ECI_API} returned no number for {what}: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise PriceApiError(f"{ECI_API} returned an impossible {what}: {value!r}")
    return number


@dataclass(frozen=True)
class EciPrices:
    """Per-second list prices read from one answer.

    Attributes:
        currency: the answer's currency.
        vcpu: per vCPU-second.
        memory: per GiB-second.
    """

    currency: str
    vcpu: Decimal
    memory: Decimal


def read_eci_answer(answer: Mapping[str, Any], what: str) -> EciPrices:
    """vCPU and memory prices from a DescribeContainerGroupPrice answer for 2 vCPU / 4 GiB.

    Raises:
        PriceApiError: the answer has no price, or no CPU detail.
    """
    price = (answer.get("PriceInfo") or {}).get("Price") or {}
    if "OriginalPrice" not in price:
        raise PriceApiError(f"{ECI_API} returned no price for {what}")
    total = _decimal(price["OriginalPrice"], f"{what} OriginalPrice")
    details = (price.get("DetailInfos") or {}).get("DetailInfo") or []
    by_resource = {str(d.get("Resource", "")).lower(): d for d in details if isinstance(d, Mapping)}
    cpu = by_resource.get("cpu")
    if cpu is None or "OriginalPrice" not in cpu:
        raise PriceApiError(f"{ECI_API} returned no CPU price detail for {what}")
    cpu_price = _decimal(cpu["OriginalPrice"], f"{what} CPU OriginalPrice")
    memory = by_resource.get("memory")
    memory_price = (
        _decimal(memory["OriginalPrice"], f"{what} memory OriginalPrice")
        if memory is not None and "OriginalPrice" in memory
        else total - cpu_price
    )
    if memory_price < 0:
        raise PriceApiError(f"{ECI_API}: the CPU detail of {what} is more than its total")
    return EciPrices(
        str(price.get("Currency") or ""), cpu_price / REQUEST_CPU, memory_price / REQUEST_MEMORY
    )


def _entry(price: Decimal, request: str, today: str) -> dict[str, str]:
    return {
        "price": plain(price),
        "source": f"{ECI_API}: {request}",
        "source_key": "ECI-API",
        "retrieved": today,
        "note": f"fetched by askc cost prices fetch on {today}",
    }


def fetch_price_book(
    region: str, site: Site, call: Call, *, today: dt.date | None = None
) -> dict[str, Any]:
    """A price book (the ``--price-book`` schema) with the ECI prices of ``region``.

    Raises:
        PriceApiError: a request failed, or the answer has no price or another currency.
    """
    date = (today or dt.date.today()).isoformat()
    requests: dict[str, dict[str, Any]] = {
        "general": {"cpu": float(REQUEST_CPU), "memory": float(REQUEST_MEMORY)},
        "economy": {
            "cpu": float(REQUEST_CPU),
            "memory": float(REQUEST_MEMORY),
            "compute_category": "economy",
        },
    }
    found: dict[str, EciPrices] = {}
    for name, query in requests.items():
        shown = f"RegionId={region}, Cpu=2, Memory=4" + (
            ", ComputeCategory=economy" if name == "economy" else ""
        )
        try:
            answer = call(query)
        except PriceApiError:
            raise
        except Exception as exc:  # the SDK raises TeaException and friends
            raise _refusal(exc, region) from None
        prices = read_eci_answer(answer, f"{shown} in {region}")
        if prices.currency and prices.currency != CURRENCY[site]:
            raise PriceApiError(
                f"{ECI_API} answers in {prices.currency}: the account bills on the other site "
                f"than --site {site} ({CURRENCY[site]}); pass the account's site"
            )
        found[name] = prices
    general, economy = found["general"], found["economy"]
    request = f"RegionId={region}, Cpu=2, Memory=4"
    book: dict[str, Any] = {
        "schema_version": 1,
        "site": site,
        "currency": CURRENCY[site],
        "prices": {
            "eci.vcpu": {"regions": {region: _entry(general.vcpu, request, date)}},
            "eci.memory": {"regions": {region: _entry(general.memory, request, date)}},
            "eci.vcpu_economy": {
                "regions": {
                    region: _entry(economy.vcpu, f"{request}, ComputeCategory=economy", date)
                }
            },
        },
    }
    return book


def write_price_book(book: Mapping[str, Any], out: Path) -> None:
    """Write ``book`` to ``out`` atomically (a temporary file renamed over it), after checking
    that ``--price-book`` reads it."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out {out}: the folder {folder} does not exist")
    text = (
        "# Written by `askc cost prices fetch`; read it with `askc cost --price-book FILE`.\n"
        + yaml.safe_dump(dict(book), sort_keys=False, allow_unicode=True)
    )
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        read_override(temporary)  # the book must be one --price-book accepts
        temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


__all__ = [
    "ECI_API",
    "EciPrices",
    "PriceApiError",
    "eci_caller",
    "fetch_price_book",
    "read_eci_answer",
    "write_price_book",
]
