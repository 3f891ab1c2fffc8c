"""Things that happened off the platforms: a call, a meeting, an email, logged by hand.

A logged interaction goes into the same ledger as imported ones, so it resets the keep-in-touch
clock like any other contact (the most requested fix in personal CRMs). It is written between
the owner's and the person's ``manual`` accounts, which belong to them by construction.

    >>> LOG_KINDS
    ('meeting', 'call', 'email', 'dm', 'comment')
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from ..errors import InputError
from ..identity.people import person_name
from ..store import Store, make_id, schema, utcnow

__all__ = ["LOG_KINDS", "log_interaction", "set_cadence", "set_circle"]

LOG_KINDS = ("meeting", "call", "email", "dm", "comment")
CIRCLE_SIZES = (5, 15, 50, 150)


def log_interaction(
    store: Store,
    person_id: str,
    kind: str = "meeting",
    *,
    when: datetime | None = None,
    text: str | None = None,
    from_them: bool = False,
) -> str:
    """Record an offline interaction with a person; returns the interaction id.

    ``from_them`` marks it as received (they called, they wrote) rather than given.
    """
    if kind not in LOG_KINDS:
        raise InputError("", None, f"unknown kind {kind!r}; use {', '.join(LOG_KINDS)}")
    when = when or utcnow()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when > utcnow():
        raise InputError("", None, f"{when.date()} is in the future; log what happened")
    ws = store.workspace_id
    now = utcnow()
    with store.transaction() as conn:
        name = person_name(conn, ws, person_id)
        owner = make_id("account", "manual", "self")
        theirs = make_id("account", "manual", person_id)
        store.upsert(
            schema.accounts,
            [
                {
                    "account_id": owner,
                    "platform": "manual",
                    "key": "self",
                    "is_owner": True,
                    "display_name": "me",
                },
                {
                    "account_id": theirs,
                    "platform": "manual",
                    "key": person_id,
                    "display_name": name,
                    "first_seen": when,
                    "last_seen": when,
                },
            ],
        )
        store.upsert(
            schema.account_links,
            [
                {
                    "account_id": theirs,
                    "person_id": person_id,
                    "method": "manual",
                    "score": 1.0,
                    "evidence": {"reasons": ["logged by hand"]},
                    "created_at": now,
                }
            ],
            on_conflict="nothing",
        )
        iid = make_id("interaction", "manual", kind, person_id, when.isoformat(), text or "")
        actor, target = (theirs, owner) if from_them else (owner, theirs)
        store.upsert(
            schema.interactions,
            [
                {
                    "interaction_id": iid,
                    "platform": "manual",
                    "kind": kind,
                    "actor_account": actor,
                    "target_account": target,
                    "occurred_at": when,
                    "text": text,
                    "direction": "received" if from_them else "given",
                }
            ],
        )
        p = schema.people
        conn.execute(
            sa.update(p)
            .where(p.c.workspace_id == ws, p.c.person_id == person_id)
            .values(updated_at=now)
        )
    return iid


def set_circle(store: Store, person_id: str, circle: int | None) -> None:
    """Place a person in a Dunbar circle (5, 15, 50, 150), or None to follow the suggestion."""
    if circle is not None and circle not in CIRCLE_SIZES:
        raise InputError("", None, f"circle must be one of {CIRCLE_SIZES}")
    _update_person(store, person_id, circle=circle)


def set_cadence(
    store: Store, person_id: str, ideal_days: int | None, max_days: int | None = None
) -> None:
    """Override how often to be in touch: an ideal interval and a maximum (days)."""
    if ideal_days is not None and ideal_days < 1:
        raise InputError("", None, "the ideal interval is at least one day")
    if max_days is not None and ideal_days is not None and max_days < ideal_days:
        raise InputError("", None, "the maximum interval cannot be shorter than the ideal")
    _update_person(store, person_id, cadence_days=ideal_days, cadence_max_days=max_days)


def _update_person(store: Store, person_id: str, **values: object) -> None:
    p = schema.people
    with store.transaction() as conn:
        person_name(conn, store.workspace_id, person_id)
        conn.execute(
            sa.update(p)
            .where(p.c.workspace_id == store.workspace_id, p.c.person_id == person_id)
            .values(updated_at=utcnow(), **values)
        )
