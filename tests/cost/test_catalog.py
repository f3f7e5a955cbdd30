"""Price books: built-in data quality, region lookup, user overrides and their errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ask_components.cost.catalog import (
    SITES,
    builtin_price_book,
    load_price_book,
    site_for_region,
)
from ask_components.cost.resources import PRICERS
from ask_components.errors import InputError

DATE = re.compile(r"^(\d{4}(-\d{2}-\d{2})?|undated)$")


@pytest.mark.parametrize("site", SITES)
def test_every_price_has_a_unit_source_and_date(site: str) -> None:
    book = builtin_price_book(site)  # type: ignore[arg-type]
    assert book.currency == {"china": "CNY", "international": "USD"}[site]
    for key, item in book.prices.items():
        assert item.unit, key
        for where, entry in [("default", item.default), *item.regions.items()]:
            assert entry.source, (key, where)
            assert entry.source.startswith("https://"), (key, where)
            if entry.status == "ok":
                assert entry.price is not None, (key, where)
                assert entry.price >= 0, (key, where)
                assert DATE.match(entry.retrieved or ""), (key, where)
            else:
                assert entry.price is None, (key, where)
                assert entry.note, (key, where)


def test_both_books_have_the_same_keys_and_units() -> None:
    china, intl = builtin_price_book("china"), builtin_price_book("international")
    assert {k: v.unit for k, v in china.prices.items()} == {
        k: v.unit for k, v in intl.prices.items()
    }


def test_books_are_parsed_once() -> None:
    assert builtin_price_book("china") is builtin_price_book("china")


@pytest.mark.parametrize(
    ("site", "key", "region", "amount", "matched"),
    [
        # pricing.md §1.1: 0.000049 CNY / 0.0000077 USD per vCPU-second in the Chinese mainland.
        ("china", "eci.vcpu", "cn-hangzhou", "0.000049", "@mainland"),
        ("international", "eci.vcpu", "cn-shanghai", "0.0000077", "@mainland"),
        ("international", "eci.vcpu", "ap-southeast-1", None, "default"),  # a gap
        # §1.5: NAT USD 0.034 in mainland China, 0.043 in Singapore.
        ("international", "nat.instance", "cn-beijing", "0.034", "@mainland"),
        ("international", "nat.instance", "ap-southeast-1", "0.043", "@nat_outside_mainland"),
        # §1.10 (AlibabaCloudDocs/nat @ afe4a439, 2021-07-21): China site 0.23 CNY/h in
        # Hangzhou (instance and CU), 0.30 in Hong Kong and abroad; Lhasa is in no row.
        ("china", "nat.instance", "cn-hangzhou", "0.23", "@nat_cu_023"),
        ("china", "nat.cu", "cn-guangzhou", "0.23", "@nat_cu_023"),
        ("china", "nat.instance", "me-east-1", "0.30", "@nat_cu_030"),
        ("china", "nat.instance", "cn-lasa", None, "default"),
        # Pay-by-specification: Small 0.50 CNY/h in the mainland row, not for Guangzhou.
        ("china", "nat.spec_small", "cn-hangzhou", "0.50", "@nat_spec_cn"),
        ("china", "nat.spec_large", "us-east-1", "2.46", "@nat_spec_067"),
        ("china", "nat.spec_middle", "cn-guangzhou", None, "default"),
        ("international", "nat.spec_small", "cn-hangzhou", None, "default"),
        # §1.10 (AlibabaCloudDocs/eip @ 70848e3c, 2020-11-20): 0.02 CNY/h, 0.80 CNY/GB in
        # Hangzhou; Qingdao 0.72 CNY/GB; bandwidth 0.96 then 3.36 CNY per Mbit/s-day.
        ("china", "eip.config_traffic", "cn-hangzhou", "0.02", "@eip_cn"),
        ("china", "eip.traffic", "cn-hangzhou", "0.80", "@eip_cn"),
        ("china", "eip.traffic", "cn-qingdao", "0.72", "cn-qingdao"),
        ("china", "eip.bandwidth_above_5", "cn-shenzhen", "3.36", "@eip_cn"),
        # The current international page (undated): Hangzhou 0.003 USD/h, 0.123 USD/GB.
        ("international", "eip.config_traffic", "cn-hangzhou", "0.003", "cn-hangzhou"),
        ("international", "eip.traffic", "cn-hangzhou", "0.123", "cn-hangzhou"),
        # §1.10: LCU 0.049 CNY (ALB, CLB), 0.037 CNY (NLB); 0.007 / 0.007 / 0.005 USD.
        ("china", "alb.lcu", "cn-hangzhou", "0.049", "default"),
        ("china", "clb.lcu", "cn-beijing", "0.049", "default"),
        ("china", "nlb.lcu", "cn-beijing", "0.037", "default"),
        ("international", "alb.lcu", "ap-southeast-1", "0.007", "default"),
        ("international", "clb.lcu", "ap-southeast-1", "0.007", "default"),
        ("international", "nlb.lcu", "ap-southeast-1", "0.005", "default"),
        # §1.6: EIP Qingdao has its own traffic price.
        ("international", "eip.traffic", "cn-qingdao", "0.113", "cn-qingdao"),
        ("international", "eip.config_traffic", "us-east-1", "0.0047", "@eip_us"),
        # §1.4: CLB public IP fee, China site: Hangzhou only.
        ("china", "clb.public_ip", "cn-hangzhou", "0.02", "cn-hangzhou"),
        ("china", "clb.public_ip", "cn-beijing", None, "default"),
    ],
)
def test_region_lookup(site: str, key: str, region: str, amount: str | None, matched: str) -> None:
    price = builtin_price_book(site).price(key, region)  # type: ignore[arg-type]
    assert price.amount == (None if amount is None else Decimal(amount))
    assert price.matched == matched


def test_gaps_are_not_found_entries_not_numbers() -> None:
    book = builtin_price_book("international")
    for key in ("ack.managed_pro_larger", "nat.vpc_cu", "eci.ephemeral_storage", "eip.bandwidth"):
        price = book.price(key, "cn-hangzhou")
        assert price.amount is None
        assert price.entry.status == "not_found"


def test_every_key_a_pricer_uses_is_in_the_book() -> None:
    """Scan the pricing modules for the catalog keys they use."""
    folder = Path(PRICERS[0].price.__code__.co_filename).parent
    source = "".join(path.read_text() for path in folder.glob("*.py"))
    used = set(re.findall(r'"((?:eci|ack|acs|alb|clb|nlb|nat|eip|pvtz)\.[a-z_0-9]+)"', source))
    used -= {"ack.standard"}  # a clusterSpec value, not a price key
    assert len(used) >= 20
    assert used <= set(builtin_price_book("china").prices)


@pytest.mark.parametrize(
    ("region", "site"),
    [
        ("cn-hangzhou", "china"),
        ("cn-hongkong", "china"),
        ("ap-southeast-1", "international"),
        ("us-east-1", "international"),
    ],
)
def test_site_for_region(region: str, site: str) -> None:
    assert site_for_region(region) == site


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_override_fills_a_gap_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
site: international
prices:
  eip.bandwidth:
    default: {price: "0.0056", source: "https://example.com/buy", retrieved: "2026-11-01"}
  eci.vcpu:
    regions:
      ap-southeast-1:
        {price: "0.0000081", source: "https://example.com/api", retrieved: "2026-11-02"}
""",
    )
    book = load_price_book("international", path)
    assert book.price("eip.bandwidth", "cn-hangzhou").amount == Decimal("0.0056")
    assert book.price("eci.vcpu", "ap-southeast-1").amount == Decimal("0.0000081")
    assert book.price("eci.vcpu", "cn-hangzhou").amount == Decimal("0.0000077")  # kept
    assert book.origin == f"built-in + {path}"
    assert builtin_price_book("international").price("eip.bandwidth", "x").amount is None


