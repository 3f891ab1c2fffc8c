"""row-level security: on PostgreSQL a connection sees only its workspace's rows

A second wall behind the store's own ``WHERE workspace_id = ...``: every table with a
``workspace_id`` column gets row-level security and one policy, ``workspace_id =
current_setting('netweave.workspace', true)``. The store sets ``netweave.workspace`` (and
``netweave.user``) with ``set_config(..., true)`` at the start of every transaction.

Memberships are also visible to their own user (``netweave.user``), and workspaces to their
members, so a user can list the workspaces they belong to.

The trade-off (docs/scaling.md): row-level security is *enabled*, not *forced*. The table
owner, the role that runs migrations, the local CLI and ``netweave backup``, keeps seeing
every workspace, as do superusers (who bypass row-level security anyway). Any other role,
such as the ``netweave_app`` role a web server should connect as, sees only the workspace
of its transaction, and nothing at all when none is set: it fails closed.

SQLite has no row-level security; this migration does nothing there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

POLICY = "netweave_workspace"
WORKSPACE = "workspace_id = current_setting('netweave.workspace', true)"
USER = "user_id = current_setting('netweave.user', true)"
MEMBER = (
    "workspace_id IN (SELECT m.workspace_id FROM memberships m "
    "WHERE m.user_id = current_setting('netweave.user', true))"
)


def _workspace_tables() -> list[str]:
    bind = op.get_bind()
    rows = bind.exec_driver_sql(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'workspace_id' "
        "AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
    )
    return [str(r[0]) for r in rows]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _workspace_tables():
        condition = WORKSPACE
        if table == "memberships":
            condition = f"{WORKSPACE} OR {USER}"
        elif table == "workspaces":
            condition = f"{WORKSPACE} OR {MEMBER}"
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} USING ({condition}) WITH CHECK ({WORKSPACE})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _workspace_tables():
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
