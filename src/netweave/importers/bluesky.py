"""Bluesky repository export (Settings > Account > Export my data): one ``.car`` file.

The file is a CAR v1 (content-addressed archive): a header naming the root block, then blocks,
each prefixed by its length and CID. The root is the repository's signed commit, which names the
owner (``did``) and the root of a Merkle Search Tree whose keys are ``collection/rkey`` and whose
values point at the records, all DAG-CBOR (decoded with ``libipld``, the codec of the
``atproto`` SDK). The tree can only be walked with every block at hand, so the file is held in
memory as read (blocks are decoded one at a time, as the walk reaches them); files larger than
:data:`MAX_CAR_BYTES` are refused with an InputError rather than exhausting memory.

Records read, by collection: ``app.bsky.actor.profile`` (the owner's name and bio),
``app.bsky.feed.post`` (posts, replies, mentions from rich-text facets, quotes),
``app.bsky.feed.like``, ``app.bsky.feed.repost``, ``app.bsky.graph.follow`` and
``app.bsky.graph.block`` (edges), ``app.bsky.graph.list`` and ``app.bsky.graph.listitem``
(lists). Others (threadgates, feed generators, starter packs...) are skipped.

The repository holds only the owner's own records, and other people only as DIDs: accounts are
keyed by DID (``did:plc:...``), and a handle is filled in where a post's mention shows it. The
owner is the repository's DID (``is_owner``); everything in it is ``given``. Record times are
their ``createdAt``; when that is missing or absurd, the time encoded in the record key (a TID)
stands in.

    >>> rec = RepoRecord("did:plc:owner", "app.bsky.graph.follow", "3lba6x6lsu222",
    ...                  {"subject": "did:plc:bob", "createdAt": "2024-11-18T15:04:05.000Z"})
    >>> rows = record(rec, Context())
    >>> [(e["kind"], e["since"]) for e in rows.edges.values()]
    [('follows', '2024-11-18T15:04:05.000000Z')]
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any, NamedTuple

from ..errors import InputError
from ._base import Context, Entry, Record, Rows, canonical, register, ts_iso

__all__ = ["MAX_CAR_BYTES", "RepoRecord", "car_sniff", "read_car", "record", "tid_time"]

PLATFORM = "bluesky"
MAX_CAR_BYTES = 512 << 20  # a very active account's repository is around 100 MiB
_S32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, the alphabet of TIDs
_HANDLE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")
_SHA256_CID = b"\x01\x71\x12\x20"  # CIDv1, dag-cbor, sha2-256, 32 bytes
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RepoRecord(NamedTuple):
    """One record of the repository, with the owner's DID and, for a list item, its list."""

    did: str
    collection: str
    rkey: str
    value: dict[str, Any]
    related: dict[str, Any] | None = None

    @property
    def uri(self) -> str:
        """The record's ``at://`` URI (its natural key)."""
        return f"at://{self.did}/{self.collection}/{self.rkey}"


# --- reading the CAR file ----------------------------------------------------------------------


def _varint(data: memoryview, pos: int) -> tuple[int, int] | None:
    """(value, position after it) of an unsigned LEB128 at ``pos``; None if the data ends."""
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return value, pos
        shift += 7
    return None


def car_sniff(head: bytes) -> bool:
    """True if ``head`` starts like a CAR v1 file (a length, then a header map with roots).

    >>> import libipld
    >>> header = libipld.encode_dag_cbor({"roots": [], "version": 1})
    >>> car_sniff(bytes([len(header)]) + header)
    True
    >>> car_sniff(b"Account address,Show boosts")
    False
    """
    found = _varint(memoryview(head), 0)
    if found is None:
        return False
    size, pos = found
    header = head[pos : pos + size]
    if not 0 < size <= 4096 or not header or header[0] not in (0xA1, 0xA2):
        return False
    if len(header) < size:  # a file cut inside its header: let the reader say so
        return b"roots" in header or b"version" in header
    return b"roots" in header and b"version" in header


def _read_all(stream: IO[bytes], file: str, limit: int) -> bytearray:
    data = bytearray()  # grown in place and never copied: blocks are views into it
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return data
        data += chunk
        if len(data) > limit:
            size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit:,} bytes"
            raise InputError(
                file,
                None,
                f"repository export larger than {size}: netweave reads a .car file whole to "
                "walk its record tree and refuses larger ones",
            )


