"""``netweave sync feeds``: fetch the blogs you follow, with conditional GET.

The feed list is the blogroll already in the ledger (every blog account with a feed address,
from an imported OPML file), plus any OPML files given, which are imported first through the
ordinary import path. Each feed is fetched with ``If-None-Match`` / ``If-Modified-Since`` from
the ``ETag`` / ``Last-Modified`` its last fetch answered (kept in ``sync_state``), so an
unchanged feed costs one ``304 Not Modified``. A fetched feed goes through the feed importer
(:mod:`netweave.importers.blogs`: same reader, same transform, same rows) and is saved with its
new validators in one transaction.

One broken or unreachable feed does not stop the others: it is reported and skipped.

    >>> from netweave.store import Store
    >>> feed_urls(Store.open("sqlite://"))
    []
"""

from __future__ import annotations

import io
from typing import Any

import httpx
import sqlalchemy as sa

from ..config import Settings
from ..errors import ConnectorError, InputError
from ..importers import blogs, import_paths
from ..importers._base import Rows
from ..store import Store, make_id, schema
from ._http import Http, Sleeper
from ._sync import Progress, SyncReport, ledger_counts, load_state, owner_context, save_page

__all__ = ["feed_urls", "sync"]

CONNECTOR = "feeds"


def feed_urls(store: Store) -> list[str]:
    """Feed addresses of the blogs in the ledger (``extra.feed`` of ``blog`` accounts)."""
    a = schema.accounts
    with store.connect() as conn:
        extras = conn.execute(
            sa.select(a.c.extra).where(
                a.c.workspace_id == store.workspace_id,
                a.c.platform == blogs.PLATFORM,
                a.c.extra.is_not(None),
            )
        ).scalars()
        urls = {
            e["feed"]
            for e in extras
            if isinstance(e, dict)
            and isinstance(e.get("feed"), str)
            and e["feed"].startswith(("http://", "https://"))
        }
    return sorted(urls)


def _rows(content: bytes, url: str, store: Store, settings: Settings) -> tuple[Rows, int]:
    """The feed's rows through the importer's reader and transform; (rows, entries)."""
    ctx = owner_context(store, settings, url)
    rows = Rows()
    n = 0
    for label, record in blogs._feed_reader(io.BytesIO(content), ctx):
        try:
            rows.merge(blogs.feed_entry(record, ctx))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                url, label, f"unexpected entry ({type(exc).__name__}: {exc})"
            ) from None
        n += record.get("entry") is not None
    return rows, n


def sync(
    store: Store,
    settings: Settings,
    *,
    opml: list[str] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleeper | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Fetch every followed blog's feed that changed since the last sync; return what was added.

    ``opml`` files are imported first (their feeds join the list). ``report.streams`` counts
    feeds ``updated``, ``unchanged`` (304) and ``failed``; ``report.notes`` says why each failed.

    >>> sync(Store.open("sqlite://"), Settings()).streams
    {'updated': 0, 'unchanged': 0, 'failed': 0}
    """
    progress = progress or Progress()
    if opml:
        import_paths(store, opml, settings=settings)
    before = ledger_counts(store)
    report = SyncReport(CONNECTOR, streams={"updated": 0, "unchanged": 0, "failed": 0})
    urls = feed_urls(store)
    progress.total(len(urls))
    with Http(CONNECTOR, transport=transport, sleep=sleep, retries=1) as http:
        for url in urls:
            progress.describe(url)
            key = "feed:" + make_id(url)
            prior: dict[str, Any] = load_state(store, CONNECTOR, key) or {}
            headers = {}
            if prior.get("etag"):
                headers["If-None-Match"] = prior["etag"]
            if prior.get("last_modified"):
                headers["If-Modified-Since"] = prior["last_modified"]
            try:
                response = http.request("GET", url, headers=headers, ok=(304,))
                if response.status_code == 304:
                    report.streams["unchanged"] += 1
                    progress.advance()
                    continue
                rows, entries = _rows(response.content, url, store, settings)
            except (ConnectorError, InputError) as exc:
                report.streams["failed"] += 1
                report.notes.append(str(exc) if isinstance(exc, InputError) else exc.reason)
                progress.advance()
                continue
            state = {
                "url": url,
                "etag": response.headers.get("ETag"),
                "last_modified": response.headers.get("Last-Modified"),
                "entries": entries,
            }
            save_page(store, CONNECTOR, rows, {key: state})
            report.pages += 1
            report.streams["updated"] += 1
            progress.advance()
    after = ledger_counts(store)
    report.added = {t: after[t] - before[t] for t in after}
    return report
