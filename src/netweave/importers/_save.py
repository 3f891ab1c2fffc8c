"""The generic import engine: discover files, stream records through transforms, save in batches.

Atomicity: a file up to ``LARGE_FILE`` bytes is imported in one transaction, so a malformed
record anywhere in it leaves no row of that file behind. A larger file commits every batch
together with its progress in ``import_runs``; if the process dies, running the same import again
resumes after the last committed batch. Re-importing is idempotent: every row has a natural key.

Speed: a file over ``PARALLEL_FILE`` bytes is read, parsed and transformed by a worker process
(where ``fork`` exists) while this process writes; the worker hands over batches ready to write
(:meth:`Store.prepare_upsert`), at most a few batches ahead of the writer, so memory stays
bounded whatever the file size. A large file commits ``COMMIT_ROWS`` rows first, then ever more
(:func:`_commit_after`): SQLite rewrites every page a transaction touched, so fewer, bigger
commits write far less.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from .._worker import can_fork, in_worker
from ..config import Settings
from ..errors import InputError
from ..store import Store, make_id, schema, utcnow
from ..store._bulk import defer_indexes, restore_indexes
from ..store._engine import Prepared
from ._base import Context, Record, Rows
from ._sources import SourceFile, discover, opened

__all__ = ["LARGE_FILE", "FileReport", "ImportReport", "import_paths"]

LARGE_FILE = 32 << 20
PARALLEL_FILE = 8 << 20
BATCH_RECORDS = 5000
BATCH_ROWS = 12_000
COMMIT_ROWS = 50_000
COMMIT_ROWS_MAX = 400_000
LEDGER_TABLES = ("accounts", "account_contacts", "edges", "interactions", "lists", "list_members")
_ON_CONFLICT: dict[str, Any] = {"account_contacts": "nothing", "list_members": "nothing"}


@dataclass
class FileReport:
    """What happened to one file."""

    file: str
    source: str
    status: str  # imported | resumed | unchanged
    records: int = 0
    archive: str | None = None  # the zip or folder given, when the file was found inside one
    inner: str | None = None  # then the file's path inside it

    @classmethod
    def of(cls, source: SourceFile, status: str, records: int = 0) -> FileReport:
        """The report on ``source``."""
        return cls(source.label, source.entry.source, status, records, source.archive, source.inner)


@dataclass
class ImportReport:
    """What one ``netweave import`` did: per file, and rows added per table."""

    files: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": [vars(f) for f in self.files],
            "skipped": self.skipped,
            "added": self.added,
        }


class Progress:
    """Receives progress while importing; the CLI attaches a bar, tests ignore it."""

    def total(self, n: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def describe(self, text: str) -> None: ...


def _owner_context(store: Store, settings: Settings) -> Context:
    ctx = Context()
    ctx.owner_handles = {h.lower().lstrip("@") for h in settings.get("owner.handles")}
    ctx.owner_emails = {e.lower() for e in settings.get("owner.emails")}
    ctx.owner_domains = {
        d.lower().strip().removeprefix("www.") for d in settings.get("owner.domains")
    }
    a = schema.accounts
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(a.c.platform, a.c.account_id, a.c.key)
            .where(a.c.workspace_id == store.workspace_id, a.c.is_owner)
            .order_by(a.c.platform, a.c.key == "self", a.c.account_id)
        )
        for platform, aid, key in rows:
            if platform not in ctx.owner:
                ctx.owner[platform] = aid
                ctx.owner_key[platform] = key
    return ctx


def _ledger_counts(store: Store) -> dict[str, int]:
    counts = store.counts()
    return {t: counts[t] for t in LEDGER_TABLES}


def prepare_rows(store: Store, rows: Rows) -> list[Prepared]:
    """One batch of rows made ready to write, parents before children (no I/O)."""
    return [
        store.prepare_upsert(
            schema.metadata.tables[name],
            list(table_rows.values()),
            on_conflict=_ON_CONFLICT.get(name, "fill"),
        )
        for name in Rows.TABLE_ORDER
        if (table_rows := getattr(rows, name))
    ]


def save_rows(store: Store, rows: Rows) -> None:
    """Write one batch of rows, parents before children (one transaction by the caller)."""
    store.write(prepare_rows(store, rows))


def _fold(into: Rows, other: Rows) -> None:
    """``into.merge(other)`` for the saver's hot loop: skips empty tables."""
    if other.accounts:
        accounts = into.accounts
        for aid, row in other.accounts.items():
            mine = accounts.get(aid)
            if mine is None:
                accounts[aid] = dict(row)
                continue
            for name, value in row.items():
                if value is None or value == "":
                    continue
                if name == "first_seen":
                    if not mine.get(name) or value < mine[name]:
                        mine[name] = value
                elif name == "last_seen":
                    if not mine.get(name) or value > mine[name]:
                        mine[name] = value
                elif mine.get(name) in (None, ""):
                    mine[name] = value
    if other.interactions:
        into.interactions.update(other.interactions)
    if other.edges:
        into.edges.update(other.edges)
    if other.account_contacts:
        into.account_contacts.update(other.account_contacts)
    if other.lists:
        into.lists.update(other.lists)
    if other.list_members:
        into.list_members.update(other.list_members)


