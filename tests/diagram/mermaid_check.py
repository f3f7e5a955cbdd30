"""A structural checker of the Mermaid flowcharts askc writes (no Mermaid parser offline)."""

from __future__ import annotations

import re

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'
NODE = re.compile(
    rf"^({ID})(?:\(\({LABEL}\)\)|\(\[{LABEL}\]\)|\({LABEL}\)|\[{LABEL}\]|>{LABEL}\])$"
)
SUBGRAPH = re.compile(rf"^subgraph ({ID})\[{LABEL}\]$")
EDGE = re.compile(rf'^({ID}) (-->|-\.->)(?:\|"[^"]*"\|)? ({ID})$')
CLASSDEF = re.compile(rf"^classDef ({ID}) [a-z-]+:[^ ]+$")
CLASS = re.compile(rf"^class ({ID}(?:,{ID})*) ({ID})$")
RESERVED = {"end", "subgraph", "graph", "flowchart", "class", "classDef", "style", "click"}


def check(text: str) -> dict[str, list[str]]:
    """Check a flowchart; return its node ids, subgraph ids and edges. Raises AssertionError."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if not line.startswith("%%")]
    assert body[0] == "flowchart TB", body[0]
    nodes: list[str] = []
    groups: list[str] = []
    edges: list[str] = []
    classes: set[str] = set()
    depth = 0
    for line in body[1:]:
        if line == "end":
            depth -= 1
            assert depth >= 0, "end without subgraph"
        elif match := SUBGRAPH.match(line):
            groups.append(match.group(1))
            depth += 1
        elif line.startswith("direction "):
            assert line in ("direction TB", "direction LR"), line
        elif match := NODE.match(line):
            nodes.append(match.group(1))
        elif match := EDGE.match(line):
            edges.append(f"{match.group(1)}->{match.group(3)}")
        elif match := CLASSDEF.match(line):
            classes.add(match.group(1))
        elif match := CLASS.match(line):
            assert match.group(2) in classes, f"class {match.group(2)} used before classDef"
            for member in match.group(1).split(","):
                assert member in nodes, f"class on unknown node {member}"
        else:
            raise AssertionError(f"not a flowchart statement: {line!r}")
    assert depth == 0, "subgraph without end"
    ids = nodes + groups
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert not RESERVED & set(ids), "reserved word as id"
    for edge in edges:
        for end in edge.split("->"):
            assert end in ids, f"edge to unknown id {end}"
    return {"nodes": nodes, "groups": groups, "edges": edges}
