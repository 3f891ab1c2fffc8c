"""Relationship health at scale: 50k people, 2M interactions (SQLite).

Times, in one run: the first full recompute (which also labels every interaction give/get once),
a full recompute with labels cached, and an incremental update after importing 1k interactions.
Goal (issue): full recompute under 10 s, incremental under 1 s.

    python bench/bench_relationships.py [--people 50000] [--interactions 2000000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from netweave.config import Settings
from netweave.goals.model import create_goal
from netweave.goals.model import report as goal_report
from netweave.relationships.health import recompute
from netweave.store import Store, make_id

NOW = datetime(2024, 6, 1, tzinfo=UTC)
TEXTS = [
    "Congrats on the launch!",
    "Dinner next week?",
    "Download my new e-book",
    "Anyone know a good CSV linter?",
    "Thanks for the intro",
    "Great talk yesterday",
    "RT @x: new post on packaging",
    "See you at 7",
    "Here's how I fixed it: pin it",
    "Lunch was nice",
]
KINDS = ["reply", "mention", "dm", "post", "like", "comment"]


def ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def populate(path: Path, n_people: int, n_inter: int, seed: int = 1) -> None:
    Store.open(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    now = ts(NOW)
    owner = make_id("acc", "owner")
    conn.execute(
        "INSERT INTO accounts (workspace_id, account_id, platform, key, is_owner) "
        "VALUES ('local', ?, 'twitter', 'owner', 1)",
        (owner,),
    )
    people, accounts, links = [], [], []
    for p in range(n_people):
        pid = make_id("person", p)
        people.append(("local", pid, f"Person {p}", now, now))
        for platform in ("twitter", "mastodon")[: 1 + (p % 5 == 0)]:
            aid = make_id("acc", p, platform)
            accounts.append(("local", aid, platform, f"{p}-{platform}"))
            links.append(("local", aid, pid, "auto", 1.0, now))
    conn.executemany(
        "INSERT INTO people (workspace_id, person_id, display_name, created_at, "
        "updated_at, is_owner) VALUES (?,?,?,?,?,0)",
        people,
    )
    conn.executemany(
        "INSERT INTO accounts (workspace_id, account_id, platform, key, is_owner) "
        "VALUES (?,?,?,?,0)",
        accounts,
    )
    conn.executemany(
        "INSERT INTO account_links (workspace_id, account_id, person_id, method, "
        "score, created_at) VALUES (?,?,?,?,?,?)",
        links,
    )
    account_ids = [a[1] for a in accounts]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(account_ids))]
    batch = []
    for i, acc in enumerate(rng.choices(account_ids, weights, k=n_inter)):
        given = rng.random() < 0.5
        when = NOW - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        batch.append(
            (
                "local",
                make_id("i", i),
                "twitter",
                rng.choice(KINDS),
                owner if given else acc,
                acc if given else owner,
                ts(when),
                rng.choice(TEXTS),
                "given" if given else "received",
            )
        )
        if len(batch) >= 100_000:
            _insert(conn, batch)
            batch = []
    _insert(conn, batch)
    conn.commit()
    conn.close()


def _insert(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO interactions (workspace_id, interaction_id, platform, kind, "
        "actor_account, target_account, occurred_at, text, direction) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        populate(path, args.people, args.interactions)
        print(
            f"populated {args.people:,} people, {args.interactions:,} interactions "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        store = Store.open(f"sqlite:///{path}")
        settings = Settings()
        t0 = time.perf_counter()
        first = recompute(store, full=True, now=NOW, settings=settings)
        t_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = recompute(store, full=True, now=NOW, settings=settings)
        t_full = time.perf_counter() - t0
        conn = sqlite3.connect(path)
        owner = make_id("acc", "owner")
        rows = [
            (
                "local",
                make_id("new", i),
                "twitter",
                "reply",
                owner,
                make_id("acc", i * 37 % args.people, "twitter"),
                ts(NOW),
                "Thanks!",
                "given",
            )
            for i in range(1000)
        ]
        _insert(conn, rows)
        conn.commit()
        conn.close()
        t0 = time.perf_counter()
        inc = recompute(store, now=NOW, settings=settings)
        t_inc = time.perf_counter() - t0
        # issue 7: `goal report` for 10 goals over the same ledger
        goal_ids = []
        for n in range(10):
            metrics = [("conversations", 50.0), ("help_given", 100.0), ("new_relationships", 20.0)]
            goal_ids.append(
                create_goal(
                    store,
                    title=f"goal {n}",
                    why="custom",
                    start=NOW - timedelta(days=90 + n),
                    deadline=NOW + timedelta(days=90),
                    key_results=metrics[: 1 + n % 3],
                    force=True,
                    links=[("person", make_id("person", p)) for p in range(n * 50, n * 50 + 40)]
                    if n % 2
                    else None,
                )
            )
        t0 = time.perf_counter()
        for gid in goal_ids:
            goal_report(store, gid, now=NOW)
        t_goals = time.perf_counter() - t0
        store.close()
    print(f"{'step':<44}{'seconds':>9}  detail")
    print(
        f"{'first full recompute (labels 2M + scores)':<44}{t_first:>9.2f}  "
        f"{first.labelled:,} labelled, {first.people:,} people"
    )
    print(
        f"{'full recompute (labels cached)':<44}{t_full:>9.2f}  {again.people:,} people"
        f"  goal < 10 s: {'met' if t_full < 10 else 'NOT met'}"
    )
    print(
        f"{'incremental after 1k new interactions':<44}{t_inc:>9.2f}  "
        f"{inc.labelled:,} labelled, {inc.people:,} people"
        f"  goal < 1 s: {'met' if t_inc < 1 else 'NOT met'}"
    )
    print(
        f"{'goal report, 10 goals':<44}{t_goals:>9.2f}  "
        f"goal < 1 s: {'met' if t_goals < 1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
