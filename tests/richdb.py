"""A database with a row in (nearly) every table, built through the CLI like a user would."""

from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from netweave.cli import app
from netweave.store import Store, make_id, schema, utcnow

from .conftest import DATA

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    """Run the CLI; the exit code and everything it printed."""
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout + result.stderr


def build(db: str) -> None:
    """Import real sample exports and use the people, goal and planning commands on them."""
    code, out = run("--db", db, "import", str(DATA / "twitter"), str(DATA / "contacts"))
    assert code == 0, out
    for args in (
        ("note", "add", "terrillific", "Starting a podcast", "--kind", "need"),
        ("list", "create", "Improv friends", "--kind", "interest"),
        ("list", "add", "improv", "terrillific"),
        ("circle", "terrillific", "5", "--cadence", "14"),
        ("log", "meeting", "terrillific", "--note", "dinner in Chicago"),
        (
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
        ),
        ("today", "--minutes", "60", "--mode", "morning"),
    ):
        code, out = run("--db", db, *args)
        assert code == 0, (args, out)
    code, out = run("--db", db, "--json", "people", "show", "terrillific")
    person_id = json.loads(out)["person"]["person_id"]
    store = Store.open(db if "://" in db else f"sqlite:///{db}")
    try:
        store.upsert(
            schema.audit_decisions,
            [
                {
                    "decision_id": make_id("audit", person_id),
                    "person_id": person_id,
                    "decision": "keep",
                    "reason": "podcast partner",
                    "decided_at": utcnow(),
                }
            ],
        )
        with store.transaction() as conn:
            conn.execute(
                sa.insert(schema.agenda_items).values(
                    workspace_id=store.workspace_id,
                    item_id=make_id("agenda", "meet", person_id),
                    day="2030-01-02",
                    kind="reconnect",
                    person_id=person_id,
                    status="planned",
                    minutes=5,
                    reason="coffee in Chicago",
                    created_at=utcnow(),
                )
            )
    finally:
        store.close()
