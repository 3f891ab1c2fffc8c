"""The audit queue and the partners board in the web UI and JSON API, on both backends:
every route as HTML and JSON, the actions with their CSRF checks, hostile names shown as text,
and a viewer refused in team mode."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from netweave.store import Store
from netweave.web import create_app

from .test_team_isolation import team_db  # noqa: F401
from .test_web import XSS, csrf_of, web  # noqa: F401
from .test_web_team import TOKEN as TEAM_TOKEN
from .test_web_team import _login

JSON = {"accept": "application/json"}
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _post(client: TestClient, url: str, **form: str) -> Any:
    """A JSON POST with the session's CSRF token in the header htmx sends."""
    headers = {**JSON, "x-csrf-token": csrf_of(client)}
    return client.post(url, data=form, headers=headers, follow_redirects=False)


def _queued(client: TestClient, name: str) -> str:
    """The id of the first person named ``name`` in the audit queue."""
    found = [q for q in client.get("/audit.json").json()["queue"] if q["name"] == name]
    assert found, name
    return str(found[0]["person_id"])


def test_both_pages_answer_html_and_json(web: tuple[TestClient, Store]) -> None:  # noqa: F811
    client, _ = web
    for page, keys in (
        ("/audit", {"queue", "summary", "recent", "lists", "message"}),
        ("/partners", {"stages", "partners", "suggestions", "message"}),
    ):
        answer = client.get(page)
        assert answer.status_code == 200, answer.text[:300]
        assert answer.headers["content-type"].startswith("text/html")
        assert f'href="{page}" aria-current="page"' in answer.text
        assert "Traceback" not in answer.text
        as_json = client.get(f"{page}.json")
        assert as_json.status_code == 200
        assert as_json.json().keys() == keys
        assert client.get(page, headers=JSON).json() == as_json.json()
    audit = client.get("/audit.json").json()
    assert audit["summary"]["decided"]["keep"] == 1  # tests/richdb.py kept one
    assert audit["summary"]["remaining"] == len(audit["queue"]) > 3
    assert audit["recent"][0]["reason"] == "podcast partner"
    assert "Improv friends" in audit["lists"]
    assert client.get("/partners.json").json()["stages"][0] == "admire"
    doc = client.get("/openapi.json").json()
    for model in ("AuditOut", "AuditItemOut", "PartnersOut", "PartnerOut"):
        assert model in doc["components"]["schemas"], model
    for path in ("/audit", "/audit/undo", "/audit/{person_id}/{decision}", "/partners"):
        assert path in doc["paths"], path
    assert "/partners/{person_id}/stage" in doc["paths"]


