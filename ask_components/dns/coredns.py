"""Private zones as CoreDNS server blocks, and the marked edit of a Corefile (pure, no Pulumi).

On the local target a private zone must really resolve inside the kind cluster. Each zone becomes
one server block (``shop.internal:53 { … }``) of the cluster's CoreDNS, answered only by stock
plugins of the coredns image kind runs: ``errors``, ``loadbalance`` and ``template``.

Why only ``template``: a server block's plugins run in the order of CoreDNS's ``plugin.cfg``
(``template`` before ``hosts``, https://github.com/coredns/coredns/blob/master/plugin.cfg), not in
the order of the Corefile, so answers from two plugins cannot be layered. The ``template``
stanzas of one block, however, are tried in the order written, and each one either answers or,
with ``fallthrough``, hands the query to the next
(https://github.com/coredns/coredns/blob/master/plugin/template/template.go). The block is:

1. one stanza per (existing name, type): that name's records;
2. the zone's SOA;
3. NODATA (NOERROR, no answer) for every other type at an existing name, empty non-terminals
   included;
4. per wildcard ``*.<parent>``, deepest first: NXDOMAIN for names below an existing child of the
   parent (their closest encloser is not the parent: RFC 4592 section 2.2.1), then the
   wildcard's records and its NODATA, answered for the name asked;
5. NXDOMAIN for everything else in the zone.

A CNAME whose chain ends in A records (of the zones, or of ``addresses``: names outside the zones
such as the sandbox ALB's DNS name) is *flattened*: an A query gets the addresses under the name
asked, because stub resolvers (glibc, musl) do not chase CNAMEs and ``template`` no longer
resolves CNAME targets itself. Such a name answers its CNAME to a CNAME query and NODATA to any
other type. Every other CNAME is answered as written, with the chain as far as the zones know it.

Values reach three parsers in turn: the Corefile lexer (a quoted token, ``\\"`` for a quote,
``{$VAR}`` replaced by an environment variable), Go's text/template (``{{``) and the zone-file
parser. Names and addresses are checked against the record rules; TXT text is written with
zone-file ``\\DDD`` escapes for anything but plain printable ASCII, so no quote, backslash, brace
or newline of a value reaches the Corefile.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ask_components.dns.config import DEFAULT_MX_PRIORITY, MAX_TTL, record_value_problem
from ask_components.dns.names import dns_name_problem, fqdn
from ask_components.dns.records import DnsRecord

__all__ = [
    "MARKER",
    "NEGATIVE_TTL",
    "LocalZone",
    "coredns_configmap",
    "find_block",
    "owner_problem",
    "owner_token",
    "patch_corefile",
    "server_blocks",
    "unpatch_corefile",
]

MARKER = "ask-components"
"""The word in the comment lines around a block: ``# BEGIN ask-components <owner>``."""

NEGATIVE_TTL = 30
"""Seconds a resolver may cache "no such name" (the SOA's TTL and minimum, RFC 2308): a record
added later resolves after at most this long."""

PORT = 53
"""The port of kind's CoreDNS server blocks (``.:53``); a zone's block listens on the same one."""

MAX_TXT_STRING = 255
"""RFC 1035 section 3.3.14: a TXT record is a sequence of strings of at most 255 bytes."""

_INDENT = "    "
_OWNER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
_UNDER = r"(?:[^.]+\.)+"  # one or more labels in front of a name


@dataclass(frozen=True)
class LocalZone:
    """A private zone with known record values, as CoreDNS will serve it.

    Attributes:
        name: the zone (``shop.internal``).
        records: its records; values are plain strings (``@`` is the apex, ``*`` a wildcard).
    """

    name: str
    records: tuple[DnsRecord[str], ...] = ()


# The model: records by owner name, and a lookup that follows RFC 1034/4592.


