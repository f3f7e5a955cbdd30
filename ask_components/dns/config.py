"""``ask:platform.dns``: the platform's PrivateZone and its records.

::

    dns:
      zone: shop.internal
      records:
        - {rr: db, type: CNAME, value: rm-shop.mysql.rds.aliyuncs.com}
        - {rr: "@", type: TXT, value: "owner=platform-team", ttl: 300}

Every exposed app also gets ``<app>.<zone>`` pointing at the ingress (see ``PrivateDns``).
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ask_components.configbase import ConfigModel, Problems
from ask_components.dns.names import dns_name_problem, fqdn, record_name_problem

RecordType = Literal["A", "CNAME", "TXT", "MX", "SRV", "PTR"]
"""The record types PrivateZone takes (pulumi-alicloud pvtz/zone_record.py)."""

DEFAULT_TTL = 60
"""Seconds resolvers cache a record: PrivateZone's default, short enough to move a name quickly."""

MAX_TTL = 86_400
"""One day: the longest TTL this config accepts."""

DEFAULT_MX_PRIORITY = 1
"""PrivateZone's MX priority when unset (1-99, lower first)."""

RESERVED_ZONES = ("cluster.local",)
"""Zones owned by Kubernetes DNS inside the cluster: a private zone there would shadow Services."""


class DnsRecordConfig(ConfigModel):
    """One record of the private zone."""

    rr: str = Field(description="Name inside the zone: '@' (the zone), '*', 'db', '_sip._tcp'.")
    type: RecordType = Field(description="A, CNAME, TXT, MX, SRV or PTR.")
    value: str = Field(min_length=1, description="IPv4 (A), a name (CNAME/MX/PTR), text, SRV data.")
    ttl: int = Field(DEFAULT_TTL, ge=1, le=MAX_TTL, description="Seconds resolvers cache it.")
    priority: int | None = Field(None, ge=1, le=99, description="MX only: 1-99, default 1.")

    @field_validator("rr")
    @classmethod
    def _rr(cls, rr: str) -> str:
        problem = record_name_problem(rr)
        if problem:
            raise ValueError(problem)
        return rr

    @model_validator(mode="after")
    def _value_fits_type(self) -> DnsRecordConfig:
        problems: list[tuple[str, str]] = []
        problem = record_value_problem(self.type, self.value)
        if problem:
            problems.append((".value", problem))
        if self.priority is not None and self.type != "MX":
            problems.append((".priority", f"only MX records take a priority, this is {self.type}"))
        if problems:
            raise Problems(problems)
        return self

    @property
    def effective_priority(self) -> int | None:
        """The MX priority sent to PrivateZone (None for other types)."""
        if self.type != "MX":
            return None
        return self.priority if self.priority is not None else DEFAULT_MX_PRIORITY


def record_value_problem(record_type: str, value: str) -> str | None:
    """Why ``value`` does not fit a ``record_type`` record, or None when it does."""
    if record_type == "A":
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            return f"{value!r} is not an IPv4 address (an A record points at one)"
        return None
    if record_type in ("CNAME", "MX", "PTR"):
        return dns_name_problem(value, what=f"a name (a {record_type} record points at one)")
    if record_type == "SRV":
        parts = value.split()
        numbers_ok = len(parts) == 4 and all(part.isdigit() for part in parts[:3])
        if not numbers_ok or int(parts[2]) > 65_535 or dns_name_problem(parts[3]) is not None:
            return (
                f"{value!r} is not SRV data: write 'priority weight port target', "
                "like '1 10 5060 sip.shop.internal'"
            )
        return None
    return None  # TXT: any text


class DnsConfig(ConfigModel):
    """``ask:platform.dns``: a PrivateZone attached to the platform VPC only."""

    zone: str = Field(description="The zone name (shop.internal); resolvable only inside the VPC.")
    records: list[DnsRecordConfig] = Field(
        default_factory=list,
        description="Extra records; each exposed app also gets a CNAME `<app>.<zone>`.",
    )

    @field_validator("zone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        problem = dns_name_problem(zone, what="a zone name")
        if problem:
            raise ValueError(problem)
        for reserved in RESERVED_ZONES:
            if zone == reserved or zone.endswith("." + reserved):
                raise ValueError(
                    f"{zone} would shadow the cluster's own DNS ({reserved}); pick another zone"
                )
        return zone

    @field_validator("records")
    @classmethod
    def _records_agree(cls, records: list[DnsRecordConfig]) -> list[DnsRecordConfig]:
        problems = record_conflicts(
            [(f"records[{i}]", r.rr, r.type, r.value) for i, r in enumerate(records)]
        )
        if problems:
            raise Problems([(f"[{index}]", message) for index, message in problems])
        return records

    def fqdn(self, rr: str) -> str:
        """The full name of record ``rr`` in this zone."""
        return fqdn(rr, self.zone)


def record_conflicts(records: list[tuple[str, str, str, str]]) -> list[tuple[int, str]]:
    """Records that cannot live together: the same record twice, a CNAME beside another record.

    Args:
        records: (label, rr, type, value) per record, in order; the label names the record in
            messages (``records[0]``, ``ask:platform.apps[1].expose``).

    Returns:
        (index, message) per problem, on the later of two records.
    """
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, str, str], str] = {}
    first_by_rr: dict[str, tuple[str, str]] = {}
    for index, (label, rr, record_type, value) in enumerate(records):
        key = (rr, record_type, value)
        if key in seen:
            problems.append((index, f"repeats {seen[key]} ({record_type} {rr} -> {value})"))
            continue
        seen[key] = label
        earlier = first_by_rr.get(rr)
        if earlier is not None and "CNAME" in (record_type, earlier[1]):
            # RFC 1034 section 3.6.2: a name with a CNAME has no other data.
            problems.append(
                (
                    index,
                    f"{rr} already has a {earlier[1]} record ({earlier[0]}); a CNAME cannot share "
                    "its name with any other record",
                )
            )
            continue
        first_by_rr.setdefault(rr, (label, record_type))
    return problems
