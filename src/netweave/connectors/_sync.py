"""What every connector shares: its cursor in ``sync_state``, one transaction per page, the report.

A page of rows and the cursor it advances are written in one transaction (the importers' own
saver, :func:`netweave.importers._save.save_rows`), so an interrupted sync keeps every page it
finished and the next run resumes after the last one.

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> save_page(store, "mastodon", Rows(), {"home.min_id": "110"})
    >>> load_state(store, "mastodon", "home.min_id")
    '110'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..config import Settings
from ..importers._base import Context, Rows
from ..importers._save import LEDGER_TABLES, Progress, _owner_context, save_rows
from ..store import Store, schema, utcnow

__all__ = ["Progress", "SyncReport", "load_state", "owner_context", "save_page"]


@dataclass
class SyncReport:
    """What one ``netweave sync`` did: items read per stream, rows added per table."""

    connector: str
    streams: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    added: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "streams": self.streams,
            "pages": self.pages,
            "added": self.added,
            "notes": self.notes,
        }


def ledger_counts(store: Store) -> dict[str, int]:
    """Rows per ledger table (to report what a sync added)."""
    counts = store.counts()
    return {t: counts[t] for t in LEDGER_TABLES}


def owner_context(store: Store, settings: Settings, file: str) -> Context:
    """The transform context the importers use: the owner's accounts known so far and config."""
    ctx = _owner_context(store, settings)
    ctx.file = file
    return ctx


def load_state(store: Store, connector: str, key: str) -> Any:
    """A connector's stored cursor (JSON-decoded), or None before the first sync."""
    st = schema.sync_state
    with store.connect() as conn:
        value = conn.execute(
            sa.select(st.c.value).where(
                st.c.workspace_id == store.workspace_id,
                st.c.connector == connector,
                st.c.key == key,
            )
        ).scalar_one_or_none()
    return json.loads(value) if value else None


def save_page(store: Store, connector: str, rows: Rows, state: dict[str, Any]) -> None:
    """Write one page of rows and the cursors it advances, together or not at all."""
    now = utcnow()
    with store.transaction():
        if len(rows):
            save_rows(store, rows)
        if state:
            store.upsert(
                schema.sync_state,
                [
                    {"connector": connector, "key": k, "value": json.dumps(v), "updated_at": now}
                    for k, v in state.items()
                ],
                on_conflict="replace",
            )
