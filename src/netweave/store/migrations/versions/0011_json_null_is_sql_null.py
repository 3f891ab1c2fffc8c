"""JSON columns hold SQL NULL where there is no value, not the JSON text 'null'

Until now a Python ``None`` in a JSON column was written as the JSON document ``null``. A
"fill" upsert, which keeps what is stored where the new row has nothing
(``coalesce(new, old)``), then replaced a known value with that ``null``: re-importing an
interaction from a source that carries no ``extra`` erased the ``extra`` an earlier import had
stored. ``netweave.store.schema.JSON`` now writes None as SQL NULL, and this migration turns the
``null`` documents already stored in nullable JSON columns into SQL NULL. Readers see None
either way; nothing else changes.

The downgrade does nothing: the earlier code reads SQL NULL as None too.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, column) of every nullable JSON column at this revision
_COLUMNS = (
    ("import_runs", "counts"),
    ("accounts", "extra"),
    ("people", "tags"),
    ("account_links", "evidence"),
    ("link_decisions", "evidence"),
    ("interactions", "extra"),
    ("rules", "params"),
    ("key_results", "params"),
    ("audit_decisions", "previous"),
)


def upgrade() -> None:
    null = "'null'::jsonb" if op.get_bind().dialect.name == "postgresql" else "'null'"
    for table, column in _COLUMNS:
        op.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" = {null}')


def downgrade() -> None:
    pass
