"""The Mastodon archive zip (Preferences > Import and export > Request your archive): compact
ActivityStreams JSON (``actor.json``, ``outbox.json``, ``likes.json``, ``bookmarks.json``), with
the CSV exports of the same page (follows, lists, blocks, mutes) added to the same zip.

Post bodies are HTML the way Mastodon renders them: mentions as ``h-card`` spans, hashtags as
tag links, long links shortened with ``invisible`` spans.

    >>> to_html("Hi @ada@hachyderm.io, see #python", [])
    '<p>Hi <span class="h-card" translate="no"><a href="https://hachyderm.io/@ada" class="u-url mention">@<span>ada</span></a></span>, see <a href="https://hachyderm.io/tags/python" class="mention hashtag" rel="tag">#<span>python</span></a></p>'
"""  # noqa: E501

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ._files import write_zip
from ._world import OWNER, Event, Person, World, rng

__all__ = ["status_id", "to_html", "write"]

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_USER, _HOST = OWNER.mastodon.split("@")
ME = f"https://{_HOST}/users/{_USER}"
_ADDRESS = re.compile(r"@([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[a-z]{2,})")
_TAG = re.compile(r"#(\w+)")
_LINK = re.compile(r"https?://[^\s<]+")


def status_id(when: datetime, low: int) -> str:
    """Mastodon ids: milliseconds since the epoch, shifted 16 bits, plus a sequence."""
    return str((int(when.timestamp() * 1000) << 16) | (low & 0xFFFF))


def _link(url: str) -> str:
    scheme, rest = url.split("://", 1)
    shown, hidden = rest[:30], rest[30:]
    return (
        f'<a href="{url}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
        f'<span class="invisible">{scheme}://</span><span class="{"ellipsis" if hidden else ""}">'
        f'{shown}</span><span class="invisible">{hidden}</span></a>'
    )


def to_html(text: str, tags: list[dict[str, str]]) -> str:
    """Mastodon's rendering of a post; mentions and hashtags are appended to ``tags``."""
    out = html.escape(text, quote=False)

    def mention(m: re.Match[str]) -> str:
        user, host = m.group(1), m.group(2)
        tags.append({"type": "Mention", "href": f"https://{host}/users/{user}",
                     "name": f"@{user}@{host}"})  # fmt: skip
        return (
            f'<span class="h-card" translate="no"><a href="https://{host}/@{user}" '
            f'class="u-url mention">@<span>{user}</span></a></span>'
        )

    def hashtag(m: re.Match[str]) -> str:
        tag = m.group(1)
        href = f"https://{_HOST}/tags/{tag.lower()}"
        tags.append({"type": "Hashtag", "href": href, "name": f"#{tag.lower()}"})
        return f'<a href="{href}" class="mention hashtag" rel="tag">#<span>{tag}</span></a>'

    pieces = re.split(r"(https?://[^\s<]+)", out)
    rendered = []
    for piece in pieces:
        if _LINK.fullmatch(piece):
            rendered.append(_link(piece))
        else:
            rendered.append(_TAG.sub(hashtag, _ADDRESS.sub(mention, piece)))
    return "<p>" + "".join(rendered) + "</p>"


def _text(e: Event, p: Person | None) -> str:
    text = e.text
    if p and p.mastodon:
        text = text.replace(f"@{p.handle}", f"@{p.mastodon.address}")
        if e.kind in {"reply", "dm"} and f"@{p.mastodon.address}" not in text:
            text = f"@{p.mastodon.address} {text}"
    return text


def _create(e: Event, r: random.Random) -> dict[str, Any]:
    p = e.person
    sid = status_id(e.when, r.getrandbits(16))
    uri = f"{ME}/statuses/{sid}"
    tags: list[dict[str, str]] = []
    content = to_html(_text(e, p), tags)
    mentioned = [t["href"] for t in tags if t["type"] == "Mention"]
    direct = e.kind == "dm"
    to = mentioned if direct else [PUBLIC]
    cc = [] if direct else [f"{ME}/followers", *mentioned]
    reply_to = None
    if e.kind == "reply" and p and p.mastodon and e.ref_at:
        reply_to = f"{p.mastodon.actor}/statuses/{status_id(e.ref_at, r.getrandbits(16))}"
    stamp = e.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    conversation = (
        f"tag:{_HOST},{e.when.date().isoformat()}:objectId={sid[-8:]}:objectType=Conversation"
    )
    note = {
        "id": uri, "type": "Note", "summary": None, "inReplyTo": reply_to, "published": stamp,
        "url": f"https://{_HOST}/@{_USER}/{sid}", "attributedTo": ME, "to": to, "cc": cc,
        "sensitive": False, "atomUri": uri, "inReplyToAtomUri": reply_to,
        "conversation": conversation, "content": content, "contentMap": {"en": content},
        "attachment": [], "tag": tags,
        "replies": {"id": f"{uri}/replies", "type": "Collection", "first": {
            "type": "CollectionPage", "next": f"{uri}/replies?only_other_accounts=true&page=true",
            "partOf": f"{uri}/replies", "items": []}},
    }  # fmt: skip
    return {"id": f"{uri}/activity", "type": "Create", "actor": ME, "published": stamp,
            "to": to, "cc": cc, "object": note}  # fmt: skip


