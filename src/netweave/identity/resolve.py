"""Resolving accounts into people in the store, fully or incrementally, keeping people stable.

:func:`resolve` reads accounts with their contacts (:mod:`netweave.identity.records`), matches
(:mod:`~netweave.identity.match`) and clusters (:mod:`~netweave.identity.cluster`) them, and
writes only the difference:

- every account is linked to exactly one person (a singleton gets a person of its own);
- people whose accounts did not change keep their ids (and so their notes, lists, goals); a new
  cluster takes the id of the existing person holding most of its accounts, and a cluster with
  no such person gets an id derived from its smallest account id, so a full re-run over the
  same data gives the same people with the same ids;
- manual decisions (merge, split, accept, reject) live in ``link_decisions`` and are applied on
  every run, so re-runs and re-imports never override them;
- every link keeps its evidence as readable reasons; pairs between the thresholds are stored as
  ``proposed`` decisions for ``netweave review``.

Incremental runs (``account_ids`` given, e.g. the accounts an import added or changed, see
:func:`stale_accounts`) re-resolve only the affected blocks: the given accounts, every account
sharing a blocking key with them (from the stored ``identity_keys`` index), and the other
accounts of all those accounts' people, reusing the match weights of the last full run. When
there is no index yet, or most accounts changed, the run is a full one.

    >>> from netweave.store import Store
    >>> resolve(Store.open("sqlite://")).people
    0
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

import sqlalchemy as sa

from ..store import Store, make_id, schema, utcnow
from .blocking import block_keys, prepare
from .cluster import cluster
from .match import Match, Params, match, paused_gc
from .people import reassign_person
from .records import IDENTITY_EXTRA, Record, record_from_row

__all__ = ["ResolveReport", "load_records", "resolve", "stale_accounts"]

FULL_FRACTION = 0.5  # an incremental run over more than this share of accounts runs in full
_CHUNK = 900  # ids per IN (...) list, well below every backend's bound-parameter limit

# Which account's name a person shows: address books and LinkedIn carry real names.
_NAME_PRIORITY = {
    "contacts": 0,
    "google_contacts": 0,
    "linkedin": 1,
    "facebook": 2,
    "manual": 3,
    "mastodon": 4,
    "bluesky": 5,
    "twitter": 6,
    "blog": 7,
}


@dataclass
class ResolveReport:
    """What a resolution run found and changed."""

    accounts: int = 0  # accounts (re-)resolved in this run
    people: int = 0  # people in the workspace afterwards
    auto_links: int = 0  # candidate pairs linked automatically
    proposed: int = 0  # pairs waiting for review
    apart: int = 0  # candidate pairs compared and kept apart
    changed: int = 0  # account links written
    incremental: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(block_key: str) -> str:
    return block_key[:200]  # the stored column's width; long URLs are unique well before


def _chunks(ids: Sequence[str], size: int = _CHUNK) -> list[list[str]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def _fingerprint(row: Mapping[str, Any], contacts: list[tuple[str, str]]) -> str:
    extra = row.get("extra") if isinstance(row.get("extra"), dict) else {}
    data = [
        row.get(k)
        for k in ("platform", "key", "handle", "display_name", "url", "bio", "location", "website")
    ]
    data.append(bool(row.get("is_owner")))
    data.append({k: extra.get(k) for k in IDENTITY_EXTRA if extra and extra.get(k)})
    data.append(sorted(contacts))
    raw = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


_COLUMNS = (
    "account_id",
    "platform",
    "key",
    "handle",
    "display_name",
    "url",
    "bio",
    "location",
    "website",
    "is_owner",
    "extra",
)


def _rows(
    conn: sa.Connection, ws: str, ids: Sequence[str] | None
) -> Iterator[tuple[Mapping[str, Any], list[tuple[str, str]]]]:
    """Account rows in id order, each with its contacts; all accounts when ``ids`` is None.

    Streamed: a caller keeps what it makes of a row, not the row (a full network's rows as
    dicts held about 80 MB for 85k accounts).
    """
    a, c = schema.accounts, schema.account_contacts
    cols = [a.c[name] for name in _COLUMNS]
    chunks: list[list[str] | None] = [None] if ids is None else list(_chunks(sorted(ids)))
    for chunk in chunks:
        acc_where = [a.c.workspace_id == ws]
        con_where = [c.c.workspace_id == ws]
        if chunk is not None:
            acc_where.append(a.c.account_id.in_(chunk))
            con_where.append(c.c.account_id.in_(chunk))
        contacts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for acc, kind, value in conn.execute(
            sa.select(c.c.account_id, c.c.kind, c.c.value).where(*con_where)
        ):
            contacts[acc].append((kind, value))
        found = conn.execute(sa.select(*cols).where(*acc_where).order_by(a.c.account_id))
        for row in found.mappings():
            yield cast(Mapping[str, Any], row), contacts.get(row["account_id"], [])


def _load(
    conn: sa.Connection, ws: str, ids: Sequence[str] | None
) -> tuple[list[Record], dict[str, str]]:
    """Records and fingerprints of the given accounts (all when ``ids`` is None)."""
    records, prints = [], {}
    with paused_gc():
        for row, found in _rows(conn, ws, ids):
            records.append(record_from_row(row, found))
            prints[row["account_id"]] = _fingerprint(row, found)
    return records, prints


def load_records(store: Store) -> list[Record]:
    """Every account of the workspace as a :class:`Record`, with contacts and references."""
    with store.connect() as conn:
        return _load(conn, store.workspace_id, None)[0]


def stale_accounts(store: Store) -> list[str]:
    """Accounts identity resolution has not seen as they are now (new, or changed since).

    >>> from netweave.store import Store
    >>> stale_accounts(Store.open("sqlite://"))
    []
    """
    ws = store.workspace_id
    with store.connect() as conn:
        prints = {
            row["account_id"]: _fingerprint(row, found) for row, found in _rows(conn, ws, None)
        }
        ix = schema.identity_index
        known = dict(
            conn.execute(
                sa.select(ix.c.account_id, ix.c.fingerprint).where(ix.c.workspace_id == ws)
            ).all()
        )
    return sorted(acc for acc, fp in prints.items() if known.get(acc) != fp)


def _params(conn: sa.Connection, ws: str) -> Params | None:
    st = schema.sync_state
    value = conn.execute(
        sa.select(st.c.value).where(
            st.c.workspace_id == ws, st.c.connector == "identity", st.c.key == "params"
        )
    ).scalar_one_or_none()
    if not value:
        return None
    data = json.loads(value)
    return Params(data["m"], data["u"], data["prior"])


def _affected(conn: sa.Connection, ws: str, changed: list[Record], keys: set[str]) -> set[str]:
    """The changed accounts, the accounts sharing a blocking key with them (old keys or new),
    and every other account of all those accounts' people."""
    k, link = schema.identity_keys, schema.account_links
    ids = sorted(r.account_id for r in changed)
    for chunk in _chunks(ids):
        keys |= set(
            conn.execute(
                sa.select(k.c.block_key).where(k.c.workspace_id == ws, k.c.account_id.in_(chunk))
            ).scalars()
        )
    affected = set(ids)
    for chunk in _chunks(sorted(keys)):
        affected |= set(
            conn.execute(
                sa.select(k.c.account_id).where(k.c.workspace_id == ws, k.c.block_key.in_(chunk))
            ).scalars()
        )
    people: set[str] = set()
    for chunk in _chunks(sorted(affected)):
        people |= set(
            conn.execute(
                sa.select(link.c.person_id).where(
                    link.c.workspace_id == ws, link.c.account_id.in_(chunk)
                )
            ).scalars()
        )
    for chunk in _chunks(sorted(people)):
        affected |= set(
            conn.execute(
                sa.select(link.c.account_id).where(
                    link.c.workspace_id == ws, link.c.person_id.in_(chunk)
                )
            ).scalars()
        )
    return affected


