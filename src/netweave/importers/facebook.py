"""Facebook "Download your information" export, JSON format (a zip or its unpacked folder).

Where the files are depends on the export's age; every layout is matched:

- the owner: ``profile_information/profile_information.json`` (``{"profile_v2": {...}}``, in
  older exports ``{"profile": {...}}``; newer ones put it under ``personal_information/``);
- friends: ``friends_and_followers/friends.json`` (``{"friends_v2": [{"name", "timestamp"}]}``),
  ``connections/friends/your_friends.json`` in newer exports, ``friends/friends.json``
  (``{"friends": [...]}``) in older ones; likewise removed friends and friend requests sent,
  received and rejected;
- comments and reactions on others' posts: ``comments_and_reactions/comments.json``
  (``{"comments_v2": [...]}``) and ``likes_and_reactions/posts_and_comments.json``
  (``{"reactions_v2": [...]}``), the post's author named only in the title;
- messages: ``messages/<folder>/<thread>/message_1.json``, ``message_2.json``, ... (newer:
  under ``your_activity_across_facebook/`` or ``your_facebook_activity/``), each one JSON
  document with ``participants``, ``messages``, ``title`` and ``thread_path``.

Facebook writes every string as UTF-8 bytes escaped one by one as Latin-1 code points ("José" is
``"Jos\\u00c3\\u00a9"``); :func:`repair` undoes that. Friends have no ids, so accounts are keyed by
the normalised name, which is also how message senders are named.

Example:

    >>> repair("Jos\\u00c3\\u00a9 \\u00f0\\u009f\\u0098\\u0080")
    'José 😀'
    >>> record = repaired({"name": "Zo\\u00c3\\u00ab Lambert", "timestamp": 1590000000})
    >>> rows = friend(record, Context())
    >>> sorted(a["key"] for a in rows.accounts.values())
    ['self', 'zoë lambert']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..errors import InputError
from ._base import Context, Entry, Record, Rows, register, ts_epoch
from ._readers import json_document

__all__ = [
    "comment",
    "friend",
    "friend_request_received",
    "friend_request_rejected",
    "friend_request_sent",
    "message",
    "name_key",
    "profile_information",
    "reaction",
    "removed_friend",
    "repair",
    "repaired",
]

PLATFORM = "facebook"
SELF = "self"  # stand-in key for the owner until profile_information.json says who they are
_STATE = "facebook.owner"
# A message to a small group addresses each member; in a large one it addresses the room.
FANOUT = 12
# Senders Facebook no longer names (deleted or deactivated accounts): one per thread, not one
# account for everybody who ever left.
_ANONYMOUS = {"", "facebook user", "facebook member", "instagram user"}


# --- text --------------------------------------------------------------------------------------


def repair(text: str) -> str:
    """Undo Facebook's mojibake (UTF-8 bytes shown as Latin-1); other text is returned as is.

    >>> repair("Zo\\u00c3\\u00ab")
    'Zoë'
    >>> repair("Zoë")  # already right: U+00EB alone is not valid UTF-8, so it stays
    'Zoë'
    >>> repair("山田")
    '山田'
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def repaired(value: Any) -> Any:
    """``value`` with :func:`repair` applied to every string inside it (keys are ASCII).

    >>> repaired({"participants": [{"name": "Jos\\u00c3\\u00a9"}], "n": 2})
    {'participants': [{'name': 'José'}], 'n': 2}
    """
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, list):
        return [repaired(v) for v in value]
    if isinstance(value, dict):
        return {k: repaired(v) for k, v in value.items()}
    return value


def name_key(name: str | None) -> str:
    """A person's name as an account key: Unicode-normalised, spaces collapsed, lower case.

    >>> name_key(" Zoë  Lambert ")
    'zoë lambert'
    """
    return " ".join(unicodedata.normalize("NFC", name or "").split()).lower()


