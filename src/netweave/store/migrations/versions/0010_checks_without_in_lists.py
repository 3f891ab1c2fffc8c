"""checks without IN lists: SQLite tests a row's enumerated columns at no cost per row

SQLite evaluates a CHECK written ``kind IN ('post', 'reply', 'like')`` (three values or more)
by building a temporary b-tree of the list, and builds it again for every row it writes. On a
bulk import of a 500k-tweet archive that was about 16 of the 33 microseconds an interaction
row cost to insert. The same test written ``kind = 'post' OR kind = 'reply' OR kind = 'like'``
costs nothing measurable. Every such CHECK becomes the OR form (``netweave.store.schema``
writes them with ``_one_of``).

The constraints keep their names and their meaning, and every stored row already satisfies
them, so the table definitions are edited in place: SQLite's documented procedure for
changing CHECK constraints (``writable_schema``, then a new ``schema_version``). No table is
copied, so rowids, which the topic index refers to, stay as they are, and the change is
instant at any size.

PostgreSQL evaluates IN lists without that cost; this migration does nothing there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:10:00
"""

from __future__ import annotations

import re
from collections.abc import Callable

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_IN_LIST = re.compile(r"CHECK \((\w+) IN \(('[^']*'(?:, '[^']*')*)\)\)")
_OR_CHAIN = re.compile(r"CHECK \(((\w+) = '[^']*'(?: OR \2 = '[^']*')+)\)")


def _as_or(match: re.Match[str]) -> str:
    column, values = match.group(1), re.findall(r"'[^']*'", match.group(2))
    return "CHECK (" + " OR ".join(f"{column} = {v}" for v in values) + ")"


def _as_in(match: re.Match[str]) -> str:
    column, values = match.group(2), re.findall(r"'[^']*'", match.group(1))
    return f"CHECK ({column} IN ({', '.join(values)}))"


def _rewrite(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    tables = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK (%'"
    ).all()
    changed = [(new, name) for name, sql in tables if (new := pattern.sub(replace, sql)) != sql]
    if not changed:
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", changed
        )
        # every connection, this one included, reads the definitions again
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _rewrite(_IN_LIST, _as_or)


def downgrade() -> None:
    _rewrite(_OR_CHAIN, _as_in)
