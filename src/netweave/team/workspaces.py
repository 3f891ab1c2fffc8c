"""Workspaces and who may do what in them: create, invite with a role, list, members.

Roles: ``owner`` (everything, including inviting), ``editor`` (changes the data), ``viewer``
(reads). The role is enforced by :meth:`netweave.store.Store.transaction` for every write; this
module adds the owner-only rules of membership itself.

Example:

    >>> from netweave.store import Store
    >>> from netweave.team import add_user
    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "ada")
    >>> create_workspace(store, "acme", owner="ada").workspace_id
    'acme'
    >>> [(m.username, m.role) for m in members(store, "acme")]
    [('ada', 'owner')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from ..errors import InputError, NotFound, PermissionDenied
from ..store import Store, schema, utcnow
from .users import DEFAULT_LIMITER, RateLimiter, User, authenticate, find_user

__all__ = [
    "ROLES",
    "Member",
    "Workspace",
    "create_workspace",
    "invite",
    "list_workspaces",
    "login",
    "members",
]

ROLES = ("owner", "editor", "viewer")
_WORKSPACE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Workspace:
    """A workspace, with the acting user's role in it (None for the administrator)."""

    workspace_id: str
    name: str
    role: str | None
    members: int


@dataclass(frozen=True)
class Member:
    """One user's membership of a workspace."""

    username: str
    role: str


def _exists(store: Store, workspace_id: str) -> bool:
    w = schema.workspaces
    with store.connect() as conn:
        query = sa.select(w.c.workspace_id).where(w.c.workspace_id == workspace_id)
        return conn.execute(query).first() is not None


def _role_of(store: Store, user_id: str, workspace_id: str) -> str | None:
    m = schema.memberships
    query = sa.select(m.c.role).where(m.c.workspace_id == workspace_id, m.c.user_id == user_id)
    with store.connect() as conn:
        role = conn.execute(query).scalar()
    return None if role is None else str(role)


def _visible(store: Store, workspace_id: str) -> None:
    """NotFound unless the acting user (if any) belongs to the workspace and it exists."""
    if store.user_id is not None and _role_of(store, store.user_id, workspace_id) is None:
        raise NotFound("workspace", workspace_id)
    if not _exists(store, workspace_id):
        raise NotFound("workspace", workspace_id)


def create_workspace(store: Store, workspace_id: str, *, owner: str | None = None) -> Workspace:
    """Create a workspace; the acting user (or ``owner``, a user name) becomes its owner.

    >>> create_workspace(Store.open("sqlite://"), "acme").members
    0
    """
    if not _WORKSPACE.fullmatch(workspace_id):
        raise InputError(
            "", None, f"{workspace_id!r} is not a workspace name (a-z, 0-9, - and _, up to 64)"
        )
    owner_id = store.user_id if owner is None else find_user(store, owner).user_id
    if store.user_id is not None and owner_id != store.user_id:
        raise PermissionDenied("a member creates workspaces for themselves only")
    if _exists(store, workspace_id):
        # Without membership the answer is the same as for a taken name: nothing more leaks.
        raise InputError("", None, f"workspace {workspace_id!r} already exists")
    now = utcnow()
    # The new workspace's own rows are written in its scope (row-level security on PostgreSQL).
    target = Store(store.engine, store.url, workspace_id)
    with target.transaction() as conn:
        conn.execute(
            schema.workspaces.insert().values(
                workspace_id=workspace_id, name=workspace_id, created_at=now
            )
        )
        if owner_id is not None:
            conn.execute(
                schema.memberships.insert().values(
                    workspace_id=workspace_id, user_id=owner_id, role="owner", created_at=now
                )
            )
    return Workspace(
        workspace_id, workspace_id, "owner" if store.user_id else None, int(bool(owner_id))
    )


def invite(store: Store, workspace_id: str, username: str, role: str) -> Member:
    """Give ``username`` a role in the workspace (or change it). Owners and the administrator.

    >>> from netweave.team import add_user
    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "bob")
    >>> invite(store, "local", "bob", "viewer")
    Member(username='bob', role='viewer')
    """
    if role not in ROLES:
        raise InputError("", None, f"role must be one of {', '.join(ROLES)}, not {role!r}")
    _visible(store, workspace_id)
    if store.user_id is not None and _role_of(store, store.user_id, workspace_id) != "owner":
        raise PermissionDenied(f"only an owner of {workspace_id!r} invites members")
    user = find_user(store, username)
    target = Store(store.engine, store.url, workspace_id)
    target.user_id, target.role = store.user_id, None
    with target.transaction():
        target.upsert(
            schema.memberships,
            [{"user_id": user.user_id, "role": role, "created_at": utcnow()}],
            on_conflict="replace",
        )
    return Member(user.username, role)


def members(store: Store, workspace_id: str) -> list[Member]:
    """The members of a workspace by role then name; NotFound for someone outside it.

    >>> members(Store.open("sqlite://"), "local")
    []
    """
    _visible(store, workspace_id)
    m, u = schema.memberships, schema.users
    order = sa.case({r: i for i, r in enumerate(ROLES)}, value=m.c.role)
    query = (
        sa.select(u.c.username, m.c.role)
        .join(u, u.c.user_id == m.c.user_id)
        .where(m.c.workspace_id == workspace_id)
        .order_by(order, u.c.username)
    )
    with store.connect() as conn:
        return [Member(str(r[0]), str(r[1])) for r in conn.execute(query)]


def list_workspaces(store: Store) -> list[Workspace]:
    """The acting user's workspaces with their role, or every workspace for the administrator.

    >>> [w.workspace_id for w in list_workspaces(Store.open("sqlite://"))]
    ['local']
    """
    w, m = schema.workspaces, schema.memberships
    count = (
        sa.select(sa.func.count())
        .where(m.c.workspace_id == w.c.workspace_id)
        .correlate(w)
        .scalar_subquery()
    )
    if store.user_id is None:
        query = sa.select(w.c.workspace_id, w.c.name, sa.null(), count)
    else:
        query = sa.select(w.c.workspace_id, w.c.name, m.c.role, count).join(
            m, sa.and_(m.c.workspace_id == w.c.workspace_id, m.c.user_id == store.user_id)
        )
    with store.connect() as conn:
        rows = conn.execute(query.order_by(w.c.workspace_id)).all()
    return [Workspace(str(r[0]), str(r[1]), r[2], int(r[3])) for r in rows]


def login(
    store: Store,
    username: str,
    password: str | None,
    workspace_id: str | None,
    *,
    limiter: RateLimiter = DEFAULT_LIMITER,
) -> Store:
    """``store`` acting for ``username`` in ``workspace_id`` with their role.

    With ``workspace_id`` None the store is the user outside any workspace: enough to list
    their workspaces, create one or change their password, and it writes nothing itself.

    A user with a password must give it (checked by :func:`authenticate`, rate limited by
    ``limiter``); a user without one was added for a trusted local setup and is taken at their word.

    >>> from netweave.team import add_user
    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "ada", "correct horse")
    >>> _ = invite(store, "local", "ada", "viewer")
    >>> login(store, "ada", "correct horse", "local").role
    'viewer'
    """
    user: User = (
        find_user(store, username)
        if password is None
        else authenticate(store, username, password, limiter=limiter)
    )
    if password is None and user.has_password:
        raise PermissionDenied(f"user {username!r} has a password: give it to log in")
    if workspace_id is None:
        outside = Store(store.engine, store.url, "")
        outside.user_id, outside.role = user.user_id, ""
        return outside
    return store.as_user(user.user_id, workspace_id)
