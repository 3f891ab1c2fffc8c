"""Blogs: an OPML blogroll, RSS 2.0 / Atom feeds, and a WordPress export (WXR).

A blog is an account on platform ``blog`` keyed by its site address without scheme, ``www.``
or trailing slash (:func:`site_key`), so the blogroll entry, the feed and the comments linking to
it meet on one account. People who commented on the owner's WordPress blog are accounts on
platform ``blog_comment`` keyed by the email they gave (else their link, else their name); their
email and link are contacts, which is what identity resolution joins them to their other
accounts with.

- OPML (``*.opml``): every feed outline is a blog the owner ``follows``; folders become lists.
- RSS 2.0 / RSS 1.0 / Atom (``feed.xml``, ``rss.xml``, ``*.atom`` ...): the site is an account,
  each entry a ``post``. A feed from one of the owner's domains (``owner.domains``) is the owner's
  own blog and its posts are ``given``; anyone else's posts are ``neutral`` (written for everyone,
  not to the owner). Feeds are parsed whole by feedparser (they are small), after a streaming
  well-formedness pass that names the broken item.
- WordPress eXtended RSS (Tools > Export): the owner's published posts (``given``) and the
  approved comments on posts and pages, threaded: a comment answers its parent comment or the
  post; comments by the owner are ``given``, the rest ``received``. Pingbacks and trackbacks are
  mentions by the linking blog. Drafts, attachments and spam are left out.

All XML is read with defusedxml: a document declaring entities (the "billion laughs" attack) or
pointing at external resources is refused.

    >>> site_key("https://www.Terrill.dev/blog/")
    'terrill.dev/blog'
    >>> outline = {"head": {}, "folders": ["Friends"], "text": "Zoë",
    ...            "xmlurl": "https://zoe.example/atom.xml", "htmlurl": "https://zoe.example/"}
    >>> rows = opml_outline(outline, Context())
    >>> [e["kind"] for e in rows.edges.values()], sorted(a["key"] for a in rows.accounts.values())
    (['follows'], ['self', 'zoe.example'])
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import IO, Any
from urllib.parse import urlsplit

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as DET  # type: ignore[import-untyped]
import feedparser  # type: ignore[import-untyped]

from ..errors import InputError
from ._base import Context, Entry, Record, Rows, canonical, register
from ._text import html_to_text

__all__ = [
    "COMMENTER",
    "PLATFORM",
    "feed_entry",
    "opml_outline",
    "site_key",
    "wxr_record",
]

PLATFORM = "blog"
COMMENTER = "blog_comment"
FEED_LIMIT = 64 << 20  # feedparser holds a whole feed; real feeds are a few hundred KB

# path segments that name a site's feed rather than the site ("/feed/", "/rss.xml", ...)
_FEED_SEGMENTS = {
    "feed",
    "feeds",
    "rss",
    "rss2",
    "atom",
    "rss.xml",
    "atom.xml",
    "feed.xml",
    "index.xml",
    "index.rss",
    "feed.rss",
    "feed.atom",
    "rdf",
    "index.rdf",
    "comments",
}
_WP = "http://wordpress.org/export/"
_NS_PREFIX = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_ZERO_DATE = "0000-00-00 00:00:00"


# --- shared helpers ----------------------------------------------------------------------------


def site_key(url: str | None, *, feed: bool = False) -> str | None:
    """A blog's key: host (lower case, without ``www.``) and path, without scheme, query or
    trailing slash. ``feed=True`` also drops a trailing feed path, so a feed URL names its site.

    >>> site_key("https://terrill.example/feed/", feed=True)
    'terrill.example'
    >>> site_key("https://feeds.example/blog/rss.xml?x=1", feed=True)
    'feeds.example/blog'
    >>> site_key("https://www.blogger-site.example/feeds/posts/default", feed=True)
    'blogger-site.example'
    >>> site_key("mailto:ada@x.org") is None
    True
    """
    if not url or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        if ":" in text.split("/", 1)[0] or " " in text:
            return None
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https", "feed"} or "." not in host:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if feed:
        if segments[-3:] == ["feeds", "posts", "default"]:
            segments = segments[:-3]
        while segments and segments[-1].lower() in _FEED_SEGMENTS:
            segments.pop()
        if host == "medium.com" and segments[:1] == ["feed"]:
            segments = segments[1:]
    if segments and segments[-1].lower() in {"index.html", "index.php", "index.htm"}:
        segments.pop()
    where = host if port in (None, 80, 443) else f"{host}:{port}"
    return "/".join([where, *segments]).lower()


def _owns(key: str, ctx: Context) -> bool:
    """True if a site key is on one of the owner's domains (or a subdomain of one)."""
    host = key.split("/", 1)[0].split(":", 1)[0]
    for domain in ctx.owner_domains:
        own = (site_key(domain) or "").split("/", 1)[0]
        if own and (host == own or host.endswith("." + own)):
            return True
    return False


