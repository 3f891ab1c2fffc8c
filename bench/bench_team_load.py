"""Team mode under load: 32 clients for 60 s, mixed reads and writes, one `netweave serve` on
PostgreSQL, then a count check that no acknowledged write was lost.

Data: the demo exports (`netweave demo-data`) imported into a fresh PostgreSQL schema through the
real CLI. Clients are threads with keep-alive connections (stdlib http.client) that read person
pages and people list pages and write notes (POST, the API's Bearer token); every note carries a
unique text. Afterwards the notes in the database are counted against the writes the server
acknowledged (201/303): the difference must be zero, as must the errors.

    python bench/bench_team_load.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--clients 32] [--seconds 60]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from bench_web import TOKEN, _pct, _start
from netweave.store import Store, schema


def _cli(url: str, home: Path, *args: str) -> None:
    exe = Path(sys.executable).with_name("netweave")
    subprocess.run(
        [str(exe), "--db", url, *args],
        env={**os.environ, "NETWEAVE_HOME": str(home)},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def load(
    port: int, ids: list[str], clients: int, seconds: float, tag: str
) -> tuple[dict[str, list[float]], list[str], int]:
    """Run the clients; latencies (ms) by kind, errors, acknowledged writes."""
    times: dict[str, list[float]] = {"person": [], "list": [], "write": []}
    errors: list[str] = []
    acked = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = 0
        while time.monotonic() < stop:
            roll = rng.random()
            person = rng.choice(ids)
            headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
            if roll < 0.2:
                kind, method = "write", "POST"
                path = f"/people/{person}/notes"
                body: str | None = urlencode({"text": f"{tag} {seed} {n}", "kind": "note"})
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                n += 1
            elif roll < 0.6:
                kind, method, path, body = "list", "GET", "/people?sort=strength", None
            else:
                kind, method, path, body = "person", "GET", f"/people/{person}", None
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                ok = answer.status in (200, 201, 303)
                problem = f"{answer.status} {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                ok, problem = False, f"{type(exc).__name__} {method} {path}"
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            took = (time.perf_counter() - start) * 1000
            with lock:
                times[kind].append(took)
                if not ok:
                    errors.append(problem)
                elif kind == "write":
                    acked[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, acked[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(args.url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in args.url else "?"
    url = f"{args.url}{sep}options=-csearch_path%3D{name}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            exports = Path(tmp) / "exports"
            t0 = time.perf_counter()
            _cli(url, home, "demo-data", str(exports))
            _cli(url, home, "import", str(exports))
            store = Store.open(url)
            with store.connect() as conn:
                ids = list(conn.execute(sa.select(schema.people.c.person_id)).scalars())
            store.close()
            print(f"demo data in PostgreSQL: {len(ids)} people ({time.perf_counter() - t0:.0f} s)")
            proc, port = _start(url, home)  # type: ignore[arg-type]
            tag = f"load-{uuid.uuid4().hex[:8]}"
            try:
                times, errors, acked = load(port, ids, args.clients, args.seconds, tag)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            store = Store.open(url)
            with store.connect() as conn:
                stored = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(schema.notes)
                    .where(schema.notes.c.text.like(f"{tag} %"))
                ).scalar_one()
            store.close()
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()
    total = sum(len(v) for v in times.values())
    print(
        f"{args.clients} clients for {args.seconds:.0f} s on PostgreSQL: {total:,} requests, "
        f"{total / args.seconds:.1f}/s"
    )
    print(f"{'kind':<8}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, values in times.items():
        print(f"{kind:<8}{len(values):>8}{_pct(values, 0.5):>9.1f}{_pct(values, 0.95):>9.1f}")
    lost = acked - stored
    print(f"errors: {len(errors)}  acknowledged writes: {acked}  stored: {stored}  lost: {lost}")
    for problem in errors[:5]:
        print(f"  {problem}")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
