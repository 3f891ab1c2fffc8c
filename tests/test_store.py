"""The store on both backends: migrations, schema rules, transactions and the upsert helper."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from netweave.errors import StoreError
from netweave.store import SQLITE_MAX_VARIABLES, Store, make_id, schema, utcnow

T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _account(key: str, **extra: object) -> dict[str, object]:
    return {"account_id": make_id("twitter", key), "platform": "twitter", "key": key, **extra}


def test_migrations_upgrade_an_empty_database(store: Store) -> None:
    assert store.schema_version() == Store.head_revision()
    inspector = sa.inspect(store.engine)
    tables = set(inspector.get_table_names())
    assert set(schema.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert store.counts()["workspaces"] == 1


def test_reopening_is_idempotent(db_url: str) -> None:
    first = Store.open(db_url)
    first.upsert(schema.accounts, [_account("1", handle="ada")])
    first.close()
    second = Store.open(db_url)
    assert second.schema_version() == Store.head_revision()
    assert second.counts()["accounts"] == 1
    assert second.counts()["workspaces"] == 1
    second.close()


def test_workspace_id_leads_every_primary_key() -> None:
    """The Citus distribution column rule (docs/scaling.md)."""
    offenders = []
    for name, table in schema.metadata.tables.items():
        if table.info.get("citus") == "reference":
            assert "workspace_id" not in table.c, f"reference table {name} must be global"
            continue
        pk = [c.name for c in table.primary_key.columns]
        if not pk or pk[0] != "workspace_id":
            offenders.append(name)
        for fk in table.foreign_key_constraints:
            if fk.referred_table.info.get("citus") == "reference":
                continue
            cols = [c.name for c in fk.columns]
            assert cols[0] == "workspace_id", f"{name}: foreign key {cols} leaves the shard"
        for uq in table.constraints:
            if isinstance(uq, sa.UniqueConstraint):
                assert next(c.name for c in uq.columns) == "workspace_id", name
    assert offenders == []
    reference = [n for n, t in schema.metadata.tables.items() if t.info.get("citus")]
    assert reference == ["users"]


def test_workspace_rule_holds_in_the_migrated_database(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    for name in schema.metadata.tables:
        pk = inspector.get_pk_constraint(name)["constrained_columns"]
        if name == "users":
            assert pk == ["user_id"]
        else:
            assert pk[0] == "workspace_id", name


def test_upsert_fill_keeps_known_values_and_widens_seen_range(store: Store) -> None:
    store.upsert(schema.accounts, [_account("42", handle="ada", first_seen=T0, last_seen=T0)])
    later = T0 + timedelta(days=10)
    store.upsert(
        schema.accounts,
        [_account("42", handle=None, display_name="Ada", first_seen=later, last_seen=later)],
    )
    earlier = T0 - timedelta(days=3)
    store.upsert(schema.accounts, [_account("42", first_seen=earlier, last_seen=earlier)])
    with store.connect() as conn:
        row = conn.execute(sa.select(schema.accounts)).one()
    assert (row.handle, row.display_name) == ("ada", "Ada")
    assert row.first_seen == earlier
    assert row.last_seen == later
    assert row.workspace_id == "local"


def test_upsert_fill_never_changes_an_alternate_key(store: Store) -> None:
    """An account's platform and key identify it (its id is made from them): a fill that
    names other values enriches the row and leaves them."""
    store.upsert(schema.accounts, [_account("42")])
    store.upsert(schema.accounts, [{**_account("42", handle="ada"), "key": "43"}])
    with store.connect() as conn:
        row = conn.execute(sa.select(schema.accounts)).one()
    assert (row.key, row.handle) == ("42", "ada")


def test_upsert_fill_keeps_a_known_json_value(store: Store) -> None:
    """A row with no ``extra`` (None) leaves the stored one, by either write path; None is
    stored as SQL NULL, not as the JSON text 'null'."""
    store.upsert(schema.accounts, [_account("a")])
    store.upsert(schema.interactions, [_interaction("1", extra={"lang": "fr"}), _interaction("2")])
    store.upsert(schema.interactions, [_interaction("1", extra=None)])
    store.write([store.prepare_upsert(schema.interactions, [_interaction("1", extra=None)])])
    i = schema.interactions
    with store.connect() as conn:
        extras = dict(conn.execute(sa.select(i.c.text, i.c.extra)).all())
        nulls = conn.execute(sa.select(sa.func.count()).where(i.c.extra.is_(None))).scalar_one()
    assert extras == {"post 1": {"lang": "fr"}, "post 2": None}
    assert nulls == 1


def test_upsert_replace_and_nothing(store: Store) -> None:
    store.upsert(schema.accounts, [_account("7", handle="old", bio="b")])
    store.upsert(schema.accounts, [_account("7", handle="new")], on_conflict="nothing")
    store.upsert(schema.accounts, [_account("7", handle="newer", bio=None)], on_conflict="replace")
    with store.connect() as conn:
        row = conn.execute(sa.select(schema.accounts)).one()
    assert (row.handle, row.bio) == ("newer", None)


def test_upsert_is_idempotent_over_large_batches(store: Store) -> None:
    rows = [_account(str(i), handle=f"h{i}", last_seen=T0) for i in range(5000)]
    assert store.upsert(schema.accounts, rows, batch_size=10_000) == 5000
    assert store.upsert(schema.accounts, rows) == 5000
    assert store.counts()["accounts"] == 5000


def test_chunk_size_respects_sqlite_variable_limit(store: Store) -> None:
    for table in schema.metadata.tables.values():
        size = store.chunk_size(table, 1_000_000)
        assert size * len(table.columns) <= SQLITE_MAX_VARIABLES


def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert(schema.accounts, [_account("1")])
        raise RuntimeError("boom")
    assert store.counts()["accounts"] == 0


def test_nested_transaction_is_a_savepoint(store: Store) -> None:
    with store.transaction():
        store.upsert(schema.accounts, [_account("outer")])
        with pytest.raises(ValueError, match="inner fails"), store.transaction():
            store.upsert(schema.accounts, [_account("inner")])
            raise ValueError("inner fails")
        store.upsert(schema.accounts, [_account("after")])
    with store.connect() as conn:
        keys = sorted(conn.execute(sa.select(schema.accounts.c.key)).scalars())
    assert keys == ["after", "outer"]


def test_failed_chunk_leaves_earlier_chunks_and_nothing_of_itself(store: Store) -> None:
    good = [_account(str(i)) for i in range(10)]
    bad = [{"account_id": "x", "platform": "twitter", "key": None}]  # NOT NULL violation
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(schema.accounts, [*good, *bad], batch_size=10)
    assert store.counts()["accounts"] == 10


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(
            schema.edges, [{"from_account": "nope", "to_account": "nope", "kind": "follows"}]
        )


def test_a_derived_transaction_skips_foreign_key_lookups_and_only_it(tmp_path: Path) -> None:
    """SQLite: a derived write (rows made from stored rows) is not checked; every other
    transaction on the same pooled connection is, before and after it."""
    store = Store.open(f"sqlite:///{tmp_path / 'fk.db'}")
    dangling = [{"from_account": "nope", "to_account": "nope", "kind": "follows"}]
    try:
        with store.transaction(derived=True):
            store.upsert(schema.edges, dangling)
            with store.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 0
        assert store.counts()["edges"] == 1  # written unchecked, as asked
        with store.transaction() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            conn.exec_driver_sql("DELETE FROM edges")
        with pytest.raises(sa.exc.IntegrityError):
            store.upsert(schema.edges, dangling)
        with store.connect() as conn:  # a reader again: checks back on
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        store.close()


def test_timestamps_round_trip_as_aware_utc(store: Store) -> None:
    when = datetime(2018, 10, 10, 20, 19, 24, 123456, tzinfo=UTC)
    store.upsert(schema.accounts, [_account("t", first_seen=when)])
    with store.connect() as conn:
        got = conn.execute(sa.select(schema.accounts.c.first_seen)).scalar_one()
    assert got == when
    assert got.tzinfo is not None


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(sa.exc.StatementError):
        store.upsert(schema.accounts, [_account("n", first_seen=datetime(2020, 1, 1))])


def test_workspaces_do_not_see_each_other(db_url: str) -> None:
    a = Store.open(db_url, workspace_id="a")
    b = Store.open(db_url, workspace_id="b")
    a.upsert(schema.accounts, [_account("1")])
    assert a.counts()["accounts"] == 1
    assert b.counts()["accounts"] == 0
    a.close()
    b.close()


def test_unsupported_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        Store.open("mysql://localhost/x")


def test_unreachable_postgres_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_utcnow_is_aware() -> None:
    assert utcnow().tzinfo is UTC


def test_reads_share_one_connection_and_see_their_own_writes(store: Store) -> None:
    def topics() -> int:
        with store.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(schema.topics)).scalar_one()
            )

    with store.reading():
        with store.connect() as a, store.connect() as b:
            assert a is b
        before = topics()
        with store.transaction():
            store.upsert(
                schema.topics,
                [{"topic_id": "t1", "name": "python", "kind": "expertise", "created_at": utcnow()}],
            )
        assert topics() == before + 1  # a new snapshot after the write
        with pytest.raises(ValueError, match="rolled back"), store.transaction():
            store.upsert(
                schema.topics,
                [{"topic_id": "t2", "name": "rust", "kind": "expertise", "created_at": utcnow()}],
            )
            raise ValueError("rolled back")
        assert topics() == before + 1
    with store.connect() as a, store.connect() as b:
        assert a is not b  # outside, every read takes its own connection again


def test_sqlite_readers_map_the_file_but_writers_and_bulk_reads_do_not(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")

    def mapped(conn: sa.Connection) -> int:
        return int(conn.exec_driver_sql("PRAGMA mmap_size").scalar_one())

    try:
        with store.connect() as conn:
            assert mapped(conn) > 0
        with store.unmapped():
            with store.connect() as conn:
                assert mapped(conn) == 0
            # only this thread: another (a page served meanwhile) still maps
            seen: list[int] = []

            def page() -> None:
                with store.connect() as other:
                    seen.append(mapped(other))

            thread = threading.Thread(target=page)
            thread.start()
            thread.join()
            assert len(seen) == 1
            assert seen[0] > 0
        with store.transaction() as conn:
            assert mapped(conn) == 0
        with store.connect() as conn:  # the same pooled connection, a reader again
            assert mapped(conn) > 0
    finally:
        store.close()


def test_prepared_json_parameters_are_what_sqlalchemy_binds() -> None:
    """The SQLite plan's JSON step gives SQLAlchemy's own text for every value, None
    included, and NULL for a column that maps None to NULL."""
    from sqlalchemy.dialects import sqlite

    from netweave.store._engine import _SqlitePlan

    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("doc", sa.JSON),
        sa.Column("nullable_doc", sa.JSON(none_as_null=True)),
    )
    values = [None, {"a": [1, 2.5, "Zürich"]}, [None, True], "text", 3, {1: "int key"}]
    rows = [{"id": str(n), "doc": v, "nullable_doc": v} for n, v in enumerate(values)]
    plan = _SqlitePlan("", table, ["id", "doc", "nullable_doc"], has_ws=False)
    bind = sa.JSON()._cached_bind_processor(sqlite.dialect())
    bind_null = sa.JSON(none_as_null=True)._cached_bind_processor(sqlite.dialect())
    assert bind is not None
    assert bind_null is not None
    expected = [(str(n), bind(v), bind_null(v)) for n, v in enumerate(values)]
    assert plan.parameters(rows, "local") == expected
    assert expected[0][1:] == ("null", None)


def _interaction(key: str, **extra: object) -> dict[str, object]:
    return {
        "interaction_id": make_id("i", key),
        "platform": "twitter",
        "kind": "post",
        "occurred_at": T0,
        "direction": "given",
        "text": f"post {key}",
        **extra,
    }


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("interactions", _interaction("bad", kind="poke")),
        ("interactions", _interaction("bad", direction="sideways")),
        ("edges", {"from_account": make_id("twitter", "a"), "to_account": "?", "kind": "stalks"}),
    ],
)
def test_enumerated_columns_refuse_other_values(
    store: Store, table: str, row: dict[str, object]
) -> None:
    store.upsert(schema.accounts, [_account("a"), _account("b")])
    store.upsert(schema.interactions, [_interaction("ok", kind="like", direction="received")])
    good = {"from_account": make_id("twitter", "a"), "to_account": make_id("twitter", "b")}
    store.upsert(schema.edges, [{**good, "kind": "muted"}])
    if table == "edges":
        row = {**row, **good}
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(schema.metadata.tables[table], [row])


def test_checks_rewritten_in_place_keep_rows_and_rowids(tmp_path: Path) -> None:
    """Migration 0010 edits SQLite's table definitions (IN lists become OR chains) in place:
    no table is copied, rows and rowids stay, the checks still hold; downgrading restores
    the IN lists."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store.open(url, migrate=False)
    store.upgrade("0009")
    store.upsert(schema.interactions, [_interaction(str(n)) for n in range(50)])
    with store.connect() as conn:
        before = conn.exec_driver_sql("SELECT rowid, interaction_id FROM interactions").all()

    def checks() -> str:
        with store.connect() as conn:
            return " ".join(
                conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table'")
                .scalars()
                .all()
            )

    assert "kind IN ('post', 'reply'" in checks()
    store.upgrade()
    assert store.schema_version() == Store.head_revision()
    assert " IN (" not in checks()
    assert "CHECK (kind = 'post' OR kind = 'reply' OR kind = 'mention'" in checks()
    with store.connect() as conn:
        assert conn.exec_driver_sql("SELECT rowid, interaction_id FROM interactions").all() == (
            before
        )
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(schema.interactions, [_interaction("bad", kind="poke")])
    store.upsert(schema.interactions, [_interaction("new", kind="invitation")])
    # a reopened store (a new connection) reads the new definitions
    store.close()
    store = Store.open(url)
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(schema.interactions, [_interaction("bad", direction="sideways")])
    with store.transaction() as conn:
        command.downgrade(store._alembic_config(conn), "0009")
    assert "CHECK (kind IN ('post', 'reply', 'mention'" in checks()
    assert " OR kind = " not in checks()
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(schema.interactions, [_interaction("bad", kind="poke")])
    store.close()


