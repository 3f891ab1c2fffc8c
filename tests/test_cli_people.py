"""People commands through the CLI: import, resolve, show, notes, lists, circles, log, undo."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from netweave.cli import app
from netweave.store import Store, schema

from .conftest import DATA

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout + result.stderr


def test_people_flow_after_import(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    code, out = run("--db", db, "--json", "import", str(DATA / "twitter"))
    assert code == 0, out
    assert json.loads(out)["people"]["people"] == 8
    code, out = run("--db", db, "--json", "people", "list", "--sort", "recency")
    assert code == 0, out
    names = [t["name"] for t in json.loads(out)]
    assert names[0] == "Terrill 🎭"
    code, out = run("--db", db, "people", "show", "terrillific")
    assert code == 0, out
    assert "tie strength" in out
    assert "intimacy" in out
    assert (
        run("--db", db, "note", "add", "terrillific", "Starting a podcast", "--kind", "need")[0]
        == 0
    )
    code, out = run("--db", db, "--json", "note", "list", "Terrill")
    assert [n["kind"] for n in json.loads(out)] == ["need"]
    assert run("--db", db, "list", "create", "Improv friends", "--kind", "interest")[0] == 0
    assert run("--db", db, "list", "add", "improv", "terrillific")[0] == 0
    code, out = run("--db", db, "--json", "list", "show", "Improv friends")
    assert [m["display_name"] for m in json.loads(out)] == ["Terrill 🎭"]
    assert run("--db", db, "circle", "terrillific", "5", "--cadence", "14")[0] == 0
    code, out = run("--db", db, "--json", "health")
    assert code == 0, out
    assert [t["name"] for t in json.loads(out)["losing_touch"]] == ["Terrill 🎭"]
    assert run("--db", db, "log", "meeting", "terrillific", "--note", "dinner in Chicago")[0] == 0
    code, out = run("--db", db, "--json", "health")
    assert json.loads(out)["losing_touch"] == []
    code, out = run("--db", db, "--json", "ledger", "--by", "year")
    assert code == 0, out
    assert sum(r["gave"] for r in json.loads(out)) >= 1
    plot = tmp_path / "health.png"
    assert run("--db", db, "ledger", "--plot", str(plot))[0] == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # merge two people, check, undo
    code, out = run("--db", db, "merge", "Zoë Lambert", "山田太郎")
    assert code == 0, out
    store = Store.open(f"sqlite:///{db}")
    with store.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.people)).scalar_one() == 7
        )  # the owner and 7 others, minus the one merged away
    store.close()
    code, out = run("--db", db, "undo")
    assert code == 0, out
    assert "undid merge" in out
    code, out = run("--db", db, "undo")
    assert code == 2
    assert "nothing to undo" in out


def test_review_walks_proposals(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    store = Store.open(f"sqlite:///{db}")
    store.upsert(
        schema.accounts,
        [
            {
                "account_id": "a1",
                "platform": "mastodon",
                "key": "priya@x.social",
                "display_name": "Priya Nair",
            },
            {
                "account_id": "a2",
                "platform": "bluesky",
                "key": "did:plc:1",
                "display_name": "Priya Nair",
            },
            {
                "account_id": "a3",
                "platform": "linkedin",
                "key": "priya-n",
                "display_name": "Priya Nair",
            },
        ],
    )
    store.close()
    code, out = run("--db", db, "--json", "resolve")
    assert code == 0, out
    proposed = json.loads(out)["proposed"]
    assert proposed >= 2
    code, out = run("--db", db, "review", stdin="a\nr\nq\n")
    assert code == 0, out
    assert "accepted 1, rejected 1" in out
    assert run("--db", db, "undo")[0] == 0
    assert run("--db", db, "undo")[0] == 0
    code, out = run("--db", db, "--json", "review", "--accept-above", "0.01")
    assert code == 0, out
    assert json.loads(out) == {
        "accepted": proposed,
        "rejected": 0,
        "skipped": 0,
        "left": 0,
    }
    code, out = run("--db", db, "review", "--accept-above", "2")
    assert code == 2
    assert out.startswith("error: the score must be in (0, 1]")


def test_people_bad_input(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    run("--db", db, "import", str(DATA / "twitter"))
    for args in (
        ("people", "show", "nobody here"),
        ("merge", "nobody", "terrillific"),
        ("split", "nope"),
        ("circle", "terrillific", "7"),
        ("note", "add", "terrillific", "x", "--kind", "gossip"),
        ("log", "meeting", "terrillific", "--date", "yesterday"),
        ("people", "list", "--sort", "followers"),
        ("list", "show", "nope"),
    ):
        code, out = run("--db", db, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: "), out
