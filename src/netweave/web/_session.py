"""Sessions: a signed cookie holding whether the browser logged in and its CSRF token.

The server prints a login token at startup; whoever types it gets a signed session cookie
(``HttpOnly``, ``SameSite=Lax``). Every POST form carries the session's CSRF token, checked
against the cookie. Scripts may send ``Authorization: Bearer <token>`` instead of a cookie (no
CSRF token needed then: a browser never adds that header by itself).

    >>> keys = Sessions("secret-key", "login-token")
    >>> cookie = keys.dump(Session(csrf="abc", authed=True))
    >>> keys.load(cookie)
    Session(csrf='abc', authed=True)
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

    @classmethod
    def fresh(cls, *, authed: bool = False) -> Session:
        """A new session with a new CSRF token.

        >>> len(Session.fresh().csrf) > 20
        True
        """
        return cls(secrets.token_urlsafe(24), authed)


class Sessions:
    """Signs and checks session cookies and the login token."""

    def __init__(self, secret: str, token: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="netweave-session")
        self.token = token

    def dump(self, session: Session) -> str:
        """The signed cookie value of ``session``."""
        return str(self._serializer.dumps({"c": session.csrf, "a": session.authed}))

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
        return Session(data["c"], bool(data.get("a")))

    def token_ok(self, given: str | None) -> bool:
        """True if ``given`` is the login token (compared in constant time).

        >>> Sessions("k", "t0k").token_ok("t0k"), Sessions("k", "t0k").token_ok("nope")
        (True, False)
        """
        return bool(given) and hmac.compare_digest(str(given).encode(), self.token.encode())
