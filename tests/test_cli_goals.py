"""Goal commands through the CLI, reopening the database after each."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netweave.cli import app
from netweave.goals.model import list_goals
from netweave.store import Store

from .conftest import DATA

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_goal_lifecycle(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert run("--db", db, "import", str(DATA / "twitter"))[0] == 0
    code, out = run(
        "--db",
        db,
        "--json",
        "goal",
        "new",
        "--template",
        "stronger-connections",
        "--start",
        "2022-01-01",
        "--deadline",
        "2022-06-30",
        "--person",
        "terrillific",
    )
    assert code == 0, out
    goal_id = json.loads(out)["goal_id"]
    code, out = run("--db", db, "--json", "goal", "show", goal_id[:8])
    assert code == 0, out
    data = json.loads(out)
    convs = next(r for r in data["key_results"] if r["metric"] == "conversations")
    assert convs["value"] == 1.0  # the DM thread with Terrill, both sides
    assert data["state"] == "reassess"  # the deadline is in the past
    code, out = run("--db", db, "goal", "revise", goal_id[:8], "--deadline", "2022-12-31")
    assert code == 0, out
    code, out = run("--db", db, "goal", "report", "--plot", str(tmp_path / "g.png"))
    assert code == 0, out
    assert "busy vs productive" in out
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    store = Store.open(f"sqlite:///{db}")
    goals = list_goals(store, include_closed=True)
    assert sorted(g["status"] for g in goals) == ["active", "revised"]
    store.close()
    code, out = run("--db", db, "goal", "close", "Build stronger")
    assert code == 0, out


def test_goal_bad_input(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    for args in (
        (
            "goal",
            "new",
            "--title",
            "x",
            "--kr",
            "conversations=3",
            "--start",
            "2024-05-01",
            "--deadline",
            "2024-04-01",
        ),
        ("goal", "new", "--title", "x", "--kr", "likes=3"),
        ("goal", "new", "--template", "get-rich"),
        ("goal", "new", "--title", "x", "--kr", "conversations"),
        ("goal", "new", "--title", "x", "--kr", "conversations=2", "--person", "nobody"),
        ("goal", "show", "nothing"),
    ):
        code, out = run("--db", db, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: ")
