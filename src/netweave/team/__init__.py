"""Team mode: users, password logins, workspaces and roles.

The interface layers (CLI, web) call these functions; the role of the acting user is enforced
by the store itself (:meth:`netweave.store.Store.as_user`), and on PostgreSQL row-level security
is a second wall (docs/scaling.md).

Example:

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "ada", "correct horse")
    >>> _ = create_workspace(store, "acme", owner="ada")
    >>> login(store, "ada", "correct horse", "acme").role
    'owner'
"""

from __future__ import annotations

from .users import (
    RateLimiter,
    SharedRateLimiter,
    User,
    add_user,
    authenticate,
    find_user,
    has_users,
    hash_password,
    set_password,
    verify_password,
)
from .workspaces import (
    ROLES,
    Member,
    Workspace,
    create_workspace,
    invite,
    list_workspaces,
    login,
    members,
)

__all__ = [
    "ROLES",
    "Member",
    "RateLimiter",
    "SharedRateLimiter",
    "User",
    "Workspace",
    "add_user",
    "authenticate",
    "create_workspace",
    "find_user",
    "has_users",
    "hash_password",
    "invite",
    "list_workspaces",
    "login",
    "members",
    "set_password",
    "verify_password",
]
