"""The facts of ledger rows: who is on the other side, which way, how long, and the give/get label.

Labelling is pure Python work over each interaction's text (:func:`~.giving.classify`,
:func:`~.ties.intimacy_words`); :mod:`.health` has worker processes do it for a large ledger.
This module imports only what labelling needs, so such a worker starts small.

    >>> fact(("i1", "reply", "given", "twitter", "2024-01-01", "me", "ann", "Congrats!", None), [])
    ('ann', 'i1', 'given', 'reply', 'twitter', '2024-01-01', 9, 'giving', 'compliment', 1, None)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from .giving import classify
from .ties import intimacy_words

__all__ = ["FACT_COLUMNS", "PLAIN_SELECT", "fact", "facts_of", "labelled", "labelled_apart"]

EXCHANGE_KINDS = ("dm", "email", "reply", "comment", "mention", "meeting", "call")

FACT_COLUMNS = (
    "counterpart",
    "interaction_id",
    "direction",
    "kind",
    "platform",
    "occurred_at",
    "chars",
    "label",
    "reason",
    "intimacy",
    "thread_id",
)


def fact(row: Sequence[Any], domains: list[str]) -> tuple[Any, ...]:
    """The facts of one ledger row (id, kind, direction, platform, time, actor, target, text,
    thread), in :data:`FACT_COLUMNS` order (see the module's example)."""
    iid, kind, direction, platform, when, actor, target, text, thread = row
    if kind == "like":
        label, reason = "neutral", "like"
    else:
        c = classify(text, kind=kind, own_domains=domains)
        label, reason = c.label, c.reason
    counterpart = (target if direction == "given" else actor) or ""
    # intimacy words count only in exchanges with someone, not in broadcasts
    intimacy = intimacy_words(text) if kind in EXCHANGE_KINDS else 0
    return (
        counterpart,
        iid,
        direction,
        kind,
        platform,
        when,
        len(text or ""),
        label,
        reason,
        intimacy,
        thread,
    )


def _fact_key(row: tuple[Any, ...]) -> tuple[str, str]:
    return row[1], row[2]


PLAIN_SELECT = (
    "SELECT i.interaction_id, i.kind, i.direction, i.platform, i.occurred_at, "
    "i.actor_account, i.target_account, i.text, i.thread_id FROM interactions i "
    "WHERE +i.workspace_id = ?"
)


def facts_of(rows: list[Any], ws: str, domains: list[str]) -> list[tuple[Any, ...]]:
    """Facts rows of ledger rows, in primary-key order (the clustered table then grows at its
    end, not at random points).

    >>> row = ("i2", "like", "received", "twitter", "2024-01-02", "bob", "me", None, None)
    >>> facts_of([row], "ws", [])[0][:4]
    ('ws', 'bob', 'i2', 'received')
    """
    facts = [(ws, *fact(r, domains)) for r in rows]
    facts.sort(key=_fact_key)
    return facts


def labelled(
    cursor: Any, window: str, ws: str, ranges: list[tuple[int, int]], domains: list[str]
) -> Generator[list[tuple[Any, ...]], None, None]:
    """Facts rows of the ledger rows ``window`` selects, one list per rowid range."""
    for lo, hi in ranges:
        cursor.execute(window + " AND i.rowid > ? AND i.rowid <= ?", (ws, lo, hi))
        yield facts_of(cursor.fetchall(), ws, domains)


def labelled_apart(
    database: str, window: str, ws: str, ranges: list[tuple[int, int]], domains: list[str]
) -> Generator[list[tuple[Any, ...]], None, None]:
    """:func:`labelled` in a worker process, over a read-only connection of its own (it sees
    the committed ledger; the caller's open transaction has not changed it)."""
    conn = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield from labelled(conn.cursor(), window, ws, ranges, domains)
    finally:
        conn.close()