def _transformed(
    source: SourceFile,
    records: Iterator[Record],
    ctx: Context,
) -> Iterator[tuple[int, Rows]]:
    """(records in batch, rows) per batch; shape errors become InputError naming the record.

    A batch ends after ``BATCH_RECORDS`` records or ``BATCH_ROWS`` rows, whichever comes first
    (one DM conversation can hold thousands of messages).
    """
    transform = source.entry.transform
    rows = Rows()
    n = 0
    for label, record in records:
        try:
            _fold(rows, transform(record, ctx))
        except InputError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise InputError(
                source.label, label, f"unexpected record ({type(exc).__name__}: {exc})"
            ) from None
        n += 1
        if n >= BATCH_RECORDS or len(rows.interactions) + len(rows.accounts) >= BATCH_ROWS:
            _note_owner(rows, ctx)
            yield n, rows
            rows, n = Rows(), 0
    if n:
        _note_owner(rows, ctx)
        yield n, rows


def _note_owner(rows: Rows, ctx: Context) -> None:
    for aid, row in rows.accounts.items():
        if row.get("is_owner") and (
            row["platform"] not in ctx.owner or ctx.owner_key.get(row["platform"]) == "self"
        ):
            ctx.owner[row["platform"]] = aid
            ctx.owner_key[row["platform"]] = row["key"]


def _import_file(
    store: Store,
    source: SourceFile,
    ctx: Context,
    progress: Progress,
    force: bool,
    ledger: _Ledger,
) -> FileReport:
    run_id = make_id(
        source.entry.source, source.inner or source.origin.rsplit("/", 1)[-1], source.fingerprint
    )
    runs = schema.import_runs
    with store.connect() as conn:
        prior = conn.execute(
            sa.select(runs.c.status, runs.c.records_done).where(
                runs.c.workspace_id == store.workspace_id, runs.c.run_id == run_id
            )
        ).one_or_none()
    if prior is not None and prior.status == "done" and not force:
        progress.advance(source.size)
        return FileReport.of(source, "unchanged")
    skip = prior.records_done if prior is not None and prior.status != "done" and not force else 0
    started = utcnow()
    base = {
        "run_id": run_id,
        "source": source.entry.source,
        "file_name": source.label,
        "sha256": source.fingerprint,
        "started_at": started,
    }
    ctx.file = source.label
    large = source.size > LARGE_FILE
    done = committed = skip
    try:
        with _Producer(store, source, ctx, skip, progress) as batches:
            if large:
                store.upsert(
                    runs,
                    [{**base, "status": "running", "records_done": done}],
                    on_conflict="replace",
                )
                # several batches per transaction, committed with their progress: resumable
                pending = 0
                with ExitStack() as txn:
                    for n, prepared in batches:
                        if not pending:
                            txn.enter_context(store.transaction())
                        pending += max(1, store.write(prepared))
                        done += n
                        if pending >= _commit_after(ledger.rows):
                            _progress(store, base, done)
                            txn.close()
                            ledger.rows += pending
                            committed, pending = done, 0
                    if pending:
                        _progress(store, base, done)
                        ledger.rows += pending
                committed = done
                store.upsert(
                    runs,
                    [{**base, "status": "done", "records_done": done, "finished_at": utcnow()}],
                    on_conflict="replace",
                )
            else:
                with store.transaction():
                    for n, prepared in batches:
                        store.write(prepared)
                        done += n
                    store.upsert(
                        runs,
                        [{**base, "status": "done", "records_done": done, "finished_at": utcnow()}],
                        on_conflict="replace",
                    )
    except InputError as exc:
        store.upsert(
            runs,
            [
                {
                    **base,
                    "status": "failed",
                    "records_done": committed if large else 0,
                    "error": str(exc),
                    "finished_at": utcnow(),
                }
            ],
            on_conflict="replace",
        )
        raise
    status = "resumed" if skip else "imported"
    return FileReport.of(source, status, done)


@dataclass
class _Ledger:
    """About how many rows the ledger holds, counted on as an import commits."""

    rows: int


def _commit_after(held: int) -> int:
    """Rows the next commit of a large file waits for, when the ledger holds ``held`` rows.

    Every commit rewrites each index page it touched, and rows with hashed keys touch pages
    all over their primary key's index: the larger the table, the more pages a commit of a
    given size touches. So commits grow with the ledger, from ``COMMIT_ROWS`` up to
    ``COMMIT_ROWS_MAX``; an interrupted import redoes at most one commit's worth.

    >>> [_commit_after(n) for n in (0, 50_000, 150_000, 5_000_000)]
    [50000, 50000, 150000, 400000]
    """
    return min(COMMIT_ROWS_MAX, max(COMMIT_ROWS, held))


def _progress(store: Store, base: dict[str, Any], done: int) -> None:
    store.upsert(
        schema.import_runs,
        [{**base, "status": "running", "records_done": done}],
        on_conflict="replace",
    )


