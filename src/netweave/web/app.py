"""The web UI and JSON API: :func:`create_app` builds the FastAPI app over one open store.

Routes parse input, call one domain function and render (STYLE.md 1); every page also answers
JSON. Only the login page and static files are public; every POST needs the session's CSRF token.

In team mode (the database has users) every request acts as the session's user in their chosen
workspace (:meth:`netweave.store.Store.as_user`), so the store enforces the role: a viewer's
change is a 403, another workspace's ids are a 404 like ids that never existed.

    >>> from netweave.store import Store
    >>> app = create_app(Store.open("sqlite://"), token="let-me-in")
    >>> app.title
    'netweave'
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings
from ..errors import AuthenticationFailed, InputError, NetweaveError, NotFound, PermissionDenied
from ..store import Store
from ..team import RateLimiter, has_users, list_workspaces
from ._guard import Guard, login_required
from ._render import html, wants_json
from ._session import Session, Sessions

__all__ = [
    "DEFAULT_MAX_UPLOAD",
    "CsrfError",
    "LoginRequired",
    "WebState",
    "act_as",
    "check_text",
    "create_app",
    "error_response",
    "web_state",
]

DEFAULT_MAX_UPLOAD = 512 << 20  # bytes: the largest export the import page accepts
TEAM_RECHECK = 1.0  # seconds between looks for users on requests outside team mode


# Another workspace's ids answer 404 like ids that never existed: existence does not leak.
_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    AuthenticationFailed: 401,
}


class CsrfError(Exception):
    """A POST without the session's CSRF token (a forged or stale form)."""


class LoginRequired(Exception):
    """The session does not (or no longer) count as logged in, e.g. a token login in team mode."""


@dataclass
class WebState:
    """What every view needs: the store, the settings, the session keys and limits."""

    store: Store
    sessions: Sessions
    load_settings: Callable[[], Settings] = Settings.load
    max_upload: int = DEFAULT_MAX_UPLOAD
    upload_dir: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    team: bool = False  # once the database has users it stays in team mode
    team_checked: float = float("-inf")  # time.monotonic() of the last look for users

    def is_team(self, *, within: float = 0.0) -> bool:
        """True if the database has users: logins are then user name and password.

        ``within``: an answer up to that many seconds old will do (the per-request check
        looks at most once a second; a login always looks).

        >>> WebState(Store.open("sqlite://"), Sessions("k", "t")).is_team()
        False
        """
        if not self.team and time.monotonic() - self.team_checked >= within:
            self.team = has_users(self.store)
            self.team_checked = time.monotonic()
        return self.team

    def settings(self) -> Settings:
        """The user's settings, read afresh (another process may have changed them)."""
        return self.load_settings()


def current_state(request: Request) -> WebState:
    """The app's :class:`WebState`, its store acting as the session's team member when there
    is one (set by :func:`act_as`)."""
    found: WebState = request.app.state.netweave
    acting: Store | None = getattr(request.state, "acting", None)
    return found if acting is None else replace(found, store=acting)


async def web_state(request: Request) -> WebState:
    """:func:`current_state` as a FastAPI dependency (on the event loop: it never waits)."""
    return current_state(request)


_OPEN = frozenset({"/login", "/logout"})
_NOT_WRITES = frozenset({"/workspace"})


async def act_as(request: Request) -> None:
    """Make this request act as the session's user in their workspace (team mode).

    A token login (cookie or bearer) does not count once the database has users; a member
    whose membership was withdrawn is logged out. Outside team mode nothing changes. Runs on
    the event loop (no thread hop per request); only a member's lookups go to a thread.
    """
    if request.url.path in _OPEN:
        return
    st: WebState = request.app.state.netweave
    session: Session = request.state.session
    if not session.user:
        # one indexed read a second until the database has users, then none
        if st.is_team(within=TEAM_RECHECK):
            request.state.session = Session.fresh()
            raise LoginRequired
        return
    await anyio.to_thread.run_sync(_act_as_member, request, st, session)


