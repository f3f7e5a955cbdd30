"""The sandbox provider: local stand-ins for Alibaba's VPC, vSwitch, NAT gateway, EIP, ALB and
PrivateZone, with Alibaba's rules, kept in a SQLite store (see docs/local-target.md).

The resources are Pulumi dynamic resources (``pulumi-python:dynamic/sandbox:<Type>``); their
providers take every setting from their inputs (``sandbox_state`` names the store).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ask_components.sandbox.store import DEFAULT_STATE_PATH, SandboxRecord, SandboxStore

_LAZY = {
    # The resources import pulumi; load them only when asked for.
    "SandboxVpc": "ask_components.sandbox.vpc",
    "SandboxVSwitch": "ask_components.sandbox.vpc",
    "SandboxNatGateway": "ask_components.sandbox.nat",
    "SandboxEip": "ask_components.sandbox.nat",
    "SandboxAlb": "ask_components.sandbox.alb",
    "SandboxPrivateZone": "ask_components.sandbox.pvtz",
    "SandboxZoneRecord": "ask_components.sandbox.pvtz",
}

__all__ = [
    "DEFAULT_STATE_PATH",
    "SandboxAlb",
    "SandboxEip",
    "SandboxNatGateway",
    "SandboxPrivateZone",
    "SandboxRecord",
    "SandboxStore",
    "SandboxVSwitch",
    "SandboxVpc",
    "SandboxZoneRecord",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ask_components.sandbox' has no attribute {name!r}")
    return getattr(import_module(module), name)
