"""Sessions: a signed cookie holding whether the browser logged in, as whom, and its CSRF token.

The server prints a login token at startup; whoever types it gets a signed session cookie
(``HttpOnly``, ``SameSite=Lax``). In team mode (the database has users) the login is a user
name and password instead, and the cookie also carries the user and their chosen workspace.
Every POST form carries the session's CSRF token, checked against the cookie. Scripts may send
``Authorization: Bearer <token>`` instead of a cookie (no CSRF token needed then: a browser
never adds that header by itself; outside team mode only).

    >>> keys = Sessions("secret-key", "login-token")
    >>> cookie = keys.dump(Session(csrf="abc", authed=True))
    >>> keys.load(cookie).authed
    True
    >>> keys.load(keys.dump(Session("abc", True, user="u1", workspace="acme"))).workspace
    'acme'
    >>> keys.load("forged") is None
    True
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = ["COOKIE", "MAX_AGE", "Session", "Sessions"]

COOKIE = "netweave_session"
MAX_AGE = 14 * 24 * 3600  # seconds a login lasts


@dataclass
class Session:
    """What the session cookie says about this browser."""

    csrf: str
    authed: bool = False
    user: str = ""  # team mode: the user_id acting, "" for the token login
    name: str = ""  # team mode: their user name, shown in the header
    workspace: str = ""  # team mode: the workspace they work in

    @classmethod
    def fresh(
        cls, *, authed: bool = False, user: str = "", name: str = "", workspace: str = ""
    ) -> Session:
        """A new session with a new CSRF token.

        >>> len(Session.fresh().csrf) > 20
        True
        >>> Session.fresh(authed=True, user="u1", workspace="acme").user
        'u1'
        """
        return cls(secrets.token_urlsafe(24), authed, user, name, workspace)


class Sessions:
    """Signs and checks session cookies and the login token."""

    def __init__(self, secret: str, token: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="netweave-session")
        self.token = token

    def dump(self, session: Session) -> str:
        """The signed cookie value of ``session``."""
        data: dict[str, object] = {"c": session.csrf, "a": session.authed}
        if session.user:
            data.update(u=session.user, n=session.name, w=session.workspace)
        return str(self._serializer.dumps(data))

    def load(self, cookie: str | None) -> Session | None:
        """The session in a cookie, or None if it is missing, forged or expired."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        return Session(
            data["c"],
            bool(data.get("a")),
            str(data.get("u") or ""),
            str(data.get("n") or ""),
            str(data.get("w") or ""),
        )

    def token_ok(self, given: str | None) -> bool:
        """True if ``given`` is the login token (compared in constant time).

        >>> Sessions("k", "t0k").token_ok("t0k"), Sessions("k", "t0k").token_ok("nope")
        (True, False)
        """
        return bool(given) and hmac.compare_digest(str(given).encode(), self.token.encode())
