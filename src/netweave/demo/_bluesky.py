"""The Bluesky repository export (Settings > Account > Export my data): ``repo.car``, a CAR v1
file holding a signed commit, the Merkle Search Tree of record keys (``collection/rkey``) and the
records themselves as DAG-CBOR: the owner's profile, posts (with mention facets carrying DIDs),
likes, reposts, follows, a block, a list and its items.

The repo holds only the owner's records: other people appear as DIDs (in follows, likes and
reply references) and by handle only where a post mentions them. The commit signature is a
deterministic placeholder: readers take a downloaded repo as it is and do not verify it.

    >>> from datetime import UTC, datetime
    >>> tid(datetime(2024, 11, 18, 15, 4, 5, tzinfo=UTC), 0)
    '3lba6x6lsu222'
"""

from __future__ import annotations

import hashlib
import random
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ._car import Link, car, cid, cid_text, dag_cbor, mst
from ._files import iso_ms
from ._world import OWNER, Event, Person, World, rng

__all__ = ["tid", "write"]

_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_TAG = re.compile(r"#(\w+)")
_LINK = re.compile(r"https?://\S+")


def tid(when: datetime, clock: int) -> str:
    """A timestamp identifier: microseconds since the epoch and a clock id, base32-sortable."""
    n = (int(when.timestamp()) * 1_000_000 + when.microsecond) << 10 | (clock & 0x3FF)
    return "".join(_SORTABLE[(n >> (5 * i)) & 31] for i in range(12, -1, -1))


def _ref(did: str, when: datetime, text: str, r: random.Random) -> dict[str, str]:
    """A strong reference to someone else's post (its CID is that of a plausible record)."""
    record = {"$type": "app.bsky.feed.post", "createdAt": iso_ms(when), "text": text}
    return {
        "cid": cid_text(cid(dag_cbor(record))),
        "uri": f"at://{did}/app.bsky.feed.post/{tid(when, r.randrange(1024))}",
    }


def _facets(text: str, mentions: dict[str, str]) -> list[dict[str, Any]]:
    """Rich-text facets; indices count UTF-8 bytes, as the lexicon says."""
    raw = text.encode("utf-8")
    facets: list[tuple[int, dict[str, Any]]] = []

    def add(start_char: int, end_char: int, feature: dict[str, Any]) -> None:
        start = len(text[:start_char].encode("utf-8"))
        end = start + len(text[start_char:end_char].encode("utf-8"))
        assert raw[start:end].decode() == text[start_char:end_char]
        facets.append((start, {"index": {"byteEnd": end, "byteStart": start},
                               "features": [feature]}))  # fmt: skip

    for handle, did in mentions.items():
        at = text.find(f"@{handle}")
        if at >= 0:
            add(at, at + len(handle) + 1, {"$type": "app.bsky.richtext.facet#mention", "did": did})
    for m in _LINK.finditer(text):
        add(m.start(), m.end(), {"$type": "app.bsky.richtext.facet#link", "uri": m.group(0)})
    for m in _TAG.finditer(text):
        add(m.start(), m.end(), {"$type": "app.bsky.richtext.facet#tag", "tag": m.group(1)})
    return [f for _, f in sorted(facets, key=lambda x: x[0])]


def _post(e: Event, r: random.Random) -> dict[str, Any]:
    p = e.person
    text = e.text
    mentions: dict[str, str] = {}
    if p and p.bluesky:
        text = text.replace(f"@{p.handle}", f"@{p.bluesky.handle}")
        mentions[p.bluesky.handle] = p.bluesky.did
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "langs": ["en"],
        "createdAt": iso_ms(e.when),
    }
    facets = _facets(text, mentions)
    if facets:
        record["facets"] = facets
    if e.kind == "reply" and p and p.bluesky and e.ref_at:
        parent = _ref(p.bluesky.did, e.ref_at, e.ref_text, r)
        record["reply"] = {"parent": parent, "root": parent}
    return record


