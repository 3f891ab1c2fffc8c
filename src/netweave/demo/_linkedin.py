"""The LinkedIn data export zip: CSV files with a byte-order mark and CRLF line ends;
Connections.csv opens with LinkedIn's "Notes:" paragraph about missing e-mail addresses.

    >>> from datetime import UTC, datetime
    >>> sent_at(datetime(2025, 1, 5, 15, 22, tzinfo=UTC))
    '1/5/25, 3:22 PM'
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import datetime
from pathlib import Path

from ._files import write_zip
from ._world import OWNER, Event, Person, World, digest

__all__ = ["NOTES", "sent_at", "write"]

NOTES = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n\r\n'
)
_ME_URL = f"https://www.linkedin.com/in/{OWNER.linkedin}"


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def sent_at(when: datetime) -> str:
    """Invitations.csv's US short date and time (no leading zeros)."""
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return f"{when.month}/{when.day}/{when.year % 100:02d}, {hour}:{when.minute:02d} {ampm}"


def _name(p: Person) -> str:
    assert p.linkedin is not None
    return f"{p.linkedin.first} {p.linkedin.last}"


def _conversation_id(key: str) -> str:
    raw = digest("linkedin-conversation", key)
    uuid = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}_010"
    return "2-" + base64.b64encode(uuid.encode()).decode()


def _messages(w: World) -> list[list[str]]:
    rows: list[list[str]] = []
    for e in w.on("linkedin"):
        p = e.person
        if e.kind != "dm" or p is None or p.linkedin is None:
            continue
        them = (_name(p), p.linkedin.url)
        me = (OWNER.name, _ME_URL)
        (sender, sender_url), (to, to_url) = (me, them) if e.direction == "given" else (them, me)
        subject = "Developer Advocate role" if e.thread == "recruit" else ""
        rows.append([
            _conversation_id(f"{p.idx}:{e.thread}"), "", sender, sender_url, to, to_url,
            e.when.strftime("%Y-%m-%d %H:%M:%S UTC"), subject, _content(e, p), "INBOX", "No",
        ])  # fmt: skip
    rows.reverse()  # newest first, as LinkedIn lists them
    header = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
              "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
              "IS MESSAGE DRAFT"]  # fmt: skip
    return [header, *rows]


def _content(e: Event, p: Person) -> str:
    """Longer messages come as letters, with greeting and signature on their own lines."""
    if e.direction == "received" and (e.ask or e.thread == "recruit"):
        return f"{e.text}\n\nThanks,\n{p.first}"
    return e.text


def _connections(w: World) -> list[list[str]]:
    rows = []
    people = [p for p in w.people if p.linkedin and p.linkedin.connected < w.now]
    people.sort(key=lambda p: p.linkedin.connected if p.linkedin else w.now, reverse=True)
    for p in people:
        li = p.linkedin
        assert li is not None
        email = p.email if li.email_visible and p.email else ""
        rows.append([li.first, li.last, li.url, email, p.company, p.title,
                     li.connected.strftime("%d %b %Y")])  # fmt: skip
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
              "Connected On"]  # fmt: skip
    return [header, *rows]


def _invitations(w: World) -> list[list[str]]:
    rows = []
    recent = [
        p
        for p in w.people
        if p.linkedin and p.linkedin.connected > w.day(365) and p.role != "acquaintance"
    ]
    for p in sorted(
        recent, key=lambda p: p.linkedin.connected if p.linkedin else w.now, reverse=True
    ):
        li = p.linkedin
        assert li is not None
        when = li.connected.replace(hour=14 + p.idx % 6, minute=p.idx % 60)
        if li.invited_by_owner:
            rows.append([OWNER.name, _name(p), sent_at(when), li.message, "OUTGOING", _ME_URL,
                         li.url])  # fmt: skip
        else:
            rows.append([_name(p), OWNER.name, sent_at(when), li.message, "INCOMING", li.url,
                         _ME_URL])  # fmt: skip
    header = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
              "inviteeProfileUrl"]  # fmt: skip
    return [header, *rows]


def write(w: World, directory: Path) -> Path:
    """Write ``linkedin-export.zip``; returns its path."""
    bom = b"\xef\xbb\xbf"
    profile = [
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
         "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
         "Instant Messengers"],
        [OWNER.first, OWNER.last, "", "", "Mar 4, 1990",
         "Community builder | Python packaging & accessibility",
         "I help people find each other.\nAsk me about packaging, accessibility and Chicago "
         "meetups.", "Non-profit Organizations", "60614", "Chicago, Illinois, United States",
         f"[{OWNER.twitter_handle}]", f"[PERSONAL:{OWNER.site}]", ""],
    ]  # fmt: skip
    emails = [
        ["Email Address", "Confirmed", "Primary", "Updated On"],
        [OWNER.email, "Yes", "Yes", "Not Available"],
    ]
    members = [
        ("Connections.csv", bom + NOTES.encode() + _csv(_connections(w))),
        ("Email Addresses.csv", bom + _csv(emails)),
        ("Invitations.csv", bom + _csv(_invitations(w))),
        ("messages.csv", bom + _csv(_messages(w))),
        ("Profile.csv", bom + _csv(profile)),
    ]
    return write_zip(directory / "linkedin-export.zip", members, w.now)
