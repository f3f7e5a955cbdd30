"""Sandbox stand-ins for ``alicloud.pvtz.Zone`` (with its VPC attachment) and ``pvtz.ZoneRecord``.

Rules imitated (pulumi-alicloud 4.0.0 ``pvtz/*.py``):

- a zone id is 32 hex characters; the zone name is a domain name, and changing it replaces the
  zone; ``proxy_pattern`` is ``ZONE`` or ``RECORD``; the sandbox folds ``pvtz.ZoneAttachment``
  into the zone (``vpc_ids``, each a sandbox VPC; changed in place);
- a record's type is A, CNAME, TXT, MX, PTR or SRV; an A value is an IPv4 address; ``priority``
  (1–99) is for MX only; ``ttl`` defaults to 60; the same record cannot exist twice, and a CNAME
  cannot share its name with another record (RFC 1034 3.6.2); its id is ``<record_id>:<zone_id>``
  and a move to another zone replaces it;
- ``record_count`` of the zone follows its records; a zone with records cannot be deleted.

Inside kind the records resolve through CoreDNS: ``LocalPrivateDns`` (``dns/local.py``) adds the
zone to the cluster's Corefile next to these stand-ins.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from ask_components.errors import SandboxError
from ask_components.sandbox._base import (
    MODULE,
    Props,
    SandboxProvider,
    SandboxResource,
    Violation,
    created_now,
    known,
    missing,
    require,
)
from ask_components.sandbox.ids import record_id, zone_id
from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, Transaction
from ask_components.sandbox.vpc import VPC_TYPE

ZONE_TYPE = "SandboxPrivateZone"
RECORD_TYPE = "SandboxZoneRecord"

RECORD_TYPES = ("A", "CNAME", "TXT", "MX", "PTR", "SRV")
DEFAULT_TTL = 60
MAX_TTL = 86_400

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
_RR_RE = re.compile(rf"^(?:@|\*|(?:\*\.)?{_LABEL}(?:\.{_LABEL})*)$")


class PrivateZoneProvider(SandboxProvider):
    """CRUD of ``SandboxPrivateZone`` in the sandbox store."""

    type_name = ZONE_TYPE
    input_names = ("zone_name", "proxy_pattern", "remark", "vpc_ids", "tags")
    replace_on = frozenset({"zone_name"})
    name_input = "zone_name"

    def violations(self, inputs: Props) -> list[Violation]:
        found: list[Violation] = []
        name = inputs["zone_name"]
        if name is None:
            found.append(Violation("zone_name", "MissingParameter", "ZoneName is mandatory."))
        elif known(name) and not _DOMAIN_RE.match(str(name).lower()):
            found.append(
                Violation("zone_name", "InvalidParameter", f"The zone name is invalid. ({name!r})")
            )
        pattern = inputs["proxy_pattern"]
        if known(pattern) and pattern not in ("ZONE", "RECORD"):
            found.append(
                Violation(
                    "proxy_pattern",
                    "InvalidParameter",
                    f"The proxy pattern {pattern!r} is invalid; use ZONE or RECORD.",
                )
            )
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        vpcs = self._vpcs(tx, inputs)
        name = str(inputs["zone_name"]).lower().rstrip(".")
        computed = {
            "record_count": 0,
            "is_ptr": name.endswith(".in-addr.arpa") or name.endswith(".ip6.arpa"),
            "create_time": created_now(),
        }
        return tx.new_id(zone_id), computed, vpcs

    def on_update(
        self, tx: Transaction, record: SandboxRecord, inputs: Props
    ) -> tuple[Props, Sequence[str]]:
        return {}, self._vpcs(tx, inputs)

    def on_delete(self, tx: Transaction, record: SandboxRecord) -> None:
        records = [user.id for user in tx.referrers(record.id) if user.type == RECORD_TYPE]
        if records:
            raise SandboxError(
                "DependencyViolation",
                f"The zone {record.name} ({record.id}) still has {len(records)} records.",
            )
        super().on_delete(tx, record)

    def _vpcs(self, tx: Transaction, inputs: Props) -> list[str]:
        vpc_ids = inputs["vpc_ids"] or []
        return [
            require(tx, vpc, VPC_TYPE, "InvalidVpcId.NotFound", "VPC").id
            for vpc in dict.fromkeys(vpc_ids)
        ]


class ZoneRecordProvider(SandboxProvider):
    """CRUD of ``SandboxZoneRecord`` in the sandbox store."""

    type_name = RECORD_TYPE
    input_names = ("zone_id", "rr", "type", "value", "ttl", "priority", "status", "remark")
    replace_on = frozenset({"zone_id"})
    name_input = "rr"

    def violations(self, inputs: Props) -> list[Violation]:
        found = missing(
            inputs, (("zone_id", "ZoneId"), ("rr", "Rr"), ("type", "Type"), ("value", "Value"))
        )
        kind, value, rr = inputs["type"], inputs["value"], inputs["rr"]
        if known(rr) and not _RR_RE.match(str(rr).lower()):
            found.append(Violation("rr", "InvalidParameter", f"The rr is invalid. ({rr!r})"))
        if known(kind) and kind not in RECORD_TYPES:
            found.append(
                Violation(
                    "type",
                    "InvalidParameter",
                    f"The record type {kind!r} is invalid; use one of {', '.join(RECORD_TYPES)}.",
                )
            )
        if kind == "A" and known(value) and not _is_ipv4(value):
            found.append(
                Violation(
                    "value", "InvalidParameter", f"An A record needs an IPv4 address. ({value!r})"
                )
            )
        ttl = inputs["ttl"]
        if known(ttl) and not (isinstance(ttl, int) and 1 <= ttl <= MAX_TTL):
            found.append(
                Violation(
                    "ttl", "InvalidParameter", f"The TTL is invalid. ({ttl!r}: 1 to {MAX_TTL})"
                )
            )
        priority = inputs["priority"]
        if known(priority) and known(kind):
            if kind != "MX":
                found.append(
                    Violation("priority", "InvalidParameter", "priority is for MX records only.")
                )
            elif not (isinstance(priority, int) and 1 <= priority <= 99):
                found.append(
                    Violation(
                        "priority",
                        "InvalidParameter",
                        f"The MX priority is invalid. ({priority!r}: 1 to 99)",
                    )
                )
        status = inputs["status"]
        if known(status) and status not in ("ENABLE", "DISABLE"):
            found.append(
                Violation(
                    "status", "InvalidParameter", f"status {status!r}: use ENABLE or DISABLE."
                )
            )
        return found

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        zone = require(tx, inputs["zone_id"], ZONE_TYPE, "InvalidZoneId.NotFound", "zone")
        self._no_conflict(tx, zone, inputs, own_id=None)
        resource_id = tx.new_id(lambda: f"{record_id()}:{zone.id}")
        number = resource_id.split(":", 1)[0]
        computed = {"record_id": number, "create_time": created_now()}
        return resource_id, computed, (zone.id,)

    def on_update(
        self, tx: Transaction, record: SandboxRecord, inputs: Props
    ) -> tuple[Props, Sequence[str]]:
        zone = require(tx, inputs["zone_id"], ZONE_TYPE, "InvalidZoneId.NotFound", "zone")
        self._no_conflict(tx, zone, inputs, own_id=record.id)
        return {}, (zone.id,)

    def inputs_of(self, props: Mapping[str, Any]) -> Props:
        inputs = super().inputs_of(props)
        # Alibaba's defaults, so the stored record says what the cloud would.
        if inputs["ttl"] is None:
            inputs["ttl"] = DEFAULT_TTL
        if inputs["status"] is None:
            inputs["status"] = "ENABLE"
        return inputs

    def settle(self, tx: Transaction, state: Mapping[str, Any]) -> None:
        # The zone's record_count follows its records, in the same transaction.
        zone = tx.get(str(state.get("zone_id")))
        if zone is not None and zone.type == ZONE_TYPE:
            count = sum(1 for user in tx.referrers(zone.id) if user.type == RECORD_TYPE)
            tx.update(zone.id, zone.name, {**zone.state, "record_count": count})

    def _no_conflict(
        self, tx: Transaction, zone: SandboxRecord, inputs: Props, own_id: str | None
    ) -> None:
        rr, kind, value = str(inputs["rr"]).lower(), inputs["type"], inputs["value"]
        for other in tx.referrers(zone.id):
            if other.id == own_id or other.type != RECORD_TYPE:
                continue
            if str(other.state.get("rr")).lower() != rr:
                continue
            if other.state.get("type") == kind and other.state.get("value") == value:
                raise SandboxError(
                    "InvalidParameter",
                    f"The record already exists. ({rr} {kind} {value} is {other.id})",
                )
            if kind == "CNAME" or other.state.get("type") == "CNAME":
                raise SandboxError(
                    "InvalidParameter",
                    f"A CNAME record cannot share its name with another record. ({rr}: "
                    f"{other.state.get('type')} {other.id})",
                )


def _is_ipv4(value: Any) -> bool:
    try:
        ipaddress.IPv4Address(str(value))
    except ValueError:
        return False
    return True


class SandboxPrivateZone(SandboxResource, module=MODULE, name=ZONE_TYPE):
    """A local stand-in for ``alicloud.pvtz.Zone`` + ``pvtz.ZoneAttachment``, in the store.

    Outputs (as ``alicloud.pvtz.Zone``'s): its inputs, ``record_count``, ``is_ptr``,
    ``create_time``; the id is a 32-hex-character zone id.
    """

    zone_name: pulumi.Output[str]
    proxy_pattern: pulumi.Output[str]
    remark: pulumi.Output[str | None]
    vpc_ids: pulumi.Output[list[str]]
    tags: pulumi.Output[Mapping[str, str]]
    record_count: pulumi.Output[int]
    is_ptr: pulumi.Output[bool]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        zone_name: pulumi.Input[str],
        vpc_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        proxy_pattern: pulumi.Input[str] = "ZONE",
        remark: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox private zone, attached to sandbox VPCs.

        Args:
            resource_name: the Pulumi name.
            zone_name: the domain (``shop.internal``); a change replaces the zone.
            vpc_ids: the VPCs it is attached to (``pvtz.ZoneAttachment``'s ``vpc_ids``).
            proxy_pattern: ``ZONE`` (default) or ``RECORD`` (recursive proxy).
            remark: a remark.
            tags: tags.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            PrivateZoneProvider(),
            resource_name,
            {
                "zone_name": zone_name,
                "proxy_pattern": proxy_pattern,
                "remark": remark,
                "vpc_ids": vpc_ids or [],
                "tags": tags or {},
                "sandbox_state": sandbox_state,
            },
            ("record_count", "is_ptr", "create_time"),
            opts,
        )


class SandboxZoneRecord(SandboxResource, module=MODULE, name=RECORD_TYPE):
    """A local stand-in for ``alicloud.pvtz.ZoneRecord``, kept in the sandbox store.

    Outputs (as ``alicloud.pvtz.ZoneRecord``'s): its inputs, ``record_id``, ``create_time``; the
    id is ``<record_id>:<zone_id>``.
    """

    zone_id: pulumi.Output[str]
    rr: pulumi.Output[str]
    type: pulumi.Output[str]
    value: pulumi.Output[str]
    ttl: pulumi.Output[int]
    priority: pulumi.Output[int | None]
    status: pulumi.Output[str]
    remark: pulumi.Output[str | None]
    record_id: pulumi.Output[str]
    create_time: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        zone_id: pulumi.Input[str],
        rr: pulumi.Input[str],
        type: pulumi.Input[str],
        value: pulumi.Input[str],
        ttl: pulumi.Input[int] = DEFAULT_TTL,
        priority: pulumi.Input[int] | None = None,
        status: pulumi.Input[str] = "ENABLE",
        remark: pulumi.Input[str] | None = None,
        sandbox_state: pulumi.Input[str] = DEFAULT_STATE_PATH,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """A sandbox zone record.

        Args:
            resource_name: the Pulumi name.
            zone_id: the zone (a ``SandboxPrivateZone`` id); a change replaces the record.
            rr: the host record (``www``, ``@``, ``*``).
            type: A, CNAME, TXT, MX, PTR or SRV (shadows the builtin, as alicloud's argument does).
            value: the record value (an IPv4 address for A).
            ttl: seconds, default 60.
            priority: MX priority, 1–99.
            status: ``ENABLE`` or ``DISABLE``.
            remark: a remark.
            sandbox_state: the sandbox store file.
            opts: resource options.
        """
        super().__init__(
            ZoneRecordProvider(),
            resource_name,
            {
                "zone_id": zone_id,
                "rr": rr,
                "type": type,
                "value": value,
                "ttl": ttl,
                "priority": priority,
                "status": status,
                "remark": remark,
                "sandbox_state": sandbox_state,
            },
            ("record_id", "create_time"),
            opts,
        )
