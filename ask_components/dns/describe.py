"""One-line details of PrivateZone resources for ``askc preview`` (registered on first use)."""

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


@functools.cache
def register() -> None:
    """Register the describers (once)."""
    from ask_components.preview.render import register_describer

    register_describer("alicloud:pvtz/zone:Zone", _zone)
    register_describer("alicloud:pvtz/zoneAttachment:ZoneAttachment", _attachment)
    register_describer("alicloud:pvtz/zoneRecord:ZoneRecord", _record)
