"""Forget a person: remove every trace of them, in one transaction, and prove it.

Every table holding a person's or an account's id is listed below with the columns that hold
it (a test walks the schema and fails on a table missing here). Forgetting deletes the person,
their accounts, everything those ids appear in (the ledger rows where they act or are
addressed, edges, contacts, notes, list and goal memberships, identity links, decisions, undo
events and blocking keys, tie scores and history, agenda items, audit decisions), and the
full-text index rows of the deleted posts. Their handles are then blanked out of what others
wrote ("@ada" becomes "@[forgotten]"), so a search for a handle finds nothing; semantic-index
vectors of deleted or redacted texts go too.

The proof is computed, not asserted: rows mentioning any of the ids in any column, table by
table, before and after (all 0 after), and a full-text search for each handle (0 hits). If
anything is left the transaction rolls back and nothing is changed.

    >>> sorted(BY_ACCOUNT)[:3]
    ['account_contacts', 'account_links', 'accounts']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InputError, StoreError
from ..identity.ops import find_person
from ..listening.search import ensure_index, match_clause, parse_query
from ..listening.vectors import prune as prune_vectors
from ..store import Store, schema

__all__ = [
    "BY_ACCOUNT",
    "BY_PERSON",
    "BY_TEXT",
    "BY_TYPED_ID",
    "REDACTED",
    "ForgetReport",
    "forget",
    "mentions",
    "preview",
]

# table -> columns holding an account id
BY_ACCOUNT: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id",),
    "account_contacts": ("account_id",),
    "account_links": ("account_id",),
    "link_decisions": ("account_a", "account_b"),
    "identity_index": ("account_id",),
    "identity_keys": ("account_id",),
    "edges": ("from_account", "to_account"),
    "interactions": ("actor_account", "target_account"),
    "interaction_facts": ("counterpart",),
    "semantic_index": ("account_id",),
}
# table -> columns holding a person id
BY_PERSON: dict[str, tuple[str, ...]] = {
    "people": ("person_id",),
    "account_links": ("person_id",),
    "notes": ("person_id",),
    "tie_scores": ("person_id",),
    "tie_history": ("person_id",),
    "agenda_items": ("person_id",),
    "audit_decisions": ("person_id",),
    "semantic_index": ("person_id",),
}
# table -> (type column, id column): rows whose id column holds a person or an account id
BY_TYPED_ID: dict[str, tuple[str, str]] = {
    "list_members": ("member_type", "member_id"),
    "goal_links": ("link_type", "link_value"),
}
# table -> JSON or text columns that may quote ids (the identity undo log keeps snapshots)
BY_TEXT: dict[str, tuple[str, ...]] = {
    "identity_events": ("payload",),
}
# what others wrote that may name the person by handle: blanked out, not deleted
_REDACT: tuple[tuple[str, str, str], ...] = (
    ("interactions", "interaction_id", "text"),
    ("notes", "note_id", "text"),
    ("accounts", "account_id", "bio"),
)
REDACTED = "[forgotten]"


@dataclass
class ForgetReport:
    """Who was forgotten and the proof: rows mentioning their ids and search hits, before/after."""

    person_id: str
    name: str
    accounts: list[str]
    handles: list[str]
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    search_before: dict[str, int] = field(default_factory=dict)
    search_after: dict[str, int] = field(default_factory=dict)
    redacted: int = 0
    done: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON.

        >>> ForgetReport("p1", "Ada", ["a1"], ["ada"]).as_dict()["handles"]
        ['ada']
        """
        return dict(vars(self))


def _text_columns(table: sa.Table) -> list[sa.Column[Any]]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, sa.String | sa.Text | sa.JSON)
        and not isinstance(c.type, schema.Timestamp)
    ]


def mentions(conn: Connection, ids: list[str], workspace_id: str) -> dict[str, int]:
    """Rows per table of a workspace with any of ``ids`` anywhere in a text or JSON column.

    Ids are 24 hex characters, so a substring match finds them wherever they are quoted.
    (Ids come from natural keys, so another workspace may hold the same account: it is not
    this workspace's to forget.)
    """
    out: dict[str, int] = {}
    if not ids:
        return out
    for table in schema.metadata.sorted_tables:
        columns = _text_columns(table)
        if not columns:
            continue
        tests = [sa.cast(c, sa.Text).contains(i, autoescape=True) for c in columns for i in ids]
        query = sa.select(sa.func.count()).select_from(table).where(sa.or_(*tests))
        if "workspace_id" in table.c:
            query = query.where(table.c.workspace_id == workspace_id)
        out[str(table.name)] = int(conn.execute(query).scalar_one())
    return out


