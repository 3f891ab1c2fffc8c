"""``netweave sync mastodon`` against recorded API answers (never the network)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from netweave.config import config_path
from netweave.connectors import mastodon
from netweave.connectors._http import Http
from netweave.errors import Unreachable
from netweave.importers._base import Context
from netweave.store import schema

from .connectors_helpers import (
    Net,
    cli,
    configure,
    edges,
    fixture,
    interactions,
    json_response,
    rows,
)

API = fixture("mastodon")
BASE = "https://hachyderm.io"
ME = "109000000000000001"


class Instance:
    """A Mastodon instance answering from the recorded payloads; ``phase`` 2 has new items."""

    def __init__(self) -> None:
        self.phase = 1
        self.fail_following_page_2 = False
        self.fail_home_page_2 = False
        self.limit_once = False
        self.token_ok = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        q = {k: v[-1] for k, v in parse_qs(request.url.query.decode()).items()}
        if request.headers.get("Authorization") != "Bearer s3cret-token" or not self.token_ok:
            return json_response(API["unauthorized"], 401)
        if path == "/api/v1/accounts/verify_credentials":
            return json_response(API["verify_credentials"])
        if path == f"/api/v1/accounts/{ME}/following":
            if "max_id" not in q:
                if self.limit_once:
                    self.limit_once = False
                    return json_response({"error": "Too many requests"}, 429, {"Retry-After": "12"})
                nxt = f"{BASE}/api/v1/accounts/{ME}/following?limit=80&max_id=77"
                return json_response(API["following_1"], headers={"Link": f'<{nxt}>; rel="next"'})
            if self.fail_following_page_2:
                raise httpx.ConnectError("connection refused", request=request)
            return json_response(API["following_2"])
        if path == f"/api/v1/accounts/{ME}/followers":
            return json_response(API["followers"])
        if path == "/api/v1/timelines/home":
            return self._timeline(q, "home", "110000000000000105", "110000000000000106")
        if path == "/api/v1/notifications":
            assert request.url.query.decode().count("types") == 4
            return self._timeline(q, "notifications", "30", "40")
        return json_response({"error": "Record not found"}, 404)

    def _timeline(self, q: dict[str, str], name: str, newest: str, newer: str) -> httpx.Response:
        url = f"{BASE}/api/v1/{'timelines/home' if name == 'home' else name}?limit=40"
        if name == "notifications":  # the server's links keep the filter asked for
            url += "".join(f"&types[]={t}" for t in ("mention", "favourite", "reblog", "follow"))
        if "min_id" in q:
            if q["min_id"] == newest and self.phase == 2:
                link = f'<{url}&min_id={newer}>; rel="prev"'
                return json_response(API[f"{name}_new"], headers={"Link": link})
            return json_response([])
        if "max_id" in q:
            if name == "home" and self.fail_home_page_2:
                return httpx.Response(502, text="Bad Gateway")
            return json_response(API.get(f"{name}_2", []))
        link = f'<{url}&max_id=1>; rel="next", <{url}&min_id={newest}>; rel="prev"'
        return json_response(API[f"{name}_1"], headers={"Link": link})


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch) -> tuple[Instance, Net]:
    net = Net(monkeypatch)
    server = Instance()
    net.serve(server)
    configure(mastodon__instance="hachyderm.io", mastodon__token="s3cret-token")
    return server, net


def _sync(db: str) -> dict[str, Any]:
    result = cli(db, "sync", "mastodon")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_first_sync_reads_graph_timeline_and_notifications(
    db_url: str, instance: tuple[Instance, Net]
) -> None:
    report = _sync(db_url)
    assert report["streams"] == {"following": 3, "followers": 2, "home": 4, "notifications": 3}
    assert edges(db_url) == [
        ("ada@hachyderm.io", "follows", "bob@mastodon.social"),
        ("ada@hachyderm.io", "follows", "terrill@fosstodon.org"),
        ("ada@hachyderm.io", "follows", "zoe@hachyderm.io"),
        ("bob@mastodon.social", "follows", "ada@hachyderm.io"),
        ("mia@chaos.social", "follows", "ada@hachyderm.io"),
    ]
    assert interactions(db_url, "mastodon") == [
        ("like", "bob@mastodon.social", "received", "ada@hachyderm.io"),
        ("mention", "bob@mastodon.social", "received", "ada@hachyderm.io"),
        ("post", "ada@hachyderm.io", "given", None),
        ("post", "bob@mastodon.social", "neutral", None),
        ("post", "terrill@fosstodon.org", "neutral", None),
        ("reply", "ada@hachyderm.io", "given", "bob@mastodon.social"),
        ("repost", "zoe@hachyderm.io", "neutral", "terrill@fosstodon.org"),
    ]
    owners = rows(db_url, schema.accounts, schema.accounts.c.is_owner)
    assert [o["key"] for o in owners] == ["ada@hachyderm.io"]
    state = {r["key"]: r["value"] for r in rows(db_url, schema.sync_state)}
    assert json.loads(state["home.min_id"]) == "110000000000000105"
    assert json.loads(state["notifications.min_id"]) == "30"
    # the post-import steps ran: people exist and the posts are searchable
    assert report["people"]["people"] >= 5
    assert rows(db_url, schema.people)


def test_second_sync_adds_only_the_new_items_and_a_third_nothing(
    db_url: str, instance: tuple[Instance, Net]
) -> None:
    server, net = instance
    _sync(db_url)
    before = interactions(db_url, "mastodon")
    server.phase = 2
    second = _sync(db_url)
    assert second["streams"]["home"] == 1
    assert second["streams"]["notifications"] == 1
    assert second["added"]["interactions"] == 2
    added = sorted(set(interactions(db_url, "mastodon")) - set(before))
    assert added == [
        ("reply", "terrill@fosstodon.org", "received", "ada@hachyderm.io"),
        ("repost", "terrill@fosstodon.org", "received", "ada@hachyderm.io"),
    ]
    timeline_asks = [r for r in net.requests if r.url.path == "/api/v1/timelines/home"]
    assert "min_id=110000000000000105" in str(timeline_asks[-2].url)
    assert "min_id=110000000000000106" in str(timeline_asks[-1].url)
    third = _sync(db_url)
    assert third["added"] == dict.fromkeys(third["added"], 0)
    assert len(interactions(db_url, "mastodon")) == len(before) + 2


def test_rate_limit_429_waits_for_retry_after(db_url: str, instance: tuple[Instance, Net]) -> None:
    server, net = instance
    server.limit_once = True
    _sync(db_url)
    assert net.sleeps == [12.0]
    assert len(edges(db_url)) == 5


def test_refused_token_is_one_line_and_exit_2(db_url: str, instance: tuple[Instance, Net]) -> None:
    server, _ = instance
    server.token_ok = False
    result = cli(db_url, "sync", "mastodon")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret-token" not in result.stderr + result.stdout


def test_connection_lost_keeps_the_pages_synced_and_the_next_run_completes(
    db_url: str, instance: tuple[Instance, Net]
) -> None:
    server, net = instance
    server.fail_following_page_2 = True
    result = cli(db_url, "sync", "mastodon")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: mastodon: cannot reach hachyderm.io")
    assert net.sleeps == [1.0, 2.0, 4.0]  # backoff, never really slept
    assert edges(db_url) == [
        ("ada@hachyderm.io", "follows", "bob@mastodon.social"),
        ("ada@hachyderm.io", "follows", "zoe@hachyderm.io"),
    ]
    server.fail_following_page_2 = False
    _sync(db_url)
    assert len(edges(db_url)) == 5


def test_an_interrupted_first_read_of_the_timeline_resumes_where_it_stopped(
    db_url: str, instance: tuple[Instance, Net]
) -> None:
    server, net = instance
    server.fail_home_page_2 = True
    result = cli(db_url, "sync", "mastodon")
    assert result.exit_code == 1
    assert "hachyderm.io failed (HTTP 502)" in result.stderr
    newest = [i for i in interactions(db_url, "mastodon") if i[0] == "post"]
    assert len(newest) == 2  # the first page: bob's question and ada's post
    server.fail_home_page_2 = False
    net.requests.clear()
    report = _sync(db_url)
    assert report["streams"]["home"] == 2
    resumed = [str(r.url) for r in net.requests if r.url.path == "/api/v1/timelines/home"]
    assert "max_id=110000000000000104" in resumed[0]
    assert ("reply", "ada@hachyderm.io", "given", "bob@mastodon.social") in interactions(
        db_url, "mastodon"
    )


def test_missing_settings_give_a_hint(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli(db_url, "sync", "mastodon")
    assert result.exit_code == 2
    assert "netweave config set mastodon.instance" in result.stderr


def test_token_is_never_printed(instance: tuple[Instance, Net]) -> None:
    from netweave.cli import app

    from .connectors_helpers import runner

    shown = runner.invoke(app, ["config", "set", "mastodon.token", "an0ther-secret"])
    listed = runner.invoke(app, ["--json", "config", "list"])
    got = runner.invoke(app, ["config", "get", "mastodon.token"])
    for result in (shown, listed, got):
        assert result.exit_code == 0
        assert "an0ther-secret" not in result.output
    assert json.loads(listed.stdout)["mastodon.token"] == "********"
    assert config_path().stat().st_mode & 0o777 == 0o600  # the token is readable by its owner only


def test_rate_limit_headers_delay_the_next_request() -> None:
    answers = iter(
        [
            httpx.Response(
                200,
                json=[],
                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2025-01-01T00:05:00Z"},
            ),
            httpx.Response(200, json=[]),
        ]
    )
    waits: list[float] = []
    clock = 1735689600.0  # 2025-01-01T00:00:00Z
    with Http(
        "mastodon",
        transport=httpx.MockTransport(lambda r: next(answers)),
        sleep=waits.append,
        clock=lambda: clock,
    ) as http:
        http.request("GET", f"{BASE}/api/v1/timelines/home")
        assert waits == []
        http.request("GET", f"{BASE}/api/v1/timelines/home")
    assert waits == [300.0]


def test_server_errors_are_retried_then_unreachable() -> None:
    waits: list[float] = []
    transport = httpx.MockTransport(lambda r: httpx.Response(503))
    with (
        Http("mastodon", transport=transport, sleep=waits.append) as http,
        pytest.raises(Unreachable, match="HTTP 503"),
    ):
        http.request("GET", f"{BASE}/api/v1/timelines/home")
    assert waits == [1.0, 2.0, 4.0]


def test_status_transform_matches_the_archive_for_own_posts() -> None:
    """The owner's status synced live is the same ledger row as the archive's outbox entry."""
    from netweave.importers import mastodon as archive

    ctx = Context(owner_key={"mastodon": "ada@hachyderm.io"})
    status = API["home_1"][1]
    live = mastodon.status_rows(status, ctx, "hachyderm.io")
    activity = {
        "type": "Create",
        "id": status["uri"] + "/activity",
        "published": status["created_at"],
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": status["uri"],
            "url": status["url"],
            "content": status["content"],
            "published": status["created_at"],
            "tag": [{"type": "Hashtag", "name": "#a11y"}],
        },
    }
    exported = archive.outbox(activity, ctx)
    assert set(live.interactions) == set(exported.interactions)


def test_429_without_retry_after_waits_for_the_rate_limit_reset() -> None:
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2025-01-01T00:01:00.000Z"}
    answers = iter([httpx.Response(429, headers=reset), httpx.Response(200, json=[])])
    waits: list[float] = []
    with Http(
        "mastodon",
        transport=httpx.MockTransport(lambda r: next(answers)),
        sleep=waits.append,
        clock=lambda: 1735689600.0,
    ) as http:
        assert http.request("GET", f"{BASE}/api/v1/notifications").status_code == 200
    assert waits == [60.0]
