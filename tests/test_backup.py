"""Backup, restore and migrate-to: identical row counts and per-table checksums, both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from netweave.listening.search import ensure_index, match_clause
from netweave.store import Store, schema
from netweave.store.portable import fingerprint

from .richdb import build, run


def sums(url: str) -> dict[str, object]:
    store = Store.open(url, migrate=False)
    try:
        return {k: v.as_dict() for k, v in fingerprint(store).items()}
    finally:
        store.close()


def hits(url: str, word: str) -> int:
    """How many interactions the full-text index finds for ``word``."""
    store = Store.open(url, migrate=False)
    try:
        ensure_index(store)
        query = sa.select(sa.func.count()).select_from(schema.interactions)
        with store.connect() as conn:
            return int(conn.execute(query.where(match_clause(store, [word]))).scalar_one())
    finally:
        store.close()


@pytest.fixture(scope="module")
def rich_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rich") / "rich.db"
    build(str(path))
    return path


def test_rich_database_fills_the_tables_forget_must_cover(rich_sqlite: Path) -> None:
    filled = {k for k, v in sums(f"sqlite:///{rich_sqlite}").items() if v["rows"]}  # type: ignore[index]
    assert {
        "accounts",
        "interactions",
        "notes",
        "list_members",
        "goal_links",
        "agenda_items",
        "audit_decisions",
        "tie_scores",
        "account_links",
        "edges",
    } <= filled


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl"])
def test_sqlite_backup_restore_round_trip(rich_sqlite: Path, tmp_path: Path, fmt: str) -> None:
    before = sums(f"sqlite:///{rich_sqlite}")
    file = tmp_path / f"backup.{fmt}"
    code, out = run("--db", str(rich_sqlite), "--json", "backup", str(file), "--format", fmt)
    assert code == 0, out
    assert json.loads(out)["tables"] == before
    target = tmp_path / "restored.db"
    code, out = run("--db", str(target), "--json", "restore", str(file))
    assert code == 0, out
    assert sums(f"sqlite:///{target}") == before
    # the full-text index came along
    assert hits(f"sqlite:///{target}", "packaging") == hits(f"sqlite:///{rich_sqlite}", "packaging")
    assert hits(f"sqlite:///{target}", "packaging") > 0


def test_restore_refuses_a_database_with_data(rich_sqlite: Path, tmp_path: Path) -> None:
    file = tmp_path / "b.db"
    assert run("--db", str(rich_sqlite), "backup", str(file))[0] == 0
    other = tmp_path / "other.db"
    assert run("--db", str(other), "note", "add", "x", "y")[0] == 2  # nobody: still empty
    build(str(other))
    before = sums(f"sqlite:///{other}")
    code, out = run("--db", str(other), "restore", str(file))
    assert code == 2, out
    assert "--force" in out
    assert sums(f"sqlite:///{other}") == before
    code, out = run("--db", str(other), "restore", str(file), "--force")
    assert code == 0, out
    assert sums(f"sqlite:///{other}") == sums(f"sqlite:///{rich_sqlite}")


def test_backup_refuses_to_overwrite_and_restore_rejects_junk(
    rich_sqlite: Path, tmp_path: Path
) -> None:
    file = tmp_path / "b.db"
    file.write_bytes(b"precious")
    code, out = run("--db", str(rich_sqlite), "backup", str(file))
    assert code == 2, out
    assert file.read_bytes() == b"precious"
    code, out = run("--db", str(tmp_path / "t.db"), "restore", str(file))
    assert code == 2, out
    assert "not a netweave backup" in out
    assert "Traceback" not in out
    truncated = tmp_path / "cut.jsonl"
    assert run("--db", str(rich_sqlite), "backup", str(truncated), "--format", "jsonl")[0] == 0
    lines = truncated.read_bytes().splitlines(keepends=True)
    truncated.write_bytes(b"".join(lines[: len(lines) // 2]))
    code, out = run("--db", str(tmp_path / "t2.db"), "restore", str(truncated))
    assert code == 2, out
    assert "truncated" in out
    assert sums(f"sqlite:///{tmp_path / 't2.db'}")["accounts"]["rows"] == 0  # type: ignore[index]


@pytest.mark.postgres
@pytest.mark.parametrize("fmt", ["pg_dump", "jsonl"])
def test_postgresql_backup_restore_round_trip(
    rich_sqlite: Path, pg_url: str, tmp_path: Path, fmt: str, request: pytest.FixtureRequest
) -> None:
    code, out = run("--db", str(rich_sqlite), "migrate-to", pg_url)
    assert code == 0, out
    before = sums(pg_url)
    assert before == sums(f"sqlite:///{rich_sqlite}")
    file = tmp_path / f"pg.{fmt}"
    code, out = run("--db", pg_url, "--json", "backup", str(file), "--format", fmt)
    assert code == 0, out
    code, out = run("--db", pg_url, "restore", str(file))
    assert code == 2, out  # the source still holds data
    code, out = run("--db", pg_url, "restore", str(file), "--force")
    assert code == 0, out
    assert sums(pg_url) == before
    # and into a fresh SQLite file when the format allows it
    if fmt == "jsonl":
        target = tmp_path / "from-pg.db"
        code, out = run("--db", str(target), "restore", str(file))
        assert code == 0, out
        assert sums(f"sqlite:///{target}") == before


@pytest.mark.postgres
def test_migrate_to_postgresql(rich_sqlite: Path, pg_url: str) -> None:
    source = f"sqlite:///{rich_sqlite}"
    before = sums(source)
    code, out = run("--db", str(rich_sqlite), "--json", "migrate-to", pg_url)
    assert code == 0, out
    assert json.loads(out)["tables"] == before
    assert sums(pg_url) == before
    assert sums(source) == before  # the local database is left as it was
    assert hits(pg_url, "packaging") == hits(source, "packaging") > 0
    code, out = run("--db", pg_url, "--json", "people", "show", "terrillific")
    assert code == 0, out
    assert json.loads(out)["notes"][0]["text"] == "Starting a podcast"
    # a second run would overwrite team data: refused without --force, nothing changed
    code, out = run("--db", pg_url, "note", "add", "terrillific", "met at PyCon")
    assert code == 0, out
    changed = sums(pg_url)
    code, out = run("--db", str(rich_sqlite), "migrate-to", pg_url)
    assert code == 2, out
    assert "--force" in out
    assert sums(pg_url) == changed
    code, out = run("--db", str(rich_sqlite), "migrate-to", pg_url, "--force")
    assert code == 0, out
    assert sums(pg_url) == before


def test_migrate_to_rejects_bad_targets(rich_sqlite: Path) -> None:
    code, out = run("--db", str(rich_sqlite), "migrate-to", "not-a-url")
    assert code == 2, out
    code, out = run("--db", str(rich_sqlite), "migrate-to", f"sqlite:///{rich_sqlite}")
    assert code == 2, out
    assert "Traceback" not in out
