"""The topic index: full-text search over everything people said, on both backends.

SQLite: an FTS5 table over ``interactions.text`` with external content (the text is stored once,
in the ledger). New rows are indexed in bulk after an import by rowid watermark, which is much
cheaper than a trigger per row during the import; updates and deletes of already indexed rows
are kept in step by triggers. PostgreSQL: a stored ``tsvector`` column with a GIN index, which
the database maintains itself. Both are created by migration 0003 and sit behind
:func:`ensure_index` and :func:`match_clause`. Both stem English words (migration 0005: FTS5's
Porter tokenizer, PostgreSQL's ``english`` configuration), so a search for "accessible" also
finds "accessibility" and "packages" finds "packaging".

User queries never reach the engine raw: :func:`parse_query` turns them into a safe form, so
FTS syntax (``"``, ``AND``, ``*``, ``NEAR``) is searched as words, never as operators.

    >>> parse_query('python packaging')
    ['python', 'packaging']
    >>> parse_query('"wheel building" AND ci')
    ['wheel building', 'ci']
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..store import Store, schema

__all__ = [
    "current_index_column",
    "ensure_index",
    "index_current",
    "indexed_text",
    "match_clause",
    "match_value",
    "matched_ledger",
    "parse_query",
]

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]", re.UNICODE)
_OPERATORS = {"and", "or", "not", "near"}
FTS_TABLE = "interactions_fts"


def parse_query(text: str) -> list[str]:
    """Terms and quoted phrases of a user query; FTS operators and punctuation are dropped.

    >>> parse_query("AND * \\"")
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: query has no words to search for: 'AND * "'
    """
    terms: list[str] = []
    rest = text
    for phrase in _PHRASE.findall(text):
        words = _WORD.findall(phrase)
        if words:
            terms.append(" ".join(words).lower())
    rest = _PHRASE.sub(" ", text)
    for word in _WORD.findall(rest):
        if word.lower() not in _OPERATORS:
            terms.append(word.lower())
    if not terms:
        raise InputError("", None, f"query has no words to search for: {text!r}")
    return terms


def _fts5_expression(terms: list[str]) -> str:
    # every term or phrase quoted: FTS5 then treats it as plain text, never as syntax
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " & ".join(
        "(" + " <-> ".join(re.sub(r"[^\w]", "", w) or "x" for w in t.split()) + ")" for t in terms
    )


def ensure_index(store: Store) -> int:
    """Index every row not indexed yet; return how many were added.

    The index itself is created by migration 0003. On PostgreSQL the database keeps the
    tsvector column current, so there is never anything to do. Cheap when nothing is new.
    """
    if store.dialect == "postgresql":
        return 0
    with store.connect() as conn:  # the common case, nothing new, takes no write lock
        if index_current(conn):
            return 0
    with store.transaction() as conn:
        mark = conn.exec_driver_sql(
            "SELECT indexed_to FROM interactions_fts_state WHERE id = 1"
        ).scalar_one()
        top = conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM interactions").scalar_one()
        if top <= mark:
            return 0
        added = conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT rowid, text FROM interactions "
            "WHERE rowid > ? AND rowid <= ? AND text IS NOT NULL",
            (mark, top),
        ).rowcount
        conn.exec_driver_sql(
            "UPDATE interactions_fts_state SET indexed_to = ? WHERE id = 1", (top,)
        )
        return int(added or 0)


_CURRENT = (
    "SELECT (SELECT indexed_to FROM interactions_fts_state WHERE id = 1) "
    ">= (SELECT coalesce(max(rowid), 0) FROM interactions)"
)


def index_current(conn: sa.Connection) -> bool:
    """True when every row of the ledger is in the topic index (always on PostgreSQL).

    One cheap statement on the caller's connection, so a search checks its index without a
    second round trip; when it is False, the caller ends its transaction and runs
    :func:`ensure_index`.

        >>> from netweave.store import Store
        >>> with Store.open("sqlite://").connect() as conn:
        ...     index_current(conn)
        True
    """
    if conn.dialect.name == "postgresql":
        return True
    return bool(conn.exec_driver_sql(_CURRENT).scalar_one())


def current_index_column() -> Any:
    """:func:`index_current` as a column (SQLite), to fold the check into a query.

    >>> with Store.open("sqlite://").connect() as conn:
    ...     conn.execute(sa.select(current_index_column())).scalar_one()
    1
    """
    return sa.literal_column(f"({_CURRENT})")


def match_clause(
    store: Store, terms: list[str] | None = None, *, window_first: bool = False
) -> Any:
    """A WHERE clause selecting this workspace's interactions whose text matches every term.

    Without ``terms`` the clause's ``fts_query`` parameter is left for execution time (give it
    :func:`match_value`), so a statement built once serves every query.

    On SQLite the full-text match runs first and the ledger rows are then fetched by rowid
    (``rowid IN (SELECT ... MATCH ...)``). The workspace test is written ``+workspace_id``, which
    tells SQLite's planner not to drive the query from a workspace index instead: that scans
    every row of the workspace (40x slower on 100k posts).

    ``window_first`` (SQLite) is for a query that also bounds ``occurred_at`` to a short
    window: the rows of the window are read by the time index and only tested against the
    match (``+rowid IN``), instead of fetching every match in the whole ledger by rowid. On a
    week of 2M interactions and a common word that is 8x faster; on a year it is slower.
    """
    query: sa.BindParameter[Any] = sa.bindparam(
        "fts_query", match_value(store, terms) if terms else None
    )
    ws: sa.BindParameter[Any] = sa.bindparam("fts_workspace", store.workspace_id)
    if store.dialect == "postgresql":
        return sa.and_(
            schema.interactions.c.workspace_id == ws,
            sa.text("interactions.tsv @@ to_tsquery('english', :fts_query)").bindparams(query),
        )
    if window_first:
        return sa.text(
            f"+interactions.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
            ":fts_query) AND interactions.workspace_id = :fts_workspace"
        ).bindparams(query, ws)
    return sa.text(
        f"interactions.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
        ":fts_query) AND +interactions.workspace_id = :fts_workspace"
    ).bindparams(query, ws)


def matched_ledger(store: Store) -> tuple[Any, Any]:
    """The ledger as the FROM of a query that reads every matching row, and its WHERE clause
    (``fts_query`` bound at execution, as with :func:`match_clause`).

    On SQLite the index drives and each match is joined to its ledger row by rowid, in the
    index's rowid order: for a ranking over all matches that is about 5% faster than
    :func:`match_clause`'s ``rowid IN (...)``, which first gathers the matches into a
    temporary b-tree. On PostgreSQL it is the ledger and :func:`match_clause`.

        >>> source, where = matched_ledger(Store.open("sqlite://"))
        >>> print(source)
        interactions_fts JOIN interactions ON interactions.rowid = interactions_fts.rowid
    """
    i = schema.interactions
    if store.dialect == "postgresql":
        return i, match_clause(store)
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    source = fts.join(i, sa.literal_column("interactions.rowid") == fts.c.rowid)
    where = sa.text(
        f"{FTS_TABLE} MATCH :fts_query AND +interactions.workspace_id = :fts_workspace"
    ).bindparams(sa.bindparam("fts_query"), sa.bindparam("fts_workspace", store.workspace_id))
    return source, where


def match_value(store: Store, terms: list[str]) -> str:
    """The engine's query for ``terms``: the value of a match clause's ``fts_query``.

    >>> match_value(Store.open("sqlite://"), ["python", "wheel building"])
    '"python" AND "wheel building"'
    """
    if store.dialect == "postgresql":
        return _tsquery(terms)
    return _fts5_expression(terms)


def indexed_text(terms: list[str]) -> str:
    """The engine-neutral description of a query, for messages.

    >>> indexed_text(["python", "wheel building"])
    'python AND "wheel building"'
    """
    return " AND ".join(f'"{t}"' if " " in t else t for t in terms)
