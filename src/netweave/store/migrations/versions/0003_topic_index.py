"""topic index: full-text search over interactions

SQLite: an FTS5 table with external content (the ledger's text), a watermark of indexed rows,
and triggers keeping indexed rows in step on update and delete. PostgreSQL: a stored tsvector
column with a GIN index, maintained by the database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FTS = "interactions_fts"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE interactions ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(text, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_interactions_tsv ON interactions USING gin (tsv)")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='interactions', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TABLE interactions_fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "indexed_to INTEGER NOT NULL)"
    )
    op.execute("INSERT INTO interactions_fts_state VALUES (1, 0)")
    op.execute(
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON interactions "
        "WHEN old.rowid <= (SELECT indexed_to FROM interactions_fts_state) BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.rowid, old.text); END"
    )
    # New rows are indexed in bulk above the watermark; a row that reuses a rowid at or below
    # it (after the newest rows were deleted) is indexed as it is written.
    op.execute(
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON interactions "
        "WHEN new.rowid <= (SELECT indexed_to FROM interactions_fts_state) "
        "AND new.text IS NOT NULL BEGIN "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.rowid, new.text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF text ON interactions "
        "WHEN old.rowid <= (SELECT indexed_to FROM interactions_fts_state) "
        "AND old.text IS NOT new.text BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.rowid, old.text); "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.rowid, new.text); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_interactions_tsv")
        op.execute("ALTER TABLE interactions DROP COLUMN IF EXISTS tsv")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {FTS}_ai")
    op.execute(f"DROP TRIGGER IF EXISTS {FTS}_au")
    op.execute(f"DROP TRIGGER IF EXISTS {FTS}_ad")
    op.execute("DROP TABLE IF EXISTS interactions_fts_state")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")
