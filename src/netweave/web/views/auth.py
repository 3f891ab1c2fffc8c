"""Logging in and out: with the token ``netweave serve`` printed, or in team mode (the database
has users) with a user name and password, which opens the user's first workspace."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import AuthenticationFailed
from ...team import list_workspaces
from ...team import login as team_login
from .._render import html
from .._session import Session
from ..app import WebState, current_state

router = APIRouter(tags=["session"])

_NO_WORKSPACE = (
    "You are not a member of any workspace yet: ask an owner to invite you "
    "(netweave workspace invite)."
)


def _safe_next(target: str | None) -> str:
    """Only paths on this site (never ``//host`` or a full URL) are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/", token: str = "") -> Response:
    """The login form (``?token=`` fills it in; user name and password in team mode)."""
    team = current_state(request).is_team()
    return html(
        request,
        "login.html",
        next=_safe_next(next),
        token="" if team else token,
        team=team,
        username="",
        error="",
    )


def _team_login(
    request: Request, st: WebState, username: str, password: str, next: str
) -> Response:
    """Check the user name and password (rate limited); a session in their first workspace."""
    try:
        outside = team_login(st.store, username, password, None, limiter=st.limiter)
        spaces = list_workspaces(outside)
    except AuthenticationFailed as exc:
        error, status, spaces = str(exc), 401, []
    else:
        error, status = ("", 303) if spaces else (_NO_WORKSPACE, 403)
    if not spaces or outside.user_id is None:
        return html(
            request,
            "login.html",
            status,
            next=_safe_next(next),
            token="",
            team=True,
            username=username,
            error=error[:1].upper() + error[1:] + ("" if error.endswith(".") else "."),
        )
    request.state.session = Session.fresh(
        authed=True, user=outside.user_id, name=username, workspace=spaces[0].workspace_id
    )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    token: str = Form("", max_length=1000),
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    next: str = Form("/", max_length=2000),
) -> Response:
    """Check the token (or the user name and password); a new session and CSRF token."""
    st = current_state(request)
    if st.is_team():
        return _team_login(request, st, username.strip(), password, next)
    if not st.sessions.token_ok(token.strip()):
        return html(
            request,
            "login.html",
            401,
            next=_safe_next(next),
            token="",
            team=False,
            username="",
            error="That is not the token netweave serve printed. Check the terminal it runs in.",
        )
    request.state.session = Session.fresh(authed=True)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Forget this browser's login."""
    request.state.session = Session.fresh()
    return RedirectResponse("/login", status_code=303)
