"""``netweave sync bluesky`` against recorded XRPC answers (never the network)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from netweave.connectors import bluesky
from netweave.importers import bluesky as repo
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

API = fixture("bluesky")
HOST = "bsky.social"


class Pds:
    """A Bluesky service answering from the recorded payloads."""

    def __init__(self) -> None:
        self.phase = 1
        self.expire_after: int | None = None  # requests before access-1 expires
        self.fail_timeline = False
        self.password_ok = True
        self.calls = 0
        self.valid = {"access-1", "access-2"}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == HOST
        nsid = request.url.path.removeprefix("/xrpc/")
        params = dict(request.url.params)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.createSession":
            body = json.loads(request.content)
            if not self.password_ok or body["password"] != "abcd-efgh-ijkl-mnop":
                return json_response(API["badLogin"], 401)
            assert body["identifier"] == "ada.bsky.social"
            return json_response(API["createSession"])
        if nsid == "com.atproto.server.refreshSession":
            assert token == "refresh-1"
            self.valid.discard("access-1")
            return json_response(API["refreshSession"])
        self.calls += 1
        if self.expire_after is not None and self.calls > self.expire_after:
            self.valid.discard("access-1")
        if token not in self.valid:
            return json_response(API["expired"], 400)
        if nsid == "app.bsky.actor.getProfile":
            return json_response(API["getProfile"])
        if nsid == "app.bsky.graph.getFollows":
            assert params["actor"] == "did:plc:ada"
            return json_response(API["getFollows_2" if params.get("cursor") else "getFollows_1"])
        if nsid == "app.bsky.graph.getFollowers":
            return json_response(API["getFollowers"])
        if nsid == "app.bsky.feed.getTimeline":
            if self.fail_timeline:
                raise httpx.ReadTimeout("timed out", request=request)
            if self.phase == 2 and not params.get("cursor"):
                return json_response(API["getTimeline_new"])
            return json_response(API["getTimeline_2" if params.get("cursor") else "getTimeline_1"])
        return json_response({"error": "MethodNotImplemented"}, 501)


@pytest.fixture
def pds(monkeypatch: pytest.MonkeyPatch) -> tuple[Pds, Net]:
    net = Net(monkeypatch)
    server = Pds()
    net.serve(server)
    configure(bluesky__handle="@ada.bsky.social", bluesky__app_password="abcd-efgh-ijkl-mnop")
    return server, net


def _sync(db: str) -> dict[str, Any]:
    result = cli(db, "sync", "bluesky")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _handles(db: str) -> dict[str, str | None]:
    return {r["key"]: r["handle"] for r in rows(db, schema.accounts)}


FIRST = [
    ("mention", "did:plc:bob", "received", "did:plc:ada"),
    ("post", "did:plc:ada", "given", None),
    ("post", "did:plc:bob", "neutral", None),
    ("post", "did:plc:terrill", "neutral", None),
    ("reply", "did:plc:zoe", "received", "did:plc:ada"),
    ("repost", "did:plc:zoe", "neutral", "did:plc:terrill"),
]


def test_first_sync_reads_follows_followers_and_timeline(db_url: str, pds: tuple[Pds, Net]) -> None:
    report = _sync(db_url)
    assert report["streams"] == {"follows": 3, "followers": 2, "timeline": 4}
    assert edges(db_url) == [
        ("did:plc:ada", "follows", "did:plc:bob"),
        ("did:plc:ada", "follows", "did:plc:terrill"),
        ("did:plc:ada", "follows", "did:plc:zoe"),
        ("did:plc:bob", "follows", "did:plc:ada"),
        ("did:plc:mia", "follows", "did:plc:ada"),
    ]
    assert interactions(db_url, "bluesky") == FIRST
    handles = _handles(db_url)
    assert handles["did:plc:zoe"] == "zoe.example"
    assert handles["did:plc:ada"] == "ada.bsky.social"
    owners = rows(db_url, schema.accounts, schema.accounts.c.is_owner)
    assert [o["key"] for o in owners] == ["did:plc:ada"]
    assert report["people"]["people"] >= 5


def test_second_sync_adds_only_new_posts_then_nothing(db_url: str, pds: tuple[Pds, Net]) -> None:
    server, net = pds
    _sync(db_url)
    server.phase = 2
    second = _sync(db_url)
    assert second["streams"]["timeline"] == 1
    assert second["added"]["interactions"] == 1
    assert sorted(set(interactions(db_url, "bluesky")) - set(FIRST)) == [
        ("reply", "did:plc:terrill", "received", "did:plc:ada")
    ]
    # it stopped at what the first sync had read: no second timeline page asked for
    pages = [r for r in net.requests if r.url.path.endswith("getTimeline")]
    assert [r.url.params.get("cursor") for r in pages] == [None, "1736841600000", None]
    third = _sync(db_url)
    assert third["added"] == dict.fromkeys(third["added"], 0)
    assert third["streams"]["timeline"] == 0


def test_expired_access_token_is_refreshed(db_url: str, pds: tuple[Pds, Net]) -> None:
    server, net = pds
    server.expire_after = 2  # getProfile and the first getFollows page, then it expires
    _sync(db_url)
    asked = [r.url.path.rsplit("/", 1)[-1] for r in net.requests]
    assert asked.count("com.atproto.server.refreshSession") == 1
    last = net.requests[-1]
    assert last.headers["Authorization"] == "Bearer access-2"
    assert len(edges(db_url)) == 5


def test_refused_password_exits_2_without_printing_it(db_url: str, pds: tuple[Pds, Net]) -> None:
    server, _ = pds
    server.password_ok = False
    result = cli(db_url, "sync", "bluesky")
    assert result.exit_code == 2
    assert "Invalid identifier or password" in result.stderr
    assert "abcd-efgh-ijkl-mnop" not in result.stderr + result.stdout
    assert result.stderr.count("\n") == 1


def test_timeout_keeps_follows_and_exits_1(db_url: str, pds: tuple[Pds, Net]) -> None:
    server, net = pds
    server.fail_timeline = True
    result = cli(db_url, "sync", "bluesky")
    assert result.exit_code == 1
    assert "did not answer in time" in result.stderr
    assert net.sleeps == [1.0, 2.0, 4.0]
    assert len(edges(db_url)) == 5  # follows and followers were saved before the timeline
    server.fail_timeline = False
    _sync(db_url)
    assert interactions(db_url, "bluesky") == FIRST


def test_missing_app_password_gives_a_hint(db_url: str) -> None:
    result = cli(db_url, "sync", "bluesky")
    assert result.exit_code == 2
    assert "netweave config set bluesky.app_password" in result.stderr


def test_own_post_synced_is_the_exported_record() -> None:
    """The owner's post read live and the same record in a .car export are one ledger row."""
    item = API["getTimeline_2"]["feed"][1]
    live = bluesky.feed_item_rows(item, Context(), "did:plc:ada")
    post = item["post"]
    record = repo.RepoRecord("did:plc:ada", "app.bsky.feed.post", "3lfkq2a3b4c2x", post["record"])
    assert set(live.interactions) == set(repo.record(record, Context()).interactions)
