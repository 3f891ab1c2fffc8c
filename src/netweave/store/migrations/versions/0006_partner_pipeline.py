"""partner pipeline and reversible audit decisions

``people.partner_stage_manual`` holds the stage the owner set by hand (it wins over the stage
derived from the ledger, which stays in ``partner_stage``). ``audit_decisions`` gains
``previous`` (what a decision changed, so it can be undone) and ``undone_at`` (an undone decision
is kept, marked, never deleted). ``ix_tie_scores_circle`` lets the daily agenda walk each
circle from its oldest contact instead of reading every tie.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import netweave.store.schema

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_stage_manual", sa.String(length=32), nullable=True))
    with op.batch_alter_table("audit_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "previous",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("undone_at", netweave.store.schema.Timestamp(), nullable=True)
        )
    op.create_index(
        "ix_audit_decisions_person",
        "audit_decisions",
        ["workspace_id", "person_id", "decided_at"],
    )
    op.create_index(
        "ix_tie_scores_circle",
        "tie_scores",
        ["workspace_id", "suggested_circle", "last_contact"],
    )


def downgrade() -> None:
    op.drop_index("ix_tie_scores_circle", table_name="tie_scores")
    op.drop_index("ix_audit_decisions_person", table_name="audit_decisions")
    with op.batch_alter_table("audit_decisions", schema=None) as batch_op:
        batch_op.drop_column("undone_at")
        batch_op.drop_column("previous")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("partner_stage_manual")
