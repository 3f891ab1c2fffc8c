"""Shared fixtures: every store test runs on a SQLite file and on the real PostgreSQL."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from netweave.store import Store

PG_URL = os.environ.get("NETWEAVE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATA = Path(__file__).parent / "data"

_pg_checked: list[str | None] = []


def _pg_problem() -> str | None:
    """None if PostgreSQL answers, else why not (checked once per run)."""
    if not _pg_checked:
        try:
            engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            engine.dispose()
            _pg_checked.append(None)
        except Exception as exc:
            _pg_checked.append(str(exc).splitlines()[0])
    return _pg_checked[0]


def need_postgres() -> None:
    """Fail in CI, skip elsewhere (saying how to enable) when PostgreSQL is not reachable."""
    problem = _pg_problem()
    if problem is None:
        return
    message = (
        f"PostgreSQL not reachable at {PG_URL} ({problem}). Start it (e.g. `pg_ctlcluster "
        "--skip-systemctl-redirect $(ls /etc/postgresql) main start`) or point NETWEAVE_TEST_PG "
        "at a server to run these tests."
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    need_postgres()
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL on each backend: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'netweave.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data dir or config; no ambient database URL."""
    monkeypatch.setenv("NETWEAVE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.delenv("NETWEAVE_DATABASE_URL", raising=False)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
