"""The connection audit: decide, one by one, why each connection is in your network.

Seed 004: "I went through my connections and asked why I was connected to each one: some I
kept, some I moved over to Pages, some I dropped." The queue holds every person without a
recorded reason (``people.reason_connected``) and without a standing decision, oldest
connection first, then weakest tie. A decision is one of

- ``keep`` with a reason (stored as the person's ``reason_connected``),
- ``move`` to a list, page or interest (the person joins it),
- ``drop``: a mark only. Nothing about the person is deleted; their interactions stay in the
  ledger, and a dropped person leaves the audit queue, partner suggestions and the agenda.

Every decision is a dated row in ``audit_decisions`` with what it changed, so :func:`undo`
restores the state before the latest decision and marks that decision undone (never deletes
it). The queue is resumable: it is recomputed from what is decided.

    >>> from netweave.store import Store
    >>> summary(Store.open("sqlite://"))["remaining"]
    0
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..identity.ops import find_person
from ..relationships.lists import LIST_KINDS, add_to_list, create_list, find_list
from ..store import Store, make_id, schema, utcnow

__all__ = [
    "DECISIONS",
    "AuditItem",
    "decide",
    "decisions",
    "dropped",
    "queue",
    "summary",
    "undo",
]

DECISIONS = ("keep", "move", "drop")
MOVE_KINDS = tuple(k for k in LIST_KINDS if k != "circle")


@dataclass
class AuditItem:
    """One connection waiting for a decision, with what is known about it."""

    person_id: str
    name: str
    connected_since: datetime | None
    strength: float
    last_contact: datetime | None
    interactions: int

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _active(ws: str) -> Any:
    """The standing decisions (not undone), one per person: the latest."""
    d = schema.audit_decisions
    latest = (
        sa.select(d.c.person_id, sa.func.max(d.c.decided_at).label("at"))
        .where(d.c.workspace_id == ws, d.c.undone_at.is_(None))
        .group_by(d.c.person_id)
        .subquery()
    )
    return (
        sa.select(d.c.person_id, d.c.decision, d.c.reason, d.c.list_id, d.c.decided_at)
        .join(latest, sa.and_(latest.c.person_id == d.c.person_id, latest.c.at == d.c.decided_at))
        .where(d.c.workspace_id == ws, d.c.undone_at.is_(None))
    )


def dropped(store: Store) -> set[str]:
    """Ids of the people whose standing audit decision is ``drop``.

    >>> from netweave.store import Store
    >>> dropped(Store.open("sqlite://"))
    set()
    """
    q = _active(store.workspace_id).subquery()
    with store.connect() as conn:
        return set(conn.execute(sa.select(q.c.person_id).where(q.c.decision == "drop")).scalars())


def queue(store: Store, *, limit: int | None = None) -> list[AuditItem]:
    """Connections without a recorded reason or decision: oldest first, then weakest.

    A connection's age is its earliest edge with one of the person's accounts (``since``, else
    ``first_seen``), else the first contact in the ledger, else when netweave first saw them.

    >>> from netweave.store import Store
    >>> queue(Store.open("sqlite://"), limit=5)
    []
    """
    p, ts, e, link = schema.people, schema.tie_scores, schema.edges, schema.account_links
    ws = store.workspace_id
    decided = _active(ws).subquery()
    edge_since = (
        sa.select(
            link.c.person_id,
            sa.func.min(sa.func.coalesce(e.c.since, e.c.first_seen)).label("since"),
        )
        .select_from(
            link.join(
                e,
                sa.and_(
                    e.c.workspace_id == link.c.workspace_id,
                    sa.or_(
                        e.c.to_account == link.c.account_id, e.c.from_account == link.c.account_id
                    ),
                ),
            )
        )
        .where(link.c.workspace_id == ws, e.c.kind != "blocked")
        .group_by(link.c.person_id)
        .subquery()
    )
    # the earlier of the first edge and the first contact, else when netweave met them
    # (spelled with CASE: SQLite's min() and PostgreSQL's least() treat NULL differently)
    first = sa.case(
        (edge_since.c.since.is_(None), ts.c.first_contact),
        (ts.c.first_contact.is_(None), edge_since.c.since),
        (edge_since.c.since <= ts.c.first_contact, edge_since.c.since),
        else_=ts.c.first_contact,
    )
    since = sa.func.coalesce(first, p.c.created_at).label("since")
    strength = sa.func.coalesce(ts.c.strength, 0.0)
    q = (
        sa.select(
            p.c.person_id,
            p.c.display_name,
            since,
            strength.label("strength"),
            ts.c.last_contact,
            ts.c.interactions,
        )
        .select_from(
            p.outerjoin(
                ts, sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
            )
            .outerjoin(edge_since, edge_since.c.person_id == p.c.person_id)
            .outerjoin(decided, decided.c.person_id == p.c.person_id)
        )
        .where(
            p.c.workspace_id == ws,
            ~p.c.is_owner,
            sa.or_(p.c.reason_connected.is_(None), p.c.reason_connected == ""),
            decided.c.person_id.is_(None),
        )
        .order_by(since, strength, sa.func.lower(p.c.display_name), p.c.person_id)
        .limit(limit)
    )
    with store.connect() as conn:
        return [
            AuditItem(
                r.person_id,
                r.display_name,
                r.since,
                float(r.strength or 0.0),
                r.last_contact,
                int(r.interactions or 0),
            )
            for r in conn.execute(q)
        ]


def decide(
    store: Store,
    person: str,
    decision: str,
    *,
    reason: str | None = None,
    to: str | None = None,
    kind: str = "list",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record a decision about one person (name, handle or id) and apply it.

    ``keep`` needs a reason; ``move`` needs ``to``, a list name (created with ``kind`` list,
    page or interest when it does not exist yet); ``drop`` only marks.

    >>> from netweave.store import Store
    >>> decide(Store.open("sqlite://"), "Ada", "wave")
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: unknown decision 'wave'; use keep, move, drop
    """
    if decision not in DECISIONS:
        raise InputError("", None, f"unknown decision {decision!r}; use {', '.join(DECISIONS)}")
    reason = (reason or "").strip() or None
    if decision == "keep" and not reason:
        raise InputError("", None, "keep needs a reason: why are you connected?")
    if decision == "move" and not (to or "").strip():
        raise InputError("", None, "move needs --to LIST (a list, page or interest)")
    if decision == "move" and kind not in MOVE_KINDS:
        raise InputError("", None, f"unknown kind {kind!r}; use {', '.join(MOVE_KINDS)}")
    who = find_person(store, person)
    pid = str(who["person_id"])
    if who.get("is_owner"):
        raise InputError("", None, "that is you: the audit is about your connections")
    now = now or utcnow()
    p, lm = schema.people, schema.list_members
    ws = store.workspace_id
    list_id: str | None = None
    previous: dict[str, Any] = {}
    with store.transaction() as conn:
        previous["reason_connected"] = conn.execute(
            sa.select(p.c.reason_connected).where(p.c.workspace_id == ws, p.c.person_id == pid)
        ).scalar_one()
        if decision == "move":
            assert to is not None
            try:
                target = find_list(store, to)
                if to.strip().lower() not in {target["name"].lower(), target["list_id"]}:
                    raise NotFound("list", to)  # a prefix of another list: a new list
            except (NotFound, InputError):  # no list of that exact name yet
                target = create_list(store, to, kind)
            list_id = str(target["list_id"])
            member = conn.execute(
                sa.select(sa.literal(1)).where(
                    lm.c.workspace_id == ws,
                    lm.c.list_id == list_id,
                    lm.c.member_type == "person",
                    lm.c.member_id == pid,
                )
            ).first()
            previous["added_to_list"] = member is None
            add_to_list(store, list_id, pid)
        if decision == "keep" or (decision == "move" and reason):
            conn.execute(
                sa.update(p)
                .where(p.c.workspace_id == ws, p.c.person_id == pid)
                .values(reason_connected=reason, updated_at=now)
            )
        decision_id = make_id("audit", pid, decision, now.isoformat())
        store.upsert(
            schema.audit_decisions,
            [
                {
                    "decision_id": decision_id,
                    "person_id": pid,
                    "decision": decision,
                    "reason": reason,
                    "list_id": list_id,
                    "decided_at": now,
                    "previous": previous,
                    "undone_at": None,
                }
            ],
            on_conflict="replace",
        )
    return {
        "decision_id": decision_id,
        "person_id": pid,
        "name": who["display_name"],
        "decision": decision,
        "reason": reason,
        "list_id": list_id,
        "decided_at": now,
    }


