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
from typing import Any, Final

from ask_components.errors import InputError
from ask_components.files import path_exists
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

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path

    def get(self, resource_id: str) -> SandboxRecord | None:
        """The resource with this id, or None."""
        return _get(self._conn, self._path, resource_id)

    def of_type(self, type_name: str) -> list[SandboxRecord]:
        """Every resource of a type, oldest first."""
        return _select(self._conn, self._path, "WHERE r.type = ?", (type_name,))

    def values(self, type_name: str, key: str) -> list[Any]:
        """One state key of every resource of a type (without decoding whole records)."""
        rows = self._conn.execute(
            "SELECT json_extract(state, ?) FROM resources WHERE type = ?", (f"$.{key}", type_name)
        ).fetchall()
        return [row[0] for row in rows]

    def referrers(self, resource_id: str) -> list[SandboxRecord]:
        """The resources that refer to ``resource_id``, oldest first."""
        return _select(
            self._conn,
            self._path,
            "WHERE r.id IN (SELECT id FROM refs WHERE ref_id = ?)",
            (resource_id,),
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
        busy_timeout_s: how long to wait for another process's write transaction (default
            :data:`BUSY_TIMEOUT_S`).
        create: make the store when the file is missing or empty (the providers); ``False``
            for the commands that only look at an existing store, which never write a file that
            is not already one.

    Raises:
        InputError: the file is not a sandbox store (not SQLite, another program's database, a
            newer schema, missing tables), or it cannot be opened, read or written (read-only,
            locked by another process), each said as such.
    """

    def __init__(
        self, path: str | Path, *, busy_timeout_s: float | None = None, create: bool = True
    ) -> None:
        self.path = Path(path)
        timeout = BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
        if not create:
            _check_existing(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise InputError(f"sandbox store {self.path} cannot be opened: {err}") from None
        try:
            # Threads of this process open a new store together (Pulumi registers resources from
            # a thread pool); switching a new file to WAL takes an exclusive lock that SQLite's
            # busy handler does not wait for, so they take turns here.
            with _writer_lock(self.path):
                self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                # Looked at before anything is written: a file that is not a store stays as it was.
                needs_schema = self._needs_schema(create)
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                if needs_schema:
                    self._create_schema()
        except sqlite3.Error as err:
            self._conn.close()
            raise store_error(self.path, err) from None
        except InputError:
            self._conn.close()
            raise
        _keep_open(self.path)

    def _needs_schema(self, create: bool) -> bool:
        """Whether the schema must be created (a new store); refuses what is not a store."""
        # One read transaction for both reads: another thread or process may be creating the
        # schema, and two snapshots could see its tables but not yet its user_version.
        self._conn.execute("BEGIN")
        try:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            tables = self._table_names()
        finally:
            self._conn.execute("COMMIT")
        if version == SCHEMA_VERSION:
            self._check_tables(tables)
            return False
        if version > SCHEMA_VERSION:
            raise InputError(
                f"sandbox store {self.path} has schema {version}; this version of "
                f"ask-components reads schema {SCHEMA_VERSION}: upgrade ask-components"
            )
        if tables or not create:
            raise self._foreign()
        return True

    def _foreign(self) -> InputError:
        return InputError(
            f"{self.path} is not a sandbox store: an SQLite database without the sandbox "
            "schema (another program's?)"
        )

    def _create_schema(self) -> None:
        # BEGIN IMMEDIATE: two processes opening a new store at once create the schema once.
        # (Not executescript: it would COMMIT the open transaction first.)
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the lock: another process may just have created it.
            if self._conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                if self._table_names():
                    raise self._foreign()
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._check_tables()

    def _table_names(self) -> set[str]:
        rows = self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(row[0]) for row in rows.fetchall()}

    def _check_tables(self, tables: set[str] | None = None) -> None:
        missing = sorted(_TABLES - (self._table_names() if tables is None else tables))
        if missing:
            raise InputError(
                f"{self.path} is not a sandbox store: it says schema {SCHEMA_VERSION} but has "
                f"no {' or '.join(missing)} table"
            )

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

        Raises:
            InputError: the store cannot be written (read-only, locked, full) or is damaged.
        """
        with _writer_lock(self.path), _sqlite_errors(self.path):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn, self.path)
                if _before_commit is not None:
                    _before_commit()
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def get(self, resource_id: str) -> SandboxRecord | None:
        """The resource with this id, or None."""
        with _sqlite_errors(self.path):
            return _get(self._conn, self.path, resource_id)

    def list(self, type_name: str | None = None) -> list[SandboxRecord]:
        """Every resource (of a type, when given), oldest first."""
        with _sqlite_errors(self.path):
            if type_name is None:
                return _select(self._conn, self.path, "", ())
            return _select(self._conn, self.path, "WHERE r.type = ?", (type_name,))

    def count(self) -> int:
        """How many resources the store holds (without reading them)."""
        with _sqlite_errors(self.path):
            found: int = self._conn.execute("SELECT count(*) FROM resources").fetchone()[0]
        return found

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


