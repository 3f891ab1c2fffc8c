"""Trips: who is in the city I am going to, whom to meet, and an ICS file of the meet-ups.

Seed 000: "I had the privilege to meet a Twitter friend of mine for dinner while he was in
Chicago." Locations come from profiles, address books and notes; place names are normalised
("Chicago, IL", "chicago, illinois, united states" and "Chi-town" are one place).

    >>> place_key("Chicago, Illinois, United States")
    'chicago'
    >>> place_key("NYC")
    'new york'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from unidecode import unidecode

from ..errors import InputError
from ..store import Store, make_id, schema, utcnow

__all__ = ["MeetUp", "TripMatch", "calendar", "ics", "place_key", "trip"]

_ALIASES = {
    "nyc": "new york",
    "new york city": "new york",
    "ny": "new york",
    "chi-town": "chicago",
    "chitown": "chicago",
    "sf": "san francisco",
    "la": "los angeles",
    "münchen": "munich",
    "munchen": "munich",
    "wien": "vienna",
    "köln": "cologne",
    "koln": "cologne",
    "lisboa": "lisbon",
    "roma": "rome",
}


def place_key(text: str | None) -> str | None:
    """The city part of a place name, lower-cased, accents folded, aliases mapped."""
    if not text:
        return None
    first = re.split(r"[,/|(•·]", text)[0].strip().lower()
    first = _ALIASES.get(first, first)
    first = unidecode(first).strip()
    first = _ALIASES.get(first, first)
    return first or None


@dataclass
class TripMatch:
    person_id: str
    name: str
    where: str
    strength: float
    score: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def trip(store: Store, city: str, *, limit: int = 20) -> list[TripMatch]:
    """People located in ``city``, strongest ties and goal-linked people first."""
    key = place_key(city)
    if not key:
        raise InputError("", None, "name the city you are going to")
    p, a, c, link, ts, n, gl = (
        schema.people,
        schema.accounts,
        schema.account_contacts,
        schema.account_links,
        schema.tie_scores,
        schema.notes,
        schema.goal_links,
    )
    ws = store.workspace_id
    places: dict[str, tuple[str, str]] = {}
    with store.connect() as conn:
        for pid, loc in conn.execute(
            sa.select(p.c.person_id, p.c.location).where(
                p.c.workspace_id == ws, ~p.c.is_owner, p.c.location.is_not(None)
            )
        ):
            if place_key(loc) == key:
                places.setdefault(pid, (loc, "profile location"))
        for pid, loc, platform in conn.execute(
            sa.select(link.c.person_id, a.c.location, a.c.platform)
            .select_from(
                a.join(
                    link,
                    sa.and_(
                        link.c.workspace_id == a.c.workspace_id, link.c.account_id == a.c.account_id
                    ),
                )
            )
            .where(a.c.workspace_id == ws, ~a.c.is_owner, a.c.location.is_not(None))
        ):
            if place_key(loc) == key:
                places.setdefault(pid, (loc, f"{platform} profile says {loc}"))
        for pid, value in conn.execute(
            sa.select(link.c.person_id, c.c.value)
            .select_from(
                c.join(
                    link,
                    sa.and_(
                        link.c.workspace_id == c.c.workspace_id, link.c.account_id == c.c.account_id
                    ),
                )
            )
            .where(c.c.workspace_id == ws, c.c.kind == "address")
        ):
            if any(place_key(part) == key for part in value.split(",")):
                places.setdefault(pid, (value, "address book"))
        pattern = re.compile(rf"\b{re.escape(key)}\b", re.IGNORECASE)
        for pid, text in conn.execute(
            sa.select(n.c.person_id, n.c.text).where(n.c.workspace_id == ws)
        ):
            if pattern.search(unidecode(text)):
                places.setdefault(pid, (text[:60], "your note"))
        ids = sorted(places)
        strengths = (
            dict(
                conn.execute(
                    sa.select(ts.c.person_id, ts.c.strength).where(
                        ts.c.workspace_id == ws, ts.c.person_id.in_(ids)
                    )
                ).all()
            )
            if ids
            else {}
        )
        names = (
            dict(
                conn.execute(
                    sa.select(p.c.person_id, p.c.display_name).where(
                        p.c.workspace_id == ws, p.c.person_id.in_(ids)
                    )
                ).all()
            )
            if ids
            else {}
        )
        in_goals = set(
            conn.execute(
                sa.select(gl.c.link_value).where(
                    gl.c.workspace_id == ws, gl.c.link_type == "person"
                )
            ).scalars()
        )
    out = []
    for pid in ids:
        strength = float(strengths.get(pid) or 0.0)
        bonus = 0.3 if pid in in_goals else 0.0
        where, why = places[pid]
        out.append(
            TripMatch(
                pid,
                names.get(pid, "?"),
                where,
                strength,
                round(strength + bonus, 4),
                why + ("; linked to one of your goals" if bonus else ""),
            )
        )
    out.sort(key=lambda m: (-m.score, m.name.lower(), m.person_id))
    return out[:limit]


def _ics_time(dt: datetime) -> str:
    """UTC with a ``Z`` for an aware time; a naive one stays floating (the reader's local time)."""
    if dt.tzinfo is not None:
        return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return dt.strftime("%Y%m%dT%H%M%S")


@dataclass(frozen=True)
class MeetUp:
    """One proposed or planned meeting: a timed slot, or a whole day when ``start`` is a date."""

    uid: str
    start: date | datetime
    summary: str
    description: str = ""
    minutes: int = 75


def calendar(events: list[MeetUp], *, stamp: datetime | None = None) -> str:
    """An iCalendar (RFC 5545) file of meet-ups, tentative until they happen.

    ``DTSTAMP`` (when the file was made) is ``stamp`` in UTC, as the standard requires; timed
    events are in UTC when their time is aware, floating otherwise.

    >>> text = calendar([MeetUp("m1", date(2024, 5, 1), "Coffee with Ada", "reconnect")])
    >>> "DTSTART;VALUE=DATE:20240501" in text and "SUMMARY:Coffee with Ada" in text
    True
    >>> from zoneinfo import ZoneInfo
    >>> chicago = datetime(2024, 5, 1, 18, 0, tzinfo=ZoneInfo("America/Chicago"))
    >>> text = calendar([MeetUp("m2", chicago, "Dinner")], stamp=chicago)
    >>> [line for line in text.splitlines() if line.startswith(("DTSTAMP", "DTSTART"))]
    ['DTSTAMP:20240501T230000Z', 'DTSTART:20240501T230000Z']
    """
    stamp_text = _ics_time((stamp or utcnow()).astimezone(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netweave//trip//EN", "CALSCALE:GREGORIAN"]
    for event in events:
        if isinstance(event.start, datetime):
            when = [
                f"DTSTAMP:{stamp_text}",
                f"DTSTART:{_ics_time(event.start)}",
                f"DTEND:{_ics_time(event.start + timedelta(minutes=event.minutes))}",
            ]
        else:
            when = [
                f"DTSTAMP:{stamp_text}",
                f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
                f"DTEND;VALUE=DATE:{(event.start + timedelta(days=1)).strftime('%Y%m%d')}",
            ]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@netweave",
            *when,
            f"SUMMARY:{_escape(event.summary)}",
            f"DESCRIPTION:{_escape(event.description)}",
            "STATUS:TENTATIVE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def ics(city: str, start: date, end: date, matches: list[TripMatch], per_day: int = 2) -> str:
    """An iCalendar file proposing meet-ups: evenings at 18:00 and 19:30, local time.

    >>> text = ics("Chicago", date(2024, 5, 1), date(2024, 5, 2),
    ...            [TripMatch("p1", "Terrill", "Chicago", 0.8, 0.8, "profile")])
    >>> "SUMMARY:Meet Terrill in Chicago" in text
    True
    """
    if end < start:
        raise InputError("", None, "the trip ends before it starts")
    slots = []
    day = start
    while day <= end:
        slots += [datetime.combine(day, time(18, 0)), datetime.combine(day, time(19, 30))][:per_day]
        day += timedelta(days=1)
    return calendar(
        [
            MeetUp(
                make_id("meetup", city, match.person_id, slot.isoformat()),
                slot,
                f"Meet {match.name} in {city}",
                match.reason,
            )
            for match, slot in zip(matches, slots, strict=False)
        ]
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
