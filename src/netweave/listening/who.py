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
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..identity.people import accounts_people
from ..store import Store, schema, utcnow
from .search import ensure_index, match_clause, parse_query

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
    ensure_index(store)
    now = now or utcnow()
    i, a, p = schema.interactions, schema.accounts, schema.people
    match = match_clause(store, terms)
    cut180, cut30 = now - timedelta(days=180), now - timedelta(days=30)
    n_all = sa.func.count()
    n180 = sa.func.sum(sa.case((i.c.occurred_at >= cut180, 1), else_=0))
    n30 = sa.func.sum(sa.case((i.c.occurred_at >= cut30, 1), else_=0))
    q = (
        sa.select(
            i.c.actor_account,
            n_all.label("n"),
            n180.label("n180"),
            n30.label("n30"),
            sa.func.max(i.c.occurred_at).label("last"),
            # SQLite returns a bare column from the row that gave max(): the latest post
            (
                sa.literal_column("interactions.rowid") if store.dialect == "sqlite" else sa.null()
            ).label("latest"),
        )
        .where(
            match,
            i.c.actor_account.is_not(None),
            i.c.direction != "given",
        )
        .group_by(i.c.actor_account)
        # log(1+a) + log(1+b) + log(1+c) ranks like (1+a)(1+b)(1+c): the engine ranks and
        # keeps the strongest accounts, no per-row work in Python
        .order_by(
            ((1 + n_all) * (1 + n180) * (1 + n30)).desc(),
            sa.func.max(i.c.occurred_at).desc(),
            i.c.actor_account,
        )
        .limit(max(limit * 5, 50))
    )
    if since is not None:
        q = q.where(i.c.occurred_at >= now - since)
    if platform:
        q = q.where(i.c.platform == platform)
    with store.connect() as conn:
        per_account = list(conn.execute(q).all())
        if not per_account:
            return []

        def score(n: int, n180: int, n30: int) -> float:
            return math.log1p(n) + math.log1p(n180) + math.log1p(n30)

        top = per_account
        accounts = [r.actor_account for r in top]
        # one query for the accounts' names and people (and whether that person is the owner)
        people: dict[str, str] = {}
        names: dict[str, str] = {}
        person_names: dict[str, str] = {}
        owner_people: set[str] = set()
        for acc, acc_name, person_id, person_name, is_owner in conn.execute(
            sa.select(
                a.c.account_id,
                sa.func.coalesce(a.c.display_name, a.c.handle, a.c.key),
                p.c.person_id,
                p.c.display_name,
                p.c.is_owner,
            )
            .select_from(accounts_people())
            .where(a.c.workspace_id == store.workspace_id, a.c.account_id.in_(accounts))
        ):
            names[acc] = acc_name
            if person_id is not None:
                people[acc] = person_id
                person_names[person_id] = person_name
                if is_owner:
                    owner_people.add(person_id)
        grouped: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"n": 0, "n180": 0, "n30": 0, "last": None, "accounts": []}
        )
        for r in top:
            key = people.get(r.actor_account) or f"account:{r.actor_account}"
            if key in owner_people:
                continue
            g = grouped[key]
            g["n"] += r.n
            g["n180"] += r.n180
            g["n30"] += r.n30
            g["last"] = max(x for x in (g["last"], r.last) if x is not None)
            g["accounts"].append(r.actor_account)
        ranked = sorted(
            grouped.items(),
            key=lambda kv: (
                -score(kv[1]["n"], kv[1]["n180"], kv[1]["n30"]),
                -kv[1]["last"].timestamp(),
                kv[0],
            ),
        )
        speakers = []
        owner_of: dict[str, Speaker] = {}
        for key, g in ranked[:limit]:
            person_id = None if key.startswith("account:") else key
            name = person_names.get(key) if person_id else None
            speakers.append(
                Speaker(
                    person_id,
                    name or names.get(g["accounts"][0]) or "?",
                    round(score(g["n"], g["n180"], g["n30"]), 3),
                    g["n"],
                    g["n180"],
                    g["n30"],
                    g["last"],
                )
            )
            owner_of.update(dict.fromkeys(g["accounts"], speakers[-1]))
        latest = [r.latest for r in top if r.latest is not None and r.actor_account in owner_of]
        if samples > 1 or not latest:
            _attach_samples(conn, owner_of, match, samples)
        else:
            _attach_latest(conn, owner_of, latest)
    return speakers


def _attach_latest(
    conn: sa.Connection,
    owner_of: dict[str, Speaker],
    rowids: list[int],
) -> None:
    """The latest matching post of each account, fetched by rowid (no second search)."""
    i = schema.interactions
    rows = conn.execute(
        sa.select(i.c.actor_account, i.c.occurred_at, i.c.text, i.c.url, i.c.platform)
        .where(sa.literal_column("interactions.rowid").in_(rowids))
        .order_by(i.c.occurred_at.desc())
    ).all()
    for acc, when, text, url, platform in rows:
        owner_of[acc].samples.append({"when": when, "text": text, "url": url, "platform": platform})


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
