"""The door of the web app (a plain ASGI middleware, no per-request task group): reads the
session cookie, lets in the logged-in, the bearer of the token and public paths, refuses
oversized bodies, and adds the session cookie and security headers to every answer.

    >>> CSP.startswith("default-src 'self'")
    True
"""

from __future__ import annotations

from urllib.parse import quote, unquote_plus

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._render import wants_json
from ._session import COOKIE, MAX_AGE, Session, Sessions

__all__ = ["CSP", "Guard", "login_required"]

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_PUBLIC = ("/login", "/favicon.ico")
_SLACK = 64 << 10  # bytes of multipart framing and form fields around an upload
_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
)


def login_required(request: Request) -> Response:
    """The answer to someone not logged in: 401 for scripts, the login page for browsers."""
    path = request.url.path
    if wants_json(request) or path == "/openapi.json":
        return JSONResponse(
            {
                "error": "log in first: POST /login with the token netweave serve printed "
                "(or, in team mode, your user name and password), "
                "or send Authorization: Bearer TOKEN"
            },
            status_code=401,
        )
    target = path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)


class Guard:
    """Login, size limits, session cookie and security headers around ``app``."""

    def __init__(self, app: ASGIApp, sessions: Sessions, max_upload: int) -> None:
        self.app = app
        self.sessions = sessions
        self.max_upload = max_upload

    def _refusal(self, request: Request) -> Response | None:
        """An answer that stops the request here, or None to let it through."""
        from .app import error_response

        length = request.headers.get("content-length")
        if (
            request.method == "POST"
            and length is None
            and "chunked" in request.headers.get("transfer-encoding", "")
        ):
            return error_response(request, 411, "send the upload with a Content-Length")
        if length is not None and (not length.isdigit() or int(length) > self.max_upload + _SLACK):
            return error_response(
                request, 413, f"too large: uploads are limited to {self.max_upload >> 20} MiB"
            )
        path = request.url.path
        if "\x00" in path or "\x00" in unquote_plus(request.url.query):
            # no database column can store NUL (PostgreSQL refuses it): a 400, not a crash
            return error_response(request, 400, "bad input: text cannot contain NUL characters")
        if path in _PUBLIC or path.startswith("/static/"):
            return None
        if request.state.session.authed or request.state.bearer:
            return None
        return login_required(request)

    def _cookie(self, session: Session) -> str:
        carrier = Response()
        carrier.set_cookie(
            COOKIE,
            self.sessions.dump(session),
            max_age=MAX_AGE,
            httponly=True,
            samesite="lax",
            path="/",
        )
        return carrier.headers["set-cookie"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        found = self.sessions.load(request.cookies.get(COOKIE))
        first = request.state.session = found or Session.fresh()
        auth = request.headers.get("authorization", "")
        request.state.bearer = auth.startswith("Bearer ") and self.sessions.token_ok(
            auth[7:].strip()
        )

        async def send_dressed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                final: Session = request.state.session
                # a new session (but a script sending the token needs none) or one changed by
                # login/logout
                if final is not first or (found is None and not request.state.bearer):
                    headers.append("set-cookie", self._cookie(final))
                for name, value in _HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send_dressed)
            return
        await self.app(scope, receive, send_dressed)
