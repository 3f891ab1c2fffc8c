"""Shared helpers of the connector tests: recorded answers, the CLI, reopening the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from netweave.cli import app
from netweave.connectors import _http
from netweave.store import Store, schema

DATA = Path(__file__).parent / "data" / "connectors"
runner = CliRunner()

Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> dict[str, Any]:
    """A recorded-answers file of tests/data/connectors."""
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


class Net:
    """Replaces the network for one test: every request goes to ``handler``; sleeps recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.sleeps: list[float] = []
        self.requests: list[httpx.Request] = []

    def serve(self, handler: Handler) -> None:
        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        self.monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(record))
        self.monkeypatch.setattr(_http, "default_sleep", self.sleeps.append)


def cli(db: str, *args: str) -> Any:
    """Run netweave with --json; returns the CliRunner result."""
    return runner.invoke(app, ["--db", db, "--json", *args])


def configure(**settings: str) -> None:
    for key, value in settings.items():
        result = runner.invoke(app, ["config", "set", key.replace("__", "."), value])
        assert result.exit_code == 0, result.output


def rows(db: str, table: sa.Table, *where: Any) -> list[dict[str, Any]]:
    """Every row of ``table`` (reopening the database), as dicts."""
    store = Store.open(db)
    try:
        with store.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(table).where(*where))]
    finally:
        store.close()


def keys(db: str) -> dict[str, str]:
    """account_id -> key of every account."""
    return {r["account_id"]: r["key"] for r in rows(db, schema.accounts)}


def interactions(db: str, platform: str) -> list[tuple[str, str, str, str | None]]:
    """(kind, actor key, direction, target key) of every interaction on ``platform``, sorted."""
    names = keys(db)
    return sorted(
        (r["kind"], names[r["actor_account"]], r["direction"], names.get(r["target_account"]))
        for r in rows(db, schema.interactions, schema.interactions.c.platform == platform)
    )


def edges(db: str) -> list[tuple[str, str, str]]:
    names = keys(db)
    return sorted(
        (names[r["from_account"]], r["kind"], names[r["to_account"]])
        for r in rows(db, schema.edges)
    )


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return httpx.Response(status, json=data, headers=headers)
