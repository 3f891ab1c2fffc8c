"""Fuzzing every importer: arbitrary bytes and mutated real exports (tests/data) through each
registered entry's reader and transform, as the import pipeline runs them. The only error a
user may ever see from a bad file is an InputError naming it."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netweave.errors import InputError
from netweave.importers import REGISTRY, Context, Entry
from netweave.importers._base import entries_for
from netweave.importers._save import _transformed
from netweave.importers._sources import SourceFile

from .conftest import DATA

TRIED: dict[str, int] = {}
# NETWEAVE_FUZZ_EXAMPLES raises the examples per case for a longer hunt (40 in the suite).
FUZZ = settings(
    max_examples=int(os.environ.get("NETWEAVE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse(entry: Entry, data: bytes) -> int:
    """Read and transform ``data`` as ``entry`` would in an import; return the records read."""
    TRIED[entry.source] = TRIED.get(entry.source, 0) + 1
    source = SourceFile("fuzz", "fuzzed", len(data), "", entry, lambda: io.BytesIO(data))
    ctx = Context(file=source.label)
    done = 0
    try:
        with source.open() as stream:
            for n, _rows in _transformed(source, entry.reader(stream, ctx), ctx):
                done += n
    except InputError:
        return -1
    return done


def _fixtures() -> Iterator[tuple[str, Entry]]:
    """(file under tests/data, entry) for every real export file an entry reads."""
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.parts[len(DATA.parts)] == "labelled":
            continue
        inner = path.relative_to(DATA / path.relative_to(DATA).parts[0]).as_posix()
        head = path.read_bytes()[:4096]
        matched = entries_for(inner, head) or [e for e in REGISTRY if e.content_matches(head)]
        for entry in matched:
            yield path.relative_to(DATA).as_posix(), entry


FIXTURES = sorted(set(_fixtures()), key=lambda pair: (pair[0], pair[1].source))


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few flipped, deleted, inserted or duplicated spans, or cut short."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if op == "flip" and buf:
            buf[at] ^= draw(st.integers(1, 255))
        elif op == "delete":
            del buf[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            buf[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=32),
                    st.sampled_from([b"\x00", b'"', b"{", b"]", b",", b"\n", b"\xff\xfe", b"<"]),
                )
            )
        elif op == "duplicate":
            buf[at:at] = buf[at : at + draw(st.integers(1, 256))]
        else:
            del buf[at:]
    return bytes(buf)


def test_every_importer_has_a_real_file_to_mutate_or_is_named() -> None:
    covered = {entry.source for _, entry in FIXTURES}
    # entries without a sample export in tests/data are still fuzzed with arbitrary bytes
    assert len(covered) >= 25, sorted(covered)


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.source)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_are_an_input_error_or_read(entry: Entry, data: bytes) -> None:
    parse(entry, data)


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.source)
@FUZZ
@given(data=st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_text_is_an_input_error_or_read(entry: Entry, data: bytes) -> None:
    parse(entry, data)


@pytest.mark.parametrize(("name", "entry"), FIXTURES, ids=[f"{n}-{e.source}" for n, e in FIXTURES])
def test_mutated_real_exports_are_an_input_error_or_read(name: str, entry: Entry) -> None:
    original = (DATA / name).read_bytes()
    assert parse(entry, original) > 0  # the untouched file reads

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        parse(entry, data)

    check()


def test_report_how_many_inputs_were_tried(capsys: pytest.CaptureFixture[str]) -> None:
    # runs last in this module: every fuzzed input above was counted
    if not TRIED:
        pytest.skip("counts the inputs of the fuzz tests above; run them together")
    total = sum(TRIED.values())
    with capsys.disabled():
        print(f"\nimporter fuzzing: {total} inputs over {len(TRIED)} importer entries")
    assert total >= len(REGISTRY) * 2
