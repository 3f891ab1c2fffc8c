"""The web UI and JSON API: :func:`create_app` builds the FastAPI app over one open store.

Routes parse input, call one domain function and render (STYLE.md 1); every page also answers
JSON. Only the login page and static files are public; every POST needs the session's CSRF token.

    >>> from netweave.store import Store
    >>> app = create_app(Store.open("sqlite://"), token="let-me-in")
    >>> app.title
    'netweave'
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import Settings
from ..errors import NetweaveError, NotFound
from ..store import Store
from ._guard import Guard
from ._render import html, wants_json
from ._session import Session, Sessions

__all__ = [
    "DEFAULT_MAX_UPLOAD",
    "CsrfError",
    "WebState",
    "create_app",
    "error_response",
    "web_state",
]

DEFAULT_MAX_UPLOAD = 512 << 20  # bytes: the largest export the import page accepts


class CsrfError(Exception):
    """A POST without the session's CSRF token (a forged or stale form)."""


@dataclass
class WebState:
    """What every view needs: the store, the settings, the session keys and limits."""

    store: Store
    sessions: Sessions
    load_settings: Callable[[], Settings] = Settings.load
    max_upload: int = DEFAULT_MAX_UPLOAD
    upload_dir: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def settings(self) -> Settings:
        """The user's settings, read afresh (another process may have changed them)."""
        return self.load_settings()


def web_state(request: Request) -> WebState:
    """The app's :class:`WebState` (a FastAPI dependency)."""
    found: WebState = request.app.state.netweave
    return found


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


def error_response(request: Request, status: int, message: str) -> Response:
    """A one-line error as JSON or as the error page (never a traceback)."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return html(request, "error.html", status, status=status, message=message)


def create_app(
    store: Store,
    *,
    token: str | None = None,
    secret: str | None = None,
    settings: Callable[[], Settings] = Settings.load,
    max_upload: int = DEFAULT_MAX_UPLOAD,
) -> FastAPI:
    """The web app over ``store``; log in with ``token`` (a random one if not given, readable
    as ``app.state.netweave.sessions.token``). ``secret`` signs cookies (random by default, so a
    restart logs everyone out); ``settings`` loads the user's settings; uploads larger than
    ``max_upload`` bytes are refused.

    >>> from netweave.store import Store
    >>> create_app(Store.open("sqlite://")).state.netweave.sessions.token != ""
    True
    """
    from .views import ROUTERS

    sessions = Sessions(secret or secrets.token_urlsafe(32), token or secrets.token_urlsafe(18))
    app = FastAPI(
        title="netweave",
        version=__version__,
        description="Relationship-first social networking: every page is also JSON.",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json stays
        redoc_url=None,
    )
    app.state.netweave = WebState(store, sessions, settings, max_upload)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(check_csrf)])

    app.add_middleware(Guard, sessions=sessions, max_upload=max_upload)

    @app.exception_handler(NetweaveError)
    async def domain_error(request: Request, exc: NetweaveError) -> Response:
        status = getattr(exc, "http_status", 404 if isinstance(exc, NotFound) else 400)
        return error_response(request, int(status), str(exc))

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
