"""The user's hand on identity: find, merge, split, accept, reject, and undo.

Every operation writes sticky decisions (``link_decisions``: same / different) that every later
resolution run honours, re-resolves, and logs an event holding the decisions it added and the
links as they were, so :func:`undo` can put things back exactly.

    >>> from netweave.store import Store
    >>> undo(Store.open("sqlite://"))
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: nothing to undo
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..store import Store, schema, utcnow
from .people import accounts_people, reassign_person
from .resolve import ResolveReport, resolve

__all__ = [
    "accept",
    "accept_above",
    "find_person",
    "get_person",
    "merge",
    "person_accounts",
    "proposals",
    "reject",
    "split",
    "undo",
]


def get_person(store: Store, person_id: str) -> dict[str, Any]:
    """One person by exact id (an indexed lookup, whatever the size of the network).

    >>> get_person(Store.open("sqlite://"), "nobody")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no person matches 'nobody'
    """
    with store.connect() as conn:
        row = (
            conn.execute(_person_statement(store.workspace_id), {"person_id": person_id})
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound("person", person_id)
    return dict(row)


# Statements of the person page are built once per workspace, the person bound at execution:
# building a statement costs more than running it.


@lru_cache(maxsize=64)
def _person_statement(ws: str) -> sa.Select[Any]:
    p = schema.people
    return sa.select(
        p.c.person_id,
        p.c.display_name,
        p.c.is_owner,
        p.c.location,
        p.c.circle,
        p.c.reason_connected,
        p.c.partner_stage,
        p.c.cadence_days,
        p.c.cadence_max_days,
    ).where(p.c.workspace_id == ws, p.c.person_id == sa.bindparam("person_id"))


def find_person(store: Store, text: str) -> dict[str, Any]:
    """A person by id (or id prefix of 6+), exact name, handle, or unique name part.

    Ambiguity is an InputError that lists the candidates.
    """
    p, a, link = schema.people, schema.accounts, schema.account_links
    ws = store.workspace_id
    needle = text.strip().lower().lstrip("@")
    if not needle:
        raise InputError("", None, "give a name, handle or id")
    with store.connect() as conn:
        rows = (
            conn.execute(
                sa.select(p.c.person_id, p.c.display_name, p.c.is_owner).where(
                    p.c.workspace_id == ws
                )
            )
            .mappings()
            .all()
        )
        by_id = [
            r
            for r in rows
            if r["person_id"] == needle or (len(needle) >= 6 and r["person_id"].startswith(needle))
        ]
        if len(by_id) == 1:
            return dict(by_id[0])
        exact = [r for r in rows if r["display_name"].lower() == needle]
        if len(exact) == 1:
            return dict(exact[0])
        handles = (
            conn.execute(
                sa.select(link.c.person_id)
                .distinct()
                .select_from(accounts_people(people=False, outer=False))
                .where(
                    a.c.workspace_id == ws,
                    sa.or_(sa.func.lower(a.c.handle) == needle, sa.func.lower(a.c.key) == needle),
                )
            )
            .scalars()
            .all()
        )
        if len(handles) == 1:
            return next(dict(r) for r in rows if r["person_id"] == handles[0])
    partial = exact or [r for r in rows if needle in r["display_name"].lower()]
    if not partial:
        raise NotFound("person", text)
    if len(partial) > 1:
        names = "; ".join(
            f"{r['display_name']} ({r['person_id'][:8]})"
            for r in sorted(partial, key=lambda r: r["display_name"])[:6]
        )
        raise InputError("", None, f"{text!r} matches {len(partial)} people: {names}; use the id")
    return dict(partial[0])


def person_accounts(store: Store, person_id: str) -> list[dict[str, Any]]:
    """A person's accounts, each with how and why it was linked."""
    with store.connect() as conn:
        rows = (
            conn.execute(_accounts_statement(store.workspace_id), {"person_id": person_id})
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


@lru_cache(maxsize=64)
def _accounts_statement(ws: str) -> sa.Select[Any]:
    a, link = schema.accounts, schema.account_links
    return (
        sa.select(
            a.c.account_id,
            a.c.platform,
            a.c.handle,
            a.c.key,
            a.c.display_name,
            a.c.url,
            a.c.location,
            a.c.bio,
            link.c.method,
            link.c.score,
            link.c.evidence,
        )
        .select_from(accounts_people(people=False, outer=False))
        .where(a.c.workspace_id == ws, link.c.person_id == sa.bindparam("person_id"))
        .order_by(a.c.platform, a.c.account_id)
    )


def proposals(store: Store) -> list[dict[str, Any]]:
    """Proposed links waiting for review, most likely first, with both sides described."""
    d, a, link, p = (schema.link_decisions, schema.accounts, schema.account_links, schema.people)
    ws = store.workspace_id
    with store.connect() as conn:
        rows = (
            conn.execute(
                sa.select(d.c.account_a, d.c.account_b, d.c.score, d.c.evidence)
                .where(d.c.workspace_id == ws, d.c.decision == "proposed")
                .order_by(d.c.score.desc(), d.c.account_a, d.c.account_b)
            )
            .mappings()
            .all()
        )
        ids = sorted({r["account_a"] for r in rows} | {r["account_b"] for r in rows})
        info = (
            {
                r["account_id"]: dict(r)
                for r in conn.execute(
                    sa.select(
                        a.c.account_id,
                        a.c.platform,
                        a.c.handle,
                        a.c.key,
                        a.c.display_name,
                        link.c.person_id,
                        p.c.display_name.label("person"),
                    )
                    .select_from(accounts_people(outer=False))
                    .where(a.c.workspace_id == ws, a.c.account_id.in_(ids))
                ).mappings()
            }
            if ids
            else {}
        )
    return [
        {
            "a": info.get(r["account_a"], {"account_id": r["account_a"]}),
            "b": info.get(r["account_b"], {"account_id": r["account_b"]}),
            "score": r["score"],
            "reasons": (r["evidence"] or {}).get("reasons", []),
        }
        for r in rows
    ]


def _snapshot(conn: sa.Connection, ws: str, accounts: list[str]) -> list[dict[str, Any]]:
    link = schema.account_links
    rows = conn.execute(
        sa.select(link).where(link.c.workspace_id == ws, link.c.account_id.in_(accounts))
    ).mappings()
    return [
        {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in r.items()
            if k != "workspace_id"
        }
        for r in rows
    ]


def _record(
    store: Store, kind: str, decisions: list[tuple[str, str, str]], accounts: list[str], label: str
) -> ResolveReport:
    """Write decisions + an undo event, then re-resolve."""
    d, ev = schema.link_decisions, schema.identity_events
    ws = store.workspace_id
    now = utcnow()
    with store.transaction() as conn:
        before = _snapshot(conn, ws, accounts)
        prior = []
        for a, b, _ in decisions:
            x, y = sorted((a, b))
            row = conn.execute(
                sa.select(d.c.decision, d.c.score, d.c.evidence).where(
                    d.c.workspace_id == ws, d.c.account_a == x, d.c.account_b == y
                )
            ).first()
            prior.append(
                {
                    "a": x,
                    "b": y,
                    "decision": row.decision if row else None,
                    "score": row.score if row else None,
                    "evidence": row.evidence if row else None,
                }
            )
        store.upsert(
            d,
            [
                {
                    "account_a": min(a, b),
                    "account_b": max(a, b),
                    "decision": dec,
                    "score": 1.0 if dec == "same" else 0.0,
                    "evidence": {"reasons": [f"{label} by you"]},
                    "created_at": now,
                }
                for a, b, dec in decisions
            ],
            on_conflict="replace",
        )
        seq = (
            conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(ev.c.seq), 0)).where(ev.c.workspace_id == ws)
            ).scalar_one()
            + 1
        )
        store.upsert(
            ev,
            [
                {
                    "seq": seq,
                    "kind": kind,
                    "created_at": now,
                    "payload": {"decisions": prior, "links": before, "accounts": accounts},
                }
            ],
        )
        return resolve(store, account_ids=accounts)


