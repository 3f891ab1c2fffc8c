"""Mastodon account archive (Preferences > Import and export > Request your archive) and the
CSV exports (Import and export > Data export).

The archive holds ``actor.json`` (the owner, an ActivityPub Person), ``outbox.json`` (an
OrderedCollection of Create/Announce activities, streamed: it can be tens of MB), ``likes.json``
and ``bookmarks.json`` (collections of post URLs). The CSVs, downloaded one by one, hold follows,
lists, blocks, mutes, blocked domains and bookmarks by account address (``user@instance``) or
post URL. Accounts are keyed by that address. Followers are not exported by Mastodon.

Every row of these files is something the owner did, so interactions are ``given``. A CSV
imported without the archive has no owner in it: the owner is then the account already known
from an earlier import, else a ``user@instance`` from the ``owner.handles`` setting, else a
stand-in ``self`` account that a later ``actor.json`` replaces (as for Twitter).

    >>> rows = following({"Account address": "bob@mastodon.social", "Show boosts": "true"},
    ...                  Context(owner_key={"mastodon": "ada@hachyderm.io"}))
    >>> sorted(a["key"] for a in rows.accounts.values())
    ['ada@hachyderm.io', 'bob@mastodon.social']
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import InputError
from ._base import Context, Entry, Record, Rows, canonical, register, ts_iso
from ._readers import csv_records, json_document, json_items, text_of
from ._text import html_to_text

__all__ = [
    "UNKNOWN_TIME",
    "actor",
    "address",
    "blocked",
    "blocked_domains",
    "bookmark",
    "following",
    "like",
    "lists",
    "muted",
    "outbox",
    "status_time",
]

PLATFORM = "mastodon"
_ADDRESS = re.compile(r"^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]{2,}$")
_PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
# likes and bookmarks carry no time; when the post's id does not tell either, this instant
# (Mastodon's first release) stands in, so the row sorts as "long ago" and never as recent
UNKNOWN_TIME = "2016-03-16T00:00:00.000000Z"
_EARLIEST_MS = 1_451_606_400_000  # 2016-01-01: ids below this are not Mastodon snowflakes
_LATEST_MS = 4_102_444_800_000  # 2100-01-01
# where a profile field's plain "@handle" points, by the field's name
_PROFILE_SITES = {
    "twitter": "https://twitter.com/{}",
    "x": "https://x.com/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "bsky": "https://bsky.app/profile/{}",
    "github": "https://github.com/{}",
    "instagram": "https://instagram.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
}
_SOCIAL_HOSTS = {
    "twitter.com",
    "x.com",
    "bsky.app",
    "github.com",
    "instagram.com",
    "linkedin.com",
    "facebook.com",
    "youtube.com",
}


def address(text: str | None, href: str | None = None) -> str | None:
    """``user@instance`` from "@user@instance", "user@instance" or a profile or post URL.

    >>> address("@Bob@Mastodon.Social")
    'bob@mastodon.social'
    >>> address("@bob", "https://fosstodon.org/users/bob")
    'bob@fosstodon.org'
    >>> address(None, "https://mastodon.social/@terrill/109299999999999999")
    'terrill@mastodon.social'
    """
    if text:
        m = _ADDRESS.match(text.strip())
        if m:
            return f"{m.group(1)}@{m.group(2)}".lower()
    if href:
        try:
            parts = urlsplit(href)
        except ValueError:
            return None
        path = [p for p in parts.path.split("/") if p]
        user = None
        if len(path) >= 2 and path[0] == "users":
            user = path[1]
        elif path and path[0].startswith("@") and "@" not in path[0][1:]:
            user = path[0][1:]
        if user and parts.hostname:
            return f"{user}@{parts.hostname}".lower()
    return None


def status_time(url: str | None) -> str | None:
    """When a Mastodon post was made, decoded from the id in its URL (ids are milliseconds
    since the epoch shifted left 16 bits); None for other servers' URLs.

    >>> status_time("https://fosstodon.org/users/zoe/statuses/109298000000000000")
    '2022-11-06T17:18:46.953000Z'
    >>> status_time("https://misskey.io/notes/9abc") is None
    True
    """
    if not url:
        return None
    last = url.rstrip("/").rsplit("/", 1)[-1]
    if not last.isdigit() or len(last) > 20:
        return None
    ms = int(last) >> 16
    if not _EARLIEST_MS <= ms <= _LATEST_MS:
        return None
    return canonical(datetime.fromtimestamp(ms / 1000, UTC))


def _owner(ctx: Context, rows: Rows) -> str:
    """The owner's account: known from this or an earlier import, else config, else a stand-in."""
    key = ctx.owner_key.get(PLATFORM)
    if key is None:
        mine = sorted(h for h in ctx.owner_handles if _ADDRESS.match(h))
        if mine:
            return rows.account(PLATFORM, address(mine[0]) or mine[0], is_owner=True)
        return rows.account(PLATFORM, "self", is_owner=True, display_name="me (Mastodon)")
    return rows.account(PLATFORM, key, is_owner=True)