def read_car(
    stream: IO[bytes], file: str, limit: int | None = None
) -> tuple[list[bytes], dict[bytes, memoryview]]:
    """The roots and the blocks (CID bytes -> undecoded block) of a CAR v1 file.

    Blocks stay views into the file's bytes: memory is about the file size. A file cut short,
    a block length running past the end or a bad CID is an InputError naming the block.

    >>> import io, libipld
    >>> header = libipld.encode_dag_cbor({"roots": [], "version": 1})
    >>> read_car(io.BytesIO(bytes([len(header)]) + header), "x.car")
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: x.car: header: the CAR header names no root block
    """
    import libipld

    data = memoryview(_read_all(stream, file, MAX_CAR_BYTES if limit is None else limit))
    if not data:
        raise InputError(file, None, "file is empty")
    found = _varint(data, 0)
    if found is None or found[0] == 0 or found[1] + found[0] > len(data):
        raise InputError(file, "header", "file ends inside the CAR header (truncated?)")
    size, pos = found
    try:
        header = libipld.decode_dag_cbor(bytes(data[pos : pos + size]))
    except (ValueError, RecursionError):
        raise InputError(file, "header", "not a CAR file (the header is not DAG-CBOR)") from None
    if not isinstance(header, dict) or header.get("version") != 1:
        raise InputError(file, "header", "not a CAR version 1 file")
    roots = header.get("roots")
    if not isinstance(roots, list) or not roots or not all(isinstance(r, bytes) for r in roots):
        raise InputError(file, "header", "the CAR header names no root block")
    pos += size
    blocks: dict[bytes, memoryview] = {}
    n = 0
    while pos < len(data):
        n += 1
        found = _varint(data, pos)
        if found is None or found[0] == 0 or found[1] + found[0] > len(data):
            raise InputError(file, f"block {n}", "file ends inside a block (truncated download?)")
        length, start = found
        end = start + length
        cid_end = _cid_end(data, start, end)
        if cid_end is None:
            raise InputError(file, f"block {n}", "the block does not start with a valid CID")
        blocks[bytes(data[start:cid_end])] = data[cid_end:end]
        pos = end
    return roots, blocks


def _cid_end(data: memoryview, start: int, end: int) -> int | None:
    """Where the CID at ``start`` ends (CIDv0: a bare sha2-256 multihash; CIDv1: version,
    codec, multihash), or None if it is not one."""
    if bytes(data[start : start + 2]) == b"\x12\x20":
        return start + 34 if start + 34 <= end else None
    pos = start
    fields = []
    for _ in range(4):  # version, codec, hash function, digest length
        found = _varint(data, pos)
        if found is None:
            return None
        fields.append(found[0])
        pos = found[1]
    if fields[0] != 1 or pos + fields[3] > end:
        return None
    return pos + fields[3]


def _cid_text(link: bytes) -> str:
    import libipld

    try:
        return libipld.encode_cid(link)
    except ValueError:
        return link.hex()


def _decode(blocks: dict[bytes, memoryview], link: Any, file: str, label: str) -> Any:
    """The decoded block ``link`` points at, checked against its hash."""
    import libipld

    if not isinstance(link, bytes):
        raise InputError(file, label, "a link in the repository is not a CID")
    raw = blocks.get(link)
    if raw is None:
        raise InputError(
            file,
            label,
            f"block {_cid_text(link)} is missing: the file is incomplete (truncated download?)",
        )
    data = bytes(raw)
    if link[:4] == _SHA256_CID and hashlib.sha256(data).digest() != link[4:]:
        raise InputError(file, label, "a block does not match its hash: the file is damaged")
    try:
        return libipld.decode_dag_cbor(data)
    except (ValueError, RecursionError) as exc:
        raise InputError(file, label, f"not valid DAG-CBOR ({exc})") from None


def _tree(blocks: dict[bytes, memoryview], root: Any, file: str) -> list[tuple[bytes, bytes]]:
    """Every (key, record CID) of the Merkle Search Tree, in key order.

    A node is ``{"l": left subtree, "e": [{"p": shared prefix length, "k": key suffix,
    "v": record, "t": subtree right of this entry}]}``.
    """
    out: list[tuple[bytes, bytes]] = []

    def visit(link: Any, depth: int) -> None:
        if depth > 64:
            raise InputError(file, "record tree", "the tree is too deep: the file is damaged")
        node = _decode(blocks, link, file, "record tree")
        entries = node.get("e") if isinstance(node, dict) else None
        if not isinstance(entries, list):
            raise InputError(file, "record tree", "a tree node has no entries list")
        if node.get("l") is not None:
            visit(node["l"], depth + 1)
        previous = b""
        for entry in entries:
            try:
                key = previous[: entry["p"]] + entry["k"]
                value = entry["v"]
            except (KeyError, TypeError):
                raise InputError(file, "record tree", "a tree entry is malformed") from None
            if not isinstance(value, bytes):
                raise InputError(file, "record tree", "a tree entry does not link a record")
            out.append((key, value))
            previous = key
            if entry.get("t") is not None:
                visit(entry["t"], depth + 1)

    visit(root, 0)
    for (a, _), (b, _) in itertools.pairwise(out):
        if a >= b:
            raise InputError(file, "record tree", "keys out of order: the file is damaged")
    return out


