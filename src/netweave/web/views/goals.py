"""Goals: the list with pace, creating one from a template, one goal with its chart."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...errors import InputError
from ...goals import model
from .._render import get_page, respond, wants_json
from .._svg import progress_chart
from ..app import WebState, web_state
from ..models import GoalOut, GoalsOut
from .dashboard import goal_out

router = APIRouter(tags=["goals"])


def chart(goal: GoalOut) -> object:
    """The progress chart of one goal (key results with a target)."""
    rows = [
        (
            kr.label,
            kr.progress or 0.0,
            f"{kr.value:g} of {kr.target:g}" if kr.target is not None else f"{kr.value:g}",
        )
        for kr in goal.key_results
        if kr.target is not None
    ]
    return progress_chart(rows, expected=goal.expected)


@get_page(router, "/goals", GoalsOut, summary="Goals with key results and pace")
def goals(request: Request, st: WebState = Depends(web_state)) -> Response:
    """Active goals, each with its progress chart; templates to start a new one."""
    found = [goal_out(model.report(st.store, g["goal_id"])) for g in model.list_goals(st.store)]
    data = GoalsOut(goals=found, templates={k: str(v["title"]) for k, v in model.TEMPLATES.items()})
    return respond(request, "goals.html", data, chart=chart)


@router.post("/goals", summary="Create a goal from a template")
def create_goal(
    request: Request,
    template: str = Form(...),
    days: int = Form(90, ge=7, le=3650),
    st: WebState = Depends(web_state),
) -> Response:
    """A goal from a template (like ``netweave goal new --template``), due in ``days``."""
    if template not in model.TEMPLATES:
        raise InputError(
            "", None, f"unknown template {template!r}; use " + ", ".join(model.TEMPLATES)
        )
    base = model.TEMPLATES[template]
    start = model.default_window()[0]
    goal_id = model.create_goal(
        st.store,
        title=base["title"],
        why=base["why"],
        start=start,
        deadline=start + timedelta(days=days),
        key_results=list(base["key_results"]),
        end_state=base.get("end_state"),
        strategy=base.get("strategy"),
        max_active=int(st.settings().get("goals.max_active")),
    )
    if wants_json(request):
        return JSONResponse({"goal_id": goal_id}, status_code=201)
    return RedirectResponse(f"/goals/{goal_id}", status_code=303)


@get_page(router, "/goals/{goal_id}", GoalOut, summary="One goal: key results and pace")
def goal(request: Request, goal_id: str, st: WebState = Depends(web_state)) -> Response:
    """One goal's key results, progress against the pace line, and its revisions."""
    data = goal_out(model.report(st.store, goal_id))
    return respond(request, "goal.html", data, chart=chart(data))
