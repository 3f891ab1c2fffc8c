"""Just enough IPLD to write an atproto repository: DAG-CBOR, CIDv1, CAR v1 and the Merkle
Search Tree, in pure Python and deterministic.

DAG-CBOR is CBOR with one encoding per value: shortest integer heads, map keys sorted by
length then bytes, links as tag 42 over ``0x00`` + the binary CID. The MST (fanout 4) places
each key at the layer given by the leading zero bits of its SHA-256 divided by two; node
entries compress each key against the previous one.

    >>> dag_cbor({"b": 1, "a": [True, None]}).hex()
    'a2616182f5f6616201'
    >>> cid_text(cid(dag_cbor({})))
    'bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua'
    >>> layer(b"2653ae71")
    0
"""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

__all__ = ["Link", "car", "cid", "cid_text", "dag_cbor", "layer", "mst", "varint"]


class Link(bytes):
    """A binary CID, encoded as a DAG-CBOR link."""


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError("integer too large for CBOR")


def dag_cbor(value: Any) -> bytes:
    """The one DAG-CBOR encoding of ``value`` (None, bool, int, str, bytes, Link, list, dict)."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, Link):
        return b"\xd8\x2a" + _head(2, len(value) + 1) + b"\x00" + bytes(value)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(dag_cbor(v) for v in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(dag_cbor(k) + dag_cbor(value[k]) for k in keys)
    raise TypeError(f"cannot encode {type(value).__name__} as DAG-CBOR")


def cid(block: bytes) -> Link:
    """CIDv1, dag-cbor codec, sha2-256 multihash."""
    return Link(b"\x01\x71\x12\x20" + hashlib.sha256(block).digest())


def cid_text(link: bytes) -> str:
    """The ``bafy...`` string form (multibase base32, lower case, no padding)."""
    return "b" + base64.b32encode(bytes(link)).decode().lower().rstrip("=")


def varint(n: int) -> bytes:
    """Unsigned LEB128, as CAR files prefix sections with."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def layer(key: bytes) -> int:
    """The MST layer of a key: leading zero bits of its SHA-256, two per layer."""
    digest = hashlib.sha256(key).digest()
    zeros = 0
    for byte in digest:
        if byte == 0:
            zeros += 8
            continue
        zeros += 8 - byte.bit_length()
        break
    return zeros // 2


def mst(entries: dict[bytes, Link], blocks: dict[Link, bytes]) -> Link:
    """Build the tree over ``entries`` (key -> record CID); node blocks go into ``blocks``."""
    keys = sorted(entries)
    layers = {k: layer(k) for k in keys}
    top = max(layers.values(), default=0)

    def node(run: list[bytes], at: int) -> Link:
        here = [k for k in run if layers[k] == at]

        def subtree(part: list[bytes]) -> Link | None:
            return node(part, at - 1) if part else None

        left = subtree([k for k in run if not here or k < here[0]])
        items: list[dict[str, Any]] = []
        previous = b""
        for i, key in enumerate(here):
            nxt = here[i + 1] if i + 1 < len(here) else None
            right = [k for k in run if k > key and (nxt is None or k < nxt)]
            shared = 0
            while shared < min(len(key), len(previous)) and key[shared] == previous[shared]:
                shared += 1
            items.append({"k": key[shared:], "p": shared, "t": subtree(right), "v": entries[key]})
            previous = key
        block = dag_cbor({"e": items, "l": left})
        link = cid(block)
        blocks[link] = block
        return link

    return node(keys, top)


def car(root: Link, blocks: list[tuple[Link, bytes]]) -> bytes:
    """A CAR v1 file: the header naming ``root``, then every block with its CID."""
    header = dag_cbor({"roots": [root], "version": 1})
    out = [varint(len(header)), header]
    for link, block in blocks:
        out += [varint(len(link) + len(block)), bytes(link), block]
    return b"".join(out)