def _records(w: World, r: random.Random) -> list[tuple[str, datetime, dict[str, Any]]]:
    """(collection, time, record) for everything in the owner's repo."""
    out: list[tuple[str, datetime, dict[str, Any]]] = []
    joined = w.day(440, 10)
    for e in w.on("bluesky"):
        p = e.person
        if e.kind in {"post", "reply", "mention"}:
            out.append(("app.bsky.feed.post", e.when, _post(e, r)))
        elif e.kind in {"like", "repost"} and p and p.bluesky and e.ref_at:
            kind = f"app.bsky.feed.{e.kind}"
            subject = _ref(p.bluesky.did, e.ref_at, e.ref_text, r)
            out.append((kind, e.when, {"$type": kind, "subject": subject,
                                       "createdAt": iso_ms(e.when)}))  # fmt: skip
    followed: list[Person] = []
    for p in w.people:
        bs = p.bluesky
        if bs and bs.followed and bs.since < w.now:
            when = max(bs.since, joined) + timedelta(
                days=r.randint(0, 20), minutes=r.randint(0, 900)
            )
            when = min(when, w.now - timedelta(hours=1))
            out.append(("app.bsky.graph.follow", when,
                        {"$type": "app.bsky.graph.follow", "subject": bs.did,
                         "createdAt": iso_ms(when)}))  # fmt: skip
            followed.append(p)
    out.append(("app.bsky.graph.block", joined + timedelta(days=30),
                {"$type": "app.bsky.graph.block", "subject": "did:plc:spamspamspamspamspamspam",
                 "createdAt": iso_ms(joined + timedelta(days=30))}))  # fmt: skip
    list_at = joined + timedelta(days=3)
    list_uri = f"at://{OWNER.did}/app.bsky.graph.list/{tid(list_at, 1)}"
    out.append(("app.bsky.graph.list", list_at, {
        "$type": "app.bsky.graph.list", "name": "Chicago friends",
        "purpose": "app.bsky.graph.defs#curatelist",
        "description": "People I can meet for coffee.", "createdAt": iso_ms(list_at),
    }))  # fmt: skip
    for k, p in enumerate(q for q in followed if q.city.startswith("Chicago")):
        assert p.bluesky is not None
        when = list_at + timedelta(minutes=k + 1)
        out.append(("app.bsky.graph.listitem", when, {
            "$type": "app.bsky.graph.listitem", "subject": p.bluesky.did, "list": list_uri,
            "createdAt": iso_ms(when),
        }))  # fmt: skip
    return out


def write(w: World, directory: Path) -> Path:
    """Write ``bluesky-repo.car``; returns its path."""
    r = rng(w.seed, "bluesky")
    records: dict[bytes, Link] = {}
    blocks: dict[Link, bytes] = {}
    profile = {
        "$type": "app.bsky.actor.profile", "displayName": OWNER.name,
        "description": f"{OWNER.headline} Also @{OWNER.mastodon} and {OWNER.site}",
        "createdAt": iso_ms(w.day(440, 10)),
    }  # fmt: skip
    entries = [("app.bsky.actor.profile", "self", profile)]
    used: set[str] = set()
    for collection, when, record in _records(w, r):
        clock = r.randrange(1024)
        rkey = tid(when, clock)
        while f"{collection}/{rkey}" in used:
            clock = (clock + 1) % 1024
            rkey = tid(when, clock)
        used.add(f"{collection}/{rkey}")
        entries.append((collection, rkey, record))
    for collection, rkey, record in entries:
        block = dag_cbor(record)
        link = cid(block)
        blocks[link] = block
        records[f"{collection}/{rkey}".encode()] = link
    nodes: dict[Link, bytes] = {}
    root = mst(records, nodes)
    unsigned = {"did": OWNER.did, "version": 3, "data": root, "rev": tid(w.now, 0), "prev": None}
    commit = dag_cbor({**unsigned, "sig": hashlib.sha512(dag_cbor(unsigned)).digest()})
    ordered = [(cid(commit), commit), *nodes.items()]
    ordered += [(records[k], blocks[records[k]]) for k in sorted(records)]
    path = directory / "bluesky-repo.car"
    path.write_bytes(car(cid(commit), ordered))
    return path
