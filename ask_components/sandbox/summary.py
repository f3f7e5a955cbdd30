"""One line about a sandbox resource, from its inputs or its stored state (the keys are the same).

``askc sandbox ls`` shows it for stored resources and ``askc preview`` for planned ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ask_components.preview.wire import UNKNOWNS

Summary = Callable[[Mapping[str, Any]], str]


def _join(*parts: object) -> str:
    return ", ".join(
        str(part) for part in parts if part not in (None, "", [], {}) and part not in UNKNOWNS
    )


def _known(value: Any) -> Any:
    return None if value in UNKNOWNS else value


def _eip(state: Mapping[str, Any]) -> str:
    bandwidth = state.get("bandwidth")
    bound = _known(state.get("instance_id"))
    return _join(
        state.get("ip_address"),
        state.get("internet_charge_type"),
        f"{bandwidth} Mbit/s" if bandwidth else None,
        f"bound to {bound}" if bound else None,
    )


def _alb(state: Mapping[str, Any]) -> str:
    mappings = state.get("zone_mappings")
    zones = (
        [str(item.get("zone_id")) for item in mappings if isinstance(item, Mapping)]
        if isinstance(mappings, list)
        else []
    )
    return _join(
        state.get("load_balancer_edition"),
        state.get("address_type"),
        " + ".join(zones),
        state.get("dns_name"),
    )


def _zone(state: Mapping[str, Any]) -> str:
    count = state.get("record_count")
    return _join(state.get("zone_name"), f"{count} records" if count is not None else None)


def _record(state: Mapping[str, Any]) -> str:
    return " ".join(
        str(part)
        for part in (state.get("rr"), state.get("type"), state.get("value"))
        if part is not None
    )


SUMMARIES: dict[str, Summary] = {
    "SandboxVpc": lambda s: _join(s.get("cidr_block"), s.get("region")),
    "SandboxVSwitch": lambda s: _join(s.get("cidr_block"), s.get("zone_id")),
    "SandboxNatGateway": lambda s: _join(
        s.get("nat_type"), s.get("internet_charge_type"), s.get("snat_table_ids")
    ),
    "SandboxEip": _eip,
    "SandboxAlb": _alb,
    "SandboxPrivateZone": _zone,
    "SandboxZoneRecord": _record,
}
"""Resource type -> its one-line summary."""


def summarize(type_name: str, state: Mapping[str, Any]) -> str:
    """The one-line summary of a resource of ``type_name``, or ``""``."""
    summary = SUMMARIES.get(type_name)
    return summary(state) if summary else ""
