"""What the owner learns about people: notes with kinds, "what they need" first, and prompts
when nothing new was learned about a close person for a long time (seed 004: "take the time to
learn more about them on a regular basis").

    >>> from netweave.store import Store
    >>> NOTE_KINDS[:2]
    ('need', 'life_event')
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..identity.people import person_name
from ..store import Store, make_id, schema, utcnow

__all__ = ["NOTE_KINDS", "add_note", "notes_for", "nothing_learned"]

# Display order: what they need comes first.
NOTE_KINDS = ("need", "life_event", "interest", "fact", "note")


def add_note(
    store: Store, person_id: str, text: str, kind: str = "note", when: datetime | None = None
) -> str:
    """Record a note about a person; returns the note id."""
    if kind not in NOTE_KINDS:
        raise InputError("", None, f"unknown note kind {kind!r}; use {', '.join(NOTE_KINDS)}")
    if not text.strip():
        raise InputError("", None, "a note needs some text")
    when = when or utcnow()
    with store.transaction() as conn:
        person_name(conn, store.workspace_id, person_id)
        note_id = make_id("note", person_id, kind, text.strip(), when.isoformat())
        store.upsert(
            schema.notes,
            [
                {
                    "note_id": note_id,
                    "person_id": person_id,
                    "kind": kind,
                    "text": text.strip(),
                    "created_at": when,
                }
            ],
        )
    return note_id


def notes_for(store: Store, person_id: str) -> list[dict[str, Any]]:
    """A person's notes, needs first, then life events, interests, facts, notes; newest first
    within a kind."""
    with store.connect() as conn:
        rows = conn.execute(
            _notes_statement(store.workspace_id), {"person_id": person_id}
        ).mappings()
        return [dict(r) for r in rows]


@lru_cache(maxsize=64)
def _notes_statement(ws: str) -> sa.Select[Any]:
    """Built once per workspace (the person bound at execution): it serves every person page."""
    n = schema.notes
    order = sa.case({k: i for i, k in enumerate(NOTE_KINDS)}, value=n.c.kind)
    return (
        sa.select(n.c.note_id, n.c.kind, n.c.text, n.c.created_at)
        .where(n.c.workspace_id == ws, n.c.person_id == sa.bindparam("person_id"))
        .order_by(order, n.c.created_at.desc())
    )


def nothing_learned(
    store: Store, *, days: int = 90, circles: tuple[int, ...] = (5, 15), now: datetime | None = None
) -> list[dict[str, Any]]:
    """Close people (by set or suggested circle) with no note newer than ``days``."""
    now = now or utcnow()
    p, n, ts = schema.people, schema.notes, schema.tie_scores
    ws = store.workspace_id
    latest = (
        sa.select(n.c.person_id, sa.func.max(n.c.created_at).label("last_note"))
        .where(n.c.workspace_id == ws)
        .group_by(n.c.person_id)
        .subquery()
    )
    circle = sa.func.coalesce(p.c.circle, ts.c.suggested_circle)
    q = (
        sa.select(p.c.person_id, p.c.display_name, circle.label("circle"), latest.c.last_note)
        .select_from(
            p.outerjoin(
                ts, sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
            ).outerjoin(latest, latest.c.person_id == p.c.person_id)
        )
        .where(
            p.c.workspace_id == ws,
            ~p.c.is_owner,
            circle.in_(circles),
            sa.or_(latest.c.last_note.is_(None), latest.c.last_note < now - timedelta(days=days)),
        )
        .order_by(circle, p.c.display_name, p.c.person_id)
    )
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]