def test_json_null_documents_become_sql_null(db_url: str) -> None:
    """Migration 0011 turns the JSON text 'null' stored by earlier versions into SQL NULL,
    and leaves real documents alone."""
    store = Store.open(db_url, migrate=False)
    try:
        store.upgrade("0010")
        store.upsert(schema.accounts, [_account("a")])
        store.upsert(schema.interactions, [_interaction("1"), _interaction("2", extra={"x": 1})])
        i = schema.interactions
        with store.transaction() as conn:  # what 0010's code wrote for None
            conn.execute(sa.update(i).where(i.c.text == "post 1").values(extra=sa.JSON.NULL))
        store.upgrade()
        with store.connect() as conn:
            rows = dict(conn.execute(sa.select(i.c.text, i.c.extra.is_(None))).all())
            kept = conn.execute(sa.select(i.c.extra).where(i.c.text == "post 2")).scalar_one()
        assert rows == {"post 1": True, "post 2": False}
        assert kept == {"x": 1}
    finally:
        store.close()


def test_the_unused_run_index_is_dropped_even_when_a_bulk_load_deferred_it(
    tmp_path: Path,
) -> None:
    """Migration 0012 drops ix_interactions_run; an interrupted bulk load's record of indexes
    to rebuild on open forgets it, and keeps the others."""
    from netweave.store._bulk import defer_indexes

    db = tmp_path / "deferred.db"
    store = Store.open(f"sqlite:///{db}", migrate=False)
    try:
        store.upgrade("0011")
        dropped = defer_indexes(store, "interactions")  # the process dies before rebuilding
        assert "ix_interactions_run" in dropped
    finally:
        store.close()
    store = Store.open(f"sqlite:///{db}")  # migrates, then rebuilds what was deferred
    try:
        with store.connect() as conn:
            names = set(
                conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'interactions' AND sql IS NOT NULL"
                ).scalars()
            )
        assert names == {"ix_interactions_actor", "ix_interactions_target", "ix_interactions_time"}
    finally:
        store.close()
