"""Sandbox stores that used to crash ``askc sandbox`` or be mistaken for something else
(issue #16): each is an exit 2 that names the store and the real cause, and a file that is not
a store is never turned into one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.errors import InputError
from ask_components.sandbox import store as store_module
from ask_components.sandbox.store import SandboxStore, store_error

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with two VPCs."""
    path = tmp_path / "state.db"
    with SandboxStore(path) as opened, opened.transaction() as tx:
        tx.insert("vpc-1", "SandboxVpc", "one", {"cidr_block": "10.0.0.0/16"})
        tx.insert("vpc-2", "SandboxVpc", "two", {"cidr_block": "10.1.0.0/16"})
    return path


def _sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["sandbox", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


FIX = "remove it with `askc sandbox reset` (or restore the file)"


@pytest.mark.parametrize(
    ("state", "problem"),
    [
        ("'{broken'", "has a state that is not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        ("'null'", "has a state that is not a JSON object (null)"),
        ("'[1, 2]'", "has a state that is not a JSON object (list)"),
        ("'\"text\"'", "has a state that is not a JSON object (str)"),
        ("x'ff'", "has a state that is not JSON ('utf-8' codec can't decode byte 0xff in position 0: invalid start byte)"),
    ],
)  # fmt: skip
def test_a_damaged_row_is_named_and_reset_still_clears_it(
    store: Path, state: str, problem: str
) -> None:
    _sql(store, f"UPDATE resources SET state = {state} WHERE id = 'vpc-1'")
    expected = f"Error: sandbox store {store}: resource 'vpc-1' {problem}; {FIX}\n"
    for command in (["ls"], ["ls", "--json"], ["show", "vpc-1"]):
        assert _run(*command, "--state", str(store)) == (2, "", expected)
    # The undamaged row is still readable on its own.
    assert _run("show", "vpc-2", "--state", str(store))[0] == 0
    code, stdout, _ = _run("reset", "--yes", "--state", str(store))
    assert code == 0
    assert stdout.startswith(f"Removed 2 sandbox resources from {store}.")
    assert _run("ls", "--json", "--state", str(store)) == (0, "[]\n", "")


def test_a_column_that_is_not_text(store: Path) -> None:
    _sql(store, "UPDATE resources SET name = x'4142' WHERE id = 'vpc-2'")
    assert _run("ls", "--state", str(store)) == (
        2,
        "",
        f"Error: sandbox store {store}: resource 'vpc-2' is damaged (a column that is not "
        f"text); {FIX}\n",
    )


def test_schema_1_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    _sql(path, "PRAGMA user_version = 1")
    for command in (["ls"], ["show", "vpc-1"], ["reset", "--yes"]):
        assert _run(*command, "--state", str(path)) == (
            2,
            "",
            f"Error: {path} is not a sandbox store: it says schema 1 but has no refs or "
            "resources table\n",
        )


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    _sql(path, "CREATE TABLE notes (text TEXT)")
    before = path.read_bytes()
    for command in (["ls"], ["show", "vpc-1"], ["reset", "--yes"]):
        assert _run(*command, "--state", str(path)) == (
            2,
            "",
            f"Error: {path} is not a sandbox store: an SQLite database without the sandbox "
            "schema (another program's?)\n",
        )
    # The providers refuse it too: it is never given the sandbox's tables.
    with pytest.raises(InputError, match="without the sandbox schema"):
        SandboxStore(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", [["ls"], ["ls", "--json"], ["show", "vpc-1"], ["reset", "-y"]])
def test_an_empty_file_is_not_made_a_store(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "state.db"
    path.touch()
    assert _run(*command, "--state", str(path)) == (
        2,
        "",
        f"Error: {path} is not a sandbox store: the file is empty\n",
    )
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.db"]


def test_ls_of_an_unknown_type(store: Path) -> None:
    assert _run("ls", "--type", "Bogus", "--state", str(store)) == (
        2,
        "",
        "Error: --type: 'Bogus' is not a sandbox resource type; the types are SandboxAlb, "
        "SandboxEip, SandboxNatGateway, SandboxPrivateZone, SandboxVSwitch, SandboxVpc, "
        "SandboxZoneRecord\n",
    )
    assert _run("ls", "--type", "SandboxEip", "--json", "--state", str(store)) == (0, "[]\n", "")


def test_sqlite_failures_are_named_by_their_cause(store: Path) -> None:
    read_only = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as refused:
        read_only.execute("DELETE FROM resources")
    read_only.close()
    assert str(store_error(store, refused.value)) == (
        f"sandbox store {store} cannot be written: the file (or its folder) is read-only "
        "(attempt to write a readonly database)"
    )
    garbage = store.with_name("garbage.db")
    garbage.write_bytes(b"hello " * 200)
    with pytest.raises(InputError) as not_a_store:
        SandboxStore(garbage)
    assert str(not_a_store.value) == f"{garbage} is not a sandbox store: file is not a database"


@pytest.fixture
def locked(store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The store with another connection holding its write lock."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield store
    holder.execute("ROLLBACK")
    holder.close()


def test_reset_of_a_locked_store(locked: Path) -> None:
    assert _run("reset", "--yes", "--state", str(locked)) == (
        2,
        "",
        f"Error: sandbox store {locked} is locked by another process (a running `pulumi up`?); "
        "try again when it has finished (database is locked)\n",
    )
    assert _run("ls", "--json", "--state", str(locked))[0] == 0  # WAL: readers are not blocked


def _make_read_only(path: Path) -> bool:
    """Make the file unwritable even for root (chattr +i), else by its mode; False if neither."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return True
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0


def test_reset_of_a_read_only_store(store: Path) -> None:
    # Checkpoint the WAL into the file first: a read-only store has no writable -wal.
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in ("state.db-wal", "state.db-shm"):
        (store.parent / extra).unlink(missing_ok=True)
    if not _make_read_only(store):
        pytest.skip("cannot make a file read-only here (root without chattr)")
    try:
        code, stdout, stderr = _run("reset", "--yes", "--state", str(store))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(store)], check=False)
        store.chmod(0o644)
    assert (code, stdout) == (2, "")
    assert stderr.startswith(
        f"Error: sandbox store {store} cannot be written: the file (or its folder) is read-only ("
    )


def test_threads_opening_a_new_store_at_once_all_get_it(tmp_path: Path) -> None:
    # Pulumi registers resources from a thread pool: the first ones open a store that does not
    # exist yet together. A thread that saw the tables of another's schema but not yet its
    # user_version took the store for another program's database; and switching the new file
    # to WAL failed with "database is locked" now and then (on main too: 2 rounds in 60).
    from concurrent.futures import ThreadPoolExecutor

    def open_store(path: Path) -> str:
        with SandboxStore(path) as opened:
            return opened.integrity_check()

    for round_ in range(40):
        path = tmp_path / f"state-{round_}.db"
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(open_store, [path] * 8))
        assert results == ["ok"] * 8
