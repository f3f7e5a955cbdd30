"""The README's "What make demo shows" is what ``make demo`` prints: every line of its output
blocks (``…`` stands for lines left out) appears in the real output, in order."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def demo_blocks() -> list[tuple[list[str], list[str]]]:
    """(askc arguments, the lines shown) for each ``$ .venv/bin/askc`` block of the section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What `make demo` shows", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for body in re.findall(r"```\n(.*?)```", section, flags=re.S):
        command, *shown = body.rstrip("\n").splitlines()
        assert command.startswith("$ .venv/bin/askc "), command
        blocks.append((shlex.split(command)[2:], shown))
    return blocks


def test_the_readme_shows_both_demo_commands() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    run = [line.split("askc ", 1)[1].split() for line in demo.splitlines() if "askc " in line]
    assert (
        [args for args, _ in demo_blocks()]
        == run
        == [
            ["preview", "--stack", "dev"],
            ["cost", "--stack", "dev"],
        ]
    )


@pytest.mark.parametrize(("args", "shown"), demo_blocks(), ids=[a[0] for a, _ in demo_blocks()])
def test_each_shown_line_is_printed_in_order(args: list[str], shown: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from ask_components.cli import main; main()", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    position = 0
    for line in shown:
        if line.strip() == "…" or line.endswith("└── …"):
            continue
        assert line.rstrip() in printed[position:], f"README line not printed: {line!r}"
        position = printed.index(line.rstrip(), position) + 1
