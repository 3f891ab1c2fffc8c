"""Drop the index on interactions.run_id, which nothing writes or reads

Migration 0002 indexed ``interactions.run_id`` for a per-import lookup that was never built:
no importer, connector or query uses the column, so the index held one NULL entry per
interaction. Every insert into the ledger paid for it, and a bulk first load rebuilt it (0.6 s
of a 500k-tweet import). A bulk load that was interrupted may have recorded the index to be
rebuilt on the next open (``netweave.store._bulk``); that record forgets it too.

The column stays: dropping it would rewrite the whole ledger table for no gain.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:45:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_INDEX = "ix_interactions_run"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        records = bind.execute(
            sa.text(
                "SELECT workspace_id, value FROM sync_state "
                "WHERE connector = 'store' AND key = 'deferred_indexes'"
            )
        ).all()
        for workspace, value in records:
            pending = json.loads(value or "{}")
            if pending.pop(_INDEX, None) is not None:
                bind.execute(
                    sa.text(
                        "UPDATE sync_state SET value = :value WHERE workspace_id = :ws "
                        "AND connector = 'store' AND key = 'deferred_indexes'"
                    ),
                    {"value": json.dumps(pending, sort_keys=True), "ws": workspace},
                )
    op.execute(f'DROP INDEX IF EXISTS "{_INDEX}"')


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(_INDEX, ["workspace_id", "run_id"], unique=False)
