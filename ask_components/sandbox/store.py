"""The sandbox provider's state store: one SQLite file, safe under concurrent processes.

Every change is one transaction opened with ``BEGIN IMMEDIATE`` (the write lock is taken up
front, so two writers queue on the busy timeout instead of failing half-way through a
read-modify-write) and the journal is in WAL mode (readers never block the writer). A process
killed in the middle of a transaction leaves no trace: SQLite ignores WAL frames without a commit
record, so the store opens with its last committed state. ``synchronous=NORMAL`` is the WAL
setting SQLite recommends: a commit survives any process crash; only a power cut may lose the
last commits (never the file's integrity), an acceptable trade for a developer's sandbox that
saves an fsync per change.

Two tables: ``resources`` (one row per sandbox resource, its state as JSON) and ``refs`` (which
resource refers to which: a vSwitch to its VPC, an EIP to its NAT gateway). A resource cannot be
deleted while another refers to it, as in the cloud (``DependencyViolation``).

No Pulumi here: the providers, ``askc sandbox`` and the tests share it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ask_components.errors import InputError
from ask_components.sandbox.ids import random_id

DEFAULT_STATE_PATH = ".ask-sandbox/state.db"
"""Where the store lives when ``ask:local.sandboxState`` is unset, relative to the project."""

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another process's transaction before giving up."""

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_by_type ON resources (type);
CREATE TABLE IF NOT EXISTS refs (
    id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    ref_id TEXT NOT NULL,
    PRIMARY KEY (id, ref_id)
);
CREATE INDEX IF NOT EXISTS refs_by_target ON refs (ref_id);
"""

MAX_KEPT_OPEN = 8
"""Stores this process keeps one idle connection to (see ``_keep_open``)."""

_before_commit: Callable[[], None] | None = None
_kept_open: OrderedDict[tuple[int, str], sqlite3.Connection] = OrderedDict()
_kept_open_lock = threading.Lock()
_writer_locks: dict[str, threading.Lock] = {}


def set_before_commit_hook(hook: Callable[[], None] | None) -> None:
    """Run ``hook`` inside every transaction, after its writes and before COMMIT (tests only).

    The crash test sets a hook that sleeps, then kills the process while the transaction is open.
    """
    global _before_commit
    _before_commit = hook


@dataclass(frozen=True)
class SandboxRecord:
    """One sandbox resource as stored.

    Attributes:
        id: the resource id (``vpc-…``).
        type: the resource type (``SandboxVpc``).
        name: its cloud name (``vpc_name``, ``zone_name``…), or ``""``.
        state: its outputs, as the Pulumi resource exposes them.
        refs: the ids of the resources it refers to.
        created_at: when it was created (UTC, ISO 8601).
        updated_at: when it was last changed.
    """

    id: str
    type: str
    name: str
    state: Mapping[str, Any]
    refs: tuple[str, ...]
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "state": dict(self.state),
            "refs": list(self.refs),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def now() -> str:
    """The current time as Alibaba writes it (``2025-01-31T08:00:00Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Transaction:
    """Reads and writes inside one ``BEGIN IMMEDIATE`` transaction (see ``SandboxStore``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, resource_id: str) -> SandboxRecord | None:
        """The resource with this id, or None."""
        return _get(self._conn, resource_id)

    def of_type(self, type_name: str) -> list[SandboxRecord]:
        """Every resource of a type, oldest first."""
        return _select(self._conn, "WHERE r.type = ?", (type_name,))

    def values(self, type_name: str, key: str) -> list[Any]:
        """One state key of every resource of a type (without decoding whole records)."""
        rows = self._conn.execute(
            "SELECT json_extract(state, ?) FROM resources WHERE type = ?", (f"$.{key}", type_name)
        ).fetchall()
        return [row[0] for row in rows]

    def referrers(self, resource_id: str) -> list[SandboxRecord]:
        """The resources that refer to ``resource_id``, oldest first."""
        return _select(
            self._conn, "WHERE r.id IN (SELECT id FROM refs WHERE ref_id = ?)", (resource_id,)
        )

    def new_id(self, make: Callable[[], str] | None = None, *, prefix: str = "") -> str:
        """A fresh id no resource has: ``make()``, or ``<prefix>-<21 random characters>``."""
        while True:
            candidate = make() if make is not None else f"{prefix}-{random_id()}"
            if self.get(candidate) is None:
                return candidate

    def insert(
        self,
        resource_id: str,
        type_name: str,
        name: str,
        state: Mapping[str, Any],
        refs: Sequence[str] = (),
    ) -> None:
        """Add a resource."""
        stamp = now()
        self._conn.execute(
            "INSERT INTO resources (id, type, name, state, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (resource_id, type_name, name, _dump(state), stamp, stamp),
        )
        self._set_refs(resource_id, refs)

    def update(
        self,
        resource_id: str,
        name: str,
        state: Mapping[str, Any],
        refs: Sequence[str] | None = None,
    ) -> None:
        """Change a resource's name and state (and its references, when given)."""
        cursor = self._conn.execute(
            "UPDATE resources SET name = ?, state = ?, updated_at = ? WHERE id = ?",
            (name, _dump(state), now(), resource_id),
        )
        if cursor.rowcount != 1:
            raise KeyError(resource_id)
        if refs is not None:
            self._conn.execute("DELETE FROM refs WHERE id = ?", (resource_id,))
            self._set_refs(resource_id, refs)

    def delete(self, resource_id: str) -> None:
        """Remove a resource (its own references go with it)."""
        self._conn.execute("DELETE FROM resources WHERE id = ?", (resource_id,))

    def _set_refs(self, resource_id: str, refs: Sequence[str]) -> None:
        self._conn.executemany(
            "INSERT OR IGNORE INTO refs (id, ref_id) VALUES (?, ?)",
            [(resource_id, ref) for ref in refs],
        )


class SandboxStore:
    """The SQLite file holding every sandbox resource.

    Args:
        path: the database file; its folder is created when missing.
        busy_timeout_s: how long to wait for another process's write transaction.

    Raises:
        InputError: the file exists but is not a sandbox store (not SQLite, or a newer schema).
    """

    def __init__(self, path: str | Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=busy_timeout_s, isolation_level=None
            )
        except sqlite3.Error as err:
            raise InputError(f"sandbox store {self.path} cannot be opened: {err}") from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as err:
            self._conn.close()
            raise InputError(f"{self.path} is not a sandbox store: {err}") from None
        _keep_open(self.path)

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise InputError(
                f"sandbox store {self.path} has schema {version}; this version of "
                f"ask-components reads schema {SCHEMA_VERSION}: upgrade ask-components"
            )
        # BEGIN IMMEDIATE: two processes opening a new store at once create the schema once.
        # (Not executescript: it would COMMIT the open transaction first.)
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def __enter__(self) -> SandboxStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic change: everything inside commits together or not at all.

        Threads of one process queue on a lock first (Pulumi registers resources from a thread
        pool): SQLite's busy handler would make them poll with growing sleeps instead.
        """
        with _writer_lock(self.path):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
                if _before_commit is not None:
                    _before_commit()
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def get(self, resource_id: str) -> SandboxRecord | None:
        """The resource with this id, or None."""
        return _get(self._conn, resource_id)

    def list(self, type_name: str | None = None) -> list[SandboxRecord]:
        """Every resource (of a type, when given), oldest first."""
        if type_name is None:
            return _select(self._conn, "", ())
        return _select(self._conn, "WHERE r.type = ?", (type_name,))

    def reset(self) -> int:
        """Remove every resource; returns how many there were."""
        with self.transaction():
            count: int = self._conn.execute("SELECT count(*) FROM resources").fetchone()[0]
            self._conn.execute("DELETE FROM refs")
            self._conn.execute("DELETE FROM resources")
        return count

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``ok`` when the file is sound."""
        rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)


