"""The web UI under load: 50k people, 32 concurrent clients on loopback, one `netweave serve`.

Data: accounts of 50k people (resolved and scored through the real path: resolve, recompute),
with interactions for the timeline and give/get. The server is the real command in its own
process; clients are threads with keep-alive connections (stdlib http.client), each asking for
people list pages (every sort, pages anywhere in the list, name searches) and person pages, as
HTML. Prints p50/p95 per page kind, throughput and errors (goal: p95 < 100 ms, zero errors).

    python bench/bench_web.py [--people 50000] [--clients 32] [--requests 100] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from netweave.identity.resolve import resolve
from netweave.relationships.health import recompute
from netweave.store import Store, make_id, schema

NOW = datetime.now(UTC)
TOKEN = "bench-token"
FIRST = ["Ada", "Grace", "Linus", "Mia", "Terrill", "Zoë", "José", "Priya", "Chen", "Amara"]
LAST = ["Okafor", "Lovelace", "Hopper", "Nair", "Yamada", "Kowalski", "Haddad", "Álvarez"]


def populate(path: Path, n_people: int, seed: int = 5) -> list[str]:
    """A database of ``n_people`` people; returns their ids."""
    store = Store.open(f"sqlite:///{path}")
    rng = random.Random(seed)
    owner = "owner"
    accounts = [
        {"account_id": owner, "platform": "mastodon", "key": "me@x.social", "is_owner": True}
    ]
    interactions = []
    for n in range(n_people):
        aid = f"acc{n}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        accounts.append(
            {"account_id": aid, "platform": "mastodon", "key": f"u{n}@x.social",
             "handle": f"u{n}", "display_name": name}
        )  # fmt: skip
        for k in range(rng.randint(0, 6)):
            given = rng.random() < 0.5
            interactions.append(
                {
                    "interaction_id": make_id("bench", n, k),
                    "platform": "mastodon",
                    "kind": rng.choice(["reply", "mention", "dm", "like"]),
                    "actor_account": owner if given else aid,
                    "target_account": aid if given else owner,
                    "occurred_at": NOW - timedelta(days=rng.randint(1, 900)),
                    "text": f"message {k} about python packaging and accessibility",
                    "direction": "given" if given else "received",
                }
            )
    store.upsert(schema.accounts, accounts)
    store.upsert(schema.interactions, interactions)
    resolve(store)
    recompute(store)
    with store.connect() as conn:
        ids = list(
            conn.execute(
                schema.people.select().with_only_columns(schema.people.c.person_id)
            ).scalars()
        )
    store.close()
    return ids


def _ids(path: Path) -> list[str]:
    store = Store.open(f"sqlite:///{path}")
    with store.connect() as conn:
        ids = list(conn.execute(sa.select(schema.people.c.person_id)).scalars())
    store.close()
    return ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(db: Path, home: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    exe = Path(sys.executable).with_name("netweave")
    argv = ["--db", str(db), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(
        [str(exe), *argv],
        env={**os.environ, "NETWEAVE_HOME": str(home), "NETWEAVE_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def _paths(rng: random.Random, ids: list[str], n_people: int) -> tuple[str, str]:
    if rng.random() < 0.5:
        return "person", f"/people/{rng.choice(ids)}"
    sort = rng.choice(["strength", "recency", "name"])
    if rng.random() < 0.2:
        return "search", f"/people?sort={sort}&q={quote(rng.choice(LAST).lower()[:4])}"
    offset = rng.randrange(0, max(n_people - 50, 1))
    return "list", f"/people?sort={sort}&offset={offset}"


def load(
    port: int, ids: list[str], n_people: int, clients: int, per_client: int
) -> tuple[dict[str, list[float]], list[str], float]:
    """Run the clients; latencies (ms) by kind, errors, wall seconds."""
    times: dict[str, list[float]] = {"list": [], "search": [], "person": []}
    errors: list[str] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "text/html"}

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_client):
            kind, path = _paths(rng, ids, n_people)
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                ok = answer.status == 200
                problem = f"{answer.status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                ok, problem = False, f"{type(exc).__name__} {path}"
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            took = (time.perf_counter() - start) * 1000
            with lock:
                times[kind].append(took)
                if not ok:
                    errors.append(problem)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - wall


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=100, help="per client (short runs vary a lot)")
    ap.add_argument("--db", help="reuse a database populated before (a SQLite file)")
    ap.add_argument(
        "--workers", default="1,2", help="server processes (serve --workers), one run each"
    )
    args = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        t0 = time.perf_counter()
        ids = populate(db, args.people) if not args.db else _ids(Path(args.db))
        db = Path(args.db) if args.db else db
        print(f"populated {len(ids):,} people in {time.perf_counter() - t0:.1f}s", flush=True)
        for workers in (int(w) for w in args.workers.split(",") if w.strip()):
            failed |= _run(db, Path(tmp) / "home", ids, args, workers)
    return 1 if failed else 0


def _run(db: Path, home: Path, ids: list[str], args: argparse.Namespace, workers: int) -> bool:
    """One load run against ``serve --workers N``; prints its figures, returns True on errors."""
    proc, port = _start(db, home, workers)
    try:
        load(port, ids, args.people, 4, 5)  # warm up
        cpu = time.process_time()
        times, errors, wall = load(port, ids, args.people, args.clients, args.requests)
        cpu = time.process_time() - cpu
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    total = sum(len(v) for v in times.values())
    print(f"-- {workers} server worker(s)")
    print(
        f"the clients themselves used {cpu:.1f} s of CPU ({cpu / max(wall, 1e-9):.0%} of a core) "
        "on the machine the server runs on"
    )
    print(f"{args.clients} clients, {total} requests in {wall:.1f}s ({total / wall:.0f}/s)")
    worst = 0.0
    for kind, values in times.items():
        p50, p95 = statistics.median(values) if values else 0.0, _pct(values, 0.95)
        worst = max(worst, p95)
        print(f"  {kind:<7} n={len(values):<5} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"p95 goal < 100 ms: {'met' if worst < 100 else 'NOT met'} (worst p95 {worst:.1f} ms)")
    return bool(errors)


if __name__ == "__main__":
    sys.exit(main())
