"""Address books: vCard files (2.1, 3.0, 4.0) and the Google Contacts CSV export.

vCards are read card by card (a big address book is never loaded whole) and each card is
parsed with vobject. vCard 2.1 QUOTED-PRINTABLE values (with soft line breaks) are decoded
before parsing. Every email, phone, URL and social profile becomes a contact of the card's
account: they are what identity resolution links people across platforms with.

    >>> text = "\\r\\n".join(["BEGIN:VCARD", "VERSION:3.0", "FN:Ada Lovelace",
    ...                      "EMAIL:ada@x.org", "END:VCARD"])
    >>> rows = card(text, Context())
    >>> [c["value"] for c in rows.account_contacts.values()]
    ['ada@x.org']
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterator
from typing import IO, Any

import vobject  # type: ignore[import-untyped]

from ..errors import InputError
from ..store import make_id
from ._base import Context, Entry, Record, Rows, register
from ._readers import csv_records, text_of

__all__ = ["card", "google_contact", "parse_card", "split_multi", "vcards"]


CARD_LIMIT = 16 << 20


def vcards(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """One card's text at a time; a card without END:VCARD is an InputError."""
    lines: list[str] = []
    n = size = 0
    inside = False
    for raw in text_of(stream, ctx.file):
        line = raw.rstrip("\r\n")
        # a folded continuation (leading space or tab) is never a card boundary
        upper = "" if line[:1] in (" ", "\t") else line.rstrip().upper()
        if upper == "BEGIN:VCARD":
            if inside:
                raise InputError(ctx.file, f"card {n}", "BEGIN:VCARD inside a card (no END)")
            inside, lines, size = True, [line], 0
            n += 1
        elif upper == "END:VCARD":
            if not inside:
                raise InputError(ctx.file, f"card {n + 1}", "END:VCARD without BEGIN")
            lines.append(line)
            inside = False
            yield f"card {n}", "\r\n".join(lines)
        elif inside:
            lines.append(line)
            size += len(line)
            if size > CARD_LIMIT:  # photos make cards big, but not this big: END is missing
                raise InputError(ctx.file, f"card {n}", "card larger than 16 MiB (no END:VCARD?)")
        elif line.strip():
            raise InputError(ctx.file, f"card {n + 1}", "text outside a BEGIN/END:VCARD card")
    if inside:
        raise InputError(ctx.file, f"card {n}", "no END:VCARD (truncated?)")
    if n == 0:
        raise InputError(ctx.file, None, "no vCard in the file")


