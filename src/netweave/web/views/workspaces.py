"""Team mode: the user's workspaces and switching between them.

Only the user's memberships are listed; switching to any other name answers 404 whether or
not that workspace exists, so the switcher cannot be used to find out what exists.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import NotFound
from ...team import list_workspaces
from .._render import get_page, respond, wants_json
from .._session import Session
from ..app import WebState, web_state
from ..models import WorkspaceOut, WorkspacesOut

router = APIRouter(tags=["team"])


def _listing(request: Request, st: WebState, message: str = "") -> WorkspacesOut:
    session: Session = request.state.session
    current = st.store.workspace_id
    if not session.user:  # single-user mode: the one workspace this server opened
        found = [WorkspaceOut(workspace_id=current, role=None, members=0, current=True)]
        return WorkspacesOut(user="", workspaces=found, message=message)
    found = [
        WorkspaceOut(
            workspace_id=w.workspace_id,
            role=w.role,
            members=w.members,
            current=w.workspace_id == current,
        )
        for w in list_workspaces(st.store)
    ]
    return WorkspacesOut(user=session.name, workspaces=found, message=message)


@get_page(router, "/workspaces", WorkspacesOut, summary="Your workspaces and your role in each")
def workspaces(request: Request, st: WebState = Depends(web_state)) -> Response:
    """The workspaces the logged-in user belongs to (``netweave workspace list``)."""
    return respond(request, "workspaces.html", _listing(request, st))


@router.post("/workspace", response_model=WorkspacesOut, summary="Switch workspace")
def switch(
    request: Request,
    workspace: str = Form(..., max_length=200),
    st: WebState = Depends(web_state),
) -> Response:
    """Work in another of your workspaces from now on (404 for any that is not yours)."""
    session: Session = request.state.session
    if workspace != st.store.workspace_id:
        if not session.user:
            raise NotFound("workspace", workspace)
        base: WebState = request.app.state.netweave
        acting = base.store.as_user(session.user, workspace)  # NotFound if not a member
        request.state.session = replace(session, workspace=workspace)
        request.state.acting = acting
        st = replace(st, store=acting)
    if wants_json(request):
        return respond(request, "workspaces.html", _listing(request, st, f"now in {workspace}"))
    return RedirectResponse("/", status_code=303)
