"""Workspaces are walls: every command that takes a person, goal, list, account or agenda id is
run by a member of another workspace, and by a viewer, against real data; then the database is
reopened and checked untouched. Both backends."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from netweave.cli import app
from netweave.store import Store, schema

from .conftest import DATA

runner = CliRunner()
PASSWORD = "correct horse battery"
AS_MEMBER = {"NETWEAVE_PASSWORD": PASSWORD}

# Which parameters name something that lives in a workspace, per command.
ID_PARAMS = {"person", "first", "second", "account", "goal", "item", "parent", "list_"}
NAME_IS_ID = {
    "people show": "person",
    "list add": "list",
    "list remove": "list",
    "list show": "list",
}

# Every command taking one of those ids, with arguments naming workspace beta's things.
# {P}, {Q}: people; {A}: an account; {G}: a goal; {L}: a list; 1: the first agenda item.
ID_COMMANDS: dict[str, list[str]] = {
    "merge": ["merge", "{P}", "{Q}"],
    "split": ["split", "{A}"],
    "circle": ["circle", "{P}", "15"],
    "log": ["log", "meeting", "{P}"],
    "topics": ["topics", "{P}"],
    "ledger": ["ledger", "--person", "{P}"],
    "forget": ["forget", "{P}", "--yes"],
    "done": ["done", "1"],
    "skip": ["skip", "1"],
    "people show": ["people", "show", "{P}"],
    "note add": ["note", "add", "{P}", "a secret"],
    "note list": ["note", "list", "{P}"],
    "list add": ["list", "add", "{L}", "{Q}"],
    "list remove": ["list", "remove", "{L}", "{P}"],
    "list show": ["list", "show", "{L}"],
    "goal new": ["goal", "new", "--template", "help-others", "--person", "{P}", "--force"],
    "goal show": ["goal", "show", "{G}"],
    "goal revise": ["goal", "revise", "{G}", "--strategy", "taken over"],
    "goal close": ["goal", "close", "{G}"],
    "audit keep": ["audit", "keep", "{P}", "--reason", "taken over"],
    "audit move": ["audit", "move", "{P}", "--to", "{L}"],
    "audit drop": ["audit", "drop", "{P}"],
    "partners add": ["partners", "add", "{P}"],
    "partners stage": ["partners", "stage", "{P}", "collaborate"],
    "partners remove": ["partners", "remove", "{P}"],
}
# What a viewer may still run (reads); everything else is a write and refused with exit 3.
VIEWER_READS = {"people show", "note list", "list show", "goal show", "topics", "ledger"}


def _commands_with_ids() -> set[str]:
    found: set[str] = set()

    def walk(cmd: Any, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
            return
        key = " ".join(path)
        names = {p.name for p in cmd.params}
        if names & ID_PARAMS or ("name" in names and key in NAME_IS_ID):
            found.add(key)

    walk(typer.main.get_command(app), [])
    return found


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin, env=env)
    return result.exit_code, result.stdout + result.stderr


def _ok(*args: str) -> Any:
    code, out = run(*args)
    assert code == 0, out
    return json.loads(out) if "--json" in args else out


def _beta_rows(url: str) -> dict[str, str]:
    """A digest of every row of workspace beta, table by table (and of the users)."""
    store = Store.open(url, workspace_id="beta", migrate=False)
    out = {}
    try:
        with store.connect() as conn:
            for name, table in sorted(schema.metadata.tables.items()):
                query = sa.select(table)
                if "workspace_id" in table.c:
                    query = query.where(table.c.workspace_id == "beta")
                rows = sorted(repr(tuple(r)) for r in conn.execute(query))
                out[name] = f"{len(rows)}:" + hashlib.sha256("\n".join(rows).encode()).hexdigest()
    finally:
        store.close()
    return out


@pytest.fixture
def team_db(db_url: str) -> tuple[str, dict[str, str]]:
    """Workspace beta full of data; alice owns alpha; bob only views beta."""
    db = ["--db", db_url]
    for user in ("alice", "bob"):
        code, out = run(*db, "user", "add", user, "--password-stdin", stdin=PASSWORD)
        assert code == 0, out
    _ok(*db, "workspace", "create", "alpha", "--owner", "alice")
    _ok(*db, "workspace", "create", "beta")
    _ok(*db, "-w", "beta", "workspace", "invite", "bob", "--role", "viewer")
    beta = [*db, "-w", "beta"]
    _ok(*beta, "import", str(DATA / "twitter"))
    people = _ok(*beta, "--json", "people", "list", "--sort", "name")
    p, q, r = (row["person_id"] for row in people[:3])
    # p gets a second account (r's), so that splitting it off is a valid change
    account = _ok(*beta, "--json", "people", "show", r)["accounts"][0]["account_id"]
    _ok(*beta, "merge", p, r)
    goal = _ok(*beta, "--json", "goal", "new", "--template", "stronger-connections", "--person", p)
    _ok(*beta, "list", "create", "vips")
    _ok(*beta, "list", "add", "vips", p)
    _ok(*beta, "note", "add", p, "knows the secret recipe")
    _ok(*beta, "today")
    return db_url, {"P": p, "Q": q, "A": account, "G": goal["goal_id"], "L": "vips"}


def _argv(name: str, ids: dict[str, str]) -> list[str]:
    return [a.format(**ids) for a in ID_COMMANDS[name]]


def test_every_command_taking_an_id_is_covered() -> None:
    assert _commands_with_ids() == set(ID_COMMANDS)
    assert set(ID_COMMANDS) >= VIEWER_READS


def test_a_member_cannot_read_or_change_another_workspace(
    team_db: tuple[str, dict[str, str]],
) -> None:
    url, ids = team_db
    before = _beta_rows(url)
    assert int(before["people"].split(":")[0]) > 0
    for name in sorted(ID_COMMANDS):
        argv = _argv(name, ids)
        # in her own workspace, beta's ids match nothing
        code, out = run("--db", url, "--user", "alice", "-w", "alpha", *argv, env=AS_MEMBER)
        assert code == 2, (name, out)
        assert "error: no " in out, (name, out)
        for secret in ("secret recipe", ids["P"]):
            assert secret not in out.replace(f"matches {ids['P']!r}", ""), (name, out)
        # and beta itself does not exist for her
        code, out = run("--db", url, "--user", "alice", "-w", "beta", *argv, env=AS_MEMBER)
        assert code == 2, (name, out)
        assert "no workspace matches 'beta'" in out, (name, out)
    for whole in (["backup", "x.db"], ["export", "out"], ["info"]):
        code, out = run("--db", url, "--user", "alice", "-w", "beta", *whole, env=AS_MEMBER)
        assert code == 2, (whole, out)
    code, out = run("--db", url, "--user", "alice", "-w", "alpha", "backup", "x.db", env=AS_MEMBER)
    assert code == 3, out
    assert _beta_rows(url) == before


def test_a_viewer_reads_but_cannot_write(team_db: tuple[str, dict[str, str]]) -> None:
    url, ids = team_db
    before = _beta_rows(url)
    for name in sorted(ID_COMMANDS):
        code, out = run(
            "--db", url, "--user", "bob", "-w", "beta", *_argv(name, ids), env=AS_MEMBER
        )
        if name in VIEWER_READS:
            assert code == 0, (name, out)
        else:
            assert code == 3, (name, out)
            assert "viewer cannot change" in out, (name, out)
    code, out = run(
        "--db", url, "--user", "bob", "-w", "beta", "note", "list", ids["P"], env=AS_MEMBER
    )
    assert "secret recipe" in out
    assert _beta_rows(url) == before
