"""Writes repo.car: a small Bluesky repository export, built the way a PDS serves it.

Run ``python tests/data/bluesky/make_repo.py`` to regenerate; the output is deterministic and a
test checks that the committed file is what this script writes.

Structure (atproto repository v3 in a CAR v1): the header names the commit; the commit
(``did``, ``version``, ``data``, ``rev``, ``prev``, ``sig``) points at the root of a Merkle
Search Tree with fanout 4 (a key's layer is the number of leading zero bits of its SHA-256,
halved); tree nodes are ``{"l", "e": [{"p", "k", "v", "t"}]}`` with keys prefix-compressed;
records are DAG-CBOR maps. libipld encodes DAG-CBOR but has no type for links, so links are
encoded as byte strings and then given CBOR tag 42, which is all a link is on the wire.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import libipld

OUT = Path(__file__).with_name("repo.car")

MIA = "did:plc:u2xaplkvnrpzgsgmbhaw5ul2"
TERRILL = "did:plc:n3h2375uzr5pzxam7boz7ycx"
ZOE = "did:plc:tuax4jubw7zrojpbyd56eyjo"
JENN = "did:plc:vce7usnxrwpfesda7gwifswh"
SPAM = "did:plc:jy4ivmzlcdoi3pd6fake6vji"
PRIYA = "did:plc:is6p6jhlm5i73teamjvp7yfn"
_S32 = "234567abcdefghijklmnopqrstuvwxyz"


class Link(bytes):
    """A binary CID."""


def cid(block: bytes, codec: int = 0x71) -> Link:
    """CIDv1 with a sha2-256 multihash (codec 0x71 dag-cbor, 0x55 raw for blobs)."""
    return Link(bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(block).digest())


def _plain(value: Any, links: list[bytes]) -> Any:
    if isinstance(value, Link):
        links.append(bytes(value))
        return b"\x00" + bytes(value)
    if isinstance(value, dict):
        return {k: _plain(v, links) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, links) for v in value]
    return value


def _decoded(value: Any) -> Any:
    if isinstance(value, Link):
        return bytes(value)
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def encode(value: Any) -> bytes:
    """DAG-CBOR with links as tag 42 over 0x00 + the binary CID."""
    links: list[bytes] = []
    data = libipld.encode_dag_cbor(_plain(value, links))
    for link in sorted(set(links)):
        n = len(link) + 1
        head = bytes([0x40 | n]) if n < 24 else bytes([0x58, n])
        data = data.replace(head + b"\x00" + link, b"\xd8\x2a" + head + b"\x00" + link)
    assert libipld.decode_dag_cbor(data) == _decoded(value)
    return data


def tid(when: datetime, clock: int) -> str:
    """A record key: microseconds since the epoch, then a 10-bit clock id, base32-sortable."""
    micros = (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    n = micros << 10 | clock
    return "".join(_S32[(n >> (5 * i)) & 31] for i in range(12, -1, -1))


def at(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def ref(did: str, when: datetime, text: str) -> dict[str, str]:
    """A strong reference to someone else's post."""
    post = {"$type": "app.bsky.feed.post", "createdAt": at(when), "text": text}
    return {
        "cid": libipld.encode_cid(cid(encode(post))),
        "uri": f"at://{did}/app.bsky.feed.post/{tid(when, 7)}",
    }


def facet(text: str, fragment: str, feature: dict[str, str]) -> dict[str, Any]:
    """A rich-text facet over ``fragment``; offsets count UTF-8 bytes."""
    start = len(text[: text.index(fragment)].encode())
    return {
        "$type": "app.bsky.richtext.facet",
        "features": [feature],
        "index": {"byteStart": start, "byteEnd": start + len(fragment.encode())},
    }


