"""Review of proposed identity links: accept or reject each, through the identity ops."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ...errors import InputError
from ...identity import ops
from ...relationships.health import recompute
from .._render import after_action, get_page, respond
from ..app import WebState, web_state
from ..models import ProposalOut, ReviewOut

router = APIRouter(tags=["identity"])


def _proposals(st: WebState) -> list[ProposalOut]:
    return [ProposalOut(number=n, **p) for n, p in enumerate(ops.proposals(st.store), 1)]


@get_page(router, "/review", ReviewOut, summary="Proposed identity links to review")
def review(request: Request, st: WebState = Depends(web_state)) -> Response:
    """The proposed links, most likely first, each with its evidence."""
    return respond(request, "review.html", ReviewOut(proposals=_proposals(st)))


@router.post("/review/{number}/{decision}", response_model=ReviewOut, summary="Decide a link")
def decide(
    request: Request,
    number: int,
    decision: str,
    pair: str = Form("", description="account_a|account_b the page showed, checked"),
    st: WebState = Depends(web_state),
) -> Response:
    """Accept or reject proposal ``number`` (like ``netweave review``); ``pair`` guards
    against a list that changed since the page was shown."""
    if decision not in {"accept", "reject"}:
        raise InputError("", None, "decide accept or reject")
    pending = ops.proposals(st.store)
    if not 1 <= number <= len(pending):
        raise InputError("", None, f"there is no proposal {number} any more: reload the page")
    shown = pending[number - 1]
    if pair and pair != f"{shown['a']['account_id']}|{shown['b']['account_id']}":
        raise InputError("", None, "the proposals changed since this page was shown: reload it")
    a_name = shown["a"].get("display_name") or shown["a"].get("handle") or "?"
    b_name = shown["b"].get("display_name") or shown["b"].get("handle") or "?"
    if decision == "accept":
        ops.accept(st.store, number)
        message = f"Linked: {a_name} and {b_name} are one person."
    else:
        ops.reject(st.store, number)
        message = f"Kept apart: {a_name} and {b_name}."
    recompute(st.store, settings=st.settings())
    return after_action(
        request,
        "/review",
        "review.html",
        lambda: ReviewOut(proposals=_proposals(st), message=message),
    )
