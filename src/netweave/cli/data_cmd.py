"""Your data is yours: export, forget a person, backup, restore, and move to PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..exporters import files
from ..exporters import forget as forget_mod
from ..store import Store, portable
from ..store import backup as backups
from ._output import emit, state

_FORMATS = ("auto", "sqlite", "pg_dump", "jsonl")


def _render_sums(verb: str, data: dict[str, Any]) -> Any:
    def render(con: Console) -> None:
        tables = data["tables"]
        filled = sum(1 for t in tables.values() if t["rows"])
        con.print(
            f"{verb} [bold]{data['rows']:,}[/] rows in {filled} tables "
            f"({data['format']}): {data['path']}; every table's checksum verified"
        )

    return render


def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The backup file to write."),
    fmt: str = typer.Option(
        "auto", "--format", help="auto | sqlite | pg_dump | jsonl (portable JSON lines)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Back up the whole database, consistent even while others write."""
    if fmt not in _FORMATS:
        raise InputError("", None, f"--format is one of {', '.join(_FORMATS)}, not {fmt!r}")
    fmt_ = cast(backups.Format, fmt)
    report = backups.backup(state(ctx).store(), file, fmt=fmt_, force=force).as_dict()
    emit(ctx, report, _render_sums("backed up", report))


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A backup written by `netweave backup`."),
    force: bool = typer.Option(
        False, "--force", help="Replace a database that already holds data."
    ),
) -> None:
    """Restore a backup into the database, then verify every table against it."""
    report = backups.restore(state(ctx).store(), file, force=force).as_dict()
    emit(ctx, report, _render_sums("restored", report))


def migrate_to(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="Target, e.g. postgresql+psycopg://user@host/db"),
    force: bool = typer.Option(False, "--force", help="Replace data already in the target."),
) -> None:
    """Copy this database into another (team mode on PostgreSQL); this one is left as is."""
    if "://" not in url:
        raise InputError(
            "", None, f"give a database URL like postgresql+psycopg://..., not {url!r}"
        )
    source = state(ctx).store()
    target = Store.open(url, workspace_id=source.workspace_id)
    try:
        sums = portable.copy_database(source, target, force=force)
        location = target.location
    finally:
        target.close()
    data = {
        "from": source.location,
        "to": location,
        "rows": sum(s.rows for s in sums.values()),
        "tables": {k: v.as_dict() for k, v in sums.items()},
    }
    emit(
        ctx,
        data,
        lambda con: con.print(
            f"copied [bold]{data['rows']:,}[/] rows to {location}; counts and checksums match. "
            f"Use it with NETWEAVE_DATABASE_URL or --db."
        ),
    )


def forget(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id of the person to forget."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Remove every trace of a person, then prove it with counts and a search."""
    store = state(ctx).store()
    if not yes:
        plan = forget_mod.preview(store, person)
        rows = sum(plan.before.values())
        typer.echo(
            f"forget {plan.name} ({plan.person_id}): {len(plan.accounts)} accounts, "
            f"{rows} rows mentioning them, handles {', '.join(plan.handles) or '(none)'}",
            err=True,
        )
        if not typer.confirm("This cannot be undone. Forget them?", err=True):
            typer.echo("nothing changed", err=True)
            raise typer.Exit(1)
    report = forget_mod.forget(store, person)

    def render(con: Console) -> None:
        con.print(f"forgot [bold]{report.name}[/] and {len(report.accounts)} accounts")
        table = Table("table", "rows before", "after", box=None, pad_edge=False)
        for name, count in report.before.items():
            if count:
                table.add_row(name, str(count), str(report.after.get(name, 0)))
        con.print(table)
        for handle, hits in report.search_before.items():
            con.print(
                f"search for {handle!r}: {hits} before, {report.search_after.get(handle, 0)} after"
            )
        if report.redacted:
            con.print(f"handle blanked out of {report.redacted} texts by others")
        con.print("[dim]a re-import of an old export would bring them back; delete those too[/]")

    emit(ctx, report.as_dict(), render)


def export(
    ctx: typer.Context,
    directory: Path = typer.Argument(..., help="A new (or empty) folder to write into."),
) -> None:
    """Export everything: every table as JSON and CSV, people as vCard, meet-ups as ICS."""
    report = files.export(state(ctx).store(), directory)

    def render(con: Console) -> None:
        tables = sum(1 for name in report.files if name.startswith("json/"))
        con.print(
            f"exported {tables} tables as JSON and CSV, "
            f"{report.files['people.vcf']} people (people.vcf), "
            f"{report.files['meetups.ics']} planned meet-ups (meetups.ics) to {report.directory}"
        )

    emit(ctx, report.as_dict(), render)
