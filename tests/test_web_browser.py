"""The web UI in a real Chromium (Playwright) against a real uvicorn server on loopback.

Needs Chromium at ``NETWEAVE_CHROMIUM`` (default /usr/bin/chromium): under ``CI=true`` these
tests fail without it, elsewhere they skip and say how to enable them.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netweave.config import Settings
from netweave.demo import settings as demo_settings
from netweave.demo import write_demo_exports
from netweave.identity.resolve import resolve
from netweave.importers import import_paths
from netweave.listening.search import ensure_index
from netweave.relationships.health import recompute
from netweave.store import Store
from netweave.web import create_app

from .conftest import IN_CI, free_port

CHROMIUM = os.environ.get("NETWEAVE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "browser-token-42"


def need_chromium() -> None:
    """Fail in CI, skip elsewhere (saying how to enable) when Chromium or Playwright is missing."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed (pip install -e '.[dev]')"
    if problem is None and not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        problem = f"no Chromium at {CHROMIUM}"
    if problem is None:
        return
    message = (
        f"browser tests need Chromium: {problem}. Install it (Debian: `apt-get install chromium`) "
        "or point NETWEAVE_CHROMIUM at a Chromium binary to run these tests."
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A uvicorn server over a database holding most of the demo exports; the Mastodon
    archive is left for the browser to upload."""
    need_chromium()
    import uvicorn

    exports = write_demo_exports(
        tmp_path / "exports", seed=7, today=datetime.now(UTC).date()
    )  # fresh data, so today's agenda has something to do
    nested: dict[str, dict[str, Any]] = {}
    for key, value in demo_settings().items():
        group, name = key.split(".")
        nested.setdefault(group, {})[name] = value
    settings = Settings.from_mapping(nested)
    store = Store.open(f"sqlite:///{tmp_path / 'web.db'}")
    upload = exports["mastodon"]
    others = [str(p) for k, p in exports.items() if k not in {"mastodon", "config", "readme"}]
    import_paths(store, others, settings=settings)
    resolve(store)
    recompute(store, settings=settings)
    ensure_index(store)
    app = create_app(store, token=TOKEN, settings=lambda: settings)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", upload
    finally:
        web.should_exit = True
        thread.join(timeout=10)
        store.close()


@contextmanager
def _chromium(shots: Path) -> Iterator[tuple[Any, Callable[[Any, str], None]]]:
    """A page in Debian's Chromium, and a function saving full-page screenshots to ``shots``."""
    from playwright.sync_api import sync_playwright

    shots.mkdir()

    def shot(page: Any, name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 900}), shot
        finally:
            browser.close()