@dataclass(frozen=True)
class _Rr:
    owner: str
    type: str
    value: str
    ttl: int
    priority: int | None = None

    def rdata(self) -> str:
        if self.type == "A":
            return self.value
        if self.type in ("CNAME", "PTR"):
            return f"{self.value}."
        if self.type == "MX":
            return f"{self.priority} {self.value}."
        if self.type == "SRV":
            # 'priority weight port target', one space apart, the target made absolute.
            return " ".join(self.value.split()) + "."
        return _txt_rdata(self.value)

    def text(self, owner: str | None = None) -> str:
        """The record in zone-file form; ``owner`` overrides the name (a wildcard's answer)."""
        return f"{owner or self.owner + '.'} {self.ttl} IN {self.type} {self.rdata()}"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.priority or 0, _ip_key(self.value) if self.type == "A" else 0, self.value)


def _ip_key(address: str) -> int:
    return int(ipaddress.IPv4Address(address))


@dataclass(frozen=True)
class _Chain:
    """Where a CNAME leads: the CNAME records followed, and the A records at the end, if any."""

    links: tuple[_Rr, ...]
    addresses: tuple[tuple[str, int | None], ...]

    def flattened(self, owner: str) -> list[str]:
        """The A answers under ``owner``, with the shortest TTL met along the chain."""
        ttls = [link.ttl for link in self.links]
        ttls += [ttl for _, ttl in self.addresses if ttl is not None]
        ttl = min(ttls)
        return [
            f"{owner} {ttl} IN A {ip}"
            for ip in sorted({ip for ip, _ in self.addresses}, key=_ip_key)
        ]


class _Model:
    """The zones' records by owner name, checked, and lookups across zones and ``addresses``."""

    def __init__(self, zones: Sequence[LocalZone], addresses: Mapping[str, str]) -> None:
        self.zones: dict[str, LocalZone] = {}
        for zone in zones:
            problem = dns_name_problem(zone.name, what="a zone name")
            if problem:
                raise ValueError(problem)
            if zone.name in self.zones:
                raise ValueError(f"zone {zone.name} is given twice")
            self.zones[zone.name] = zone
        self.addresses = _checked_addresses(addresses, self.zone_of)
        self.rrsets: dict[str, dict[str, list[_Rr]]] = {}
        for zone in self.zones.values():
            for record in zone.records:
                rr = _checked_record(zone.name, record)
                if self.zone_of(rr.owner) != zone.name:
                    raise ValueError(
                        f"{rr.owner} ({record.rr} in zone {zone.name}) lies in zone "
                        f"{self.zone_of(rr.owner)}: give it a record there"
                    )
                rrset = self.rrsets.setdefault(rr.owner, {}).setdefault(rr.type, [])
                if any(other.value == rr.value for other in rrset):
                    raise ValueError(f"{rr.owner}: the record {rr.type} {rr.value} is given twice")
                rrset.append(rr)
        for owner, by_type in self.rrsets.items():
            if "CNAME" in by_type and (len(by_type) > 1 or len(by_type["CNAME"]) > 1):
                others = ", ".join(
                    f"{kind} {rr.value}" for kind in sorted(by_type) for rr in by_type[kind]
                )
                raise ValueError(
                    f"{owner} has a CNAME beside other records ({others}): a name with a CNAME "
                    "has no other data (RFC 1034 section 3.6.2)"
                )
        self.existing: dict[str, set[str]] = {name: {name} for name in self.zones}
        for owner in self.rrsets:
            apex = self.zone_of(owner)
            assert apex is not None
            # A name and every name between it and the apex exist (empty non-terminals); a
            # wildcard makes its parent exist.
            name = owner.removeprefix("*.")
            while name != apex:
                self.existing[apex].add(name)
                name = name.split(".", 1)[1]

    def zone_of(self, name: str) -> str | None:
        """The most specific zone holding ``name``, or None."""
        best: str | None = None
        for zone in self.zones:
            if (name == zone or name.endswith("." + zone)) and (
                best is None or len(zone) > len(best)
            ):
                best = zone
        return best

    def wildcard_parents(self, zone: str) -> list[str]:
        """The names with a ``*`` child in ``zone``, deepest first."""
        parents = [
            owner[2:]
            for owner in self.rrsets
            if owner.startswith("*.") and self.zone_of(owner) == zone
        ]
        return sorted(parents, key=lambda name: (-name.count("."), name))

    def lookup(self, name: str) -> dict[str, list[_Rr]] | tuple[str, ...] | None:
        """What ``name`` holds: its RRsets (a wildcard's, synthesised, when it has none of its own;
        empty for an empty non-terminal), the addresses ``addresses`` gives it, or None when the
        name does not exist in a zone or is unknown outside the zones."""
        zone = self.zone_of(name)
        if zone is None:
            address = self.addresses.get(name)
            return (address,) if address else None
        if name in self.rrsets:
            return self.rrsets[name]
        if name in self.existing[zone]:
            return {}
        encloser = name.split(".", 1)[1]
        while encloser not in self.existing[zone]:
            encloser = encloser.split(".", 1)[1]
        return self.rrsets.get(f"*.{encloser}")

    def chain(self, record: _Rr) -> _Chain:
        """Follow a CNAME through the zones and ``addresses``.

        Raises:
            ValueError: the chain comes back to a name it passed (a CNAME loop).
        """
        links = [record]
        seen = [record.owner]
        target = record.value
        while True:
            if target in seen:
                path = " -> ".join([*seen, target])
                raise ValueError(f"CNAME loop: {path}")
            seen.append(target)
            found = self.lookup(target)
            if isinstance(found, tuple):
                return _Chain(tuple(links), tuple((ip, None) for ip in found))
            if not found:
                return _Chain(tuple(links), ())
            if "CNAME" in found:
                cname = found["CNAME"][0]
                links.append(_Rr(target, "CNAME", cname.value, cname.ttl))
                target = cname.value
                continue
            addresses = tuple((rr.value, rr.ttl) for rr in found.get("A", []))
            return _Chain(tuple(links), addresses)


