"""Opening a database, transactions and the batched upsert every writer uses."""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import NotFound, PermissionDenied, StoreError
from . import schema
from ._bulk import restore_indexes

__all__ = [
    "DEFAULT_WORKSPACE",
    "SQLITE_MAX_VARIABLES",
    "Prepared",
    "Store",
    "make_id",
    "utcnow",
]

DEFAULT_WORKSPACE = "local"
# SQLite >= 3.32 allows 32766 bound variables in one statement; every chunk stays below it.
SQLITE_MAX_VARIABLES = 32766
_MIGRATIONS = Path(__file__).parent / "migrations"

OnConflict = Literal["fill", "replace", "nothing"]
# Roles of team mode (memberships.role); a viewer reads, the others write.
WRITING_ROLES = frozenset({"owner", "editor"})


_blake2b = hashlib.blake2b


def make_id(*parts: object) -> str:
    """A deterministic id from natural-key parts (24 hex characters).

    >>> make_id("twitter", "12345")
    'fc91b2a418ed301d4d3f6099'
    >>> make_id("twitter", "12345") == make_id("twitter", 12345)
    True
    """
    try:  # all strings, as on every hot path: no per-part conversion
        joined = "\x1f".join(parts)  # type: ignore[arg-type]
    except TypeError:
        joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return _blake2b(joined.encode("utf-8"), digest_size=12).hexdigest()


def utcnow() -> datetime:
    """The current instant, timezone-aware UTC (microseconds kept).

    >>> utcnow().tzinfo is UTC
    True
    """
    return datetime.now(UTC)


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


_WRITE_CACHE = -16384  # KiB (64 MiB was no faster and held a 500k-tweet import over 300 MB)
_READ_CACHE = -2000  # SQLite's default
_READ_MMAP = 1 << 30  # bytes of the database file readers map (address space, not memory)


def _install_sqlite_hooks(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy so SAVEPOINTs work with pysqlite.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front: a deferred transaction that later upgrades to a write
        # can fail with SQLITE_BUSY instead of waiting on busy_timeout.
        options = conn.get_execution_options()
        write = bool(options.get("netweave_write"))
        # A bulk import inserts into several indexes at random points; with SQLite's default
        # 2 MiB page cache every batch re-reads them, so writers get 16 MiB (bounded). Readers
        # keep the default cache (a full-text ranking runs ~20% slower with the large one) and
        # read the file memory-mapped instead: a page is then a memory access, not a read()
        # and a copy (bench/bench_who.py: p50 2.9 to 2.0 ms). Writers, and the reads of an
        # import (Store.unmapped), map nothing: mapped pages count in a process's memory, and
        # an import's stays flat however large the database grows. The settings change only
        # when a connection changes role.
        mapped = not write and options.get("netweave_map", True)
        role = "write" if write else "read" if mapped else "scan"
        info = conn.connection.info
        if info.get("netweave_role") != role:
            conn.exec_driver_sql(f"PRAGMA cache_size={_WRITE_CACHE if write else _READ_CACHE}")
            conn.exec_driver_sql(f"PRAGMA mmap_size={_READ_MMAP if mapped else 0}")
            info["netweave_role"] = role
        # foreign keys are checked on every transaction but a derived write's (Store.transaction)
        checked = bool(options.get("netweave_checked", True))
        if info.get("netweave_checked", True) != checked:
            conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if checked else 'OFF'}")
            info["netweave_checked"] = checked
        if write:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # a busy database raises SQLAlchemy's error
        else:
            # a deferred BEGIN touches no file and cannot fail: straight on the driver, it skips
            # SQLAlchemy's execution layers, a tenth of a millisecond when they are out of cache
            conn.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]


def _install_postgresql_hooks(engine: Engine) -> None:
    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Transaction-local (is_local=true): a pooled connection never carries one workspace's
        # scope into the next transaction.
        options = conn.get_execution_options()
        conn.exec_driver_sql(
            "SELECT set_config('netweave.workspace', %(ws)s, true), "
            "set_config('netweave.user', %(user)s, true)",
            {
                "ws": options.get("netweave_workspace", ""),
                "user": options.get("netweave_user", ""),
            },
        )