def _announce(e: Event, r: random.Random) -> dict[str, Any] | None:
    p = e.person
    if not p or not p.mastodon or not e.ref_at:
        return None
    sid = status_id(e.when, r.getrandbits(16))
    target = f"{p.mastodon.actor}/statuses/{status_id(e.ref_at, r.getrandbits(16))}"
    return {
        "id": f"{ME}/statuses/{sid}/activity", "type": "Announce", "actor": ME,
        "published": e.when.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": [PUBLIC],
        "cc": [p.mastodon.actor, f"{ME}/followers"], "object": target,
    }  # fmt: skip


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def _actor(w: World) -> dict[str, Any]:
    summary = (
        "<p>Community builder. Python packaging &amp; accessibility. Chicago.<br />Formerly "
        f'<span class="h-card" translate="no"><a href="https://twitter.com/{OWNER.twitter_handle}" '
        f'class="u-url mention">@<span>{OWNER.twitter_handle}</span></a></span> on Twitter, '
        f"also {OWNER.bluesky}</p>"
    )
    website = (
        f'<a href="{OWNER.site}" target="_blank" rel="nofollow noopener noreferrer me" '
        f'translate="no"><span class="invisible">https://</span><span class="">'
        f'{OWNER.domain}</span><span class="invisible"></span></a>'
    )
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                     {"PropertyValue": "schema:PropertyValue", "value": "schema:value"}],
        "id": ME, "type": "Person", "following": f"{ME}/following", "followers": f"{ME}/followers",
        "inbox": f"{ME}/inbox", "outbox": "outbox.json", "featured": f"{ME}/collections/featured",
        "preferredUsername": _USER, "name": OWNER.name, "summary": summary,
        "url": f"https://{_HOST}/@{_USER}", "manuallyApprovesFollowers": False,
        "discoverable": True, "indexable": True,
        "published": w.day(1150, 0).strftime("%Y-%m-%dT00:00:00Z"),
        "memorial": False,
        "attachment": [
            {"type": "PropertyValue", "name": "Website", "value": website},
            {"type": "PropertyValue", "name": "Pronouns", "value": "she/her"},
        ],
        "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"},
    }  # fmt: skip


def write(w: World, directory: Path) -> Path:
    """Write ``mastodon-archive.zip``; returns its path."""
    r = rng(w.seed, "mastodon")
    items: list[dict[str, Any]] = []
    likes: list[str] = []
    for e in w.on("mastodon"):
        if e.kind in {"post", "reply", "mention", "dm"}:
            items.append(_create(e, r))
        elif e.kind == "repost":
            boost = _announce(e, r)
            if boost:
                items.append(boost)
        elif e.kind == "like" and e.person and e.person.mastodon and e.ref_at:
            likes.append(
                f"{e.person.mastodon.actor}/statuses/{status_id(e.ref_at, r.getrandbits(16))}"
            )
    outbox = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json",
              "type": "OrderedCollection", "totalItems": len(items),
              "orderedItems": items}  # fmt: skip
    liked = {"@context": "https://www.w3.org/ns/activitystreams", "id": "likes.json",
             "type": "OrderedCollection", "orderedItems": likes[::-1]}  # fmt: skip
    bookmarks = {"@context": "https://www.w3.org/ns/activitystreams", "id": "bookmarks.json",
                 "type": "OrderedCollection", "orderedItems": likes[-3:]}  # fmt: skip
    on = [p for p in w.people if p.mastodon and p.mastodon.followed and p.mastodon.since < w.now]
    following = [["Account address", "Show boosts", "Notify on new posts", "Languages"]]
    for p in on:
        assert p.mastodon is not None
        close = p.role == "close"
        following.append([p.mastodon.address, "true", "true" if close else "false",
                          "en" if p.idx % 5 else "en,de"])  # fmt: skip
    lists = [
        [topic.title(), p.mastodon.address]
        for topic in ("accessibility", "python packaging")
        for p in on
        if p.mastodon and topic in p.topics
    ]
    members = [
        ("actor.json", _dump(_actor(w))),
        ("outbox.json", _dump(outbox)),
        ("likes.json", _dump(liked)),
        ("bookmarks.json", _dump(bookmarks)),
        ("following_accounts.csv", _csv(following)),
        ("lists.csv", _csv(lists)),
        ("blocked_accounts.csv", _csv([["cryptodeals@spam.example"],
                                       ["growth.hacker@spam.example"]])),
        ("muted_accounts.csv", _csv([["Account address", "Hide notifications"],
                                     ["hottakes@mastodon.social", "true"]])),
    ]  # fmt: skip
    return write_zip(directory / "mastodon-archive.zip", members, w.now)
