"""Read a ``ResourceGraph`` back from the JSON ``askc preview --json`` prints."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ask_components.errors import InputError
from ask_components.files import parse_failure, read_text_file
from ask_components.preview.graph import Diagnostic, ResourceGraph, ResourceNode

MAX_GRAPH_JSON_BYTES = 64 * 1024 * 1024
"""A graph file larger than this is refused (a 1,000-resource graph is a few MiB)."""

_GRAPH_KEYS = frozenset(ResourceGraph(project="", stack="", resources=()).to_dict())
"""The top-level keys ``ResourceGraph.to_dict`` writes: anything else is another document."""


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where} must be a list of strings")
    return tuple(value)


def _node(raw: Any, index: int) -> ResourceNode:
    where = f"resources[{index}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be an object")
    for key in ("urn", "type", "name"):
        if not isinstance(raw.get(key), str):
            raise ValueError(f"{where}.{key} must be a string")
    if "inputs" not in raw:  # every node of a graph has its inputs, if only {}
        raise ValueError(f"{where}.inputs is missing")
    inputs = raw["inputs"]
    if not isinstance(inputs, Mapping):
        raise ValueError(f"{where}.inputs must be an object")
    for key in ("parent", "provider"):
        if raw.get(key) is not None and not isinstance(raw.get(key), str):
            raise ValueError(f"{where}.{key} must be a string or null")
    options = raw.get("options", {})
    if not isinstance(options, Mapping):
        raise ValueError(f"{where}.options must be an object")
    property_dependencies = raw.get("propertyDependencies", {})
    if not isinstance(property_dependencies, Mapping):
        raise ValueError(f"{where}.propertyDependencies must be an object")
    return ResourceNode(
        urn=raw["urn"],
        type=raw["type"],
        name=raw["name"],
        custom=bool(raw.get("custom", True)),
        parent=raw.get("parent"),
        provider=raw.get("provider"),
        dependencies=_strings(raw.get("dependencies", []), f"{where}.dependencies"),
        inputs=dict(inputs),
        secret_paths=_strings(raw.get("secretPaths", []), f"{where}.secretPaths"),
        options=dict(options),
        property_dependencies={
            str(key): _strings(urns, f"{where}.propertyDependencies.{key}")
            for key, urns in property_dependencies.items()
        },
    )


def graph_from_dict(document: Any, *, other_keys: bool = False) -> ResourceGraph:
    """A graph from its ``to_dict`` form.

    Args:
        document: the parsed JSON.
        other_keys: accept top-level keys this version does not write (the graph of a baseline
            printed by another version of askc); by default they mean another document.

    Raises:
        ValueError: the document is not a graph (the message names the field).
    """
    if not isinstance(document, Mapping):
        raise ValueError("the document must be an object with `resources`")
    if "formatVersion" in document and isinstance(document.get("kind"), str):
        # askc cost --format json (kind: estimate or diff) also lists `resources` by URN.
        raise ValueError(
            f"it is askc cost JSON (kind: {document['kind']}); give the graph that "
            "`askc preview --json` prints"
        )
    unknown = sorted(str(key) for key in document if key not in _GRAPH_KEYS)
    if unknown and not other_keys:
        raise ValueError(f"unknown top-level key(s) {', '.join(unknown)}")
    resources = document.get("resources")
    if not isinstance(resources, list):
        raise ValueError("`resources` must be a list")
    for key in ("project", "stack"):
        if not isinstance(document.get(key), str):
            raise ValueError(f"`{key}` must be a string")
    outputs = document.get("outputs", {})
    if not isinstance(outputs, Mapping):
        raise ValueError("`outputs` must be an object")
    return ResourceGraph(
        project=document["project"],
        stack=document["stack"],
        resources=tuple(_node(raw, index) for index, raw in enumerate(resources)),
        outputs=dict(outputs),
        diagnostics=_diagnostics(document.get("diagnostics", [])),
    )


def _diagnostics(raw: Any) -> tuple[Diagnostic, ...]:
    if not isinstance(raw, list):
        raise ValueError("`diagnostics` must be a list")
    result: list[Diagnostic] = []
    for index, item in enumerate(raw):
        where = f"diagnostics[{index}]"
        if not isinstance(item, Mapping):
            raise ValueError(f"{where} must be an object")
        for key in ("severity", "message"):
            if not isinstance(item.get(key), str):
                raise ValueError(f"{where}.{key} must be a string")
        urn = item.get("urn")
        if urn is not None and not isinstance(urn, str):
            raise ValueError(f"{where}.urn must be a string or null")
        result.append(Diagnostic(item["severity"], item["message"], urn))
    return tuple(result)


def read_graph_json(path: Path) -> ResourceGraph:
    """Read a graph file, with a clear ``InputError`` for anything unusable."""
    text = read_text_file(path, "graph file", MAX_GRAPH_JSON_BYTES)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"graph file {path} is not valid JSON at line {err.lineno}, column {err.colno}: "
            f"{err.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"graph file {path} is nested too deeply to be a graph") from None
    except ValueError as err:  # an integer of 5,000 digits
        raise InputError(f"graph file {path} {parse_failure(err)}") from None
    try:
        return graph_from_dict(document)
    except ValueError as err:
        raise InputError(
            f"graph file {path} is not a ResourceGraph (askc preview --json): {err}"
        ) from None
