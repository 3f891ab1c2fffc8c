"""A generator run in a worker process, its items streamed back through a pipe.

Two cores do nearly twice the work when one process produces (reads, parses, labels) while
the other writes SQLite, the single writer. :func:`in_worker` runs a generator function in a
child process and yields what it yields; the child's return value is the parent's. The child
keeps working while the parent is busy, at most ``AHEAD`` pickled items ahead (a batch's
production and its writing vary in cost, and a one-item pipe made each wait on the other);
memory stays bounded however much the child produces.

- ``start="fork"`` (Linux only): cheap; the child inherits the arguments as they are, so they
  need not pickle. The child must not use SQLite at all: SQLite's per-process lock
  bookkeeping would be the parent's.
- ``start="fresh"``: a new interpreter (``python -c``), the produce function and arguments
  pickled; the child may open database connections of its own. Unlike multiprocessing's
  ``spawn``, it never re-runs the caller's main script.

A :class:`~netweave.errors.NetweaveError` raised in the child is raised again in the parent;
any other exception arrives as a :class:`~netweave.errors.NetweaveError` with the child's
traceback. The child asks Linux to kill it when its parent dies and stops at its next send
once the parent has closed the pipe, so no worker outlives an interrupted command.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from typing import IO, Any, Literal, TypeVar

from .errors import NetweaveError

__all__ = ["can_fork", "in_worker"]

T = TypeVar("T")
R = TypeVar("R")
AHEAD = 3  # items a worker may have ready before its parent takes them
Start = Literal["fork", "fresh"]
Produce = Callable[..., Generator[Any, None, Any]]


def can_fork() -> bool:
    """Whether ``fork`` workers are available and safe here (Linux).

    >>> isinstance(can_fork(), bool)
    True
    """
    return sys.platform.startswith("linux")


def in_worker(
    produce: Callable[..., Generator[T, None, R]],
    *args: Any,
    name: str,
    start: Start = "fork",
) -> Generator[T, None, R]:
    """Run ``produce(*args)`` in a child process; yield its items, return its return value.

    ``name`` says whose worker failed in an error message. Closing this generator early stops
    the child.

    >>> list(in_worker(_count_to, 3, name="counting", start="fresh"))
    [0, 1, 2]
    """
    messages = _forked(produce, args) if start == "fork" else _fresh(produce, args)
    try:
        for kind, value in messages:
            if kind == "item":
                yield value
            elif kind == "done":
                return value  # type: ignore[no-any-return]
            elif kind == "error":
                raise value
            else:
                raise NetweaveError(f"{name}: the worker process failed:\n{value}")
        raise NetweaveError(f"{name}: the worker process stopped unexpectedly")
    finally:
        messages.close()


def _forked(produce: Produce, args: tuple[Any, ...]) -> Generator[tuple[str, Any], None, None]:
    mp: Any = multiprocessing.get_context("fork")
    reader, writer = mp.Pipe(duplex=False)
    proc = mp.Process(target=_forked_child, args=(writer, reader, produce, args), daemon=True)
    proc.start()
    writer.close()  # the child's end only: its sends fail once this process is gone
    try:
        while True:
            try:
                yield reader.recv()
            except EOFError:
                return
    finally:
        reader.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()


def _forked_child(writer: Any, parent_end: Any, produce: Produce, args: tuple[Any, ...]) -> None:
    parent_end.close()  # the inherited copy of the parent's read end
    _die_with_parent()
    try:
        _send_all(_run(produce, args), writer.send_bytes)
    finally:
        writer.close()


def _fresh(produce: Produce, args: tuple[Any, ...]) -> Generator[tuple[str, Any], None, None]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from netweave._worker import _fresh_child; _fresh_child()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        try:
            pickle.dump((produce, args), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.close()
        except BrokenPipeError:
            return
        while True:
            try:
                yield pickle.load(proc.stdout)
            except EOFError:
                return
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.terminate()
        proc.wait()


def _fresh_child() -> None:
    """The child of a ``fresh`` worker: the job on stdin, the messages on stdout."""
    _die_with_parent()
    out: IO[bytes] = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the messages
    produce, args = pickle.load(sys.stdin.buffer)

    def write(data: bytes) -> None:
        out.write(data)
        out.flush()

    try:
        _send_all(_run(produce, args), write)
    finally:
        with contextlib.suppress(BrokenPipeError):
            out.close()


def _send_all(messages: Iterator[tuple[str, Any]], write: Callable[[bytes], None]) -> None:
    """Pickle each message here and write it from a thread of its own, so the job goes on
    while the parent is busy with earlier items, up to ``AHEAD`` messages ahead. Stops once
    the parent has gone (its end of the pipe closed)."""
    pending: queue.Queue[bytes | None] = queue.Queue(AHEAD)
    gone: list[BaseException] = []

    def drain() -> None:
        while (data := pending.get()) is not None:
            if not gone:
                try:
                    write(data)
                except (BrokenPipeError, ConnectionResetError) as exc:
                    gone.append(exc)  # the rest is dropped; the job stops at its next item

    sender = threading.Thread(target=drain, name="netweave-worker-send", daemon=True)
    sender.start()
    try:
        for message in messages:
            if gone:
                return
            pending.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        pending.put(None)
        sender.join()


def _run(produce: Produce, args: tuple[Any, ...]) -> Iterator[tuple[str, Any]]:
    """The messages of one job: ("item", x)..., then ("done", value), ("error", exc) or
    ("crash", traceback)."""
    try:
        items = produce(*args)
        while True:
            try:
                item = next(items)
            except StopIteration as stop:
                yield "done", stop.value
                return
            yield "item", item
    except (BrokenPipeError, ConnectionResetError):
        raise
    except NetweaveError as exc:
        yield "error", _portable(exc)
    except Exception:
        yield "crash", traceback.format_exc()


def _portable(exc: NetweaveError) -> NetweaveError:
    """``exc`` if it survives pickling, else a plain error with its message."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        plain = NetweaveError(str(exc))
        plain.exit_code = exc.exit_code
        return plain
    return exc


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent exits (``PR_SET_PDEATHSIG``)."""
    if not can_fork():  # pragma: no cover - not Linux
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass


def _count_to(n: int) -> Generator[int, None, None]:
    """A job for the examples and tests."""
    yield from range(n)
