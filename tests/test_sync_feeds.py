"""``netweave sync feeds`` against recorded feeds (never the network): conditional GET."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from netweave.store import schema

from .connectors_helpers import Net, cli, rows

BLOGS = Path(__file__).parent / "data" / "blogs"
OPML = str(BLOGS / "blogroll.opml")


class Web:
    """Two blogs serving their feeds with validators; every other feed is gone or down."""

    def __init__(self) -> None:
        self.feeds = {
            "https://terrill.dev/feed/": (
                (BLOGS / "rss.xml").read_bytes(),
                {"ETag": '"rss-v1"', "Content-Type": "application/rss+xml"},
            ),
            "https://www.zoe-lambert.example/atom.xml": (
                (BLOGS / "atom.xml").read_bytes(),
                {"Last-Modified": "Tue, 14 Jan 2025 18:00:00 GMT"},
            ),
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == "https://news.ycombinator.com/rss":
            raise httpx.ConnectError("connection refused", request=request)
        if url not in self.feeds:
            return httpx.Response(404, text="not found")
        body, headers = self.feeds[url]
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if (etag and request.headers.get("If-None-Match") == etag) or (
            modified and request.headers.get("If-Modified-Since") == modified
        ):
            return httpx.Response(304, headers=headers)
        return httpx.Response(200, content=body, headers=headers)


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> tuple[Web, Net]:
    net = Net(monkeypatch)
    server = Web()
    net.serve(server)
    return server, net


def _sync(db: str, *args: str) -> dict[str, Any]:
    result = cli(db, "sync", "feeds", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _posts(db: str) -> int:
    return len(rows(db, schema.interactions, schema.interactions.c.platform == "blog"))


def test_first_sync_fetches_the_blogroll_then_304_adds_nothing(
    db_url: str, web: tuple[Web, Net]
) -> None:
    _, net = web
    first = _sync(db_url, OPML)
    assert first["streams"] == {"updated": 2, "unchanged": 0, "failed": 3}
    assert any("news.ycombinator.com" in note for note in first["notes"])
    posts = _posts(db_url)
    assert posts == first["added"]["interactions"]
    assert posts >= 3
    state = {
        json.loads(r["value"])["url"]: json.loads(r["value"])
        for r in rows(db_url, schema.sync_state, schema.sync_state.c.connector == "feeds")
    }
    assert state["https://terrill.dev/feed/"]["etag"] == '"rss-v1"'
    assert state["https://www.zoe-lambert.example/atom.xml"]["last_modified"].startswith("Tue")

    net.requests.clear()
    second = _sync(db_url)
    assert second["streams"] == {"updated": 0, "unchanged": 2, "failed": 3}
    assert second["added"] == dict.fromkeys(second["added"], 0)
    assert _posts(db_url) == posts
    asked = {str(r.url): r.headers for r in net.requests}
    assert asked["https://terrill.dev/feed/"]["If-None-Match"] == '"rss-v1"'
    assert asked["https://www.zoe-lambert.example/atom.xml"]["If-Modified-Since"].startswith("Tue")


def test_a_changed_feed_is_read_again_without_duplicates(db_url: str, web: tuple[Web, Net]) -> None:
    server, _ = web
    _sync(db_url, OPML)
    posts = _posts(db_url)
    body, _ = server.feeds["https://terrill.dev/feed/"]
    server.feeds["https://terrill.dev/feed/"] = (body, {"ETag": '"rss-v2"'})
    again = _sync(db_url)
    assert again["streams"]["updated"] == 1
    assert _posts(db_url) == posts


def test_no_blogroll_means_nothing_to_fetch(db_url: str, web: tuple[Web, Net]) -> None:
    _, net = web
    report = _sync(db_url)
    assert report["streams"] == {"updated": 0, "unchanged": 0, "failed": 0}
    assert net.requests == []


def test_plain_output_says_what_was_read_and_added(db_url: str, web: tuple[Web, Net]) -> None:
    from netweave.cli import app

    from .connectors_helpers import runner

    result = runner.invoke(app, ["--db", db_url, "sync", "feeds", OPML])
    assert result.exit_code == 0, result.output
    assert "feeds: read 2 updated, 0 unchanged, 3 failed" in result.stdout
    assert "added: " in result.stdout
    assert "news.ycombinator.com" in result.stdout
