"""LinkedIn data export (Settings > Data privacy > Get a copy of your data).

LinkedIn sends a zip of CSV files (also read unpacked, or one CSV at a time), UTF-8 with a
byte-order mark. The quirks handled here:

- Connections.csv opens with a ``Notes:`` paragraph about missing email addresses before its
  header row; "Connected On" reads ``12 Jan 2021``; most "Email Address" cells are empty.
- messages.csv has one row per message; CONTENT is quoted, spans lines and is HTML for InMail and
  sponsored messages; DATE reads ``2023-05-04 17:22:10 UTC``; newer exports mark drafts in
  "IS MESSAGE DRAFT".
- Invitations.csv says who invited whom (INCOMING / OUTGOING) at ``1/15/24, 3:22 PM``.
- Profile.csv names the owner but has no profile URL, so the owner's account is keyed by the
  normalised name; the owner is then recognised in messages by that name, and by the profile URL
  the export reveals for them (an OUTGOING invitation names it exactly).

Other accounts are keyed by the public name in their profile URL (``linkedin.com/in/<slug>``), or
by the normalised "first last" name when a row has no URL. Cells are kept verbatim: a company
called ``=HYPERLINK(...)`` is text.

Example:

    >>> rows = connection({"first name": "Terrill", "last name": "Thompson",
    ...     "url": "https://www.linkedin.com/in/terrill-thompson-1234", "email address": "",
    ...     "company": "Acme, Inc.", "position": "Improv Coach", "connected on": "12 Jan 2021"},
    ...     Context())
    >>> [(a["key"], a["extra"]["company"]) for a in rows.accounts.values() if not a.get("is_owner")]
    [('terrill-thompson-1234', 'Acme, Inc.')]
    >>> [e["since"] for e in rows.edges.values()]
    ['2021-01-12T00:00:00.000000Z']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO
from urllib.parse import unquote

from ..store import make_id
from ._base import Context, Entry, Record, Rows, canonical, register
from ._readers import csv_records
from ._text import html_to_text

__all__ = [
    "connection",
    "email_address",
    "invitation",
    "message",
    "name_key",
    "profile",
    "profile_slug",
    "ts_linkedin",
]

PLATFORM = "linkedin"
SELF = "self"  # stand-in key for the owner when the export does not say who they are
_STATE = "linkedin.owner"

# --- parsing helpers ---------------------------------------------------------------------------

_PROFILE_URL = re.compile(r"linkedin\.com/(in|pub)/([^?#\s]+)", re.IGNORECASE)


def profile_slug(url: str | None) -> str | None:
    """The public profile name in a LinkedIn profile URL (percent-escapes decoded), or None.

    >>> profile_slug("https://www.linkedin.com/in/Terrill-Thompson-1234/")
    'terrill-thompson-1234'
    >>> profile_slug("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa-5b1a2c3")
    'josé-garcía-5b1a2c3'
    >>> profile_slug("https://www.linkedin.com/company/acme") is None
    True
    """
    if not url:
        return None
    m = _PROFILE_URL.search(url.strip())
    if m is None:
        return None
    path = unquote(m.group(2)).strip("/").lower()
    if m.group(1).lower() == "in":
        return path.split("/", 1)[0] or None
    # pre-2012 public profiles: linkedin.com/pub/<name>/<a>/<b>/<c>
    return f"pub/{path}" if path else None


def name_key(name: str | None) -> str:
    """A person's name as an account key: Unicode-normalised, spaces collapsed, lower case.

    >>> name_key("  Zoë   Lambert 🦋 ")
    'zoë lambert 🦋'
    """
    return " ".join(unicodedata.normalize("NFC", name or "").split()).lower()


_DATE_FORMATS = (
    "%d %b %Y",  # Connections.csv: 12 Jan 2021
    "%Y-%m-%d %H:%M:%S",  # messages.csv: 2023-05-04 17:22:10 (UTC)
    "%m/%d/%y, %I:%M %p",  # Invitations.csv: 1/15/24, 3:22 PM
    "%m/%d/%Y, %I:%M %p",
    "%d %B %Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%b %d, %Y",
)


def ts_linkedin(value: str) -> str:
    """A date as LinkedIn writes it, in canonical form (LinkedIn's times are UTC).

    >>> ts_linkedin("12 Jan 2021")
    '2021-01-12T00:00:00.000000Z'
    >>> ts_linkedin("2023-05-04 17:22:10 UTC")
    '2023-05-04T17:22:10.000000Z'
    >>> ts_linkedin("1/15/24, 3:22 PM")
    '2024-01-15T15:22:00.000000Z'
    """
    # newer exports put a narrow no-break space before AM/PM
    text = " ".join(value.replace("\u202f", " ").replace("\xa0", " ").split())
    if text.endswith((" UTC", " GMT")):
        text = text[:-4]
    for fmt in _DATE_FORMATS:
        try:
            return canonical(datetime.strptime(text, fmt).replace(tzinfo=UTC))
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")


def _cell(record: Mapping[str, str | None], column: str) -> str:
    return (record.get(column) or "").strip()


def _display(first: str, last: str) -> str:
    return " ".join(p for p in (first, last) if p)


_HTML = re.compile(
    r"<(?:p|br|div|span|a|b|i|u|strong|em|ul|ol|li|table|img|h[1-6]|html|body)\b[^>]*>", re.I
)


def _content(value: str | None) -> str | None:
    """Message text: HTML (InMail, sponsored messages) made plain, anything else verbatim."""
    if not value or not value.strip():
        return None
    if _HTML.search(value):
        return html_to_text(value) or None
    return value.strip()


def _bracket_list(value: str | None) -> list[str]:
    """Profile.csv list cells like ``[PERSONAL:https://mia.dev,COMPANY:acme.example]``."""
    text = (value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    items = []
    for item in text.split(","):
        item = re.sub(r"^[A-Z_]+:(?!//)", "", item.strip())
        if item:
            items.append(item)
    return items


# --- the owner ---------------------------------------------------------------------------------


@dataclass
class _Owner:
    """What this export has revealed about its owner so far (kept in ``Context.state``)."""

    key: str | None = None  # the owner account's key, once known
    name: str | None = None  # normalised name, to recognise the owner in messages
    slugs: set[str] = field(default_factory=set)  # profile slugs the export showed are theirs
    hints: set[str] = field(default_factory=set)  # slugs from config owner.handles


def _owner_state(ctx: Context) -> _Owner:
    state: _Owner | None = ctx.state.get(_STATE)
    if state is None:
        state = _Owner()
        key = ctx.owner_key.get(PLATFORM)
        if key and key != SELF:
            # an owner from an earlier import: a name key has a space, a slug has none
            state.key = key
            if " " in key:
                state.name = key
            else:
                state.slugs.add(key)
        for handle in ctx.owner_handles:
            hint = profile_slug(handle) if "linkedin.com/" in handle else handle
            if hint:
                state.hints.add(hint.lower())
        ctx.state[_STATE] = state
    return state


def _is_owner(state: _Owner, name: str, slug: str | None) -> bool:
    if slug and (slug in state.slugs or slug in state.hints):
        return True
    if state.name and name and name_key(name) == state.name:
        # a namesake whose profile is not the owner's known one is someone else
        return not (slug and state.slugs)
    return False


def _the_owner(
    rows: Rows, state: _Owner, *, name: str = "", url: str = "", seen: str | None = None
) -> str:
    """The owner's account, learning its profile URL and name when a row reveals them."""
    slug = profile_slug(url)
    if slug:
        state.slugs.add(slug)
    if name and state.name is None:
        state.name = name_key(name)
    if state.key is None:
        state.key = slug or (name_key(name) if name else SELF)
    return rows.account(
        PLATFORM,
        state.key,
        is_owner=True,
        display_name=name or ("me (LinkedIn)" if state.key == SELF else None),
        handle=slug,
        url=url if slug else None,
        seen=seen,
    )


@dataclass(frozen=True)
class _Party:
    """A person as a row names them: display name and profile URL (either may be empty)."""

    name: str
    url: str

    @property
    def slug(self) -> str | None:
        return profile_slug(self.url)

    @property
    def ident(self) -> str:
        return self.slug or name_key(self.name)


def _account(rows: Rows, party: _Party, seen: str | None) -> str:
    if not party.ident:
        raise ValueError("a person with neither a name nor a profile URL")
    slug = party.slug
    return rows.account(
        PLATFORM,
        party.ident,
        handle=slug,
        display_name=party.name or None,
        url=party.url if slug else None,
        seen=seen,
    )


def _recipients(names: str, urls: str) -> list[_Party]:
    links = [u for u in re.split(r"[\s,]+", urls) if u]
    if len(links) == 1:
        return [_Party(names, links[0])]  # one recipient: a comma belongs to the name
    parts = [n.strip() for n in names.split(",")]
    if links and len(parts) == len(links):
        return [_Party(n, u) for n, u in zip(parts, links, strict=True)]
    if links:
        return [_Party("", u) for u in links]
    return [_Party(n, "") for n in parts if n]


# --- transforms --------------------------------------------------------------------------------


def profile(record: dict[str, str], ctx: Context) -> Rows:
    """Profile.csv: the owner (name, headline, location, websites, Twitter handles)."""
    name = _display(_cell(record, "first name"), _cell(record, "last name"))
    if not name:
        raise ValueError("Profile.csv names no first or last name")
    state = _owner_state(ctx)
    state.key = state.key or name_key(name)
    state.name = name_key(name)
    sites = _bracket_list(record.get("websites"))
    extra = {
        k.replace(" ", "_"): v
        for k in ("summary", "industry", "maiden name", "zip code")
        if (v := _cell(record, k))
    }
    rows = Rows()
    owner = rows.account(
        PLATFORM,
        state.key,
        is_owner=True,
        display_name=name,
        bio=_cell(record, "headline") or None,
        location=_cell(record, "geo location") or None,
        website=sites[0] if sites else None,
        extra=extra or None,
    )
    for site in sites:
        rows.contact(owner, "url", site)
    for handle in _bracket_list(record.get("twitter handles")):
        rows.contact(owner, "url", f"https://twitter.com/{handle.lstrip('@')}")
    return rows


def email_address(record: dict[str, str], ctx: Context) -> Rows:
    """Email Addresses.csv: the owner's addresses."""
    rows = Rows()
    owner = _the_owner(rows, _owner_state(ctx))
    rows.contact(owner, "email", _cell(record, "email address"))
    return rows


def connection(record: dict[str, str], ctx: Context) -> Rows:
    """Connections.csv: one first-degree connection, and since when."""
    rows = Rows()
    name = _display(_cell(record, "first name"), _cell(record, "last name"))
    them = _Party(name, _cell(record, "url"))
    if not them.ident:
        return rows  # LinkedIn leaves the row of a member who closed their account blank
    on = _cell(record, "connected on")
    since = ts_linkedin(on) if on else None
    owner = _the_owner(rows, _owner_state(ctx))
    extra = {k: v for k in ("company", "position") if (v := _cell(record, k))}
    slug = them.slug
    acc = rows.account(
        PLATFORM,
        them.ident,
        handle=slug,
        display_name=name or None,
        url=them.url if slug else None,
        bio=" at ".join(v for v in (extra.get("position"), extra.get("company")) if v) or None,
        seen=since,
        extra=extra or None,
    )
    rows.contact(acc, "email", _cell(record, "email address"))
    rows.edge(owner, acc, "connected", since=since)
    return rows


def message(record: dict[str, str], ctx: Context) -> Rows:
    """messages.csv: one message; given if the owner sent it, received if sent to the owner,
    neutral while the export has not said who the owner is. Drafts are skipped."""
    rows = Rows()
    if _cell(record, "is message draft").lower() in {"yes", "true"}:
        return rows
    when = ts_linkedin(_cell(record, "date"))
    state = _owner_state(ctx)
    conv = _cell(record, "conversation id")
    sender = _Party(_cell(record, "from"), _cell(record, "sender profile url"))
    recipients = _recipients(_cell(record, "to"), _cell(record, "recipient profile urls"))
    text = _content(record.get("content"))
    from_owner = _is_owner(state, sender.name, sender.slug)
    if from_owner:
        actor = _the_owner(rows, state, name=sender.name, url=sender.url, seen=when)
    else:
        actor = _account(rows, sender, when)
    owner_as: tuple[_Party, str] | None = None
    others: list[tuple[_Party, str]] = []
    for party in recipients:
        if _is_owner(state, party.name, party.slug):
            owner_as = (party, _the_owner(rows, state, name=party.name, url=party.url, seen=when))
        else:
            others.append((party, _account(rows, party, when)))
    extra: dict[str, str | bool] = {
        k: v
        for k, v in (
            ("subject", _cell(record, "subject")),
            ("title", _cell(record, "conversation title")),
            ("folder", _cell(record, "folder")),
        )
        if v
    }
    if len(recipients) > 1:
        extra["group"] = True
    # the natural key names people as the file does, so it does not change once the owner is known
    digest = make_id("content", text)[:12]

    def add(direction: str, target: str | None, to: str) -> None:
        rows.interaction(
            PLATFORM,
            "dm",
            f"{conv}|{when}|{sender.ident}|{to}|{digest}",
            actor=actor,
            target=target,
            occurred_at=when,
            direction=direction,
            text=text,
            thread_id=conv or None,
            extra=extra or None,
        )

    if owner_as is not None and not from_owner:
        add("received", owner_as[1], owner_as[0].ident)
        return rows
    direction = "given" if from_owner else "neutral"
    for party, acc in others:
        add(direction, acc, party.ident)
    if not others:
        add(direction, None, "")
    return rows


def invitation(record: dict[str, str], ctx: Context) -> Rows:
    """Invitations.csv: a connection invitation; its direction also tells who the owner is."""
    rows = Rows()
    when = ts_linkedin(_cell(record, "sent at"))
    state = _owner_state(ctx)
    inviter = _Party(_cell(record, "from"), _cell(record, "inviterprofileurl"))
    invitee = _Party(_cell(record, "to"), _cell(record, "inviteeprofileurl"))
    way = _cell(record, "direction").upper()
    if way == "OUTGOING":
        actor = _the_owner(rows, state, name=inviter.name, url=inviter.url)
        target, direction = _account(rows, invitee, when), "given"
    elif way == "INCOMING":
        actor = _account(rows, inviter, when)
        target = _the_owner(rows, state, name=invitee.name, url=invitee.url)
        direction = "received"
    else:
        raise ValueError(f"Direction is {way!r}, not INCOMING or OUTGOING")
    rows.interaction(
        PLATFORM,
        "invitation",
        f"{inviter.ident}|{invitee.ident}|{when}",
        actor=actor,
        target=target,
        occurred_at=when,
        direction=direction,
        text=_content(record.get("message")),
    )
    return rows


# --- registry ----------------------------------------------------------------------------------


def _csv(*required: str) -> Callable[[IO[bytes], Context], Iterator[Record]]:
    def reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
        for label, row in csv_records(stream, ctx.file, required):
            # header spelling varies between exports ("URL", "Url"): transforms see lower case
            yield label, {k.strip().lower(): v for k, v in row.items() if k is not None}

    return reader


def _header_sniff(*columns: str, preamble: bool = False) -> Callable[[bytes], bool]:
    """True if one of the first lines is a header holding ``columns`` (any order or case);
    with ``preamble``, LinkedIn's "Notes:" paragraph alone is enough (a header may be missing)."""
    want = frozenset(c.lower() for c in columns)

    def sniff(head: bytes) -> bool:
        if b"\x00" in head:
            return False
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        for line in text.split("\n", 12)[:12]:
            cells = {c.strip().strip('"').strip().lower() for c in line.split(",")}
            if want <= cells:
                return True
        return preamble and text.lstrip().startswith("Notes:") and "linkedin.com" in text

    return sniff


for _entry in (
    Entry(
        "linkedin.profile",
        PLATFORM,
        ("profile.csv",),
        _csv("First Name", "Last Name", "Headline"),
        profile,
        sniff=_header_sniff("First Name", "Last Name", "Maiden Name", "Headline"),
        priority=0,
        description="LinkedIn Profile.csv",
    ),
    Entry(
        "linkedin.email_addresses",
        PLATFORM,
        ("email addresses.csv",),
        _csv("Email Address", "Confirmed"),
        email_address,
        sniff=_header_sniff("Email Address", "Confirmed", "Primary"),
        priority=2,
        description="LinkedIn Email Addresses.csv",
    ),
    Entry(
        "linkedin.invitations",
        PLATFORM,
        ("invitations.csv",),
        _csv("From", "To", "Sent At", "Direction"),
        invitation,
        sniff=_header_sniff("From", "To", "Sent At", "Direction"),
        priority=5,
        description="LinkedIn Invitations.csv",
    ),
    Entry(
        "linkedin.connections",
        PLATFORM,
        ("connections.csv",),
        _csv("First Name", "Last Name", "Connected On"),
        connection,
        sniff=_header_sniff("First Name", "Last Name", "Connected On", preamble=True),
        priority=10,
        description="LinkedIn Connections.csv",
    ),
    Entry(
        "linkedin.messages",
        PLATFORM,
        ("messages.csv",),
        _csv("CONVERSATION ID", "FROM", "DATE", "CONTENT"),
        message,
        sniff=_header_sniff("CONVERSATION ID", "FROM", "SENDER PROFILE URL", "DATE", "CONTENT"),
        priority=30,
        description="LinkedIn messages.csv",
    ),
):
    register(_entry)