Batches = Generator[tuple[int, list[Prepared]], None, None]


def _produce(store: Store, source: SourceFile, ctx: Context, skip: int, on_read: Any) -> Batches:
    """(records, rows ready to write) per batch of the file, after the first ``skip`` records."""
    with opened(source, on_read) as stream:
        records = source.entry.reader(stream, ctx)
        if skip:
            records = _skip(records, skip)
        for n, rows in _transformed(source, records, ctx):
            yield n, prepare_rows(store, rows)


class _Producer:
    """Batches of one file, produced in this process or by a worker process."""

    def __init__(
        self, store: Store, source: SourceFile, ctx: Context, skip: int, progress: Progress
    ) -> None:
        self._store, self._source, self._ctx, self._skip = store, source, ctx, skip
        self._progress = progress
        self._batches: Batches | None = None

    def __enter__(self) -> Batches:
        if self._source.size > PARALLEL_FILE and can_fork():
            self._batches = self._from_worker()
        else:
            self._batches = _produce(
                self._store, self._source, self._ctx, self._skip, self._progress.advance
            )
        return self._batches

    def _from_worker(self) -> Batches:
        produced = in_worker(
            _worker_batches,
            self._store,
            self._source,
            self._ctx,
            self._skip,
            name=self._source.label,
        )
        try:
            while True:
                try:
                    n, prepared, read = next(produced)
                except StopIteration as stop:
                    owner, owner_key, state, read = stop.value
                    self._progress.advance(read)
                    self._ctx.owner.update(owner)
                    self._ctx.owner_key.update(owner_key)
                    self._ctx.state.update(state)
                    return
                self._progress.advance(read)
                yield n, prepared
        finally:
            produced.close()

    def __exit__(self, *exc: object) -> None:
        if self._batches is not None:
            self._batches.close()


def _worker_batches(
    store: Store, source: SourceFile, ctx: Context, skip: int
) -> Generator[tuple[int, list[Prepared], int], None, tuple[Any, ...]]:
    """In the worker: read, parse, transform and prepare one file; (records, batch, bytes
    read) per batch, then the owner and the state the file revealed."""
    read = [0]

    def on_read(n: int) -> None:
        read[0] += n

    def taken() -> int:
        n, read[0] = read[0], 0
        return n

    for n, prepared in _produce(store, _reopened(source), ctx, skip, on_read):
        yield n, prepared, taken()
    return ctx.owner, ctx.owner_key, ctx.state, taken()


def _reopened(source: SourceFile) -> SourceFile:
    """The same file through a handle of the worker's own (a zip's file offset is shared)."""
    origin = Path(source.origin)
    if source.inner and origin.is_file() and zipfile.is_zipfile(origin):
        archive = zipfile.ZipFile(origin)

        def open_member() -> IO[bytes]:
            return archive.open(source.inner)

        return replace(source, open=open_member)
    return source


def _skip(records: Iterator[Record], n: int) -> Iterator[Record]:
    for i, rec in enumerate(records):
        if i >= n:
            yield rec


def import_paths(
    store: Store,
    paths: list[str],
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    force: bool = False,
    on_file: Callable[[FileReport], None] | None = None,
) -> ImportReport:
    """Import exports (zips, folders or files) into the ledger; return what was added.

    Files already imported unchanged are skipped unless ``force``; an interrupted large file
    resumes after its last committed batch.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "following.js").write_text(
    ...     'window.YTD.following.part0 = [{"following": {"accountId": "42"}}]')
    >>> report = import_paths(Store.open("sqlite://"), [str(folder)], settings=Settings())
    >>> report.added["edges"]
    1
    """
    settings = settings or Settings.load()
    progress = progress or Progress()
    archives: list[zipfile.ZipFile] = []
    try:
        with store.unmapped():  # memory flat in the size of the database
            return _import_sources(store, paths, archives, settings, progress, force, on_file)
    finally:
        for archive in archives:
            archive.close()


def _import_sources(
    store: Store,
    paths: list[str],
    archives: list[zipfile.ZipFile],
    settings: Settings,
    progress: Progress,
    force: bool,
    on_file: Callable[[FileReport], None] | None,
) -> ImportReport:
    sources, skipped = discover(paths, archives)
    ctx = _owner_context(store, settings)
    before = _ledger_counts(store)
    ledger = _Ledger(sum(before.values()))
    report = ImportReport(skipped=skipped)
    progress.total(sum(s.size for s in sources))
    # a first bulk load fills the empty ledger faster without its secondary indexes
    if any(s.size > PARALLEL_FILE for s in sources):
        defer_indexes(store, "interactions")
    try:
        for source in sources:
            progress.describe(source.inner or source.origin)
            file_report = _import_file(store, source, ctx, progress, force, ledger)
            report.files.append(file_report)
            if on_file is not None:
                on_file(file_report)
    finally:
        restore_indexes(store)
    after = _ledger_counts(store)
    report.added = {t: after[t] - before[t] for t in LEDGER_TABLES}
    return report
