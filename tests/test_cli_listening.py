"""The listening commands through the CLI, on a SQLite file, reopened after each command."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from netweave.cli import app
from netweave.store import Store, make_id, schema

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    now = datetime.now(UTC)
    db = tmp_path / "n.db"
    store = Store.open(f"sqlite:///{db}")
    owner, ada = make_id("acc", "owner"), make_id("acc", "ada")
    store.upsert(
        schema.accounts,
        [
            {"account_id": owner, "platform": "mastodon", "key": "me", "is_owner": True},
            {"account_id": ada, "platform": "mastodon", "key": "ada", "display_name": "Ada"},
        ],
    )
    store.upsert(
        schema.interactions,
        [
            {
                "interaction_id": "1",
                "platform": "mastodon",
                "kind": "post",
                "actor_account": ada,
                "occurred_at": now - timedelta(hours=3),
                "direction": "received",
                "text": "Anyone know a good guide to python packaging?",
            },
            {
                "interaction_id": "2",
                "platform": "mastodon",
                "kind": "mention",
                "actor_account": ada,
                "target_account": owner,
                "occurred_at": now - timedelta(hours=2),
                "direction": "received",
                "text": "@me loved your talk on accessibility",
            },
        ],
    )
    store.close()
    return str(db)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_who_help_requests_and_digest(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, out = run("--db", db, "--json", "who", "python packaging")
    assert code == 0, out
    assert [s["name"] for s in json.loads(out)] == ["Ada"]
    code, out = run("--db", db, "who", "python packaging", "--since", "7d")
    assert code == 0
    assert "Ada" in out
    assert "Anyone know a good guide" in out
    run("config", "set", "topics.expertise", "python packaging")
    code, out = run("--db", db, "--json", "help-requests")
    assert code == 0, out
    assert [r["interaction_id"] for r in json.loads(out)] == ["1"]
    code, out = run("--db", db, "--json", "digest")
    assert code == 0, out
    data = json.loads(out)
    assert data["total"] == 2
    assert data["reply_first"][0]["name"] == "Ada"
    code, out = run("--db", db, "digest", "--since", "1h")
    assert code == 0
    assert "0 posts" in out


def test_listening_bad_input_is_exit_2(tmp_path: Path) -> None:
    db = _db(tmp_path)
    for args in (("who", '"'), ("who", "x", "--since", "soon"), ("help-requests",)):
        code, out = run("--db", db, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: ")
        assert out.count("\n") == 1