_QP = re.compile(r"ENCODING=QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(r";CHARSET=([\w-]+)", re.IGNORECASE)


def _decode_qp(text: str) -> str:
    """vCard 2.1: decode QUOTED-PRINTABLE values (joining soft line breaks) for vobject."""
    out: list[str] = []
    lines = text.split("\r\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if _QP.search(line.split(":", 1)[0]):
            while line.endswith("=") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + lines[i]
            name, _, value = line.partition(":")
            charset = _CHARSET.search(name)
            encoding = charset.group(1) if charset else "utf-8"
            try:
                codecs.lookup(encoding)
            except LookupError:  # a charset Python does not know: read it as UTF-8
                encoding = "utf-8"
            decoded = quopri.decodestring(value.encode("ascii", "replace")).decode(
                encoding, "replace"
            )
            name = _CHARSET.sub("", _QP.sub("", name)).replace(";;", ";").rstrip(";")
            # a decoded line break (CRLF in the source) is the vCard escape \n, not a new line
            escaped = decoded.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
            line = f"{name}:{escaped}"
        out.append(line)
        i += 1
    return "\r\n".join(out)


_TEL = re.compile(r"^tel:", re.IGNORECASE)
# where a social profile's bare user name lives, by the service a card names
_PROFILE_SITES = {
    "twitter": "https://twitter.com/{}",
    "x": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "github": "https://github.com/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "flickr": "https://www.flickr.com/people/{}",
}


def _profile_url(key: str, value: str, params: dict[str, list[str]]) -> str | None:
    """A profile link from a social-profile or IM property, or None if it names no profile.

    Apple writes ``X-SOCIALPROFILE;type=twitter;x-user=ada:x-apple:ada``; IMPP values such as
    ``xmpp:`` or ``skype:`` are chat addresses, not pages, and are left out.

    >>> _profile_url("x-socialprofile", "x-apple:ada", {"TYPE": ["twitter"], "X-USER": ["ada"]})
    'https://twitter.com/ada'
    >>> _profile_url("x-twitter", "@ada", {})
    'https://twitter.com/ada'
    >>> _profile_url("impp", "skype:ada.l", {"X-SERVICE-TYPE": ["Skype"]}) is None
    True
    """
    if value.lower().startswith(("http://", "https://")):
        return value
    if key == "x-twitter":
        service = "twitter"
    elif key == "x-mastodon":
        m = re.fullmatch(r"@?([\w.]+)@([\w.-]+\.\w+)", value)
        return f"https://{m.group(2)}/@{m.group(1)}" if m else None
    else:
        named = params.get("TYPE", []) + params.get("SERVICE-TYPE", [])
        named += params.get("X-SERVICE-TYPE", [])
        service = next((t.lower() for t in named if t.lower() in _PROFILE_SITES), "")
    user = (params.get("X-USER") or [""])[0] or value.split(":", 1)[-1]
    user = user.strip().lstrip("@")
    if not service or not re.fullmatch(r"[\w.-]+", user):
        return None
    return _PROFILE_SITES[service].format(user)


def _bio(title: str | None, org: str | None, note: str | None) -> str | None:
    """Job line, then the owner's note (how they met, what to ask about): both worth keeping.

    >>> _bio("CEO", "Heart Link", "Met at SoCon")
    'CEO at Heart Link\\nMet at SoCon'
    """
    job = " at ".join(x.strip() for x in (title, org) if x and x.strip())
    return "\n".join(x for x in (job, (note or "").strip()) if x) or None


def _values(parsed: Any, key: str) -> list[Any]:
    return list(parsed.contents.get(key, []))


def parse_card(text: str) -> Any:
    """One card's text parsed by vobject; ValueError says why a card cannot be read.

    >>> parse_card("BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:Ada\\r\\nEND:VCARD").fn.value
    'Ada'
    >>> parse_card("BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nEND:VCARD")
    Traceback (most recent call last):
    ValueError: the card has no name, email or phone
    """
    source = _decode_qp(text) if "QUOTED-PRINTABLE" in text.upper() else text
    try:
        parsed = vobject.readOne(source)
    except Exception as exc:  # vobject raises bare exceptions on malformed cards
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"not a readable vCard ({reason})") from None
    if not any(k in parsed.contents for k in ("fn", "n", "email", "tel")):
        raise ValueError("the card has no name, email or phone")
    return parsed


def card(record: Any, ctx: Context) -> Rows:
    """One vCard (its text, or as parsed by :func:`parse_card`): an account on platform
    ``contacts`` with every way to reach the person."""
    parsed = parse_card(record) if isinstance(record, str) else record
    name = str(parsed.fn.value).strip() if "fn" in parsed.contents else ""
    if not name and "n" in parsed.contents:
        n = parsed.n.value
        name = " ".join(p for p in (n.prefix, n.given, n.additional, n.family) if p).strip()
    emails = [str(e.value).strip() for e in _values(parsed, "email") if e.value]
    # vCard 4 writes a phone as a URI ("tel:+81-3-1234-5678"); the number is what matters
    phones = [_TEL.sub("", str(t.value).strip()) for t in _values(parsed, "tel") if t.value]
    urls = [str(u.value).strip() for u in _values(parsed, "url") if u.value]
    for key in ("x-socialprofile", "socialprofile", "x-twitter", "x-mastodon", "impp"):
        for item in _values(parsed, key):
            value = _profile_url(key, str(item.value).strip(), item.params)
            if value:
                urls.append(value)
    uid = str(parsed.uid.value).strip() if "uid" in parsed.contents else ""
    key = uid or "card:" + make_id(name, emails[:1], phones[:1])
    location = None
    addresses = []
    for adr in _values(parsed, "adr"):
        v = adr.value
        place = ", ".join(p for p in (v.city, v.region, v.country) if p)
        if place:
            location = location or place
            parts = (v.street, v.city, v.region, v.code, v.country)
            addresses.append(", ".join(str(p).strip() for p in parts if p and str(p).strip()))
    org = str(parsed.org.value[0]) if "org" in parsed.contents and parsed.org.value else None
    title = str(parsed.title.value) if "title" in parsed.contents else None
    note = str(parsed.note.value) if "note" in parsed.contents else None
    if not (name or emails or phones):
        raise ValueError("a card needs a name, an email or a phone")
    rows = Rows()
    acc = rows.account(
        "contacts",
        key,
        display_name=name or None,
        location=location,
        bio=_bio(title, org, note),
        website=urls[0] if urls else None,
    )
    for e in emails:
        rows.contact(acc, "email", e)
    for p in phones:
        rows.contact(acc, "phone", p)
    for u in urls:
        rows.contact(acc, "url", u)
    for a in addresses:
        rows.contact(acc, "address", a)
    return rows


def _reader_vcards(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    for label, text in vcards(stream, ctx):
        try:
            yield label, parse_card(text)
        except ValueError as exc:
            raise InputError(ctx.file, label, str(exc)) from None


def split_multi(cell: str | None) -> list[str]:
    """Google's ``" ::: "``-joined multi-values.

    >>> split_multi("a@x.com ::: b@y.com")
    ['a@x.com', 'b@y.com']
    >>> split_multi("")
    []
    """
    return [part.strip() for part in (cell or "").split(":::") if part.strip()]


def _cells(record: dict[str, str], pattern: str) -> list[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    return [v for k, v in record.items() if k and rx.fullmatch(k.strip()) and v]


def google_contact(record: dict[str, str], ctx: Context) -> Rows:
    """One row of Google Contacts' CSV (current and older column names)."""
    name = (
        record.get("Name")
        or " ".join(
            p
            for p in (
                record.get("First Name") or record.get("Given Name"),
                record.get("Middle Name") or record.get("Additional Name"),
                record.get("Last Name") or record.get("Family Name"),
            )
            if p
        )
    ).strip()
    emails = [e for cell in _cells(record, r"E-mail \d+ - Value") for e in split_multi(cell)]
    phones = [p for cell in _cells(record, r"Phone \d+ - Value") for p in split_multi(cell)]
    sites = [w for cell in _cells(record, r"Website \d+ - Value") for w in split_multi(cell)]
    if not (name or emails or phones):
        raise ValueError("a contact needs a name, an email or a phone")
    city = next(iter(_cells(record, r"Address \d+ - City")), None)
    region = next(iter(_cells(record, r"Address \d+ - Region")), None)
    country = next(iter(_cells(record, r"Address \d+ - Country")), None)
    formatted = _cells(record, r"Address \d+ - Formatted")
    rows = Rows()
    key = "google:" + make_id(name, emails[:1], phones[:1])
    org = record.get("Organization Name") or record.get("Organization 1 - Name")
    title = record.get("Organization Title") or record.get("Organization 1 - Title")
    acc = rows.account(
        "google_contacts",
        key,
        display_name=name or None,
        location=", ".join(x for x in (city, region, country) if x) or None,
        bio=_bio(title, org, record.get("Notes")),
        website=sites[0] if sites else None,
    )
    for e in emails:
        rows.contact(acc, "email", e)
    for p in phones:
        rows.contact(acc, "phone", p)
    for w in sites:
        rows.contact(acc, "url", w)
    for f in formatted:
        rows.contact(acc, "address", f.replace("\n", ", "))
    labels = split_multi(record.get("Labels") or record.get("Group Membership"))
    for label in labels:
        label = label.lstrip("* ").strip()
        # Google's system groups ("* myContacts", "* Starred"; "My Contacts" in old exports)
        if label and label.lower().replace(" ", "") not in {"mycontacts", "starred"}:
            rows.member(rows.list_("google_contacts", label.lower(), label, "group"), acc)
    return rows


def _reader_google(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    return csv_records(stream, ctx.file, ("E-mail 1 - Value",))


def _google_sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return b"E-mail 1 - Value" in first and (b"First Name" in first or b"Given Name" in first)


register(
    Entry(
        "contacts.vcard",
        "contacts",
        ("*.vcf", "*.vcard"),
        _reader_vcards,
        card,
        sniff=lambda h: h.lstrip(b"\xef\xbb\xbf").lstrip().upper().startswith(b"BEGIN:VCARD"),
        priority=40,
        description="vCard address book",
    )
)
register(
    Entry(
        "contacts.google",
        "google_contacts",
        ("contacts.csv", "google*.csv"),
        _reader_google,
        google_contact,
        sniff=_google_sniff,
        priority=40,
        description="Google Contacts CSV",
    )
)