def _person_key(name: str, thread: str) -> str:
    key = name_key(name)
    return f"{key or 'unknown'} ({thread})" if key in _ANONYMOUS else key


def _people(thread: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, account key) of each participant; the reader works them out once per thread."""
    people: list[tuple[str, str]] | None = thread.get("people")
    if people is None:
        people = [(p, _person_key(p, thread["path"])) for p in thread["participants"]]
    return people


# --- the owner ---------------------------------------------------------------------------------


@dataclass
class _Owner:
    """What this export has revealed about its owner (kept in ``Context.state``)."""

    key: str | None = None
    threads: set[str] = field(default_factory=set)
    common: set[str] | None = None  # names in every thread the owner is still part of


def _owner_state(ctx: Context) -> _Owner:
    state: _Owner | None = ctx.state.get(_STATE)
    if state is None:
        key = ctx.owner_key.get(PLATFORM)
        state = _Owner(key if key and key != SELF else None)
        ctx.state[_STATE] = state
    return state


def _owner(rows: Rows, ctx: Context) -> str:
    key = _owner_state(ctx).key
    if key is None:
        return rows.account(PLATFORM, SELF, is_owner=True, display_name="me (Facebook)")
    return rows.account(PLATFORM, key, is_owner=True)


def _thread_owner(state: _Owner, thread: dict[str, Any]) -> str | None:
    """The owner's key: from profile_information.json, else the one name found in every thread
    (only once two threads agree; until then messages are neutral)."""
    if state.key:
        return state.key
    path = thread["path"]
    if path not in state.threads and thread.get("still_participant", True):
        state.threads.add(path)
        names = {key for _, key in _people(thread)}
        state.common = names if state.common is None else state.common & names
    if len(state.threads) >= 2 and state.common and len(state.common) == 1:
        return next(iter(state.common))
    return None


# --- transforms --------------------------------------------------------------------------------


def profile_information(record: dict[str, Any], ctx: Context) -> Rows:
    """profile_information.json: the owner (name, city, emails, phones, websites)."""
    name_field = record.get("name")
    name = name_field.get("full_name") if isinstance(name_field, dict) else name_field
    if not isinstance(name, str) or not name.strip():
        raise ValueError("profile has no name.full_name")
    state = _owner_state(ctx)
    state.key = name_key(name)
    sites = [w.get("address") for w in record.get("websites") or [] if w.get("address")]
    uri = record.get("profile_uri")
    city = (record.get("current_city") or {}).get("name")
    registered = record.get("registration_timestamp")
    rows = Rows()
    owner = rows.account(
        PLATFORM,
        state.key,
        is_owner=True,
        display_name=name.strip(),
        handle=uri.rstrip("/").rsplit("/", 1)[-1] if uri and "profile.php" not in uri else None,
        url=uri,
        location=city,
        website=sites[0] if sites else None,
        seen=ts_epoch(registered) if registered else None,
    )
    emails = record.get("emails") or {}
    for kind in ("emails", "previous_emails"):
        for email in emails.get(kind) or []:
            rows.contact(owner, "email", email)
    for phone in record.get("phone_numbers") or []:
        rows.contact(owner, "phone", phone.get("phone_number"))
    for site in sites:
        rows.contact(owner, "url", site)
    return rows


def _person(rows: Rows, record: dict[str, Any]) -> tuple[str, str | None]:
    name = record["name"]
    when = ts_epoch(record["timestamp"]) if record.get("timestamp") else None
    acc = rows.account(PLATFORM, name_key(name), display_name=name.strip(), seen=when)
    contact = record.get("contact_info")
    if isinstance(contact, str) and "@" in contact:
        rows.contact(acc, "email", contact)
    return acc, when


def friend(record: dict[str, Any], ctx: Context) -> Rows:
    """friends.json / your_friends.json: a friend, and since when."""
    rows = Rows()
    owner = _owner(rows, ctx)
    them, since = _person(rows, record)
    rows.edge(owner, them, "friend", since=since)
    return rows


def removed_friend(record: dict[str, Any], ctx: Context) -> Rows:
    """removed_friends.json: someone who was a friend (the account is kept, no edge)."""
    rows = Rows()
    them, when = _person(rows, record)
    rows.accounts[them]["extra"] = {"facebook_unfriended_at": when}
    return rows


def _request(direction: str, rejected: bool = False) -> Callable[[dict[str, Any], Context], Rows]:
    def transform(record: dict[str, Any], ctx: Context) -> Rows:
        rows = Rows()
        owner = _owner(rows, ctx)
        them, when = _person(rows, record)
        if when is None:
            raise ValueError("a friend request without a timestamp")
        actor, target = (owner, them) if direction == "given" else (them, owner)
        rows.interaction(
            PLATFORM,
            "invitation",
            f"{direction}|{name_key(record['name'])}|{record['timestamp']}",
            actor=actor,
            target=target,
            occurred_at=when,
            direction=direction,
            extra={"rejected": True} if rejected else None,
        )
        return rows

    return transform


friend_request_sent = _request("given")
friend_request_received = _request("received")
friend_request_rejected = _request("received", rejected=True)

# "Mia Okafor commented on Terrill Thompson's post.", "... replied to Zoë Lambert's comment.",
# "... likes José García's photo."; "... commented on her own post." names nobody else.
_ON_WHOSE = re.compile(
    r"\b(?:commented on|replied to|likes|liked|reacted to)\s+(.+?)['\u2019]s?\s+[\w ]+\.?$"
)


def _whose(title: object) -> str | None:
    """Whose post a comment or reaction was on, from its title.

    >>> _whose("Mia Okafor commented on Siobhán O'Sullivan's photo.")
    "Siobhán O'Sullivan"
    >>> _whose("Mia Okafor commented on her own post.") is None
    True
    """
    m = _ON_WHOSE.search(title) if isinstance(title, str) else None
    return m.group(1).strip() if m else None


def _activity(kind: str) -> Callable[[dict[str, Any], Context], Rows]:
    def transform(record: dict[str, Any], ctx: Context) -> Rows:
        rows = Rows()
        owner = _owner(rows, ctx)
        data = next((d for d in record.get("data") or [] if isinstance(d, dict)), {})
        body = data.get("comment" if kind == "comment" else "reaction") or {}
        stamp = body.get("timestamp") or record["timestamp"]
        when = ts_epoch(stamp)
        whose = _whose(record.get("title"))
        target = None
        if whose:
            target = rows.account(PLATFORM, name_key(whose), display_name=whose, seen=when)
        text = body.get("comment") if kind == "comment" else body.get("reaction")
        rows.interaction(
            PLATFORM,
            kind,
            f"{kind}|{stamp}|{name_key(whose)}|{text or ''}",
            actor=owner,
            target=target,
            occurred_at=when,
            direction="given",
            text=text,
            extra={"group": body["group"]} if body.get("group") else None,
        )
        return rows

    transform.__name__ = kind
    return transform


comment = _activity("comment")
reaction = _activity("like")

_SKIP_TYPES = {"Subscribe", "Unsubscribe"}  # "joined/left the group" notices


def message(record: dict[str, Any], ctx: Context) -> Rows:
    """One message of a thread: a dm (or call) given by the owner to each other participant,
    received from anyone else; reactions between the owner and others become likes."""
    rows = Rows()
    thread, msg = record["thread"], record["message"]
    if msg.get("type") in _SKIP_TYPES:
        return rows
    sender = msg.get("sender_name")
    if not isinstance(sender, str):
        raise ValueError("message has no sender_name")
    stamp = int(msg["timestamp_ms"])
    when = ts_epoch(stamp)
    path: str = thread["path"]
    state = _owner_state(ctx)
    owner_key = _thread_owner(state, thread)

    def account(name: str) -> str:
        key = _person_key(name, path)
        mine = key == owner_key or None
        return rows.account(PLATFORM, key, display_name=name.strip(), seen=when, is_owner=mine)

    sender_key = _person_key(sender, path)
    actor = account(sender)
    people = _people(thread)
    others = [(name, key) for name, key in people if key not in (sender_key, owner_key)]
    share = msg.get("share") if isinstance(msg.get("share"), dict) else {}
    extra: dict[str, Any] = {
        k: v
        for k, v in (
            ("type", msg.get("type") if msg.get("type") not in (None, "Generic") else None),
            ("photos", len(msg.get("photos") or []) or None),
            ("videos", len(msg.get("videos") or []) or None),
            ("files", len(msg.get("files") or []) or None),
            ("call_duration", msg.get("call_duration")),
            ("unsent", msg.get("is_unsent") or None),
            ("folder", path.split("/", 1)[0] if "/" in path else None),
            ("title", thread.get("title") if len(people) > 2 else None),
        )
        if v is not None
    }
    kind = "call" if msg.get("type") == "Call" else "dm"
    text = msg.get("content") or share.get("share_text") or None
    base = f"{path}|{stamp}|{sender_key}"

    def add(direction: str, target: str | None, to: str) -> None:
        rows.interaction(
            PLATFORM,
            kind,
            f"{base}|{to}",
            actor=actor,
            target=target,
            occurred_at=when,
            direction=direction,
            text=text,
            url=share.get("link"),
            thread_id=path,
            extra=extra or None,
        )

    if owner_key is not None and sender_key != owner_key:
        owner = rows.account(PLATFORM, owner_key, is_owner=True)
        add("received", owner, owner_key)
    else:
        direction = "given" if owner_key is not None else "neutral"
        if others and len(others) <= FANOUT:
            for name, key in others:
                add(direction, account(name), key)
        else:
            add(direction, None, "*")
    if owner_key is not None:
        _reactions(rows, msg, path, base, sender_key, actor, owner_key, when, account)
    return rows


def _reactions(
    rows: Rows,
    msg: dict[str, Any],
    path: str,
    base: str,
    sender_key: str,
    sender: str,
    owner_key: str,
    when: str,
    account: Callable[[str], str],
) -> None:
    # Facebook gives no reaction time: the message's time stands in for it.
    for reaction in msg.get("reactions") or []:
        who = reaction.get("actor")
        if not isinstance(who, str):
            continue
        who_key = _person_key(who, path)
        if who_key == owner_key and sender_key != owner_key:
            actor, target, direction = account(who), sender, "given"
        elif sender_key == owner_key and who_key != owner_key:
            actor, target, direction = account(who), sender, "received"
        else:
            continue  # others reacting to others: not about the owner
        rows.interaction(
            PLATFORM,
            "like",
            f"{base}|reaction|{who_key}",
            actor=actor,
            target=target,
            occurred_at=when,
            direction=direction,
            text=reaction.get("reaction"),
            thread_id=path,
        )


# --- readers and registry ----------------------------------------------------------------------


def _document(stream: IO[bytes], ctx: Context) -> Any:
    return repaired(json_document(stream, ctx.file))


def _thread_path(label: str) -> str:
    """``inbox/<thread>`` from the file's own path, for exports without ``thread_path``."""
    parts = label.replace("\\", "/").rsplit(":", 1)[-1].split("/")
    return "/".join(parts[-3:-1]) if len(parts) >= 3 else parts[0]