def _field_links(name: str, value: str) -> list[str]:
    """URLs a profile metadata field gives: its links, a bare domain, or "@handle" on a site."""
    links = re.findall(r'href="([^"]+)"', value)
    if links:
        return links
    text = html_to_text(value).strip()
    if not text or " " in text:
        return []
    site = _PROFILE_SITES.get(name.strip().lower().rstrip(":"))
    if site and text.startswith("@") and "@" not in text[1:]:
        return [site.format(text[1:])]
    if _DOMAIN.match(text.split("/", 1)[0]) and "@" not in text:
        return [text if "://" in text else f"https://{text}"]
    return []


def actor(record: dict[str, Any], ctx: Context) -> Rows:
    """actor.json: the owner's profile, with profile-metadata links as url contacts.

    >>> rows = actor({"type": "Person", "id": "https://hachyderm.io/users/ada",
    ...               "preferredUsername": "ada", "summary": "<p>Hi &amp; welcome</p>",
    ...               "attachment": [{"type": "PropertyValue", "name": "Twitter",
    ...                               "value": "@ada_l"}]}, Context())
    >>> [(a["key"], a["bio"]) for a in rows.accounts.values()]
    [('ada@hachyderm.io', 'Hi & welcome')]
    >>> [c["value"] for c in rows.account_contacts.values()]
    ['https://twitter.com/ada_l']
    """
    if record.get("type") != "Person":
        raise InputError(ctx.file, None, "actor.json is not an ActivityPub Person")
    host = urlsplit(str(record.get("id") or "")).hostname
    key = address(f"{record.get('preferredUsername')}@{host}")
    if key is None:
        raise InputError(ctx.file, None, "actor.json has no usable account address")
    links: list[str] = []
    for field in record.get("attachment") or []:
        if isinstance(field, dict) and field.get("type") == "PropertyValue":
            links += _field_links(str(field.get("name") or ""), str(field.get("value") or ""))
    # the website is the first link that is not another social profile
    websites = [
        u
        for u in links
        if (urlsplit(u).hostname or "").removeprefix("www.").removeprefix("mobile.")
        not in _SOCIAL_HOSTS
    ]
    rows = Rows()
    aid = rows.account(
        PLATFORM,
        key,
        is_owner=True,
        handle=record.get("preferredUsername"),
        display_name=record.get("name"),
        url=record.get("url"),
        bio=html_to_text(record.get("summary")),
        website=websites[0] if websites else None,
        seen=ts_iso(record["published"]) if record.get("published") else None,
    )
    for link in links:
        rows.contact(aid, "url", link)
    return rows


