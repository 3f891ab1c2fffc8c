"""Rendering: every page is HTML for people and JSON for scripts (``.json`` or ``Accept``).

Templates only format: views hand them a pydantic model, the same one the JSON answer carries.

    >>> from starlette.requests import Request
    >>> wants_json(Request({"type": "http", "path": "/people.json", "headers": []}))
    True
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel

__all__ = ["after_action", "env", "get_page", "html", "respond", "wants_json"]

_HERE = Path(__file__).parent


def _when(value: datetime | date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _days_ago(days: int) -> str:
    """'today', 'yesterday' or 'N days ago'.

    >>> _days_ago(0), _days_ago(1), _days_ago(12)
    ('today', 'yesterday', '12 days ago')
    """
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def _tie_row(t: Any) -> Markup:
    """One person's row of a people table (the people list, the dashboard's overdue people).

    Written here rather than as a template macro: a page shows fifty of them, and calling a
    macro costs more than building the row.

    >>> from types import SimpleNamespace as T
    >>> row = _tie_row(T(person_id="p1", name="Zoë <3", strength=0.42, circle=15,
    ...     circle_source="set", days_since=1, overdue_days=2))
    >>> "Zoë &lt;3</a>" in row, '<span class="w4">' in row, ">2 days<" in row
    (True, True, True)
    """
    circle = ""
    if t.circle:
        circle = str(t.circle)
        if t.circle_source != "set":
            circle += '<span class="muted" title="suggested from strength">?</span>'
    if t.days_since is not None:
        last = _days_ago(t.days_since)
    else:
        last = '<span class="muted">never</span>'
    overdue = ""
    if t.overdue_days and t.overdue_days > 0:
        days = t.overdue_days
        overdue = f'<span class="badge warn">{days} day{"s" if days != 1 else ""}</span>'
    return Markup(
        f'<tr><td class="name"><a href="/people/{escape(t.person_id)}">{escape(t.name)}</a>'
        f'</td><td class="num">{t.strength:.2f}<span class="meter" aria-hidden="true">'
        f'<span class="w{round(t.strength * 10)}"></span></span></td><td>{circle}</td>'
        f"<td>{last}</td><td>{overdue}</td></tr>"
    )


def _qs(current: dict[str, Any], **changes: Any) -> str:
    """The query string of ``current`` with ``changes`` applied (None drops a key)."""
    merged = {**current, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_HERE / "templates"),
    autoescape=True,  # everything, whatever the template's name
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["when"] = _when
env.filters["pct"] = _pct
env.globals["qs"] = _qs
env.globals["days_ago"] = _days_ago
env.globals["tie_row"] = _tie_row


def wants_json(request: Request) -> bool:
    """True for ``/x.json`` or a client that asks for JSON first."""
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].strip().startswith("application/json")


def html(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the request, its CSRF token and ``context``."""
    session = getattr(request.state, "session", None)
    body = env.get_template(template).render(
        request=request,
        csrf=session.csrf if session else "",
        authed=bool(session and session.authed),
        team_user=session.name if session else "",
        workspace=session.workspace if session else "",
        workspaces=getattr(request.state, "workspaces", []),
        path=request.url.path,
        **context,
    )
    return HTMLResponse(body, status_code=status_code)


def respond(
    request: Request, template: str, data: BaseModel, status_code: int = 200, **context: Any
) -> Response:
    """``data`` as JSON if the client wants JSON, else the page ``template`` showing it."""
    if wants_json(request):
        return JSONResponse(data.model_dump(mode="json"), status_code=status_code)
    return html(request, template, status_code, data=data, **context)


def after_action(
    request: Request,
    page: str,
    template: str,
    data: Callable[[], BaseModel],
    **context: Any,
) -> Response:
    """The answer to a form post that changed something: the page again, with ``data()``, as
    JSON or as the part htmx swaps in; a plain form post is sent back to ``page`` (303), so a
    reload does not post again."""
    if wants_json(request) or request.headers.get("hx-request"):
        return respond(request, template, data(), **context)
    return RedirectResponse(page, status_code=303)


def _reading(view: Callable[..., Any]) -> Callable[..., Any]:
    """``view`` with all its reads on one connection (:meth:`Store.reading`); FastAPI sees the
    same signature (it follows ``__wrapped__``)."""
    if inspect.iscoroutinefunction(view):
        return view

    @functools.wraps(view)
    def endpoint(*args: Any, **kwargs: Any) -> Any:
        state = kwargs.get("st")
        if state is None:
            return view(*args, **kwargs)
        with state.store.reading():
            return view(*args, **kwargs)

    return endpoint


def get_page(
    router: APIRouter, path: str, model: type[BaseModel], *, summary: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a GET view at ``path`` and ``path.json``; OpenAPI documents ``model``."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        endpoint = _reading(view)
        # the .json route first: "/people/{id}" would also match "/people/x.json"
        router.add_api_route(
            f"{path.rstrip('/') or ''}.json" if path != "/" else "/index.json",
            endpoint,
            methods=["GET"],
            response_model=model,
            summary=f"{summary} (JSON)",
            name=f"{view.__name__}_json",
        )
        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            response_model=model,
            summary=summary,
            name=view.__name__,
            responses={200: {"content": {"text/html": {}}}},
        )
        return view

    return register