def _writer_lock(path: Path) -> threading.Lock:
    """The lock this process's writers to ``path`` queue on."""
    key = str(path.resolve())
    with _kept_open_lock:
        return _writer_locks.setdefault(key, threading.Lock())


def _keep_open(path: Path) -> None:
    """Hold one idle connection to the store for the rest of this process.

    The providers open and close the store for every operation. When the last connection to a
    WAL database closes, SQLite checkpoints and removes the WAL, which costs an fsync or two (about
    20 ms here) per operation; an idle connection held open defers that to the process's end or
    to SQLite's automatic checkpoints. At most ``MAX_KEPT_OPEN`` stores are held (least recently
    used go first).
    """
    key = (os.getpid(), str(path.resolve()))
    with _kept_open_lock:
        if key in _kept_open:
            _kept_open.move_to_end(key)
            return
        keeper = sqlite3.connect(str(path), check_same_thread=False)
        # A connection only joins the WAL (and counts as open) once it has read.
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
        _kept_open[key] = keeper
        while len(_kept_open) > MAX_KEPT_OPEN:
            _, oldest = _kept_open.popitem(last=False)
            oldest.close()


def _dump(state: Mapping[str, Any]) -> str:
    return json.dumps(dict(state), sort_keys=True, separators=(",", ":"))


def _get(conn: sqlite3.Connection, resource_id: str) -> SandboxRecord | None:
    found = _select(conn, "WHERE r.id = ?", (resource_id,))
    return found[0] if found else None


def _select(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> list[SandboxRecord]:
    rows = conn.execute(
        "SELECT r.id, r.type, r.name, r.state, r.created_at, r.updated_at, "
        "(SELECT json_group_array(ref_id) FROM refs WHERE refs.id = r.id) "
        f"FROM resources AS r {where} ORDER BY r.created_at, r.rowid",
        params,
    ).fetchall()
    return [
        SandboxRecord(
            id=row[0],
            type=row[1],
            name=row[2],
            state=json.loads(row[3]),
            refs=tuple(sorted(json.loads(row[6]))),
            created_at=row[4],
            updated_at=row[5],
        )
        for row in rows
    ]
