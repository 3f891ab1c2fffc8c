"""Who talks about a topic: netweave's `who` against the raw FTS5 query, same data, one run.

Corpus: synthetic posts from authors (all resolved to people), a Zipf vocabulary with topic
words. The floor is the raw SQLite FTS5 query "top 20 authors by matching posts for term T"
over an external-content FTS5 table; netweave's `who` ranks people with recency and evidence.
Prints index build times, p50/p95 over 20 terms, and the ratios (goal: p95 within 1.5x).

    python bench/bench_who.py [--posts 1000000] [--authors 50000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from netweave.listening.search import ensure_index
from netweave.listening.who import who
from netweave.store import Store, make_id

NOW = datetime(2024, 6, 1, tzinfo=UTC)
RAW_QUERY = (
    "SELECT i.actor_account, count(*) AS c FROM raw_fts JOIN interactions i "
    "ON i.rowid = raw_fts.rowid WHERE raw_fts MATCH ? GROUP BY i.actor_account "
    "ORDER BY c DESC LIMIT 20"
)


def populate(path: Path, n_posts: int, n_authors: int, seed: int = 3) -> list[str]:
    Store.open(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(20_000)]
    topics = [f"topic{i}" for i in range(300)]
    cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))
    conn = sqlite3.connect(path)
    ts = NOW.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    conn.executemany(
        "INSERT INTO accounts (workspace_id, account_id, platform, key, is_owner, "
        "display_name) VALUES ('local', ?, 'twitter', ?, 0, ?)",
        [(make_id("a", i), str(i), f"Author {i}") for i in range(n_authors)],
    )
    conn.executemany(
        "INSERT INTO people (workspace_id, person_id, display_name, created_at, "
        "updated_at, is_owner) VALUES ('local', ?, ?, ?, ?, 0)",
        [(make_id("p", i), f"Author {i}", ts, ts) for i in range(n_authors)],
    )
    conn.executemany(
        "INSERT INTO account_links (workspace_id, account_id, person_id, method, "
        "created_at) VALUES ('local', ?, ?, 'auto', ?)",
        [(make_id("a", i), make_id("p", i), ts) for i in range(n_authors)],
    )
    author_cum = list(itertools.accumulate(1 / (i + 1) ** 0.7 for i in range(n_authors)))
    authors = rng.choices(range(n_authors), cum_weights=author_cum, k=n_posts)
    batch = []
    for n in range(n_posts):
        words = rng.choices(vocab, cum_weights=cum, k=12)
        if rng.random() < 0.3:
            words[rng.randrange(12)] = rng.choice(topics)
        when = NOW - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        batch.append(
            (
                make_id("i", n),
                make_id("a", authors[n]),
                when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                " ".join(words),
            )
        )
        if len(batch) == 100_000:
            _insert(conn, batch)
            batch = []
    _insert(conn, batch)
    conn.commit()
    conn.close()
    return rng.sample(topics, 20)


def _insert(conn: sqlite3.Connection, rows: list[tuple[str, str, str, str]]) -> None:
    conn.executemany(
        "INSERT INTO interactions (workspace_id, interaction_id, platform, kind, "
        "actor_account, occurred_at, text, direction) "
        "VALUES ('local', ?, 'twitter', 'post', ?, ?, ?, 'neutral')",
        rows,
    )


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--authors", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "who.db"
        t0 = time.perf_counter()
        terms = populate(path, args.posts, args.authors)
        print(
            f"corpus: {args.posts:,} posts, {args.authors:,} authors "
            f"({time.perf_counter() - t0:.1f} s to generate)"
        )
        raw = sqlite3.connect(path)
        t0 = time.perf_counter()
        raw.execute(
            "CREATE VIRTUAL TABLE raw_fts USING fts5(text, content='interactions', "
            "content_rowid='rowid')"
        )
        raw.execute("INSERT INTO raw_fts(raw_fts) VALUES ('rebuild')")
        raw.commit()
        raw_build = time.perf_counter() - t0
        store = Store.open(f"sqlite:///{path}")
        t0 = time.perf_counter()
        ensure_index(store)
        nw_build = time.perf_counter() - t0
        raw_times: list[float] = []
        nw_times: list[float] = []
        for _ in range(args.repeat):
            for term in terms:
                t0 = time.perf_counter()
                raw.execute(RAW_QUERY, (term,)).fetchall()
                raw_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                found = who(store, term, now=NOW)
                nw_times.append(time.perf_counter() - t0)
                assert found, term
        raw.close()
        store.close()
    r50, r95 = pct(raw_times, 50) * 1e3, pct(raw_times, 95) * 1e3
    n50, n95 = pct(nw_times, 50) * 1e3, pct(nw_times, 95) * 1e3
    print(f"{'':<34}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'raw FTS5 GROUP BY author':<34}{raw_build:>9.1f}{r50:>9.1f}{r95:>9.1f}")
    print(f"{'netweave who (people, evidence)':<34}{nw_build:>9.1f}{n50:>9.1f}{n95:>9.1f}")
    print(
        f"ratio p95 {n95 / r95:.2f}x (goal <= 1.5x: {'met' if n95 <= 1.5 * r95 else 'NOT met'})"
        f"; build {nw_build / raw_build:.2f}x of the raw rebuild"
    )


if __name__ == "__main__":
    main()