def _handles(rows: list[Any]) -> list[str]:
    found: set[str] = set()
    for row in rows:
        handle = (row.handle or "").strip().lstrip("@")
        if len(handle) >= 3:
            found.add(handle)
            user = handle.split("@")[0]
            if "@" in handle and len(user) >= 4:
                found.add(user)
    return sorted(found, key=lambda h: (-len(h), h))


def _searchable(handle: str) -> list[str] | None:
    try:
        return parse_query(f'"{handle}"')
    except InputError:
        return None


def _search(store: Store, conn: Connection, handles: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for handle in handles:
        terms = _searchable(handle)
        if terms is None:
            continue
        query = sa.select(sa.func.count()).select_from(schema.interactions)
        out[handle] = int(conn.execute(query.where(match_clause(store, terms))).scalar_one())
    return out


def _target(store: Store, who: str) -> tuple[dict[str, Any], list[str], list[str]]:
    person = find_person(store, who)
    if person.get("is_owner"):
        raise InputError("", None, "that is you: netweave cannot forget its owner")
    a, link = schema.accounts, schema.account_links
    ws = store.workspace_id
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(a.c.account_id, a.c.handle)
            .join(
                link,
                sa.and_(
                    link.c.workspace_id == a.c.workspace_id, link.c.account_id == a.c.account_id
                ),
            )
            .where(link.c.workspace_id == ws, link.c.person_id == person["person_id"])
            .order_by(a.c.account_id)
        ).all()
    return person, [r.account_id for r in rows], _handles(list(rows))


def preview(store: Store, who: str) -> ForgetReport:
    """What :func:`forget` would remove: the person, their accounts and handles, and the rows
    mentioning them now. Changes nothing."""
    person, accounts, handles = _target(store, who)
    ensure_index(store)
    report = ForgetReport(person["person_id"], person["display_name"], accounts, handles)
    with store.connect() as conn:
        report.before = mentions(conn, [report.person_id, *accounts], store.workspace_id)
        report.search_before = _search(store, conn, handles)
    return report


def _delete(conn: Connection, ws: str, person_id: str, accounts: list[str]) -> None:
    ids = [person_id, *accounts]
    for table in reversed(schema.metadata.sorted_tables):
        name = str(table.name)
        tests: list[Any] = []
        tests += [table.c[c].in_(accounts) for c in BY_ACCOUNT.get(name, ())]
        tests += [table.c[c] == person_id for c in BY_PERSON.get(name, ())]
        if name in BY_TYPED_ID:
            kind, value = BY_TYPED_ID[name]
            tests.append(sa.and_(table.c[kind].in_(["person", "account"]), table.c[value].in_(ids)))
        for column in BY_TEXT.get(name, ()):
            text = sa.cast(table.c[column], sa.Text)
            tests += [text.contains(i, autoescape=True) for i in ids]
        if tests:
            conn.execute(table.delete().where(table.c.workspace_id == ws, sa.or_(*tests)))


def _redact(conn: Connection, ws: str, handles: list[str]) -> int:
    if not handles:
        return 0
    pattern = re.compile(
        r"(?<![\w.@-])@?(?:" + "|".join(re.escape(h) for h in handles) + r")(?![\w-])",
        re.IGNORECASE,
    )
    changed = 0
    for name, key, column in _REDACT:
        table = schema.metadata.tables[name]
        col = table.c[column]
        tests = [sa.func.lower(col).contains(h.lower(), autoescape=True) for h in handles]
        rows = conn.execute(
            sa.select(table.c[key], col).where(table.c.workspace_id == ws, sa.or_(*tests))
        ).all()
        for row_key, text in rows:
            new = pattern.sub(lambda m: "@" + REDACTED if m[0].startswith("@") else REDACTED, text)
            if new != text:
                conn.execute(
                    table.update()
                    .where(table.c.workspace_id == ws, table.c[key] == row_key)
                    .values({column: new})
                )
                changed += 1
    return changed


def forget(store: Store, who: str) -> ForgetReport:
    """Remove every trace of a person in one transaction; return the proof.

    Raises StoreError (and changes nothing) if any row still mentions them afterwards or a
    search for one of their handles still finds something.

    >>> from netweave.store import Store
    >>> forget(Store.open("sqlite://"), "nobody")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no person matches 'nobody'
    """
    report = preview(store, who)
    ws = store.workspace_id
    ids = [report.person_id, *report.accounts]
    with store.transaction() as conn:
        _delete(conn, ws, report.person_id, report.accounts)
        report.redacted = _redact(conn, ws, report.handles)
        # vectors of the posts deleted above or redacted just now (semantic search)
        prune_vectors(conn, ws, redacted=REDACTED)
        report.after = mentions(conn, ids, ws)
        report.search_after = _search(store, conn, report.handles)
        left = {k: v for k, v in {**report.after, **report.search_after}.items() if v}
        if left:
            raise StoreError(f"could not remove every trace, left in {left}; nothing changed")
    report.done = True
    return report
