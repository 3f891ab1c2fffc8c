"""Reading relationship health: ranking, losing touch, cooling ties, the give/get ledger.

>>> from netweave.store import Store
>>> ranked(Store.open("sqlite://"), sort="strength")
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..store import Store, schema, utcnow
from .ties import CIRCLES, default_cadence

__all__ = ["Tie", "cooling", "explain", "ledger", "losing_touch", "ranked"]

SORTS = ("strength", "recency", "overdue", "name")


@dataclass
class Tie:
    """One person as the health views show them."""

    person_id: str
    name: str
    strength: float
    last_contact: datetime | None
    circle: int | None
    circle_source: str  # "set" by the user, "suggested" from strength, or "" for none
    cadence_days: int | None
    max_days: int | None
    days_since: int | None
    overdue_days: int | None

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _ties(store: Store, now: datetime, where: Any = None) -> list[Tie]:
    p, ts = schema.people, schema.tie_scores
    q = (
        sa.select(
            p.c.person_id,
            p.c.display_name,
            p.c.circle,
            p.c.cadence_days,
            p.c.cadence_max_days,
            ts.c.strength,
            ts.c.last_contact,
            ts.c.suggested_circle,
        )
        .select_from(
            p.outerjoin(
                ts, sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
            )
        )
        .where(p.c.workspace_id == store.workspace_id, ~p.c.is_owner)
    )
    if where is not None:
        q = q.where(where)
    out = []
    with store.connect() as conn:
        for r in conn.execute(q):
            circle = r.circle or r.suggested_circle
            source = "set" if r.circle else ("suggested" if r.suggested_circle else "")
            default = default_cadence(circle)
            cadence = r.cadence_days or (default.days if default else None)
            max_days = r.cadence_max_days or (int(cadence * 1.5) if cadence else None)
            days = (now - r.last_contact).days if r.last_contact else None
            overdue = (days - cadence) if days is not None and cadence else None
            out.append(
                Tie(
                    r.person_id,
                    r.display_name,
                    float(r.strength or 0.0),
                    r.last_contact,
                    circle,
                    source,
                    cadence,
                    max_days,
                    days,
                    overdue,
                )
            )
    return out


def ranked(
    store: Store,
    *,
    sort: str = "strength",
    limit: int | None = None,
    offset: int = 0,
    now: datetime | None = None,
) -> list[Tie]:
    """People ranked by strength, recency (most recent first), overdue (most first) or name."""
    if sort not in SORTS:
        raise InputError("", None, f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    ties = _ties(store, now or utcnow())
    keys: dict[str, Any] = {
        "strength": lambda t: (-t.strength, t.name.lower(), t.person_id),
        "recency": lambda t: (t.days_since is None, t.days_since or 0, t.name.lower(), t.person_id),
        "overdue": lambda t: (
            t.overdue_days is None,
            -(t.overdue_days or 0),
            -t.strength,
            t.person_id,
        ),
        "name": lambda t: (t.name.lower(), t.person_id),
    }
    ties.sort(key=keys[sort])
    end = None if limit is None else offset + limit
    return ties[offset:end]


def _overdue_candidates(
    store: Store, now: datetime, circles: tuple[int, ...], limit: int
) -> list[str]:
    """Ids of the people who can be among the ``limit`` most overdue: per suggested circle,
    walked from the oldest last contact (index order) until ``limit`` are found and the ties
    of the last one are in; plus everyone whose circle or cadence was set by hand."""
    p, ts = schema.people, schema.tie_scores
    ws = store.workspace_id
    on = sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
    ids: list[str] = []
    with store.connect() as conn:
        ids.extend(
            conn.execute(
                sa.select(p.c.person_id)
                .select_from(p.outerjoin(ts, on))
                .where(
                    p.c.workspace_id == ws,
                    ~p.c.is_owner,
                    sa.or_(p.c.circle.is_not(None), p.c.cadence_days.is_not(None)),
                    sa.func.coalesce(p.c.circle, ts.c.suggested_circle).in_(circles),
                )
            ).scalars()
        )
        for size in circles:
            cadence = default_cadence(size)
            if cadence is None:
                continue
            found, last_days = 0, None
            for person_id, last in conn.execute(
                sa.select(ts.c.person_id, ts.c.last_contact)
                .select_from(ts.join(p, on))
                .where(
                    ts.c.workspace_id == ws,
                    ts.c.suggested_circle == size,
                    p.c.circle.is_(None),
                    p.c.cadence_days.is_(None),
                    ~p.c.is_owner,
                )
                .order_by(ts.c.last_contact.asc().nulls_first(), ts.c.person_id)
            ):
                days = None if last is None else (now - last).days
                if days is not None and days <= cadence.days:
                    break  # everyone after this one is within their cadence
                if found >= limit and days != last_days:
                    break
                ids.append(person_id)
                found, last_days = found + 1, days
    return ids


def losing_touch(
    store: Store,
    *,
    now: datetime | None = None,
    circles: tuple[int, ...] = (5, 15, 50),
    limit: int | None = None,
) -> list[Tie]:
    """People in close circles whose last contact is older than their cadence, most overdue
    first (never-contacted people in those circles included).

    With ``limit``, only the first ``limit`` are returned, and only people who can be among
    them are read (the agenda asks for 30 out of tens of thousands).

    >>> from netweave.store import Store
    >>> losing_touch(Store.open("sqlite://"), limit=5)
    []
    """
    now = now or utcnow()
    where = None
    if limit is not None:
        where = schema.people.c.person_id.in_(_overdue_candidates(store, now, circles, limit))
    out = [
        t
        for t in _ties(store, now, where)
        if t.circle in circles
        and t.cadence_days
        and (t.days_since is None or t.days_since > t.cadence_days)
    ]
    out.sort(
        key=lambda t: (
            -(t.overdue_days if t.overdue_days is not None else 10**6),
            -t.strength,
            t.person_id,
        )
    )
    return out if limit is None else out[:limit]


def cooling(
    store: Store,
    *,
    now: datetime | None = None,
    window_days: int = 90,
    strong: float = 0.4,
    drop: float = 0.25,
) -> list[dict[str, Any]]:
    """Strong ties whose score fell by more than ``drop`` (a fraction) within the window."""
    now = now or utcnow()
    h, ts, p = schema.tie_history, schema.tie_scores, schema.people
    since = (now - timedelta(days=window_days)).date().isoformat()
    q = (
        sa.select(h.c.person_id, sa.func.max(h.c.strength).label("peak"))
        .where(h.c.workspace_id == store.workspace_id, h.c.day >= since)
        .group_by(h.c.person_id)
        .subquery()
    )
    rows = []
    with store.connect() as conn:
        for r in conn.execute(
            sa.select(p.c.person_id, p.c.display_name, q.c.peak, ts.c.strength)
            .select_from(
                q.join(
                    ts,
                    sa.and_(
                        ts.c.person_id == q.c.person_id, ts.c.workspace_id == store.workspace_id
                    ),
                ).join(
                    p,
                    sa.and_(p.c.person_id == q.c.person_id, p.c.workspace_id == store.workspace_id),
                )
            )
            .where(q.c.peak >= strong, ts.c.strength <= q.c.peak * (1 - drop))
            .order_by((q.c.peak - ts.c.strength).desc(), p.c.person_id)
        ):
            rows.append(
                {
                    "person_id": r.person_id,
                    "name": r.display_name,
                    "peak": r.peak,
                    "strength": r.strength,
                }
            )
    return rows


def explain(store: Store, person_id: str) -> dict[str, Any]:
    """The stored score of one person with its dimensions and reasons."""
    ts = schema.tie_scores
    with store.connect() as conn:
        row = (
            conn.execute(
                sa.select(ts).where(
                    ts.c.workspace_id == store.workspace_id, ts.c.person_id == person_id
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound("tie score", person_id)
    data = dict(row)
    data.pop("workspace_id", None)
    return data


def ledger(
    store: Store,
    *,
    person_id: str | None = None,
    by: str = "month",
) -> list[dict[str, Any]]:
    """Give/get balance per period: what the owner gave (giving, neutral, asks) and received.

    Periods are calendar months (``YYYY-MM``) or years, in UTC.
    """
    if by not in {"month", "year"}:
        raise InputError("", None, "ledger periods are 'month' or 'year'")
    f, link = schema.interaction_facts, schema.account_links
    q = sa.select(f.c.occurred_at, f.c.direction, f.c.label).where(
        f.c.workspace_id == store.workspace_id, f.c.direction != "neutral"
    )
    if person_id is not None:
        accounts = sa.select(link.c.account_id).where(
            link.c.workspace_id == store.workspace_id, link.c.person_id == person_id
        )
        q = q.where(f.c.counterpart.in_(accounts))
    periods: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with store.connect() as conn:
        for when, direction, label in conn.execute(q):
            key = when.strftime("%Y-%m" if by == "month" else "%Y")
            periods[key][f"{direction}_{label}"] += 1
    out = []
    for key in sorted(periods):
        c = periods[key]
        gave = c["given_giving"]
        asks = c["given_self_promotion"]
        got = c["received_giving"]
        out.append(
            {
                "period": key,
                "gave": gave,
                "asked": asks,
                "neutral": c["given_neutral"],
                "received": got,
                "balance": gave - asks - got,
            }
        )
    return out


def circle_sizes(ties: list[Tie]) -> dict[int, int]:
    """How many people sit in each Dunbar circle (and their targets 5/15/50/150).

    >>> circle_sizes([])
    {5: 0, 15: 0, 50: 0, 150: 0}
    """
    sizes = {size: 0 for size, _, _ in CIRCLES}
    for t in ties:
        if t.circle in sizes:
            sizes[t.circle] += 1
    return sizes
