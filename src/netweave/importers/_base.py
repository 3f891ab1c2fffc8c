"""The importer registry: one declarative entry per (source, file pattern), with pure transforms.

An :class:`Entry` says which files it reads (a glob on the path inside the export plus a sniff of
the first bytes, so a renamed file is still recognised), how to split the file into records
(``reader``) and how to turn one record into rows (``transform``, pure: no I/O). Saving is generic
(:mod:`netweave.importers._save`).

Example:

    >>> rows = Rows()
    >>> ada = rows.account("twitter", "12", handle="ada", display_name="Ada")
    >>> rows.interaction("twitter", "post", "t1", actor=ada, occurred_at=ts_iso("2020-01-02"),
    ...                  direction="given", text="hello")
    '...'
    >>> len(rows.accounts), len(rows.interactions)
    (1, 1)
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from ..store import make_id

__all__ = [
    "REGISTRY",
    "Context",
    "Entry",
    "Record",
    "Rows",
    "account_id",
    "register",
    "ts_epoch",
    "ts_iso",
    "ts_twitter",
]

# --- timestamps: transforms emit the canonical text form the store accepts as-is ----------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def canonical(dt: datetime) -> str:
    """The store's canonical text form of an instant (fixed width, sorts like time).

    >>> canonical(datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC))
    '2018-10-10T20:19:24.000000Z'
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ts_twitter(value: str) -> str:
    """Twitter's ``created_at`` ("Wed Oct 10 20:19:24 +0000 2018") in canonical form.

    >>> ts_twitter("Wed Oct 10 20:19:24 +0000 2018")
    '2018-10-10T20:19:24.000000Z'
    >>> ts_twitter("Wed Oct 10 20:19:24 +0200 2018")
    '2018-10-10T18:19:24.000000Z'
    """
    parts = value.split()
    if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS:
        # the common case, without strptime: archives hold hundreds of thousands of these
        return f"{parts[5]}-{_MONTHS[parts[1]]:02d}-{int(parts[2]):02d}T{parts[3]}.000000Z"
    return canonical(datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y"))


def ts_iso(value: str) -> str:
    """An ISO 8601 date or date-time (``Z`` or offset; naive means UTC) in canonical form.

    >>> ts_iso("2021-01-12")
    '2021-01-12T00:00:00.000000Z'
    >>> ts_iso("2022-11-05T14:03:00.123Z")
    '2022-11-05T14:03:00.123000Z'
    """
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return canonical(datetime.fromisoformat(text))


def ts_epoch(seconds: float) -> str:
    """Seconds (or milliseconds, if large) since the epoch, in canonical form.

    >>> ts_epoch(1_600_000_000)
    '2020-09-13T12:26:40.000000Z'
    >>> ts_epoch(1_600_000_000_000)
    '2020-09-13T12:26:40.000000Z'
    """
    if seconds > 1e11:
        seconds = seconds / 1000.0
    return canonical(datetime.fromtimestamp(seconds, UTC))


# --- rows --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # the same few accounts recur on most records
def account_id(platform: str, key: str) -> str:
    """The deterministic id of an account (platform + its stable key).

    >>> account_id("mastodon", "ada@hachyderm.io") == account_id("mastodon", "ada@hachyderm.io")
    True
    """
    return make_id("account", platform, key)


@dataclass
class Rows:
    """Rows produced by transforms, per table, ready for the generic saver.

    Accounts met several times in one batch are merged: later non-empty fields fill earlier ones,
    ``first_seen`` / ``last_seen`` widen.
    """

    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    account_contacts: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    interactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    list_members: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)

    TABLE_ORDER = ("accounts", "account_contacts", "lists", "list_members", "edges", "interactions")

    def account(self, platform: str, key: str, *, seen: str | None = None, **fields: Any) -> str:
        """Add (or merge) an account and return its id. ``key`` is the platform id or handle."""
        key = str(key).strip()
        if not key.isdigit():
            key = key.lower()
        aid = account_id(platform, key)
        row = self.accounts.get(aid)
        if row is None:
            row = {"account_id": aid, "platform": platform, "key": key}
            self.accounts[aid] = row
        for name, value in fields.items():
            if value not in (None, "") and (row.get(name) in (None, "") or name == "is_owner"):
                row[name] = value
        if seen:
            if not row.get("first_seen") or seen < row["first_seen"]:
                row["first_seen"] = seen
            if not row.get("last_seen") or seen > row["last_seen"]:
                row["last_seen"] = seen
        return aid

    def contact(self, account: str, kind: str, value: str | None) -> None:
        """Attach an email, phone, url or address to an account (normalised lightly)."""
        if not value or not value.strip():
            return
        value = value.strip()
        if kind == "email":
            value = value.lower()
        self.account_contacts[(account, kind, value)] = {
            "account_id": account,
            "kind": kind,
            "value": value[:500],
        }

    def edge(
        self,
        from_account: str,
        to_account: str,
        kind: str,
        *,
        since: str | None = None,
        seen: str | None = None,
    ) -> None:
        """A relationship edge (follows, connected, friend, blocked, ...)."""
        self.edges[(from_account, to_account, kind)] = {
            "from_account": from_account,
            "to_account": to_account,
            "kind": kind,
            "since": since,
            "first_seen": seen or since,
            "last_seen": seen or since,
        }

    def interaction(
        self,
        platform: str,
        kind: str,
        natural_key: str,
        *,
        actor: str | None,
        occurred_at: str,
        direction: str,
        target: str | None = None,
        text: str | None = None,
        url: str | None = None,
        thread_id: str | None = None,
        in_reply_to: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """An entry in the ledger; its id comes from the platform's natural key."""
        iid = make_id("interaction", platform, kind, natural_key)
        self.interactions[iid] = {
            "interaction_id": iid,
            "platform": platform,
            "kind": kind,
            "actor_account": actor,
            "target_account": target,
            "occurred_at": occurred_at,
            "text": text,
            "url": url,
            "direction": direction,
            "thread_id": thread_id,
            "in_reply_to": in_reply_to,
            "extra": extra,
        }
        return iid

    def list_(
        self,
        platform: str,
        key: str,
        name: str,
        kind: str = "list",
        description: str | None = None,
        created_at: str | None = None,
    ) -> str:
        """An imported list, group or page; returns its id."""
        lid = make_id("list", platform, key)
        self.lists[lid] = {
            "list_id": lid,
            "name": name,
            "kind": kind,
            "platform": platform,
            "description": description,
            "created_at": created_at or "1970-01-01T00:00:00.000000Z",
        }
        return lid

    def member(self, list_id: str, account: str, added_at: str | None = None) -> None:
        """An account on an imported list."""
        self.list_members[(list_id, "account", account)] = {
            "list_id": list_id,
            "member_type": "account",
            "member_id": account,
            "added_at": added_at,
        }

    def merge(self, other: Rows) -> None:
        """Fold another batch's rows into this one (accounts merged field by field)."""
        for aid, row in other.accounts.items():
            mine = self.accounts.get(aid)
            if mine is None:
                self.accounts[aid] = dict(row)
                continue
            for name, value in row.items():
                if name == "first_seen":
                    if value and (not mine.get(name) or value < mine[name]):
                        mine[name] = value
                elif name == "last_seen":
                    if value and (not mine.get(name) or value > mine[name]):
                        mine[name] = value
                elif value not in (None, "") and mine.get(name) in (None, ""):
                    mine[name] = value
        self.account_contacts.update(other.account_contacts)
        self.edges.update(other.edges)
        self.interactions.update(other.interactions)
        self.lists.update(other.lists)
        self.list_members.update(other.list_members)

    def __len__(self) -> int:
        return sum(len(getattr(self, t)) for t in self.TABLE_ORDER)


# --- context and registry ---------------------------------------------------------------------


@dataclass
class Context:
    """What a transform may know beyond its record: who the owner is, and the file it reads.

    ``owner`` maps a platform to the owner's account id there, ``owner_key`` to that account's
    key (platform id or handle); entries that identify the owner (Twitter account.js, Mastodon
    actor.json, LinkedIn Profile.csv) run first, and rows they mark ``is_owner`` fill both.
    ``owner_handles`` holds the owner's handles from config (lower case, without a leading @).
    ``owner_emails`` and ``owner_domains`` (lower case, without ``www.``) come from config too.
    ``state`` is scratch space an importer may use across the records of one export (e.g. the
    Twitter owner's handle) and must be derived from the export itself.
    """

    file: str = ""
    owner: dict[str, str] = field(default_factory=dict)
    owner_key: dict[str, str] = field(default_factory=dict)
    owner_handles: set[str] = field(default_factory=set)
    owner_emails: set[str] = field(default_factory=set)
    owner_domains: set[str] = field(default_factory=set)
    state: dict[str, Any] = field(default_factory=dict)

    def is_owner_handle(self, handle: str | None) -> bool:
        """True if ``handle`` is one of the owner's (config), ignoring case and a leading @."""
        return bool(handle) and handle.lower().lstrip("@") in self.owner_handles  # type: ignore[union-attr]

    def direction(self, actor: str | None, platform: str) -> str:
        """given if the owner acted, received if someone else did, neutral if unknown."""
        owner = self.owner.get(platform)
        if actor is None or owner is None:
            return "neutral"
        return "given" if actor == owner else "received"


Record = tuple[str, Any]  # (label for error messages, e.g. "record 12", the parsed record)
Reader = Callable[[IO[bytes], Context], Iterator[Record]]
Transform = Callable[[Any, Context], Rows]


@dataclass(frozen=True)
class Entry:
    """One kind of file an importer reads.

    ``patterns`` are globs matched against the path inside the export (case-insensitive);
    ``sniff`` looks at the first 4 KiB and must agree with the name; a file whose name matches no
    entry is still read by an entry whose ``sniff`` recognises its content (``sniff`` None means
    the name alone decides); ``priority`` orders files within one export (owner files first).
    """

    source: str
    platform: str
    patterns: tuple[str, ...]
    reader: Reader
    transform: Transform
    sniff: Callable[[bytes], bool] | None = None
    priority: int = 50
    description: str = ""

    def name_matches(self, inner_path: str) -> bool:
        """True if the path inside the export matches one of ``patterns``."""
        path = inner_path.replace("\\", "/").lower()
        return any(
            fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], p)
            for p in self.patterns
        )

    def content_matches(self, head: bytes) -> bool:
        """True if ``sniff`` recognises the first bytes of the file."""
        return self.sniff is not None and self.sniff(head)


REGISTRY: list[Entry] = []


def register(entry: Entry) -> Entry:
    """Add an entry to the registry (importer modules call this at import time)."""
    if any(e.source == entry.source for e in REGISTRY):
        raise ValueError(f"importer source {entry.source!r} registered twice")
    REGISTRY.append(entry)
    return entry


def entries_for(inner_path: str, head: bytes) -> list[Entry]:
    """Registry entries that read this file: name and content first, then content alone."""
    named = [
        e for e in REGISTRY if e.name_matches(inner_path) and (e.sniff is None or e.sniff(head))
    ]
    return named or [e for e in REGISTRY if e.content_matches(head)]


_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,50})$")


def plain_handle(value: str | None) -> str | None:
    """A Twitter-style handle without @, or None if it is not one.

    >>> plain_handle("@Terrillific")
    'Terrillific'
    >>> plain_handle("not a handle") is None
    True
    """
    if not value:
        return None
    m = _HANDLE.match(value.strip())
    return m.group(1) if m else None


def batched(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Group records into lists of ``size``."""
    batch: list[Record] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
