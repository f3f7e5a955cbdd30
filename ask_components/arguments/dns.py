"""The private-DNS components' zone and records checked with the stack file's ``dns`` rules
(``DnsConfig``: the zone name, each record's name, type, value, TTL and priority, records that
cannot live together)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from ask_components.arguments import check_arguments, is_output
from ask_components.dns.config import DnsConfig
from ask_components.dns.records import DnsRecord

_TEST_NET = ipaddress.IPv4Address("192.0.2.0")
"""RFC 5737's documentation range: stand-in addresses that can never be real ones."""


def _stand_in(record_type: str, index: int) -> str:
    """A value of ``record_type`` for a record whose value is known only later (an Output): its
    other fields are checked, and no two stand-ins are the same record."""
    name = f"known-later-{index}.invalid"
    return {
        "A": str(_TEST_NET + index % 256),
        "SRV": f"0 0 0 {name}",
        "TXT": name,
    }.get(record_type, name)


def check_dns(component: str, name: str, zone_name: str, records: Sequence[DnsRecord[Any]]) -> None:
    """Raise one ``ArgumentError`` for everything wrong with a private zone's arguments.

    Args:
        component: the component's class name.
        name: the component's name.
        zone_name: the ``zone_name`` argument.
        records: the ``records`` argument.
    """
    document = {
        "zone": zone_name,
        "records": [
            {
                "rr": record.rr,
                "type": record.type,
                "value": _stand_in(record.type, index) if is_output(record.value) else record.value,
                "ttl": record.ttl,
                "priority": record.priority,
            }
            for index, record in enumerate(records)
        ],
    }
    check_arguments(component, name, DnsConfig, document, renames={"zone": "zone_name"})
