"""The daily agenda at scale: ``today`` over 50k people and 2M interactions (SQLite).

Builds the ledger with bench_relationships' generator, recomputes relationship health once,
puts 20 people in the strategic-partner pipeline, then times ``plan_day`` (what ``netweave
today`` runs) cold and warm in every mode. Goal (issue 9): under 0.5 s warm.

    python bench/bench_today.py [--people 50000] [--interactions 2000000] [--db FILE]

``--db FILE`` keeps the generated database (and reuses it when it exists), for profiling.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_relationships import NOW, populate
from netweave.config import Settings
from netweave.planning import agenda
from netweave.relationships.health import recompute
from netweave.store import Store, make_id, schema

TOPICS = ["python packaging", "csv", "community building"]


def prepare(path: Path, n_people: int, n_inter: int) -> None:
    t0 = time.perf_counter()
    populate(path, n_people, n_inter)
    store = Store.open(f"sqlite:///{path}")
    recompute(store, full=True, now=NOW, settings=Settings())
    p = schema.people
    with store.transaction() as conn:
        for n in range(20):
            conn.execute(
                p.update()
                .where(p.c.workspace_id == "local", p.c.person_id == make_id("person", n * 997))
                .values(partner_stage="admire", partner_stage_since=NOW - timedelta(days=n))
            )
    store.close()
    print(
        f"prepared {n_people:,} people, {n_inter:,} interactions in "
        f"{time.perf_counter() - t0:.1f} s"
    )


def run(path: Path, repeat: int) -> dict[str, tuple[float, float, int]]:
    out = {}
    for mode in agenda.MODES:
        store = Store.open(f"sqlite:///{path}")
        t0 = time.perf_counter()
        agenda.plan_day(store, minutes=30, mode=mode, topics=TOPICS, now=NOW)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            chosen = agenda.plan_day(store, minutes=30, mode=mode, topics=TOPICS, now=NOW)
            warm.append(time.perf_counter() - t0)
        store.close()
        out[mode] = (cold, statistics.median(warm), len(chosen))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():
            prepare(path, args.people, args.interactions)
        results = run(path, args.repeat)
    print(f"{'today --minutes 30':<28}{'cold s':>9}{'warm s':>9}  actions")
    for mode, (cold, warm, n) in results.items():
        verdict = "met" if warm < 0.5 else "NOT met"
        print(f"{'--mode ' + mode:<28}{cold:>9.3f}{warm:>9.3f}  {n}  goal < 0.5 s warm: {verdict}")


if __name__ == "__main__":
    main()