def _checked_addresses(
    addresses: Mapping[str, str], zone_of: Callable[[str], str | None]
) -> dict[str, str]:
    checked: dict[str, str] = {}
    for name, address in sorted(addresses.items()):
        problem = dns_name_problem(name, what="a name of addresses")
        if problem:
            raise ValueError(problem)
        zone = zone_of(name)
        if zone is not None:
            raise ValueError(
                f"addresses: {name} lies in zone {zone}: give it an A record there instead"
            )
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            raise ValueError(f"addresses: {name} -> {address!r} is not an IPv4 address") from None
        checked[name] = address
    return checked


def _checked_record(zone: str, record: DnsRecord[str]) -> _Rr:
    owner = fqdn(record.rr, zone)
    where = f"{owner} ({record.type} {record.value!r})"
    if not isinstance(record.value, str):
        raise ValueError(f"{where}: the value must be known (a string) to serve it from CoreDNS")
    problem = record_value_problem(record.type, record.value)
    if problem:
        raise ValueError(f"{where}: {problem}")
    if record.type == "TXT" and not record.value:
        raise ValueError(f"{where}: a TXT record needs text")
    if not (isinstance(record.ttl, int) and 1 <= record.ttl <= MAX_TTL):
        raise ValueError(f"{where}: ttl {record.ttl!r} is not 1 to {MAX_TTL} seconds")
    priority = None
    if record.type == "MX":
        priority = DEFAULT_MX_PRIORITY if record.priority is None else record.priority
        if not (isinstance(priority, int) and 1 <= priority <= 99):
            raise ValueError(f"{where}: MX priority {priority!r} is not 1 to 99")
    elif record.priority is not None:
        raise ValueError(f"{where}: only MX records take a priority")
    return _Rr(owner, record.type, record.value, record.ttl, priority)


def _txt_rdata(text: str) -> str:
    """TXT text as zone-file strings of at most 255 bytes, with ``\\DDD`` for any byte but
    printable ASCII other than quote, backslash and braces."""
    data = text.encode("utf-8")
    chunks = [data[i : i + MAX_TXT_STRING] for i in range(0, len(data), MAX_TXT_STRING)]
    return " ".join('"' + "".join(_txt_char(byte) for byte in chunk) + '"' for chunk in chunks)


def _txt_char(byte: int) -> str:
    char = chr(byte)
    if 0x20 <= byte < 0x7F and char not in '"\\{}':
        return char
    return f"\\{byte:03d}"


# Rendering.


