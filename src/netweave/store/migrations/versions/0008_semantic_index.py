"""semantic index: one embedding per text, for `index --semantic` and `who --semantic`

A plain table on both backends: the vector is float32 bytes (BLOB on SQLite, bytea on
PostgreSQL). SQLite scans it with sqlite-vec's distance function when the Python build can load
extensions, else with numpy; PostgreSQL with numpy (pgvector is not required).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netweave.store.schema

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "semantic_index",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("embedded_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.CheckConstraint(
            "source IN ('interaction', 'note')", name=op.f("ck_semantic_index_source")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_id"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_semantic_index_workspace_id_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_semantic_index_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "source", "item_id", name=op.f("pk_semantic_index")
        ),
    )
    op.create_index(
        "ix_semantic_index_account", "semantic_index", ["workspace_id", "account_id"], unique=False
    )
    op.create_index(
        "ix_semantic_index_person", "semantic_index", ["workspace_id", "person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_semantic_index_person", table_name="semantic_index")
    op.drop_index("ix_semantic_index_account", table_name="semantic_index")
    op.drop_table("semantic_index")