def _decisions(conn: sa.Connection, ws: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    d = schema.link_decisions
    same: list[tuple[str, str]] = []
    different: list[tuple[str, str]] = []
    for a, b, decision in conn.execute(
        sa.select(d.c.account_a, d.c.account_b, d.c.decision).where(
            d.c.workspace_id == ws, d.c.decision.in_(["same", "different"])
        )
    ):
        (same if decision == "same" else different).append((a, b))
    return same, different


def _display_name(members: list[Record]) -> str:
    def rank(r: Record) -> tuple[int, int, int, str]:
        tokens = (r.display_name or "").split()
        return (
            0 if len(tokens) >= 2 else 1,
            _NAME_PRIORITY.get(r.platform, 9),
            -len(r.display_name or ""),
            r.account_id,
        )

    named = [r for r in members if r.display_name]
    if named:
        return str(min(named, key=rank).display_name)
    best = min(members, key=lambda r: (_NAME_PRIORITY.get(r.platform, 9), r.account_id))
    return best.handle or best.key


def resolve(store: Store, account_ids: Iterable[str] | None = None) -> ResolveReport:
    """Match accounts, cluster them into people, and write what changed.

    ``account_ids`` None resolves every account; otherwise only the blocks those accounts are
    in (see the module docstring). Deterministic: the same accounts and decisions always give
    the same people and ids.
    """
    ws = store.workspace_id
    link, p = schema.account_links, schema.people
    with store.connect() as conn:
        total = conn.execute(
            sa.select(sa.func.count())
            .select_from(schema.accounts)
            .where(schema.accounts.c.workspace_id == ws)
        ).scalar_one()
        ids = None if account_ids is None else sorted(set(account_ids))
        params: Params | None = None
        if ids is not None:
            params = _params(conn, ws)
            if params is None or len(ids) > FULL_FRACTION * total:
                ids = None
        if ids is None:
            records, prints = _load(conn, ws, None)
        elif not ids:
            records, prints = [], {}
        else:
            changed, prints = _load(conn, ws, ids)
            keys = {_key(k) for r in changed for part in block_keys(prepare(r)) for k in part}
            others = sorted(_affected(conn, ws, changed, keys) - set(ids))
            more, more_prints = _load(conn, ws, others)
            records = sorted(changed + more, key=lambda r: r.account_id)
            prints.update(more_prints)
        same, different = _decisions(conn, ws)
        loaded = {r.account_id for r in records}
        current = {
            acc: (pid, method)
            for acc, pid, method in conn.execute(
                sa.select(link.c.account_id, link.c.person_id, link.c.method).where(
                    link.c.workspace_id == ws
                )
            )
            if acc in loaded
        }
        existing_people = set(
            conn.execute(sa.select(p.c.person_id).where(p.c.workspace_id == ws)).scalars()
        )
        ix = schema.identity_index
        known_prints = dict(
            conn.execute(
                sa.select(ix.c.account_id, ix.c.fingerprint).where(ix.c.workspace_id == ws)
            ).all()
        )
    if not records:
        return ResolveReport(people=len(existing_people), incremental=ids is not None)
    result = match(records, params)
    outside = existing_people - {pid for pid, _ in current.values()}
    with paused_gc():
        plan = _plan(records, result.pairs, current, same, different, outside)
    index = {
        acc: (prints[acc], result.keys.get(acc, []))
        for acc in loaded
        if known_prints.get(acc) != prints[acc]
    }
    _write(
        store,
        plan,
        existing_people,
        loaded,
        index,
        result.params if ids is None else None,
        full=ids is None,
    )
    with store.connect() as conn:
        people = conn.execute(
            sa.select(sa.func.count()).select_from(p).where(p.c.workspace_id == ws)
        ).scalar_one()
    return ResolveReport(
        accounts=len(records),
        people=people,
        auto_links=sum(1 for mt in result.pairs if mt.outcome == "auto"),
        proposed=len(plan.proposals),
        apart=sum(1 for mt in result.pairs if mt.outcome == "apart"),
        changed=len(plan.links),
        incremental=ids is not None,
    )


# the evidence of most links, one shared (read-only) object each: a first import links every
# account, most of them alone in their person
_OWN: dict[str, Any] = {"reasons": ["your own account"]}
_ONLY: dict[str, Any] = {"reasons": ["only account of this person"]}
_MERGED: dict[str, Any] = {"reasons": ["merged by you"]}


@dataclass
class _Plan:
    people: list[dict[str, Any]]
    links: list[dict[str, Any]]
    proposals: list[Match]
    absorbed: dict[str, str]


def _plan(
    records: list[Record],
    pairs: list[Match],
    current: dict[str, tuple[str, str]],
    same: list[tuple[str, str]],
    different: list[tuple[str, str]],
    outside: set[str],
) -> _Plan:
    """People and links for the clustered records (pure)."""
    same = list(same)
    # accounts the user placed by hand stay with the rest of their person
    by_person: dict[str, list[str]] = defaultdict(list)
    for acc, (pid, _) in sorted(current.items()):
        by_person[pid].append(acc)
    for acc, (pid, method) in sorted(current.items()):
        if method == "manual":
            others = [o for o in by_person[pid] if o != acc]
            if others:
                same.append((acc, others[0]))
    rep, demoted = cluster(records, pairs, same=same, different=different)
    by_id = {r.account_id: r for r in records}
    groups: dict[str, list[Record]] = defaultdict(list)
    for acc, root in rep.items():
        groups[root].append(by_id[acc])
    evidence: dict[str, tuple[float, list[str]]] = {}
    for mt in pairs:
        if mt.outcome == "auto" and rep[mt.a] == rep[mt.b]:
            for acc, other in ((mt.a, mt.b), (mt.b, mt.a)):
                if acc not in evidence or evidence[acc][0] < mt.probability:
                    label = by_id[other].handle or by_id[other].display_name or other[:8]
                    why = [*mt.reasons, f"with {by_id[other].platform} {label}"]
                    evidence[acc] = (mt.probability, why)
    manual_pairs = {frozenset(x) for x in same}
    in_manual = {acc for pair in same for acc in pair}
    # stable ids: a cluster keeps the id of the existing person holding most of its accounts
    taken: set[str] = set(outside)
    person_of_root: dict[str, str] = {}
    for root in sorted(groups, key=lambda r: (-len(groups[r]), r)):
        votes = Counter(current[r.account_id][0] for r in groups[root] if r.account_id in current)
        choice = next(
            (
                pid
                for pid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                if pid not in taken
            ),
            None,
        )
        if choice is None:
            # a new person: named after its smallest account, never reusing an id in use
            choice, n = make_id("person", root), 0
            while choice in taken:
                n += 1
                choice = make_id("person", root, n)
        person_of_root[root] = choice
        taken.add(choice)
    now = utcnow()
    people_rows, link_rows = [], []
    for root, members in groups.items():
        pid = person_of_root[root]
        owner = any(r.is_owner for r in members)
        people_rows.append(
            {
                "person_id": pid,
                "display_name": _display_name(members),
                "location": next((r.location for r in members if r.location), None),
                "is_owner": owner,
                "created_at": now,
                "updated_at": now,
            }
        )
        for r in members:
            manual = (
                r.account_id in in_manual
                and any(
                    frozenset((r.account_id, o.account_id)) in manual_pairs
                    for o in members
                    if o is not r
                )
            ) or (current.get(r.account_id, ("", ""))[1] == "manual" and len(members) == 1)
            score, reasons = evidence.get(r.account_id, (1.0, []))
            if owner and r.is_owner:
                shown = _OWN
            elif len(members) == 1:
                shown = _ONLY
            elif manual and not reasons:
                shown = _MERGED
            else:
                shown = {"reasons": reasons}
            if current.get(r.account_id, (None, None))[0] != pid:
                link_rows.append(
                    {
                        "account_id": r.account_id,
                        "person_id": pid,
                        "method": "manual" if manual else "auto",
                        "score": score,
                        "evidence": shown,
                        "created_at": now,
                    }
                )
    proposals = [mt for mt in pairs if mt.outcome == "review" and rep[mt.a] != rep[mt.b]]
    proposals += [mt for mt in demoted if rep[mt.a] != rep[mt.b]]
    new_person = {r.account_id: person_of_root[rep[r.account_id]] for r in records}
    absorbed: dict[str, str] = {}
    for acc, (old, _) in sorted(current.items()):
        if old not in taken and acc in new_person:
            absorbed.setdefault(old, new_person[acc])
    return _Plan(people_rows, link_rows, proposals, absorbed)


def _write(
    store: Store,
    plan: _Plan,
    existing_people: set[str],
    loaded: set[str],
    index: dict[str, tuple[str, list[str]]],
    params: Params | None,
    *,
    full: bool,
) -> None:
    ws = store.workspace_id
    link, p, d = schema.account_links, schema.people, schema.link_decisions
    ix, keys = schema.identity_index, schema.identity_keys
    now = utcnow()
    with store.transaction() as conn:
        store.upsert(p, [r for r in plan.people if r["person_id"] not in existing_people])
        if plan.links:
            store.upsert(link, plan.links, on_conflict="replace")
            # people whose accounts changed take the best name and place of their accounts now
            touched = {r["person_id"] for r in plan.links} & existing_people
            for row in plan.people:
                if row["person_id"] in touched:
                    conn.execute(
                        sa.update(p)
                        .where(p.c.workspace_id == ws, p.c.person_id == row["person_id"])
                        .values(
                            display_name=row["display_name"],
                            location=row["location"],
                            is_owner=row["is_owner"],
                            updated_at=now,
                        )
                    )
        # people whose accounts all joined someone else hand over what the user recorded
        for old, new in sorted(plan.absorbed.items()):
            reassign_person(conn, ws, old, new)
        # proposals among these accounts are refreshed; decisions the user made are kept
        if full:
            conn.execute(sa.delete(d).where(d.c.workspace_id == ws, d.c.decision == "proposed"))
        else:
            for a, b in conn.execute(
                sa.select(d.c.account_a, d.c.account_b).where(
                    d.c.workspace_id == ws, d.c.decision == "proposed"
                )
            ).all():
                if a in loaded or b in loaded:
                    conn.execute(
                        sa.delete(d).where(
                            d.c.workspace_id == ws, d.c.account_a == a, d.c.account_b == b
                        )
                    )
        store.upsert(
            d,
            [
                {
                    "account_a": mt.a,
                    "account_b": mt.b,
                    "decision": "proposed",
                    "score": mt.probability,
                    "evidence": {"reasons": mt.reasons},
                    "created_at": now,
                }
                for mt in plan.proposals
            ],
            on_conflict="nothing",
        )
        if index:
            changed = sorted(index)
            for ids in _chunks(changed):
                conn.execute(
                    sa.delete(keys).where(keys.c.workspace_id == ws, keys.c.account_id.in_(ids))
                )
            # rows made chunk by chunk as they are written: an account has several keys
            store.upsert(
                keys,
                (
                    {"block_key": k, "account_id": acc}
                    for acc in changed
                    for k in sorted({_key(x) for x in index[acc][1]})
                ),
                on_conflict="nothing",
            )
            store.upsert(
                ix,
                ({"account_id": acc, "fingerprint": index[acc][0]} for acc in changed),
                on_conflict="replace",
            )
        if params is not None:
            store.upsert(
                schema.sync_state,
                [
                    {
                        "connector": "identity",
                        "key": "params",
                        "value": json.dumps({"m": params.m, "u": params.u, "prior": params.prior}),
                        "updated_at": now,
                    }
                ],
                on_conflict="replace",
            )