def _regex(name: str) -> str:
    """A name as a Go regular expression, without anchors (names hold [a-z0-9_.*-] only)."""
    return name.replace(".", r"\.").replace("*", r"\*")


def _quoted(token: str) -> str:
    """A Corefile token in quotes (the lexer turns ``\\"`` into a quote and keeps other
    backslashes: https://github.com/coredns/caddy/blob/master/caddyfile/lexer.go)."""
    return '"' + token.replace('"', '\\"') + '"'


def _stanza(
    qtype: str,
    regexes: Iterable[str],
    *,
    answers: Iterable[str] = (),
    authority: str | None = None,
    rcode: str | None = None,
    fallthrough: bool = True,
) -> list[str]:
    inner = [f"match {_quoted(regex)}" for regex in regexes]
    inner += [f"answer {_quoted(answer)}" for answer in answers]
    if authority is not None:
        inner.append(f"authority {_quoted(authority)}")
    if rcode is not None:
        inner.append(f"rcode {rcode}")
    if fallthrough:
        inner.append("fallthrough")
    return [
        f"{_INDENT}template IN {qtype} {{",
        *(f"{_INDENT * 2}{line}" for line in inner),
        f"{_INDENT}}}",
    ]


def _answers(
    model: _Model, owner: str, rrsets: Mapping[str, list[_Rr]], name_regex: str
) -> list[list[str]]:
    """The stanzas answering the records of one owner (``answer_owner`` for a wildcard)."""
    wildcard = owner.startswith("*.")
    answer_owner = "{{ .Name }}" if wildcard else f"{owner}."
    stanzas: list[list[str]] = []
    if "CNAME" in rrsets:
        record = rrsets["CNAME"][0]
        chain = model.chain(record)
        own = record.text(answer_owner)
        if chain.addresses:
            stanzas.append(_stanza("A", [name_regex], answers=chain.flattened(answer_owner)))
            stanzas.append(_stanza("CNAME", [name_regex], answers=[own]))
        else:
            followed = [own, *(link.text() for link in chain.links[1:])]
            if len(followed) > 1:
                stanzas.append(_stanza("CNAME", [name_regex], answers=[own]))
            stanzas.append(_stanza("ANY", [name_regex], answers=followed))
        return stanzas
    for kind in sorted(rrsets):
        records = sorted(rrsets[kind], key=_Rr.sort_key)
        stanzas.append(
            _stanza(kind, [name_regex], answers=[rr.text(answer_owner) for rr in records])
        )
    return stanzas


def _soa(zone: str) -> str:
    return (
        f"{zone}. {NEGATIVE_TTL} IN SOA ns.{zone}. hostmaster.{zone}. "
        f"1 3600 600 86400 {NEGATIVE_TTL}"
    )


def _server_block(model: _Model, zone: str) -> str:
    soa = _soa(zone)
    existing = model.existing[zone]
    owners = sorted(o for o in model.rrsets if model.zone_of(o) == zone and o[0] != "*")
    stanzas: list[list[str]] = []
    for owner in owners:
        stanzas += _answers(model, owner, model.rrsets[owner], f"^{_regex(owner)}\\.$")
    stanzas.append(_stanza("SOA", [f"^{_regex(zone)}\\.$"], answers=[soa]))
    stanzas.append(
        _stanza(
            "ANY",
            [f"^{_regex(name)}\\.$" for name in sorted(existing)],
            authority=soa,
            rcode="NOERROR",
        )
    )
    for parent in model.wildcard_parents(zone):
        under = f"^{_UNDER}{_regex(parent)}\\.$"
        children = sorted(
            name.removesuffix("." + parent)
            for name in existing
            if name.endswith("." + parent) and "." not in name.removesuffix("." + parent)
        )
        if children:
            alternatives = "|".join(_regex(child) for child in children)
            blocked = f"^{_UNDER}(?:{alternatives})\\.{_regex(parent)}\\.$"
            stanzas.append(_stanza("ANY", [blocked], authority=soa, rcode="NXDOMAIN"))
        wildcard = f"*.{parent}"
        stanzas += _answers(model, wildcard, model.rrsets[wildcard], under)
        stanzas.append(_stanza("ANY", [under], authority=soa, rcode="NOERROR"))
    stanzas.append(_stanza("ANY", [], authority=soa, rcode="NXDOMAIN", fallthrough=False))
    lines = [f"{zone}:{PORT} {{", f"{_INDENT}errors", f"{_INDENT}loadbalance"]
    for stanza in stanzas:
        lines += stanza
    lines.append("}")
    return "\n".join(lines) + "\n"