def _thread_reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    doc = _document(stream, ctx)
    if not (
        isinstance(doc, dict)
        and isinstance(doc.get("participants"), list)
        and isinstance(doc.get("messages"), list)
    ):
        raise InputError(
            ctx.file, None, 'not a Facebook message thread (needs "participants" and "messages")'
        )
    path = doc.get("thread_path") or _thread_path(ctx.file)
    names = [p["name"] for p in doc["participants"] if isinstance(p, dict) and p.get("name")]
    thread = {
        "path": path,
        "title": doc.get("title"),
        "participants": names,
        "people": [(name, _person_key(name, path)) for name in names],
        "still_participant": doc.get("is_still_participant", True) is not False,
    }
    for n, msg in enumerate(doc["messages"], 1):
        if not isinstance(msg, dict):
            raise InputError(ctx.file, f"message {n}", "not a JSON object")
        yield f"message {n}", {"thread": thread, "message": msg}


def _list_reader(*keys: str) -> Callable[[IO[bytes], Context], Iterator[Record]]:
    def reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
        doc = _document(stream, ctx)
        items = next(
            (doc[k] for k in keys if isinstance(doc, dict) and isinstance(doc.get(k), list)),
            None,
        )
        if items is None:
            raise InputError(ctx.file, None, f'no "{keys[0]}" list')
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise InputError(ctx.file, f"record {n}", "not a JSON object")
            yield f"record {n}", item

    return reader


