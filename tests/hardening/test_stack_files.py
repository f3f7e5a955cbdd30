"""Stack and project files that used to crash or mislead ``askc`` (issue #16): each is refused
with exit 2 and the path of the bad value, in every command that reads them."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.preview.project import load_project, read_stack_config

runner = CliRunner()

COMMANDS = {
    "preview": ["preview", "--stack", "dev"],
    "cost": ["cost", "--stack", "dev"],
    "policy": ["policy", "check", "--stack", "dev"],
}


def _stack_file(project: Path) -> Path:
    return project / "stacks" / "Pulumi.dev.yaml"


def _append(project: Path, text: str) -> None:
    path = _stack_file(project)
    path.write_text(path.read_text() + text)


def _run(project: Path, command: str, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*COMMANDS[command], *extra, "-C", str(project)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


NON_JSON = """  ask:notes:
    since: 2024-01-01
    at: 2001-12-14 21:59:43.10
    blob: !!binary aGVsbG8=
    tags: !!set {a, b}
    ratio: .nan
    list: [1, .inf]
    7: seven
  ask:ordered: !!omap [{a: 1}]
"""


@pytest.mark.parametrize("command", COMMANDS)
def test_structured_values_that_are_not_json_are_refused_with_their_paths(
    project_copy: Path, command: str
) -> None:
    _append(project_copy, NON_JSON)
    code, stdout, stderr = _run(project_copy, command)
    assert (code, stdout) == (2, "")
    assert stderr == (
        "Error: invalid stack config (8 problems):\n"
        "  - ask:notes: the key 7 is not text: quote it\n"
        "  - ask:notes.at: 2001-12-14 21:59:43.100000 is a YAML timestamp, not a JSON value: "
        "quote it\n"
        "  - ask:notes.blob: a YAML !!binary value is not a JSON value: write it as text\n"
        "  - ask:notes.list[1]: inf is not a JSON number: quote it or write a finite number\n"
        "  - ask:notes.ratio: nan is not a JSON number: quote it or write a finite number\n"
        "  - ask:notes.since: 2024-01-01 is a YAML date, not a JSON value: quote it\n"
        "  - ask:notes.tags: a YAML !!set is not a JSON value: write a list\n"
        "  - ask:ordered[0]: a YAML !!omap or !!pairs is not a JSON value: write a mapping or a "
        "list\n"
    )


def test_scalar_values_are_the_text_written_as_the_pulumi_cli_reads_them(
    project_copy: Path,
) -> None:
    _append(
        project_copy,
        "  ask:since: 2024-01-01\n  ask:when: 2001-12-14t21:59:43.10-05:00\n"
        "  ask:ratio: 1.50\n  ask:count: 0x1F\n  ask:flag: yes\n  ask:blob: !!binary aGVsbG8=\n"
        "  ask:nothing:\n",
    )
    values, _ = read_stack_config(load_project(project_copy), "dev")
    assert {key: values[key] for key in values if key.startswith("ask:") and key[4:5] != "p"} == {
        "ask:target": "alicloud",
        "ask:since": "2024-01-01",
        "ask:when": "2001-12-14t21:59:43.10-05:00",
        "ask:ratio": "1.50",
        "ask:count": "0x1F",
        "ask:flag": "yes",
        "ask:blob": "hello",
        "ask:nothing": None,
    }
    # And the program runs with them.
    assert _run(project_copy, "preview")[0] == 0


def test_a_date_where_a_region_belongs_is_a_config_error(project_copy: Path) -> None:
    path = _stack_file(project_copy)
    path.write_text(path.read_text().replace("cn-hangzhou\n", "2024-01-01\n", 1))
    code, _, stderr = _run(project_copy, "preview")
    assert code == 2
    assert "  - alicloud:region: '2024-01-01' is not an Alibaba region id like cn-hangzhou\n" in (
        stderr
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_repeated_key_is_refused(project_copy: Path, command: str) -> None:
    path = _stack_file(project_copy)
    text = path.read_text().replace(
        "  alicloud:region: cn-hangzhou\n",
        "  alicloud:region: cn-hangzhou\n  alicloud:region: cn-shanghai\n",
    )
    path.write_text(text)
    code, stdout, stderr = _run(project_copy, command)
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"Error: stack file {path.resolve()} has the key 'alicloud:region' twice (line 3 and "
        "line 4); keys must be unique\n"
    )


def test_a_repeated_nested_key_is_refused_and_merge_keys_are_not(project_copy: Path) -> None:
    path = _stack_file(project_copy)
    original = path.read_text()
    twice = "      egress: single\n      egress: none\n"
    path.write_text(original.replace("      egress: single\n", twice))
    code, _, stderr = _run(project_copy, "preview")
    assert code == 2
    assert "has the key 'egress' twice (line 10 and line 11)" in stderr

    # A merge key brings a key in once more: that is YAML's way of overriding, not a repeat.
    merged = original.replace("config:\n", "config:\n  ask:defaults: &base {egress: none}\n")
    merged = merged.replace("      egress: single\n", "      <<: *base\n      egress: single\n")
    path.write_text(merged)
    assert _run(project_copy, "preview")[0] == 0


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("stack", ["x/../../evil", "../Pulumi", "dev yaml", ".."])
def test_a_stack_name_is_never_a_path(project_copy: Path, command: str, stack: str) -> None:
    # A file the traversal would reach: it must not be read.
    (project_copy.parent / "evil.yaml").write_text("config: {ask:platform: {name: evil}}\n")
    result = runner.invoke(app, [*COMMANDS[command][:-1], stack, "-C", str(project_copy)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: stack {stack!r} is not a stack name: 1-100 letters, digits, '-', '_' or '.' "
        "(the stack file is <stackConfigDir>/Pulumi.<stack>.yaml)\n"
    )


def test_a_main_that_does_not_exist_exits_2(project_copy: Path) -> None:
    project_file = project_copy / "Pulumi.yaml"
    project_file.write_text(project_file.read_text() + "main: src/\n")
    code, stdout, stderr = _run(project_copy, "preview")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"Error: project file {project_file}: `main: src/` is not there: "
        f"{project_copy / 'src'} does not exist\n"
    )
    (project_copy / "__main__.py").unlink()
    project_file.write_text(project_file.read_text().replace("main: src/\n", ""))
    assert _run(project_copy, "preview")[2] == (
        f"Error: project file {project_file}: the program is not there: "
        f"{project_copy / '__main__.py'} does not exist\n"
    )
    project_file.write_text(project_file.read_text() + "main: [1]\n")
    assert _run(project_copy, "cost")[2] == (
        f"Error: project file {project_file}: `main` must be a path, got [1]\n"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_stacks_folder_that_cannot_be_read(
    project_copy: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, which chmod cannot stop: the refusal is simulated where the
    # operating system would give it.
    stacks = project_copy / "stacks"
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(f"{stacks}{os.sep}"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    code, stdout, stderr = _run(project_copy, command)
    assert (code, stdout) == (2, "")
    assert stderr == f"Error: stack file {stacks / 'Pulumi.dev.yaml'} cannot be read: Permission denied\n"  # fmt: skip