def _owner(ctx: Context, rows: Rows) -> str:
    """The owner's blog: known from an earlier file, else the first ``owner.domains`` entry,
    else a stand-in account that the owner's own feed or WordPress export later replaces."""
    key = ctx.owner_key.get(PLATFORM)
    if key is not None:
        return rows.account(PLATFORM, key, is_owner=True)
    for domain in sorted(ctx.owner_domains):
        own = site_key(domain)
        if own:
            return rows.account(PLATFORM, own, is_owner=True, url=f"https://{own}/")
    return rows.account(PLATFORM, "self", is_owner=True, display_name="me (blogs)")


def _parse_error(file: str, label: str, exc: Exception) -> InputError:
    if isinstance(exc, defusedxml.DefusedXmlException):
        what = getattr(exc, "name", None) or type(exc).__name__
        return InputError(
            file, label, f"refused: the XML declares entities or external resources ({what})"
        )
    return InputError(file, label, f"not well-formed XML ({exc})")


def _local(tag: str) -> str:
    """``{ns}name`` as ``prefix:name`` for the namespaces read here, else the bare name."""
    if not tag.startswith("{"):
        return tag
    ns, _, name = tag[1:].partition("}")
    if ns.startswith(_WP):
        return ("excerpt:" if ns.rstrip("/").endswith("excerpt") else "wp:") + name
    prefix = _NS_PREFIX.get(ns)
    return f"{prefix}:{name}" if prefix else name


