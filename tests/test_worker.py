"""Worker processes: items, return values and errors cross back; an early stop ends the child."""

from __future__ import annotations

import os
import time
from collections.abc import Generator
from pathlib import Path

import pytest

from netweave._worker import AHEAD, can_fork, in_worker
from netweave.errors import InputError, NetweaveError

STARTS = ["fresh", pytest.param("fork", marks=pytest.mark.skipif(not can_fork(), reason="Linux"))]


def numbers(n: int) -> Generator[int, None, str]:
    yield from range(n)
    return f"counted {n}"


def bad_record(n: int) -> Generator[int, None, None]:
    yield from range(n)
    raise InputError("tweets.js", f"record {n}", "not valid JSON")


def crash() -> Generator[int, None, None]:
    yield 1
    raise KeyError("boom")


def chatty() -> Generator[str, None, None]:
    print("noise on stdout")  # must not corrupt the messages
    yield "clean"


def forever(pid_file: str) -> Generator[int, None, None]:
    Path(pid_file).write_text(str(os.getpid()))
    i = 0
    while True:
        yield i
        i += 1


def stamped(n: int) -> Generator[tuple[float, bytes], None, None]:
    for _ in range(n):
        yield time.time(), b"x" * 300_000  # more than a pipe holds


def _run_all(gen: Generator[int, None, str]) -> tuple[list[int], str]:
    items = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


@pytest.mark.parametrize("start", STARTS)
def test_items_and_the_return_value_come_back(start: str) -> None:
    items, value = _run_all(in_worker(numbers, 5, name="numbers", start=start))  # type: ignore[arg-type]
    assert items == [0, 1, 2, 3, 4]
    assert value == "counted 5"


@pytest.mark.parametrize("start", STARTS)
def test_an_input_error_in_the_child_is_raised_in_the_parent(start: str) -> None:
    got = []
    with pytest.raises(InputError) as info:
        for item in in_worker(bad_record, 2, name="import", start=start):  # type: ignore[arg-type]
            got.append(item)
    assert got == [0, 1]
    assert str(info.value) == "tweets.js: record 2: not valid JSON"
    assert info.value.exit_code == 2


@pytest.mark.parametrize("start", STARTS)
def test_a_crash_arrives_with_the_childs_traceback(start: str) -> None:
    with pytest.raises(
        NetweaveError, match=r"labelling: the worker process failed:(.|\n)*KeyError"
    ):
        list(in_worker(crash, name="labelling", start=start))  # type: ignore[arg-type]


def test_printing_in_a_fresh_child_does_not_corrupt_the_stream() -> None:
    assert list(in_worker(chatty, name="chatty", start="fresh")) == ["clean"]


@pytest.mark.parametrize("start", STARTS)
def test_closing_early_stops_the_child(start: str, tmp_path: Path) -> None:
    pid_file = str(tmp_path / "pid")
    gen = in_worker(forever, pid_file, name="forever", start=start)  # type: ignore[arg-type]
    assert [next(gen) for _ in range(3)] == [0, 1, 2]
    gen.close()
    pid = int(Path(pid_file).read_text())
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the worker process is still running")


@pytest.mark.parametrize("start", STARTS)
def test_the_child_works_ahead_of_a_busy_parent_but_not_without_bound(start: str) -> None:
    """While the parent is busy with one item, the child makes the next ones (up to AHEAD
    waiting, one in the pipe, one in hand), then waits."""
    items = in_worker(stamped, AHEAD + 6, name="stamps", start=start)  # type: ignore[arg-type]
    next(items)
    time.sleep(1.0)
    woke = time.time()
    made = [when for when, _ in items]
    assert all(when < woke for when in made[: AHEAD + 1])
    assert all(when > woke for when in made[AHEAD + 3 :])
