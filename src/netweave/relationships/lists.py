"""Lists of people: imported lists/groups/pages and the owner's own lists.

Seed 004 moves some connections "over to Facebook Pages": a list can be of kind ``page`` or
``interest`` as well as ``list``, ``group`` and ``circle``. Imported lists hold accounts; lists
the owner makes hold people. Both show as people.

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> create_list(store, "Chicago friends")["name"]
    'Chicago friends'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..identity.people import accounts_of
from ..store import Store, make_id, schema, utcnow

__all__ = [
    "LIST_KINDS",
    "add_to_list",
    "all_lists",
    "create_list",
    "find_list",
    "list_people",
    "lists_of",
    "remove_from_list",
]

LIST_KINDS = ("list", "group", "page", "interest", "circle")


def create_list(
    store: Store,
    name: str,
    kind: str = "list",
    description: str | None = None,
) -> dict[str, Any]:
    """Create a user list (idempotent by name and kind)."""
    if kind not in LIST_KINDS:
        raise InputError("", None, f"unknown list kind {kind!r}; use {', '.join(LIST_KINDS)}")
    if not name.strip():
        raise InputError("", None, "a list needs a name")
    list_id = make_id("list", "user", kind, name.strip().lower())
    store.upsert(
        schema.lists,
        [
            {
                "list_id": list_id,
                "name": name.strip(),
                "kind": kind,
                "platform": None,
                "description": description,
                "created_at": utcnow(),
            }
        ],
        on_conflict="nothing",
    )
    return {"list_id": list_id, "name": name.strip(), "kind": kind}


def find_list(store: Store, name_or_id: str) -> dict[str, Any]:
    """A list by id, exact name, or unique name prefix (case-insensitive)."""
    lt = schema.lists
    with store.connect() as conn:
        rows = (
            conn.execute(
                sa.select(lt.c.list_id, lt.c.name, lt.c.kind, lt.c.platform).where(
                    lt.c.workspace_id == store.workspace_id
                )
            )
            .mappings()
            .all()
        )
    text = name_or_id.strip().lower()
    exact = [r for r in rows if r["list_id"] == name_or_id or r["name"].lower() == text]
    found = exact or [r for r in rows if r["name"].lower().startswith(text)]
    if not found:
        raise NotFound("list", name_or_id)
    if len(found) > 1:
        names = ", ".join(sorted(r["name"] for r in found)[:5])
        raise InputError("", None, f"{name_or_id!r} matches several lists: {names}")
    return dict(found[0])


def add_to_list(store: Store, list_id: str, person_id: str) -> None:
    """Put a person on a list."""
    p = schema.people
    with store.transaction() as conn:
        if (
            conn.execute(
                sa.select(p.c.person_id).where(
                    p.c.workspace_id == store.workspace_id, p.c.person_id == person_id
                )
            ).first()
            is None
        ):
            raise NotFound("person", person_id)
        store.upsert(
            schema.list_members,
            [
                {
                    "list_id": list_id,
                    "member_type": "person",
                    "member_id": person_id,
                    "added_at": utcnow(),
                }
            ],
            on_conflict="nothing",
        )
        _touch(conn, store.workspace_id, person_id)


def remove_from_list(store: Store, list_id: str, person_id: str) -> int:
    """Take a person off a list (their person entry and any of their accounts); rows removed."""
    lm = schema.list_members
    ws = store.workspace_id
    with store.transaction() as conn:
        result = conn.execute(
            sa.delete(lm).where(
                lm.c.workspace_id == ws, lm.c.list_id == list_id, _entries_of(ws, person_id)
            )
        )
        _touch(conn, ws, person_id)
        return int(result.rowcount or 0)


def _touch(conn: sa.Connection, ws: str, person_id: str) -> None:
    p = schema.people
    conn.execute(
        sa.update(p)
        .where(p.c.workspace_id == ws, p.c.person_id == person_id)
        .values(updated_at=utcnow())
    )


def list_people(store: Store, list_id: str) -> list[dict[str, Any]]:
    """The people on a list (members added as people, and people owning member accounts)."""
    lm, link, p = schema.list_members, schema.account_links, schema.people
    ws = store.workspace_id
    via_accounts = (
        sa.select(link.c.person_id.label("person_id"))
        .select_from(
            lm.join(
                link,
                sa.and_(
                    link.c.workspace_id == lm.c.workspace_id, link.c.account_id == lm.c.member_id
                ),
            )
        )
        .where(lm.c.workspace_id == ws, lm.c.list_id == list_id, lm.c.member_type == "account")
    )
    direct = sa.select(lm.c.member_id.label("person_id")).where(
        lm.c.workspace_id == ws, lm.c.list_id == list_id, lm.c.member_type == "person"
    )
    ids = sa.union(via_accounts, direct).subquery()
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(p.c.person_id, p.c.display_name)
            .where(p.c.workspace_id == ws, p.c.person_id.in_(sa.select(ids.c.person_id)))
            .order_by(p.c.display_name, p.c.person_id)
        ).mappings()
        return [dict(r) for r in rows]


def lists_of(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The lists a person is on (directly, or through one of their accounts).

    >>> lists_of(Store.open("sqlite://"), "nobody")
    []
    """
    with store.connect() as conn:
        rows = conn.execute(_lists_of_statement(store.workspace_id), {"person_id": person_id})
        return [dict(r) for r in rows.mappings()]


@lru_cache(maxsize=64)
def _lists_of_statement(ws: str) -> sa.Select[Any]:
    """Built once per workspace (the person bound at execution): it serves every person page."""
    lt, lm = schema.lists, schema.list_members
    person: sa.BindParameter[str] = sa.bindparam("person_id")
    ids = sa.select(lm.c.list_id).where(lm.c.workspace_id == ws, _entries_of(ws, person))
    return (
        sa.select(lt.c.list_id, lt.c.name, lt.c.kind, lt.c.platform)
        .where(lt.c.workspace_id == ws, lt.c.list_id.in_(ids))
        .order_by(lt.c.kind, lt.c.name)
    )


def _entries_of(ws: str, person: Any) -> Any:
    """List entries of a person: their person entry, or one of their accounts (``person`` an
    id, or a bind parameter)."""
    lm = schema.list_members
    return sa.or_(
        sa.and_(lm.c.member_type == "person", lm.c.member_id == person),
        sa.and_(lm.c.member_type == "account", lm.c.member_id.in_(accounts_of(ws, person))),
    )


def all_lists(store: Store) -> list[dict[str, Any]]:
    """Every list with its member count."""
    lt, lm = schema.lists, schema.list_members
    ws = store.workspace_id
    count = (
        sa.select(sa.func.count())
        .where(lm.c.workspace_id == ws, lm.c.list_id == lt.c.list_id)
        .scalar_subquery()
    )
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(lt.c.list_id, lt.c.name, lt.c.kind, lt.c.platform, count.label("members"))
            .where(lt.c.workspace_id == ws)
            .order_by(lt.c.kind, lt.c.name)
        )
        return [dict(r) for r in rows.mappings()]