@dataclass(frozen=True)
class Prepared:
    """Rows of one table ready to write (:meth:`Store.prepare_upsert`, :meth:`Store.write`).

    On SQLite: rendered statements with their positional parameters; elsewhere the row
    mappings, upserted as they are. Picklable.
    """

    table: str
    on_conflict: OnConflict
    statements: tuple[tuple[str, list[tuple[Any, ...]]], ...] = ()
    rows: tuple[Mapping[str, Any], ...] = ()


class _SqlitePlan:
    """A rendered SQLite upsert and how to turn row mappings into its positional parameters."""

    def __init__(self, sql: str, table: sa.Table, columns: list[str], has_ws: bool) -> None:
        self.sql = sql
        dialect = sqlite.dialect()
        # one function per plan builds a row's tuple in a single expression: the workspace,
        # then each column, through the bind step SQLAlchemy would apply (if any). Built from
        # positional names only (``r[k3]``, ``c3(...)``), never from the columns' names.
        scope: dict[str, Any] = {}
        parts = ["ws"] if has_ws else []
        for i, name in enumerate(columns):
            scope[f"k{i}"] = name
            column_type = table.c[name].type
            process: Callable[[Any], Any] | None
            if isinstance(column_type, schema.Timestamp):
                process = schema.sqlite_timestamp
            else:
                process = column_type._cached_bind_processor(dialect)
            if process is None:
                parts.append(f"r[k{i}]")
            else:
                scope[f"c{i}"] = process
                parts.append(f"c{i}(r[k{i}])")
        source = f"lambda ws: lambda r: ({', '.join(parts)},)"
        self._row: Callable[[str], Callable[[Mapping[str, Any]], tuple[Any, ...]]] = eval(
            source, scope
        )

    def parameters(self, rows: list[Mapping[str, Any]], workspace_id: str) -> list[tuple[Any, ...]]:
        return list(map(self._row(workspace_id), rows))


