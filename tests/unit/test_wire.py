"""One translation of Pulumi wire values into graph values, for the SDK's and the engine files'."""

from __future__ import annotations

from ask_components.preview.wire import (
    OUTPUT_SIG,
    RESOURCE_REF_SIG,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN_VALUE,
    plain_value,
)

VALUE = {
    "replicas": 2.0,
    "ratio": 0.5,
    "password": {SIG_KEY: SECRET_SIG, "value": "hunter2"},
    "later": UNKNOWN_VALUE,
    "vpc": {SIG_KEY: RESOURCE_REF_SIG, "urn": "urn:pulumi:dev::p::vpc::main"},
    "token": {SIG_KEY: OUTPUT_SIG, "value": "t", "secret": True},
    "pending": {SIG_KEY: OUTPUT_SIG},
    "items": [{"name": {SIG_KEY: OUTPUT_SIG, "value": 3.0}}],
    "masked": "[secret]",
    "__defaults": ["replicas"],
}


def test_wire_values_become_graph_values() -> None:
    secrets: list[str] = []
    assert plain_value(VALUE, "", secrets) == {
        "replicas": 2,
        "ratio": 0.5,
        "password": "[secret]",
        "later": "[unknown]",
        "vpc": "urn:pulumi:dev::p::vpc::main",
        "token": "[secret]",
        "pending": "[unknown]",
        "items": [{"name": 3}],
        "masked": "[secret]",
        "__defaults": ["replicas"],
    }
    assert secrets == ["password", "token"]


def test_engine_files_drop_defaults_and_count_masked_strings_as_secrets() -> None:
    secrets: list[str] = []
    plain = plain_value(VALUE, "", secrets, from_state=True)
    assert "__defaults" not in plain
    assert plain["masked"] == "[secret]"
    assert secrets == ["password", "token", "masked"]
