"""The Facebook "Download your information" zip (JSON format): pretty-printed documents whose
strings are UTF-8 bytes escaped one by one as ``\\u00XX`` (Facebook's mojibake), friends by name
and time only, one folder per message thread, newest message first.

    >>> thread_folder("Zoë Whitfield", 7)
    'zowhitfield_...'
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

from ._files import mojibake, write_zip
from ._world import OWNER, Event, Person, World, digest, rng

__all__ = ["thread_folder", "write"]


def _fix(value: Any) -> Any:
    if isinstance(value, str):
        return mojibake(value)
    if isinstance(value, list):
        return [_fix(v) for v in value]
    if isinstance(value, dict):
        return {k: _fix(v) for k, v in value.items()}
    return value


def _doc(value: Any) -> bytes:
    """Facebook's layout: two-space indents, every non-ASCII byte escaped."""
    return json.dumps(_fix(value), indent=2, ensure_ascii=True).encode("ascii")


def _ts(when: datetime) -> int:
    return int(when.timestamp())


def thread_folder(title: str, key: object) -> str:
    """Thread folders are the title squashed to ASCII letters, then a number."""
    squashed = "".join(c for c in title.lower() if c.isascii() and c.isalnum())
    return f"{squashed}_{int(digest('fb-thread', key)[:14], 16) % 10**17:017d}"


def _message(sender: str, when: datetime, text: str, r: random.Random) -> dict[str, Any]:
    msg: dict[str, Any] = {"sender_name": sender, "timestamp_ms": int(when.timestamp() * 1000)}
    msg["content"] = text
    if r.random() < 0.08:
        other = OWNER.name if sender != OWNER.name else "someone"
        msg["reactions"] = [{"reaction": r.choice(("❤", "😆", "👍")), "actor": other}]
    msg |= {
        "type": "Generic",
        "is_unsent": False,
        "is_taken_down": False,
        "bumped_message_metadata": {"bumped_message": "", "is_bumped": False},
    }
    return msg


def _threads(w: World, r: random.Random) -> list[tuple[str, dict[str, Any]]]:
    by_person: dict[int, list[Event]] = {}
    for e in w.on("facebook"):
        if e.kind == "dm" and e.person and e.person.facebook:
            by_person.setdefault(e.person.idx, []).append(e)
    out = []
    for idx, events in by_person.items():
        p = w.people[idx]
        assert p.facebook is not None
        name = p.facebook.name
        folder = thread_folder(name, idx)
        messages = [
            _message(OWNER.name if e.direction == "given" else name, e.when, e.text, r)
            for e in reversed(events)
        ]
        doc = {
            "participants": [{"name": name}, {"name": OWNER.name}],
            "messages": messages,
            "title": name,
            "is_still_participant": True,
            "thread_path": f"inbox/{folder}",
            "magic_words": [],
        }
        out.append((f"messages/inbox/{folder}/message_1.json", doc))
    out.append(_group(w, r))
    return out


def _group(w: World, r: random.Random) -> tuple[str, dict[str, Any]]:
    """The improv crew's group chat: Tuesday plans, mostly."""
    crew = [p for p in w.people if p.facebook and "improv" in p.topics][:4]
    names = [p.facebook.name for p in crew if p.facebook]
    lines = ("Jam tonight?", "I'm in!", "Running 10 min late", "Who's bringing snacks?",
             "That Harold was amazing", "Same place next week?",
             "Yes, and… pizza after")  # fmt: skip
    messages = []
    for k in range(40):
        when = w.day(720 - k * 18, 17.5 + r.random())
        sender = r.choice([*names, OWNER.name])
        messages.append(_message(sender, when, r.choice(lines), r))
    title = "Tuesday Improv Crew"
    folder = thread_folder(title, "group")
    doc = {
        "participants": [{"name": n} for n in [*names, OWNER.name]],
        "messages": messages[::-1],
        "title": title,
        "is_still_participant": True,
        "thread_path": f"inbox/{folder}",
        "magic_words": [],
        "image": {"uri": f"messages/inbox/{folder}/photos/group.jpg", "creation_timestamp": 0},
        "joinable_mode": {"mode": 1, "link": ""},
    }
    return f"messages/inbox/{folder}/message_1.json", doc