def server_blocks(zones: Sequence[LocalZone], addresses: Mapping[str, str]) -> str:
    """The CoreDNS server blocks answering ``zones``, one per zone, sorted by zone name.

    Args:
        zones: the zones and their records (values known).
        addresses: names outside the zones -> IPv4 addresses, for CNAMEs to flatten (on the
            local target: the sandbox ALB's DNS name -> the ClusterIP in front of
            ingress-nginx).

    Returns:
        The blocks, each ending in a newline, separated by an empty line; "" without zones.

    Raises:
        ValueError: a zone, record or address is invalid, a CNAME shares its name with other
            records, or CNAMEs form a loop (the message names the names).
    """
    model = _Model(zones, addresses)
    return "\n".join(_server_block(model, zone) for zone in sorted(model.zones))


# The marked section of a Corefile.


def owner_token(zone_name: str, component_name: str) -> str:
    """The owner of a zone's block: ``<zone>/<component name>``, reduced to a safe token."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", component_name).strip("-.") or "dns"
    token = f"{zone_name}/{name}"[:200]
    _check_owner(token)
    return token


def owner_problem(owner: object) -> str | None:
    """Why ``owner`` cannot name a section (it must be a safe token), or None when it can."""
    if isinstance(owner, str) and _OWNER_RE.match(owner):
        return None
    return (
        f"owner {owner!r} is not a safe token: 1-200 letters, digits, '.', '_', '/' and '-', "
        "starting with a letter or digit"
    )


def _check_owner(owner: str) -> None:
    problem = owner_problem(owner)
    if problem:
        raise ValueError(problem)


def _markers(owner: str) -> tuple[str, str]:
    return f"# BEGIN {MARKER} {owner}", f"# END {MARKER} {owner}"


@dataclass(frozen=True)
class _Span:
    """Offsets of an owner's section: its BEGIN line and its END line (each [start, stop))."""

    begin_start: int
    begin_stop: int
    end_start: int
    end_stop: int


def _section(corefile: str, owner: str) -> _Span | None:
    """Where ``owner``'s section is, or None when the Corefile has none.

    Raises:
        ValueError: a marker without its pair, markers out of order, or a marker twice.
    """
    begin, end = _markers(owner)
    begins: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    offset = 0
    for line in corefile.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == begin:
            begins.append((offset, offset + len(line)))
        elif stripped == end:
            ends.append((offset, offset + len(line)))
        offset += len(line)
    if not begins and not ends:
        return None
    fix = "fix the Corefile by hand (kubectl -n kube-system edit configmap coredns)"
    if len(begins) > 1 or len(ends) > 1:
        raise ValueError(f"the Corefile has the markers of {owner} more than once: {fix}")
    if not ends:
        raise ValueError(f"the Corefile has {begin!r} without {end!r}: {fix}")
    if not begins:
        raise ValueError(f"the Corefile has {end!r} without {begin!r}: {fix}")
    if ends[0][0] < begins[0][0]:
        raise ValueError(f"the Corefile has {end!r} before {begin!r}: {fix}")
    return _Span(begins[0][0], begins[0][1], ends[0][0], ends[0][1])


def find_block(corefile: str, owner: str) -> str | None:
    """The text between ``owner``'s markers, or None when the Corefile has no such section."""
    _check_owner(owner)
    span = _section(corefile, owner)
    return None if span is None else corefile[span.begin_stop : span.end_start]


