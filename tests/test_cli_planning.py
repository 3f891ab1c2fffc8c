"""Planning commands through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netweave.cli import app

from .conftest import DATA

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_today_done_rules_trip_draft(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert run("--db", db, "import", str(DATA / "twitter"), str(DATA / "contacts"))[0] == 0
    assert run("--db", db, "circle", "Terrill Thompson", "5")[0] == 0
    code, out = run("--db", db, "--json", "today", "--minutes", "20", "--mode", "evening")
    assert code == 0, out
    items = json.loads(out)
    assert sum(i["minutes"] for i in items) <= 20
    assert items, "expected something to do"
    code, out = run("--db", db, "done", str(items[0]["number"]))
    assert code == 0, out
    code, out = run("--db", db, "--json", "today", "--minutes", "20", "--mode", "evening")
    assert items[0]["key"] not in {i["key"] for i in json.loads(out)}
    assert run("--db", db, "rule", "add", "max_minutes", "5")[0] == 0
    code, out = run("--db", db, "--json", "today", "--minutes", "60", "--mode", "evening")
    assert sum(i["minutes"] for i in json.loads(out)) <= 5
    code, out = run("--db", db, "--json", "rule", "list")
    assert json.loads(out) == {"max_minutes": {"minutes": 5}}
    assert run("--db", db, "rule", "remove", "max_minutes")[0] == 0
    code, out = run(
        "--db",
        db,
        "--json",
        "trip",
        "Chicago",
        "--from",
        "2024-05-01",
        "--to",
        "2024-05-03",
        "--ics",
        str(tmp_path / "trip.ics"),
    )
    assert code == 0, out
    assert [m["name"] for m in json.loads(out)] == ["Terrill Thompson"]
    assert "BEGIN:VCALENDAR" in (tmp_path / "trip.ics").read_text()
    code, out = run("--db", db, "check-draft", "Download my free e-book now!")
    assert code == 1
    assert "self-promotion" in out
    assert run("--db", db, "check-draft", "Congrats on the new role!")[0] == 0


def test_planning_bad_input(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    for args in (
        ("today", "--mode", "night"),
        ("done", "7"),
        ("rule", "add", "be_nice"),
        ("rule", "remove", "max_minutes"),
        ("trip", "   "),
        ("trip", "Chicago", "--ics", str(tmp_path / "x.ics"), "--from", "soon"),
    ):
        code, out = run("--db", db, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: "), out