def _act_as_member(request: Request, st: WebState, session: Session) -> None:
    try:
        acting = st.store.as_user(session.user, session.workspace)
    except NotFound:
        request.state.session = Session.fresh()
        raise LoginRequired from None
    request.state.acting = acting
    request.state.workspaces = [w.workspace_id for w in list_workspaces(acting)]
    if request.method == "POST" and request.url.path not in _NOT_WRITES and not acting.can_write:
        # Every POST but switching workspace changes something: refused before any upload is
        # read, with the same message the store gives (which refuses it anyway).
        raise PermissionDenied(f"a viewer cannot change workspace {acting.workspace_id!r}")


async def check_csrf(request: Request) -> None:
    """Reject a state-changing request whose CSRF token does not match the session's."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or getattr(request.state, "bearer", False):
        return
    given: object = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        given = form.get("csrf_token")
    session: Session = request.state.session
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), session.csrf.encode()):
        raise CsrfError


_NUL = "text cannot contain NUL characters"


async def check_text(request: Request) -> None:
    """Refuse form fields and upload names holding NUL, which no database column can store
    (PostgreSQL refuses it; a file name cannot hold it either)."""
    if request.method != "POST":
        return
    kind = request.headers.get("content-type", "")
    if not kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return
    for value in (await request.form()).values():
        text = value if isinstance(value, str) else value.filename or ""
        if "\x00" in text:
            raise InputError("", None, _NUL)


def error_response(request: Request, status: int, message: str) -> Response:
    """A one-line error as JSON or as the error page (never a traceback)."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return html(request, "error.html", status, status=status, message=message)


# Pages are CPU-bound Python under one interpreter lock: a few threads serve them as fast as
# many, without the switching, and each keeps a pooled database connection warm.
PAGE_THREADS = 4


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
    yield


def create_app(
    store: Store,
    *,
    token: str | None = None,
    secret: str | None = None,
    settings: Callable[[], Settings] = Settings.load,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The web app over ``store``; log in with ``token`` (a random one if not given, readable
    as ``app.state.netweave.sessions.token``). ``secret`` signs cookies (random by default, so a
    restart logs everyone out); ``settings`` loads the user's settings; uploads larger than
    ``max_upload`` bytes are refused; ``limiter`` counts failed team logins (one in memory by
    default; the workers of one server share a :class:`netweave.team.SharedRateLimiter`).

    >>> from netweave.store import Store
    >>> create_app(Store.open("sqlite://")).state.netweave.sessions.token != ""
    True
    """
    from .views import ROUTERS

    sessions = Sessions(secret or secrets.token_urlsafe(32), token or secrets.token_urlsafe(18))
    app = FastAPI(
        lifespan=_lifespan,
        title="netweave",
        version=__version__,
        description="Relationship-first social networking: every page is also JSON.",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json stays
        redoc_url=None,
    )
    app.state.netweave = WebState(store, sessions, settings, max_upload)
    if limiter is not None:
        app.state.netweave.limiter = limiter
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for router in ROUTERS:
        app.include_router(
            router, dependencies=[Depends(check_text), Depends(check_csrf), Depends(act_as)]
        )

    app.add_middleware(Guard, sessions=sessions, max_upload=max_upload)

    @app.exception_handler(NetweaveError)
    async def domain_error(request: Request, exc: NetweaveError) -> Response:
        status = getattr(exc, "http_status", None) or next(
            (code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400
        )
        return error_response(request, int(status), str(exc))

    @app.exception_handler(LoginRequired)
    async def not_logged_in(request: Request, exc: LoginRequired) -> Response:
        return login_required(request)

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        return error_response(
            request, 403, "this form has expired or did not come from netweave: reload the page"
        )

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'input'}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return error_response(request, 422, f"bad input: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        return error_response(
            request, 500, f"something went wrong ({type(exc).__name__}); the log has details"
        )

    return app