def _profile_reader(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    doc = _document(stream, ctx)
    profile = doc.get("profile_v2", doc.get("profile")) if isinstance(doc, dict) else None
    if not isinstance(profile, dict):
        raise InputError(ctx.file, None, 'no "profile_v2" object')
    yield "profile", profile


def _key_sniff(*keys: str, then: bytes = b"[", needs: bytes = b"") -> Callable[[bytes], bool]:
    """True if the document's first key is one of ``keys`` (Facebook writes them first)."""
    names = b"|".join(re.escape(k.encode()) for k in keys)
    pattern = re.compile(
        rb'^(?:\xef\xbb\xbf)?\s*\{\s*"(?:' + names + rb')"\s*:\s*' + re.escape(then)
    )

    def sniff(head: bytes) -> bool:
        return pattern.match(head) is not None and needs in head

    return sniff


_FRIEND_FILES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], Any, int], ...] = (
    ("facebook.friends", ("friends.json", "your_friends.json"), ("friends_v2", "friends"),
     friend, 10),
    ("facebook.removed_friends", ("removed_friends.json",),
     ("deleted_friends_v2", "deleted_friends"), removed_friend, 15),
    ("facebook.friend_requests_sent", ("sent_friend_requests.json",),
     ("sent_requests_v2", "sent_requests"), friend_request_sent, 15),
    ("facebook.friend_requests_received",
     ("friend_requests_received.json", "received_friend_requests.json"),
     ("received_requests_v2", "received_requests"), friend_request_received, 15),
    ("facebook.friend_requests_rejected", ("rejected_friend_requests.json",),
     ("rejected_requests_v2", "rejected_requests"), friend_request_rejected, 15),
    ("facebook.comments", ("comments.json",), ("comments_v2", "comments"), comment, 40),
    ("facebook.reactions", ("posts_and_comments.json", "likes_and_reactions*.json"),
     ("reactions_v2", "reactions"), reaction, 40),
)  # fmt: skip

register(
    Entry(
        "facebook.profile",
        PLATFORM,
        ("profile_information.json",),
        _profile_reader,
        profile_information,
        sniff=_key_sniff("profile_v2", "profile", then=b"{", needs=b'"full_name"'),
        priority=0,
        description="Facebook profile_information.json",
    )
)
for _source, _names, _keys, _transform, _priority in _FRIEND_FILES:
    register(
        Entry(
            _source,
            PLATFORM,
            _names,
            _list_reader(*_keys),
            _transform,
            sniff=_key_sniff(*_keys),
            priority=_priority,
            description=f"Facebook {_names[0]}",
        )
    )
register(
    Entry(
        "facebook.messages",
        PLATFORM,
        ("*messages/*/*/message_*.json",),
        _thread_reader,
        message,
        sniff=_key_sniff("participants"),
        priority=30,
        description="Facebook Messenger thread messages/<folder>/<thread>/message_N.json",
    )
)
