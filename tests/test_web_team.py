"""Team mode in the web UI: user name and password login, the workspace switcher, and every
route of the app walked by a member of another workspace and by a viewer, on both backends.

A member of workspace alpha gets for beta's ids exactly what she gets for ids that never
existed (404, or the route's own "no such item" answer), sees none of beta's rows in any list,
and changes nothing: beta's rows are digested before and after (tests/test_team_isolation.py).
A route added to the app without an entry in ``ROUTES`` fails the coverage test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from netweave.store import Store, schema
from netweave.team import invite
from netweave.web import create_app

from .test_team_isolation import PASSWORD, _beta_rows, team_db  # noqa: F401

TOKEN = "test-token-123"
MISSING = "nothing0000000000"

# Routes that only log in and out: public, and they touch no workspace.
SESSION_ROUTES = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}

# Every other route taking a path parameter or a form, with what to send: {P} a person, {G} a
# goal, {I} an agenda item of beta's; {W} beta itself. Form values may use the same names.
ROUTES: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("POST", "/agenda/{item_id}/done"): ("/agenda/{I}/done", {}),
    ("POST", "/agenda/{item_id}/skip"): ("/agenda/{I}/skip", {}),
    ("GET", "/people/{person_id}"): ("/people/{P}", {}),
    ("GET", "/people/{person_id}.json"): ("/people/{P}.json", {}),
    ("POST", "/people/{person_id}/notes"): ("/people/{P}/notes", {"text": "mine now"}),
    ("POST", "/review/{number}/{decision}"): ("/review/1/accept", {}),
    ("POST", "/audit/{person_id}/{decision}"): ("/audit/{P}/keep", {"reason": "mine now"}),
    ("POST", "/audit/undo"): ("/audit/undo", {}),
    ("POST", "/partners"): ("/partners", {"person": "{P}"}),
    ("POST", "/partners/{person_id}/stage"): ("/partners/{P}/stage", {"stage": "give"}),
    ("POST", "/partners/{person_id}/remove"): ("/partners/{P}/remove", {}),
    ("GET", "/goals/{goal_id}"): ("/goals/{G}", {}),
    ("GET", "/goals/{goal_id}.json"): ("/goals/{G}.json", {}),
    ("POST", "/goals"): ("/goals", {"template": "help-others", "days": "90"}),
    ("POST", "/settings"): ("/settings", {"key": "time.daily_minutes", "value": "5"}),
    ("POST", "/import"): ("/import", {}),
    ("POST", "/workspace"): ("/workspace", {"workspace": "{W}"}),
}
# Their ids are numbers or prefixes looked up in the acting workspace; an unknown one is a 400
# (tests/test_web.py), the same for beta's ids as for ids that never existed.
NOT_FOUND_IS_400 = {
    ("POST", "/agenda/{item_id}/done"),
    ("POST", "/agenda/{item_id}/skip"),
    ("POST", "/review/{number}/{decision}"),
}
# POSTs that change nothing in a workspace (switching is checked on its own below).
NOT_WRITES = {("POST", "/workspace")}
# Answers in which none of beta's data may appear.
SECRETS = ("secret recipe", "vips")


def _walk(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route, also inside included routers (however FastAPI nests them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from _walk(route.routes)


def _app_routes(app: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(routes with a path parameter or a form, plain GET routes) of ``app``."""
    with_ids, lists = set(), set()
    for route in _walk(app.routes):
        for method in route.methods:
            key = (method, route.path)
            if route.dependant.path_params or method == "POST":
                with_ids.add(key)
            elif method == "GET":
                lists.add(key)
    return with_ids, lists


def _fill(text: str, ids: dict[str, str]) -> str:
    return text.format(**ids)


def _csrf(client: TestClient, page: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, page
    return found.group(1)


def _login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "next": "/",
            "csrf_token": _csrf(client),
        },
        follow_redirects=False,
    )