def merge(store: Store, person_a: str, person_b: str) -> ResolveReport:
    """Make two people one (sticky); the first keeps its id, notes and lists."""
    if person_a == person_b:
        raise InputError("", None, "that is the same person twice")
    acc_a = [r["account_id"] for r in person_accounts(store, _exists(store, person_a))]
    acc_b = [r["account_id"] for r in person_accounts(store, _exists(store, person_b))]
    if not acc_a or not acc_b:
        raise InputError("", None, "a person without accounts cannot be merged")
    decisions = [(acc_a[0], other, "same") for other in acc_a[1:] + acc_b]
    return _record(store, "merge", decisions, acc_a + acc_b, "merged")


def split(store: Store, account_id: str) -> ResolveReport:
    """Take one account out of its person (sticky): it becomes a person of its own."""
    a, link = schema.accounts, schema.account_links
    ws = store.workspace_id
    with store.connect() as conn:
        found = (
            conn.execute(
                sa.select(a.c.account_id).where(
                    a.c.workspace_id == ws,
                    sa.or_(
                        a.c.account_id == account_id,
                        sa.func.lower(a.c.handle) == account_id.lower(),
                        a.c.account_id.startswith(account_id)
                        if len(account_id) >= 6
                        else sa.false(),
                    ),
                )
            )
            .scalars()
            .all()
        )
        if len(found) != 1:
            raise (
                NotFound("account", account_id)
                if not found
                else InputError(
                    "", None, f"{account_id!r} matches {len(found)} accounts; use the account id"
                )
            )
        acc = found[0]
        person = conn.execute(
            sa.select(link.c.person_id).where(link.c.workspace_id == ws, link.c.account_id == acc)
        ).scalar_one_or_none()
    others = [r["account_id"] for r in person_accounts(store, person)] if person else []
    others = [o for o in others if o != acc]
    if not others:
        raise InputError("", None, "that account is already a person of its own")
    return _record(store, "split", [(acc, o, "different") for o in others], [acc, *others], "split")


