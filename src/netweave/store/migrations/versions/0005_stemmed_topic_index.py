"""stemmed topic index: "accessible" finds "accessibility"

The topic index of 0003 matched whole words only, so a search for a topic missed every post
that used another form of its words. SQLite: the FTS5 table is rebuilt with the Porter stemmer
in front of ``unicode61`` (same triggers, watermark moved to the rebuilt top). PostgreSQL: the
generated tsvector uses the ``english`` configuration (stemming and stop words) instead of
``simple``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FTS = "interactions_fts"


def _postgresql(config: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_interactions_tsv")
    op.execute("ALTER TABLE interactions DROP COLUMN IF EXISTS tsv")
    op.execute(
        "ALTER TABLE interactions ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{config}', coalesce(text, ''))) STORED"
    )
    op.execute("CREATE INDEX ix_interactions_tsv ON interactions USING gin (tsv)")


def _sqlite(tokenize: str) -> None:
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='interactions', "
        f"content_rowid='rowid', tokenize='{tokenize}')"
    )
    op.execute(
        f"INSERT INTO {FTS}(rowid, text) SELECT rowid, text FROM interactions "
        "WHERE text IS NOT NULL"
    )
    op.execute(
        "UPDATE interactions_fts_state SET indexed_to = "
        "(SELECT coalesce(max(rowid), 0) FROM interactions) WHERE id = 1"
    )
    watermark = "(SELECT indexed_to FROM interactions_fts_state)"
    op.execute(
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON interactions "
        f"WHEN old.rowid <= {watermark} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.rowid, old.text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON interactions "
        f"WHEN new.rowid <= {watermark} AND new.text IS NOT NULL BEGIN "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.rowid, new.text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF text ON interactions "
        f"WHEN old.rowid <= {watermark} AND old.text IS NOT new.text BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.rowid, old.text); "
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.rowid, new.text); END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql("english")
    else:
        _sqlite("porter unicode61 remove_diacritics 2")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql("simple")
    else:
        _sqlite("unicode61 remove_diacritics 2")
