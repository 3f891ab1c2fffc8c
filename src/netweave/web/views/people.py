"""People: the paginated list (sorted and filtered in the database) and one person's page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...errors import NotFound
from ...identity import ops
from ...relationships import lists as person_lists
from ...relationships import notes, views
from .._render import get_page, respond, wants_json
from ..app import WebState, web_state
from ..models import AccountOut, PeopleOut, PersonOut, TieOut

router = APIRouter(tags=["people"])


@get_page(router, "/people", PeopleOut, summary="People, sorted, filtered and paginated")
def people_list(
    request: Request,
    sort: str = Query("strength", pattern="^(strength|recency|name)$"),
    q: str = Query("", max_length=200),
    circle: str = Query("", pattern=r"^\d{0,4}$", description="5, 15, 50, 150 or empty"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
    st: WebState = Depends(web_state),
) -> Response:
    """One page of people by tie strength, latest contact or name; ``q`` searches names."""
    ring = int(circle) if circle else None
    ties, more = views.page(
        st.store, sort=sort, search=q or None, circle=ring, limit=limit, offset=offset
    )
    data = PeopleOut(
        people=[TieOut(**t.as_dict()) for t in ties],
        sort=sort,
        q=q,
        circle=ring,
        limit=limit,
        offset=offset,
        has_next=more,
    )
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "people-rows":
        return respond(request, "_people_rows.html", data)
    return respond(request, "people.html", data)


@get_page(router, "/people/{person_id}", PersonOut, summary="One person, explained")
def person_page(request: Request, person_id: str, st: WebState = Depends(web_state)) -> Response:
    """Accounts with identity evidence, interactions, tie strength explained, give/get, notes
    and lists of one person (by id)."""
    store = st.store
    person = ops.get_person(store, person_id)
    try:
        tie = views.explain(store, person_id)
    except NotFound:  # not scored yet: the page simply shows no score
        tie = None
    data = PersonOut(
        person=person,
        accounts=[
            AccountOut(**{**a, "reasons": list((a.get("evidence") or {}).get("reasons", []))})
            for a in ops.person_accounts(store, person_id)
        ],
        tie=tie,
        ledger=views.ledger(store, person_id=person_id, by="year"),
        timeline=views.timeline(store, person_id, limit=50),
        notes=notes.notes_for(store, person_id),
        lists=person_lists.lists_of(store, person_id),
    )
    return respond(request, "person.html", data, note_kinds=notes.NOTE_KINDS)


@router.post("/people/{person_id}/notes", summary="Add a note about a person")
def add_note(
    request: Request,
    person_id: str,
    text: str = Form(..., min_length=1, max_length=5000),
    kind: str = Form("note"),
    st: WebState = Depends(web_state),
) -> Response:
    """Write down something you learned (like ``netweave note add``)."""
    note_id = notes.add_note(st.store, person_id, text, kind)
    if wants_json(request):
        return JSONResponse({"note_id": note_id, "person_id": person_id})
    return RedirectResponse(f"/people/{person_id}#notes", status_code=303)
