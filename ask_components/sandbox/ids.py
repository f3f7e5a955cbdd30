"""Ids and addresses in Alibaba's shapes, so a stand-in cannot be told from the real thing.

- Instance ids are a prefix, a dash and lowercase letters and digits: ``vpc-bp1m7v25emi1h5mtc``
  (Alibaba's examples: 17 to 22 characters after the prefix; the sandbox uses 21).
- PrivateZone zone ids are 32 hex characters; zone record ids are decimal numbers.
- EIPs come from the documentation ranges of RFC 5737 (198.51.100.0/24, then 203.0.113.0/24), so
  a sandbox address is never routable and never collides with a real one.
"""

from __future__ import annotations

import ipaddress
import secrets
import string
from collections.abc import Collection, Iterator

ID_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 21
"""Characters after the prefix of a sandbox instance id (Alibaba's are 17 to 22)."""

EIP_RANGES = (ipaddress.IPv4Network("198.51.100.0/24"), ipaddress.IPv4Network("203.0.113.0/24"))
"""Where sandbox EIPs come from: RFC 5737 documentation ranges (TEST-NET-2, TEST-NET-3)."""


def random_id(length: int = ID_LENGTH) -> str:
    """Lowercase letters and digits, as after the dash of an Alibaba instance id."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def zone_id() -> str:
    """A PrivateZone zone id: 32 hex characters."""
    return secrets.token_hex(16)


def record_id() -> str:
    """A PrivateZone record id: an 11-digit decimal number."""
    return str(10_000_000_000 + secrets.randbelow(90_000_000_000))


def eip_candidates() -> Iterator[str]:
    """Every EIP address the sandbox may hand out, in order (hosts only, no .0 or .255)."""
    for network in EIP_RANGES:
        for host in network.hosts():
            yield str(host)


def next_free_ip(used: Collection[str]) -> str | None:
    """The lowest documentation address not in ``used``, or None when all are taken."""
    return next((ip for ip in eip_candidates() if ip not in used), None)
