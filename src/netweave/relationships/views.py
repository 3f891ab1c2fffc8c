"""Reading relationship health: ranking, losing touch, cooling ties, the give/get ledger.

>>> from netweave.store import Store
>>> ranked(Store.open("sqlite://"), sort="strength")
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..identity.people import accounts_of
from ..store import Store, schema, utcnow
from .ties import CIRCLES, default_cadence

__all__ = [
    "PAGE_SORTS",
    "Tie",
    "cooling",
    "explain",
    "ledger",
    "losing_touch",
    "page",
    "ranked",
    "timeline",
]

SORTS = ("strength", "recency", "overdue", "name")
PAGE_SORTS = ("strength", "recency", "name")


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
    q = _tie_select(store.workspace_id)
    if where is not None:
        q = q.where(where)
    with store.connect() as conn:
        return [_tie(r, now) for r in conn.execute(q)]


def _tie(r: Any, now: datetime) -> Tie:
    """One row of people joined to tie_scores, as a :class:`Tie` (defaults filled in)."""
    circle = r.circle or r.suggested_circle
    source = "set" if r.circle else ("suggested" if r.suggested_circle else "")
    default = default_cadence(circle)
    cadence = r.cadence_days or (default.days if default else None)
    max_days = r.cadence_max_days or (int(cadence * 1.5) if cadence else None)
    days = (now - r.last_contact).days if r.last_contact else None
    overdue = (days - cadence) if days is not None and cadence else None
    return Tie(
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


def page(
    store: Store,
    *,
    sort: str = "strength",
    search: str | None = None,
    circle: int | None = None,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[list[Tie], bool]:
    """One page of people, sorted, filtered and cut in the database (nobody else is loaded);
    returns the page and whether more people follow.

    ``sort`` is strength (strongest first), recency (latest contact first) or name; ``search``
    keeps names containing it (case-insensitive); ``circle`` keeps one Dunbar circle, set or
    suggested. Without filters the page is read off an index (``ix_tie_scores_rank``,
    ``ix_tie_scores_recent``, ``ix_people_name``); people not scored yet follow the scored ones.

    >>> page(Store.open("sqlite://"), sort="name", search="ada")
    ([], False)
    """
    if sort not in PAGE_SORTS:
        raise InputError("", None, f"unknown sort {sort!r}; use one of {', '.join(PAGE_SORTS)}")
    if limit < 1 or offset < 0:
        raise InputError("", None, "limit is at least 1 and offset at least 0")
    p, ts = schema.people, schema.tie_scores
    ws = store.workspace_id
    sqlite = store.dialect == "sqlite"
    with store.connect() as conn:
        searched = bool(search and search.strip())
        if searched or circle is not None:
            values = {
                "pattern": _name_pattern(search or ""),
                "circle": circle,
                "window": _SEARCH_WINDOW,
                "n": limit + 1,
                "skip": offset,
            }
            wanted = []
            if circle is None and sort != "name":
                # the strongest (or latest) few thousand first: a common name fills the page
                # from them; when it does not, the whole search below gives the same order
                window = _searched_window(ws, sort, sqlite)
                wanted = list(conn.execute(window, values).scalars())
            if len(wanted) <= limit:
                filtered = _filtered(ws, sort, searched, circle is not None, sqlite)
                wanted = list(conn.execute(filtered, values).scalars())
        else:
            wanted = list(
                conn.execute(
                    _page_statement(ws, sort, sqlite), {"n": limit + 1, "skip": offset}
                ).scalars()
            )
            # the last scored page: people not scored yet follow
            if sort != "name" and len(wanted) <= limit:
                scored = conn.execute(
                    sa.select(sa.func.count()).where(ts.c.workspace_id == ws)
                ).scalar_one()
                unscored = sa.select(ts.c.person_id).where(ts.c.workspace_id == ws)
                wanted += conn.execute(
                    sa.select(p.c.person_id)
                    .where(
                        p.c.workspace_id == ws,
                        p.c.is_owner == sa.false(),
                        p.c.person_id.not_in(unscored),
                    )
                    .order_by(sa.func.lower(p.c.display_name), p.c.person_id)
                    .limit(limit + 1 - len(wanted))
                    .offset(max(offset - scored, 0))
                ).scalars()
        if not wanted:
            return [], False
        rows = {r.person_id: r for r in conn.execute(_ties_by_id(ws), {"ids": wanted[: limit + 1]})}
    now = now or utcnow()
    ties = [_tie(rows[pid], now) for pid in wanted if pid in rows and not rows[pid].is_owner]
    return ties[:limit], len(ties) > limit


@lru_cache(maxsize=64)
def _page_statement(ws: str, sort: str, sqlite: bool) -> sa.Select[Any]:
    """The ids of one unfiltered page (``n`` rows after ``skip``), read off an index: built
    once per workspace and sort, since building a statement costs more than running it."""
    p, ts = schema.people, schema.tie_scores
    n: sa.BindParameter[int] = sa.bindparam("n", type_=sa.Integer)
    skip: sa.BindParameter[int] = sa.bindparam("skip", type_=sa.Integer)
    if sort == "name":
        return (
            sa.select(p.c.person_id)
            .where(p.c.workspace_id == ws, p.c.is_owner == sa.false())
            .order_by(sa.func.lower(p.c.display_name), p.c.person_id)
            .limit(n)
            .offset(skip)
        )
    # the owner is never scored (health.recompute), so tie_scores alone has the order
    _, first = _rank_order(sort, sqlite)
    return (
        sa.select(ts.c.person_id)
        .where(ts.c.workspace_id == ws)
        .order_by(first, ts.c.person_id.desc())
        .limit(n)
        .offset(skip)
    )


def _rank_order(sort: str, sqlite: bool) -> tuple[Any, Any]:
    """The scores' column a sort ranks by (strength, or latest contact) and its order, highest
    first and NULLs last: SQLite sorts NULLs first, so DESC alone does it, straight off the
    index."""
    ts = schema.tie_scores
    key = ts.c.strength if sort == "strength" else ts.c.last_contact
    return key, key.desc() if sqlite else key.desc().nulls_last()


@lru_cache(maxsize=64)
def _ties_by_id(ws: str) -> sa.Select[Any]:
    """:func:`_tie_select` of the people whose ids are bound as ``ids`` (built once)."""
    ids: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
    return _tie_select(ws, skip_owner=False).where(schema.people.c.person_id.in_(ids))


def _tie_select(ws: str, *, skip_owner: bool = True) -> sa.Select[Any]:
    """People of a workspace joined to their scores, with the columns a :class:`Tie` needs
    (the owner left out unless ``skip_owner`` is false: rows fetched by id need no such test,
    and leaving it out keeps the planner on the primary key)."""
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
            p.c.is_owner,
        )
        .select_from(
            p.outerjoin(
                ts, sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
            )
        )
        .where(p.c.workspace_id == ws)
    )
    return q.where(p.c.is_owner == sa.false()) if skip_owner else q


_SEARCH_WINDOW = 1000


def _name_pattern(search: str) -> str:
    """The LIKE pattern of names containing ``search`` (its own ``%``, ``_`` and ``\\`` kept
    literal).

    >>> _name_pattern(" 100%_Zoë ")
    '%100\\\\%\\\\_zoë%'
    """
    needle = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%")
    return "%" + needle.replace("_", "\\_") + "%"


def _name_matches(sqlite: bool) -> Any:
    """A WHERE clause keeping people whose name is LIKE the bound ``pattern`` (see
    :func:`_name_pattern`), whatever the case."""
    p = schema.people
    pattern: sa.BindParameter[str] = sa.bindparam("pattern", type_=sa.String)
    if sqlite:
        # LIKE ignores ASCII case there; on lower(name) it reads ix_people_name, not the table
        return sa.func.lower(p.c.display_name).like(pattern, escape="\\")
    return p.c.display_name.ilike(pattern, escape="\\")


# The statements of the people list are built once per workspace and shape; the search
# ``pattern``, ``circle``, ``window`` size, ``n`` rows and ``skip`` are bound at execution.


@lru_cache(maxsize=64)
def _searched_window(ws: str, sort: str, sqlite: bool) -> sa.Select[Any]:
    """Ids of one page of a name search among the ``window`` first people by strength (or
    latest contact), read off the ranking index; exact when it fills the page, since every
    match outside the window ranks lower."""
    p, ts = schema.people, schema.tie_scores
    key, first = _rank_order(sort, sqlite)
    window = (
        sa.select(ts.c.person_id, key.label("k"))
        .where(ts.c.workspace_id == ws)
        .order_by(first, ts.c.person_id.desc())
        .limit(sa.bindparam("window", type_=sa.Integer))
        .subquery("window")
    )
    k = window.c.k.desc() if sqlite else window.c.k.desc().nulls_last()
    return (
        sa.select(window.c.person_id)
        .select_from(
            window.join(p, sa.and_(p.c.workspace_id == ws, p.c.person_id == window.c.person_id))
        )
        .where(p.c.is_owner == sa.false(), _name_matches(sqlite))
        .order_by(k, window.c.person_id.desc())
        .limit(sa.bindparam("n", type_=sa.Integer))
        .offset(sa.bindparam("skip", type_=sa.Integer))
    )


@lru_cache(maxsize=64)
def _filtered(ws: str, sort: str, search: bool, circle: bool, sqlite: bool) -> sa.Select[Any]:
    """The ids of one page of people matching a name search and/or a circle."""
    p, ts = schema.people, schema.tie_scores
    q = _tie_select(ws).with_only_columns(p.c.person_id)
    if search:
        q = q.where(_name_matches(sqlite))
    if circle:
        ring: sa.BindParameter[int] = sa.bindparam("circle", type_=sa.Integer)
        q = q.where(
            sa.or_(p.c.circle == ring, sa.and_(p.c.circle.is_(None), ts.c.suggested_circle == ring))
        )
    order: dict[str, list[Any]] = {
        "strength": [ts.c.strength.desc().nulls_last(), p.c.person_id.desc()],
        "recency": [ts.c.last_contact.desc().nulls_last(), p.c.person_id.desc()],
        "name": [sa.func.lower(p.c.display_name), p.c.person_id],
    }
    return (
        q.order_by(*order[sort])
        .limit(sa.bindparam("n", type_=sa.Integer))
        .offset(sa.bindparam("skip", type_=sa.Integer))
    )


def timeline(store: Store, person_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """A person's latest interactions with the owner (any of their accounts), newest first,
    each with its give/get label.

    >>> timeline(Store.open("sqlite://"), "nobody")
    []
    """
    accounts_of, latest, posts = _timeline_statements(store.workspace_id)
    with store.connect() as conn:
        accounts = conn.execute(accounts_of, {"person_id": person_id}).scalars().all()
        facts = [r for a in accounts for r in conn.execute(latest, {"account": a}).mappings()]
        facts.sort(key=lambda r: (r["occurred_at"], r["interaction_id"]), reverse=True)
        facts = facts[:limit]
        if not facts:
            return []
        rows = {
            r.interaction_id: r
            for r in conn.execute(posts, {"ids": [r["interaction_id"] for r in facts]})
        }
    return [
        {
            "interaction_id": r["interaction_id"],
            "platform": rows[r["interaction_id"]].platform,
            "kind": rows[r["interaction_id"]].kind,
            "occurred_at": r["occurred_at"],
            "text": rows[r["interaction_id"]].text,
            "url": rows[r["interaction_id"]].url,
            "direction": r["direction"],
            "label": r["label"],
        }
        for r in facts
        if r["interaction_id"] in rows
    ]


@lru_cache(maxsize=64)
def _timeline_statements(ws: str) -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """A person's accounts; one account's facts; posts by id: built once per workspace (the
    values bound at execution), since building a statement costs more than running it."""
    f, i = schema.interaction_facts, schema.interactions
    accounts = accounts_of(ws, sa.bindparam("person_id"))
    # one range read per account on the facts' primary key (counterpart first), sorted by the
    # caller: an ORDER BY in SQL lures SQLite (without statistics) onto the time index, which
    # it then walks for the whole ledger
    latest = sa.select(f.c.interaction_id, f.c.occurred_at, f.c.direction, f.c.label).where(
        f.c.workspace_id == ws, f.c.counterpart == sa.bindparam("account")
    )
    posts = sa.select(i.c.interaction_id, i.c.platform, i.c.kind, i.c.text, i.c.url).where(
        i.c.workspace_id == ws, i.c.interaction_id.in_(sa.bindparam("ids", expanding=True))
    )
    return accounts, latest, posts


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
    with store.connect() as conn:
        row = (
            conn.execute(_explain_statement(store.workspace_id), {"person_id": person_id})
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound("tie score", person_id)
    data = dict(row)
    data.pop("workspace_id", None)
    return data


@lru_cache(maxsize=64)
def _explain_statement(ws: str) -> sa.Select[Any]:
    ts = schema.tie_scores
    return sa.select(ts).where(ts.c.workspace_id == ws, ts.c.person_id == sa.bindparam("person_id"))


@lru_cache(maxsize=64)
def _ledger_statement(ws: str, of_person: bool) -> sa.Select[Any]:
    """Built once per workspace (and whether for one person, bound at execution)."""
    f = schema.interaction_facts
    q = sa.select(f.c.occurred_at, f.c.direction, f.c.label).where(
        f.c.workspace_id == ws, f.c.direction != "neutral"
    )
    if of_person:
        q = q.where(f.c.counterpart.in_(accounts_of(ws, sa.bindparam("person_id"))))
    return q


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
    q = _ledger_statement(store.workspace_id, person_id is not None)
    periods: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with store.connect() as conn:
        for when, direction, label in conn.execute(q, {"person_id": person_id}):
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
