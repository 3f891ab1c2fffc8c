"""The connection audit: the next connections to decide (keep with a reason, move to a list,
drop), undo of the latest decision, and how far the audit has come."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ...planning import audit
from ...relationships.lists import all_lists
from .._render import after_action, get_page, respond
from ..app import WebState, web_state
from ..models import AuditDecisionOut, AuditItemOut, AuditOut, AuditSummaryOut

router = APIRouter(tags=["audit"])

SHOWN = 20  # connections on the page at once; the rest follow as these are decided
_RECENT = 10
_LISTS = 200  # list names offered when moving someone


def _audit(st: WebState, message: str = "") -> AuditOut:
    store = st.store
    return AuditOut(
        queue=[AuditItemOut(**i.as_dict()) for i in audit.queue(store, limit=SHOWN)],
        summary=AuditSummaryOut(**audit.summary(store)),
        recent=[AuditDecisionOut(**d) for d in audit.decisions(store)[:_RECENT]],
        lists=[x["name"] for x in all_lists(store) if x["kind"] in audit.MOVE_KINDS][:_LISTS],
        message=message,
    )


def _answer(request: Request, st: WebState, message: str) -> Response:
    return after_action(
        request, "/audit", "audit.html", lambda: _audit(st, message), kinds=audit.MOVE_KINDS
    )


@get_page(router, "/audit", AuditOut, summary="Connections to audit: keep, move or drop")
def audit_page(request: Request, st: WebState = Depends(web_state)) -> Response:
    """Connections without a recorded reason or decision, oldest and weakest first (like
    ``netweave audit``), with the summary and the latest decisions."""
    return respond(request, "audit.html", _audit(st), kinds=audit.MOVE_KINDS)


@router.post("/audit/undo", response_model=AuditOut, summary="Undo the latest audit decision")
def audit_undo(request: Request, st: WebState = Depends(web_state)) -> Response:
    """Restore what the latest standing decision changed (like ``netweave audit undo``)."""
    result = audit.undo(st.store)
    return _answer(request, st, f"Undid {result['decision']} of {result['name']}.")


@router.post(
    "/audit/{person_id}/{decision}", response_model=AuditOut, summary="Decide a connection"
)
def audit_decide(
    request: Request,
    person_id: str,
    decision: str,
    reason: str = Form("", max_length=2000, description="why you are connected (keep)"),
    to: str = Form("", max_length=200, description="list, page or interest (move)"),
    kind: str = Form("list", max_length=20, description="kind of a new list (move)"),
    st: WebState = Depends(web_state),
) -> Response:
    """Keep (with ``reason``), move (to list ``to``) or drop one connection, like ``netweave
    audit keep|move|drop``; dropping only marks, and every decision can be undone."""
    result = audit.decide(st.store, person_id, decision, reason=reason, to=to, kind=kind)
    name = result["name"]
    if decision == "keep":
        message = f"Kept {name}: {result['reason']}"
    elif decision == "move":
        message = f"Moved {name} to {to.strip()}."
    else:
        message = f"Dropped {name}: marked only, nothing is deleted."
    return _answer(request, st, message)
