"""Listening and travel: who talks about a topic, the digest, and who is in a city."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ...cli.listening_cmd import parse_span
from ...listening.digest import digest as build_digest
from ...listening.who import who as find_who
from ...planning import trips
from .._render import get_page, respond
from ..app import WebState, web_state
from ..models import DigestOut, SpeakerOut, TripOut, WhoOut

router = APIRouter(tags=["listening"])


@get_page(router, "/who", WhoOut, summary="Who in your network talks about a topic")
def who(
    request: Request,
    q: str = Query("", max_length=300),
    since: str = Query("", max_length=10),
    platform: str = Query("", max_length=32),
    st: WebState = Depends(web_state),
) -> Response:
    """People ranked by how much and how recently they talk about ``q``, with their posts."""
    speakers = (
        find_who(
            st.store,
            q,
            since=parse_span(since) if since else None,
            platform=platform or None,
            limit=20,
            samples=3,
        )
        if q.strip()
        else []
    )
    data = WhoOut(
        q=q,
        since=since,
        platform=platform,
        speakers=[SpeakerOut(**s.as_dict()) for s in speakers],
    )
    return respond(request, "who.html", data)


@get_page(router, "/digest", DigestOut, summary="What your network said lately")
def digest(
    request: Request, since: str = Query("24h", max_length=10), st: WebState = Depends(web_state)
) -> Response:
    """The morning digest: by topic, by circle, and whom to answer first."""
    settings = st.settings()
    topics = [*settings.get("topics.expertise"), *settings.get("topics.interests")]
    found = build_digest(st.store, topics=topics, since=parse_span(since))
    return respond(request, "digest.html", DigestOut(since=since, digest=found))


@get_page(router, "/trips", TripOut, summary="Who is in a city you are going to")
def trip(
    request: Request, city: str = Query("", max_length=200), st: WebState = Depends(web_state)
) -> Response:
    """People in ``city``, strongest ties and goal-linked people first."""
    found = trips.trip(st.store, city, limit=30) if city.strip() else []
    return respond(request, "trips.html", TripOut(city=city, matches=[m.as_dict() for m in found]))
