"""``netweave sync bluesky``: follows, followers and the home timeline, live, over XRPC.

Logs in with ``bluesky.handle`` and an app password (``bluesky.app_password``; Settings >
Privacy and security > App passwords) at ``bluesky.service`` (``com.atproto.server
.createSession``), then reads ``app.bsky.graph.getFollows``, ``app.bsky.graph.getFollowers``
and ``app.bsky.feed.getTimeline``, following each ``cursor``. An expired access token
(``ExpiredToken``) is renewed once with the refresh token (``com.atproto.server.refreshSession``).
Tokens live in memory for the run only.

Posts and reposts go through the repository importer's transforms
(:func:`netweave.importers.bluesky.record`), so a post synced live and the same post in a
``.car`` export are one ledger row. Someone else's record is transformed as if it were in their
repository, then made theirs (see :mod:`netweave.connectors.mastodon`).

Incremental: the time of the newest timeline item is kept in ``sync_state``; a later run pages
back only until it reaches it. The first run reads the newest ``pages`` pages.

    >>> item = {"post": {"uri": "at://did:plc:bob/app.bsky.feed.post/3lba6x6lsu222",
    ...     "author": {"did": "did:plc:bob", "handle": "bob.bsky.social"},
    ...     "record": {"text": "hello", "createdAt": "2024-11-18T15:04:05.000Z"},
    ...     "indexedAt": "2024-11-18T15:04:06.000Z"}}
    >>> rows = feed_item_rows(item, Context(owner={"bluesky": "x"}), "did:plc:ada")
    >>> [(i["kind"], i["direction"]) for i in rows.interactions.values()]
    [('post', 'neutral')]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from ..config import Settings
from ..errors import AuthError, ConfigError, ConnectorError
from ..importers import bluesky as repo
from ..importers._base import Context, Rows, account_id, ts_iso
from ..store import Store, make_id
from ._http import Http, Sleeper
from ._sync import Progress, SyncReport, ledger_counts, load_state, owner_context, save_page

__all__ = ["feed_item_rows", "sync"]

CONNECTOR = "bluesky"
PLATFORM = repo.PLATFORM
MAX_PAGES = 200  # an incremental read stops here even if the last sync is older (10,000 posts)


def _profile(rows: Rows, profile: dict[str, Any], **fields: Any) -> str:
    """A profile view (``app.bsky.actor.defs#profileView``) as an account row, keyed by DID."""
    did = str(profile["did"])
    return rows.account(
        PLATFORM,
        did,
        handle=profile.get("handle"),
        display_name=profile.get("displayName") or None,
        bio=profile.get("description") or None,
        url=f"https://bsky.app/profile/{did}",
        **fields,
    )


def _theirs(record: repo.RepoRecord, owner_did: str, ctx: Context) -> Rows:
    """The importer's rows for a record of ``record.did``'s repository, made theirs when that is
    not the owner: no owner mark, ``received`` when aimed at the owner, else ``neutral``."""
    if record.did == owner_did:
        return repo.record(record, ctx)
    rows = repo.record(record, Context(file=ctx.file))
    author = account_id(PLATFORM, record.did.lower())
    owner = account_id(PLATFORM, owner_did.lower())
    row = rows.accounts.get(author)
    if row is not None:
        row.pop("is_owner", None)
    for interaction in rows.interactions.values():
        if interaction["actor_account"] == author:
            aimed = interaction["target_account"] == owner
            interaction["direction"] = "received" if aimed else "neutral"
    return rows


def _rkey(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def feed_item_rows(item: dict[str, Any], ctx: Context, owner_did: str) -> Rows:
    """One timeline item (``app.bsky.feed.defs#feedViewPost``): the post, and the repost that
    brought it when there is one. Pure."""
    post = item["post"]
    author = post["author"]
    rows = Rows()
    _profile(rows, author, is_owner=True if author["did"] == owner_did else None)
    record = repo.RepoRecord(
        str(author["did"]), "app.bsky.feed.post", _rkey(post["uri"]), post["record"]
    )
    rows.merge(_theirs(record, owner_did, ctx))
    reason = item.get("reason") or {}
    if reason.get("$type", "").endswith("reasonRepost") and isinstance(reason.get("by"), dict):
        by = reason["by"]
        _profile(rows, by, is_owner=True if by["did"] == owner_did else None)
        # the repost record's own key when the server gives it (as in a .car export)
        rkey = _rkey(reason["uri"]) if reason.get("uri") else "x" + make_id(post["uri"], by["did"])
        repost = repo.RepoRecord(
            str(by["did"]),
            "app.bsky.feed.repost",
            rkey,
            {
                "subject": {"uri": post["uri"], "cid": post.get("cid")},
                "createdAt": reason.get("indexedAt"),
            },
        )
        rows.merge(_theirs(repost, owner_did, ctx))
    return rows


def _item_time(item: dict[str, Any]) -> str:
    reason = item.get("reason") or {}
    return ts_iso(str(reason.get("indexedAt") or item["post"].get("indexedAt")))


class _Session:
    """An XRPC session: logs in, sends the access token, renews it once when it expires."""

    def __init__(self, http: Http, service: str, handle: str, password: str) -> None:
        self.http, self.service = http, service.rstrip("/")
        data, _ = self._call(
            "POST",
            "com.atproto.server.createSession",
            None,
            json={"identifier": handle, "password": password},
        )
        self.did = str(data["did"])
        self.handle = str(data.get("handle") or handle)
        self.access, self.refresh = str(data["accessJwt"]), str(data["refreshJwt"])

    def _call(
        self, method: str, nsid: str, token: str | None, **kwargs: Any
    ) -> tuple[Any, httpx.Response]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.request(
            method, f"{self.service}/xrpc/{nsid}", headers=headers, auth_ok=(400, 401), **kwargs
        )
        data = self.http.json(response) if response.content else {}
        if response.status_code in (400, 401):
            error = data.get("error") if isinstance(data, dict) else None
            message = data.get("message") if isinstance(data, dict) else None
            if error in ("ExpiredToken", "InvalidToken") and token is not None:
                raise _Expired()
            if response.status_code == 401 or error in (
                "AuthFactorTokenRequired",
                "AccountTakedown",
            ):
                raise AuthError(
                    CONNECTOR,
                    f"{httpx.URL(self.service).host} refused the login: "
                    f"{message or error or 'HTTP 401'} "
                    "(check bluesky.handle and bluesky.app_password)",
                )
            raise ConnectorError(CONNECTOR, f"{nsid}: {message or error or 'HTTP 400'}")
        return data, response

    def get(self, nsid: str, **params: Any) -> Any:
        """GET an XRPC query, renewing the session once if the access token expired."""
        try:
            return self._call("GET", nsid, self.access, params=params)[0]
        except _Expired:
            try:
                data, _ = self._call("POST", "com.atproto.server.refreshSession", self.refresh)
            except _Expired:
                raise AuthError(
                    CONNECTOR, "the session expired and could not be renewed; run the sync again"
                ) from None
            self.access, self.refresh = str(data["accessJwt"]), str(data["refreshJwt"])
            return self._call("GET", nsid, self.access, params=params)[0]

    def pages(
        self, nsid: str, field: str, max_pages: int | None, **params: Any
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of a cursor-paginated query: the list under ``field``, page by page."""
        cursor: str | None = None
        n = 0
        while max_pages is None or n < max_pages:
            data = self.get(nsid, **params, **({"cursor": cursor} if cursor else {}))
            items = data.get(field) if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ConnectorError(CONNECTOR, f"{nsid} answered without {field!r}")
            if not items:
                return
            n += 1
            yield items
            cursor = data.get("cursor")
            if not cursor:
                return


class _Expired(Exception):
    """The access (or refresh) token has expired."""


class _Run:
    """One sync: the session, the owner's context, and each page saved as it arrives."""

    def __init__(
        self, store: Store, report: SyncReport, progress: Progress, session: _Session
    ) -> None:
        self.store, self.report, self.progress, self.session = store, report, progress, session
        self.ctx = Context()
        self.owner_id = ""

    def save(self, stream: str, rows: Rows, count: int, state: dict[str, Any]) -> None:
        save_page(self.store, CONNECTOR, rows, state)
        self.report.pages += 1
        self.report.streams[stream] = self.report.streams.get(stream, 0) + count
        self.progress.advance(count)

    def owner(self, settings: Settings) -> None:
        did = self.session.did
        self.ctx = owner_context(self.store, settings, self.session.service)
        me = self.session.get("app.bsky.actor.getProfile", actor=did)
        if not isinstance(me, dict) or me.get("did") != did:
            me = {"did": did, "handle": self.session.handle}
        rows = Rows()
        self.owner_id = _profile(rows, me, is_owner=True)
        self.ctx.owner[PLATFORM], self.ctx.owner_key[PLATFORM] = self.owner_id, did
        save_page(self.store, CONNECTOR, rows, {"owner": did})

    def graph(self, nsid: str, field: str) -> None:
        """Every page of the owner's follows or followers, as ``follows`` edges."""
        self.progress.describe(f"bluesky {field}")
        for page in self.session.pages(nsid, field, None, actor=self.session.did, limit=100):
            rows = Rows()
            for profile in page:
                other = _profile(rows, profile)
                if field == "follows":
                    rows.edge(self.owner_id, other, "follows")
                else:
                    rows.edge(other, self.owner_id, "follows")
            self.save(field, rows, len(page), {})

    def timeline(self, first_pages: int) -> None:
        """Back from the newest item until the newest one the last sync read (the first time,
        ``first_pages`` pages); the marker moves only once everything newer is saved, so an
        interrupted sync reads the same stretch again next time and misses nothing."""
        self.progress.describe("bluesky timeline")
        seen = load_state(self.store, CONNECTOR, "timeline.newest")
        newest = ""
        limit = MAX_PAGES if seen else first_pages
        for page in self.session.pages("app.bsky.feed.getTimeline", "feed", limit, limit=50):
            times = [_item_time(item) for item in page]
            newest = max(newest, *times)
            fresh = [
                item for item, when in zip(page, times, strict=True) if not seen or when > seen
            ]
            rows = Rows()
            for item in fresh:
                rows.merge(feed_item_rows(item, self.ctx, self.session.did))
            self.save("timeline", rows, len(fresh), {})
            if seen and len(fresh) < len(page):
                break  # reached what the last sync read
        if newest and (not seen or newest > seen):
            save_page(self.store, CONNECTOR, Rows(), {"timeline.newest": newest})


def _settings(settings: Settings) -> tuple[str, str, str]:
    handle = str(settings.get("bluesky.handle") or "").strip().lstrip("@")
    password = str(settings.get("bluesky.app_password") or "").strip()
    service = str(settings.get("bluesky.service") or "").strip() or "https://bsky.social"
    missing = [
        k for k, v in (("bluesky.handle", handle), ("bluesky.app_password", password)) if not v
    ]
    if missing:
        raise ConfigError(
            f"netweave sync bluesky needs {' and '.join(missing)}: "
            "netweave config set bluesky.handle you.bsky.social, then "
            "netweave config set bluesky.app_password xxxx-xxxx-xxxx-xxxx (Settings > Privacy "
            "and security > App passwords)"
        )
    if "://" not in service:
        service = f"https://{service}"
    return handle, password, service


def sync(
    store: Store,
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleeper | None = None,
    progress: Progress | None = None,
    pages: int = 10,
) -> SyncReport:
    """Sync the owner's Bluesky account into the ledger; return what was added.

    ``pages`` bounds the first read of the timeline (50 a page). Raises
    :class:`~netweave.errors.AuthError` for a refused login and
    :class:`~netweave.errors.Unreachable` when the server does not answer; pages saved before an
    error stay saved. Without settings it says what to set:

    >>> sync(Store.open("sqlite://"), Settings())
    Traceback (most recent call last):
    ...
    netweave.errors.ConfigError: netweave sync bluesky needs bluesky.handle and ...
    """
    handle, password, service = _settings(settings)
    progress = progress or Progress()
    before = ledger_counts(store)
    report = SyncReport(CONNECTOR)
    with Http(CONNECTOR, transport=transport, sleep=sleep) as http:
        try:
            run = _Run(store, report, progress, _Session(http, service, handle, password))
            run.owner(settings)
            run.graph("app.bsky.graph.getFollows", "follows")
            run.graph("app.bsky.graph.getFollowers", "followers")
            run.timeline(pages)
        finally:
            after = ledger_counts(store)
            report.added = {t: after[t] - before[t] for t in after}
    return report
