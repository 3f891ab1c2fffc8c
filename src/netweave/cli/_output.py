"""Rendering helpers shared by every command: JSON vs Rich, progress bars, the app state."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..config import Settings, database_url
from ..importers._save import Progress as ImportProgress
from ..store import DEFAULT_WORKSPACE, Store

__all__ = ["State", "Ticker", "emit", "progress", "state"]


@dataclass
class State:
    """Global options given before the command, and the store opened on first use."""

    db: str | None = None
    workspace: str = DEFAULT_WORKSPACE
    json: bool = False
    silent: bool = False
    debug: bool = False
    user: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db)

    def store(self, *, in_workspace: bool = True) -> Store:
        """The open, migrated store (opened once per command).

        With ``--user``, the store acts for that member with their role in ``--workspace``;
        ``in_workspace=False`` logs them in outside any workspace (listing their workspaces).
        """
        if self._store is None:
            if self.user is not None:
                workspace = self.workspace if in_workspace else None
                self._store = _login(Store.open(self.url), self.user, workspace)
            else:
                self._store = Store.open(self.url, workspace_id=self.workspace)
        return self._store

    def settings(self) -> Settings:
        return Settings.load()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _login(store: Store, username: str, workspace: str | None) -> Store:
    """``store`` acting for ``username``: the password comes from NETWEAVE_PASSWORD or a prompt."""
    from .. import team
    from ..errors import AuthenticationFailed, NotFound

    password = os.environ.get("NETWEAVE_PASSWORD")
    if password is None:
        try:
            needs_password = team.find_user(store, username).has_password
        except NotFound:
            store.close()
            raise AuthenticationFailed() from None
        if needs_password:
            password = typer.prompt(f"password for {username}", hide_input=True)
    try:
        return team.login(store, username, password, workspace)
    except Exception:
        store.close()
        raise


def state(ctx: typer.Context) -> State:
    """The :class:`State` of the running command."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    """Serialise command output (datetimes as ISO 8601)."""
    return orjson.dumps(
        data, default=_default, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    ).decode()


def emit(ctx: typer.Context, data: Any, render: Callable[[Console], None]) -> None:
    """Print ``data`` as JSON under ``--json``, else call ``render`` (nothing under --silent)."""
    st = state(ctx)
    if st.json:
        typer.echo(to_json(data))
    elif not st.silent:
        render(console())


class Ticker(ImportProgress):
    """What a long-running job reports progress to; silent unless a bar is attached."""

    def __init__(self, progress: Progress | None = None, description: str = "") -> None:
        self._progress = progress
        self._task = progress.add_task(description, total=None) if progress else None

    def total(self, n: int | None) -> None:
        if self._progress is None or self._task is None:
            return
        if n is None:
            # rich keeps a total once set: a stage of unknown length gets a task of its own
            # (a pulsing bar)
            task = next(t for t in self._progress.tasks if t.id == self._task)
            if task.total is not None:
                self._progress.remove_task(self._task)
                self._task = self._progress.add_task(task.description, total=None)
            return
        self._progress.update(self._task, total=n)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def describe(self, text: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=text)


class _Done(ProgressColumn):
    """How much is done of how much: items ("1,200/5,000") or bytes ("12.5/168.7 MB"); nothing
    while the total is unknown (a stage that cannot say how far along it is)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("")
        if self.unit == "bytes":
            done = f"{task.completed / 1e6:,.1f}/{task.total / 1e6:,.1f} MB"
        else:
            done = f"{int(task.completed):,}/{int(task.total):,}"
        return Text(done, style="progress.download")


@contextmanager
def progress(ctx: typer.Context, description: str, *, unit: str = "items") -> Iterator[Ticker]:
    """A progress bar on a terminal; silent under --json/--silent or when stderr is not a TTY.

    ``unit`` is what the totals count: "items" or "bytes".
    """
    st = state(ctx)
    if st.json or st.silent or not sys.stderr.isatty():
        yield Ticker()
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        _Done(unit),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield Ticker(bar, description)
