"""Readers split a file into records, streaming; every failure is an InputError naming the record.

Example:

    >>> import io
    >>> data = b'window.YTD.tweets.part0 = [ {"tweet": {"id": "1"}}, {"tweet": {"id": "2"}} ]'
    >>> [label for label, _ in json_array_records(io.BytesIO(data), "tweets.js")]
    ['record 1', 'record 2']
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
import msgspec
import orjson

from ..errors import InputError
from ._base import Record

__all__ = ["csv_records", "json_array_records", "json_document", "json_items", "text_of"]

BLOCK = 1 << 22  # 4 MiB of input parsed per orjson call
_SPLIT = re.compile(rb"\}\s*,\s*\{")


def json_array_records(
    stream: IO[bytes], file: str, block: int = BLOCK, shape: Any = None
) -> Iterator[Record]:
    """Records of a JSON array of objects, optionally behind a ``window.YTD.x.part0 =`` prefix.

    Reads ``block`` bytes at a time and parses the longest prefix of whole items, so memory
    stays bounded by the block size whatever the file size. A split point is accepted only if the
    prefix parses as a whole array, so string contents can never fool it.

    ``shape`` (a ``TypedDict``) names the fields a transform reads: the parser then skips every
    other field without building it (a tweet carries five times the fields a transform needs).
    A block whose records do not fit the shape (a field of another type) is parsed in full.

    >>> import io
    >>> from typing import Any, TypedDict
    >>> class Item(TypedDict, total=False):
    ...     id: Any
    >>> data = b'[{"id": "1", "big": {"ignored": [1, 2]}}, {"id": 2}]'
    >>> [r for _, r in json_array_records(io.BytesIO(data), "x.json", shape=Item)]
    [{'id': '1'}, {'id': 2}]
    """
    decoder = _decoder(shape) if shape is not None else None
    buf = b""
    # find the opening bracket (after the optional JavaScript assignment)
    while True:
        chunk = stream.read(65536)
        if not chunk:
            if not buf.strip():
                raise InputError(file, None, "file is empty")
            raise InputError(file, None, "no JSON array found")
        buf += chunk
        start = buf.find(b"[")
        if start >= 0:
            head = buf[:start].strip()
            if head.startswith(b"\xef\xbb\xbf"):
                head = head[3:].strip()
            if head and not re.fullmatch(rb"window\.YTD\.[\w.]+\s*=", head):
                raise InputError(file, None, "not a JSON array or a Twitter archive data file")
            buf = buf[start + 1 :]
            break
        if len(buf) > 4096:
            raise InputError(file, None, "no JSON array found in the first 4 KiB")
    done = 0
    eof = False
    while True:
        if not eof:
            chunk = stream.read(block)
            if chunk:
                buf += chunk
            else:
                eof = True
        if eof:
            tail = buf.rstrip()
            if tail.endswith(b";"):
                tail = tail[:-1].rstrip()
            if not tail.endswith(b"]"):
                found = _split_point(tail + b"]", decoder) if tail else None
                if found:
                    done += len(found[1])
                raise InputError(
                    file, f"record {done + 1}", "file ends before the array closes (truncated?)"
                )
            body = tail[:-1].strip().rstrip(b",")
            if body:
                items = _parse_items(body, file, done, decoder)
                for item in items:
                    done += 1
                    yield f"record {done}", item
            return
        found = _split_point(buf, decoder)
        if found is None:
            if len(buf) > 16 * block:
                _parse_items(buf, file, done, decoder)  # raises, naming the broken record
            continue
        cut, items = found
        buf = buf[cut:].lstrip().lstrip(b",")
        for item in items:
            done += 1
            yield f"record {done}", item


@functools.lru_cache(maxsize=32)
def _decoder(shape: Any) -> msgspec.json.Decoder[list[Any]]:
    return msgspec.json.Decoder(list[shape])


def _loads(data: bytes, decoder: msgspec.json.Decoder[list[Any]] | None) -> list[Any]:
    """``data`` (a JSON array) parsed to the decoder's shape, or in full if it does not fit;
    invalid JSON raises orjson's error."""
    if decoder is not None:
        try:
            return decoder.decode(data)
        except msgspec.DecodeError:  # another shape, or not JSON: orjson has the last word
            pass
    items: list[Any] = orjson.loads(data)
    return items


