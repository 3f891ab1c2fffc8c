"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 09:15:24.880280
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import netweave.store.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        info={"citus": "reference"},
    )
    op.create_table(
        "workspaces",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "accounts",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("platform_id", sa.String(length=200), nullable=True),
        sa.Column("handle", sa.String(length=300), nullable=True),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("is_owner", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("extra", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("first_seen", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("last_seen", netweave.store.schema.Timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "account_id", name=op.f("pk_accounts")),
        sa.UniqueConstraint(
            "workspace_id", "platform", "key", name=op.f("uq_accounts_workspace_id_platform_key")
        ),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index("ix_accounts_handle", ["workspace_id", "handle"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("goal_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("done_at", netweave.store.schema.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'done', 'skipped')", name=op.f("ck_agenda_items_status")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_agenda_items_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "item_id", name=op.f("pk_agenda_items")),
    )
    op.create_table(
        "goals",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("goal_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("why", sa.String(length=32), nullable=False),
        sa.Column("end_state", sa.Text(), nullable=True),
        sa.Column("strategy", sa.Text(), nullable=True),
        sa.Column("horizon", sa.String(length=8), nullable=False),
        sa.Column("parent_goal_id", sa.String(length=64), nullable=True),
        sa.Column("start", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("deadline", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision_of", sa.String(length=64), nullable=True),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("closed_at", netweave.store.schema.Timestamp(), nullable=True),
        sa.CheckConstraint("deadline > start", name=op.f("ck_goals_deadline_after_start")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_goals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "goal_id", name=op.f("pk_goals")),
    )
    op.create_table(
        "identity_events",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("undone_at", netweave.store.schema.Timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_identity_events_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "seq", name=op.f("pk_identity_events")),
    )
    op.create_table(
        "import_runs",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("records_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "counts", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("finished_at", netweave.store.schema.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'done', 'failed')", name=op.f("ck_import_runs_status")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_import_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "run_id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "lists",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_lists_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "list_id", name=op.f("pk_lists")),
    )
    op.create_table(
        "memberships",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'editor', 'viewer')", name=op.f("ck_memberships_role")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.user_id"],
            name=op.f("fk_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_memberships_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", name=op.f("pk_memberships")),
    )
    op.create_table(
        "people",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("circle", sa.Integer(), nullable=True),
        sa.Column("reason_connected", sa.Text(), nullable=True),
        sa.Column("partner_stage", sa.String(length=32), nullable=True),
        sa.Column("partner_stage_since", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("cadence_max_days", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("is_owner", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("updated_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_people_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", name=op.f("pk_people")),
    )
    op.create_table(
        "rules",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "rule_id", name=op.f("pk_rules")),
    )
    op.create_table(
        "sync_state",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("connector", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("updated_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_sync_state_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "connector", "key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "topics",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.workspace_id"],
            name=op.f("fk_topics_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "topic_id", name=op.f("pk_topics")),
    )
    op.create_table(
        "account_contacts",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_id"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_account_contacts_workspace_id_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "account_id", "kind", "value", name=op.f("pk_account_contacts")
        ),
    )
    with op.batch_alter_table("account_contacts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_contacts_value", ["workspace_id", "kind", "value"], unique=False
        )

    op.create_table(
        "account_links",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.CheckConstraint("method IN ('auto', 'manual')", name=op.f("ck_account_links_method")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_id"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_account_links_workspace_id_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_account_links_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "account_id", name=op.f("pk_account_links")),
    )
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_links_person", ["workspace_id", "person_id"], unique=False
        )

    op.create_table(
        "audit_decisions",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("decision_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("list_id", sa.String(length=64), nullable=True),
        sa.Column("decided_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('keep', 'move', 'drop')", name=op.f("ck_audit_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_audit_decisions_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "decision_id", name=op.f("pk_audit_decisions")),
    )
    op.create_table(
        "edges",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("from_account", sa.String(length=64), nullable=False),
        sa.Column("to_account", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("since", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("first_seen", netweave.store.schema.Timestamp(), nullable=True),
        sa.Column("last_seen", netweave.store.schema.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('follows', 'followed_by', 'connected', 'friend', 'blocked', 'muted', 'list_member', 'invited')",
            name=op.f("ck_edges_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "from_account"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_edges_workspace_id_from_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "to_account"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_edges_workspace_id_to_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "from_account", "to_account", "kind", name=op.f("pk_edges")
        ),
    )
    with op.batch_alter_table("edges", schema=None) as batch_op:
        batch_op.create_index("ix_edges_to", ["workspace_id", "to_account"], unique=False)

    op.create_table(
        "goal_links",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("goal_id", sa.String(length=64), nullable=False),
        sa.Column("link_type", sa.String(length=8), nullable=False),
        sa.Column("link_value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "goal_id"],
            ["goals.workspace_id", "goals.goal_id"],
            name=op.f("fk_goal_links_workspace_id_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "goal_id", "link_type", "link_value", name=op.f("pk_goal_links")
        ),
    )
    op.create_table(
        "interactions",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("interaction_id", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor_account", sa.String(length=64), nullable=True),
        sa.Column("target_account", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("thread_id", sa.String(length=200), nullable=True),
        sa.Column("in_reply_to", sa.String(length=200), nullable=True),
        sa.Column("extra", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("run_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "direction IN ('given', 'received', 'neutral')", name=op.f("ck_interactions_direction")
        ),
        sa.CheckConstraint(
            "kind IN ('post', 'reply', 'mention', 'dm', 'like', 'repost', 'comment', 'email', 'meeting', 'call', 'note', 'invitation')",
            name=op.f("ck_interactions_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "actor_account"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_interactions_workspace_id_actor_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "target_account"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_interactions_workspace_id_target_account_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "interaction_id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interactions_actor", ["workspace_id", "actor_account", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_interactions_target",
            ["workspace_id", "target_account", "occurred_at"],
            unique=False,
        )
        batch_op.create_index("ix_interactions_time", ["workspace_id", "occurred_at"], unique=False)

    op.create_table(
        "key_results",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("kr_id", sa.String(length=64), nullable=False),
        sa.Column("goal_id", sa.String(length=64), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("baseline", sa.Float(), server_default="0", nullable=False),
        sa.Column(
            "params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "goal_id"],
            ["goals.workspace_id", "goals.goal_id"],
            name=op.f("fk_key_results_workspace_id_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "kr_id", name=op.f("pk_key_results")),
    )
    op.create_table(
        "link_decisions",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("account_a", sa.String(length=64), nullable=False),
        sa.Column("account_b", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_a"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_link_decisions_workspace_id_account_a_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "account_b"],
            ["accounts.workspace_id", "accounts.account_id"],
            name=op.f("fk_link_decisions_workspace_id_account_b_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "account_a", "account_b", name=op.f("pk_link_decisions")
        ),
    )
    op.create_table(
        "list_members",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("member_type", sa.String(length=8), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", netweave.store.schema.Timestamp(), nullable=True),
        sa.CheckConstraint(
            "member_type IN ('account', 'person')", name=op.f("ck_list_members_member_type")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "list_id"],
            ["lists.workspace_id", "lists.list_id"],
            name=op.f("fk_list_members_workspace_id_list_id_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "list_id", "member_type", "member_id", name=op.f("pk_list_members")
        ),
    )
    op.create_table(
        "notes",
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("note_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", netweave.store.schema.Timestamp(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('note', 'need', 'interest', 'fact', 'life_event')", name=op.f("ck_notes_kind")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "person_id"],
            ["people.workspace_id", "people.person_id"],
            name=op.f("fk_notes_workspace_id_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "note_id", name=op.f("pk_notes")),
    )


def downgrade() -> None:
    op.drop_table("notes")
    op.drop_table("list_members")
    op.drop_table("link_decisions")
    op.drop_table("key_results")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_time")
        batch_op.drop_index("ix_interactions_target")
        batch_op.drop_index("ix_interactions_actor")

    op.drop_table("interactions")
    op.drop_table("goal_links")
    with op.batch_alter_table("edges", schema=None) as batch_op:
        batch_op.drop_index("ix_edges_to")

    op.drop_table("edges")
    op.drop_table("audit_decisions")
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.drop_index("ix_account_links_person")

    op.drop_table("account_links")
    with op.batch_alter_table("account_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_account_contacts_value")

    op.drop_table("account_contacts")
    op.drop_table("topics")
    op.drop_table("sync_state")
    op.drop_table("rules")
    op.drop_table("people")
    op.drop_table("memberships")
    op.drop_table("lists")
    op.drop_table("import_runs")
    op.drop_table("identity_events")
    op.drop_table("goals")
    op.drop_table("agenda_items")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_handle")

    op.drop_table("accounts")
    op.drop_table("workspaces")
    op.drop_table("users")
