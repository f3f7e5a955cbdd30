"""askc sandbox ls / show / reset: output, --json, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.sandbox.store import SandboxStore
from tests.sandbox.conftest import Sandbox

runner = CliRunner()


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Sandbox, dict[str, str]]:
    """A store with a VPC, a vSwitch, a NAT gateway and its EIP."""
    sandbox = Sandbox(str(tmp_path / "state.db"))
    vpc = sandbox.vpc("10.0.0.0/16")
    vsw = sandbox.vswitch(vpc.id, "10.0.0.0/19", vswitch_name="shop-i")
    nat = sandbox.nat(vpc.id, vsw.id, nat_gateway_name="shop-nat")
    eip = sandbox.eip(instance_id=nat.id, instance_type="Nat", address_name="shop-egress")
    return sandbox, {"vpc": vpc.id, "vsw": vsw.id, "nat": nat.id, "eip": eip.id}


def test_sandbox_is_an_askc_command() -> None:
    result = runner.invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0
    for command in ("ls", "show", "reset"):
        assert command in result.stdout


def table_rows(out: str) -> dict[str, list[str]]:
    """The rows of a rich table by their first cell."""
    rows = [[cell.strip() for cell in line.split("│")] for line in out.splitlines() if "│" in line]
    return {row[0]: row[1:] for row in rows}


def test_ls_lists_id_type_name_and_key_attributes(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, ids = filled
    result = runner.invoke(app, ["sandbox", "ls", "--state", sandbox.state])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"4 sandbox resources in {sandbox.state}")
    nat_suffix = ids["nat"].removeprefix("ngw-")
    assert table_rows(result.stdout) == {
        ids["vpc"]: ["SandboxVpc", "shop-vpc", "10.0.0.0/16, cn-hangzhou"],
        ids["vsw"]: ["SandboxVSwitch", "shop-i", "10.0.0.0/19, cn-hangzhou-i"],
        ids["nat"]: ["SandboxNatGateway", "shop-nat", f"Enhanced, PayByLcu, stb-{nat_suffix}"],
        ids["eip"]: [
            "SandboxEip",
            "shop-egress",
            f"198.51.100.1, PayByTraffic, 100 Mbit/s, bound to {ids['nat']}",
        ],
    }


def test_ls_json_and_type_filter(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, ids = filled
    result = runner.invoke(app, ["sandbox", "ls", "--state", sandbox.state, "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [item["id"] for item in listed] == [ids["vpc"], ids["vsw"], ids["nat"], ids["eip"]]
    assert listed[1]["refs"] == [ids["vpc"]]
    assert listed[3]["state"]["ip_address"] == "198.51.100.1"

    result = runner.invoke(
        app, ["sandbox", "ls", "--state", sandbox.state, "--json", "--type", "SandboxEip"]
    )
    assert [item["id"] for item in json.loads(result.stdout)] == [ids["eip"]]


def test_ls_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    state = tmp_path / "none" / "state.db"
    result = runner.invoke(app, ["sandbox", "ls", "--state", str(state)])
    assert (result.exit_code, result.stdout) == (
        0,
        f"No sandbox resources in {state} (no store yet).\n",
    )
    result = runner.invoke(app, ["sandbox", "ls", "--state", str(state), "--json"])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert not state.parent.exists()


def test_show_prints_one_resource(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, ids = filled
    result = runner.invoke(app, ["sandbox", "show", ids["nat"], "--state", sandbox.state])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["id"], shown["type"], shown["name"]) == (
        ids["nat"],
        "SandboxNatGateway",
        "shop-nat",
    )
    assert shown["state"]["snat_table_ids"] == "stb-" + ids["nat"].removeprefix("ngw-")
    assert shown["refs"] == sorted([ids["vpc"], ids["vsw"]])


def test_show_of_an_unknown_id_exits_2(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, _ = filled
    result = runner.invoke(app, ["sandbox", "show", "vpc-nope", "--state", sandbox.state])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no sandbox resource vpc-nope in {sandbox.state} (`askc sandbox ls` lists them)\n"
    )


def test_show_without_a_store_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sandbox", "show", "vpc-x", "--state", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no sandbox store at {tmp_path / 's.db'}")


def test_a_file_that_is_not_a_store_exits_2(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    state.write_text("hello " * 200)
    result = runner.invoke(app, ["sandbox", "ls", "--state", str(state)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {state} is not a sandbox store: file is not a database\n"


def test_reset_asks_first(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, _ = filled
    result = runner.invoke(app, ["sandbox", "reset", "--state", sandbox.state], input="n\n")
    assert result.exit_code == 1
    assert f"Remove all 4 sandbox resources from {sandbox.state}? [y/N]: n" in result.stdout
    assert len(sandbox.records()) == 4

    result = runner.invoke(app, ["sandbox", "reset", "--state", sandbox.state], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Removed 4 sandbox resources from {sandbox.state}." in result.stdout
    assert sandbox.records() == []
    with SandboxStore(sandbox.state) as store:
        assert store.integrity_check() == "ok"


def test_reset_yes_does_not_ask(filled: tuple[Sandbox, dict[str, str]]) -> None:
    sandbox, _ = filled
    result = runner.invoke(app, ["sandbox", "reset", "--yes", "--state", sandbox.state])
    assert result.exit_code == 0, result.output
    assert "Remove all" not in result.stdout
    assert sandbox.records() == []
    again = runner.invoke(app, ["sandbox", "reset", "--yes", "--state", sandbox.state])
    assert (again.exit_code, again.stdout) == (0, f"Nothing to reset: {sandbox.state} is empty.\n")


def test_reset_without_a_store(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    result = runner.invoke(app, ["sandbox", "reset", "--state", str(state)])
    assert (result.exit_code, result.stdout) == (0, f"Nothing to reset: {state} does not exist.\n")
    assert not state.exists()