def _watch(page: Any, errors: list[str]) -> None:
    """Collect the page's console errors and uncaught exceptions into ``errors``."""
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def test_main_flows_in_a_real_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, upload = server
    errors: list[str] = []
    shots = tmp_path / "screenshots"
    with _chromium(shots) as (page, shot):
        # log in (a wrong token first: its 401 is the one error the console may show)
        page.goto(f"{base}/people")
        expect(page).to_have_url(f"{base}/login?next=%2Fpeople")
        page.fill("#token", "wrong")
        page.click("button[type=submit]")
        expect(page.locator(".error")).to_contain_text("not the token")
        _watch(page, errors)
        page.fill("#token", TOKEN)
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{base}/people")
        expect(page.locator("table.people tbody tr").first).to_be_visible()
        shot(page, "people")

        # upload a demo export
        page.click("nav >> text=Import")
        page.set_input_files("#export", str(upload))
        page.click("form.stack button[type=submit]")
        expect(page.locator("#result-h")).to_contain_text("Imported mastodon-archive.zip")
        shot(page, "import")

        # open a person (search narrows the list through htmx)
        page.goto(f"{base}/people")
        with page.expect_response(lambda r: "/people?" in r.url and r.status == 200):
            page.fill("#q", "a")
        page.locator("table.people tbody tr td.name a").first.click()
        expect(page.locator("#tie-h")).to_be_visible()
        expect(page.locator("#acc-h")).to_be_visible()
        shot(page, "person")

        # accept a proposed link
        page.goto(f"{base}/review")
        before = len(page.request.get(f"{base}/review.json").json()["proposals"])
        assert before > 0, "the demo should leave proposals to review"
        page.locator("article.proposal").first.locator("button", has_text="Accept").click()
        expect(page.locator(".notice")).to_contain_text("Linked")
        after = len(page.request.get(f"{base}/review.json").json()["proposals"])
        assert after == before - 1
        shot(page, "review")

        # create a goal from a template and see its progress
        page.click("nav >> text=Goals")
        page.select_option("#template", "help-others")
        page.click("text=Create goal")
        expect(page.locator("h1")).to_have_text("Help others")
        expect(page.locator("svg.chart")).to_be_visible()
        shot(page, "goal")

        # who talks about a topic
        page.click("nav >> text=Who")
        page.fill("#q", "accessibility")
        page.keyboard.press("Enter")
        expect(page.locator("article.speaker").first).to_be_visible()
        shot(page, "who")

        # mark an agenda item done from the dashboard
        page.click("nav >> text=Today")
        done = page.locator(".agenda-item button", has_text="Done")
        assert done.count() > 0, "today's agenda should have something to do"
        done.first.click()
        expect(page.locator(".agenda-item .badge.ok").first).to_have_text("done")
        shot(page, "dashboard")

        # narrow screens keep working
        page.set_viewport_size({"width": 380, "height": 800})
        page.goto(f"{base}/people?sort=name")
        shot(page, "people-narrow")
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, "the people page scrolls sideways on a phone"
    assert errors == [], errors
    assert len(list(shots.glob("*.png"))) == 8


def test_audit_and_partners_in_a_real_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, _ = server
    errors: list[str] = []
    shots = tmp_path / "screenshots"
    with _chromium(shots) as (page, shot):
        _watch(page, errors)
        page.goto(f"{base}/login?next=%2Faudit")
        page.fill("#token", TOKEN)
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{base}/audit")

        # keep the first connection in the queue: it leaves the queue, the summary counts it
        first = page.locator("article.audit-item").first
        href = first.locator("a.person-name").get_attribute("href")
        assert href
        assert href.startswith("/people/")
        name = first.locator("a.person-name").inner_text()
        first.locator("input[name=reason]").fill("we organised a meetup together")
        first.locator("button", has_text="Keep").click()
        expect(page.locator(".notice")).to_contain_text(f"Kept {name}")
        expect(page.locator(f'article.audit-item a[href="{href}"]')).to_have_count(0)
        expect(page.locator(".audit-summary")).to_contain_text("1 kept")
        shot(page, "audit")

        # add a partner, then move them one stage on with the keyboard-reachable button
        page.click("nav >> text=Partners")
        expect(page.locator("h1")).to_have_text("Strategic partners")
        queue = page.request.get(f"{base}/audit.json").json()["queue"]
        person = queue[0]
        page.fill("#partner-person", person["person_id"])
        page.locator("#partner-person").press("Enter")
        card = page.locator("article.partner", has_text=person["name"])
        expect(card).to_have_count(1)
        stage = page.request.get(f"{base}/partners.json").json()["partners"][0]
        nxt = stage["next_stage"]
        assert nxt, stage
        card.locator("button.next").click()
        expect(page.locator(".notice")).to_contain_text(f"to {nxt}")
        column = page.locator("section.stage", has=page.locator(f"#stage-{nxt}"))
        expect(column.locator("article.partner", has_text=person["name"])).to_have_count(1)
        shot(page, "partners")

        # narrow screens: both pages stack instead of scrolling sideways
        page.set_viewport_size({"width": 380, "height": 800})
        for path in ("audit", "partners"):
            page.goto(f"{base}/{path}")
            shot(page, f"{path}-narrow")
            wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
            assert not wide, f"the {path} page scrolls sideways on a phone"
    assert errors == [], errors
    assert len(list(shots.glob("*.png"))) == 4
