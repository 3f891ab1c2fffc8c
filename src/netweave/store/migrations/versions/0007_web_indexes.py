"""web indexes: the people list pages off indexes at any size

The web UI's people list is sorted by tie strength, latest contact or name and cut with
LIMIT/OFFSET; these indexes hold the sort key and the person id, so a page (even a deep one) is
an index walk; the name index carries the owner flag, so it alone answers name searches. Kept in sync with
``netweave.store.schema``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tie_scores_rank", "tie_scores", ["workspace_id", "strength", "person_id"])
    op.create_index(
        "ix_tie_scores_recent", "tie_scores", ["workspace_id", "last_contact", "person_id"]
    )
    op.create_index(
        "ix_people_name",
        "people",
        ["workspace_id", sa.text("lower(display_name)"), "person_id", "is_owner"],
    )


def downgrade() -> None:
    op.drop_index("ix_people_name", table_name="people")
    op.drop_index("ix_tie_scores_recent", table_name="tie_scores")
    op.drop_index("ix_tie_scores_rank", table_name="tie_scores")
