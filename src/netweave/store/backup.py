"""Backup and restore, verified by per-table checksums.

Three backup formats, chosen by the database unless asked for:

- ``sqlite``: a SQLite file made with SQLite's online backup API (consistent while others
  write), checked with ``PRAGMA integrity_check``;
- ``pg_dump``: a data-only ``pg_dump`` of the PostgreSQL schema, restored with ``psql`` in one
  transaction (used when ``pg_dump`` is on PATH);
- ``jsonl``: netweave's portable JSON-lines dump (:mod:`.portable`), for either backend.

A backup is written to a temporary name and renamed when complete, so a failed backup never
leaves a file that looks whole. A restore refuses a database that already holds data unless
forced, and compares every table's rows and checksum with what the backup recorded.

    >>> detect_format(b"SQLite format 3\\x00...")
    'sqlite'
    >>> detect_format(b'{"format":"netweave-dump","version":1}')
    'jsonl'
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
import sqlalchemy as sa

from ..errors import InputError, StoreError
from . import portable
from ._engine import Store
from .portable import TableSum

__all__ = ["BackupReport", "backup", "detect_format", "restore"]

Format = Literal["auto", "sqlite", "pg_dump", "jsonl"]
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PGDUMP_MAGIC = b"-- netweave-pgdump "


@dataclass
class BackupReport:
    """What a backup or restore did: the file, its format, and each table's rows and checksum."""

    path: str
    format: str
    tables: dict[str, TableSum] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON.

        >>> BackupReport("b.db", "sqlite", {"people": TableSum(1, "ab")}).as_dict()["rows"]
        1
        """
        return {
            "path": self.path,
            "format": self.format,
            "rows": sum(s.rows for s in self.tables.values()),
            "tables": {k: v.as_dict() for k, v in self.tables.items()},
        }


def detect_format(head: bytes) -> str | None:
    """The backup format a file starts with, or None.

    >>> detect_format(b"-- netweave-pgdump {}") is None, detect_format(b"hello")
    (False, None)
    """
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(b'{"format":"netweave-dump"'):
        return "jsonl"
    if head.startswith(_PGDUMP_MAGIC):
        return "pg_dump"
    return None


def _sqlite_file(store: Store) -> Path:
    name = store.engine.url.database
    if not name or name == ":memory:":
        raise InputError("", None, "an in-memory database cannot be backed up or restored")
    return Path(name)


def _readonly_uri(path: Path) -> str:
    return f"{path.absolute().as_uri()}?mode=ro".replace("file://", "file:", 1)


def _readonly_engine(path: Path) -> sa.Engine:
    uri = _readonly_uri(path)
    return sa.create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        poolclass=sa.pool.NullPool,
    )


def _integrity(conn: sqlite3.Connection, where: str) -> None:
    result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise StoreError(f"{where}: integrity check failed: {'; '.join(result[:3])}")


def _sums_of_file(path: Path) -> dict[str, TableSum]:
    engine = _readonly_engine(path)
    try:
        with engine.connect() as conn:
            return portable.table_sums(conn)
    finally:
        engine.dispose()


# --- backup ---------------------------------------------------------------------------------------


def backup(store: Store, path: Path, *, fmt: Format = "auto", force: bool = False) -> BackupReport:
    """Back the whole database (every workspace) up into ``path``.

    ``auto`` picks ``sqlite`` for SQLite and ``pg_dump`` (or ``jsonl`` without it) for
    PostgreSQL. Refuses to overwrite an existing file unless ``force``.
    """
    store.require_admin("a backup of every workspace")
    if fmt == "auto":
        if store.dialect == "sqlite":
            fmt = "sqlite"
        else:
            fmt = "pg_dump" if shutil.which("pg_dump") else "jsonl"
    if fmt == "sqlite" and store.dialect != "sqlite":
        raise InputError("", None, "a sqlite backup needs a SQLite database; use jsonl")
    if fmt == "pg_dump" and store.dialect != "postgresql":
        raise InputError("", None, "pg_dump backs up PostgreSQL only; use sqlite or jsonl")
    if path.exists() and not force:
        raise InputError(str(path), None, "exists; add --force to overwrite it")
    if path.is_dir():
        raise InputError(str(path), None, "is a directory; name a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "sqlite":
            sums = _backup_sqlite(store, tmp)
        elif fmt == "pg_dump":
            sums = _backup_pg_dump(store, tmp)
        else:
            with tmp.open("wb") as out:
                sums = portable.dump_jsonl(store, out)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupReport(str(path), fmt, sums)


def _backup_sqlite(store: Store, tmp: Path) -> dict[str, TableSum]:
    source = sqlite3.connect(_sqlite_file(store), timeout=30)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        # one self-contained file: no -wal sidecar needed to read the backup
        target.execute("PRAGMA journal_mode=DELETE")
        _integrity(target, str(tmp))
    finally:
        target.close()
        source.close()
    return _sums_of_file(tmp)


def _conninfo(store: Store) -> str:
    return store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _current_schema(conn: sa.Connection) -> str:
    return str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())


def _backup_pg_dump(store: Store, tmp: Path) -> dict[str, TableSum]:
    raw = tmp.with_suffix(".sql")
    try:
        # pg_dump reads the exported snapshot, so the dump and the checksums see the same data
        with portable.snapshot(store) as conn:
            snap = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            where = _current_schema(conn)
            sums = portable.table_sums(conn)
            version = store.schema_version()
            _run(
                [
                    "pg_dump",
                    "--data-only",
                    "--no-owner",
                    "--no-privileges",
                    f"--schema={where}",
                    f"--exclude-table={where}.alembic_version",
                    f"--snapshot={snap}",
                    f"--file={raw}",
                    f"--dbname={_conninfo(store)}",
                ],
                "pg_dump",
            )
        header = {
            "schema": where,
            "schema_version": version,
            "tables": {k: v.as_dict() for k, v in sums.items()},
        }
        with tmp.open("wb") as out, raw.open("rb") as dump:
            out.write(_PGDUMP_MAGIC + orjson.dumps(header) + b"\n")
            shutil.copyfileobj(dump, out)
    finally:
        raw.unlink(missing_ok=True)
    return sums


def _run(args: list[str], tool: str) -> None:
    if shutil.which(args[0]) is None:
        raise StoreError(f"{tool} is not on PATH; install the PostgreSQL client tools")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["failed"])[0]
        raise StoreError(f"{tool}: {first}")


# --- restore --------------------------------------------------------------------------------------


def restore(store: Store, path: Path, *, force: bool = False) -> BackupReport:
    """Restore a backup made by :func:`backup` into ``store``, then verify it table by table.

    A SQLite file restores into SQLite (online backup API) or PostgreSQL (copied in
    foreign-key order); a JSON-lines dump into either; a pg_dump backup into PostgreSQL.
    """
    store.require_admin("restoring a backup")
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError as exc:
        raise InputError(str(path), None, exc.strerror or "cannot be read") from None
    fmt = detect_format(head)
    if fmt is None:
        raise InputError(str(path), None, "not a netweave backup (sqlite, pg_dump or jsonl)")
    if fmt == "jsonl":
        with path.open("rb") as f:
            sums = portable.load_jsonl(store, f, file=str(path), force=force)
    elif fmt == "pg_dump":
        sums = _restore_pg_dump(store, path, force)
    elif store.dialect == "sqlite":
        sums = _restore_sqlite(store, path, force)
    else:
        sums = _copy_sqlite_file(store, path, force)
    return BackupReport(str(path), fmt, sums)


def _check_source_file(path: Path) -> None:
    conn = sqlite3.connect(_readonly_uri(path), uri=True)
    try:
        _integrity(conn, str(path))
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_version:
            raise InputError(str(path), None, "is a SQLite file but not a netweave database")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InputError(str(path), None, f"cannot be read as SQLite: {exc}") from None
    finally:
        conn.close()
    if version is None or version[0] > Store.head_revision():
        raise InputError(str(path), None, "was written by a newer netweave; upgrade first")


def _restore_sqlite(store: Store, path: Path, force: bool) -> dict[str, TableSum]:
    _check_source_file(path)
    target_file = _sqlite_file(store)
    if target_file.exists() and target_file.samefile(path):
        raise InputError(str(path), None, "is the database itself")
    with store.connect() as conn:
        if not force and portable.holds_data(conn):
            raise InputError(store.location, None, "already holds data; add --force to replace")
    store.close()
    source = sqlite3.connect(_readonly_uri(path), uri=True)
    target = sqlite3.connect(target_file, timeout=30)
    try:
        # one step: the whole copy is a single transaction on the target
        source.backup(target)
        _integrity(target, store.location)
    finally:
        target.close()
        source.close()
    store.upgrade()  # a backup from an older version is brought to the current schema
    expected = _sums_of_file(path)
    got = portable.fingerprint(store)
    if store.schema_version() == _file_version(path):
        # fingerprints compare only when no migration changed the data in between
        portable.verify_sums(expected, got, "the restored data")
    return got


def _file_version(path: Path) -> str | None:
    engine = _readonly_engine(path)
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return None if row is None else str(row[0])
    finally:
        engine.dispose()


def _copy_sqlite_file(store: Store, path: Path, force: bool) -> dict[str, TableSum]:
    _check_source_file(path)
    engine = _readonly_engine(path)
    try:
        return portable.copy_database(Store(engine, str(path)), store, force=force)
    finally:
        engine.dispose()


def _restore_pg_dump(store: Store, path: Path, force: bool) -> dict[str, TableSum]:
    if store.dialect != "postgresql":
        raise InputError(str(path), None, "a pg_dump backup restores into PostgreSQL only")
    with path.open("rb") as f:
        try:
            header = orjson.loads(f.readline()[len(_PGDUMP_MAGIC) :])
            source_schema = str(header["schema"])
            expected = {k: TableSum(v["rows"], v["sha256"]) for k, v in header["tables"].items()}
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise InputError(str(path), "line 1", "damaged pg_dump header") from None
        if header.get("schema_version") != store.schema_version():
            raise InputError(
                str(path),
                None,
                f"backup has schema {header.get('schema_version')}, "
                f"this database {store.schema_version()}",
            )
        with store.connect() as conn:
            if not force and portable.holds_data(conn):
                raise InputError(store.location, None, "already holds data; add --force to replace")
            target_schema = _current_schema(conn)
        fd, script_name = tempfile.mkstemp(suffix=".sql")
        script = Path(script_name)
        try:
            with os.fdopen(fd, "wb") as out:
                names = ", ".join(f'"{target_schema}"."{t.name}"' for t in portable.tables())
                out.write(f"TRUNCATE {names} CASCADE;\n".encode())
                old, new = f"COPY {source_schema}.".encode(), f'COPY "{target_schema}".'.encode()
                for line in f:
                    out.write(new + line[len(old) :] if line.startswith(old) else line)
            _run(
                [
                    "psql",
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "--single-transaction",
                    f"--file={script}",
                    f"--dbname={_conninfo(store)}",
                ],
                "psql",
            )
        finally:
            script.unlink(missing_ok=True)
    got = portable.fingerprint(store)
    portable.verify_sums(expected, got, "the restored data")
    return got