def _send(client: TestClient, key: tuple[str, str], ids: dict[str, str]) -> Any:
    """Send route ``key`` naming ``ids``' things, as JSON, with the session's CSRF token."""
    method, _ = key
    url, form = ROUTES[key]
    headers = {"accept": "application/json"}
    if method == "GET":
        return client.get(_fill(url, ids), headers=headers)
    data = {k: _fill(v, ids) for k, v in form.items()}
    data["csrf_token"] = _csrf(client, "/workspaces")
    files = {"export": ("x.zip", b"PK\x05\x06" + bytes(18), "application/zip")}
    return client.post(
        _fill(url, ids),
        data=data,
        files=files if key == ("POST", "/import") else None,
        headers=headers,
        follow_redirects=False,
    )


@pytest.fixture
def team_web(
    team_db: tuple[str, dict[str, str]],  # noqa: F811
) -> Iterator[tuple[Any, str, dict[str, str]]]:
    """The app over team_db's database; beta's ids including one of its agenda items."""
    url, ids = team_db
    store = Store.open(url)
    items = schema.agenda_items
    with store.connect() as conn:
        item = conn.execute(
            sa.select(items.c.item_id).where(items.c.workspace_id == "beta").limit(1)
        ).scalar()
    assert item, "beta has an agenda"
    app = create_app(store, token=TOKEN, secret="s3cret")
    try:
        yield app, url, {**ids, "I": str(item), "W": "beta"}
    finally:
        store.close()


def test_every_route_with_an_id_or_a_form_is_covered() -> None:
    app = create_app(Store.open("sqlite://"), token=TOKEN)
    with_ids, lists = _app_routes(app)
    assert with_ids - SESSION_ROUTES == set(ROUTES)
    assert ("GET", "/people.json") in lists


def test_team_login_replaces_the_token(team_web: tuple[Any, str, dict[str, str]]) -> None:
    app, _, _ = team_web
    with TestClient(app) as client:
        page = client.get("/login")
        assert 'name="username"' in page.text
        assert 'name="token"' not in page.text
        token = client.post(
            "/login", data={"token": TOKEN, "csrf_token": _csrf(client)}, follow_redirects=False
        )
        assert token.status_code == 401
        bearer = client.get("/people.json", headers={"authorization": f"Bearer {TOKEN}"})
        assert bearer.status_code == 401
        wrong = _login(client, "alice", "not the password")
        assert wrong.status_code == 401
        assert "wrong user name or password" in wrong.text.lower()
        nobody = _login(client, "mallory")
        assert nobody.status_code == 401
        assert "wrong user name or password" in nobody.text.lower()
        answer = _login(client, "alice")
        assert answer.status_code == 303, answer.text
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        listing = client.get("/workspaces.json").json()
        assert listing["user"] == "alice"
        assert [w["workspace_id"] for w in listing["workspaces"]] == ["alpha"]
        home = client.get("/")
        assert home.status_code == 200
        assert "alice in" in home.text
        assert '<option value="beta"' not in home.text


def test_logins_are_rate_limited(team_web: tuple[Any, str, dict[str, str]]) -> None:
    app, _, _ = team_web
    with TestClient(app) as client:
        for _ in range(5):
            assert _login(client, "alice", "guess guess").status_code == 401
        blocked = _login(client, "alice")
        assert blocked.status_code == 401
        assert "too many failed logins" in blocked.text.lower()


def test_a_member_cannot_reach_another_workspace_through_any_route(
    team_web: tuple[Any, str, dict[str, str]],
) -> None:
    app, url, ids = team_web
    before = _beta_rows(url)
    missing = dict.fromkeys(ids, MISSING) | {"W": "nosuchspace"}
    with TestClient(app) as client:
        assert _login(client, "alice").status_code == 303
        for key in sorted(ROUTES):
            theirs, nothing = _send(client, key, ids), _send(client, key, missing)
            if key in {("POST", "/goals"), ("POST", "/import"), ("POST", "/audit/undo")}:
                # no id of beta's in them: they act on alpha, and beta stays as it was
                assert theirs.status_code < 500, (key, theirs.text)
            elif key == ("POST", "/settings"):
                assert theirs.status_code == 403, (key, theirs.text)
            else:
                expected = 400 if key in NOT_FOUND_IS_400 else 404
                assert theirs.status_code == expected, (key, theirs.text)
                assert nothing.status_code == expected, (key, nothing.text)
                assert theirs.json().keys() == nothing.json().keys() == {"error"}
            for secret in SECRETS:
                assert secret not in theirs.text, (key, theirs.text)
        _, lists = _app_routes(app)
        for _method, path in sorted(lists):
            answer = client.get(path, headers={"accept": "application/json"})
            assert answer.status_code == 200, (path, answer.text)
            for secret in (*SECRETS, ids["P"], ids["G"]):
                assert secret not in answer.text, (path, secret)
        assert client.get("/people.json").json()["people"] == []
        assert client.get("/goals.json").json()["goals"] != []  # her own, made above
    assert _beta_rows(url) == before


