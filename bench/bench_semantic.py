"""Semantic search: `index --semantic` throughput and `who --semantic` latency, against floors.

Corpus: synthetic short posts (sentences about a dozen topics, in varied words) from authors
resolved to people. Index floor: the embedder alone on the same texts (no database); netweave
adds reading the ledger, hashing and writing the vectors. Query floor: one matrix product over
the vectors already in memory; netweave reads them from the database (numpy scan) or lets
sqlite-vec compare them in SQLite, then ranks people and fetches evidence. The scan is timed
again over random vectors (``--scan``) to show how latency grows with the index.

Uses all-MiniLM-L6-v2 when the ``embeddings`` extra (and PyTorch) is installed, else the
hashing embedder, and says which.

    python bench/bench_semantic.py [--posts 2000] [--scan 20000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from netweave.errors import MissingExtra
from netweave.listening import semantic
from netweave.listening.vectors import sqlite_vec_usable
from netweave.store import Store, make_id

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TS = NOW.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
TOPICS = {
    "python packaging": ["wheels", "pip install", "pyproject.toml", "PyPI uploads", "sdists"],
    "accessibility": ["screen readers", "alt text", "WCAG audits", "keyboard navigation"],
    "gardening": ["tomatoes", "compost", "seedlings", "the allotment", "pruning roses"],
    "running": ["marathon training", "a 10k race", "interval sessions", "trail shoes"],
    "improv": ["a comedy jam", "scene work", "yes-and games", "our troupe's show"],
    "hiring": ["a job opening", "interview loops", "the recruiter", "an offer letter"],
    "machine learning": ["fine-tuning", "embeddings", "a training run", "GPU quotas"],
    "cooking": ["sourdough", "a curry recipe", "knife skills", "the farmers market"],
}
FRAMES = [
    "Anyone have advice on {x}? Struggling this week.",
    "Wrote up what I learned about {x} and {y}, link below.",
    "Hot take: {x} is easier than people think, {y} less so.",
    "Spent the whole weekend on {x}. Next up: {y}.",
    "Looking for someone who knows {x} well, happy to buy coffee.",
    "Thread: ten things about {x} nobody told me.",
]
QUERIES = [
    "python packaging",
    "help with web accessibility",
    "growing vegetables",
    "training for a race",
    "comedy and theatre",
    "finding a job",
    "neural networks",
    "recipes",
]


def populate(path: Path, n_posts: int, n_authors: int, seed: int = 5) -> None:
    Store.open(f"sqlite:///{path}").close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO accounts (workspace_id, account_id, platform, key, is_owner, display_name) "
        "VALUES ('local', ?, 'mastodon', ?, 0, ?)",
        [(make_id("a", i), str(i), f"Author {i}") for i in range(n_authors)],
    )
    conn.executemany(
        "INSERT INTO people (workspace_id, person_id, display_name, created_at, updated_at, "
        "is_owner) VALUES ('local', ?, ?, ?, ?, 0)",
        [(make_id("p", i), f"Author {i}", TS, TS) for i in range(n_authors)],
    )
    conn.executemany(
        "INSERT INTO account_links (workspace_id, account_id, person_id, method, created_at) "
        "VALUES ('local', ?, ?, 'auto', ?)",
        [(make_id("a", i), make_id("p", i), TS) for i in range(n_authors)],
    )
    topics = list(TOPICS)
    rows = []
    for n in range(n_posts):
        author = rng.randrange(n_authors)
        words = TOPICS[topics[(author + rng.randrange(2)) % len(topics)]]
        text = rng.choice(FRAMES).format(x=rng.choice(words), y=rng.choice(words))
        when = (NOW - timedelta(days=rng.randrange(700))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        rows.append(
            (make_id("i", n), make_id("a", author), when, f"{text} #{n}", "received", "post")
        )
    conn.executemany(
        "INSERT INTO interactions (workspace_id, interaction_id, platform, actor_account, "
        "occurred_at, text, direction, kind) VALUES ('local', ?, 'mastodon', ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def _embedder() -> semantic.Embedder:
    try:
        return semantic.MiniLMEmbedder.load(device="cpu")
    except MissingExtra:
        print("embeddings extra not installed: timing the hashing embedder instead")
        return semantic.HashingEmbedder()


def _latency(store: Store, embedder: semantic.Embedder) -> tuple[float, float]:
    times = []
    for _ in range(3):
        for q in QUERIES:
            start = time.perf_counter()
            semantic.semantic_who(store, q, embedder=embedder, now=NOW, samples=3)
            times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000


def _random_vectors(path: Path, n: int, dim: int, model: str) -> None:
    """Give the first ``n`` posts random unit vectors (scan timing at sizes the model would
    take long to embed)."""
    rng = np.random.default_rng(1)
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT interaction_id, actor_account FROM interactions")]
    conn.execute("DELETE FROM semantic_index")
    for start in range(0, n, 10_000):
        chunk = ids[start : start + 10_000]
        m = rng.standard_normal((len(chunk), dim)).astype("<f4")
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        conn.executemany(
            "INSERT INTO semantic_index (workspace_id, source, item_id, model, text_hash, "
            "vector, embedded_at) VALUES ('local', 'interaction', ?, ?, '', ?, ?)",
            [(i, model, m[k].tobytes(), TS) for k, i in enumerate(chunk)],
        )
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--authors", type=int, default=200)
    parser.add_argument("--scan", default="20000,100000")
    args = parser.parse_args()
    embedder = _embedder()
    print(f"embedder {embedder.name}; sqlite-vec usable: {sqlite_vec_usable()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "semantic.db"
        populate(path, args.posts, args.authors)
        store = Store.open(f"sqlite:///{path}")
        with store.connect() as conn:
            texts = [r[0] for r in conn.exec_driver_sql("SELECT text FROM interactions")]
        embedder.embed(texts[:64])  # warm up (first call allocates)
        start = time.perf_counter()
        embedder.embed(texts)
        floor = time.perf_counter() - start
        start = time.perf_counter()
        report = semantic.index_semantic(store, embedder)
        took = time.perf_counter() - start
        start = time.perf_counter()
        again = semantic.index_semantic(store, embedder)
        noop = time.perf_counter() - start
        n = report.embedded
        print(
            f"index: {n} posts in {took:.2f} s = {n / took:,.0f} posts/s; embedder alone "
            f"{n / floor:,.0f} posts/s (ratio {took / floor:.2f}x); re-run with nothing new "
            f"{noop * 1000:.0f} ms ({again.embedded} embedded)"
        )
        backends = ["0", "1"] if sqlite_vec_usable() else ["0"]
        for flag in backends:
            os.environ["NETWEAVE_SQLITE_VEC"] = flag
            p50, p95 = _latency(store, embedder)
            print(
                f"who --semantic, {semantic.scan_backend(store)}: "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
        with store.connect() as conn:
            blobs = [r[0] for r in conn.exec_driver_sql("SELECT vector FROM semantic_index")]
        matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1)
        q = embedder.embed(["python packaging"])[0]
        start = time.perf_counter()
        for _ in range(20):
            np.argsort(-(matrix @ q))[:500]
        print(
            f"floor (in-memory matrix product + sort): {(time.perf_counter() - start) * 50:.2f} ms"
        )
        for size in (int(s) for s in args.scan.split(",") if s):
            store.close()
            populate(Path(tmp) / f"scan{size}.db", size, args.authors)
            scan_path = Path(tmp) / f"scan{size}.db"
            _random_vectors(scan_path, size, embedder.dim, embedder.name)
            store = Store.open(f"sqlite:///{scan_path}")
            for flag in backends:
                os.environ["NETWEAVE_SQLITE_VEC"] = flag
                p50, p95 = _latency(store, embedder)
                print(
                    f"scan {size:,} vectors, {semantic.scan_backend(store)}: "
                    f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                )
        store.close()


if __name__ == "__main__":
    main()
