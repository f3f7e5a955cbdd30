"""The public API is typed: what ``ask_components`` exports has its real type for mypy and IDEs,
not ``Any`` from the lazy ``__getattr__`` (issue #15)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ask_components
from tests.conftest import PROJECT_ROOT

USER_PROGRAM = """\
from ask_components import Network, NetworkArgs, ServerlessAppArgs

NetworkArgs(cidr=10, zones=["cn-hangzhou-i"])
NetworkArgs(cidr="10.0.0.0/16", zones=["cn-hangzhou-i"], egress="per-zone")
reveal_type(Network)
ServerlessAppArgs(image="web:1")
"""


def test_mypy_reports_wrong_argument_types_through_the_package_root(tmp_path: Path) -> None:
    program = tmp_path / "user_program.py"
    program.write_text(USER_PROGRAM)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(PROJECT_ROOT / "pyproject.toml"),
            # make check's cache: only the user program is new.
            "--cache-dir",
            str(PROJECT_ROOT / ".mypy_cache"),
            "--no-error-summary",
            str(program),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    lines = [
        line.split(".py:", 1)[1]
        for line in result.stdout.splitlines()
        if " defined in " not in line  # where mypy found a name: only with a cold cache
    ]
    assert lines == [
        '3: error: Argument "cidr" to "NetworkArgs" has incompatible type "int"; expected '
        '"str"  [arg-type]',
        '5: note: Revealed type is "def (name: str, args: '
        "ask_components.network.network.NetworkArgs, opts: pulumi.resource.ResourceOptions | "
        'None =) -> ask_components.network.network.Network"',
        '6: error: Missing named argument "region" for "ServerlessAppArgs"  [call-arg]',
    ]
    assert result.returncode == 1


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(Path(ask_components.__file__).read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: str(node.module)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_typed_names_and_the_lazy_names_are_the_same_objects() -> None:
    lazy: dict[str, str] = ask_components._LAZY
    assert _type_checking_imports() == lazy
    assert set(lazy) | {"__version__"} <= set(ask_components.__all__)
    for name in ask_components.__all__:
        assert getattr(ask_components, name) is not None, name


def test_the_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert ask_components.__version__ == version("ask-components")
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text()
    assert f'version = "{ask_components.__version__}"' in pyproject
