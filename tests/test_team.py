"""Team mode: users, passwords, login rate limit, workspaces, roles; on both backends."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from netweave import team
from netweave.cli import app
from netweave.errors import AuthenticationFailed, InputError, NotFound, PermissionDenied
from netweave.store import Store, schema, utcnow

runner = CliRunner()
PASSWORD = "correct horse battery"


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin, env=env)
    return result.exit_code, result.stdout + result.stderr


def test_password_hashes_are_salted_argon2id_and_verify() -> None:
    first, second = team.hash_password(PASSWORD), team.hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert first != second
    assert team.verify_password(first, PASSWORD)
    assert not team.verify_password(first, PASSWORD + "!")
    assert not team.verify_password("not a hash", PASSWORD)
    assert not team.verify_password(None, PASSWORD)


def test_rate_limiter_blocks_after_failures_and_forgets_after_the_window() -> None:
    now = [100.0]
    limiter = team.RateLimiter(max_failures=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.blocked_for("Ada") == 0.0
        limiter.failed("ada")
    assert limiter.blocked_for("ADA") == pytest.approx(60.0)
    assert limiter.blocked_for("bob") == 0.0
    now[0] += 59
    assert limiter.blocked_for("ada") == pytest.approx(1.0)
    now[0] += 1.5
    assert limiter.blocked_for("ada") == 0.0


def test_authenticate_and_rate_limit(store: Store) -> None:
    team.add_user(store, "ada", PASSWORD)
    limiter = team.RateLimiter(max_failures=2, window=60)
    assert team.authenticate(store, "ada", PASSWORD, limiter=limiter).username == "ada"
    for name, password in [("ada", "wrong password"), ("nobody", PASSWORD)]:
        with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
            team.authenticate(store, name, password, limiter=limiter)
    team.authenticate(store, "ada", PASSWORD, limiter=limiter)  # success resets the count
    for _ in range(2):
        with pytest.raises(AuthenticationFailed, match="wrong"):
            team.authenticate(store, "ada", "wrong password", limiter=limiter)
    # now even the right password is refused until the window passes
    with pytest.raises(AuthenticationFailed, match="too many failed logins"):
        team.authenticate(store, "ada", PASSWORD, limiter=limiter)


def test_unknown_user_costs_as_much_as_a_wrong_password(store: Store) -> None:
    team.add_user(store, "ada", PASSWORD)
    limiter = team.RateLimiter(max_failures=1000)

    def timed(name: str) -> float:
        start = time.perf_counter()
        for _ in range(5):
            with pytest.raises(AuthenticationFailed):
                team.authenticate(store, name, "wrong password", limiter=limiter)
        return time.perf_counter() - start

    known, unknown = timed("ada"), timed("nobody")
    # both run argon2 every time: within a factor of two, not a hash versus a lookup
    assert 0.5 < unknown / known < 2.0


def test_users_are_unique_and_passwords_long_enough(store: Store) -> None:
    team.add_user(store, "ada", PASSWORD)
    with pytest.raises(InputError, match="already exists"):
        team.add_user(store, "ada")
    with pytest.raises(InputError, match="at least 8"):
        team.add_user(store, "bob", "short")
    with pytest.raises(InputError, match="not a user name"):
        team.add_user(store, "bad name")
    team.set_password(store, "ada", "another good one")
    team.authenticate(store, "ada", "another good one", limiter=team.RateLimiter())


def test_roles_are_enforced_by_the_store(store: Store) -> None:
    team.add_user(store, "ada", PASSWORD)
    team.add_user(store, "vic", PASSWORD)
    team.create_workspace(store, "acme", owner="ada")
    team.create_workspace(store, "other")
    team.invite(store, "acme", "vic", "viewer")
    ada = team.login(store, "ada", PASSWORD, "acme")
    vic = team.login(store, "vic", PASSWORD, "acme")
    assert (ada.role, vic.role) == ("owner", "viewer")
    topic = {"topic_id": "t1", "name": "python", "kind": "expertise", "created_at": utcnow()}
    assert ada.upsert(schema.topics, [topic]) == 1
    with pytest.raises(PermissionDenied, match="viewer"):
        vic.upsert(schema.topics, [{**topic, "topic_id": "t2"}])
    with pytest.raises(PermissionDenied), vic.transaction():
        pass
    assert vic.counts()["topics"] == 1  # reading is fine
    with pytest.raises(PermissionDenied, match="only an owner"):
        team.invite(vic, "acme", "vic", "owner")
    with pytest.raises(NotFound, match="no workspace matches 'other'"):
        team.login(store, "ada", PASSWORD, "other")
    with pytest.raises(NotFound, match="no workspace matches 'other'"):
        team.members(ada, "other")
    with pytest.raises(NotFound, match="no workspace matches 'nowhere'"):
        team.members(ada, "nowhere")
    with pytest.raises(PermissionDenied):
        ada.in_workspace("other")
    with pytest.raises(PermissionDenied):
        team.add_user(ada, "eve")
    with pytest.raises(PermissionDenied, match="own password"):
        team.set_password(ada, "vic", "a new password")
    assert [w.workspace_id for w in team.list_workspaces(ada)] == ["acme"]
    assert {w.workspace_id for w in team.list_workspaces(store)} == {"acme", "local", "other"}
    assert [(m.username, m.role) for m in team.members(ada, "acme")] == [
        ("ada", "owner"),
        ("vic", "viewer"),
    ]


def test_single_user_mode_is_unchanged(store: Store) -> None:
    assert not team.has_users(store)
    assert store.role is None
    assert store.can_write
    with store.transaction():
        pass


def test_team_cli_round_trip(db_url: str) -> None:
    code, out = run("--db", db_url, "user", "add", "ada", "--password-stdin", stdin=PASSWORD)
    assert code == 0, out
    assert run("--db", db_url, "user", "add", "vic", "--password-stdin", stdin=PASSWORD)[0] == 0
    code, out = run("--db", db_url, "workspace", "create", "acme", "--owner", "ada")
    assert code == 0, out
    as_ada = {"NETWEAVE_PASSWORD": PASSWORD}
    code, out = run(
        "--db", db_url, "-w", "acme", "--user", "ada", "workspace", "invite", "vic",
        "--role", "viewer", env=as_ada,
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "--db", db_url, "-w", "acme", "--user", "vic", "--json", "workspace", "members", env=as_ada
    )
    assert code == 0, out
    assert json.loads(out) == [{"user": "ada", "role": "owner"}, {"user": "vic", "role": "viewer"}]
    code, out = run("--db", db_url, "--user", "vic", "--json", "workspace", "list", env=as_ada)
    assert code == 0, out
    assert json.loads(out) == [{"workspace": "acme", "role": "viewer", "members": 2}]
    # a viewer cannot write: exit 3, nothing written
    code, out = run(
        "--db", db_url, "-w", "acme", "--user", "vic", "list", "create", "friends", env=as_ada
    )
    assert code == 3, out
    assert "viewer cannot change" in out
    # wrong password, unknown user: exit 3 with the same message
    for user in ("vic", "nobody"):
        code, out = run(
            "--db", db_url, "--user", user, "workspace", "list",
            env={"NETWEAVE_PASSWORD": "wrong password"},
        )  # fmt: skip
        assert code == 3, out
        assert "wrong user name or password" in out
    # a workspace one is not a member of does not exist
    code, out = run("--db", db_url, "--user", "vic", "-w", "local", "info", env=as_ada)
    assert code == 2, out
    assert "no workspace matches 'local'" in out
    code, out = run("--db", db_url, "user", "passwd", "vic", "--password-stdin", stdin="new one!!")
    assert code == 0, out
    store = Store.open(db_url)
    try:
        assert store.in_workspace("acme").counts()["lists"] == 0
        with store.connect() as conn:
            rows = conn.execute(
                sa.select(schema.memberships.c.role).order_by(schema.memberships.c.role)
            ).scalars()
            assert list(rows) == ["owner", "viewer"]
        team.authenticate(store, "vic", "new one!!", limiter=team.RateLimiter())
    finally:
        store.close()
