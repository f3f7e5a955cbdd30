"""Malformed files given to every file-reading command: a clear error and exit 2, never a hang or
a traceback. Commands: ``askc preview`` and ``askc policy check`` (the project file and the stack
file), and ``askc policy check --graph-json`` (a ResourceGraph JSON file)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.preview.graph_file import MAX_GRAPH_JSON_BYTES
from ask_components.preview.project import MAX_STACK_FILE_BYTES

runner = CliRunner()


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    return "\n".join(lines) + "\n"


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


Corrupt = Callable[[Path], None]

YAML_CORRUPTIONS: dict[str, tuple[Corrupt, str]] = {
    "truncated-quote": (
        lambda p: p.write_text(p.read_text()[: p.read_text().index("name:") + 6] + '"sho'),
        "is not valid YAML at line",
    ),
    "truncated-flow": (
        lambda p: p.write_text("config: {alicloud:region: cn-hangzhou, ask:platform: {name: ["),
        "is not valid YAML at line",
    ),
    "bad-indent": (lambda p: p.write_text("config:\n  a: 1\n b: 2\n"), "is not valid YAML at line"),
    "billion-laughs": (
        lambda p: p.write_text(_billion_laughs()),
        "expands to more than 1000000 values through YAML aliases",
    ),
    "recursive-alias": (
        lambda p: p.write_text("config: &c\n  loop: *c\n"),
        "refers to itself through an alias",
    ),
    "deep-nesting": (
        lambda p: p.write_text("config: " + "[" * 300 + "]" * 300 + "\n"),
        "is nested more than 64 levels deep",
    ),
    "huge": (
        lambda p: _sparse(p, MAX_STACK_FILE_BYTES + 1),
        f"bytes; the limit is {MAX_STACK_FILE_BYTES}",
    ),
    "utf-16": (
        lambda p: p.write_bytes(p.read_text().encode("utf-16")),
        "is not UTF-8 text (byte 0)",
    ),
    "latin-1": (
        lambda p: p.write_bytes("# caf\xe9\n".encode("latin-1") + p.read_bytes()),
        "is not UTF-8 text (byte 5)",
    ),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 4), "is not UTF-8 text"),
    "nul-bytes": (lambda p: p.write_text("config:\x00\n"), "is not valid YAML"),
    "not-a-mapping": (lambda p: p.write_text("- just\n- a list\n"), ""),
}

COMMANDS = {
    "preview": ["preview", "--stack", "dev"],
    "preview-json": ["preview", "--stack", "dev", "--json"],
    "policy-check": ["policy", "check", "--stack", "dev"],
    "policy-check-json": ["policy", "check", "--stack", "dev", "--format", "json"],
}


def _assert_clean_exit_2(result: object, path: Path, expected: str) -> None:
    exit_code = result.exit_code  # type: ignore[attr-defined]
    stdout, stderr = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert exit_code == 2, (stdout, stderr)
    assert stdout == ""
    assert stderr.startswith("Error: ")
    assert "Traceback" not in stderr
    assert str(path) in stderr
    assert expected in stderr


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
@pytest.mark.parametrize("target", ["stacks/Pulumi.dev.yaml", "Pulumi.yaml"])
@pytest.mark.parametrize("corruption", YAML_CORRUPTIONS, ids=list(YAML_CORRUPTIONS))
def test_malformed_yaml_exits_2(
    project_copy: Path, command: str, target: str, corruption: str
) -> None:
    path = project_copy / target
    corrupt, expected = YAML_CORRUPTIONS[corruption]
    corrupt(path)
    started = time.monotonic()
    result = runner.invoke(app, [*COMMANDS[command], "-C", str(project_copy)])
    assert time.monotonic() - started < 10
    _assert_clean_exit_2(result, path.resolve(), expected)


GRAPH_CORRUPTIONS: dict[str, tuple[Corrupt, str]] = {
    "truncated": (lambda p: p.write_text(p.read_text()[:200]), "is not valid JSON at line"),
    "empty": (lambda p: p.write_text(""), "is not valid JSON at line 1, column 1"),
    "deep-nesting": (
        lambda p: p.write_text("[" * 200_000 + "]" * 200_000),
        "is nested too deeply to be a graph",
    ),
    "huge": (
        lambda p: _sparse(p, MAX_GRAPH_JSON_BYTES + 1),
        f"bytes; the limit is {MAX_GRAPH_JSON_BYTES}",
    ),
    "utf-16": (
        lambda p: p.write_bytes(p.read_text().encode("utf-16")),
        "is not UTF-8 text (byte 0)",
    ),
    "not-a-graph": (
        lambda p: p.write_text("[]"),
        "is not a ResourceGraph (askc preview --json): the document must be an object",
    ),
    "bad-resources": (
        lambda p: p.write_text('{"project": "p", "stack": "dev", "resources": 5}'),
        "`resources` must be a list",
    ),
    "bad-node": (
        lambda p: p.write_text(
            json.dumps({"project": "p", "stack": "dev", "resources": [{"type": "t", "name": "n"}]})
        ),
        "resources[0].urn must be a string",
    ),
    "bad-inputs": (
        lambda p: p.write_text(
            json.dumps(
                {
                    "project": "p",
                    "stack": "dev",
                    "resources": [{"urn": "u", "type": "t", "name": "n", "inputs": []}],
                }
            )
        ),
        "resources[0].inputs must be an object",
    ),
    "missing": (lambda p: p.unlink(), "does not exist"),
}


@pytest.mark.parametrize("corruption", GRAPH_CORRUPTIONS, ids=list(GRAPH_CORRUPTIONS))
def test_malformed_graph_json_exits_2(tmp_path: Path, corruption: str) -> None:
    path = tmp_path / "graph.json"
    path.write_text(
        json.dumps(
            {
                "project": "p",
                "stack": "dev",
                "resources": [
                    {
                        "urn": "urn:pulumi:dev::p::t::n",
                        "type": "t",
                        "name": "n",
                        "inputs": {"a": "b" * 300},
                    }
                ],
            }
        )
    )
    corrupt, expected = GRAPH_CORRUPTIONS[corruption]
    corrupt(path)
    result = runner.invoke(app, ["policy", "check", "--graph-json", str(path), "-C", str(tmp_path)])
    _assert_clean_exit_2(result, path, expected)


def test_a_billion_laughs_stack_file_is_refused_fast(tmp_path: Path) -> None:
    from ask_components.errors import InputError
    from ask_components.preview.project import load_yaml_file

    path = tmp_path / "bomb.yaml"
    path.write_text(_billion_laughs())
    started = time.monotonic()
    with pytest.raises(InputError, match="billion laughs"):
        load_yaml_file(path, "stack file")
    assert time.monotonic() - started < 1


def test_anchors_within_the_limit_still_load(tmp_path: Path) -> None:
    from ask_components.preview.project import load_yaml_file

    path = tmp_path / "anchors.yaml"
    path.write_text("base: &base {zones: [a, b]}\nprod: *base\nlist: [*base, *base]\n")
    assert load_yaml_file(path, "stack file") == {
        "base": {"zones": ["a", "b"]},
        "prod": {"zones": ["a", "b"]},
        "list": [{"zones": ["a", "b"]}, {"zones": ["a", "b"]}],
    }


COST_COMMANDS = {
    "cost": ["cost", "--stack", "dev"],
    "cost-json": ["cost", "--stack", "dev", "--format", "json"],
    "cost-usage-template": ["cost", "usage-template", "--stack", "dev"],
}


@pytest.mark.parametrize("command", COST_COMMANDS, ids=list(COST_COMMANDS))
@pytest.mark.parametrize(
    "corruption", ["truncated-flow", "billion-laughs", "deep-nesting", "utf-16", "huge"]
)
def test_malformed_stack_files_exit_2_in_cost_commands(
    project_copy: Path, command: str, corruption: str
) -> None:
    path = project_copy / "stacks" / "Pulumi.dev.yaml"
    corrupt, expected = YAML_CORRUPTIONS[corruption]
    corrupt(path)
    result = runner.invoke(app, [*COST_COMMANDS[command], "-C", str(project_copy)])
    _assert_clean_exit_2(result, path.resolve(), expected)


# Files only `askc cost` reads: the usage file and a price book (YAML), a preview or a state (JSON).
COST_FILE_CORRUPTIONS: dict[str, Corrupt] = {
    "truncated-flow": lambda p: p.write_text("resources: {a: ["),
    "billion-laughs": lambda p: p.write_text(_billion_laughs()),
    "recursive-alias": lambda p: p.write_text("a: &a\n  b: *a\n"),
    "deep-nesting": lambda p: p.write_text("a: " + "[" * 300 + "]" * 300 + "\n"),
    "utf-16": lambda p: p.write_bytes("a: 1\n".encode("utf-16")),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 4),
}
JSON_FILE_CORRUPTIONS: dict[str, Corrupt] = {
    "truncated": lambda p: p.write_text('{"steps": [{"op": "create", '),
    "deep-nesting": lambda p: p.write_text("[" * 200_000 + "]" * 200_000),
    "utf-16": lambda p: p.write_bytes('{"a": 1}'.encode("utf-16")),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 4),
    "not-an-object": lambda p: p.write_text("[1, 2, 3]"),
}


@pytest.mark.parametrize("option", ["--usage-file", "--price-book"])
@pytest.mark.parametrize("corruption", COST_FILE_CORRUPTIONS, ids=list(COST_FILE_CORRUPTIONS))
def test_malformed_cost_yaml_files_exit_2(
    project_copy: Path, tmp_path: Path, option: str, corruption: str
) -> None:
    path = tmp_path / "input.yaml"
    COST_FILE_CORRUPTIONS[corruption](path)
    started = time.monotonic()
    result = runner.invoke(
        app, ["cost", "--stack", "dev", "-C", str(project_copy), option, str(path)]
    )
    assert time.monotonic() - started < 10
    _assert_clean_exit_2(result, path, "")


@pytest.mark.parametrize(
    "command",
    [
        ["cost", "--preview-json"],
        ["cost", "--state"],
        ["cost", "diff", "--preview-json"],
        ["cost", "diff", "--stack", "dev", "--baseline"],
        ["policy", "check", "--preview-json"],
    ],
)
@pytest.mark.parametrize("corruption", JSON_FILE_CORRUPTIONS, ids=list(JSON_FILE_CORRUPTIONS))
def test_malformed_cost_json_files_exit_2(
    project_copy: Path, tmp_path: Path, command: list[str], corruption: str
) -> None:
    path = tmp_path / "input.json"
    JSON_FILE_CORRUPTIONS[corruption](path)
    result = runner.invoke(app, [*command, str(path), "-C", str(project_copy)])
    _assert_clean_exit_2(
        result, path, "is nested too deeply" if corruption == "deep-nesting" else ""
    )


STORE_CORRUPTIONS: dict[str, Corrupt] = {
    "garbage": lambda p: p.write_bytes(bytes(range(256)) * 16),
    "truncated-header": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20),
    "text": lambda p: p.write_text("config:\n  not: a database\n"),
    "utf-16": lambda p: p.write_bytes("not a database".encode("utf-16")),
}


@pytest.mark.parametrize(
    "command", [["sandbox", "ls"], ["sandbox", "ls", "--json"], ["sandbox", "show", "vpc-1"]]
)
@pytest.mark.parametrize("corruption", STORE_CORRUPTIONS, ids=list(STORE_CORRUPTIONS))
def test_malformed_sandbox_stores_exit_2(
    tmp_path: Path, command: list[str], corruption: str
) -> None:
    path = tmp_path / "sandbox.db"
    STORE_CORRUPTIONS[corruption](path)
    result = runner.invoke(app, [*command, "--state", str(path)])
    _assert_clean_exit_2(result, path, "is not a sandbox store")


def test_a_large_stack_file_without_aliases_loads(tmp_path: Path) -> None:
    from ask_components.preview.project import load_yaml_file

    path = tmp_path / "large.yaml"
    entries = 30_000  # 120,000 values, no alias: only aliases count against the limit
    path.write_text("config:\n" + "".join(f"  k{i}: [a, b]\n" for i in range(entries)))
    assert len(load_yaml_file(path, "stack file")["config"]) == entries