def _text(elem: ET.Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


def _rfc822(value: str | None) -> str | None:
    """An RSS date in canonical form, or None if it is not one."""
    if not value or not value.strip():
        return None
    try:
        return canonical(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def _wp_date(gmt: str | None, local: str | None = None, rss: str | None = None) -> str | None:
    """WordPress's ``YYYY-MM-DD HH:MM:SS``: the GMT column first (drafts hold zeros there), then
    the RSS ``pubDate``, then the local time taken as UTC (the export does not say the zone).

    >>> _wp_date("0000-00-00 00:00:00", "2025-01-05 09:00:00", "Sun, 05 Jan 2025 15:00:00 +0000")
    '2025-01-05T15:00:00.000000Z'
    """
    for value in (gmt, local):
        if value and value.strip() not in ("", _ZERO_DATE):
            try:
                return canonical(datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S"))
            except ValueError:
                pass
        if value is gmt and _rfc822(rss):
            return _rfc822(rss)
    return None


# --- OPML --------------------------------------------------------------------------------------


def _opml_reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """Feed outlines one at a time, each with the folders it sits in and the document's head."""
    head: dict[str, str] = {}
    folders: list[str | None] = []  # one per open outline: its folder name, or None for a feed
    open_elems: list[ET.Element] = []
    n = 0
    try:
        for event, elem in DET.iterparse(stream, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                if not open_elems and tag != "opml":
                    raise InputError(ctx.file, None, f"not an OPML document (root <{tag}>)")
                open_elems.append(elem)
            else:
                open_elems.pop()
            if tag != "outline":
                if event == "end" and tag in {"title", "dateCreated", "dateModified", "ownerName"}:
                    head[tag] = _text(elem)
                continue
            if event == "start":
                n += 1
                attrs = {k.lower(): (v or "").strip() for k, v in elem.attrib.items()}
                if attrs.get("xmlurl") or (attrs.get("type") == "link" and attrs.get("url")):
                    folders.append(None)
                    names = [f for f in folders if f is not None]
                    yield f"outline {n}", {**attrs, "folders": names, "head": head}
                else:
                    folders.append(attrs.get("title") or attrs.get("text") or "")
            else:
                folders.pop()
                open_elems[-1].remove(elem)  # keep memory flat: a read outline is not kept
    except (ET.ParseError, ValueError, LookupError) as exc:  # refusals, unknown encodings
        raise _parse_error(ctx.file, f"outline {n + 1}" if n else "head", exc) from None


def opml_outline(record: dict[str, Any], ctx: Context) -> Rows:
    """One feed of a blogroll: the blog, the owner following it, and its folder as a list."""
    xml_url = record.get("xmlurl") or ""
    html_url = record.get("htmlurl") or record.get("url") or ""
    key = site_key(html_url) or site_key(xml_url, feed=True)
    if key is None:
        raise ValueError(f"outline has no usable address ({html_url or xml_url!r})")
    head = record.get("head") or {}
    seen = _rfc822(head.get("dateModified")) or _rfc822(head.get("dateCreated"))
    rows = Rows()
    own = _owns(key, ctx)
    blog = rows.account(
        PLATFORM,
        key,
        # the owner's own blog is named by its feed or export, not by a blogroll entry
        display_name=None if own else record.get("title") or record.get("text") or None,
        url=html_url or xml_url,
        website=html_url or None,
        bio=record.get("description") or None,
        extra={"feed": xml_url} if xml_url else None,
        is_owner=True if own else None,
        seen=seen,
    )
    rows.contact(blog, "url", html_url or xml_url)
    if not own:
        rows.edge(_owner(ctx, rows), blog, "follows", seen=seen)
    folders: list[str] = [f for f in record.get("folders") or [] if f]
    if folders:
        path = " / ".join(folders)
        rows.member(rows.list_(PLATFORM, "opml:" + path.lower(), path, "list"), blog)
    return rows


# --- RSS and Atom ------------------------------------------------------------------------------


def _check_xml(data: bytes, file: str, unit: str) -> int:
    """Stream through the document once: well-formed, no entity tricks; returns the item count.
    The error names the item being read when the document broke."""
    n = 0
    inside = False
    try:
        for event, elem in DET.iterparse(io.BytesIO(data), events=("start", "end")):
            name = _local(elem.tag)
            if name in {"item", "entry"}:
                inside = event == "start"
                if not inside:
                    n += 1
                    elem.clear()
    except (ET.ParseError, ValueError, LookupError) as exc:
        raise _parse_error(file, f"{unit} {n + 1}" if inside or n else "channel", exc) from None
    return n


def _time(value: Any) -> str | None:
    """feedparser's parsed dates are UTC ``struct_time``s."""
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return canonical(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def _entry_body(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or "")


def _feed_reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """The feed itself ("channel"), then every entry, as plain dicts."""
    data = stream.read(FEED_LIMIT + 1)
    if len(data) > FEED_LIMIT:
        raise InputError(ctx.file, None, f"feed larger than {FEED_LIMIT >> 20} MiB")
    if not data.strip():
        raise InputError(ctx.file, None, "file is empty")
    atom = _root(data[:4096])[0] == "feed"
    unit = "entry" if atom else "item"
    _check_xml(data, ctx.file, unit)
    # a stream, never bytes: feedparser would take bytes for a file name to open
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False)
    feed = parsed.get("feed") or {}
    self_link = next(
        (lk.get("href") for lk in feed.get("links") or [] if lk.get("rel") == "self"), None
    )
    link = feed.get("link") or ""
    key = site_key(link) or site_key(self_link, feed=True) or site_key(feed.get("id"))
    if key is None:
        raise InputError(ctx.file, "channel", "the feed names no site (no <link>)")
    detail = feed.get("author_detail") or {}
    entry_authors = {
        (e.get("author_detail") or {}).get("name") or e.get("author") for e in parsed.entries
    } - {None, ""}
    author = detail.get("name") or (entry_authors.pop() if len(entry_authors) == 1 else None)
    meta = {
        "site": key,
        "link": link or self_link,
        "feed_url": self_link,
        "title": html_to_text(feed.get("title")) or None,
        "subtitle": html_to_text(feed.get("subtitle")) or None,
        "author": author,
        "email": detail.get("email"),
        # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed
        # with a DeprecationWarning; ask for each explicitly.
        "updated": _time(dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed")),
    }
    yield "channel", {"feed": meta, "entry": None}
    for n, e in enumerate(parsed.entries, 1):
        tags = [t.get("term") for t in e.get("tags") or [] if t.get("term")]
        yield (
            f"{unit} {n}",
            {
                "feed": meta,
                "entry": {
                    "id": e.get("id") or e.get("link"),
                    "link": e.get("link"),
                    "title": html_to_text(e.get("title")) or None,
                    "text": _entry_body(e),
                    "published": _time(e.get("published_parsed"))
                    or _time(dict.get(e, "updated_parsed")),
                    "tags": tags,
                },
            },
        )


def feed_entry(record: dict[str, Any], ctx: Context) -> Rows:
    """A feed's site (the "channel" record) or one of its entries, as a post.

    >>> meta = {"site": "zoe.example", "link": "https://zoe.example/", "title": "Zoë's blog"}
    >>> entry = {"id": "tag:zoe.example,2025:1", "link": "https://zoe.example/p/1",
    ...          "title": "Charts", "text": "Alt text first.", "published": "2025-01-02T00:00:00Z"}
    >>> rows = feed_entry({"feed": meta, "entry": entry}, Context(owner_domains={"zoe.example"}))
    >>> [(i["kind"], i["direction"], i["text"]) for i in rows.interactions.values()]
    [('post', 'given', 'Charts\\n\\nAlt text first.')]
    """
    meta = record["feed"]
    key = meta["site"]
    own = _owns(key, ctx)
    rows = Rows()
    site = rows.account(
        PLATFORM,
        key,
        display_name=meta.get("author") or meta.get("title"),
        url=meta.get("link"),
        website=meta.get("link"),
        bio=meta.get("subtitle"),
        extra={"title": meta["title"], "feed": meta.get("feed_url")} if meta.get("title") else None,
        is_owner=True if own else None,
    )
    rows.contact(site, "url", meta.get("link"))
    rows.contact(site, "email", meta.get("email"))
    entry = record.get("entry")
    if entry is None:
        return rows
    when = entry.get("published") or meta.get("updated")
    natural = entry.get("id") or entry.get("link")
    if not when or not natural:
        return rows  # an entry with no date or no identity cannot be placed in the ledger
    title, body = entry.get("title"), entry.get("text") or ""
    rows.interaction(
        PLATFORM,
        "post",
        f"{key} {natural}",
        actor=site,
        occurred_at=when,
        direction="given" if own else "neutral",
        text="\n\n".join(p for p in (title, body) if p) or None,
        url=entry.get("link"),
        thread_id=natural,
        extra={k: v for k, v in (("title", title), ("tags", entry.get("tags"))) if v} or None,
    )
    return rows


# --- WordPress WXR ----------------------------------------------------------------------------


def _fields(elem: ET.Element) -> dict[str, str]:
    """Child elements' text by prefixed name (the first of each)."""
    out: dict[str, str] = {}
    for child in elem:
        out.setdefault(_local(child.tag), (child.text or "").strip())
    return out


def _wxr_reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """The site ("channel": title, link, authors), then each ``<item>`` with its comments."""
    channel: dict[str, Any] = {"authors": []}
    channel_elem: ET.Element | None = None
    emitted = False
    depth = 0
    n = 0
    in_item = False
    try:
        for event, elem in DET.iterparse(stream, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                depth += 1
                if depth == 1 and tag != "rss":
                    raise InputError(ctx.file, None, f"not a WordPress export (root <{tag}>)")
                if depth == 2 and tag == "channel":
                    channel_elem = elem
                if depth == 3 and tag == "item":
                    in_item = True
                    if not emitted:
                        emitted = True
                        yield "channel", {"kind": "channel", "channel": channel}
                continue
            depth -= 1
            if depth != 2 or channel_elem is None:
                continue
            channel_elem.remove(elem)  # keep memory flat: what is read is not kept
            if tag == "item":
                in_item = False
                n += 1
                item: dict[str, Any] = dict(_fields(elem))
                item["categories"] = [
                    f"{c.get('domain', 'category')}:{(c.text or '').strip()}"
                    for c in elem
                    if _local(c.tag) == "category"
                ]
                comments = [_fields(c) for c in elem if _local(c.tag) == "wp:comment"]
                yield (
                    f"item {n}",
                    {
                        "kind": "item",
                        "channel": channel,
                        "item": item,
                        "comments": comments,
                    },
                )
            elif tag == "wp:author":
                channel["authors"].append(_fields(elem))
            elif tag in {"title", "link", "description", "wp:base_blog_url", "wp:base_site_url"}:
                channel[tag] = _text(elem)
    except (ET.ParseError, ValueError, LookupError) as exc:  # refusals, unknown encodings
        raise _parse_error(ctx.file, f"item {n + 1}" if in_item or n else "channel", exc) from None
    if channel_elem is None:
        raise InputError(ctx.file, None, "no <channel> in the WordPress export")
    if not emitted:
        yield "channel", {"kind": "channel", "channel": channel}


def _wxr_site(channel: dict[str, Any], ctx: Context, rows: Rows) -> str:
    """The owner's blog, from the export's own address and its author."""
    link = channel.get("wp:base_blog_url") or channel.get("link") or ""
    key = site_key(link)
    if key is None:
        raise ValueError(f"the export names no site address ({link!r})")
    authors = channel.get("authors") or []
    mine = [a for a in authors if a.get("wp:author_email", "").lower() in ctx.owner_emails]
    author = (mine or (authors if len(authors) == 1 else []) or [{}])[0]
    aid = rows.account(
        PLATFORM,
        key,
        is_owner=True,
        display_name=author.get("wp:author_display_name") or channel.get("title") or None,
        url=link,
        website=link,
        bio=channel.get("description") or None,
        extra={"title": channel["title"]} if channel.get("title") else None,
    )
    rows.contact(aid, "url", link)
    rows.contact(aid, "email", author.get("wp:author_email"))
    return aid


def _owner_marks(channel: dict[str, Any], ctx: Context) -> tuple[set[str], set[str]]:
    """(emails, user ids) that mark a comment as the owner's own."""
    authors = channel.get("authors") or []
    emails = {e.lower() for e in ctx.owner_emails}
    mine = [a for a in authors if a.get("wp:author_email", "").lower() in emails]
    if not mine and len(authors) == 1:
        mine = authors  # a one-author blog: its author is the owner
    emails |= {a.get("wp:author_email", "").lower() for a in mine} - {""}
    ids = {a.get("wp:author_id", "") for a in mine} - {"", "0"}
    return emails, ids


def wxr_record(record: dict[str, Any], ctx: Context) -> Rows:
    """The blog (channel) or one item: a published post, and the approved comments on it.

    >>> channel = {"link": "https://mia.example", "title": "Mia", "authors": []}
    >>> item = {"wp:post_type": "post", "wp:status": "publish", "title": "Hi",
    ...         "link": "https://mia.example/hi/", "guid": "https://mia.example/?p=7",
    ...         "wp:post_date_gmt": "2025-01-05 15:00:00", "content:encoded": "<p>Hello</p>"}
    >>> comment = {"wp:comment_id": "3", "wp:comment_author": "Terrill",
    ...            "wp:comment_author_email": "T@terrill.dev", "wp:comment_approved": "1",
    ...            "wp:comment_date_gmt": "2025-01-06 10:00:00", "wp:comment_content": "Nice",
    ...            "wp:comment_parent": "0"}
    >>> rows = wxr_record({"kind": "item", "channel": channel, "item": item,
    ...                    "comments": [comment]}, Context())
    >>> sorted((i["kind"], i["direction"]) for i in rows.interactions.values())
    [('comment', 'received'), ('post', 'given')]
    """
    rows = Rows()
    channel = record["channel"]
    owner = _wxr_site(channel, ctx, rows)
    if record.get("kind") != "item":
        return rows
    key = rows.accounts[owner]["key"]
    item: dict[str, Any] = record["item"]
    kind, status = item.get("wp:post_type", "post"), item.get("wp:status", "publish")
    if kind not in {"post", "page"} or status != "publish":
        return rows  # drafts, private posts, attachments, menus: not something said to anyone
    post_ref = item.get("guid") or item.get("link") or f"{key}?p={item.get('wp:post_id')}"
    link = item.get("link") or None
    if kind == "post":
        when = _wp_date(item.get("wp:post_date_gmt"), item.get("wp:post_date"), item.get("pubDate"))
        if when is None:
            raise ValueError("post has no date")
        title = item.get("title") or None
        body = html_to_text(item.get("content:encoded"))
        cats = [c.split(":", 1)[1] for c in item.get("categories") or [] if ":" in c]
        rows.interaction(
            PLATFORM,
            "post",
            f"{key} {post_ref}",
            actor=owner,
            occurred_at=when,
            direction="given",
            text="\n\n".join(p for p in (title, body) if p) or None,
            url=link,
            thread_id=post_ref,
            extra={k: v for k, v in (("title", title), ("tags", cats)) if v} or None,
        )
    _comments(rows, record.get("comments") or [], channel, ctx, owner, post_ref, link)
    return rows


def _comments(
    rows: Rows,
    comments: list[dict[str, str]],
    channel: dict[str, Any],
    ctx: Context,
    owner: str,
    post_ref: str,
    post_link: str | None,
) -> None:
    key = rows.accounts[owner]["key"]
    emails, user_ids = _owner_marks(channel, ctx)
    authors: dict[str, str] = {}  # comment id -> actor account, for replies' targets
    refs: dict[str, str] = {}  # comment id -> its permalink, what replies point at
    base = post_link or post_ref
    for c in comments:
        cid = c.get("wp:comment_id", "")
        refs[cid] = f"{base}#comment-{cid}"
    for c in comments:
        if c.get("wp:comment_approved", "1") != "1":
            continue  # pending, spam or trash
        cid = c.get("wp:comment_id", "")
        when = _wp_date(c.get("wp:comment_date_gmt"), c.get("wp:comment_date"))
        if not cid or when is None:
            raise ValueError(f"comment {cid or '?'} has no id or no date")
        ctype = (c.get("wp:comment_type") or "comment").lower()
        name = html.unescape(c.get("wp:comment_author") or "").strip()
        email = (c.get("wp:comment_author_email") or "").lower()
        url = c.get("wp:comment_author_url") or ""
        parent = c.get("wp:comment_parent") or "0"
        mine = email in emails if email else False
        mine = mine or (c.get("wp:comment_user_id") or "0") in user_ids
        mine = mine or (site_key(url) or "").split("/", 1)[0] == key.split("/", 1)[0]
        text = html_to_text(c.get("wp:comment_content")) or None
        reply_to = refs.get(parent) if parent != "0" else None
        target: str | None
        if ctype in {"pingback", "trackback", "webmention"}:
            source = site_key(url)
            if mine:
                continue  # WordPress pings the owner's own posts when they link each other
            if source is None:
                continue
            # a pingback's author is the linking page's title: "Post – Blog"
            blog_name = re.split(r" [–|-] ", name)[-1].strip() if " " in name else ""
            actor = rows.account(
                PLATFORM,
                source.split("/", 1)[0],
                display_name=blog_name or None,
                url=f"https://{source.split('/', 1)[0]}/",
                seen=when,
            )
            rows.contact(actor, "url", url)
            kind, direction, target = "mention", "received", owner
        elif mine:
            actor, kind, direction = owner, "comment", "given"
            target = authors.get(parent) if reply_to else None
            target = None if target == owner else target
        else:
            ident = email or site_key(url) or name.strip()
            if not ident:
                continue  # an anonymous comment: nobody to keep a relationship with
            actor = rows.account(COMMENTER, ident, display_name=name or None, url=url, seen=when)
            rows.contact(actor, "email", email)
            rows.contact(actor, "url", url)
            kind, direction, target = "comment", "received", owner
        authors[cid] = actor
        rows.interaction(
            PLATFORM,
            kind,
            f"{key} comment {cid}",
            actor=actor,
            target=target,
            occurred_at=when,
            direction=direction,
            text=text,
            url=refs[cid],
            thread_id=post_ref,
            in_reply_to=reply_to or post_ref,
        )


# --- sniffing and registration ------------------------------------------------------------------

# what may come before the root element: declarations, comments, a doctype (with a subset)
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_START = re.compile(rb"\s*<([A-Za-z_][\w:.-]*)([^>]*)")


def _root(head: bytes) -> tuple[str, bytes]:
    """The root element's name and the rest of its start tag, from a document's first bytes.

    >>> _root(b'<?xml version="1.0"?>\\n<!-- x -->\\n<rss version="2.0" xmlns:wp="w">')
    ('rss', b' version="2.0" xmlns:wp="w"')
    """
    text = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while True:
        m = _PROLOG.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    m = _START.match(text, pos)
    return (m.group(1).decode("ascii"), m.group(2)) if m else ("", b"")


def _sniff(check: Callable[[str, bytes], bool]) -> Callable[[bytes], bool]:
    return lambda head: check(*_root(head))


def _is_wxr(name: str, attrs: bytes) -> bool:
    return name == "rss" and _WP.encode() in attrs


def _is_feed(name: str, attrs: bytes) -> bool:
    if name == "rss":
        return not _is_wxr(name, attrs)
    if name == "feed":
        return b"http://www.w3.org/2005/Atom" in attrs
    return name == "rdf:RDF" and b"purl.org/rss/1.0" in attrs


for _entry in (
    Entry(
        "blogs.wordpress",
        PLATFORM,
        ("*wordpress*.xml", "*.wxr"),
        _wxr_reader,
        wxr_record,
        sniff=_sniff(_is_wxr),
        priority=30,  # the owner's own blog: before feeds and blogrolls refer to it
        description="WordPress export (WXR)",
    ),
    Entry(
        "blogs.feed",
        PLATFORM,
        ("*.rss", "*.atom", "rss.xml", "atom.xml", "feed.xml", "index.xml", "feed"),
        _feed_reader,
        feed_entry,
        sniff=_sniff(_is_feed),
        priority=45,
        description="feed (RSS or Atom)",
    ),
    Entry(
        "blogs.opml",
        PLATFORM,
        ("*.opml",),
        _opml_reader,
        opml_outline,
        sniff=_sniff(lambda name, attrs: name == "opml"),
        priority=40,  # before feeds, whose author names then replace the blogroll's titles
        description="OPML blogroll",
    ),
):
    register(_entry)
