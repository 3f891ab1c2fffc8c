"""Turning what the user points at (a zip, a folder, a file) into files the registry reads."""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import InputError, UnsupportedFormat
from ._base import REGISTRY, Entry, entries_for

__all__ = ["SourceFile", "discover", "opened"]

HEAD = 4096


@dataclass(frozen=True)
class SourceFile:
    """One file inside an export, with the entry that reads it."""

    origin: str  # what the user gave (zip or folder or file path)
    inner: str  # path inside the zip/folder ("" for a single file)
    size: int
    fingerprint: str  # cheap identity for resume (size + CRC or mtime)
    entry: Entry
    open: Callable[[], IO[bytes]]

    @property
    def label(self) -> str:
        """How error messages name this file."""
        return f"{self.origin}:{self.inner}" if self.inner else self.origin

    @property
    def archive(self) -> str | None:
        """The zip or folder the file was found in; None for a file given on its own."""
        return self.origin if self.inner else None


_PART = re.compile(r"^(.*?)(?:-part(\d+))?(\.[^./]*)?$")


def _natural(path: str) -> list[object]:
    """Sort key: numbers compare as numbers and ``x.js`` comes before ``x-part1.js``.

    >>> sorted(["d/tweets-part10.js", "d/tweets-part2.js", "d/tweets.js"], key=_natural)
    ['d/tweets.js', 'd/tweets-part2.js', 'd/tweets-part10.js']
    """
    m = _PART.match(path.lower())
    base, part, ext = (m.group(1), int(m.group(2) or 0), m.group(3) or "") if m else (path, 0, "")
    return [*(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", base)), part, ext]


_OLD_TWITTER = re.compile(r"(^|/)data/js/tweets/\d{4}_\d{2}\.js$")


def _zip_members(
    path: Path, archives: list[zipfile.ZipFile] | None = None
) -> Iterator[tuple[str, int, str, Callable[[], IO[bytes]]]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(str(path), None, f"not a readable zip archive ({exc})") from None
    if archives is not None:
        archives.append(zf)
    infos = zf.infolist()
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename

        def opener(name: str = name) -> IO[bytes]:
            return zf.open(name)

        yield name, info.file_size, f"{info.file_size}:{info.CRC:08x}", opener


def _folder_files(path: Path) -> Iterator[tuple[str, int, str, Callable[[], IO[bytes]]]]:
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for fname in sorted(files):
            full = Path(root) / fname
            st = full.stat()

            def opener(full: Path = full) -> IO[bytes]:
                return full.open("rb")

            yield (
                full.relative_to(path).as_posix(),
                st.st_size,
                f"{st.st_size}:{st.st_mtime_ns}",
                opener,
            )


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _head(opener: Callable[[], IO[bytes]], label: str) -> bytes:
    try:
        with opener() as fh:
            return fh.read(HEAD)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise InputError(label, None, f"cannot read ({exc})") from None


def discover(
    paths: list[str], archives: list[zipfile.ZipFile] | None = None
) -> tuple[list[SourceFile], list[str]]:
    """Every readable file under ``paths`` in import order, and the files nobody reads.

    Order: by entry priority (owner-identifying files first), then natural path order so
    ``tweets.js`` comes before ``tweets-part1.js`` before ``tweets-part2.js``. The zip archives
    opened to read them are added to ``archives`` for the caller to close when done (else the
    garbage collector closes them, at a time of its choosing).
    """
    found: list[SourceFile] = []
    skipped: list[str] = []
    for given in paths:
        # files named like one netweave reads but with other content: an error if the same
        # export holds files of that platform (a damaged file), else someone else's file with
        # a common name (messages.csv, friends.json) that is listed as not read
        suspects: list[tuple[str, str, set[str]]] = []
        platforms: set[str] = set()
        path = Path(given)
        if not path.exists():
            raise InputError(given, None, "no such file or folder")
        if path.is_dir():
            members = _folder_files(path)
        elif zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
            members = _zip_members(path, archives)
        else:
            st = path.stat()

            members = iter([("", st.st_size, f"{st.st_size}:{st.st_mtime_ns}", _file_opener(path))])
        for inner, size, fingerprint, opener in members:
            label = f"{given}:{inner}" if inner else given
            nested = path / inner if path.is_dir() else None
            if nested is not None and inner.lower().endswith(".zip"):
                # an export zip inside a folder of exports: read it as its own export
                more, more_skipped = discover([str(nested)], archives)
                found += more
                skipped += more_skipped
                continue
            if _OLD_TWITTER.search(inner.replace("\\", "/")):
                raise UnsupportedFormat(
                    label,
                    None,
                    "this is a pre-2019 Twitter archive layout (data/js/tweets/"
                    "YYYY_MM.js); netweave reads archives with data/tweets.js: request a new "
                    "archive from Twitter/X settings",
                )
            head = _head(opener, label)
            matched = entries_for(inner or path.name, head)
            if not matched:
                named = [e for e in REGISTRY if e.name_matches(inner or path.name)]
                if size == 0:
                    reason = "empty file"
                elif named:
                    reason = f"does not look like a {named[0].description or named[0].source}"
                else:
                    reason = "not a format netweave can import"
                if not inner:  # a file given on its own: say what is wrong with it
                    raise InputError(label, None, reason)
                if named:
                    suspects.append((label, reason, {e.platform for e in named}))
                else:
                    skipped.append(label)
                continue
            for entry in matched[:1]:
                found.append(SourceFile(given, inner, size, fingerprint, entry, opener))
                platforms.add(entry.platform)
        for label, reason, named_platforms in suspects:
            if named_platforms & platforms:
                raise InputError(label, None, reason)
            skipped.append(label)
    found.sort(key=lambda f: (f.entry.priority, f.origin, _natural(f.inner)))
    return found, skipped


@contextmanager
def opened(
    source: SourceFile,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[IO[bytes]]:
    """The file's byte stream; zip errors (truncation, bad CRC) become InputError.

    ``on_read`` is told how many bytes each read returned (for progress bars).
    """
    try:
        fh = source.open()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(source.label, None, f"cannot read ({exc})") from None
    with fh:
        yield cast(IO[bytes], _Guarded(fh, source.label, on_read))


class _Guarded(io.RawIOBase):
    """Wraps a stream so that zip truncation and CRC failures surface as InputError."""

    def __init__(
        self,
        fh: IO[bytes],
        label: str,
        on_read: Callable[[int], None] | None,
    ) -> None:
        super().__init__()
        self._fh = fh
        self._label = label
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        try:
            data = self._fh.read(-1 if n is None else n)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise InputError(
                self._label, None, f"archive is damaged or truncated ({exc})"
            ) from None
        if self._on_read is not None and data:
            self._on_read(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
