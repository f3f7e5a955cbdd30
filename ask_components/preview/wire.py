"""Pulumi's wire format of property values, and its one translation into graph values.

The sentinels are those of ``sdk/python/lib/pulumi/runtime/rpc.py``: the SDK sends values in this
form to the engine (what the offline preview records), and the engine writes the same form into
``pulumi preview --json`` steps and state files (what the cost readers load). Both become graph
values through :func:`plain_value`: integral floats restored to ints, secrets replaced by
:data:`~ask_components.preview.graph.SECRET_MASK` (their paths kept), values not known yet as
:data:`~ask_components.preview.graph.UNKNOWN_MARK`, resource references as their URN.
"""

from __future__ import annotations

from typing import Any, Final

from ask_components.preview.graph import SECRET_MASK, UNKNOWN_MARK

SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
"""The key whose value says what a special object is."""

SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REF_SIG: Final = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG: Final = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

UNKNOWN_VALUE: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""A value not known until the resource exists (``pulumi.runtime.rpc.UNKNOWN``)."""

UNKNOWNS: Final = frozenset({UNKNOWN_VALUE, UNKNOWN_MARK})
"""A value not known until the resource exists: as the wire and engine files write it, and as
graphs do."""

DEFAULTS_KEY: Final = "__defaults"
"""The engine's record, in state files, of which inputs took their defaults."""


def plain_value(value: Any, path: str, secrets: list[str], *, from_state: bool = False) -> Any:
    """A wire value as plain graph data; the path of every secret goes to ``secrets``.

    Args:
        value: the value (JSON data).
        path: its property path (``spec.template``); ``""`` at the top.
        secrets: receives the paths of secret values.
        from_state: the value comes from an engine file (a preview's steps, a state), which
            adds two conventions: ``__defaults`` keys are the engine's, not inputs, and are
            dropped; a string already masked as ``[secret]`` (an export without
            ``--show-secrets``) is a secret.
    """
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        if value == UNKNOWN_VALUE:
            return UNKNOWN_MARK
        if from_state and value == SECRET_MASK:
            secrets.append(path)
        return value
    if isinstance(value, list):
        return [
            plain_value(item, f"{path}[{index}]", secrets, from_state=from_state)
            for index, item in enumerate(value)
        ]
    if isinstance(value, dict):
        signature = value.get(SIG_KEY)
        if signature == SECRET_SIG:
            secrets.append(path)
            return SECRET_MASK
        if signature == RESOURCE_REF_SIG:
            return value.get("urn", UNKNOWN_MARK)
        if signature == OUTPUT_SIG:
            if value.get("secret"):
                secrets.append(path)
                return SECRET_MASK
            if "value" not in value:
                return UNKNOWN_MARK
            return plain_value(value["value"], path, secrets, from_state=from_state)
        return {
            key: plain_value(item, f"{path}.{key}" if path else key, secrets, from_state=from_state)
            for key, item in value.items()
            if not (from_state and key == DEFAULTS_KEY)
        }
    return value