def _reader_repo(stream: IO[bytes], ctx: Context) -> Iterator[Record]:
    """The commit (as a record of its own: it names the owner), then every record."""
    roots, blocks = read_car(stream, ctx.file)
    commit = _decode(blocks, roots[0], ctx.file, "commit")
    did = commit.get("did") if isinstance(commit, dict) else None
    if not isinstance(did, str) or not did.startswith("did:") or "data" not in commit:
        raise InputError(
            ctx.file, "commit", "not an atproto repository (the root block is not a commit)"
        )
    entries = _tree(blocks, commit["data"], ctx.file)
    lists = {k: v for k, v in entries if k.startswith(b"app.bsky.graph.list/")}
    rev = commit.get("rev")
    yield "commit", RepoRecord(did, "", "", {"rev": rev if isinstance(rev, str) else None})
    for key, link in entries:
        label = key.decode("utf-8", "replace")
        collection, _, rkey = label.partition("/")
        if not rkey:
            raise InputError(ctx.file, label, "a record key is not collection/rkey")
        value = _decode(blocks, link, ctx.file, label)
        if not isinstance(value, dict):
            raise InputError(ctx.file, label, "the record is not a map")
        related = None
        list_uri = value.get("list") if collection == "app.bsky.graph.listitem" else None
        if isinstance(list_uri, str) and list_uri.startswith(f"at://{did}/"):
            list_key = list_uri.removeprefix(f"at://{did}/")
            found = lists.get(list_key.encode())
            if found is not None:
                related = _decode(blocks, found, ctx.file, list_key)
        yield label, RepoRecord(did, collection, rkey, value, related)


# --- transforms --------------------------------------------------------------------------------


def tid_time(rkey: str | None) -> str | None:
    """The instant a TID record key encodes (microseconds since the epoch, then a 10-bit
    clock id, in base32-sortable), or None if ``rkey`` is not a TID.

    >>> tid_time("3lba6x6lsu222")
    '2024-11-18T15:04:05.000000Z'
    >>> tid_time("self") is None
    True
    """
    if not rkey or len(rkey) != 13 or rkey[0] not in _S32[:16] or set(rkey) - set(_S32):
        return None
    n = 0
    for char in rkey:
        n = n * 32 + _S32.index(char)
    when = _EPOCH + timedelta(microseconds=n >> 10)
    return canonical(when) if 1990 <= when.year < 2100 else None


def _when(value: dict[str, Any], rkey: str) -> str:
    """``createdAt``, or the record key's time when that is missing or out of range."""
    created = value.get("createdAt")
    if isinstance(created, str):
        try:
            when = ts_iso(created)
        except (ValueError, OverflowError):
            when = ""
        if "1990" <= when[:4] < "2100":
            return when
    fallback = tid_time(rkey)
    if fallback is None:
        raise ValueError(f"no usable createdAt ({created!r}) and the key {rkey!r} is not a TID")
    return fallback


def _at(uri: str) -> tuple[str, str, str]:
    """(authority, collection, rkey) of an ``at://`` URI."""
    if not uri.startswith("at://"):
        raise ValueError(f"{uri!r} is not an at:// URI")
    parts = uri[5:].split("/")
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _profile_url(did: str) -> str:
    # by DID, not handle: handles change, DIDs do not, and bsky.app resolves both
    return f"https://bsky.app/profile/{did}"


def _post_url(did: str, rkey: str) -> str:
    return f"https://bsky.app/profile/{did}/post/{rkey}"


def _owner(rec: RepoRecord, ctx: Context, rows: Rows) -> str:
    """The repository's DID is the owner; the handle comes from config when it names exactly
    one Bluesky handle (a dotted name without @), since the repository does not hold it."""
    handles = sorted(h for h in ctx.owner_handles if _HANDLE.match(h))
    return rows.account(
        PLATFORM,
        rec.did,
        is_owner=True,
        handle=handles[0] if len(handles) == 1 else None,
        url=_profile_url(rec.did),
    )


def _other(rows: Rows, did: str, when: str | None = None, handle: str | None = None) -> str:
    if not did.startswith("did:"):
        raise ValueError(f"{did!r} is not a DID")
    return rows.account(PLATFORM, did, handle=handle, url=_profile_url(did), seen=when)


