"""identity index: blocking keys and fingerprints for incremental resolution

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_index",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_id"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_identity_index_workspace_id_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "account_id", name=op.f("pk_identity_index")),
    )
    op.create_table(
        "identity_keys",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("block_key", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_id"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_identity_keys_workspace_id_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "block_key", "account_id", name=op.f("pk_identity_keys")
        ),
    )
    op.create_index(
        "ix_identity_keys_account", "identity_keys", ["workspace_id", "account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_identity_keys_account", table_name="identity_keys")
    op.drop_table("identity_keys")
    op.drop_table("identity_index")
