"""Team members: accounts, argon2 password hashes, and logging in with a rate limit.

Example:

    >>> from netweave.store import Store
    >>> store = Store.open("sqlite://")
    >>> add_user(store, "ada", "correct horse").username
    'ada'
    >>> authenticate(store, "ada", "correct horse", limiter=RateLimiter()).username
    'ada'
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import AuthenticationFailed, InputError, NotFound, PermissionDenied
from ..store import Store, make_id, schema, utcnow

__all__ = [
    "RateLimiter",
    "SharedRateLimiter",
    "User",
    "add_user",
    "authenticate",
    "find_user",
    "has_users",
    "hash_password",
    "set_password",
    "verify_password",
]

_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much as a wrong password.
_DUMMY_HASH = _HASHER.hash("netweave: no such user")
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,199}")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    """One team member (global: a user may belong to several workspaces)."""

    user_id: str
    username: str
    has_password: bool


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted: two hashes of one password differ).

    >>> hash_password("correct horse").startswith("$argon2id$")
    True
    """
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches the stored hash; always does the full argon2 work.

    >>> verify_password(hash_password("correct horse"), "correct horse")
    True
    >>> verify_password(None, "anything")
    False
    """
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError("", None, f"a password needs at least {MIN_PASSWORD} characters")


def _row_user(row: Any) -> User:
    return User(str(row[0]), str(row[1]), bool(row[2]))


def has_users(store: Store) -> bool:
    """True once anyone has been added: the database is in team mode.

    >>> has_users(Store.open("sqlite://"))
    False
    """
    with store.connect() as conn:
        return conn.execute(sa.select(schema.users.c.user_id).limit(1)).first() is not None


def find_user(store: Store, username: str) -> User:
    """The user called ``username``; :class:`NotFound` if there is none.

    >>> find_user(Store.open("sqlite://"), "ada")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no user matches 'ada'
    """
    u = schema.users
    query = sa.select(u.c.user_id, u.c.username, u.c.password_hash).where(u.c.username == username)
    with store.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound("user", username)
    return _row_user(row)


def add_user(store: Store, username: str, password: str | None = None) -> User:
    """Create a user (with an argon2 password hash if ``password`` is given).

    Only the administrator (a store with no acting user) adds users.

    >>> store = Store.open("sqlite://")
    >>> add_user(store, "ada").has_password
    False
    """
    store.require_admin("adding a user")
    if not _USERNAME.fullmatch(username):
        raise InputError("", None, f"{username!r} is not a user name (letters, digits, . _ @ -)")
    if password is not None:
        _check_password(password)
    user_id = make_id("user", username)
    u = schema.users
    with store.transaction() as conn:
        taken = conn.execute(sa.select(u.c.user_id).where(u.c.username == username)).first()
        if taken is not None:
            raise InputError("", None, f"user {username!r} already exists")
        conn.execute(
            u.insert().values(
                user_id=user_id,
                username=username,
                password_hash=hash_password(password) if password is not None else None,
                created_at=utcnow(),
            )
        )
    return User(user_id, username, password is not None)


def set_password(store: Store, username: str, password: str) -> User:
    """Replace a user's password; an acting member may change only their own.

    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "ada")
    >>> set_password(store, "ada", "correct horse").has_password
    True
    """
    _check_password(password)
    user = find_user(store, username)
    if store.user_id is not None and store.user_id != user.user_id:
        raise PermissionDenied("a member can change only their own password")
    u = schema.users
    # Written outside the workspace role check: a viewer may still change their own password.
    with store.engine.begin() as conn:
        conn.execute(
            u.update()
            .where(u.c.user_id == user.user_id)
            .values(password_hash=hash_password(password))
        )
    return User(user.user_id, user.username, True)


class RateLimiter:
    """At most ``max_failures`` failed logins per user name in a sliding ``window`` (seconds).

    In memory, per process: it slows guessing through one server; a restart forgets it.

    >>> limiter = RateLimiter(max_failures=2, window=60, clock=lambda: 0.0)
    >>> limiter.failed("ada"); limiter.failed("ada")
    >>> limiter.blocked_for("ada")
    60.0
    >>> limiter.blocked_for("bob")
    0.0
    """

    def __init__(
        self,
        max_failures: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked_for(self, username: str) -> float:
        """Seconds until ``username`` may try again (0.0 when allowed now)."""
        key = username.casefold()
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return 0.0
            return max(0.0, times[0] + self.window - now)

    def failed(self, username: str) -> None:
        """Record one failed login for ``username``."""
        key = username.casefold()
        with self._lock:
            now = self._clock()
            self._recent(key, now).append(now)

    def reset(self, username: str) -> None:
        """Forget the failures of ``username`` (after a successful login)."""
        with self._lock:
            self._failures.pop(username.casefold(), None)


class SharedRateLimiter(RateLimiter):
    """A :class:`RateLimiter` whose failures live in a small SQLite file, so the worker
    processes of one ``netweave serve --workers N`` count them together (a guesser gets
    ``max_failures`` tries per window in all, not per worker). Times are wall-clock seconds.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "limiter.db")
    >>> one, two = SharedRateLimiter(path, max_failures=2), SharedRateLimiter(path, max_failures=2)
    >>> one.failed("ada"); two.failed("Ada")
    >>> 0 < two.blocked_for("ada") <= 60, one.blocked_for("bob")
    (True, 0.0)
    >>> one.reset("ada"); two.blocked_for("ada")
    0.0
    """

    def __init__(
        self,
        path: str,
        max_failures: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(max_failures, window, clock)
        self.path = path
        with closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS failures (name TEXT NOT NULL, at REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def blocked_for(self, username: str) -> float:
        """Seconds until ``username`` may try again (0.0 when allowed now)."""
        now = self._clock()
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM failures WHERE at <= ?", (now - self.window,))
            times: list[float] = [
                float(at)
                for (at,) in db.execute(
                    "SELECT at FROM failures WHERE name = ? ORDER BY at", (username.casefold(),)
                )
            ]
        if len(times) < self.max_failures:
            return 0.0
        return max(0.0, times[-self.max_failures] + self.window - now)

    def failed(self, username: str) -> None:
        """Record one failed login for ``username``."""
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO failures VALUES (?, ?)", (username.casefold(), self._clock()))

    def reset(self, username: str) -> None:
        """Forget the failures of ``username`` (after a successful login)."""
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM failures WHERE name = ?", (username.casefold(),))


DEFAULT_LIMITER = RateLimiter()


def authenticate(
    store: Store, username: str, password: str, *, limiter: RateLimiter = DEFAULT_LIMITER
) -> User:
    """The user whose name and password these are, or :class:`AuthenticationFailed`.

    An unknown name, a user without a password and a wrong password fail alike and take as
    long (argon2 runs every time). After ``limiter.max_failures`` failures in its window the
    name is refused without checking the password until the window has passed.

    >>> store = Store.open("sqlite://")
    >>> _ = add_user(store, "ada", "correct horse")
    >>> authenticate(store, "ada", "wrong horse", limiter=RateLimiter())
    Traceback (most recent call last):
    ...
    netweave.errors.AuthenticationFailed: wrong user name or password
    """
    wait = limiter.blocked_for(username)
    if wait > 0:
        raise AuthenticationFailed(f"too many failed logins; try again in {int(wait) + 1} s")
    u = schema.users
    query = sa.select(u.c.user_id, u.c.username, u.c.password_hash).where(u.c.username == username)
    with store.connect() as conn:
        row = conn.execute(query).first()
    stored = row[2] if row is not None else None
    if not verify_password(stored, password) or row is None:
        limiter.failed(username)
        raise AuthenticationFailed()
    limiter.reset(username)
    return _row_user(row)
