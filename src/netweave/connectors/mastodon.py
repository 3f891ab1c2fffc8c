"""``netweave sync mastodon``: follows, followers, the home timeline and notifications, live.

Uses the REST API of the user's instance (``mastodon.instance``) with an access token
(``mastodon.token``; Preferences > Development > New application, scope ``read``):
``/api/v1/accounts/verify_credentials``, ``/api/v1/accounts/:id/following`` and ``/followers``
(every page, ``Link`` header pagination), ``/api/v1/timelines/home`` and ``/api/v1/notifications``.

Statuses are turned into the ActivityStreams activities the archive importer reads and go
through its transform (:func:`netweave.importers.mastodon.outbox`), so a post synced live and
the same post in an archive are one ledger row. Someone else's status is transformed as if they
were the owner, then made theirs: their account loses the owner mark and the interactions
become ``received`` when aimed at the owner, else ``neutral``.

Incremental: the home timeline and notifications keep the newest id seen (``min_id``) in
``sync_state`` and later runs ask only for what is newer, page by page, each page committed with
its cursor. The first run reads the newest ``pages`` pages, keeping where it got to, so an
interrupted first run carries on from there. Follows and followers are read whole every time
(saving is idempotent; an unfollow is not removed).

    >>> status = {"id": "1", "uri": "https://a.social/users/bob/statuses/1",
    ...           "url": "https://a.social/@bob/1", "created_at": "2025-01-02T03:04:05.000Z",
    ...           "account": {"id": "9", "acct": "bob", "url": "https://a.social/@bob"},
    ...           "content": "<p>hi <a href='https://b.social/@ada'>@ada</a></p>",
    ...           "visibility": "public", "mentions": [{"id": "7", "acct": "ada@b.social",
    ...           "url": "https://b.social/@ada"}], "tags": [], "media_attachments": []}
    >>> ctx = Context(owner_key={"mastodon": "ada@b.social"})
    >>> rows = status_rows(status, ctx, "a.social")
    >>> sorted((i["kind"], i["direction"]) for i in rows.interactions.values())
    [('mention', 'received'), ('post', 'neutral')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..config import Settings
from ..errors import ConfigError, ConnectorError
from ..importers import mastodon as archive
from ..importers._base import Context, Rows, account_id, ts_iso
from ..importers._text import html_to_text
from ..store import Store
from ._http import Http, Sleeper, link
from ._sync import Progress, SyncReport, ledger_counts, load_state, owner_context, save_page

__all__ = ["account_key", "notification_rows", "status_rows", "sync"]

CONNECTOR = "mastodon"
PLATFORM = archive.PLATFORM
_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_NOTIFICATION_TYPES = ("mention", "favourite", "reblog", "follow")


def account_key(account: dict[str, Any], instance: str) -> str:
    """The ``user@instance`` key of an API Account (local accounts' ``acct`` has no domain).

    >>> account_key({"acct": "Bob", "url": "https://a.social/@Bob"}, "a.social")
    'bob@a.social'
    >>> account_key({"acct": "zoe@b.social"}, "a.social")
    'zoe@b.social'
    """
    acct = str(account.get("acct") or account.get("username") or "")
    if "@" in acct:
        found = archive.address(acct)
        if found:
            return found
    found = archive.address(None, account.get("url"))
    if found and found.split("@", 1)[0] == acct.lower():
        return found
    if not acct:
        raise ValueError("an account without acct or username")
    return f"{acct}@{instance}".lower()


def _account(rows: Rows, account: dict[str, Any], instance: str, **fields: Any) -> str:
    """An API Account as an account row (name, profile URL, bio)."""
    return rows.account(
        PLATFORM,
        account_key(account, instance),
        handle=account.get("username"),
        display_name=account.get("display_name") or None,
        url=account.get("url"),
        bio=html_to_text(account.get("note")) or None,
        **fields,
    )


def _activity(status: dict[str, Any], instance: str, known: Mapping[str, str]) -> dict[str, Any]:
    """The ActivityStreams ``Create`` of a Note the archive's outbox would hold for ``status``.

    The API names a reply's parent by its id on this instance, not by its URI: the URI comes
    from ``known`` (statuses seen in the same sync) when it is there; otherwise a URL naming
    the parent's author stands in, which is what the archive transform reads the reply's
    target from (the caller then drops it: it is not the parent's real address).
    """
    author = status["account"]
    author_url = str(author.get("url") or "")
    mentions = [m for m in status.get("mentions") or [] if isinstance(m, dict)]
    tags: list[dict[str, Any]] = [
        {"type": "Mention", "name": "@" + account_key(m, instance), "href": m.get("url")}
        for m in mentions
    ]
    tags += [{"type": "Hashtag", "name": "#" + t["name"]} for t in status.get("tags") or []]
    visibility = status.get("visibility") or "public"
    followers = author_url.rstrip("/") + "/followers"
    to, cc = {
        "public": ([_PUBLIC], [followers]),
        "unlisted": ([followers], [_PUBLIC]),
        "private": ([followers], []),
    }.get(visibility, ([m.get("url") for m in mentions if m.get("url")], []))
    parent_id = str(status.get("in_reply_to_id") or "")
    reply_to = known.get(parent_id) if parent_id else None
    if parent_id and reply_to is None:
        parent = str(status.get("in_reply_to_account_id") or "")
        parent_key = (
            account_key(author, instance)
            if parent == str(author.get("id"))
            else next(
                (account_key(m, instance) for m in mentions if str(m.get("id")) == parent), None
            )
        )
        if parent_key:
            user, host = parent_key.split("@", 1)
            reply_to = f"https://{host}/users/{user}/statuses/{parent_id}"
        else:
            reply_to = f"https://{instance}/api/v1/statuses/{parent_id}"
    return {
        "type": "Create",
        "id": status["uri"] + "/activity",
        "published": status["created_at"],
        "to": to,
        "cc": cc,
        "object": {
            "id": status["uri"],
            "url": status.get("url") or status["uri"],
            "published": status["created_at"],
            "content": status.get("content") or "",
            "summary": status.get("spoiler_text") or None,
            "inReplyTo": reply_to,
            "tag": tags,
            "attachment": status.get("media_attachments") or [],
        },
    }


def _as_theirs(rows: Rows, author: str, owner: str | None) -> Rows:
    """Rows an owner-centred transform made for someone else's action, made theirs."""
    row = rows.accounts.get(author)
    if row is not None:
        row.pop("is_owner", None)
    for interaction in rows.interactions.values():
        if interaction["actor_account"] == author:
            aimed = owner is not None and interaction["target_account"] == owner
            interaction["direction"] = "received" if aimed else "neutral"
    return rows


def status_rows(
    status: dict[str, Any], ctx: Context, instance: str, known: Mapping[str, str] | None = None
) -> Rows:
    """One API Status (a post, reply, direct message or boost) as ledger rows, through the
    archive transform; pure. ``known`` maps status ids on this instance to their URIs."""
    known = known or {}
    owner_key = ctx.owner_key.get(PLATFORM)
    author_key = account_key(status["account"], instance)
    mine = author_key == owner_key
    rows = Rows()
    _account(rows, status["account"], instance, is_owner=True if mine else None)
    theirs = Context(file=ctx.file, owner_key={PLATFORM: author_key})
    boosted = status.get("reblog")
    if isinstance(boosted, dict):
        rows.merge(status_rows(boosted, ctx, instance, known))
        announce = {
            "type": "Announce",
            "id": status["uri"],
            "published": status["created_at"],
            "object": boosted["uri"],
        }
        rows.merge(archive.outbox(announce, ctx if mine else theirs))
    else:
        made = archive.outbox(_activity(status, instance, known), ctx if mine else theirs)
        if status.get("in_reply_to_id") and str(status["in_reply_to_id"]) not in known:
            for interaction in made.interactions.values():
                if interaction["in_reply_to"]:  # the stand-in address: no thread known
                    interaction["in_reply_to"] = interaction["thread_id"] = None
        rows.merge(made)
    author = next(a for a, r in rows.accounts.items() if r["key"] == author_key)
    if not mine:
        owner = account_id(PLATFORM, owner_key.lower()) if owner_key else None
        _as_theirs(rows, author, owner)
    return rows


def notification_rows(
    note: dict[str, Any], ctx: Context, instance: str, known: Mapping[str, str] | None = None
) -> Rows:
    """A notification: a mention (its status), a favourite or boost of the owner's post, or a
    new follower; other kinds give no rows. Pure.

    >>> ctx = Context(owner_key={"mastodon": "ada@b.social"})
    >>> rows = notification_rows({"id": "5", "type": "follow",
    ...     "created_at": "2025-01-02T00:00:00Z", "account": {"acct": "bob@a.social"}},
    ...     ctx, "b.social")
    >>> [e["kind"] for e in rows.edges.values()]
    ['follows']
    """
    kind = note.get("type")
    status = note.get("status")
    if kind == "mention" and isinstance(status, dict):
        return status_rows(status, ctx, instance, known)
    owner_key = ctx.owner_key.get(PLATFORM)
    if kind not in _NOTIFICATION_TYPES or owner_key is None:
        return Rows()
    rows = Rows()
    when = ts_iso(note["created_at"])
    who = _account(rows, note["account"], instance, seen=when)
    owner = rows.account(PLATFORM, owner_key, is_owner=True)
    if kind == "follow":
        rows.edge(who, owner, "follows", since=when)
    elif isinstance(status, dict):
        rows.interaction(
            PLATFORM,
            "like" if kind == "favourite" else "repost",
            f"{status['uri']}#{kind}:{rows.accounts[who]['key']}",
            actor=who,
            target=owner,
            occurred_at=when,
            direction="received",
            url=status.get("url") or status["uri"],
            extra={"subject": status["uri"]},
        )
    return rows


# --- the sync ------------------------------------------------------------------------------------


def _settings(settings: Settings) -> tuple[str, str]:
    instance = str(settings.get("mastodon.instance") or "").strip()
    token = str(settings.get("mastodon.token") or "").strip()
    missing = [k for k, v in (("mastodon.instance", instance), ("mastodon.token", token)) if not v]
    if missing:
        raise ConfigError(
            f"netweave sync mastodon needs {' and '.join(missing)}: "
            "netweave config set mastodon.instance hachyderm.io, then "
            "netweave config set mastodon.token TOKEN (Preferences > Development > "
            "New application, scope read)"
        )
    host = urlsplit(instance if "://" in instance else f"https://{instance}").hostname
    if not host:
        raise ConfigError(f"mastodon.instance {instance!r} is not a server name")
    return host, token


def _order(status_id: str) -> tuple[int, str]:
    """Sort key of status ids: numbers on Mastodon, sortable strings elsewhere."""
    return len(status_id), status_id


def _ids_max(items: list[dict[str, Any]]) -> str:
    return max((str(i["id"]) for i in items), key=_order)


def _ids_min(items: list[dict[str, Any]]) -> str:
    return min((str(i["id"]) for i in items), key=_order)


class _Run:
    def __init__(
        self, store: Store, settings: Settings, http: Http, host: str, progress: Progress
    ) -> None:
        self.store, self.http, self.host, self.progress = store, http, host, progress
        self.base = f"https://{host}"
        self.ctx = owner_context(store, settings, host)
        self.report = SyncReport(CONNECTOR)
        self.known: dict[str, str] = {}  # status id on this instance -> its URI

    def pages(self, url: str, rel: str, limit: int | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of a list endpoint, following the ``rel`` Link; stops on an empty page."""
        n = 0
        next_url: str | None = url
        while next_url and (limit is None or n < limit):
            data, response = self.http.get_json(next_url)
            if not isinstance(data, list):
                raise ConnectorError(CONNECTOR, f"{self.host} answered {next_url} with no list")
            if not data:
                return
            n += 1
            yield data
            next_url = link(response, rel)

    def save(self, stream: str, rows: Rows, count: int, state: dict[str, Any]) -> None:
        save_page(self.store, CONNECTOR, rows, state)
        self.report.pages += 1
        self.report.streams[stream] = self.report.streams.get(stream, 0) + count
        self.progress.advance(count)

    def owner(self) -> str:
        me, _ = self.http.get_json(f"{self.base}/api/v1/accounts/verify_credentials")
        rows = Rows()
        aid = _account(rows, me, self.host, is_owner=True)
        key = rows.accounts[aid]["key"]
        self.ctx.owner[PLATFORM], self.ctx.owner_key[PLATFORM] = aid, key
        save_page(self.store, CONNECTOR, rows, {"owner": key})
        return str(me["id"])

    def graph(self, me: str, which: str) -> None:
        self.progress.describe(f"mastodon {which}")
        owner = self.ctx.owner[PLATFORM]
        url = f"{self.base}/api/v1/accounts/{me}/{which}?limit=80"
        for page in self.pages(url, "next", None):
            rows = Rows()
            for account in page:
                other = _account(rows, account, self.host)
                if which == "following":
                    rows.edge(owner, other, "follows")
                else:
                    rows.edge(other, owner, "follows")
            self.save(which, rows, len(page), {})

    def _rows(
        self,
        page: list[dict[str, Any]],
        transform: Callable[[dict[str, Any], Context, str, Mapping[str, str]], Rows],
    ) -> Rows:
        for item in page:
            for status in (item.get("status"), item, item.get("reblog")):
                if isinstance(status, dict) and status.get("uri") and status.get("id"):
                    self.known[str(status["id"])] = status["uri"]
        rows = Rows()
        for item in page:
            rows.merge(transform(item, self.ctx, self.host, self.known))
        return rows

    def timeline(
        self,
        stream: str,
        path: str,
        transform: Callable[[dict[str, Any], Context, str, Mapping[str, str]], Rows],
        first_pages: int,
    ) -> None:
        """The first time, the newest ``first_pages`` pages, newest first (the backfill); then
        whatever is newer than the stored ``min_id``, oldest page first. Every page is saved
        with its cursor: the backfill's (oldest id read, pages left) or ``min_id``, so an
        interrupted sync resumes where it stopped."""
        self.progress.describe(f"mastodon {stream}")
        key, back = f"{stream}.min_id", f"{stream}.backfill"
        url = f"{self.base}{path}{'&' if '?' in path else '?'}limit=40"
        cursor = load_state(self.store, CONNECTOR, key)
        backfill = load_state(self.store, CONNECTOR, back)
        if cursor is None:
            backfill = {"max_id": None, "left": first_pages}
        if backfill and backfill["left"] > 0:
            left = int(backfill["left"])
            start = url if backfill["max_id"] is None else f"{url}&max_id={backfill['max_id']}"
            for page in self.pages(start, "next", left):
                left -= 1
                state: dict[str, Any] = {back: {"max_id": _ids_min(page), "left": left}}
                if cursor is None:
                    state[key] = cursor = _ids_max(page)
                self.save(stream, self._rows(page, transform), len(page), state)
            save_page(self.store, CONNECTOR, Rows(), {back: {"max_id": None, "left": 0}})
        if cursor is None:
            return  # nothing on the timeline yet
        for page in self.pages(f"{url}&min_id={cursor}", "prev", None):
            newest = _ids_max(page)
            if _order(newest) <= _order(cursor):
                return  # a server ignoring min_id: nothing newer
            self.save(stream, self._rows(page, transform), len(page), {key: newest})
            cursor = newest


def sync(
    store: Store,
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleeper | None = None,
    progress: Progress | None = None,
    pages: int = 10,
) -> SyncReport:
    """Sync the owner's Mastodon account into the ledger; return what was added.

    ``pages`` bounds the first read of the home timeline and notifications (40 a page).
    Raises :class:`~netweave.errors.AuthError` for a refused token and
    :class:`~netweave.errors.Unreachable` when the server does not answer; pages saved before
    an error stay saved. Without settings it says what to set:

    >>> sync(Store.open("sqlite://"), Settings())
    Traceback (most recent call last):
    ...
    netweave.errors.ConfigError: netweave sync mastodon needs mastodon.instance and ...
    """
    host, token = _settings(settings)
    progress = progress or Progress()
    before = ledger_counts(store)
    with Http(
        CONNECTOR,
        transport=transport,
        sleep=sleep,
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        run = _Run(store, settings, http, host, progress)
        try:
            me = run.owner()
            run.graph(me, "following")
            run.graph(me, "followers")
            run.timeline("home", "/api/v1/timelines/home", status_rows, pages)
            types = "&".join(f"types[]={t}" for t in _NOTIFICATION_TYPES)
            run.timeline(
                "notifications", f"/api/v1/notifications?{types}", notification_rows, pages
            )
        finally:
            after = ledger_counts(store)
            run.report.added = {t: after[t] - before[t] for t in after}
    return run.report
