"""The web UI and JSON API through FastAPI's TestClient, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from netweave.identity.resolve import resolve
from netweave.relationships.health import recompute
from netweave.store import Store, schema
from netweave.web import create_app

from .conftest import DATA
from .richdb import build, run

TOKEN = "test-token-123"
XSS = "<script>alert(1)</script>"


def csrf_of(client: TestClient, page: str = "/settings") -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, f"no form on {page}"
    return found.group(1)


def login(client: TestClient, token: str = TOKEN) -> None:
    csrf = csrf_of(client, "/login")
    answer = client.post(
        "/login", data={"token": token, "next": "/", "csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text


def _add_people(store: Store) -> None:
    """Three accounts of one likely person (proposals to review) and a hostile name."""
    store.upsert(
        schema.accounts,
        [
            {"account_id": "a1", "platform": "mastodon", "key": "priya@x.social",
             "display_name": "Priya Nair"},
            {"account_id": "a2", "platform": "bluesky", "key": "did:plc:1",
             "display_name": "Priya Nair"},
            {"account_id": "a3", "platform": "linkedin", "key": "priya-n",
             "display_name": "Priya Nair"},
            {"account_id": "x1", "platform": "mastodon", "key": "evil@x.social",
             "display_name": XSS},
            {"account_id": "c1", "platform": "bluesky", "key": "did:plc:cjk",
             "display_name": "山田太郎 🌸 " + "Longname" * 12},
        ],
    )  # fmt: skip
    resolve(store)
    recompute(store)


@pytest.fixture
def web(db_url: str) -> Iterator[tuple[TestClient, Store]]:
    """A logged-in client over a database filled through the CLI (tests/richdb.py)."""
    build(db_url)
    store = Store.open(db_url)
    _add_people(store)
    app = create_app(store, token=TOKEN, secret="s3cret")
    with TestClient(app) as client:
        login(client)
        yield client, store
    store.close()


def _person_id(client: TestClient, name: str) -> str:
    people = client.get("/people.json", params={"q": name}).json()["people"]
    assert people, name
    return str(people[0]["person_id"])


def test_every_page_answers_html_and_json(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    pid = _person_id(client, "terrill")
    goal_id = client.get("/goals.json").json()["goals"][0]["goal_id"]
    pages = [
        "/",
        "/people",
        "/people?sort=name&q=a&limit=2&offset=1",
        "/people?sort=recency&circle=5",
        f"/people/{pid}",
        "/review",
        "/goals",
        f"/goals/{goal_id}",
        "/who?q=podcast",
        "/digest?since=30d",
        "/trips?city=Chicago",
        "/settings",
    ]
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, (page, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html"), page
        assert "<main" in answer.text
        assert "Traceback" not in answer.text
        path, _, query = page.partition("?")
        as_json = client.get(
            f"{path.rstrip('/') or '/index'}.json" + (f"?{query}" if query else "")
        )
        assert as_json.status_code == 200, (page, as_json.text[:300])
        assert isinstance(as_json.json(), dict)
        by_accept = client.get(page, headers={"Accept": "application/json"})
        assert by_accept.json().keys() == as_json.json().keys(), page
    assert client.get("/import").status_code == 200
    person = client.get(f"/people/{pid}.json").json()
    assert person["person"]["display_name"].lower().startswith("terrill")
    assert person["accounts"]
    assert person["tie"]["strength"] > 0
    assert any(n["text"] == "Starting a podcast" for n in person["notes"])
    assert [x["name"] for x in person["lists"]] == ["Improv friends"]
    assert person["timeline"]
    schema_doc = client.get("/openapi.json").json()
    assert "PeopleOut" in schema_doc["components"]["schemas"]
    assert "/people/{person_id}" in schema_doc["paths"]


def test_people_are_paginated_in_order(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    everyone = client.get("/people.json", params={"sort": "name", "limit": 500}).json()
    names = [p["name"].lower() for p in everyone["people"]]
    assert names == sorted(names)
    assert len(names) > 3
    first = client.get("/people.json", params={"sort": "name", "limit": 2}).json()
    second = client.get("/people.json", params={"sort": "name", "limit": 2, "offset": 2}).json()
    assert first["has_next"]
    assert [p["name"] for p in first["people"] + second["people"]] == [
        p["name"] for p in everyone["people"][:4]
    ]
    strengths = [
        p["strength"] for p in client.get("/people.json", params={"limit": 500}).json()["people"]
    ]
    assert strengths == sorted(strengths, reverse=True)
    html = client.get("/people", params={"sort": "name", "limit": 2}).text
    assert 'rel="next"' in html


def test_hostile_and_long_names_render_as_text(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    page = client.get("/people", params={"sort": "name", "limit": 500}).text
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "山田太郎 🌸" in page
    pid = _person_id(client, "<script>")
    person = client.get(f"/people/{pid}").text
    assert XSS not in person
    assert "&lt;script&gt;" in person
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_login_is_required(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        with TestClient(create_app(store, token=TOKEN)) as client:
            answer = client.get("/people", follow_redirects=False)
            assert answer.status_code == 303
            assert answer.headers["location"] == "/login?next=%2Fpeople"
            assert client.get("/people.json").status_code == 401
            assert client.get("/openapi.json").status_code == 401
            assert client.get("/static/style.css").status_code == 200
            csrf = csrf_of(client, "/login")
            wrong = client.post("/login", data={"token": "nope", "csrf_token": csrf})
            assert wrong.status_code == 401
            assert "not the token" in wrong.text
            assert client.get("/people.json").status_code == 401
            bearer = client.get("/people.json", headers={"Authorization": f"Bearer {TOKEN}"})
            assert bearer.status_code == 200
            login(client)
            assert client.get("/people.json").status_code == 200
            away = client.post(
                "/login",
                data={"token": TOKEN, "next": "//evil.example/", "csrf_token": csrf_of(client)},
                follow_redirects=False,
            )
            assert away.headers["location"] == "/"
            client.post("/logout", data={"csrf_token": csrf_of(client)})
            assert client.get("/people.json").status_code == 401
        with TestClient(create_app(store, token=TOKEN)) as other:
            other.cookies.set("netweave_session", "forged.cookie.value")
            assert other.get("/people.json").status_code == 401
        with TestClient(create_app(store, token=TOKEN)) as script:
            # a script sending the token gets no session cookie; a browser's first visit does
            bearer = script.get("/people.json", headers={"Authorization": f"Bearer {TOKEN}"})
            assert bearer.status_code == 200
            assert "set-cookie" not in bearer.headers
            assert "netweave_session" in script.get("/login").headers["set-cookie"]
    finally:
        store.close()


def test_posts_without_the_csrf_token_are_refused(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    pid = _person_id(client, "terrill")
    url = f"/people/{pid}/notes"
    for data in ({"text": "hello"}, {"text": "hello", "csrf_token": "forged"}):
        refused = client.post(url, data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert "expired" in refused.text
    ok = client.post(
        url, data={"text": "likes 🌸 tea", "csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert any(
        n["text"] == "likes 🌸 tea" for n in client.get(f"/people/{pid}.json").json()["notes"]
    )
    header = client.post(
        url, data={"text": "via header"}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert header.status_code == 200


def test_mark_an_agenda_item_done(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    agenda = client.get("/index.json").json()["agenda"]
    planned = [i for i in agenda if i["status"] == "planned"]
    assert planned
    item = planned[0]["item_id"]
    fragment = client.post(
        f"/agenda/{item}/done", data={"csrf_token": csrf_of(client)}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "done" in fragment.text
    after = {i["item_id"]: i["status"] for i in client.get("/index.json").json()["agenda"]}
    assert after[item] == "done"
    again = client.post(f"/agenda/{item[:3]}zz/done", data={"csrf_token": csrf_of(client)})
    assert again.status_code == 400
    assert "no single agenda item" in again.text


def test_review_accepts_and_rejects_through_identity_ops(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    proposals = client.get("/review.json").json()["proposals"]
    assert len(proposals) >= 2
    first = proposals[0]
    pair = f"{first['a']['account_id']}|{first['b']['account_id']}"
    accepted = client.post(
        "/review/1/accept",
        data={"csrf_token": csrf_of(client), "pair": pair},
        headers={"Accept": "application/json"},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["message"].startswith("Linked")
    left = client.get("/review.json").json()["proposals"]
    assert len(left) == len(proposals) - 1
    stale = client.post("/review/1/reject", data={"csrf_token": csrf_of(client), "pair": pair})
    assert stale.status_code == 400
    assert "reload" in stale.text
    rejected = client.post(
        "/review/1/reject", data={"csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert rejected.status_code == 303
    assert client.post("/review/99/accept", data={"csrf_token": csrf_of(client)}).status_code == 400
    assert client.post("/review/1/maybe", data={"csrf_token": csrf_of(client)}).status_code == 400


def test_create_a_goal_from_a_template(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    made = client.post(
        "/goals",
        data={"template": "help-others", "days": "60", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert made.status_code == 303
    page = client.get(made.headers["location"])
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Help others" in page.text
    assert "chart-pace" in client.get("/goals").text
    bad = client.post(
        "/goals", data={"template": "world-domination", "csrf_token": csrf_of(client)}
    )
    assert bad.status_code == 400
    assert "unknown template" in bad.text


def test_bad_input_is_a_message_not_a_crash(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    cases: list[tuple[str, int, str]] = [
        ("/people?limit=0", 422, "limit"),
        ("/people?sort=loudest", 422, "sort"),
        ("/people/nobody-at-all", 404, "no person"),
        ("/goals/zzzzzzzz", 404, ""),
        ("/who?q=x&since=forever", 400, "time span"),
        ("/digest?since=soon", 400, "time span"),
        ("/no/such/page", 404, "no such page"),
    ]
    for url, status, words in cases:
        answer = client.get(url)
        assert answer.status_code == status, (url, answer.text[:200])
        assert words in answer.text
        assert "Traceback" not in answer.text
    as_json = client.get("/people/nobody-at-all.json")
    assert as_json.status_code == 404
    assert "error" in as_json.json()
    setting = client.post(
        "/settings", data={"key": "no.such", "value": "1", "csrf_token": csrf_of(client)}
    )
    assert setting.status_code == 400


def _zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.getvalue()


def _upload(client: TestClient, name: str, body: bytes, **headers: str) -> Any:
    return client.post(
        "/import",
        data={"csrf_token": csrf_of(client)},
        files={"export": (name, body, "application/zip")},
        headers=headers,
    )


def test_import_page_runs_the_import_path(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    try:
        with TestClient(create_app(store, token=TOKEN, max_upload=1 << 20)) as client:
            login(client)
            body = _zip_of(DATA / "mastodon")
            page = _upload(client, "mastodon-archive.zip", body)
            assert page.status_code == 200, page.text[:300]
            assert "Imported mastodon-archive.zip" in page.text
            people = client.get("/people.json", params={"limit": 500}).json()["people"]
            assert people
            again = _upload(client, "mastodon-archive.zip", body, Accept="application/json")
            assert again.status_code == 200
            assert all(n == 0 for n in again.json()["added"].values())
            assert _upload(client, "notes.txt", b"hello").status_code == 400
            fake = _upload(client, "fake.zip", b"not a zip at all")
            assert fake.status_code == 400
            assert "not a zip" in fake.text
            assert _upload(client, "empty.zip", b"").status_code == 400
            huge = _upload(client, "huge.zip", b"PK" + b"0" * (2 << 20))
            assert huge.status_code == 413
            assert "limited" in huge.text
    finally:
        store.close()


def test_serve_is_a_command() -> None:
    code, out = run("serve", "--help")
    assert code == 0
    assert "--token" in out
    assert "127.0.0.1" in out
