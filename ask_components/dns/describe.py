"""One-line details of PrivateZone resources for ``askc preview`` (registered on first use).

The sandbox zone and records have theirs already (``sandbox/summary.py``); ``CorednsZones``
gets one here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any


def _zone(inputs: Mapping[str, Any]) -> str:
    return str(inputs.get("zoneName", ""))


def _attachment(inputs: Mapping[str, Any]) -> str:
    vpcs = inputs.get("vpcs")
    ids = (
        [str(vpc.get("vpcId")) for vpc in vpcs if isinstance(vpc, Mapping)]
        if isinstance(vpcs, list)
        else [str(vpc) for vpc in inputs.get("vpcIds") or []]
    )
    return f"VPC {', '.join(ids)}" if ids else ""


def _record(inputs: Mapping[str, Any]) -> str:
    text = f"{inputs.get('rr')} {inputs.get('type')} {inputs.get('value')}"
    if inputs.get("ttl") is not None:
        text += f", ttl {inputs['ttl']}"
    return text


def _coredns(inputs: Mapping[str, Any]) -> str:
    where = f"{inputs.get('kube_context')} {inputs.get('namespace')}/{inputs.get('configmap')}"
    zones = inputs.get("zones")
    served = [
        f"{zone.get('name')} ({len(zone.get('records') or [])} records)"
        for zone in (zones if isinstance(zones, list) else [])
        if isinstance(zone, Mapping)
    ]
    return f"{where}: {', '.join(served)}" if served else where


@functools.cache
def register() -> None:
    """Register the describers (once)."""
    from ask_components.dns.coredns_provider import TYPE_NAME
    from ask_components.preview.render import register_describer
    from ask_components.sandbox._base import type_token

    register_describer("alicloud:pvtz/zone:Zone", _zone)
    register_describer("alicloud:pvtz/zoneAttachment:ZoneAttachment", _attachment)
    register_describer("alicloud:pvtz/zoneRecord:ZoneRecord", _record)
    register_describer(type_token(TYPE_NAME), _coredns)