def test_override_yaml_floats_become_exact_decimals(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
prices:
  pvtz.zone:
    default: {price: 0.000049, source: "https://example.com", retrieved: "2026-11-01"}
""",
    )
    assert load_price_book("china", path).price("pvtz.zone", "x").amount == Decimal("0.000049")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "prices:\n  alb.lcuu:\n    default: {status: not_found, note: x, source: https://a}\n",
            "prices['alb.lcuu']: unknown price key (known: ack.managed_basic,",
        ),
        (
            "prices:\n  alb.lcu:\n    unit: hour\n",
            "prices['alb.lcu'].unit: 'hour' differs from the built-in unit 'LCU-hour'",
        ),
        ("site: china\n", "site: the file is for 'china' but the estimate uses 'international'"),
        (
            "prices:\n  alb.lcu:\n    default: {price: '-1', source: a, retrieved: undated}\n",
            "prices['alb.lcu'].default: price must be a finite number >= 0, got -1",
        ),
        (
            "prices:\n  alb.lcu:\n    default: {price: 'abc', source: https://a, retrieved: x}\n",
            "prices['alb.lcu'].default.price: not a number: 'abc'",
        ),
        (
            "prices:\n  alb.lcu:\n    default: {price: '1'}\n",
            "prices['alb.lcu'].default: a price needs source, retrieved",
        ),
        (
            "prices:\n  alb.lcu:\n    default: {status: not_found, price: '1', source: https://a}\n",
            "a not_found entry must not carry a price",
        ),
        (
            "prices:\n  alb.lcu:\n    default: {price: '1', source: a, retrieved: b, cost: 2}\n",
            "prices['alb.lcu'].default.cost: Extra inputs are not permitted",
        ),
        (
            "prices:\n  alb.lcu:\n    regions:\n      '@nowhere': {price: '1', source: a, "
            "retrieved: b}\n",
            "unknown region group 'nowhere'",
        ),
        ("prices: [1, 2\n", "not valid YAML"),
        ("- 1\n", "expected a mapping at the top level, got list"),
    ],
)
def test_override_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_price_book("international", path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_override_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read it"):
        load_price_book("china", tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"note: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        load_price_book("china", bad)
