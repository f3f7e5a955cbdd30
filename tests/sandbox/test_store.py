"""The sandbox store: atomic transactions, two processes at once, a process killed mid-write."""

from __future__ import annotations

import ipaddress
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ask_components.errors import InputError
from ask_components.sandbox.store import SCHEMA_VERSION, SandboxStore
from ask_components.sandbox.vpc import VpcProvider
from tests.conftest import PROJECT_ROOT


def worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sandbox._worker", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_new_store_is_wal_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.db"
    with SandboxStore(path) as store:
        assert store.list() == []
        assert store.integrity_check() == "ok"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "s.db") as store:
        with store.transaction() as tx:
            tx.insert("vpc-a", "SandboxVpc", "a", {"cidr_block": "10.0.0.0/16"})

        def failing_change() -> None:
            with store.transaction() as tx:
                tx.insert("vpc-b", "SandboxVpc", "b", {})
                tx.insert("vsw-b", "SandboxVSwitch", "", {}, refs=["vpc-b"])
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            failing_change()
        assert [record.id for record in store.list()] == ["vpc-a"]


def test_refs_follow_updates_and_deletes(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "s.db") as store:
        with store.transaction() as tx:
            tx.insert("vpc-a", "SandboxVpc", "a", {})
            tx.insert("vpc-b", "SandboxVpc", "b", {})
            tx.insert("vsw-a", "SandboxVSwitch", "x", {"n": 1}, refs=["vpc-a"])
            assert [r.id for r in tx.referrers("vpc-a")] == ["vsw-a"]
            tx.update("vsw-a", "y", {"n": 2}, refs=["vpc-b"])
            assert tx.referrers("vpc-a") == []
            assert [r.id for r in tx.referrers("vpc-b")] == ["vsw-a"]
        record = store.get("vsw-a")
        assert record is not None
        assert (record.name, dict(record.state), record.refs) == ("y", {"n": 2}, ("vpc-b",))
        with store.transaction() as tx:
            tx.delete("vsw-a")
            assert tx.referrers("vpc-b") == []


def test_reset_empties_the_store(tmp_path: Path) -> None:
    with SandboxStore(tmp_path / "s.db") as store:
        with store.transaction() as tx:
            tx.insert("vpc-a", "SandboxVpc", "a", {})
            tx.insert("vsw-a", "SandboxVSwitch", "", {}, refs=["vpc-a"])
        assert store.reset() == 2
        assert store.list() == []


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_text("not a database, just text " * 100)
    with pytest.raises(
        InputError, match=r"state\.db is not a sandbox store: file is not a database"
    ):
        SandboxStore(path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SandboxStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match=f"has schema {SCHEMA_VERSION + 1}; this version"):
        SandboxStore(path)


@pytest.mark.slow
def test_two_processes_racing_for_the_same_cidrs(tmp_path: Path) -> None:
    """Both try every /20 of one VPC, in opposite orders, and 10 EIPs each, at the same moment.

    Each vSwitch create reads the siblings and writes in one IMMEDIATE transaction, so exactly 16
    vSwitches exist afterwards (never two on one block), every EIP has its own address, and the
    file is sound.
    """
    state = str(tmp_path / "state.db")
    vpc = VpcProvider().create(
        {"sandbox_state": state, "cidr_block": "10.0.0.0/16", "region": "cn-hangzhou"}
    )
    go = tmp_path / "go"
    procs = [worker("race", state, vpc.id, order, str(go)) for order in ("up", "down")]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.{order}.ready").exists() for order in ("up", "down")):
        assert time.monotonic() < deadline, [proc.poll() for proc in procs]
        time.sleep(0.01)
    go.touch()  # both are waiting on it: they start together
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    made = [int(out.strip()) for out, _ in outputs]
    assert sum(made) == 16
    assert min(made) > 0, f"the two workers did not overlap: {made}"

    with SandboxStore(state) as store:
        assert store.integrity_check() == "ok"
        switches = store.list("SandboxVSwitch")
        eips = store.list("SandboxEip")
    nets = sorted(ipaddress.IPv4Network(s.state["cidr_block"]) for s in switches)
    assert nets == list(ipaddress.IPv4Network("10.0.0.0/16").subnets(new_prefix=20))
    assert len(eips) == 20
    assert len({eip.state["ip_address"] for eip in eips}) == 20


def test_a_process_killed_mid_write_leaves_the_last_committed_state(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    marker = tmp_path / "inside-transaction"
    proc = worker("crash", str(state), str(marker))
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the worker never reached the transaction"
        time.sleep(0.01)
    # The vSwitch row is written, the transaction is open and holds the write lock.
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    vpc_id = marker.read_text()
    with SandboxStore(state) as store:
        assert store.integrity_check() == "ok"
        assert [(r.type, r.id) for r in store.list()] == [("SandboxVpc", vpc_id)]
        # The lock died with the process: the store takes writes again at once.
        with store.transaction() as tx:
            tx.insert("vsw-after", "SandboxVSwitch", "", {}, refs=[vpc_id])
        assert [r.id for r in store.list("SandboxVSwitch")] == ["vsw-after"]
