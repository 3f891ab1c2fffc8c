"""Bulk first loads on SQLite: secondary indexes dropped while an empty table fills, then rebuilt.

Inserting a quarter of a million rows into a table with four secondary indexes costs about
twice what it costs without them: every row lands at a random point of each index. Building an
index once over the loaded table is a sort, far cheaper. So a bulk load into an *empty* table
may drop the table's plain (non-unique) indexes first and rebuild them afterwards.

Crash safety: the drop and a record of each dropped index's exact ``CREATE INDEX`` statement
(in ``sync_state``) commit together, and :func:`restore_indexes` runs after every migration
(each :meth:`Store.open`), so an interrupted load never leaves the schema short of an index:
the next open rebuilds it from the recorded statement, identical to the migration-built one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from ._engine import Store

__all__ = ["defer_indexes", "restore_indexes"]

_CONNECTOR = "store"
_KEY = "deferred_indexes"


def _recorded(conn: Connection) -> dict[str, str]:
    rows = conn.exec_driver_sql(
        "SELECT value FROM sync_state WHERE connector = ? AND key = ?", (_CONNECTOR, _KEY)
    ).all()
    out: dict[str, str] = {}
    for (value,) in rows:
        out.update(json.loads(value or "{}"))
    return out


def defer_indexes(store: Store, table: str) -> list[str]:
    """Drop ``table``'s plain secondary indexes if the table is empty (SQLite only); return
    their names. :func:`restore_indexes` rebuilds them.

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> sorted(defer_indexes(store, "interactions"))[:2]
    ['ix_interactions_actor', 'ix_interactions_target']
    >>> restore_indexes(store)
    3
    """
    if store.dialect != "sqlite":
        return []
    with store.transaction() as conn:
        if conn.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first() is not None:
            return []
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql LIKE 'CREATE INDEX %' ORDER BY name",
            (table,),
        ).all()
        if not found:
            return []
        pending = _recorded(conn) | {str(name): str(sql) for name, sql in found}
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO sync_state (workspace_id, connector, key, value, updated_at)"
            " VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            (store.workspace_id, _CONNECTOR, _KEY, json.dumps(pending, sort_keys=True)),
        )
        for name, _sql in found:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(name) for name, _sql in found]


def restore_indexes(store: Store) -> int:
    """Rebuild every index :func:`defer_indexes` dropped; return how many were rebuilt.

    Cheap when there is nothing to do (one indexed read).

    >>> from netweave.store import Store
    >>> restore_indexes(Store.open("sqlite://"))
    0
    """
    if store.dialect != "sqlite":
        return 0
    with store.connect() as conn:
        if not _recorded(conn):
            return 0
    rebuilt = 0
    with store.transaction() as conn:
        pending = _recorded(conn)
        for name, sql in sorted(pending.items()):
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).first()
            if exists is None:
                conn.exec_driver_sql(sql)
                rebuilt += 1
        conn.exec_driver_sql(
            "DELETE FROM sync_state WHERE connector = ? AND key = ?", (_CONNECTOR, _KEY)
        )
    return rebuilt