def records() -> list[tuple[str, str, dict[str, Any]]]:
    """(collection, rkey, record) of Mia's repository."""
    t0 = datetime(2024, 11, 14, 9, 30, tzinfo=UTC)
    out: list[tuple[str, str, dict[str, Any]]] = []

    def add(collection: str, when: datetime, record: dict[str, Any], rkey: str = "") -> str:
        key = rkey or tid(when, 3)
        out.append((collection, key, {"$type": collection, **record}))
        return f"at://{MIA}/{collection}/{key}"

    add(
        "app.bsky.actor.profile",
        t0,
        {
            "displayName": "Mia Okafor",
            "description": "Community builder. Python packaging & accessibility. Chicago.\n"
            "Also @miaokafor@hachyderm.io",
            "createdAt": at(t0),
        },
        rkey="self",
    )
    add("chat.bsky.actor.declaration", t0, {"allowIncoming": "following"}, rkey="self")
    for k, did in enumerate((TERRILL, ZOE, JENN)):
        when = t0 + timedelta(minutes=5 + k)
        add("app.bsky.graph.follow", when, {"subject": did, "createdAt": at(when)})
    when = t0 + timedelta(days=2)
    add("app.bsky.graph.block", when, {"subject": SPAM, "createdAt": at(when)})

    when = t0 + timedelta(hours=1)
    text = "Hello Bluesky! Slides from my #a11y talk: https://miaokafor.com/talks/forms"
    first = add(
        "app.bsky.feed.post",
        when,
        {
            "text": text,
            "langs": ["en"],
            "createdAt": at(when),
            "facets": [
                facet(text, "#a11y", {"$type": "app.bsky.richtext.facet#tag", "tag": "a11y"}),
                facet(
                    text,
                    "https://miaokafor.com/talks/forms",
                    {
                        "$type": "app.bsky.richtext.facet#link",
                        "uri": "https://miaokafor.com/talks/forms",
                    },
                ),
            ],
            "tags": ["python"],
        },
    )
    first_ref = {"cid": "", "uri": first}
    # the strong ref's cid is that of the record written above
    first_ref["cid"] = libipld.encode_cid(cid(encode(out[-1][2])))

    when = t0 + timedelta(hours=2)
    parent = ref(TERRILL, when - timedelta(minutes=30), "Anyone here doing screen reader testing?")
    text = "🌻 Yes! @zoe.example and I test with NVDA every week, join us"
    reply = add(
        "app.bsky.feed.post",
        when,
        {
            "text": text,
            "langs": ["en"],
            "createdAt": at(when),
            "reply": {"parent": parent, "root": parent},
            "facets": [
                facet(
                    text, "@zoe.example", {"$type": "app.bsky.richtext.facet#mention", "did": ZOE}
                )
            ],
        },
    )
    add(
        "app.bsky.feed.threadgate",
        when,
        {
            "post": reply,
            "allow": [{"$type": "app.bsky.feed.threadgate#mentionRule"}],
            "createdAt": at(when),
        },
        rkey=reply.rsplit("/", 1)[-1],
    )

    when = t0 + timedelta(hours=3)
    add(
        "app.bsky.feed.post",
        when,
        {
            "text": "2/ The forms checklist is in the slides & the repo.",
            "createdAt": at(when),
            "reply": {"parent": first_ref, "root": first_ref},
        },
    )

    when = t0 + timedelta(days=1)
    add(
        "app.bsky.feed.post",
        when,
        {
            "text": "This is the best thread on alt text I have read.",
            "createdAt": at(when),
            "embed": {
                "$type": "app.bsky.embed.record",
                "record": ref(JENN, when - timedelta(hours=5), "A thread on alt text 🧵"),
            },
        },
    )

    when = t0 + timedelta(days=1, hours=4)
    image = cid(b"a photo of the meetup", codec=0x55)
    add(
        "app.bsky.feed.post",
        when,
        {
            "text": "Chicago accessibility meetup tonight",
            "createdAt": at(when),
            "embed": {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "Twelve people around a table with laptops",
                        "image": {
                            "$type": "blob",
                            "ref": image,
                            "mimeType": "image/jpeg",
                            "size": 183211,
                        },
                        "aspectRatio": {"width": 4, "height": 3},
                    }
                ],
            },
        },
    )

    when = t0 + timedelta(hours=1, minutes=10)
    add("app.bsky.feed.like", when, {"subject": parent, "createdAt": at(when)})
    when = t0 + timedelta(hours=1, minutes=11)
    add("app.bsky.feed.like", when, {"subject": first_ref, "createdAt": at(when)})
    when = t0 + timedelta(days=1, minutes=1)
    add(
        "app.bsky.feed.repost",
        when,
        {
            "subject": ref(ZOE, when - timedelta(hours=2), "Colour contrast tips"),
            "createdAt": at(when),
        },
    )

    when = t0 + timedelta(days=3)
    folks = add(
        "app.bsky.graph.list",
        when,
        {
            "name": "Accessibility folks",
            "purpose": "app.bsky.graph.defs#curatelist",
            "description": "People who teach me about a11y",
            "createdAt": at(when),
        },
    )
    when = t0 + timedelta(days=3, minutes=1)
    spam_list = add(
        "app.bsky.graph.list",
        when,
        {"name": "Spam", "purpose": "app.bsky.graph.defs#modlist", "createdAt": at(when)},
    )
    for k, (did, list_uri) in enumerate(
        (
            (ZOE, folks),
            (TERRILL, folks),
            (SPAM, spam_list),
            (PRIYA, f"at://{MIA}/app.bsky.graph.list/{tid(t0, 9)}"),
        )
    ):
        # the last item outlived its list, which was deleted
        when = t0 + timedelta(days=3, minutes=2 + k)
        add(
            "app.bsky.graph.listitem",
            when,
            {"subject": did, "list": list_uri, "createdAt": at(when)},
        )
    return out