def _author(rows: Rows, uri: str, owner_did: str, when: str) -> str | None:
    """The account of the record ``uri`` points at; None for the owner's own records (and for
    the rare URI naming its author by handle, which would make a second account)."""
    author = _at(uri)[0]
    if author == owner_did or not author.startswith("did:"):
        return None
    return _other(rows, author, when)


def commit(rec: RepoRecord, ctx: Context) -> Rows:
    """The commit: the owner's account, last seen at the repository's revision."""
    rows = Rows()
    owner = _owner(rec, ctx, rows)
    rows.account(PLATFORM, rows.accounts[owner]["key"], seen=tid_time(rec.value.get("rev")))
    return rows


def profile(rec: RepoRecord, ctx: Context) -> Rows:
    """app.bsky.actor.profile/self: the owner's display name and bio."""
    rows = Rows()
    owner = _owner(rec, ctx, rows)
    v = rec.value
    website = v.get("website") if isinstance(v.get("website"), str) else None
    try:
        seen: str | None = _when(v, rec.rkey)
    except ValueError:
        seen = None  # the profile's createdAt is optional and its key ("self") no time
    rows.account(
        PLATFORM,
        rows.accounts[owner]["key"],
        display_name=v.get("displayName"),
        bio=v.get("description"),
        website=website,
        seen=seen,
    )
    rows.contact(owner, "url", website)
    return rows


def _strong_ref(value: Any) -> str | None:
    uri = value.get("uri") if isinstance(value, dict) else None
    return uri if isinstance(uri, str) else None


def post(rec: RepoRecord, ctx: Context) -> Rows:
    """app.bsky.feed.post: a post, or a reply (target: the parent's author; replying to
    oneself continues a thread and is a post), with a mention for every account its facets
    mention and for the author of a quoted post."""
    rows = Rows()
    owner = _owner(rec, ctx, rows)
    v = rec.value
    when = _when(v, rec.rkey)
    text = v.get("text") or ""
    raw = text.encode("utf-8")
    mentioned: list[str] = []
    hashtags: list[str] = []
    links: list[str] = []
    for facet in v.get("facets") or []:
        index = facet.get("index") or {}
        for feature in facet.get("features") or []:
            kind_of = feature.get("$type")
            if kind_of == "app.bsky.richtext.facet#mention" and feature.get("did") != rec.did:
                # facet offsets count UTF-8 bytes; the text there is the "@handle" shown
                shown = raw[index.get("byteStart", 0) : index.get("byteEnd", 0)]
                handle = shown.decode("utf-8", "replace").strip().lstrip("@").lower()
                acc = _other(rows, feature["did"], when, handle if _HANDLE.match(handle) else None)
                if acc not in mentioned:
                    mentioned.append(acc)
            elif kind_of == "app.bsky.richtext.facet#link" and feature.get("uri"):
                links.append(feature["uri"])
            elif kind_of == "app.bsky.richtext.facet#tag" and feature.get("tag"):
                hashtags.append(feature["tag"])
    hashtags += [t for t in v.get("tags") or [] if isinstance(t, str) and t not in hashtags]
    reply = v.get("reply") or {}
    parent = _strong_ref(reply.get("parent"))
    root = _strong_ref(reply.get("root"))
    kind, target = "post", None
    if parent:
        target = _author(rows, parent, rec.did, when)
        # a reply to oneself continues a thread: a post
        kind = "reply" if _at(parent)[0] != rec.did else "post"
    embed = v.get("embed") or {}
    quoted = _strong_ref(embed.get("record"))
    if quoted is None and isinstance(embed.get("record"), dict):
        quoted = _strong_ref(embed["record"].get("record"))  # recordWithMedia
    external = embed.get("external") or {}
    if isinstance(external, dict) and external.get("uri") and external["uri"] not in links:
        links.append(external["uri"])
    media: dict[str, Any] = embed["media"] if isinstance(embed.get("media"), dict) else embed
    images = len(media.get("images") or []) + (1 if media.get("video") else 0)
    extra: dict[str, Any] = {}
    if hashtags:
        extra["hashtags"] = hashtags
    if links:
        extra["urls"] = links
    if quoted:
        extra["quote"] = quoted
    if images:
        extra["media"] = images
    url = _post_url(rec.did, rec.rkey)
    rows.interaction(
        PLATFORM,
        kind,
        rec.uri,
        actor=owner,
        target=target,
        occurred_at=when,
        direction="given",
        text=text,
        url=url,
        thread_id=root or parent or rec.uri,
        in_reply_to=parent,
        extra=extra or None,
    )
    quoted_author = _author(rows, quoted, rec.did, when) if quoted else None
    if quoted_author and quoted_author not in mentioned:
        mentioned.append(quoted_author)
    for acc in mentioned:
        if acc not in (target, owner):
            rows.interaction(
                PLATFORM,
                "mention",
                f"{rec.uri}:{rows.accounts[acc]['key']}",
                actor=owner,
                target=acc,
                occurred_at=when,
                direction="given",
                url=url,
                thread_id=rec.uri,
            )
    return rows


