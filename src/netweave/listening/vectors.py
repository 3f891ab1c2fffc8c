"""The semantic index's storage, without numpy or a model: hashes, pruning, sqlite-vec.

Vectors live in ``semantic_index`` (migration 0008) as float32 bytes, one row per text of the
ledger (``source='interaction'``) or of a note (``source='note'``). This module holds what the
rest of netweave needs even when the ``embeddings`` extra is not installed: forgetting a person
prunes the vectors of texts that are gone or were redacted (:func:`prune`), and the scan backend
is chosen here (:func:`sqlite_vec_usable`).

    >>> sorted(SOURCES)
    ['interaction', 'note']
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..store import schema

__all__ = ["load_sqlite_vec", "prune", "sqlite_vec_usable", "text_hash"]

# which texts each source embeds: (table, id column, text column)
SOURCES: dict[str, tuple[sa.Table, str, str]] = {
    "interaction": (schema.interactions, "interaction_id", "text"),
    "note": (schema.notes, "note_id", "text"),
}


def text_hash(text: str) -> str:
    """A short fingerprint of a text: the indexer re-embeds a text whose hash changed.

    >>> len(text_hash("python packaging")), text_hash("a") == text_hash("a")
    (32, True)
    """
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def sqlite_vec_usable() -> bool:
    """Whether SQLite scans can run in sqlite-vec: the extra is installed and this Python's
    sqlite3 can load extensions (many builds, e.g. some pyenv ones, cannot). Setting
    ``NETWEAVE_SQLITE_VEC=0`` forces the numpy scan.

    >>> isinstance(sqlite_vec_usable(), bool)
    True
    """
    if os.environ.get("NETWEAVE_SQLITE_VEC", "1") == "0":
        return False
    if not hasattr(sqlite3.Connection, "enable_load_extension"):
        return False
    try:
        import sqlite_vec  # noqa: F401
    except ImportError:
        return False
    return True


def load_sqlite_vec(conn: Connection) -> bool:
    """Load sqlite-vec into the SQLite connection behind ``conn`` (once per connection).

    Returns False, changing nothing, where it cannot be loaded: the caller scans with numpy.
    """
    if conn.dialect.name != "sqlite" or not sqlite_vec_usable():
        return False
    raw: Any = conn.connection.dbapi_connection
    try:
        raw.execute("SELECT vec_version()").fetchone()
        return True
    except sqlite3.OperationalError:
        pass
    import sqlite_vec

    try:
        raw.enable_load_extension(True)
        try:
            sqlite_vec.load(raw)
        finally:
            raw.enable_load_extension(False)
    except (sqlite3.OperationalError, AttributeError):
        return False
    return True


def prune(conn: Connection, workspace_id: str, *, redacted: str | None = None) -> int:
    """Delete the vectors of texts that no longer exist and, with ``redacted``, of texts now
    containing that marker whose text changed since they were embedded. Returns rows deleted.

    Forgetting a person deletes posts addressed to them and blanks their handles out of what
    others wrote; the vectors of those texts go with them (the next index re-embeds the
    redacted ones).

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> with store.transaction() as conn:
    ...     prune(conn, store.workspace_id, redacted="[forgotten]")
    0
    """
    s = schema.semantic_index
    removed = 0
    for source, (table, key, column) in SOURCES.items():
        exists = (
            sa.select(sa.literal(1))
            .select_from(table)
            .where(table.c.workspace_id == s.c.workspace_id, table.c[key] == s.c.item_id)
            .exists()
        )
        gone = sa.delete(s).where(s.c.workspace_id == workspace_id, s.c.source == source, ~exists)
        removed += conn.execute(gone).rowcount or 0
        if redacted is None:
            continue
        rows = conn.execute(
            sa.select(s.c.item_id, s.c.text_hash, table.c[column])
            .join(
                table,
                sa.and_(table.c.workspace_id == s.c.workspace_id, table.c[key] == s.c.item_id),
            )
            .where(
                s.c.workspace_id == workspace_id,
                s.c.source == source,
                table.c[column].contains(redacted, autoescape=True),
            )
        ).all()
        stale = [item for item, digest, text in rows if text_hash(text or "") != digest]
        for start in range(0, len(stale), 500):
            removed += (
                conn.execute(
                    sa.delete(s).where(
                        s.c.workspace_id == workspace_id,
                        s.c.source == source,
                        s.c.item_id.in_(stale[start : start + 500]),
                    )
                ).rowcount
                or 0
            )
    return removed
