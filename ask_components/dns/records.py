"""The records of a private zone as plain data, and their stable logical names (pure)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ask_components.dns.config import DEFAULT_TTL, DnsConfig, RecordType
from ask_components.dns.names import record_name_problem

V = TypeVar("V", covariant=True)
T = TypeVar("T")


@dataclass(frozen=True)
class DnsRecord(Generic[V]):
    """One record to create.

    Attributes:
        rr: the name inside the zone (``@`` for the zone itself).
        type: A, CNAME, TXT, MX, SRV or PTR.
        value: what it points at; a string, or a value known later (a Pulumi Output).
        ttl: seconds resolvers cache it.
        priority: MX priority (1-99); None for other types.
        key: the record's logical-name suffix; stable across changes of its value.
    """

    rr: str
    type: RecordType
    value: V
    ttl: int = DEFAULT_TTL
    priority: int | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        problem = record_name_problem(self.rr)
        if problem:
            raise ValueError(problem)


def configured_records(config: DnsConfig) -> list[DnsRecord[str]]:
    """The ``dns.records`` of a config, with their keys."""
    records = [
        DnsRecord(r.rr, r.type, r.value, r.ttl, r.effective_priority) for r in config.records
    ]
    return with_keys(records)


def app_cname(app_name: str, target: T) -> DnsRecord[T]:
    """``<app>.<zone>`` CNAME to ``target`` (the ALB's DNS name)."""
    return DnsRecord(app_name, "CNAME", target, key=f"app-{app_name}")


def with_keys(records: Sequence[DnsRecord[T]]) -> list[DnsRecord[T]]:
    """Give each record without a key one: ``<rr>-<type>``, plus a digest of the value when the
    same name and type repeat (round-robin A records). Keys name the Pulumi resources, so they
    stay the same when other records are added or reordered.

    Raises:
        ValueError: two records end up with the same key.
    """
    counts = Counter((r.rr, r.type) for r in records if r.key is None)
    keyed: list[DnsRecord[T]] = []
    for record in records:
        key = record.key
        if key is None:
            key = f"{_slug(record.rr)}-{record.type.lower()}"
            if counts[(record.rr, record.type)] > 1:
                if not isinstance(record.value, str):
                    raise ValueError(
                        f"records {record.rr} {record.type} repeat and one has a computed value: "
                        "give it a key"
                    )
                key += "-" + hashlib.sha256(str(record.value).encode()).hexdigest()[:8]
        keyed.append(
            DnsRecord(record.rr, record.type, record.value, record.ttl, record.priority, key)
        )
    seen = Counter(r.key for r in keyed)
    repeated = sorted(str(key) for key, count in seen.items() if count > 1)
    if repeated:
        raise ValueError(f"records share a name: {', '.join(repeated)}")
    return keyed


def _slug(rr: str) -> str:
    if rr == "@":
        return "apex"
    return re.sub(r"[^a-z0-9-]+", "-", rr.replace("*", "wildcard")).strip("-") or "record"