def _subject_interaction(kind: str) -> Callable[[RepoRecord, Context], Rows]:
    def transform(rec: RepoRecord, ctx: Context) -> Rows:
        rows = Rows()
        owner = _owner(rec, ctx, rows)
        when = _when(rec.value, rec.rkey)
        subject = _strong_ref(rec.value.get("subject"))
        if subject is None:
            raise ValueError(f"a {kind} without a subject uri")
        author, collection, rkey = _at(subject)
        target = _author(rows, subject, rec.did, when)
        rows.interaction(
            PLATFORM,
            kind,
            rec.uri,
            actor=owner,
            target=target,
            occurred_at=when,
            direction="given",
            url=_post_url(author, rkey) if collection == "app.bsky.feed.post" else None,
            extra={"subject": subject},
        )
        return rows

    transform.__name__ = kind
    transform.__doc__ = f"app.bsky.feed.{kind}: a {kind} of someone's post (or feed)."
    return transform


def _edge(kind: str) -> Callable[[RepoRecord, Context], Rows]:
    def transform(rec: RepoRecord, ctx: Context) -> Rows:
        rows = Rows()
        owner = _owner(rec, ctx, rows)
        when = _when(rec.value, rec.rkey)
        subject = rec.value.get("subject")
        if not isinstance(subject, str):
            raise ValueError("the subject is not a DID")
        rows.edge(owner, _other(rows, subject, when), kind, since=when)
        return rows

    transform.__name__ = kind
    transform.__doc__ = f"a {kind} edge from the owner to the subject DID."
    return transform


def _list_row(rows: Rows, did: str, rkey: str, value: dict[str, Any] | None) -> str:
    uri = f"at://{did}/app.bsky.graph.list/{rkey}"
    if value is None:  # an item outlived its deleted list
        return rows.list_(PLATFORM, uri, f"Bluesky list {rkey} (deleted)", "list")
    description = value.get("description") or None
    if value.get("purpose") == "app.bsky.graph.defs#modlist":
        description = "moderation list" + (f": {description}" if description else "")
    return rows.list_(
        PLATFORM,
        uri,
        str(value.get("name") or f"Bluesky list {rkey}"),
        "list",
        description=description,
        created_at=_when(value, rkey),
    )


def graph_list(rec: RepoRecord, ctx: Context) -> Rows:
    """app.bsky.graph.list: one of the owner's lists (curation or moderation)."""
    rows = Rows()
    _owner(rec, ctx, rows)
    _list_row(rows, rec.did, rec.rkey, rec.value)
    return rows


def list_item(rec: RepoRecord, ctx: Context) -> Rows:
    """app.bsky.graph.listitem: an account on one of the owner's lists (the reader hands over
    the list record, so each item's rows stand on their own)."""
    rows = Rows()
    _owner(rec, ctx, rows)
    when = _when(rec.value, rec.rkey)
    _, _, list_rkey = _at(rec.value["list"])
    list_id = _list_row(rows, rec.did, list_rkey, rec.related)
    rows.member(list_id, _other(rows, rec.value["subject"], when), added_at=when)
    return rows


_TRANSFORMS: dict[str, Callable[[RepoRecord, Context], Rows]] = {
    "": commit,
    "app.bsky.actor.profile": profile,
    "app.bsky.feed.post": post,
    "app.bsky.feed.like": _subject_interaction("like"),
    "app.bsky.feed.repost": _subject_interaction("repost"),
    "app.bsky.graph.follow": _edge("follows"),
    "app.bsky.graph.block": _edge("blocked"),
    "app.bsky.graph.list": graph_list,
    "app.bsky.graph.listitem": list_item,
}


def record(rec: RepoRecord, ctx: Context) -> Rows:
    """Rows for one repository record, by its collection (others give no rows)."""
    transform = _TRANSFORMS.get(rec.collection)
    return transform(rec, ctx) if transform is not None else Rows()


register(
    Entry(
        "bluesky.repo",
        PLATFORM,
        ("*.car",),
        _reader_repo,
        record,
        sniff=car_sniff,
        priority=0,
        description="Bluesky repository export (.car)",
    )
)