def patch_corefile(corefile: str, owner: str, blocks: str) -> str:
    """``corefile`` with ``blocks`` between ``owner``'s markers.

    The section is appended after the existing text (with a newline in front) or, when present,
    replaced where it is; nothing else changes, so ``unpatch_corefile`` restores the text
    byte for byte. Patching twice with the same blocks changes nothing.

    Raises:
        ValueError: the owner is not a safe token; the blocks hold a marker; a marker of the
            owner lacks its pair; a zone of the blocks is already served by another server
            block of the Corefile (CoreDNS would refuse the whole file).
    """
    _check_owner(owner)
    for line in blocks.splitlines():
        if line.strip().startswith((f"# BEGIN {MARKER}", f"# END {MARKER}")):
            raise ValueError(f"the blocks must not hold a marker line ({line.strip()!r})")
    if blocks and not blocks.endswith("\n"):
        blocks += "\n"
    begin, end = _markers(owner)
    section = f"{begin}\n{blocks}{end}\n"
    span = _section(corefile, owner)
    rest = corefile if span is None else corefile[: span.begin_start] + corefile[span.end_stop :]
    taken = sorted(set(_server_keys(blocks)) & set(_server_keys(rest)))
    if taken:
        raise ValueError(
            f"the Corefile already serves {', '.join(taken)} in another server block: CoreDNS "
            "refuses a Corefile with two blocks for one zone and port"
        )
    if span is None:
        return f"{corefile}\n{section}"
    return corefile[: span.begin_start] + section + corefile[span.end_stop :]


def unpatch_corefile(corefile: str, owner: str) -> str:
    """``corefile`` without ``owner``'s section (and the newline written in front of it); the
    same text when there is none.

    Raises:
        ValueError: the owner is not a safe token; a marker of the owner lacks its pair.
    """
    _check_owner(owner)
    span = _section(corefile, owner)
    if span is None:
        return corefile
    start, stop = span.begin_start, span.end_stop
    if start > 0 and corefile[start - 1] == "\n":
        start -= 1
    return corefile[:start] + corefile[stop:]


_SERVER_LINE = re.compile(r"^(?P<keys>[^\s#{}][^#{}]*?)\s*\{\s*(?:#.*)?$")


def _server_keys(text: str) -> list[str]:
    """The zone:port keys of the server blocks opened at the start of a line, normalised."""
    keys: list[str] = []
    for line in text.splitlines():
        match = _SERVER_LINE.match(line)
        if match is None:
            continue
        for key in re.split(r"[\s,]+", match.group("keys")):
            if key:
                keys.append(_normal_key(key))
    return keys


def _normal_key(key: str) -> str:
    key = key.lower()
    key = re.sub(r"^(?:dns|tls|grpc|https|quic)://", "", key)
    host, _, port = key.rpartition(":") if re.search(r":\d+$", key) else (key, "", str(PORT))
    if host != ".":
        host = host.rstrip(".")
    return f"{host}:{port}"


# The ConfigMap written back.

_KEPT_METADATA = (
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
)


def coredns_configmap(live: Mapping[str, Any], corefile: str) -> dict[str, Any]:
    """The ConfigMap to ``kubectl replace``: the live one with ``data.Corefile`` replaced.

    ``resourceVersion`` stays, so a change made since ``live`` was read makes the write fail
    with a Conflict instead of undoing it; ``uid`` stays, so a ConfigMap deleted and made again
    is not overwritten blindly. Server-written fields (``managedFields``, ``creationTimestamp``,
    ``status``) are left out: the API server keeps its own.

    Raises:
        ValueError: ``live`` is not a ConfigMap with a name.
    """
    metadata = live.get("metadata")
    if live.get("kind") != "ConfigMap" or not isinstance(metadata, Mapping):
        raise ValueError("expected a ConfigMap (kind: ConfigMap, with metadata)")
    if not metadata.get("name"):
        raise ValueError("the ConfigMap has no metadata.name")
    kept = {key: metadata[key] for key in _KEPT_METADATA if metadata.get(key) not in (None, {}, [])}
    data = {str(key): str(value) for key, value in (live.get("data") or {}).items()}
    data["Corefile"] = corefile
    manifest: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": kept,
        "data": data,
    }
    if live.get("binaryData"):
        manifest["binaryData"] = dict(live["binaryData"])
    if "immutable" in live:
        manifest["immutable"] = live["immutable"]
    return manifest
