"""Shared fixtures: an offline Pulumi run that records every registration, and a project copy."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ask_components.preview.engine import run_program
from ask_components.preview.graph import ResourceGraph

# The fake kubectl fixture (``kubectl``) for every test that edits CoreDNS.
pytest_plugins = ("tests.kubefake",)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"

RunProgram = Callable[..., ResourceGraph]


@pytest.fixture
def pulumi_run() -> RunProgram:
    """Run a program body under recording mocks with resolved ids; returns its ResourceGraph.

    Invokes the mocks do not know fail the run (``InputError``), so nothing passes by accident.
    """

    def run(
        program: Callable[[], None],
        *,
        stack: str = "dev",
        config: dict[str, Any] | None = None,
        secret_keys: list[str] | None = None,
        resolve_outputs: bool = True,
    ) -> ResourceGraph:
        return run_program(
            program,
            stack=stack,
            config=config,
            secret_keys=secret_keys,
            resolve_outputs=resolve_outputs,
        )

    return run


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of this Pulumi project (program + stacks) that a test may change."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, target / name)
    shutil.copytree(PROJECT_ROOT / "stacks", target / "stacks")
    return target


def platform_values(**platform: Any) -> dict[str, Any]:
    """Config values of a minimal valid platform, with ``platform`` keys merged over it."""
    base: dict[str, Any] = {
        "name": "shop",
        "network": {"cidr": "10.0.0.0/16", "zones": ["cn-hangzhou-i", "cn-hangzhou-j"]},
    }
    base.update(platform)
    return {"alicloud:region": "cn-hangzhou", "ask:target": "alicloud", "ask:platform": base}