def undo(store: Store, *, now: datetime | None = None) -> dict[str, Any]:
    """Undo the latest standing decision: restore what it changed, mark it undone.

    >>> from netweave.store import Store
    >>> undo(Store.open("sqlite://"))
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: no audit decision to undo
    """
    d, p, lm = schema.audit_decisions, schema.people, schema.list_members
    ws = store.workspace_id
    with store.transaction() as conn:
        row = (
            conn.execute(
                sa.select(d)
                .where(d.c.workspace_id == ws, d.c.undone_at.is_(None))
                .order_by(d.c.decided_at.desc(), d.c.decision_id.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise InputError("", None, "no audit decision to undo")
        name = conn.execute(
            sa.select(p.c.display_name).where(
                p.c.workspace_id == ws, p.c.person_id == row["person_id"]
            )
        ).scalar_one()
        previous = row["previous"] or {}
        conn.execute(
            sa.update(p)
            .where(p.c.workspace_id == ws, p.c.person_id == row["person_id"])
            .values(reason_connected=previous.get("reason_connected"), updated_at=utcnow())
        )
        if row["decision"] == "move" and previous.get("added_to_list") and row["list_id"]:
            conn.execute(
                sa.delete(lm).where(
                    lm.c.workspace_id == ws,
                    lm.c.list_id == row["list_id"],
                    lm.c.member_type == "person",
                    lm.c.member_id == row["person_id"],
                )
            )
        conn.execute(
            sa.update(d)
            .where(d.c.workspace_id == ws, d.c.decision_id == row["decision_id"])
            .values(undone_at=now or utcnow())
        )
    return {
        "decision_id": row["decision_id"],
        "person_id": row["person_id"],
        "name": name,
        "decision": row["decision"],
    }


def decisions(store: Store, *, include_undone: bool = False) -> list[dict[str, Any]]:
    """Every audit decision, newest first, with the person's name.

    >>> from netweave.store import Store
    >>> decisions(Store.open("sqlite://"))
    []
    """
    d, p = schema.audit_decisions, schema.people
    q = (
        sa.select(
            d.c.decision_id,
            d.c.person_id,
            p.c.display_name.label("name"),
            d.c.decision,
            d.c.reason,
            d.c.list_id,
            d.c.decided_at,
            d.c.undone_at,
        )
        .join(p, sa.and_(p.c.workspace_id == d.c.workspace_id, p.c.person_id == d.c.person_id))
        .where(d.c.workspace_id == store.workspace_id)
        .order_by(d.c.decided_at.desc(), d.c.decision_id.desc())
    )
    if not include_undone:
        q = q.where(d.c.undone_at.is_(None))
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def summary(store: Store) -> dict[str, Any]:
    """How far the audit has come: standing decisions by kind and how many remain.

    >>> from netweave.store import Store
    >>> summary(Store.open("sqlite://"))["decided"]
    {'keep': 0, 'move': 0, 'drop': 0}
    """
    q = _active(store.workspace_id).subquery()
    with store.connect() as conn:
        counts: dict[str, int] = dict(
            conn.execute(sa.select(q.c.decision, sa.func.count()).group_by(q.c.decision)).all()
        )
    decided = {k: int(counts.get(k, 0)) for k in DECISIONS}
    p = schema.people
    decided_people = _active(store.workspace_id).subquery()
    with store.connect() as conn:
        remaining = conn.execute(
            sa.select(sa.func.count())
            .select_from(p.outerjoin(decided_people, decided_people.c.person_id == p.c.person_id))
            .where(
                p.c.workspace_id == store.workspace_id,
                ~p.c.is_owner,
                sa.or_(p.c.reason_connected.is_(None), p.c.reason_connected == ""),
                decided_people.c.person_id.is_(None),
            )
        ).scalar_one()
    return {"decided": decided, "remaining": remaining, "total": sum(decided.values()) + remaining}