def test_audit_keep_move_drop_and_undo(web: tuple[TestClient, Store]) -> None:  # noqa: F811
    client, _ = web
    before = client.get("/audit.json").json()["summary"]
    jose, noah, ravi = (_queued(client, n) for n in ("Jürgen Müller", "Noah Chang", "Ravi Patel"))

    kept = _post(client, f"/audit/{jose}/keep", reason="met at a conference")
    assert kept.status_code == 200, kept.text
    assert kept.json()["message"] == "Kept Jürgen Müller: met at a conference"
    assert jose not in {q["person_id"] for q in kept.json()["queue"]}
    assert kept.json()["summary"]["decided"]["keep"] == before["decided"]["keep"] + 1

    moved = _post(client, f"/audit/{noah}/move", to="Podcast guests", kind="interest")
    assert moved.status_code == 200, moved.text
    assert "Podcast guests" in moved.json()["lists"]
    lists = client.get(f"/people/{noah}.json").json()["lists"]
    assert "Podcast guests" in [x["name"] for x in lists]

    # a plain form post (no JavaScript) goes back to the page
    plain = client.post(
        f"/audit/{ravi}/drop", data={"csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == "/audit"
    # htmx gets the page to swap its #audit part from
    page = client.post(
        "/audit/undo", headers={"hx-request": "true", "x-csrf-token": csrf_of(client)}
    )
    assert page.status_code == 200
    assert 'id="audit"' in page.text
    assert "Undid drop of Ravi Patel." in page.text
    assert ravi in {q["person_id"] for q in client.get("/audit.json").json()["queue"]}

    summary = client.get("/audit.json").json()["summary"]
    assert summary["decided"] == {
        "keep": before["decided"]["keep"] + 1,
        "move": before["decided"]["move"] + 1,
        "drop": before["decided"]["drop"],
    }
    assert summary["remaining"] == before["remaining"] - 2
    assert summary["total"] == before["total"]
    html = client.get("/audit").text
    assert "Undo: move Noah Chang" in html
    assert f"{summary['remaining']}</strong> of {summary['total']} left" in html

    # bad decisions are one-line 400s (404 for nobody), and change nothing
    assert _post(client, f"/audit/{ravi}/keep").status_code == 400
    assert "needs a reason" in _post(client, f"/audit/{ravi}/keep").json()["error"]
    assert _post(client, f"/audit/{ravi}/wave").status_code == 400
    assert _post(client, f"/audit/{ravi}/move", to="x", kind="circle").status_code == 400
    assert _post(client, "/audit/nobody-at-all/drop").status_code == 404
    assert client.get("/audit.json").json()["summary"] == summary


def test_partners_add_move_and_remove(web: tuple[TestClient, Store]) -> None:  # noqa: F811
    client, _ = web
    added = _post(client, "/partners", person="terrillific")
    assert added.status_code == 200, added.text
    board = added.json()
    assert board["message"].startswith("Added Terrill Thompson")
    (terrill,) = board["partners"]
    pid = terrill["person_id"]
    assert terrill["stage"] in board["stages"]
    assert terrill["next_step"]
    nxt = terrill["next_stage"]
    assert nxt == board["stages"][board["stages"].index(terrill["stage"]) + 1]

    moved = _post(client, f"/partners/{pid}/stage", stage=nxt).json()
    assert moved["partners"][0]["stage"] == nxt
    assert moved["partners"][0]["manual"] is True
    html = client.get("/partners").text
    column = html.split('id="stage-' + nxt + '"')[1].split("</section>")[0]
    assert f'href="/people/{pid}"' in column
    assert "Terrill Thompson" in column
    assert "set by hand" in column

    auto = _post(client, f"/partners/{pid}/stage", stage="auto").json()["partners"][0]
    assert auto["manual"] is False
    assert auto["stage"] == auto["derived"]
    assert _post(client, f"/partners/{pid}/stage", stage="friends").status_code == 400
    assert _post(client, "/partners/nobody-at-all/stage", stage="give").status_code == 404

    # hostile and very long names stay text on the board and in the queue
    hostile = _queued(client, XSS)
    assert _post(client, "/partners", person=hostile).status_code == 200
    long_name = next(q for q in client.get("/audit.json").json()["queue"] if "🌸" in q["name"])
    assert _post(client, "/partners", person=long_name["person_id"]).status_code == 200
    for page in ("/partners", "/audit"):
        text = client.get(page).text
        assert XSS not in text, page
        assert ESCAPED in text, page
        assert "山田太郎 🌸 Longname" in text, page

    removed = client.post(
        f"/partners/{pid}/remove",
        headers={"hx-request": "true", "x-csrf-token": csrf_of(client)},
    )
    assert removed.status_code == 200
    assert "Removed Terrill Thompson from your partners." in removed.text
    left = client.get("/partners.json").json()["partners"]
    assert pid not in {p["person_id"] for p in left}
    assert len(left) == 2
    plain = client.post(
        "/partners", data={"person": pid, "csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert (plain.status_code, plain.headers["location"]) == (303, "/partners")


def test_posts_without_the_csrf_token_are_refused(
    web: tuple[TestClient, Store],  # noqa: F811
) -> None:
    client, _ = web
    pid = _queued(client, "Noah Chang")
    before = (client.get("/audit.json").json(), client.get("/partners.json").json())
    for url, form in (
        (f"/audit/{pid}/keep", {"reason": "forged"}),
        (f"/audit/{pid}/drop", {}),
        ("/audit/undo", {}),
        ("/partners", {"person": pid}),
        (f"/partners/{pid}/stage", {"stage": "give"}),
        (f"/partners/{pid}/remove", {}),
    ):
        for token in (None, "forged-token"):
            data = form if token is None else {**form, "csrf_token": token}
            answer = client.post(url, data=data, headers=JSON)
            assert answer.status_code == 403, (url, answer.text)
            assert "expired" in answer.json()["error"]
    assert (client.get("/audit.json").json(), client.get("/partners.json").json()) == before


def test_a_viewer_sees_both_pages_but_cannot_change_them(
    team_db: tuple[str, dict[str, str]],  # noqa: F811
) -> None:
    url, ids = team_db
    store = Store.open(url)
    try:
        app = create_app(store, token=TEAM_TOKEN, secret="s3cret")
        with TestClient(app) as client:
            assert _login(client, "bob")  # he only views beta.status_code == 303
            audit = client.get("/audit.json").json()
            board = client.get("/partners.json").json()
            assert client.get("/audit").status_code == 200
            assert client.get("/partners").status_code == 200
            pid = ids["P"]
            for post, form in (
                (f"/audit/{pid}/keep", {"reason": "viewer"}),
                (f"/audit/{pid}/drop", {}),
                ("/audit/undo", {}),
                ("/partners", {"person": pid}),
                (f"/partners/{pid}/stage", {"stage": "give"}),
                (f"/partners/{pid}/remove", {}),
            ):
                answer = _post(client, post, **form)
                assert answer.status_code == 403, (post, answer.text)
                assert "viewer cannot change" in answer.json()["error"]
            assert client.get("/audit.json").json() == audit
            assert client.get("/partners.json").json() == board
    finally:
        store.close()
