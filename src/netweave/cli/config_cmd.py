"""``netweave config``: read and change user settings."""

from __future__ import annotations

import typer
from rich.console import Console

from ..config import Settings, shown
from ._output import emit

app = typer.Typer(
    help="Read and change user settings (own handles, topics, time budget).", no_args_is_help=True
)


@app.command("get")
def get(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Dotted key, e.g. owner.handles"),
) -> None:
    """Show one setting."""
    value = shown(key, Settings.load().get(key))
    emit(ctx, {key: value}, lambda con: con.print(_fmt(value)))


@app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(...),
    value: str = typer.Argument(..., help="Lists are comma separated."),
) -> None:
    """Change one setting and save the config file."""
    settings = Settings.load()
    stored = shown(key, settings.set(key, value))
    path = settings.save()
    emit(ctx, {key: stored}, lambda con: con.print(f"{key} = {_fmt(stored)}  ({path})"))


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Show every setting with its effective value."""
    values = {key: shown(key, value) for key, value in Settings.load().as_dict().items()}

    def render(con: Console) -> None:
        for key, value in values.items():
            con.print(f"{key} = {_fmt(value)}")

    emit(ctx, values, render)


def _fmt(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)
