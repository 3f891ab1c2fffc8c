"""PostgreSQL row-level security (migration 0009), proven with a role that is neither a
superuser nor the tables' owner, as a web server should connect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from netweave import team
from netweave.store import Store, schema, utcnow

from .conftest import need_postgres

pytestmark = pytest.mark.postgres
APP_ROLE = "netweave_app"


def _topic(topic_id: str) -> dict[str, object]:
    return {"topic_id": topic_id, "name": topic_id, "kind": "interest", "created_at": utcnow()}


@pytest.fixture
def stores(pg_url: str) -> Iterator[tuple[Store, Store]]:
    """(the owner's store, the same database seen by the unprivileged app role)."""
    need_postgres()
    owner = Store.open(pg_url)
    for ws in ("alpha", "beta"):
        team.create_workspace(owner, ws)
        owner.in_workspace(ws).upsert(schema.topics, [_topic(f"{ws}-topic")])
    with owner.engine.begin() as conn:
        conn.exec_driver_sql(
            f"DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        current = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {current} TO {APP_ROLE}")
        conn.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {current} TO {APP_ROLE}"
        )
    app_url = sa.make_url(pg_url).set(username=APP_ROLE).render_as_string(hide_password=False)
    app = Store.open(app_url, workspace_id="alpha", migrate=False)
    try:
        yield owner, app
    finally:
        app.close()
        with owner.engine.begin() as conn:
            current = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
            conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {current} FROM {APP_ROLE}")
            conn.exec_driver_sql(f"REVOKE USAGE ON SCHEMA {current} FROM {APP_ROLE}")
        owner.close()


def test_every_workspace_table_has_row_level_security(stores: tuple[Store, Store]) -> None:
    owner, _ = stores
    with owner.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT c.relname, c.relrowsecurity, count(p.polname) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
            "LEFT JOIN pg_policy p ON p.polrelid = c.oid WHERE c.relkind = 'r' "
            "GROUP BY c.relname, c.relrowsecurity"
        ).all()
    secured = {name for name, enabled, policies in rows if enabled and policies == 1}
    expected = {n for n, t in schema.metadata.tables.items() if "workspace_id" in t.c}
    assert expected <= secured
    assert "users" not in secured


def test_the_app_role_sees_only_its_transactions_workspace(stores: tuple[Store, Store]) -> None:
    owner, app = stores
    with app.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar_one() == APP_ROLE
        is_super = conn.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        assert is_super.scalar_one() is False
    raw = "SELECT topic_id FROM topics ORDER BY topic_id"  # no WHERE: only the policy filters
    with app.connect() as conn:
        assert list(conn.exec_driver_sql(raw).scalars()) == ["alpha-topic"]
    with app.in_workspace("beta").connect() as conn:
        assert list(conn.exec_driver_sql(raw).scalars()) == ["beta-topic"]
    # no workspace set: fails closed, nothing at all
    with app.in_workspace("").connect() as conn:
        assert list(conn.exec_driver_sql(raw).scalars()) == []
    # the owner (migrations, local CLI, backups) is not restricted
    with owner.connect() as conn:
        assert list(conn.exec_driver_sql(raw).scalars()) == ["alpha-topic", "beta-topic"]
    # writing into another workspace than the transaction's is refused by the policy
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), app.transaction() as c:
        c.exec_driver_sql(
            "INSERT INTO topics (workspace_id, topic_id, name, kind, created_at) "
            "VALUES ('beta', 'sneaky', 'x', 'interest', now())"
        )
    # and changing or deleting another workspace's rows touches nothing
    with app.transaction() as c:
        assert c.exec_driver_sql("UPDATE topics SET name = 'hacked'").rowcount == 1
        assert c.exec_driver_sql("DELETE FROM topics WHERE workspace_id = 'beta'").rowcount == 0
    with owner.connect() as conn:
        names = dict(conn.exec_driver_sql("SELECT topic_id, name FROM topics").all())
    assert names == {"alpha-topic": "hacked", "beta-topic": "beta-topic"}
    assert app.counts()["topics"] == 1


def test_members_log_in_through_the_app_role(stores: tuple[Store, Store]) -> None:
    owner, app = stores
    team.add_user(owner, "ada", "correct horse battery")
    team.invite(owner, "beta", "ada", "editor")
    ada = team.login(app, "ada", "correct horse battery", "beta")
    assert ada.role == "editor"
    assert [w.workspace_id for w in team.list_workspaces(ada)] == ["beta"]
    assert [m.username for m in team.members(ada, "beta")] == ["ada"]
    with ada.connect() as conn:
        assert list(conn.exec_driver_sql("SELECT topic_id FROM topics").scalars()) == ["beta-topic"]
