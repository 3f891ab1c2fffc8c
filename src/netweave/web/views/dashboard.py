"""The dashboard: today's agenda, goals with pace, ties gone quiet, help requests; and
marking an agenda item done or skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ...goals import model
from ...listening.help import help_requests
from ...planning import agenda
from ...relationships import views
from ...relationships.health import recompute
from .._render import get_page, html, respond, wants_json
from ..app import WebState, web_state
from ..models import AgendaItemOut, DashboardOut, DoneOut, GoalOut, HelpOut, TieOut

router = APIRouter(tags=["today"])


def goal_out(rep: model.GoalReport) -> GoalOut:
    """A goal report as the pages show it."""
    g = rep.goal
    return GoalOut(
        goal_id=g["goal_id"],
        title=g["title"],
        why=g["why"],
        status=g["status"],
        start=g["start"],
        deadline=g["deadline"],
        end_state=g.get("end_state"),
        strategy=g.get("strategy"),
        progress=rep.progress,
        expected=rep.expected,
        pace=rep.pace,
        state=rep.state,
        days_left=rep.days_left,
        key_results=rep.key_results,  # type: ignore[arg-type]
        history=rep.history,
    )


def _agenda(st: WebState, mode: str, minutes: int | None) -> tuple[int, list[AgendaItemOut]]:
    settings = st.settings()
    budget = minutes or int(settings.get("time.daily_minutes"))
    actions = agenda.plan_day(
        st.store,
        minutes=budget,
        mode=mode,
        topics=[*settings.get("topics.expertise")],
        save=st.store.can_write,
    )
    day = datetime.now(UTC).date()
    rows = agenda.day_items(st.store, day)
    number = {r["item_id"]: n for n, r in enumerate(rows, 1)}
    status = {r["item_id"]: r["status"] for r in rows}
    items = []
    for a in actions:
        key = agenda.item_id(day, a)
        items.append(
            AgendaItemOut(
                number=number.get(key),
                item_id=key,
                kind=a.kind,
                person_id=a.person_id,
                name=a.name,
                minutes=a.minutes,
                reason=a.reason,
                url=a.url,
                status=status.get(key, "planned"),
            )
        )
    done = {i.item_id for i in items}
    names = {a.person_id: a.name for a in actions}
    for r in rows:  # items settled earlier today stay visible, ticked
        if r["item_id"] not in done and r["status"] != "planned":
            items.append(
                AgendaItemOut(
                    number=number[r["item_id"]],
                    item_id=r["item_id"],
                    kind=r["kind"],
                    person_id=r["person_id"],
                    name=names.get(r["person_id"], r["kind"]),
                    minutes=r["minutes"] or 0,
                    reason=r["reason"] or "",
                    url=r["url"],
                    status=r["status"],
                )
            )
    return budget, items


@get_page(router, "/", DashboardOut, summary="Today: agenda, goals, overdue ties, help requests")
def dashboard(
    request: Request,
    mode: str = "morning",
    minutes: int | None = None,
    st: WebState = Depends(web_state),
) -> Response:
    """Today's agenda (planned like ``netweave today``), goals with pace, who is overdue, and
    unanswered help requests in your topics."""
    budget, items = _agenda(st, mode, minutes)
    store = st.store
    topics = [*st.settings().get("topics.expertise")]
    found = help_requests(store, topics, since=timedelta(days=14), limit=8) if topics else []
    data = DashboardOut(
        day=datetime.now(UTC).date().isoformat(),
        minutes=budget,
        agenda=items,
        goals=[goal_out(model.report(store, g["goal_id"])) for g in model.list_goals(store)],
        overdue=[TieOut(**t.as_dict()) for t in views.losing_touch(store, limit=10)],
        help_requests=[HelpOut(**r.as_dict()) for r in found],
    )
    return respond(request, "dashboard.html", data, mode=mode)


def _mark(request: Request, st: WebState, item_id: str, status: str) -> Response:
    result: dict[str, Any] = agenda.mark(st.store, item_id, status)
    if status == "done":
        recompute(st.store, settings=st.settings())
    out = DoneOut(**result)
    if wants_json(request):
        return respond(request, "", out)
    if request.headers.get("hx-request"):
        return html(request, "_agenda_status.html", item=out)
    return RedirectResponse("/", status_code=303)


@router.post("/agenda/{item_id}/done", response_model=DoneOut, summary="Mark an item done")
def agenda_done(request: Request, item_id: str, st: WebState = Depends(web_state)) -> Response:
    """Mark today's agenda item done (it goes into the ledger, like ``netweave done``)."""
    return _mark(request, st, item_id, "done")


@router.post("/agenda/{item_id}/skip", response_model=DoneOut, summary="Skip an item")
def agenda_skip(request: Request, item_id: str, st: WebState = Depends(web_state)) -> Response:
    """Mark today's agenda item skipped."""
    return _mark(request, st, item_id, "skipped")
