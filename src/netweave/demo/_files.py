"""Byte-exact output helpers: reproducible zips, Twitter's JSON layout, Facebook's mojibake.

>>> print(twitter_json({"a": [], "b": ["1", "2"], "c": {"d": True}}))
{
  "a" : [ ],
  "b" : [ "1", "2" ],
  "c" : {
    "d" : true
  }
}
>>> mojibake("Zoë")
'ZoÃ«'
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["iso_ms", "mojibake", "twitter_json", "write_zip"]


def write_zip(path: Path, members: Iterable[tuple[str, bytes]], when: datetime) -> Path:
    """A zip whose bytes depend only on its members and ``when`` (no clock, no umask)."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform writing it
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path


def _primitive(value: Any) -> bool:
    return not isinstance(value, dict | list)


def twitter_json(value: Any, indent: int = 0) -> str:
    """JSON laid out the way Twitter/X archives are: ``"key" : value``, two-space indents,
    ``[ ]`` for empty arrays and arrays of plain values kept on one line."""
    pad = " " * indent
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return "{ }"
        items = [
            f"{inner}{json.dumps(k)} : {twitter_json(v, indent + 2)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        if all(_primitive(v) for v in value):
            return "[ " + ", ".join(twitter_json(v) for v in value) + " ]"
        return (
            "[\n" + ",\n".join(f"{inner}{twitter_json(v, indent + 2)}" for v in value) + f"\n{pad}]"
        )
    return json.dumps(value, ensure_ascii=False)


def mojibake(text: str) -> str:
    """Facebook's export quirk: UTF-8 bytes written as if each were a Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def iso_ms(when: datetime) -> str:
    """``2024-03-05T17:42:05.123Z`` (UTC, milliseconds), as Twitter and Bluesky write times.

    >>> from datetime import UTC
    >>> iso_ms(datetime(2024, 3, 5, 17, 42, 5, 123456, tzinfo=UTC))
    '2024-03-05T17:42:05.123Z'
    """
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
