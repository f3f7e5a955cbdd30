"""Records as data: stable keys, app CNAMEs, DNS name rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.dns.config import DnsConfig
from ask_components.dns.names import dns_name_problem, fqdn, record_name_problem
from ask_components.dns.records import DnsRecord, app_cname, configured_records, with_keys


def test_configured_records_get_keys_from_name_and_type() -> None:
    config = DnsConfig.model_validate(
        {
            "zone": "shop.internal",
            "records": [
                {"rr": "@", "type": "MX", "value": "mx.shop.internal"},
                {"rr": "db", "type": "CNAME", "value": "rm.example.com", "ttl": 300},
                {"rr": "*", "type": "A", "value": "10.0.0.9"},
                {"rr": "_sip._tcp", "type": "SRV", "value": "1 10 5060 sip.shop.internal"},
            ],
        }
    )
    assert configured_records(config) == [
        DnsRecord("@", "MX", "mx.shop.internal", 60, 1, "apex-mx"),
        DnsRecord("db", "CNAME", "rm.example.com", 300, None, "db-cname"),
        DnsRecord("*", "A", "10.0.0.9", 60, None, "wildcard-a"),
        DnsRecord("_sip._tcp", "SRV", "1 10 5060 sip.shop.internal", 60, None, "sip-tcp-srv"),
    ]


def test_repeated_name_and_type_add_a_digest_of_the_value() -> None:
    keys = [
        r.key
        for r in with_keys(
            [
                DnsRecord("db", "A", "10.0.0.1"),
                DnsRecord("db", "A", "10.0.0.2"),
                DnsRecord("db", "TXT", "x"),
            ]
        )
    ]
    assert keys[2] == "db-txt"
    assert keys[0] is not None
    assert re.fullmatch(r"db-a-[0-9a-f]{8}", keys[0])
    assert keys[0] != keys[1]
    # Stable: the same record keeps its key whatever else is in the list.
    again = with_keys([DnsRecord("db", "A", "10.0.0.3"), DnsRecord("db", "A", "10.0.0.1")])
    assert again[1].key == keys[0]


def test_app_cnames_have_their_own_keys() -> None:
    record = app_cname("web", "alb-1.cn-hangzhou.alb.aliyuncsslb.com")
    assert record == DnsRecord(
        "web", "CNAME", "alb-1.cn-hangzhou.alb.aliyuncsslb.com", 60, None, "app-web"
    )
    assert [r.key for r in with_keys([record, DnsRecord("web", "TXT", "x")])] == [
        "app-web",
        "web-txt",
    ]


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            [app_cname("web", "a.example.com"), app_cname("web", "b.example.com")],
            "records share a name: app-web",
        ),
        (
            [DnsRecord("db", "A", object()), DnsRecord("db", "A", "10.0.0.1")],
            "records db A repeat and one has a computed value: give it a key",
        ),
    ],
)
def test_keys_that_cannot_be_made(records: list[DnsRecord[object]], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        with_keys(records)


def test_a_record_name_is_checked() -> None:
    with pytest.raises(ValueError, match=r"^'a b' is not a record name"):
        DnsRecord("a b", "A", "10.0.0.1")


@pytest.mark.parametrize(
    ("name", "wildcard", "problem"),
    [
        ("shop.internal", False, None),
        ("a", False, None),
        ("*.shop.example.com", True, None),
        (
            "*.shop.example.com",
            False,
            "'*.shop.example.com' is not a DNS name: each label takes lowercase letters, digits and '-', and starts and ends with a letter or digit",
        ),
        ("", False, "a DNS name must not be empty"),
        ("a" * 254, False, f"'{'a' * 254}' is not a DNS name: longer than 253 characters"),
        (
            "x-.internal",
            False,
            "'x-.internal' is not a DNS name: each label takes lowercase letters, digits and '-', and starts and ends with a letter or digit",
        ),
    ],
)
def test_dns_name_problem(name: str, wildcard: bool, problem: str | None) -> None:
    assert dns_name_problem(name, wildcard=wildcard) == problem


@pytest.mark.parametrize("rr", ["@", "*", "www", "*.api", "_sip._tcp", "5.0", "a-b"])
def test_good_record_names(rr: str) -> None:
    assert record_name_problem(rr) is None


@pytest.mark.parametrize("rr", ["", "a..b", "-a", "A", "a b", "a.", "ü"])
def test_bad_record_names(rr: str) -> None:
    assert record_name_problem(rr) is not None


def test_fqdn() -> None:
    assert fqdn("@", "shop.internal") == "shop.internal"
    assert fqdn("web", "shop.internal") == "web.shop.internal"


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@given(st.lists(_label, min_size=1, max_size=5))
def test_dot_joined_labels_are_dns_names(labels: list[str]) -> None:
    assert dns_name_problem(".".join(labels)) is None
    assert record_name_problem(".".join(labels)) is None