_TABLES: Final = frozenset({"resources", "refs"})

# SQLite's primary result codes (https://www.sqlite.org/rescode.html) that say why a store
# cannot be used, other than it not being one.
_READ_ONLY: Final = "SQLITE_READONLY"
_LOCKED: Final = ("SQLITE_BUSY", "SQLITE_LOCKED")
_NOT_A_STORE: Final = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def store_error(path: Path, err: sqlite3.Error) -> InputError:
    """An ``InputError`` that names the real cause of an SQLite failure on the store at ``path``.

    Args:
        path: the store.
        err: what SQLite raised (Python 3.11+ carries its result code name).
    """
    name = str(getattr(err, "sqlite_errorname", "") or "")
    if name.startswith(_READ_ONLY):
        return InputError(
            f"sandbox store {path} cannot be written: the file (or its folder) is read-only ({err})"
        )
    if name.startswith(_LOCKED):
        return InputError(
            f"sandbox store {path} is locked by another process (a running `pulumi up`?); "
            f"try again when it has finished ({err})"
        )
    if name.startswith(_NOT_A_STORE) or not name:
        return InputError(f"{path} is not a sandbox store: {err}")
    return InputError(f"sandbox store {path} cannot be used: {err}")


@contextlib.contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors on the store at ``path`` into an ``InputError`` with their cause."""
    try:
        yield
    except sqlite3.Error as err:
        raise store_error(path, err) from None


def _check_existing(path: Path) -> None:
    """Refuse what must not be opened as a store by a command that only looks: a folder, or an
    empty file (SQLite would make it a database)."""
    if not path_exists(path, "sandbox store"):
        raise InputError(f"no sandbox store at {path}")
    size = path.stat().st_size
    if path.is_dir():
        raise InputError(f"sandbox store {path} is a folder, not a file")
    if size == 0:
        raise InputError(f"{path} is not a sandbox store: the file is empty")


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


def _get(conn: sqlite3.Connection, path: Path, resource_id: str) -> SandboxRecord | None:
    found = _select(conn, path, "WHERE r.id = ?", (resource_id,))
    return found[0] if found else None


def _select(
    conn: sqlite3.Connection, path: Path, where: str, params: tuple[Any, ...]
) -> list[SandboxRecord]:
    rows = conn.execute(
        "SELECT r.id, r.type, r.name, r.state, r.created_at, r.updated_at, "
        "(SELECT json_group_array(ref_id) FROM refs WHERE refs.id = r.id) "
        f"FROM resources AS r {where} ORDER BY r.created_at, r.rowid",
        params,
    ).fetchall()
    return [_record(path, row) for row in rows]


def _record(path: Path, row: Sequence[Any]) -> SandboxRecord:
    """One row as a record; a row no sandbox provider could have written is an ``InputError``
    (SQLite keeps whatever another tool stores in a column)."""
    resource_id, type_name, name, state_text, created_at, updated_at, refs_text = row
    where = f"sandbox store {path}: resource {resource_id!r}"
    fix = "remove it with `askc sandbox reset` (or restore the file)"
    texts = (resource_id, type_name, name, created_at, updated_at)
    if not all(isinstance(text, str) for text in texts):
        raise InputError(f"{where} is damaged (a column that is not text); {fix}")
    try:
        state = json.loads(state_text) if isinstance(state_text, str | bytes) else None
    except ValueError as err:  # JSONDecodeError, and bytes that are not UTF-8
        raise InputError(f"{where} has a state that is not JSON ({err}); {fix}") from None
    if not isinstance(state, dict):
        shown = "null" if state is None else type(state).__name__
        raise InputError(f"{where} has a state that is not a JSON object ({shown}); {fix}")
    return SandboxRecord(
        id=resource_id,
        type=type_name,
        name=name,
        state=state,
        refs=tuple(sorted(str(ref) for ref in json.loads(refs_text))),
        created_at=created_at,
        updated_at=updated_at,
    )