def layer(key: bytes) -> int:
    """The tree layer of a key: leading zero bits of its SHA-256, two per layer."""
    zeros = 0
    for byte in hashlib.sha256(key).digest():
        if byte:
            zeros += 8 - byte.bit_length()
            break
        zeros += 8
    return zeros // 2


def mst(entries: dict[bytes, Link], blocks: dict[Link, bytes]) -> Link:
    """Build the Merkle Search Tree over ``entries``; node blocks go into ``blocks``."""
    keys = sorted(entries)
    layers = {k: layer(k) for k in keys}

    def node(run: list[bytes], at_layer: int) -> Link:
        here = [k for k in run if layers[k] == at_layer]
        bounds = [None, *here, None]
        parts: list[Link | None] = []
        for lo, hi in itertools.pairwise(bounds):
            part = [k for k in run if (lo is None or k > lo) and (hi is None or k < hi)]
            parts.append(node(part, at_layer - 1) if part else None)
        items = []
        previous = b""
        for i, key in enumerate(here):
            shared = 0
            while shared < min(len(key), len(previous)) and key[shared] == previous[shared]:
                shared += 1
            items.append({"k": key[shared:], "p": shared, "t": parts[i + 1], "v": entries[key]})
            previous = key
        block = encode({"e": items, "l": parts[0]})
        link = cid(block)
        blocks[link] = block
        return link

    return node(keys, max(layers.values()))


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def build() -> bytes:
    """The CAR file's bytes."""
    record_blocks: dict[bytes, tuple[Link, bytes]] = {}
    for collection, rkey, value in records():
        block = encode(value)
        record_blocks[f"{collection}/{rkey}".encode()] = (cid(block), block)
    assert max(layer(k) for k in record_blocks) >= 1, "the tree should have more than one layer"
    nodes: dict[Link, bytes] = {}
    root = mst({k: v[0] for k, v in record_blocks.items()}, nodes)
    rev = tid(datetime(2024, 11, 20, 12, 0, tzinfo=UTC), 0)
    unsigned = {"did": MIA, "version": 3, "data": root, "rev": rev, "prev": None}
    # a real commit is signed with the account's key; readers of an export do not verify it
    commit = encode({**unsigned, "sig": hashlib.sha512(encode(unsigned)).digest()})
    header = encode({"roots": [cid(commit)], "version": 1})
    sections = [(cid(commit), commit), *nodes.items()]
    sections += [record_blocks[k] for k in sorted(record_blocks)]
    out = [varint(len(header)), header]
    for link, block in sections:
        out += [varint(len(link) + len(block)), bytes(link), block]
    return b"".join(out)


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
