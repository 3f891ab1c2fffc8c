"""Forgetting a person: every table covered, every trace gone, the proof printed, both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from netweave.exporters import forget as forget_mod
from netweave.listening.search import ensure_index, match_clause
from netweave.store import Store, schema

from .conftest import DATA
from .richdb import build, run

# columns that, by name, hold the id of a person or an account
_ID_NAMES = {"member_id", "counterpart", "link_value"}


def _id_columns(table: sa.Table) -> set[str]:
    return {
        c.name
        for c in table.columns
        if "account" in c.name or "person" in c.name or c.name in _ID_NAMES
    }


def test_every_table_with_a_person_or_account_column_is_handled() -> None:
    handled: dict[str, set[str]] = {}
    for mapping in (forget_mod.BY_ACCOUNT, forget_mod.BY_PERSON):
        for name, columns in mapping.items():
            handled.setdefault(name, set()).update(columns)
    for name, (_, value) in forget_mod.BY_TYPED_ID.items():
        handled.setdefault(name, set()).add(value)
    missing = {
        str(t.name): sorted(_id_columns(t) - handled.get(str(t.name), set()))
        for t in schema.metadata.sorted_tables
        if _id_columns(t) - handled.get(str(t.name), set())
    }
    assert missing == {}, f"forget does not handle these columns: {missing}"
    # and every table forget names exists with those columns
    for mapping in (forget_mod.BY_ACCOUNT, forget_mod.BY_PERSON, forget_mod.BY_TEXT):
        for name, columns in mapping.items():
            assert set(columns) <= set(schema.metadata.tables[name].c.keys())


@pytest.fixture(scope="module")
def rich_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forget") / "rich.db"
    build(str(path))
    return path


def _hits(store: Store, word: str) -> int:
    ensure_index(store)
    query = sa.select(sa.func.count()).select_from(schema.interactions)
    with store.connect() as conn:
        return int(conn.execute(query.where(match_clause(store, [word]))).scalar_one())


def _people(store: Store) -> set[str]:
    with store.connect() as conn:
        return set(conn.execute(sa.select(schema.people.c.person_id)).scalars())


def _names(store: Store) -> set[str]:
    with store.connect() as conn:
        return set(conn.execute(sa.select(schema.people.c.display_name)).scalars())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def rich_db(request: pytest.FixtureRequest, rich_template: Path, tmp_path: Path) -> str:
    db = tmp_path / "rich.db"
    shutil.copy(rich_template, db)
    if request.param == "sqlite":
        return str(db)
    url: str = request.getfixturevalue("pg_url")
    code, out = run("--db", str(db), "migrate-to", url)
    assert code == 0, out
    return url


def test_forget_removes_every_trace_and_proves_it(rich_db: str) -> None:
    url = rich_db if "://" in rich_db else f"sqlite:///{rich_db}"
    # an identity event mentioning one of their accounts, and another person's note naming them
    code, out = run("--db", rich_db, "--json", "people", "show", "terrillific")
    shown = json.loads(out)
    account = shown["accounts"][0]["account_id"]
    assert run("--db", rich_db, "split", account)[0] == 0
    assert run("--db", rich_db, "undo")[0] == 0
    store = Store.open(url, migrate=False)
    others = sorted(_names(store) - {"Terrill Thompson", "Terrill 🎭"})
    store.close()
    other = next(n for n in others if "Mia" not in n)
    code, out = run("--db", rich_db, "note", "add", other, "Met @terrillific and @TERRILLIFIC.")
    assert code == 0, out
    store = Store.open(url, migrate=False)
    person_id = shown["person"]["person_id"]
    ids = [person_id, *(a["account_id"] for a in shown["accounts"])]
    with store.connect() as conn:
        before = forget_mod.mentions(conn, ids, store.workspace_id)
    assert before["identity_events"] >= 1
    assert before["interactions"] >= 1
    assert _hits(store, "terrillific") >= 1
    people_before = _people(store)
    store.close()

    # no: nothing changes
    code, out = run("--db", rich_db, "forget", "terrillific", stdin="n\n")
    assert code == 1, out
    assert "nothing changed" in out
    store = Store.open(url, migrate=False)
    with store.connect() as conn:
        assert forget_mod.mentions(conn, ids, store.workspace_id) == before
    store.close()

    code, out = run("--db", rich_db, "forget", "terrillific", stdin="y\n")
    assert code == 0, out
    assert "search for 'terrillific'" in out
    assert "0 after" in out

    store = Store.open(url, migrate=False)
    try:
        with store.connect() as conn:
            after = forget_mod.mentions(conn, ids, store.workspace_id)
            texts = list(conn.execute(sa.select(schema.notes.c.text)).scalars())
        assert after == dict.fromkeys(after, 0)
        assert _hits(store, "terrillific") == 0
        assert "Met @[forgotten] and @[forgotten]." in texts
        assert _people(store) == people_before - {person_id}
    finally:
        store.close()
    code, out = run("--db", rich_db, "people", "show", "terrillific")
    assert code == 2, out


def test_forget_json_yes_and_bad_input(rich_db: str) -> None:
    code, out = run("--db", rich_db, "--json", "forget", "terrillific", "--yes")
    assert code == 0, out
    report = json.loads(out)
    assert report["done"] is True
    assert sum(report["before"].values()) > 0
    assert sum(report["after"].values()) == 0
    code, out = run("--db", rich_db, "forget", "terrillific", "--yes")
    assert code == 2, out
    assert "no person matches" in out
    code, out = run("--db", rich_db, "forget", "Mia Okafor", "--yes")
    assert code == 2, out
    assert "Traceback" not in out


def test_forget_touches_one_workspace_only(tmp_path: Path) -> None:
    db = str(tmp_path / "two.db")
    for ws in ("local", "team"):
        code, out = run("--db", db, "-w", ws, "import", str(DATA / "twitter"))
        assert code == 0, out
    code, out = run("--db", db, "-w", "local", "forget", "terrillific", "--yes")
    assert code == 0, out
    assert run("--db", db, "-w", "local", "people", "show", "terrillific")[0] == 2
    code, out = run("--db", db, "-w", "team", "--json", "people", "show", "terrillific")
    assert code == 0, out
    assert json.loads(out)["accounts"]
