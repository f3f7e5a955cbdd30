"""Install and release: the wheel carries what docs/library.md promises, and the README's install
line from a git tag works (against a tag in a local clone; no index but the build backend's)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import ask_components
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow

DATA_FILES = {
    "ask_components/py.typed",
    "ask_components/cost/catalog/china.yaml",
    "ask_components/cost/catalog/international.yaml",
    "ask_components/package/schema.json",
    "ask_components/schemas/albconfig_alibabacloud.com_v1.json",
    "ask_components/schemas/cronhorizontalpodautoscaler_autoscaling.alibabacloud.com_v1beta1.json",
    "ask_components/schemas/scheduledsparkapplication_sparkoperator.k8s.io_v1beta2.json",
    "ask_components/schemas/sparkapplication_sparkoperator.k8s.io_v1beta2.json",
}
"""Type information, the price books, the CRD schemas manifests are checked against, and the
package schema (docs/library.md, "What the wheel carries")."""


def _pip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )
    if result.returncode != 0 and "No matching distribution found for setuptools" in result.stderr:
        pytest.skip("the build backend (setuptools) cannot be fetched from the package index")
    return result


def test_the_wheel_carries_the_modules_the_data_and_not_the_policy_pack(tmp_path: Path) -> None:
    result = _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(PROJECT_ROOT))
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name == f"ask_components-{ask_components.__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in (PROJECT_ROOT / "ask_components").rglob("*.py")
    }
    assert {name for name in names if name.endswith(".py")} == modules
    assert {
        name
        for name in names
        if not name.endswith(".py") and not name.startswith("ask_components-")
    } == DATA_FILES
    # The policy pack is installable on its own (its folder at the same tag); its rules are in.
    assert not any(name.startswith("policies/") for name in names)
    assert "ask_components/policy/rules.py" in names
    metadata = zipfile.ZipFile(wheel).read(
        f"ask_components-{ask_components.__version__}.dist-info/entry_points.txt"
    )
    assert b"askc = ask_components.cli:main" in metadata


def test_pip_installs_from_a_git_tag(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    tag = f"v{ask_components.__version__}"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "tag", tag],
        cwd=clone,
        check=True,
    )
    target = tmp_path / "site"
    # The README's line, with the repository's URL as git+file for this clone.
    result = _pip(
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(target),
        f"ask-components @ git+file://{clone}@{tag}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (target / "ask_components" / "package" / "schema.json").is_file()
    assert (target / f"ask_components-{ask_components.__version__}.dist-info").is_dir()
