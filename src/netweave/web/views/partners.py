"""The strategic-partner board: one column per pipeline stage, adding someone, moving a
partner to another stage (or back to the one the ledger shows) and taking them out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ...identity import ops
from ...planning import partners
from .._render import after_action, get_page, respond
from ..app import WebState, web_state
from ..models import PartnerOut, PartnersOut, SuggestionOut

router = APIRouter(tags=["partners"])

_SUGGEST = 8


def _board(st: WebState, message: str = "") -> PartnersOut:
    store = st.store
    # a viewer reads the board as it is: the stage in effect is only written back by writers
    found = partners.pipeline(store, refresh=store.can_write)
    return PartnersOut(
        stages=list(partners.STAGES),
        partners=[
            PartnerOut(**{**p.as_dict(), "next_stage": partners.next_stage(p.stage)}) for p in found
        ],
        suggestions=[SuggestionOut(**s) for s in partners.suggestions(store, limit=_SUGGEST)],
        message=message,
    )


def _answer(request: Request, st: WebState, message: str) -> Response:
    return after_action(request, "/partners", "partners.html", lambda: _board(st, message))


@get_page(router, "/partners", PartnersOut, summary="Strategic partners by pipeline stage")
def partners_board(request: Request, st: WebState = Depends(web_state)) -> Response:
    """Your partners in columns admire → follow → interact → give → collaborate, each with
    days in stage and the next step (like ``netweave partners``), and candidates to add."""
    return respond(request, "partners.html", _board(st))


@router.post("/partners", response_model=PartnersOut, summary="Add a strategic partner")
def partners_add(
    request: Request,
    person: str = Form(..., min_length=1, max_length=200, description="name, handle or id"),
    st: WebState = Depends(web_state),
) -> Response:
    """Put someone in the pipeline (like ``netweave partners add``)."""
    p = partners.add(st.store, person)
    return _answer(request, st, f"Added {p.name}: {p.stage}.")


@router.post(
    "/partners/{person_id}/stage", response_model=PartnersOut, summary="Set a partner's stage"
)
def partners_stage(
    request: Request,
    person_id: str,
    stage: str = Form(..., max_length=20, description=", ".join(partners.STAGES) + " or auto"),
    st: WebState = Depends(web_state),
) -> Response:
    """Set a partner's stage by hand; ``auto`` goes back to the stage the ledger shows (like
    ``netweave partners stage``)."""
    p = partners.set_stage(st.store, person_id, stage)
    return _answer(request, st, f"Moved {p.name} to {p.stage}.")


@router.post("/partners/{person_id}/remove", response_model=PartnersOut, summary="Remove a partner")
def partners_remove(
    request: Request, person_id: str, st: WebState = Depends(web_state)
) -> Response:
    """Take someone out of the pipeline (like ``netweave partners remove``)."""
    removed = partners.remove(st.store, person_id)
    name = ops.get_person(st.store, removed)["display_name"]
    return _answer(request, st, f"Removed {name} from your partners.")