def test_a_viewer_reads_but_every_write_is_a_403(
    team_web: tuple[Any, str, dict[str, str]],
) -> None:
    app, url, ids = team_web
    before = _beta_rows(url)
    with TestClient(app) as client:
        assert _login(client, "bob").status_code == 303
        for key in sorted(ROUTES):
            answer = _send(client, key, ids)
            if key[0] == "GET":
                assert answer.status_code == 200, (key, answer.text)
            elif key in NOT_WRITES:
                assert answer.status_code == 200, (key, answer.text)  # beta is his
            else:
                assert answer.status_code == 403, (key, answer.text)
                assert (
                    "cannot change" in answer.json()["error"]
                    or "administrator" in (answer.json()["error"])
                )
        _, lists = _app_routes(app)
        for _, path in sorted(lists):
            answer = client.get(path, headers={"accept": "application/json"})
            assert answer.status_code == 200, (path, answer.text)
        person = client.get(f"/people/{ids['P']}.json").json()
        assert "secret recipe" in str(person)
        page = client.get("/")
        assert page.status_code == 200
    assert _beta_rows(url) == before


def test_the_switcher_offers_only_memberships(
    team_web: tuple[Any, str, dict[str, str]],
) -> None:
    app, url, ids = team_web
    store: Store = app.state.netweave.store
    invite(store, "beta", "alice", "viewer")
    before = _beta_rows(url)
    with TestClient(app) as client:
        assert _login(client, "alice").status_code == 303
        listing = client.get("/workspaces.json").json()["workspaces"]
        assert [(w["workspace_id"], w["role"]) for w in listing] == [
            ("alpha", "owner"),
            ("beta", "viewer"),
        ]
        assert client.get(f"/people/{ids['P']}.json").status_code == 404
        csrf = _csrf(client, "/workspaces")
        moved = client.post(
            "/workspace", data={"workspace": "beta", "csrf_token": csrf}, follow_redirects=False
        )
        assert moved.status_code == 303
        assert client.get(f"/people/{ids['P']}.json").status_code == 200
        note = client.post(
            f"/people/{ids['P']}/notes",
            data={"text": "mine now", "csrf_token": csrf},
            headers={"accept": "application/json"},
        )
        assert note.status_code == 403
        away = client.post(
            "/workspace",
            data={"workspace": "local", "csrf_token": csrf},
            headers={"accept": "application/json"},
        )
        assert away.status_code == 404
    assert _beta_rows(url) == before


def test_token_session_ends_when_the_first_user_is_added(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests look for users at most once a second; a login looks every time."""
    from netweave import team
    from netweave.web import app as web_app

    store = Store.open(f"sqlite:///{tmp_path / 'solo.db'}")
    app = create_app(store, token=TOKEN, secret="s3cret")
    clock = [1000.0]
    monkeypatch.setattr(web_app.time, "monotonic", lambda: clock[0])
    with TestClient(app) as client:
        bearer = {"authorization": f"Bearer {TOKEN}"}
        assert client.get("/people.json", headers=bearer).status_code == 200
        team.add_user(store, "alice", PASSWORD)
        # within the second: the answer of the last look stands for requests
        assert client.get("/people.json", headers=bearer).status_code == 200
        clock[0] += 1.0
        assert client.get("/people.json", headers=bearer).status_code == 401
    # a login looks every time, whatever the clock says
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    app = create_app(other, token=TOKEN, secret="s3cret")
    with TestClient(app) as client:
        assert client.get("/people.json", headers=bearer).status_code == 200
        team.add_user(other, "alice", PASSWORD)
        token = client.post(
            "/login", data={"token": TOKEN, "csrf_token": _csrf(client)}, follow_redirects=False
        )
        assert token.status_code == 401
