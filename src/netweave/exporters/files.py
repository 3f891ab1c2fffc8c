"""``netweave export DIR``: everything you keep in netweave, in formats other programs read.

- ``json/TABLE.json``: every table of the workspace as a JSON array, streamed row by row;
- ``csv/TABLE.csv``: the same as CSV, formula-safe (see :func:`csv_safe`);
- ``people.vcf``: one vCard 4.0 per person with their names, emails, phones and the URLs of
  their accounts;
- ``meetups.ics``: planned meet-ups (agenda items still planned, meetings and calls logged
  ahead) as an iCalendar file, written by :func:`netweave.planning.trips.calendar`.

The files are written into a temporary folder next to ``DIR`` and moved into place at the end,
so an interrupted export never leaves a half-written ``DIR``. Password hashes are never
exported.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import orjson
import sqlalchemy as sa

from ..errors import InputError
from ..planning.trips import MeetUp, calendar
from ..store import Store, schema, utcnow
from ..store.portable import tables

__all__ = ["ExportReport", "csv_safe", "export", "vcard", "vcard_escape"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_EXPORTED = {"users": "password hashes are credentials, not your data"}


def csv_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: OWASP's CSV-injection defence.

    >>> csv_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_safe("@ada"), csv_safe("-5"), csv_safe("plain")
    ("'@ada", "'-5", 'plain')
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


@dataclass
class ExportReport:
    """Where the export went and how many rows or records each file holds."""

    directory: str
    files: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON.

        >>> ExportReport("out", {"people.vcf": 2}).as_dict()
        {'directory': 'out', 'files': {'people.vcf': 2}}
        """
        return {"directory": self.directory, "files": dict(self.files)}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict | list):
        return csv_safe(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode())
    return csv_safe(str(value))


def _rows(store: Store, table: sa.Table) -> Iterator[sa.Row[Any]]:
    query = sa.select(table).execution_options(yield_per=2000)
    if "workspace_id" in table.c:
        query = query.where(table.c.workspace_id == store.workspace_id)
    query = query.order_by(*table.primary_key.columns)
    with store.connect() as conn:
        yield from conn.execute(query)


def _write_table(store: Store, table: sa.Table, json_out: IO[bytes], csv_out: IO[str]) -> int:
    columns = [str(c.name) for c in table.columns]
    writer = csv.writer(csv_out, lineterminator="\r\n")
    writer.writerow(columns)
    json_out.write(b"[")
    count = 0
    for row in _rows(store, table):
        json_out.write(
            (b",\n" if count else b"\n") + orjson.dumps(dict(zip(columns, row, strict=True)))
        )
        writer.writerow([_cell(v) for v in row])
        count += 1
    json_out.write(b"\n]\n" if count else b"]\n")
    return count


# --- vCard ----------------------------------------------------------------------------------------


