"""Settings: every setting and its value, changed one at a time; your know-thyself rules."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import PermissionDenied
from ...planning import rules
from .._render import get_page, respond, wants_json
from ..app import WebState, web_state
from ..models import SettingsOut

router = APIRouter(tags=["settings"])


@get_page(router, "/settings", SettingsOut, summary="Settings and rules")
def settings_page(request: Request, st: WebState = Depends(web_state)) -> Response:
    """Every setting (``netweave config list``) and every rule (``netweave rule list``)."""
    data = SettingsOut(settings=st.settings().as_dict(), rules=rules.list_rules(st.store))
    return respond(request, "settings.html", data)


@router.post("/settings", response_model=SettingsOut, summary="Change a setting")
def change(
    request: Request,
    key: str = Form(..., max_length=100),
    value: str = Form("", max_length=2000),
    st: WebState = Depends(web_state),
) -> Response:
    """Set one setting (lists comma separated), like ``netweave config set``.

    In team mode the settings file is the server's, shared by every workspace: only its
    administrator changes it, from the command line.
    """
    if st.store.user_id is not None:
        raise PermissionDenied("settings belong to the server's administrator: netweave config set")
    settings = st.settings()
    settings.set(key, value)
    settings.save()
    if wants_json(request):
        data = SettingsOut(
            settings=st.settings().as_dict(),
            rules=rules.list_rules(st.store),
            message=f"{key} saved",
        )
        return respond(request, "settings.html", data)
    return RedirectResponse("/settings?saved=" + key, status_code=303)