def _proposal(store: Store, index: int) -> tuple[str, str]:
    pending = proposals(store)
    if not 1 <= index <= len(pending):
        raise NotFound("proposal", str(index))
    item = pending[index - 1]
    return item["a"]["account_id"], item["b"]["account_id"]


def accept(store: Store, index: int = 1) -> ResolveReport:
    """Accept proposed link number ``index`` (1 = the most likely)."""
    a, b = _proposal(store, index)
    return _record(store, "accept", [(a, b, "same")], [a, b], "accepted")


def accept_above(store: Store, min_score: float) -> int:
    """Accept every proposed link scored ``min_score`` or more, as one undoable decision.

    Returns how many were accepted (0 leaves everything as it was).

    >>> accept_above(Store.open("sqlite://"), 0.9)
    0
    """
    if not 0.0 < min_score <= 1.0:
        raise InputError("", None, f"the score must be in (0, 1], not {min_score}")
    pairs = [
        (item["a"]["account_id"], item["b"]["account_id"])
        for item in proposals(store)
        if item["score"] >= min_score
    ]
    if not pairs:
        return 0
    accounts = sorted({acc for pair in pairs for acc in pair})
    _record(store, "accept", [(a, b, "same") for a, b in pairs], accounts, "accepted")
    return len(pairs)


def reject(store: Store, index: int = 1) -> ResolveReport:
    """Reject proposed link number ``index``: these accounts stay apart for good."""
    a, b = _proposal(store, index)
    return _record(store, "reject", [(a, b, "different")], [a, b], "rejected")