def _reader_actor(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    yield "actor", json_document(stream, ctx.file)


def _reader_items(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """outbox.json, likes.json, bookmarks.json: the items of ``orderedItems``, streamed."""
    return json_items(stream, ctx.file, "orderedItems.item")


def _direct(activity: dict[str, Any], note: dict[str, Any]) -> bool:
    """A direct message: addressed neither to the public nor to the owner's followers."""
    audience = [
        a
        for key in ("to", "cc")
        for source in (activity, note)
        for a in (source.get(key) or [])
        if isinstance(a, str)
    ]
    return bool(audience) and not any(
        a in _PUBLIC or a.rstrip("/").endswith("/followers") for a in audience
    )


def outbox(activity: dict[str, Any], ctx: Context) -> Rows:
    """One outbox activity: a post, reply or direct message (Create of a Note) or a boost
    (Announce). A reply's target is the author of the post replied to, read from its URL, else
    the first account mentioned; a reply to one's own post (a thread) is a post."""
    rows = Rows()
    owner = _owner(ctx, rows)
    owner_key = rows.accounts[owner]["key"]
    kind_of = activity.get("type")
    if kind_of == "Announce":
        when = ts_iso(activity["published"])
        obj = activity.get("object")
        target_url = obj if isinstance(obj, str) else (obj or {}).get("id")
        author = address(None, target_url)
        boosted = rows.account(PLATFORM, author, seen=when) if author else None
        rows.interaction(
            PLATFORM,
            "repost",
            activity["id"],
            actor=owner,
            target=None if boosted == owner else boosted,
            occurred_at=when,
            direction="given",
            url=target_url,
        )
        return rows
    note = activity.get("object")
    if kind_of != "Create" or not isinstance(note, dict):
        return rows  # Follow, Like, Delete... carry nothing for the ledger
    when = ts_iso(note.get("published") or activity["published"])
    mentioned: list[str] = []
    hashtags: list[str] = []
    for tag in note.get("tag") or []:
        if tag.get("type") == "Mention":
            who = address(tag.get("name"), tag.get("href"))
            if who and who != owner_key:
                acc = rows.account(PLATFORM, who, url=tag.get("href"), seen=when)
                if acc not in mentioned:
                    mentioned.append(acc)
        elif tag.get("type") == "Hashtag" and tag.get("name"):
            hashtags.append(tag["name"].lstrip("#"))
    reply_to = note.get("inReplyTo")
    target: str | None = None
    kind = "post"
    if _direct(activity, note):
        kind = "dm"
        target = mentioned[0] if mentioned else None
    elif reply_to:
        author = address(None, reply_to)
        if author == owner_key:
            kind = "post"  # continuing one's own thread
        else:
            kind = "reply"
            if author:
                target = rows.account(PLATFORM, author, seen=when)
            elif mentioned:
                target = mentioned[0]
    text = html_to_text(note.get("content"))
    if note.get("summary"):
        text = f"[{note['summary']}] {text}"
    note_id = note.get("id") or activity["id"]
    url = note.get("url") or note_id
    extra: dict[str, Any] = {}
    if hashtags:
        extra["hashtags"] = hashtags
    if note.get("attachment"):
        extra["media"] = len(note["attachment"])
    rows.interaction(
        PLATFORM,
        kind,
        note_id,
        actor=owner,
        target=target,
        occurred_at=when,
        direction="given",
        text=text,
        url=url,
        thread_id=note.get("conversation") or reply_to or note_id,
        in_reply_to=reply_to,
        extra=extra or None,
    )
    for acc in mentioned:
        if acc != target:
            # other recipients of a direct message got it too; elsewhere they were mentioned
            rows.interaction(
                PLATFORM,
                "dm" if kind == "dm" else "mention",
                f"{note_id}:{acc}",
                actor=owner,
                target=acc,
                occurred_at=when,
                direction="given",
                url=url,
                thread_id=note_id,
            )
    return rows


def _post_url(item: Any) -> str:
    url = item if isinstance(item, str) else (item or {}).get("id")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ValueError(f"{url!r} is not a post URL")
    return url


def like(item: Any, ctx: Context) -> Rows:
    """likes.json: one liked post URL. The archive gives no time: the liked post's own
    creation time (decoded from its id, :func:`status_time`) stands in as the earliest the
    like can have happened, else :data:`UNKNOWN_TIME`; ``extra.time`` says which."""
    rows = Rows()
    owner = _owner(ctx, rows)
    url = _post_url(item)
    author = address(None, url)
    target = rows.account(PLATFORM, author) if author else None
    when = status_time(url)
    rows.interaction(
        PLATFORM,
        "like",
        url,
        actor=owner,
        target=None if target == owner else target,
        occurred_at=when or UNKNOWN_TIME,
        direction="given",
        url=url,
        extra={"time": "liked post's creation" if when else "unknown"},
    )
    return rows


def bookmark(item: Any, ctx: Context) -> Rows:
    """bookmarks.json / bookmarks.csv: a saved post. Saving reaches nobody, so it is not an
    interaction: the post's author goes on the list "Mastodon bookmarks"."""
    if isinstance(item, list):  # a bookmarks.csv row
        item = item[0].strip()
    rows = Rows()
    _owner(ctx, rows)
    url = _post_url(item)
    author = address(None, url)
    if author is None:
        return rows
    list_id = rows.list_(
        PLATFORM,
        "bookmarks",
        "Mastodon bookmarks",
        "list",
        description="authors of posts you bookmarked on Mastodon",
    )
    when = status_time(url)
    rows.member(list_id, rows.account(PLATFORM, author, seen=when), added_at=when)
    return rows


def _csv(required: tuple[str, ...]) -> Any:
    def reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
        return csv_records(stream, ctx.file, required)

    return reader


def _plain_csv(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """Header-less CSV (lists.csv, blocked_accounts.csv, ...): rows as lists."""
    reader = csv.reader(text_of(stream, ctx.file))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield f"row {reader.line_num}", row
    except csv.Error as exc:
        raise InputError(ctx.file, f"row {reader.line_num}", f"malformed CSV ({exc})") from None


def _need(value: str | None) -> str:
    who = address(value)
    if who is None:
        raise ValueError(f"{value!r} is not an account address like user@instance")
    return who


def following(record: dict[str, str], ctx: Context) -> Rows:
    """following_accounts.csv: accounts the owner follows."""
    rows = Rows()
    owner = _owner(ctx, rows)
    rows.edge(owner, rows.account(PLATFORM, _need(record.get("Account address"))), "follows")
    return rows


def muted(record: dict[str, str], ctx: Context) -> Rows:
    """muted_accounts.csv."""
    rows = Rows()
    owner = _owner(ctx, rows)
    rows.edge(owner, rows.account(PLATFORM, _need(record.get("Account address"))), "muted")
    return rows


def blocked(record: list[str], ctx: Context) -> Rows:
    """blocked_accounts.csv: one address per line, no header."""
    rows = Rows()
    owner = _owner(ctx, rows)
    if record[0].strip().lower() == "account address":
        return rows
    rows.edge(owner, rows.account(PLATFORM, _need(record[0])), "blocked")
    return rows


def lists(record: list[str], ctx: Context) -> Rows:
    """lists.csv: "list name,account address" per line, no header."""
    rows = Rows()
    if len(record) < 2:
        raise ValueError("a lists.csv row needs a list name and an account address")
    list_id = rows.list_(PLATFORM, record[0].strip().lower(), record[0].strip(), "list")
    rows.member(list_id, rows.account(PLATFORM, _need(record[1])))
    return rows


def _reader_domains(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """blocked_domains.csv, one domain a line, as one record: the list is one fact about the
    owner (and short: a domain blocklist of 10,000 lines is a few hundred KB)."""
    domains: list[str] = []
    for label, row in _plain_csv(stream, ctx):
        domain = row[0].strip().lower()
        if not _DOMAIN.match(domain):
            raise InputError(ctx.file, label, f"{row[0]!r} is not a domain name")
        if domain not in domains:
            domains.append(domain)
    yield "blocked domains", domains


def blocked_domains(domains: list[str], ctx: Context) -> Rows:
    """blocked_domains.csv: whole servers the owner blocked, kept on the owner's account
    (``extra.blocked_domains``): there is no account to draw an edge to.

    >>> rows = blocked_domains(["spam.example"], Context(owner_key={"mastodon": "ada@a.social"}))
    >>> [a["extra"] for a in rows.accounts.values()]
    [{'blocked_domains': ['spam.example']}]
    """
    rows = Rows()
    owner = _owner(ctx, rows)
    rows.account(PLATFORM, rows.accounts[owner]["key"], extra={"blocked_domains": domains})
    return rows


def _json_sniff(*needles: bytes, any_of: tuple[bytes, ...] = ()) -> Any:
    def sniff(head: bytes) -> bool:
        compact = head.replace(b" ", b"").replace(b"\n", b"").replace(b"\r", b"")
        return all(n in compact for n in needles) and (
            not any_of or any(n in compact for n in any_of)
        )

    return sniff


def _csv_header(header: bytes) -> Any:
    return lambda head: head.lstrip(b"\xef\xbb\xbf").startswith(header)


for _entry in (
    Entry(
        "mastodon.actor",
        PLATFORM,
        ("actor.json",),
        _reader_actor,
        actor,
        sniff=_json_sniff(b'"type":"Person"', b'"preferredUsername"'),
        priority=0,
        description="Mastodon archive actor.json",
    ),
    Entry(
        "mastodon.outbox",
        PLATFORM,
        ("outbox.json",),
        _reader_items,
        outbox,
        # an outbox may open with many boosts, or hold nothing at all
        sniff=_json_sniff(
            b'"OrderedCollection"',
            b'"orderedItems"',
            any_of=(b'"Create"', b'"Announce"', b'"orderedItems":[]'),
        ),
        priority=20,
        description="Mastodon archive outbox.json",
    ),
    Entry(
        "mastodon.likes",
        PLATFORM,
        ("likes.json",),
        _reader_items,
        like,
        priority=30,
        description="Mastodon archive likes.json",
    ),
    Entry(
        "mastodon.bookmarks",
        PLATFORM,
        ("bookmarks.json",),
        _reader_items,
        bookmark,
        priority=30,
        description="Mastodon archive bookmarks.json",
    ),
    Entry(
        "mastodon.following",
        PLATFORM,
        ("following_accounts.csv",),
        _csv(("Account address", "Show boosts")),
        following,
        sniff=_csv_header(b"Account address,Show boosts"),
        priority=10,
        description="Mastodon following_accounts.csv",
    ),
    Entry(
        "mastodon.muted",
        PLATFORM,
        ("muted_accounts.csv",),
        _csv(("Account address", "Hide notifications")),
        muted,
        sniff=_csv_header(b"Account address,Hide notifications"),
        priority=10,
        description="Mastodon muted_accounts.csv",
    ),
    Entry(
        "mastodon.blocked",
        PLATFORM,
        ("blocked_accounts.csv",),
        _plain_csv,
        blocked,
        priority=10,
        description="Mastodon blocked_accounts.csv",
    ),
    Entry(
        "mastodon.blocked_domains",
        PLATFORM,
        ("blocked_domains.csv",),
        _reader_domains,
        blocked_domains,
        priority=10,
        description="Mastodon blocked_domains.csv",
    ),
    Entry(
        "mastodon.lists",
        PLATFORM,
        ("lists.csv",),
        _plain_csv,
        lists,
        priority=10,
        description="Mastodon lists.csv",
    ),
    Entry(
        "mastodon.bookmarks_csv",
        PLATFORM,
        ("bookmarks.csv",),
        _plain_csv,
        bookmark,
        priority=30,
        description="Mastodon bookmarks.csv",
    ),
):
    register(_entry)
