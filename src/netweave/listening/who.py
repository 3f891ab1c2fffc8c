"""Who talks about a topic: people (not posts) ranked by how much and how recently.

Seed 001: "Twitter is an index of people: search by topic to find out who is interested in
what." A person's score counts their matching posts three times over: all of them, those of the
last 180 days and those of the last 30 days, each on a log scale, so steady recent voices rank
above one burst long ago; each person comes with their latest matching posts as evidence.

    >>> from netweave.store import Store
    >>> who(Store.open("sqlite://"), "python packaging")
    []
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..identity.people import accounts_people
from ..store import Store, schema, utcnow
from ..store.schema import sqlite_timestamp
from .search import (
    current_index_column,
    ensure_index,
    index_current,
    match_clause,
    match_value,
    matched_ledger,
    parse_query,
)

__all__ = ["Speaker", "who"]


@dataclass
class Speaker:
    """One person (or a not-yet-resolved account) who talks about the topic."""

    person_id: str | None
    name: str
    score: float
    posts: int
    recent_180: int
    recent_30: int
    last: datetime | None
    samples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def who(
    store: Store,
    query: str,
    *,
    since: timedelta | None = None,
    platform: str | None = None,
    limit: int = 20,
    samples: int = 1,
    now: datetime | None = None,
) -> list[Speaker]:
    """People who talk about ``query``, best first; InputError for a query with no words.

    Each speaker carries the latest matching post of each of their accounts as evidence, or
    up to ``samples`` latest posts when ``samples`` > 1 (one more full-text query).
    """
    terms = parse_query(query)
    now = now or utcnow()
    sqlite = store.dialect == "sqlite"
    params: dict[str, Any] = {
        "fts_query": match_value(store, terms),
        "cut180": now - timedelta(days=180),
        "cut30": now - timedelta(days=30),
        "since_cut": now - since if since is not None else None,
        "platform": platform,
        # accounts are merged into people afterwards, so a few more than ``limit`` are kept
        "top_n": max(limit * 2, 40),
    }
    shape = (since is not None, bool(platform))
    with store.connect() as conn:
        if not conn.in_transaction():
            conn.begin()  # one read snapshot, with no statement of its own
        ranked_accounts = _ranked(store, conn, shape, params)
        # each row says whether the topic index holds every row of the ledger
        if not (ranked_accounts[0][9] if ranked_accounts else index_current(conn)):
            conn.rollback()  # index the new rows, then read a snapshot that has them
            ensure_index(store)
            conn.begin()
            ranked_accounts = _ranked(store, conn, shape, params)
        if not ranked_accounts:
            return []
        # per person: [posts, last 180 days, last 30 days, latest post, accounts, name]; the
        # latest instants stay as the driver returns them (they compare in time order) and
        # only the speakers kept are converted
        grouped: dict[str, list[Any]] = {}
        evidence: dict[str, Sequence[Any]] = {}
        for r in ranked_accounts:
            # on SQLite the latest matching post follows: when, text, url, platform
            actor, n, n180, n30, last, account_name, person_id, person_name, is_owner = r[:9]
            latest = r[10:]  # r[9] is the index check
            if is_owner:
                continue
            key = person_id or f"account:{actor}"
            g = grouped.get(key)
            if g is None:
                grouped[key] = [n, n180, n30, last, [actor], person_name or account_name]
            else:
                g[0] += n
                g[1] += n180
                g[2] += n30
                if last is not None and (g[3] is None or last > g[3]):
                    g[3] = last
                g[4].append(actor)
                g[5] = g[5] or person_name or account_name
            if latest and latest[1] is not None:
                evidence[actor] = latest
        ranked = sorted(grouped.items())  # ties in key order (the sort below is stable)
        ranked.sort(key=lambda kv: (_score(*kv[1][:3]), kv[1][3]), reverse=True)
        speakers = []
        owner_of: dict[str, Speaker] = {}
        for key, (n, n180, n30, last, accounts, name) in ranked[:limit]:
            speaker = Speaker(
                None if key.startswith("account:") else key,
                name or "?",
                round(_score(n, n180, n30), 3),
                n,
                n180,
                n30,
                _instant(last),
            )
            speakers.append(speaker)
            owner_of.update(dict.fromkeys(accounts, speaker))
        if samples > 1 or not sqlite:
            _attach_samples(conn, owner_of, match_clause(store, terms), samples)
        else:
            posts = [
                (acc, {"when": _instant(when), "text": text, "url": url, "platform": where})
                for acc in owner_of
                if acc in evidence
                for when, text, url, where in (evidence[acc],)
            ]
            posts.sort(key=lambda x: x[1]["when"], reverse=True)
            for acc, post in posts:
                owner_of[acc].samples.append(post)
    return speakers


def _ranked(
    store: Store, conn: sa.Connection, shape: tuple[bool, bool], params: dict[str, Any]
) -> Sequence[Sequence[Any]]:
    """The rows of the ranking statement (:func:`_build_ranking`) as plain tuples."""
    if store.dialect != "sqlite":
        return conn.execute(_ranking(store, *shape), params).all()
    # straight on the driver's cursor, rows as plain tuples in the statement's column order:
    # SQLAlchemy's execution and result layers cost a third of the query
    sql, names, defaults = _driver_sql(store, *shape)
    values = {**defaults, **params}
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        rows: list[tuple[Any, ...]] = cursor.execute(
            sql, tuple(_bound(values[n]) for n in names)
        ).fetchall()
        return rows
    finally:
        cursor.close()


_STATEMENTS: dict[tuple[str, str, bool, bool], sa.Select[Any]] = {}


def _ranking(store: Store, since: bool, platform: bool) -> sa.Select[Any]:
    """The ranking statement, built once per shape (values are bound at execution).

    Building a statement with a subquery and an alias costs more than running it on a large
    index, so it is kept per (backend, workspace, filters).
    """
    key = (store.dialect, store.workspace_id, since, platform)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _build_ranking(store, since, platform)
    return statement


_DRIVER: dict[tuple[str, bool, bool], tuple[str, tuple[str, ...], dict[str, Any]]] = {}


def _driver_sql(
    store: Store, since: bool, platform: bool
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The SQLite ranking statement compiled once: its SQL, the names of its positional
    parameters and the values bound at build time."""
    key = (store.workspace_id, since, platform)
    found = _DRIVER.get(key)
    if found is None:
        compiled = _ranking(store, since, platform).compile(dialect=store.engine.dialect)
        names = tuple(compiled.positiontup or ())
        found = _DRIVER[key] = (str(compiled), names, dict(compiled.params))
    return found


