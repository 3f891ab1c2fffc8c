"""relationship health

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:38:46.108800
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import netweave.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tie_history",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_tie_history_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", "day", name=op.f("pk_tie_history")),
    )
    op.create_table(
        "tie_scores",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("raw", sa.Float(), nullable=False),
        sa.Column("decay", sa.Float(), nullable=False),
        sa.Column(
            "dimensions", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "reasons", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("private", sa.Integer(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("giving", sa.Integer(), nullable=False),
        sa.Column("asks", sa.Integer(), nullable=False),
        sa.Column("got_giving", sa.Integer(), nullable=False),
        sa.Column("platforms", sa.Integer(), nullable=False),
        sa.Column("first_contact", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("last_contact", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("suggested_circle", sa.Integer(), nullable=True),
        sa.Column("computed_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_tie_scores_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", name=op.f("pk_tie_scores")),
    )
    with op.batch_alter_table("tie_scores", schema=None) as batch_op:
        batch_op.create_index("ix_tie_scores_strength", ["workspace_id", "strength"], unique=False)

    op.create_table(
        "interaction_facts",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("counterpart", sa.String(length=64), nullable=False),
        sa.Column("interaction_id", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("intimacy", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id", "interaction_id"],
            ["interactions.workspace_id", "interactions.interaction_id"],
            name=op.f("fk_interaction_facts_workspace_id_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "counterpart", "interaction_id", name=op.f("pk_interaction_facts")
        ),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("interaction_facts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_facts_interaction", ["workspace_id", "interaction_id"], unique=False
        )
        batch_op.create_index(
            "ix_interaction_facts_time",
            [
                "workspace_id",
                "occurred_at",
                "direction",
                "label",
                "kind",
                "reason",
                "counterpart",
                "thread_id",
            ],
            unique=False,
        )

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_run", ["workspace_id", "run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_run")

    with op.batch_alter_table("interaction_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_facts_time")
        batch_op.drop_index("ix_interaction_facts_interaction")

    op.drop_table("interaction_facts")
    with op.batch_alter_table("tie_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_tie_scores_strength")

    op.drop_table("tie_scores")
    op.drop_table("tie_history")
