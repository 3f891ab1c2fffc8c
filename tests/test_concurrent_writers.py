"""Concurrent writers on SQLite and PostgreSQL: an import in another process while this one
writes notes and log entries; nobody sees "database is locked", nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from netweave.demo import DEFAULT_TODAY, write_demo_exports
from netweave.store import Store, schema

from .conftest import DATA
from .richdb import run


def test_import_in_another_process_while_notes_are_written(tmp_path: Path, db_url: str) -> None:
    db = db_url
    code, out = run("--db", db, "import", str(DATA / "twitter"))
    assert code == 0, out
    exports = tmp_path / "exports"
    write_demo_exports(exports, seed=3, today=DEFAULT_TODAY)
    env = {**os.environ, "NETWEAVE_HOME": str(tmp_path / "home")}
    importer = subprocess.Popen(
        [sys.executable, "-m", "netweave", "--db", db, "--json", "import", str(exports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    written = overlapped = 0
    try:
        while importer.poll() is None or written < 10:
            code, out = run("--db", db, "note", "add", "terrillific", f"note {written}")
            assert code == 0, out
            assert "locked" not in out
            code, out = run("--db", db, "log", "call", "terrillific", "--note", f"call {written}")
            assert code == 0, out
            written += 1
            overlapped += importer.poll() is None
        stdout, stderr = importer.communicate(timeout=300)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
    assert importer.returncode == 0, stderr.decode()
    assert overlapped > 0, "the writes did not overlap the import"
    assert b"locked" not in stderr
    assert json.loads(stdout)["people"]["people"] > 100
    store = Store.open(db, migrate=False)
    try:
        with store.connect() as conn:
            notes = set(conn.execute(sa.select(schema.notes.c.text)).scalars())
            calls = conn.execute(
                sa.select(sa.func.count()).where(schema.interactions.c.kind == "call")
            ).scalar_one()
            ok = (
                conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
                if store.dialect == "sqlite"
                else "ok"
            )
    finally:
        store.close()
    assert {f"note {i}" for i in range(written)} <= notes
    assert calls >= written
    assert ok == "ok"
