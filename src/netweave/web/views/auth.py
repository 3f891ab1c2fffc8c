"""Logging in with the token ``netweave serve`` printed, and out."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from .._render import html
from .._session import Session
from ..app import web_state

router = APIRouter(tags=["session"])


def _safe_next(target: str | None) -> str:
    """Only paths on this site (never ``//host`` or a full URL) are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/", token: str = "") -> Response:
    """The login form (``?token=`` fills it in)."""
    return html(request, "login.html", next=_safe_next(next), token=token, error="")


@router.post("/login", include_in_schema=False)
def login(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    """Check the token; a new session (and CSRF token) on success."""
    if not web_state(request).sessions.token_ok(token.strip()):
        return html(
            request,
            "login.html",
            401,
            next=_safe_next(next),
            token="",
            error="That is not the token netweave serve printed. Check the terminal it runs in.",
        )
    request.state.session = Session.fresh(authed=True)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Forget this browser's login."""
    request.state.session = Session.fresh()
    return RedirectResponse("/login", status_code=303)