def _profile(w: World) -> dict[str, Any]:
    family = [p for p in w.people if p.role == "family" and p.facebook]
    relation = {"Grace": "Mother", "Ngozi": "Sister", "Chidi": "Brother", "Adaeze": "Cousin"}
    return {"profile_v2": {
        "name": {"full_name": OWNER.name, "first_name": OWNER.first, "middle_name": "",
                 "last_name": OWNER.last},
        "emails": {"emails": [OWNER.email], "previous_emails": [], "pending_emails": [],
                   "ad_account_emails": []},
        "birthday": {"year": 1990, "month": 3, "day": 4},
        "gender": {"gender_option": "FEMALE", "pronoun": "FEMALE"},
        "previous_names": [],
        "other_names": [],
        "current_city": {"name": "Chicago, Illinois", "timestamp": 1580000000},
        "hometown": {"name": "Houston, Texas", "timestamp": 1580000000},
        "family_members": [
            {"name": p.facebook.name, "relation": relation.get(p.first, "Cousin"),
             "timestamp": 1400000000}
            for p in family if p.facebook
        ],
        "education_experiences": [],
        "work_experiences": [{"employer": "Prairie Labs", "title": "Community Manager",
                              "location": "Chicago, Illinois", "description": "",
                              "start_timestamp": 1451606400, "end_timestamp": 0}],
        "websites": [{"address": OWNER.site + "/"}],
        "phone_numbers": [],
        "username": OWNER.facebook,
        "profile_uri": f"https://www.facebook.com/{OWNER.facebook}",
        "registration_timestamp": 1199145600,
    }}  # fmt: skip


def _comments(w: World) -> dict[str, Any]:
    items = []
    for e in reversed(w.on("facebook")):
        if e.kind != "comment" or not e.person or not e.person.facebook:
            continue
        name = e.person.facebook.name
        items.append({
            "timestamp": _ts(e.when),
            "data": [{"comment": {"timestamp": _ts(e.when), "comment": e.text,
                                  "author": OWNER.name}}],
            "title": f"{OWNER.name} commented on {name}'s post.",
        })  # fmt: skip
    return {"comments_v2": items}


def _friends(w: World, people: list[Person]) -> list[dict[str, Any]]:
    rows = [(p.facebook.since, p.facebook.name) for p in people if p.facebook]
    rows.sort(reverse=True)
    return [{"name": name, "timestamp": _ts(since)} for since, name in rows]


def write(w: World, directory: Path) -> Path:
    """Write ``facebook-export.zip``; returns its path."""
    r = rng(w.seed, "facebook")
    friends = [p for p in w.people if p.facebook and p.facebook.since < w.now]
    members: list[tuple[str, bytes]] = [
        ("profile_information/profile_information.json", _doc(_profile(w))),
        ("friends_and_followers/friends.json", _doc({"friends_v2": _friends(w, friends)})),
        ("friends_and_followers/friend_requests_received.json", _doc({"received_requests_v2": [
            {"name": "Ana Sofía Muñoz", "timestamp": _ts(w.day(9))},
            {"name": "Lucas Brandt", "timestamp": _ts(w.day(33))},
        ]})),
        ("friends_and_followers/removed_friends.json", _doc({"deleted_friends_v2": [
            {"name": "Greg Spammer", "timestamp": _ts(w.day(500))},
        ]})),
        ("comments_and_reactions/comments.json", _doc(_comments(w))),
    ]  # fmt: skip
    for path, doc in _threads(w, r):
        members.append((path, _doc(doc)))
    return write_zip(directory / "facebook-export.zip", members, w.now)
