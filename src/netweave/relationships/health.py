"""Computing relationship health from the ledger and keeping it current.

:func:`recompute` labels new interactions as giving / neutral / self-promotion (once: labels are
cached in ``interaction_labels``), aggregates the ledger per person, scores every tie
(:mod:`netweave.relationships.ties`) and stores scores plus one history point per day, which is
what "cooling" alerts compare against. Incremental by default: only people with new
interactions, new links or no score yet are recomputed.

    >>> from netweave.store import Store
    >>> recompute(Store.open("sqlite://")).people
    0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from .._worker import in_worker
from ..config import Settings
from ..store import Store, schema, utcnow
from ..store._bulk import defer_indexes, restore_indexes
from ._facts import FACT_COLUMNS, PLAIN_SELECT, fact, facts_of, labelled, labelled_apart
from .ties import TieStats, tie_strength

__all__ = ["RecomputeReport", "recompute", "update_facts"]

T = TypeVar("T")

PRIVATE_KINDS = ("dm", "email", "meeting", "call")
BULK_FACTS = 20_000  # new facts from which their table's indexes are rebuilt, not updated
_FACTS_WINDOW = 10_000  # ledger rowids labelled per read: labellers take turns, one window each
WORKER_FACTS = 150_000  # new ledger rows from which worker processes label them
LABELLERS = 2  # worker processes that label a large ledger, taking windows in turn
_CHUNK = 900  # ids per IN (...) list, under every backend's parameter limits
_SCAN_FROM = 20 * _CHUNK  # ids from which one pass over a whole table beats IN (...) lookups


@dataclass
class RecomputeReport:
    """How much work a recompute did."""

    labelled: int = 0
    people: int = 0
    full: bool = False


def _chunks(ids: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _taking_turns(sources: list[Generator[T, None, Any]]) -> Generator[T, None, None]:
    """The items of ``sources`` one from each in turn, until all are spent; closing this
    closes every source.

    >>> list(_taking_turns([(c for c in "ace"), (c for c in "bd")]))
    ['a', 'b', 'c', 'd', 'e']
    """
    try:
        live = list(sources)
        while live:
            for source in list(live):
                try:
                    yield next(source)
                except StopIteration:
                    live.remove(source)
    finally:
        for source in sources:
            source.close()


def _write_facts(
    cursor: Any, insert: str, facts: Iterable[list[tuple[Any, ...]]], touched: set[str]
) -> int:
    """Write facts rows, batch by batch; return how many."""
    count = 0
    for rows in facts:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            touched.update(b[1] for b in batch)
            cursor.executemany(insert, batch)
        count += len(rows)
    return count


def _facts_sqlite(store: Store, domains: list[str]) -> tuple[int, set[str]]:
    """SQLite: new rows are the ledger's rowids above a watermark (a range read, no scan).

    Timestamps stay in their stored text form end to end. The anti-join guards against rows
    that already have facts; a count check catches rows the watermark cannot see (a rowid
    reused after the newest rows were deleted) and falls back to a full anti-join.
    """
    ws = store.workspace_id
    select = (
        "SELECT i.interaction_id, i.kind, i.direction, i.platform, i.occurred_at, "
        "i.actor_account, i.target_account, i.text, i.thread_id FROM interactions i "
        "LEFT JOIN interaction_facts f ON f.workspace_id = i.workspace_id "
        "AND f.interaction_id = i.interaction_id "
        "WHERE f.interaction_id IS NULL AND +i.workspace_id = ?"
    )
    insert = (
        f"INSERT OR REPLACE INTO interaction_facts (workspace_id, {', '.join(FACT_COLUMNS)})"
        f" VALUES ({', '.join('?' * (len(FACT_COLUMNS) + 1))})"
    )
    touched: set[str] = set()
    count = 0
    # facts are made from ledger rows read inside this transaction, which holds the write lock:
    # every interaction they name exists
    with store.transaction(derived=True) as conn:
        mark = int(
            conn.exec_driver_sql(
                "SELECT value FROM sync_state WHERE workspace_id = ? AND connector = 'facts' "
                "AND key = 'rowid'",
                (ws,),
            ).scalar_one_or_none()
            or 0
        )
        top = int(
            conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM interactions").scalar_one()
        )
        have = conn.exec_driver_sql(
            "SELECT count(*) FROM interaction_facts WHERE workspace_id = ?", (ws,)
        ).scalar_one()
        total = conn.exec_driver_sql(
            "SELECT count(*) FROM interactions WHERE workspace_id = ?", (ws,)
        ).scalar_one()
        # a first bulk load: the secondary indexes are built once afterwards, in this same
        # transaction, instead of taking every row at a random point. Without them the
        # anti-join could not look facts up by interaction, so it is left out: the table was
        # empty, no row has facts yet.
        deferred = top - mark >= BULK_FACTS and bool(defer_indexes(store, "interaction_facts"))
        window = PLAIN_SELECT if deferred else select
        # the driver's cursor reads without per-row result objects; one window of rowids at
        # a time keeps memory bounded whatever the ledger's size
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        ranges = [(lo, min(lo + _FACTS_WINDOW, top)) for lo in range(mark, top, _FACTS_WINDOW)]
        database = store.engine.url.database
        facts: Generator[list[tuple[Any, ...]], None, None]
        if top - mark >= WORKER_FACTS and database and database != ":memory:":
            # labelling is Python work, more than writing its rows: two worker processes
            # label every other window each while this one writes what they send
            facts = _taking_turns(
                [
                    in_worker(
                        labelled_apart,
                        database,
                        window,
                        ws,
                        ranges[turn::LABELLERS],
                        domains,
                        name="labelling interactions",
                        start="fresh",
                    )
                    for turn in range(LABELLERS)
                ]
            )
        else:
            facts = labelled(cursor, window, ws, ranges, domains)
        with closing(facts):  # a failed write stops the worker at once
            count += _write_facts(cursor, insert, facts, touched)
        restore_indexes(store)
        if have + count != total:
            cursor.execute(select, (ws,))
            count += _write_facts(
                cursor, insert, [facts_of(cursor.fetchall(), ws, domains)], touched
            )
        cursor.close()
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO sync_state (workspace_id, connector, key, value, updated_at)"
            " VALUES (?, 'facts', 'rowid', ?, ?)",
            (ws, str(top), utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        )
    touched.discard("")
    return count, touched


def update_facts(store: Store, own_domains: Iterable[str] = ()) -> tuple[int, set[str]]:
    """Write the facts row of every interaction that has none; return how many, and the
    accounts on the other side of them.

    Likes carry no words of their own and are neutral. Each interaction is classified once.
    """
    domains = list(own_domains)
    if store.dialect == "sqlite":
        return _facts_sqlite(store, domains)
    i, facts = schema.interactions, schema.interaction_facts
    anti = (
        sa.select(
            i.c.interaction_id,
            i.c.kind,
            i.c.direction,
            i.c.platform,
            i.c.occurred_at,
            i.c.actor_account,
            i.c.target_account,
            i.c.text,
            i.c.thread_id,
        )
        .select_from(
            i.outerjoin(
                facts,
                sa.and_(
                    facts.c.workspace_id == i.c.workspace_id,
                    facts.c.interaction_id == i.c.interaction_id,
                ),
            )
        )
        .where(i.c.workspace_id == store.workspace_id, facts.c.interaction_id.is_(None))
    )
    with store.connect() as conn:
        rows = conn.execute(anti).all()
    batch = [dict(zip(FACT_COLUMNS, fact(r, domains), strict=True)) for r in rows]
    if batch:
        with store.transaction():
            store.upsert(facts, batch, on_conflict="replace", batch_size=5000)
    touched = {b["counterpart"] for b in batch}
    touched.discard("")
    return len(batch), touched


def _owner_accounts(conn: sa.Connection, ws: str) -> list[str]:
    a = schema.accounts
    return list(
        conn.execute(
            sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
        ).scalars()
    )


def _affected_people(conn: sa.Connection, ws: str, accounts: set[str]) -> set[str]:
    """People behind touched accounts, people never scored, and people changed since."""
    link, ts, p = schema.account_links, schema.tie_scores, schema.people
    people: set[str] = set()
    if len(accounts) > _SCAN_FROM:
        # most accounts (a first import): one pass over the links beats a hundred lookups
        q = sa.select(link.c.account_id, link.c.person_id).where(link.c.workspace_id == ws)
        people.update(pid for acc, pid in conn.execute(q) if acc in accounts)
    else:
        for ids in _chunks(sorted(accounts)):
            people.update(
                conn.execute(
                    sa.select(link.c.person_id)
                    .distinct()
                    .where(link.c.workspace_id == ws, link.c.account_id.in_(ids))
                ).scalars()
            )
    stale = (
        sa.select(p.c.person_id)
        .select_from(
            p.outerjoin(
                ts, sa.and_(ts.c.workspace_id == p.c.workspace_id, ts.c.person_id == p.c.person_id)
            )
        )
        .where(
            p.c.workspace_id == ws,
            ~p.c.is_owner,
            sa.or_(ts.c.person_id.is_(None), p.c.updated_at > ts.c.computed_at),
        )
    )
    people.update(conn.execute(stale).scalars())
    return people


def _aggregate(
    conn: sa.Connection,
    ws: str,
    people: list[str] | None,
) -> dict[str, dict[str, Any]]:
    """Per-person sums over the facts of their accounts (one grouped pass over the facts)."""
    f, link = schema.interaction_facts, schema.account_links
    person_of: dict[str, str] = {}
    groups: list[list[str] | None] = [None] if people is None else list(_chunks(people))
    for ids in groups:
        q = sa.select(link.c.account_id, link.c.person_id).where(link.c.workspace_id == ws)
        if ids is not None:
            q = q.where(link.c.person_id.in_(ids))
        person_of.update((acc, pid) for acc, pid in conn.execute(q))
    given = f.c.direction == "given"
    platforms = (
        sa.func.group_concat(sa.distinct(f.c.platform))
        if conn.dialect.name == "sqlite"
        else sa.func.string_agg(sa.distinct(f.c.platform), ",")
    )
    cols = [
        f.c.counterpart,
        sa.func.count().label("n"),
        sa.func.sum(f.c.chars).label("chars"),
        sa.func.sum(sa.case((f.c.kind.in_(PRIVATE_KINDS), 1), else_=0)).label("private"),
        sa.func.sum(sa.case((given, 1), else_=0)).label("given"),
        sa.func.sum(sa.case((f.c.direction == "received", 1), else_=0)).label("received"),
        sa.func.sum(sa.case((sa.and_(given, f.c.label == "giving"), 1), else_=0)).label("giving"),
        sa.func.sum(sa.case((sa.and_(given, f.c.label == "self_promotion"), 1), else_=0)).label(
            "asks"
        ),
        sa.func.sum(sa.case((sa.and_(~given, f.c.label == "giving"), 1), else_=0)).label(
            "got_giving"
        ),
        sa.func.sum(f.c.intimacy).label("intimacy"),
        sa.func.min(f.c.occurred_at).label("first"),
        sa.func.max(f.c.occurred_at).label("last"),
        platforms.label("platforms"),
    ]
    # grouped by the leading key column only: SQLite streams the groups in key order, no sort
    base = (
        sa.select(*cols)
        .where(f.c.workspace_id == ws, f.c.counterpart != "")
        .group_by(f.c.counterpart)
    )
    account_groups: list[list[str] | None] = (
        [None] if people is None else list(_chunks(sorted(person_of)))
    )
    out: dict[str, dict[str, Any]] = {}
    for accs in account_groups:
        q = base if accs is None else base.where(f.c.counterpart.in_(accs))
        for row in conn.execute(q).mappings():
            pid = person_of.get(row["counterpart"])
            if pid is None:
                continue
            agg = out.get(pid)
            if agg is None:
                agg = out[pid] = dict.fromkeys(_SUMS, 0) | {
                    "first": None,
                    "last": None,
                    "platforms": set(),
                }
            for k in _SUMS:
                agg[k] += row[k] or 0
            if row["first"] is not None and (agg["first"] is None or row["first"] < agg["first"]):
                agg["first"] = row["first"]
            if row["last"] is not None and (agg["last"] is None or row["last"] > agg["last"]):
                agg["last"] = row["last"]
            agg["platforms"].update((row["platforms"] or "").split(","))
    for agg in out.values():
        agg["platforms"] = len(agg["platforms"])
    return out


_SUMS = ("n", "chars", "private", "given", "received", "giving", "asks", "got_giving", "intimacy")


def _structure(
    conn: sa.Connection,
    ws: str,
    owners: list[str],
    people: list[str] | None,
) -> tuple[dict[str, bool], dict[str, int], dict[str, int]]:
    """Per person: mutual tie?, number of shared lists, number of platforms with an edge."""
    e, link, lm, a = schema.edges, schema.account_links, schema.list_members, schema.accounts
    owner_set = set(owners)
    person_of: dict[str, str] = {}
    platform_of: dict[str, str] = {}
    groups: list[list[str] | None] = [None] if people is None else list(_chunks(people))
    for ids in groups:
        q = (
            sa.select(link.c.account_id, link.c.person_id, a.c.platform)
            .select_from(
                link.join(
                    a,
                    sa.and_(
                        a.c.workspace_id == link.c.workspace_id, a.c.account_id == link.c.account_id
                    ),
                )
            )
            .where(link.c.workspace_id == ws)
        )
        if ids is not None:
            q = q.where(link.c.person_id.in_(ids))
        for acc, pid, platform in conn.execute(q):
            person_of[acc] = pid
            platform_of[acc] = platform
    follows_out: set[str] = set()
    follows_in: set[str] = set()
    symmetric: set[str] = set()
    accounts = list(person_of)
    edge_groups: list[list[str] | None] = [None] if people is None else list(_chunks(accounts))
    for accs in edge_groups:
        for side in (e.c.to_account, e.c.from_account):
            q = sa.select(e.c.from_account, e.c.to_account, e.c.kind).where(e.c.workspace_id == ws)
            if accs is not None:
                q = q.where(side.in_(accs))
            elif side is e.c.from_account:
                break  # one pass over all edges is enough
            for frm, to, kind in conn.execute(q):
                if frm in owner_set and kind in {"connected", "friend"}:
                    symmetric.add(to)
                elif frm in owner_set and kind == "follows":
                    follows_out.add(to)
                elif to in owner_set and kind == "follows":
                    follows_in.add(frm)
    mutual: dict[str, bool] = {}
    platforms: dict[str, set[str]] = defaultdict(set)
    for acc in (follows_out & follows_in) | symmetric:
        if acc in person_of:
            mutual[person_of[acc]] = True
    for acc in follows_out | follows_in | symmetric:
        if acc in person_of:
            platforms[person_of[acc]].add(platform_of[acc])
    lists: dict[str, set[str]] = defaultdict(set)
    member_groups: list[list[str] | None] = (
        [None] if people is None else list(_chunks(accounts + list(people)))
    )
    for ids in member_groups:
        q = sa.select(lm.c.list_id, lm.c.member_type, lm.c.member_id).where(lm.c.workspace_id == ws)
        if ids is not None:
            q = q.where(lm.c.member_id.in_(ids))
        for list_id, mtype, mid in conn.execute(q):
            pid = mid if mtype == "person" else person_of.get(mid)
            if pid:
                lists[pid].add(list_id)
    return (
        mutual,
        {k: len(v) for k, v in lists.items()},
        {k: len(v) for k, v in platforms.items()},
    )


def recompute(
    store: Store,
    *,
    full: bool = False,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> RecomputeReport:
    """Bring tie scores up to date; ``full`` rescores everyone.

    ``now`` fixes the clock (tests, reproducible reports); scores decay relative to it.
    """
    settings = settings or Settings.load()
    now = now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    ws = store.workspace_id
    labelled, touched = update_facts(store, settings.get("owner.domains"))
    half_life = float(settings.get("ties.half_life_days"))
    with store.connect() as conn:
        owners = _owner_accounts(conn, ws)
        if full:
            p = schema.people
            people = list(
                conn.execute(
                    sa.select(p.c.person_id).where(p.c.workspace_id == ws, ~p.c.is_owner)
                ).scalars()
            )
        else:
            people = sorted(_affected_people(conn, ws, touched))
        if not people:
            return RecomputeReport(labelled, 0, full)
        # many people: read everyone's sums in one pass and keep theirs, rather than look
        # their accounts up a few hundred at a time (a first import scores everyone)
        scope = None if full or len(people) > _SCAN_FROM else people
        agg = _aggregate(conn, ws, scope)
        mutual, shared, edge_platforms = _structure(conn, ws, owners, scope)
    day = now.date().isoformat()
    # scored and written 5,000 people at a time: the rows of every person at once (a score
    # carries its dimensions and reasons) held over 100 MB for 85k people
    with store.transaction():
        for chunk in _chunks(people, 5000):
            scores: list[dict[str, Any]] = []
            for person_id in chunk:
                a = agg.get(person_id, {})
                stats = TieStats(
                    interactions=int(a.get("n") or 0),
                    words=int(a.get("chars") or 0) // 6,
                    private=int(a.get("private") or 0),
                    intimacy_words=int(a.get("intimacy") or 0),
                    given=int(a.get("given") or 0),
                    received=int(a.get("received") or 0),
                    first_contact=a.get("first"),
                    last_contact=a.get("last"),
                    mutual=mutual.get(person_id, False),
                    shared_lists=shared.get(person_id, 0),
                    platforms=max(
                        int(a.get("platforms") or 0), edge_platforms.get(person_id, 0), 1
                    ),
                )
                score = tie_strength(stats, now, half_life)
                scores.append(
                    {
                        "person_id": person_id,
                        "strength": score.strength,
                        "raw": score.raw,
                        "decay": score.decay,
                        "dimensions": score.dimensions,
                        "reasons": score.reasons,
                        "interactions": stats.interactions,
                        "words": stats.words,
                        "private": stats.private,
                        "given": stats.given,
                        "received": stats.received,
                        "giving": int(a.get("giving") or 0),
                        "asks": int(a.get("asks") or 0),
                        "got_giving": int(a.get("got_giving") or 0),
                        "platforms": stats.platforms,
                        "first_contact": stats.first_contact,
                        "last_contact": stats.last_contact,
                        "suggested_circle": score.circle,
                        "computed_at": now,
                    }
                )
            history = [
                {"person_id": row["person_id"], "day": day, "strength": row["strength"]}
                for row in scores
            ]
            store.upsert(schema.tie_scores, scores, on_conflict="replace", batch_size=5000)
            store.upsert(schema.tie_history, history, on_conflict="replace", batch_size=5000)
    if labelled:
        store.analyze()  # when the ledger grew a lot, let the query planner know
    return RecomputeReport(labelled, len(people), full)