def _bound(value: Any) -> Any:
    return sqlite_timestamp(value) if isinstance(value, datetime) else value


def _instant(value: Any) -> datetime | None:
    """A timestamp as the driver returns it (SQLite: canonical text) as an aware datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _build_ranking(store: Store, since: bool, platform: bool) -> sa.Select[Any]:
    """Accounts whose matching posts count most, with their names, people and latest post.

    Counted three times over: all matching posts, those of the last 180 and of the last 30
    days; log(1+a) + log(1+b) + log(1+c) ranks like (1+a)(1+b)(1+c), so the engine ranks and
    keeps the strongest accounts with no per-row work in Python. On SQLite the latest matching
    post comes along too, in the same round trip.
    """
    i, a, p = schema.interactions, schema.accounts, schema.people
    sqlite = store.dialect == "sqlite"
    one: Any = sa.literal_column("1")
    n_all = sa.func.count()
    # count(*) FILTER: cheaper per row than sum(CASE ...) on both engines
    n180 = sa.func.count().filter(i.c.occurred_at >= sa.bindparam("cut180"))
    n30 = sa.func.count().filter(i.c.occurred_at >= sa.bindparam("cut30"))
    rank: Any
    last: Any
    if sqlite:
        # SQLite orders by the output columns' names, so each sum is computed once per group
        # (written out again, with its own bound parameters, it would be computed twice)
        named: list[Any] = [sa.literal_column(x) for x in ("n", "n180", "n30")]
        rank = (one + named[0]) * (one + named[1]) * (one + named[2])
        last = sa.literal_column("last")
    else:
        rank = (1 + n_all) * (1 + n180) * (1 + n30)
        last = sa.func.max(i.c.occurred_at)
    source, match = matched_ledger(store)
    top = (
        sa.select(
            i.c.actor_account,
            n_all.label("n"),
            n180.label("n180"),
            n30.label("n30"),
            sa.func.max(i.c.occurred_at).label("last"),
            # SQLite returns a bare column from the row that gave max(): the latest post
            (sa.literal_column("interactions.rowid") if sqlite else sa.null()).label("latest"),
        )
        .select_from(source)
        .where(match, i.c.actor_account.is_not(None), i.c.direction != "given")
        .group_by(i.c.actor_account)
        .order_by(rank.desc(), last.desc(), i.c.actor_account)
        .limit(sa.bindparam("top_n", type_=sa.Integer))
    )
    if since:
        top = top.where(i.c.occurred_at >= sa.bindparam("since_cut"))
    if platform:
        top = top.where(i.c.platform == sa.bindparam("platform"))
    t = top.subquery("top")
    # every column labelled: on SQLite the rows are read by these names straight off the driver
    columns: list[Any] = [
        *(t.c[name].label(name) for name in ("actor_account", "n", "n180", "n30", "last")),
        sa.func.coalesce(a.c.display_name, a.c.handle, a.c.key).label("account_name"),
        p.c.person_id.label("person_id"),
        p.c.display_name.label("person_name"),
        p.c.is_owner.label("is_owner"),
        # folded into the ranking, the index check costs no statement of its own
        (current_index_column() if sqlite else sa.true()).label("index_current"),
    ]
    joined = t.join(
        accounts_people(),
        sa.and_(a.c.workspace_id == store.workspace_id, a.c.account_id == t.c.actor_account),
    )
    if sqlite:
        latest = i.alias("latest")
        columns += [
            latest.c[name].label(name) for name in ("occurred_at", "text", "url", "platform")
        ]
        joined = joined.outerjoin(latest, sa.literal_column("latest.rowid") == t.c.latest)
    return sa.select(*columns).select_from(joined)


def _score(n: int, n180: int, n30: int) -> float:
    return math.log1p(n) + math.log1p(n180) + math.log1p(n30)


def _attach_samples(
    conn: sa.Connection, owner_of: dict[str, Speaker], match: Any, samples: int
) -> None:
    """Each speaker's latest matching posts (up to ``samples``) as evidence, in one query."""
    i = schema.interactions
    rows = conn.execute(
        sa.select(i.c.actor_account, i.c.occurred_at, i.c.text, i.c.url, i.c.platform)
        .where(match, i.c.actor_account.in_(list(owner_of)))
        .order_by(i.c.occurred_at.desc())
        .limit(len(owner_of) * 20)
    ).all()
    for acc, when, text, url, platform in rows:
        speaker = owner_of[acc]
        if len(speaker.samples) < samples:
            speaker.samples.append({"when": when, "text": text, "url": url, "platform": platform})