def _split_point(
    buf: bytes, decoder: msgspec.json.Decoder[list[Any]] | None = None
) -> tuple[int, list[Any]] | None:
    """The longest prefix of whole array items (end offset, parsed items), or None."""
    # Pretty-printed archives (Twitter's) separate top-level items with this exact indentation;
    # try it first, then any "},{" seam. A seam counts only if the prefix parses as an array.
    candidates: list[int] = []
    pretty = buf.rfind(b"\n  },\n  {")
    if pretty >= 0:
        candidates.append(pretty + 4)
    end = len(buf)
    tries = 0
    while True:
        for cut in candidates:
            try:
                return cut, _loads(b"[" + buf[:cut] + b"]", decoder)
            except orjson.JSONDecodeError:
                end = min(end, cut - 1)
        candidates = []
        tries += 1
        if tries > 64 or end <= 0:
            return None
        m = None
        for found in _SPLIT.finditer(buf, max(0, end - 65536), end):
            m = found
        if m is None:
            pos = buf.rfind(b"}", 0, end)
            if pos < 0:
                return None
            candidates.append(pos + 1)
        else:
            candidates.append(m.start() + 1)


def _parse_items(
    body: bytes, file: str, done: int, decoder: msgspec.json.Decoder[list[Any]] | None = None
) -> list[Any]:
    try:
        return _loads(b"[" + body + b"]", decoder)
    except orjson.JSONDecodeError:
        pass
    # find which record is broken: parse item by item with ijson from the same bytes
    n = done
    try:
        for _ in ijson.items(io.BytesIO(b"[" + body + b"]"), "item"):
            n += 1
    except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
        raise InputError(file, f"record {n + 1}", f"not valid JSON ({_first_line(exc)})") from None
    raise InputError(file, f"record {n + 1}", "not valid JSON")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0].rstrip(" :") if str(exc).strip() else "parse error"


def json_document(stream: IO[bytes], file: str, limit: int = 256 << 20) -> Any:
    """A whole (small) JSON document, e.g. actor.json or one message_N.json thread."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(file, None, f"JSON document larger than {limit >> 20} MiB")
    if not data.strip():
        raise InputError(file, None, "file is empty")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            file, _json_position(data, exc.pos), f"not valid JSON ({exc.msg})"
        ) from None


def _json_position(data: bytes, pos: int) -> str:
    line = data.count(b"\n", 0, pos) + 1
    return f"line {line}"


def json_items(stream: IO[bytes], file: str, prefix: str) -> Iterator[Record]:
    """Stream the items at an ijson ``prefix`` (e.g. ``orderedItems.item`` of an outbox)."""
    n = 0
    try:
        for item in ijson.items(stream, prefix, use_float=True):
            n += 1
            yield f"item {n}", item
    except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
        raise InputError(file, f"item {n + 1}", f"not valid JSON ({_first_line(exc)})") from None


def text_of(stream: IO[bytes], file: str) -> Iterator[str]:
    """Decode a text stream (UTF-8, BOM tolerated) line by line; binary data is an InputError."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    pending = ""
    line_no = 0
    while True:
        block = stream.read(65536)
        if block and b"\x00" in block:
            raise InputError(file, f"line {line_no + 1}", "binary data, not a text file")
        try:
            pending += decoder.decode(block, final=not block)
        except UnicodeDecodeError:
            raise InputError(file, f"line {line_no + 1}", "not UTF-8 text") from None
        # split on "\n" only: other line separators (U+2028, \x0c) may sit inside a cell
        lines = pending.split("\n")
        pending = lines.pop()
        for line in lines:
            line_no += 1
            yield line + "\n"
        if not block:
            if pending:
                yield pending
            return


def csv_records(
    stream: IO[bytes], file: str, required: Sequence[str], max_preamble: int = 50
) -> Iterator[Record]:
    """Rows of a CSV file as dicts, after any preamble before the header row.

    The header is the first row that contains every column in ``required`` (LinkedIn puts a
    "Notes:" paragraph before it). Quoted fields may span lines. Cells are kept as text: a cell
    starting with ``=``, ``+``, ``-`` or ``@`` is data, never a formula.
    """
    lines = text_of(stream, file)
    reader = csv.reader(lines)
    header: list[str] | None = None
    want = {c.lower() for c in required}
    try:
        for row in reader:
            if header is None:
                cells = [c.strip().lower() for c in row]
                if want <= set(cells):
                    header = [c.strip() for c in row]
                elif reader.line_num > max_preamble:
                    break
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise InputError(
                    file,
                    f"row {reader.line_num}",
                    f"{len(row)} cells but the header has {len(header)}",
                )
            yield f"row {reader.line_num}", dict(zip(header, row, strict=False))
    except csv.Error as exc:
        raise InputError(file, f"row {reader.line_num}", f"malformed CSV ({exc})") from None
    if header is None:
        raise InputError(file, None, "no header row with columns " + ", ".join(required))