def _exists(store: Store, person_id: str) -> str:
    p = schema.people
    with store.connect() as conn:
        if conn.execute(
            sa.select(p.c.person_id).where(
                p.c.workspace_id == store.workspace_id, p.c.person_id == person_id
            )
        ).first():
            return person_id
    raise NotFound("person", person_id)


def undo(store: Store) -> dict[str, Any]:
    """Undo the last identity operation not undone yet; InputError if there is none."""
    ev, d, link = schema.identity_events, schema.link_decisions, schema.account_links
    ws = store.workspace_id
    with store.transaction() as conn:
        last = conn.execute(
            sa.select(ev.c.seq, ev.c.kind, ev.c.payload)
            .where(ev.c.workspace_id == ws, ev.c.undone_at.is_(None))
            .order_by(ev.c.seq.desc())
            .limit(1)
        ).first()
        if last is None:
            raise InputError("", None, "nothing to undo")
        payload = last.payload
        linked_now = dict(
            conn.execute(
                sa.select(link.c.account_id, link.c.person_id).where(
                    link.c.workspace_id == ws, link.c.account_id.in_(payload["accounts"])
                )
            ).all()
        )
        for item in payload["decisions"]:
            conn.execute(
                sa.delete(d).where(
                    d.c.workspace_id == ws, d.c.account_a == item["a"], d.c.account_b == item["b"]
                )
            )
            if item["decision"] is not None:
                conn.execute(
                    sa.insert(d).values(
                        workspace_id=ws,
                        account_a=item["a"],
                        account_b=item["b"],
                        decision=item["decision"],
                        score=item["score"],
                        evidence=item["evidence"],
                        created_at=utcnow(),
                    )
                )
        conn.execute(
            sa.update(ev)
            .where(ev.c.workspace_id == ws, ev.c.seq == last.seq)
            .values(undone_at=utcnow())
        )
        # the links as they were, with their people (a merge may have retired one); the
        # re-resolve below then keeps them, since accounts vote for the ids they have
        p, a = schema.people, schema.accounts
        for row in payload["links"]:
            if (
                conn.execute(
                    sa.select(p.c.person_id).where(
                        p.c.workspace_id == ws, p.c.person_id == row["person_id"]
                    )
                ).first()
                is None
            ):
                name = conn.execute(
                    sa.select(sa.func.coalesce(a.c.display_name, a.c.handle, a.c.key)).where(
                        a.c.workspace_id == ws, a.c.account_id == row["account_id"]
                    )
                ).scalar_one()
                now = utcnow()
                conn.execute(
                    sa.insert(p).values(
                        workspace_id=ws,
                        person_id=row["person_id"],
                        display_name=name,
                        created_at=now,
                        updated_at=now,
                    )
                )
            restored = {**row, "created_at": utcnow()}
            store.upsert(link, [restored], on_conflict="replace")
        report = resolve(store, account_ids=payload["accounts"])
        _retire_emptied(conn, ws, linked_now)
    return {"undone": last.kind, "seq": last.seq, "people": report.people}


def _retire_emptied(conn: sa.Connection, ws: str, linked_before: dict[str, str]) -> None:
    """People left without accounts (a split undone) hand what they hold to the person their
    accounts went back to, and go."""
    link = schema.account_links
    now_linked = dict(
        conn.execute(
            sa.select(link.c.account_id, link.c.person_id).where(
                link.c.workspace_id == ws, link.c.account_id.in_(list(linked_before))
            )
        ).all()
    )
    for account, old in sorted(linked_before.items()):
        new = now_linked.get(account)
        if new is None or new == old:
            continue
        still_linked = conn.execute(
            sa.select(link.c.account_id)
            .where(link.c.workspace_id == ws, link.c.person_id == old)
            .limit(1)
        ).first()
        if still_linked is None:
            reassign_person(conn, ws, old, new)
