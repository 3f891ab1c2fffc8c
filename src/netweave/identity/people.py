"""What belongs to a person beyond their accounts, and moving it when people merge.

>>> from netweave.store import Store
>>> store = Store.open("sqlite://")
>>> with store.transaction() as conn:
...     reassign_person(conn, store.workspace_id, "p-old", "p-new")
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..errors import NotFound
from ..store import schema

__all__ = ["accounts_of", "accounts_people", "facts_people", "person_name", "reassign_person"]


def accounts_people(*, people: bool = True, outer: bool = True) -> sa.Join:
    """``accounts`` joined to their ``account_links`` (and ``people``), within one workspace.

    ``outer`` keeps accounts not resolved to a person yet (their person columns are NULL).

    >>> print(accounts_people(people=False, outer=False))  # doctest: +NORMALIZE_WHITESPACE
    accounts JOIN account_links ON account_links.workspace_id = accounts.workspace_id
    AND account_links.account_id = accounts.account_id
    """
    a, link, p = schema.accounts, schema.account_links, schema.people
    on_link = sa.and_(link.c.workspace_id == a.c.workspace_id, link.c.account_id == a.c.account_id)
    joined = a.outerjoin(link, on_link) if outer else a.join(link, on_link)
    if not people:
        return joined
    on_person = sa.and_(p.c.workspace_id == link.c.workspace_id, p.c.person_id == link.c.person_id)
    return joined.outerjoin(p, on_person) if outer else joined.join(p, on_person)


def accounts_of(ws: str, person: Any) -> sa.Select[Any]:
    """The ids of one person's accounts, as a subquery: ``person`` is a person id, or a bind
    parameter for a statement built once and run for many people.

    >>> print(accounts_of("w", sa.bindparam("person_id")))  # doctest: +NORMALIZE_WHITESPACE
    SELECT account_links.account_id FROM account_links
    WHERE account_links.workspace_id = :workspace_id_1 AND account_links.person_id = :person_id
    """
    link = schema.account_links
    return sa.select(link.c.account_id).where(link.c.workspace_id == ws, link.c.person_id == person)


def facts_people() -> sa.Join:
    """``interaction_facts`` joined to the links of their other side: each fact with its person.

    >>> print(facts_people())  # doctest: +NORMALIZE_WHITESPACE
    interaction_facts JOIN account_links ON account_links.workspace_id =
    interaction_facts.workspace_id AND account_links.account_id = interaction_facts.counterpart
    """
    f, link = schema.interaction_facts, schema.account_links
    return f.join(
        link,
        sa.and_(link.c.workspace_id == f.c.workspace_id, link.c.account_id == f.c.counterpart),
    )


def person_name(conn: sa.Connection, ws: str, person_id: str) -> str:
    """The person's display name; NotFound if there is no such person in the workspace.

    >>> from netweave.store import Store
    >>> with Store.open("sqlite://").connect() as conn:
    ...     person_name(conn, "local", "nobody")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no person matches 'nobody'
    """
    p = schema.people
    name = conn.execute(
        sa.select(p.c.display_name).where(p.c.workspace_id == ws, p.c.person_id == person_id)
    ).scalar_one_or_none()
    if name is None:
        raise NotFound("person", person_id)
    return str(name)


def reassign_person(conn: sa.Connection, ws: str, old: str, new: str) -> None:
    """Move everything recorded about person ``old`` to ``new``, then delete ``old``.

    Notes, list memberships, goal links, audit decisions and agenda items move; what the
    user set on ``old`` (reason connected, partner stage, cadence, circle, location, tags)
    fills the same fields of ``new`` where ``new`` has none; derived scores are dropped (the
    next recompute rebuilds them for ``new``).
    """
    s = schema
    _carry_fields(conn, ws, old, new)
    for table in (s.notes, s.audit_decisions, s.agenda_items):
        conn.execute(
            sa.update(table)
            .where(table.c.workspace_id == ws, table.c.person_id == old)
            .values(person_id=new)
        )
    for table, kind_col, kind, id_col in (
        (s.list_members, "member_type", "person", "member_id"),
        (s.goal_links, "link_type", "person", "link_value"),
    ):
        rows = (
            conn.execute(
                sa.select(table).where(
                    table.c.workspace_id == ws,
                    table.c[kind_col] == kind,
                    table.c[id_col] == old,
                )
            )
            .mappings()
            .all()
        )
        conn.execute(
            sa.delete(table).where(
                table.c.workspace_id == ws, table.c[kind_col] == kind, table.c[id_col] == old
            )
        )
        keys = {c.name for c in table.primary_key.columns}
        for row in rows:
            moved = {**dict(row), id_col: new}
            exists = conn.execute(
                sa.select(sa.literal(1))
                .select_from(table)
                .where(*(table.c[k] == v for k, v in moved.items() if k in keys))
            ).first()
            if exists is None:
                conn.execute(sa.insert(table).values(**moved))
    conn.execute(
        sa.delete(s.people).where(s.people.c.workspace_id == ws, s.people.c.person_id == old)
    )


_CARRIED = (
    "reason_connected",
    "partner_stage",
    "cadence_days",
    "cadence_max_days",
    "circle",
    "location",
)


def _carry_fields(conn: sa.Connection, ws: str, old: str, new: str) -> None:
    """Copy ``old``'s user-set fields onto ``new`` where ``new`` has none; tags are united."""
    p = schema.people
    rows = {
        row["person_id"]: row
        for row in conn.execute(
            sa.select(p).where(p.c.workspace_id == ws, p.c.person_id.in_([old, new]))
        ).mappings()
    }
    if old not in rows or new not in rows:
        return
    source, target = rows[old], rows[new]
    values: dict[str, object] = {
        name: source[name] for name in _CARRIED if target[name] is None and source[name] is not None
    }
    if "partner_stage" in values:  # the stage and its date travel together
        values["partner_stage_since"] = source["partner_stage_since"]
    tags = list(target["tags"] or [])
    extra = [tag for tag in source["tags"] or [] if tag not in tags]
    if extra:
        values["tags"] = tags + extra
    if values:
        conn.execute(
            sa.update(p).where(p.c.workspace_id == ws, p.c.person_id == new).values(**values)
        )
