"""``make docs`` builds the API reference offline, without a single pdoc warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytest.importorskip("pdoc")


def test_the_api_reference_builds_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        # A pdoc warning (an annotation it cannot resolve, a name in __all__ that does not
        # resolve, a docstring it cannot parse) is a UserWarning: an error here.
        [
            sys.executable,
            "-W",
            "error::UserWarning",
            str(PROJECT_ROOT / "docs" / "api.py"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    pages = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.html")}
    # The pages the README links.
    assert {
        "index.html",
        "ask_components.html",
        "ask_components/network/network.html",
        "ask_components/cluster/cluster.html",
        "ask_components/workloads/app.html",
        "ask_components/platform.html",
        "ask_components/package/components.html",
    } <= pages
    network = (tmp_path / "ask_components" / "network" / "network.html").read_text()
    assert "the VPC CIDR (private range, /8 to /24)" in network
