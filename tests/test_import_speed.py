"""The bulk-load path: deferred secondary indexes and idempotent re-imports of a larger archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from netweave.config import Settings
from netweave.importers import _save, import_paths
from netweave.store import Store
from netweave.store._bulk import defer_indexes, restore_indexes

N_TWEETS = 3_000


def _schema(db: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


def _archive(folder: Path) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "me", '
        '"accountDisplayName": "Me", "createdAt": "2012-01-01T00:00:00.000Z"}}]'
    )
    tweets = []
    for i in range(N_TWEETS):
        other = 500 + i % 40
        tweets.append(
            {
                "tweet": {
                    "id_str": str(10**15 + i),
                    "full_text": f"@friend{other} thanks for the talk number {i}",
                    "created_at": f"Wed Oct {10 + i % 15} 20:19:24 +0000 2018",
                    "entities": {
                        "hashtags": [],
                        "urls": [],
                        "user_mentions": [
                            {
                                "screen_name": f"friend{other}",
                                "name": f"Friend {other}",
                                "id_str": str(other),
                                "indices": ["0", "10"],
                            }
                        ],
                    },
                    "favorite_count": "0",
                    "retweet_count": "0",
                    "lang": "en",
                }
            }
        )
    (data / "tweets.js").write_bytes(b"window.YTD.tweets.part0 = " + orjson.dumps(tweets))
    return folder


def _migrated_schema(tmp_path: Path) -> list[tuple[str, str, str, str | None]]:
    db = tmp_path / "migrated.db"
    Store.open(f"sqlite:///{db}").close()
    return _schema(db)


def test_bulk_import_defers_indexes_and_leaves_the_schema_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_save, "PARALLEL_FILE", 0)  # every file counts as a bulk load
    dropped: list[list[str]] = []
    real = _save.defer_indexes

    def spy(store: Store, table: str) -> list[str]:
        names = real(store, table)
        dropped.append(names)
        return names

    monkeypatch.setattr(_save, "defer_indexes", spy)
    db = tmp_path / "bulk.db"
    store = Store.open(f"sqlite:///{db}")
    report = import_paths(store, [str(_archive(tmp_path / "a"))], settings=Settings())
    store.close()
    assert report.added["interactions"] >= N_TWEETS
    assert "ix_interactions_actor" in dropped[0]
    assert _schema(db) == _migrated_schema(tmp_path)


def test_indexes_dropped_by_an_interrupted_load_come_back_on_open(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    store = Store.open(f"sqlite:///{db}")
    assert sorted(defer_indexes(store, "interactions")) == [
        "ix_interactions_actor",
        "ix_interactions_target",
        "ix_interactions_time",
    ]
    store.close()  # as if the process died before rebuilding them
    assert _schema(db) != _migrated_schema(tmp_path)
    Store.open(f"sqlite:///{db}").close()
    assert _schema(db) == _migrated_schema(tmp_path)


def test_indexes_are_kept_when_the_table_holds_rows(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    store = Store.open(f"sqlite:///{db}")
    import_paths(store, [str(_archive(tmp_path / "a"))], settings=Settings())
    assert defer_indexes(store, "interactions") == []
    assert restore_indexes(store) == 0
    store.close()
    assert _schema(db) == _migrated_schema(tmp_path)


def test_reimporting_the_same_archive_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_save, "PARALLEL_FILE", 0)
    folder = str(_archive(tmp_path / "a"))
    store = Store.open(f"sqlite:///{tmp_path / 'again.db'}")
    first = import_paths(store, [folder], settings=Settings())
    counts = store.counts()
    again = import_paths(store, [folder], settings=Settings())
    forced = import_paths(store, [folder], settings=Settings(), force=True)
    assert first.added["interactions"] >= N_TWEETS
    assert {f.status for f in again.files} == {"unchanged"}
    assert not any(again.added.values())
    assert not any(forced.added.values())
    assert store.counts() == counts


def _facts(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM interaction_facts ORDER BY interaction_id").fetchall()
    finally:
        conn.close()


def test_facts_of_a_bulk_first_load_match_the_row_by_row_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netweave.relationships import health

    folder = str(_archive(tmp_path / "a"))
    found = {}
    big = 10**9
    # bulk: windows of 700 rows; worker: the same, labelled by a worker process
    for name, bulk, window, worker in (
        ("bulk", 1, 700, big),
        ("worker", 1, 700, 1),
        ("plain", big, big, big),
    ):
        monkeypatch.setattr(health, "BULK_FACTS", bulk)
        monkeypatch.setattr(health, "_FACTS_WINDOW", window)
        monkeypatch.setattr(health, "WORKER_FACTS", worker)
        db = tmp_path / f"{name}.db"
        store = Store.open(f"sqlite:///{db}")
        import_paths(store, [folder], settings=Settings())
        report = health.recompute(store, settings=Settings())
        assert report.labelled >= N_TWEETS
        assert health.recompute(store, settings=Settings()).labelled == 0
        store.close()
        found[name] = _facts(db)
        assert _schema(db) == _migrated_schema(tmp_path)
    assert found["bulk"] == found["plain"]
    assert found["worker"] == found["plain"]
    assert len(found["bulk"]) >= N_TWEETS