def vcard_escape(text: str) -> str:
    r"""A vCard text value: backslash, comma, semicolon and newlines escaped (RFC 6350 3.4).

    >>> vcard_escape("Smith, Jo; PhD\nBerlin")
    'Smith\\, Jo\\; PhD\\nBerlin'
    """
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    # content lines are folded at 75 octets, never inside a UTF-8 sequence (RFC 6350 3.2)
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def vcard(person: dict[str, Any], contacts: list[tuple[str, str]], urls: list[str]) -> str:
    """One vCard 4.0 for a person: display name, structured name, emails, phones, URLs.

    >>> card = vcard({"person_id": "p1", "display_name": "Ada Lovelace"},
    ...              [("email", "ada@example.com")], ["https://example.com/@ada"])
    >>> card.splitlines()[:4]
    ['BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:netweave:person:p1', 'FN:Ada Lovelace']
    """
    name = " ".join(str(person["display_name"]).split()) or "?"
    parts = name.split(" ")
    family = parts[-1] if len(parts) > 1 else ""
    given = " ".join(parts[:-1]) if len(parts) > 1 else name
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:netweave:person:{person['person_id']}",
        f"FN:{vcard_escape(name)}",
        f"N:{vcard_escape(family)};{vcard_escape(given)};;;",
    ]
    for kind, value in contacts:
        if kind == "email":
            lines.append(f"EMAIL:{vcard_escape(value)}")
        elif kind == "phone":
            lines.append(f"TEL;VALUE=uri:tel:{value.replace(' ', '')}")
        elif kind == "address":
            lines.append(f"ADR:;;{vcard_escape(value)};;;;")
    lines += [f"URL:{vcard_escape(url)}" for url in urls]
    if person.get("location"):
        lines.append(f"NOTE:{vcard_escape('location: ' + str(person['location']))}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _write_vcards(store: Store, out: IO[str]) -> int:
    p, a, link, c = schema.people, schema.accounts, schema.account_links, schema.account_contacts
    ws = store.workspace_id
    contacts: dict[str, list[tuple[str, str]]] = {}
    urls: dict[str, list[str]] = {}
    joined = sa.and_(link.c.workspace_id == c.c.workspace_id, link.c.account_id == c.c.account_id)
    with store.connect() as conn:
        for pid, kind, value in conn.execute(
            sa.select(link.c.person_id, c.c.kind, c.c.value)
            .join(c, joined)
            .where(link.c.workspace_id == ws)
            .order_by(link.c.person_id, c.c.kind, c.c.value)
        ):
            if kind == "url":
                urls.setdefault(pid, []).append(value)
            elif (kind, value) not in contacts.setdefault(pid, []):
                contacts[pid].append((kind, value))
        for pid, url in conn.execute(
            sa.select(link.c.person_id, a.c.url)
            .join(
                a,
                sa.and_(
                    a.c.workspace_id == link.c.workspace_id, a.c.account_id == link.c.account_id
                ),
            )
            .where(link.c.workspace_id == ws, a.c.url.is_not(None))
            .order_by(link.c.person_id, a.c.url)
        ):
            if url not in urls.setdefault(pid, []):
                urls[pid].append(url)
        count = 0
        for person in conn.execute(
            sa.select(p.c.person_id, p.c.display_name, p.c.location)
            .where(p.c.workspace_id == ws, ~p.c.is_owner)
            .order_by(p.c.display_name, p.c.person_id)
        ).mappings():
            pid = person["person_id"]
            out.write(vcard(dict(person), contacts.get(pid, []), sorted(urls.get(pid, []))))
            count += 1
    return count


# --- meet-ups -------------------------------------------------------------------------------------


def planned_meetups(store: Store, today: date | None = None) -> list[MeetUp]:
    """Agenda items with someone, still planned from ``today`` on, and meetings or calls logged
    ahead.

    >>> planned_meetups(Store.open("sqlite://"))
    []
    """
    now = utcnow()
    day = (today or now.date()).isoformat()
    ag, p, i, link = schema.agenda_items, schema.people, schema.interactions, schema.account_links
    ws = store.workspace_id
    events: list[MeetUp] = []
    with store.connect() as conn:
        query = sa.select(p.c.person_id, p.c.display_name).where(p.c.workspace_id == ws)
        names: dict[str, str] = {row.person_id: row.display_name for row in conn.execute(query)}
        for item in conn.execute(
            sa.select(ag)
            .where(
                ag.c.workspace_id == ws,
                ag.c.status == "planned",
                ag.c.day >= day,
                ag.c.person_id.is_not(None),
            )
            .order_by(ag.c.day, ag.c.created_at)
        ).mappings():
            who = names.get(item["person_id"] or "", "")
            events.append(
                MeetUp(
                    item["item_id"],
                    date.fromisoformat(item["day"]),
                    f"{item['kind']}: {who}".strip(": "),
                    item["reason"] or "",
                    item["minutes"],
                )
            )
        counterpart = sa.case(
            (i.c.direction == "received", i.c.actor_account), else_=i.c.target_account
        )
        for row in conn.execute(
            sa.select(i.c.interaction_id, i.c.kind, i.c.occurred_at, i.c.text, link.c.person_id)
            .outerjoin(
                link,
                sa.and_(link.c.workspace_id == i.c.workspace_id, link.c.account_id == counterpart),
            )
            .where(i.c.workspace_id == ws, i.c.kind.in_(["meeting", "call"]), i.c.occurred_at > now)
            .order_by(i.c.occurred_at)
        ):
            who = names.get(row.person_id or "", "someone")
            events.append(
                MeetUp(
                    row.interaction_id, row.occurred_at, f"{row.kind} with {who}", row.text or ""
                )
            )
    return events


# --- the export -----------------------------------------------------------------------------------


def export(store: Store, directory: Path) -> ExportReport:
    """Write every table of the workspace (JSON and CSV), people (vCard) and meet-ups (ICS).

    ``directory`` must not exist yet or be empty; it appears complete or not at all.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(str(directory), None, "exists and is not an empty folder; name a new one")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    report = ExportReport(str(directory))
    try:
        (tmp / "json").mkdir()
        (tmp / "csv").mkdir()
        for table in tables():
            name = str(table.name)
            if name in _NOT_EXPORTED:
                continue
            with (
                (tmp / "json" / f"{name}.json").open("wb") as json_out,
                (tmp / "csv" / f"{name}.csv").open("w", encoding="utf-8", newline="") as csv_out,
            ):
                report.files[f"json/{name}.json"] = _write_table(store, table, json_out, csv_out)
            report.files[f"csv/{name}.csv"] = report.files[f"json/{name}.json"]
        with (tmp / "people.vcf").open("w", encoding="utf-8", newline="") as out:
            report.files["people.vcf"] = _write_vcards(store, out)
        meetups = planned_meetups(store)
        (tmp / "meetups.ics").write_text(calendar(meetups), encoding="utf-8", newline="")
        report.files["meetups.ics"] = len(meetups)
        if directory.exists():
            directory.rmdir()
        tmp.replace(directory)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report
