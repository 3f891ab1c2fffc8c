"""``netweave demo-data``: write the sample exports of the fictional demo owner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..demo import FILES, settings, write_demo_exports
from ..errors import InputError
from ._output import emit


def demo_data(
    ctx: typer.Context,
    directory: Path = typer.Argument(..., help="Folder to write the exports into."),
    seed: int = typer.Option(7, "--seed", help="Same seed, same day: byte-identical files."),
    today: str | None = typer.Option(
        None, "--today", help="The day the data leads up to, YYYY-MM-DD (default: today)."
    ),
) -> None:
    """Write sample exports (Twitter/X, LinkedIn, Facebook, Mastodon, Bluesky, contacts, blogs)
    of a fictional owner with about 300 people, to try netweave on."""
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise InputError("", None, f"--today takes a date like 2026-01-15, not {today!r}") from None
    written = write_demo_exports(directory, seed=seed, today=day)
    data = {
        "directory": str(directory),
        "seed": seed,
        "today": day.isoformat(),
        "files": {key: str(path) for key, path in written.items()},
        "settings": settings(),
    }

    def render(con: Console) -> None:
        con.print(f"wrote to [bold]{directory}[/]:")
        table = Table("file", "bytes", "what", box=None, pad_edge=False)
        for key, path in written.items():
            table.add_row(path.name, f"{path.stat().st_size:,}", FILES[key][1])
        con.print(table)
        con.print(f"seed {seed}, data up to {day.isoformat()}; the owner's settings:")
        for key, value in settings().items():
            shown = ", ".join(value) if isinstance(value, list) else value
            con.print(f'  netweave config set {key} "{shown}"')
        con.print(f"then: netweave import {directory}")

    emit(ctx, data, render)