class Store:
    """One open netweave database (SQLite file or PostgreSQL) scoped to one workspace.

    >>> store = Store.open("sqlite://")
    >>> with store.transaction() as conn:
    ...     _ = store.upsert(schema.topics, [{"topic_id": "t1", "name": "python",
    ...                      "kind": "expertise", "created_at": utcnow()}])
    >>> store.counts()["topics"]
    1
    """

    def __init__(self, engine: Engine, url: str, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self.engine = engine
        self.url = url
        self.workspace_id = workspace_id
        self._local = threading.local()
        self._plans: dict[tuple[str, tuple[str, ...], str], _SqlitePlan] = {}
        # Team mode: who is acting and with which role; None for the local single user and for
        # the database's administrator, who see every workspace.
        self.user_id: str | None = None
        self.role: str | None = None

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, url: str, *, workspace_id: str = DEFAULT_WORKSPACE, migrate: bool = True
    ) -> Store:
        """Open (and by default migrate) the database at a SQLAlchemy URL.

        A plain SQLite path's parent directory is created if missing.
        """
        sa_url = sa.make_url(url)
        kwargs: dict[str, Any] = {}
        if sa_url.get_backend_name() == "sqlite":
            if sa_url.database and sa_url.database != ":memory:":
                Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
                # enough warm connections for the web server's page threads: a connection
                # beyond the pool is opened (schema parsed, cache cold) and closed per request
                kwargs["pool_size"] = 10
            else:
                kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        elif sa_url.get_backend_name() == "postgresql":
            kwargs["pool_pre_ping"] = True
        else:
            raise StoreError(
                f"unsupported database {sa_url.get_backend_name()!r}: "
                "use a SQLite path or postgresql+psycopg://"
            )
        try:
            engine = sa.create_engine(sa_url, **kwargs)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open database {sa_url.render_as_string()}: {exc}") from None
        if engine.dialect.name == "sqlite":
            _install_sqlite_hooks(engine)
        else:
            _install_postgresql_hooks(engine)
        store = cls(engine, url, workspace_id)
        if migrate:
            store.upgrade()
        return store

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def location(self) -> str:
        """Where the data lives, with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def analyze(self, *, force: bool = False) -> bool:
        """Refresh the query planner's statistics when the ledger grew; True if it did.

        Without them SQLite cannot tell that 40 people's rows are fewer than a 90-day window
        and scans the window. A full ``ANALYZE`` reads every index (about a second per million
        interactions), so it runs only when there are no statistics yet or the interactions
        grew by a quarter since the last one (or ``force``). Sampled statistics
        (``analysis_limit``) are cheaper but misjudge how many rows a workspace holds, which
        is what leads SQLite astray here.

        >>> Store.open("sqlite://").analyze(force=True)
        True
        """
        with self.engine.connect() as conn:
            if self.dialect == "sqlite" and not force:
                rows = conn.exec_driver_sql(
                    "SELECT coalesce(max(rowid), 0) FROM interactions"
                ).scalar_one()
                seen = conn.exec_driver_sql(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'interactions' LIMIT 1"
                    if _has_stat1(conn)
                    else "SELECT NULL"
                ).scalar()
                before = int(str(seen).split()[0]) if seen else 0
                if before and rows <= before * 1.25:
                    return False
                conn.commit()  # the check only reads: it ends before the write begins
            # ANALYZE writes: take the write lock up front (waiting on busy_timeout), as a
            # deferred transaction that upgrades fails at once if another writer got in first
            conn.execution_options(netweave_write=True)
            try:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
            except sa.exc.OperationalError as exc:
                # statistics are an optimisation: a busy database skips them, never the work
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                conn.rollback()
                return False
        return True

    def in_workspace(self, workspace_id: str) -> Store:
        """This store seen from another workspace: same engine, same open transaction.

        >>> store = Store.open("sqlite://")
        >>> store.in_workspace("team").workspace_id
        'team'
        """
        if self.user_id is not None and workspace_id != self.workspace_id:
            raise PermissionDenied("a team member works in one workspace at a time")
        other = Store(self.engine, self.url, workspace_id)
        other._local = self._local
        other._plans = self._plans
        other.user_id, other.role = self.user_id, self.role
        return other

    def as_user(self, user_id: str, workspace_id: str) -> Store:
        """This store acting for a team member in one of their workspaces, with their role.

        Someone who is not a member gets :class:`NotFound` for the workspace, as if it did not
        exist (nothing leaks about other teams); a viewer's writes raise
        :class:`PermissionDenied` from :meth:`transaction`, so every command inherits the rule.

        >>> store = Store.open("sqlite://")
        >>> store.as_user("nobody", "local")
        Traceback (most recent call last):
        ...
        netweave.errors.NotFound: no workspace matches 'local'
        """
        other = Store(self.engine, self.url, workspace_id)
        other._plans = self._plans
        other.user_id = user_id
        m = schema.memberships
        query = sa.select(m.c.role).where(m.c.workspace_id == workspace_id, m.c.user_id == user_id)
        # read in the member's own scope: row-level security shows them their memberships
        with other.connect() as conn:
            role = conn.execute(query).scalar()
        if role is None:
            raise NotFound("workspace", workspace_id)
        other.role = str(role)
        return other

    @property
    def can_write(self) -> bool:
        """False when the acting user only views this workspace.

        >>> Store.open("sqlite://").can_write
        True
        """
        return self.role is None or self.role in WRITING_ROLES

    def require_admin(self, what: str) -> None:
        """Refuse ``what`` (a whole-database operation) to an acting team member.

        >>> Store.open("sqlite://").require_admin("backup")
        """
        if self.user_id is not None:
            raise PermissionDenied(f"{what} needs the database administrator, not a member")

    # --- migrations ---------------------------------------------------------------------------

    def _alembic_config(self, conn: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def upgrade(self, revision: str = "head") -> str | None:
        """Apply recorded migrations up to ``revision``; return the schema version now in force.

        Concurrent openers serialise on a lock (SQLite write lock, PostgreSQL advisory lock), so
        two processes starting at once never migrate twice.
        """
        try:
            with self.transaction() as conn:
                if self.dialect == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727272)")
                command.upgrade(self._alembic_config(conn), revision)
                self._ensure_workspace(conn)
            # a bulk load interrupted after dropping indexes: rebuild them (see _bulk)
            restore_indexes(self)
        except OperationalError as exc:
            raise StoreError(f"cannot open database {self.location}: {exc.orig}") from None
        return self.schema_version()

    @staticmethod
    def head_revision() -> str:
        """The newest migration this version of netweave knows.

        >>> Store.open("sqlite://").schema_version() == Store.head_revision()
        True
        """
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        if head is None:  # pragma: no cover - the package always ships migrations
            raise StoreError("no migrations found")
        return head

    def schema_version(self) -> str | None:
        """The applied migration revision, or None for an empty database."""
        with self.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _ensure_workspace(self, conn: Connection) -> None:
        self.upsert(
            schema.workspaces,
            [
                {
                    "workspace_id": self.workspace_id,
                    "name": self.workspace_id,
                    "created_at": utcnow(),
                }
            ],
            on_conflict="nothing",
        )

    # --- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, derived: bool = False) -> Iterator[Connection]:
        """A write transaction; nested calls become SAVEPOINTs of the outer one.

        Everything inside commits together or not at all; an exception rolls back to the
        matching level and propagates. A viewer (:meth:`as_user`) gets :class:`PermissionDenied`.

        ``derived``: the transaction writes only rows derived from rows already stored (facts of
        ledger rows, say), whose references hold by construction, and deletes nothing that
        others reference; SQLite then skips the foreign-key lookups (about a third of the cost of
        such a bulk write). Ignored for a nested call and on PostgreSQL.
        """
        if not self.can_write:
            raise PermissionDenied(f"a viewer cannot change workspace {self.workspace_id!r}")
        current: Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            with current.begin_nested():
                yield current
            return
        reader: Connection | None = getattr(self._local, "reader", None)
        if reader is not None and reader.in_transaction():
            # end the shared reads' snapshot: reads after this write see it (and an in-memory
            # database, one connection for all, has no transaction open when this one begins)
            reader.rollback()
        with self.engine.connect() as conn:
            conn.execution_options(
                netweave_write=True, netweave_checked=not derived, **self._scope()
            )
            with conn.begin():
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reading (inside the current transaction if there is one)."""
        current: Connection | None = getattr(self._local, "conn", None)
        if current is None:
            current = getattr(self._local, "reader", None)
        if current is not None:
            yield current
            return
        with self.engine.connect() as conn:
            conn.execution_options(netweave_map=self.map_reads, **self._scope())
            yield conn

    @property
    def map_reads(self) -> bool:
        """Whether this thread's reads map the database file (SQLite, see the "begin" hook):
        true but inside :meth:`unmapped`."""
        return not getattr(self._local, "unmapped", False)

    @contextmanager
    def unmapped(self) -> Iterator[None]:
        """Reads inside, in this thread, do not memory-map the database file (SQLite): for bulk
        work such as an import, which reads much of the file once and whose memory must stay
        flat. Other threads (the web server's pages) keep mapping.

        >>> store = Store.open("sqlite://")
        >>> with store.unmapped():
        ...     store.map_reads
        False
        >>> store.map_reads
        True
        """
        before = getattr(self._local, "unmapped", False)
        self._local.unmapped = True
        try:
            yield
        finally:
            self._local.unmapped = before

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read inside shares one connection (and one snapshot) of this thread.

        A page makes a dozen small reads; one connection spares a pool checkout and a BEGIN
        for each. Writes still take their own transaction (:meth:`transaction`), after which
        the reads start a new snapshot, so they see what was written.

        >>> store = Store.open("sqlite://")
        >>> with store.reading():
        ...     with store.connect() as a, store.connect() as b:
        ...         a is b
        True
        """
        if getattr(self._local, "reader", None) is not None:
            yield
            return
        with self.engine.connect() as conn:
            conn.execution_options(netweave_map=self.map_reads, **self._scope())
            self._local.reader = conn
            try:
                yield
            finally:
                self._local.reader = None

    def _scope(self) -> dict[str, str]:
        # Read by the PostgreSQL "begin" hook, which sets netweave.workspace / netweave.user
        # for row-level security (migration 0009) at the start of every transaction.
        return {"netweave_workspace": self.workspace_id, "netweave_user": self.user_id or ""}

    # --- writing ------------------------------------------------------------------------------

    def chunk_size(self, table: sa.Table, wanted: int = 2000) -> int:
        """Rows per batch for ``table``: ``wanted``, capped by SQLite's bound-variable limit.

        >>> Store.open("sqlite://").chunk_size(schema.accounts, 10_000)
        2184
        """
        return max(1, min(wanted, SQLITE_MAX_VARIABLES // len(table.columns)))

    def upsert(
        self,
        table: sa.Table,
        rows: Iterable[Mapping[str, Any]],
        *,
        on_conflict: OnConflict = "fill",
        batch_size: int = 2000,
    ) -> int:
        """Insert rows, resolving primary-key conflicts, in atomic chunks; return rows written.

        ``workspace_id`` is filled in from the store. On conflict:

        - ``fill``: a new non-null value replaces the stored one, a null keeps it;
        - ``replace``: every non-key column takes the new value;
        - ``nothing``: the stored row is kept as is.

        ``first_seen`` / ``last_seen`` columns always keep the earliest / latest instant. Each
        chunk is one transaction (a SAVEPOINT inside an outer ``transaction()``).
        """
        has_ws = "workspace_id" in table.c
        size = self.chunk_size(table, batch_size)
        if self.dialect == "sqlite":
            return self._upsert_sqlite(table, rows, on_conflict, size)
        written = 0
        for chunk in _chunks(rows, size):
            # Rows naming different columns go in separate statements: a column a row does not
            # name keeps its stored value (or its server default on insert), never a null.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in chunk:
                data = dict(row)
                if has_ws:
                    data["workspace_id"] = self.workspace_id
                groups.setdefault(tuple(data), []).append(data)
            with self.transaction() as conn:
                for keys, batch in groups.items():
                    conn.execute(self._upsert_statement(table, keys, on_conflict), batch)
            written += len(chunk)
        return written

    def _upsert_sqlite(
        self,
        table: sa.Table,
        rows: Iterable[Mapping[str, Any]],
        on_conflict: OnConflict,
        size: int,
    ) -> int:
        written = 0
        for chunk in _chunks(rows, size):
            self.write([self.prepare_upsert(table, chunk, on_conflict=on_conflict)])
            written += len(chunk)
        return written

    def prepare_upsert(
        self,
        table: sa.Table,
        rows: Iterable[Mapping[str, Any]],
        *,
        on_conflict: OnConflict = "fill",
    ) -> Prepared:
        """Rows of ``table`` made ready for :meth:`write` (same semantics as :meth:`upsert`).

        On SQLite each (columns, conflict rule) is rendered once and the rows become positional
        tuples with only the conversions SQLAlchemy's bind step would apply: SQLAlchemy's
        per-row parameter handling costs more than SQLite's own insert on a bulk import. The
        result is picklable, so one process can prepare what another writes. No I/O.

        >>> store = Store.open("sqlite://")
        >>> ready = store.prepare_upsert(schema.topics, [{"topic_id": "t1", "name": "python",
        ...                              "kind": "expertise", "created_at": utcnow()}])
        >>> store.write([ready])
        1
        """
        if self.dialect != "sqlite":
            return Prepared(table.name, on_conflict, rows=tuple(rows))
        # Rows naming different columns go in separate statements: a column a row does not
        # name keeps its stored value (or its server default on insert), never a null.
        groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        for row in rows:
            keys = tuple(row)
            group = groups.get(keys)
            if group is None:
                groups[keys] = group = []
            group.append(row)
        statements = []
        for keys, batch in groups.items():
            plan = self._sqlite_plan(table, keys, on_conflict)
            try:
                params = plan.parameters(batch, self.workspace_id)
            except (TypeError, ValueError) as exc:
                # as SQLAlchemy reports a value its bind step refuses
                raise sa.exc.StatementError(str(exc), plan.sql, None, exc) from exc
            statements.append((plan.sql, params))
        return Prepared(table.name, on_conflict, statements=tuple(statements))

    def write(self, prepared: Iterable[Prepared]) -> int:
        """Write prepared rows, in order, in one transaction (a SAVEPOINT if nested).

        Returns the number of rows written.
        """
        written = 0
        with self.transaction() as conn:
            for ready in prepared:
                if ready.statements:
                    for sql, params in ready.statements:
                        conn.exec_driver_sql(sql, params)
                        written += len(params)
                elif ready.rows:
                    written += self.upsert(
                        schema.metadata.tables[ready.table],
                        ready.rows,
                        on_conflict=ready.on_conflict,
                        batch_size=100_000,
                    )
        return written

    def _sqlite_plan(
        self, table: sa.Table, keys: tuple[str, ...], on_conflict: OnConflict
    ) -> _SqlitePlan:
        cache_key = (table.name, keys, on_conflict)
        plan = self._plans.get(cache_key)
        if plan is None:
            columns = [k for k in keys if k != "workspace_id"]
            has_ws = "workspace_id" in table.c
            names = ["workspace_id", *columns] if has_ws else columns
            stmt = self._upsert_statement(table, names, on_conflict)
            compiled = stmt.compile(dialect=self.engine.dialect, column_keys=names)
            order = list(compiled.positiontup or [])
            if sorted(order) != sorted(names) or (has_ws and order[0] != "workspace_id"):
                raise StoreError(f"cannot render an upsert of {table.name} ({', '.join(names)})")
            plan = _SqlitePlan(compiled.string, table, order[1:] if has_ws else order, has_ws)
            self._plans[cache_key] = plan
        return plan

    def _upsert_statement(
        self,
        table: sa.Table,
        keys: Sequence[str],
        on_conflict: OnConflict,
    ) -> Any:
        pk = [c.name for c in table.primary_key.columns]
        insert_fn = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = insert_fn(table)
        updatable = [k for k in keys if k not in pk]
        if on_conflict == "fill":
            # a fill enriches a row and never changes what identifies it: the columns of its
            # other unique keys (an account's platform and key, from which its id is made)
            # stay out of the SET, which spares SQLite rewriting that index's entry per row
            alternate = {
                c.name
                for u in table.constraints
                if isinstance(u, sa.UniqueConstraint)
                for c in u.columns
            }
            updatable = [k for k in updatable if k not in alternate]
        if on_conflict == "nothing" or not updatable:
            return stmt.on_conflict_do_nothing(index_elements=pk)
        excluded = stmt.excluded
        least, greatest = (
            (sa.func.least, sa.func.greatest)
            if self.dialect == "postgresql"
            else (sa.func.min, sa.func.max)
        )
        set_: dict[str, Any] = {}
        for k in updatable:
            new, old = excluded[k], table.c[k]
            if k == "first_seen":
                set_[k] = least(sa.func.coalesce(new, old), sa.func.coalesce(old, new))
            elif k == "last_seen":
                set_[k] = greatest(sa.func.coalesce(new, old), sa.func.coalesce(old, new))
            elif on_conflict == "fill":
                set_[k] = sa.func.coalesce(new, old)
            else:
                set_[k] = new
        return stmt.on_conflict_do_update(index_elements=pk, set_=set_)

    # --- reading ------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table in this workspace (``users`` counted globally).

        >>> Store.open("sqlite://").counts()["accounts"]
        0
        """
        out: dict[str, int] = {}
        with self.connect() as conn:
            for name, table in sorted(schema.metadata.tables.items()):
                query = sa.select(sa.func.count()).select_from(table)
                if "workspace_id" in table.c:
                    query = query.where(table.c.workspace_id == self.workspace_id)
                out[name] = int(conn.execute(query).scalar_one())
        return out


def _has_stat1(conn: Connection) -> bool:
    return bool(
        conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).scalar()
    )
