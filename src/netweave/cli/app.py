"""The ``netweave`` command: global options, error handling, and the core commands.

Commands parse their input, call one domain function and render its result (STYLE.md 1).
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from .. import __version__
from ..errors import NetweaveError
from ._output import State, emit, state

__all__ = ["app", "main"]


class _Group(TyperGroup):
    """Maps netweave errors to one line on stderr and an exit code; no traceback unless --debug."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NetweaveError as exc:
            if _debug(ctx):
                raise
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:
            if _debug(ctx) or type(exc).__module__.startswith(("typer", "click")):
                raise
            typer.echo(
                f"error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True
            )
            raise typer.Exit(1) from None
        finally:
            obj = ctx.find_root().obj
            if isinstance(obj, State):
                obj.close()


def _debug(ctx: Any) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


app = typer.Typer(
    cls=_Group,
    help="netweave: are your relationships helping you reach your goals?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netweave {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="SQLite file or database URL (default: NETWEAVE_DATABASE_URL, then "
        "netweave.db in the user data directory).",
        metavar="PATH|URL",
    ),
    workspace: str = typer.Option("local", "--workspace", "-w", help="Workspace to work in."),
    user: str | None = typer.Option(
        None,
        "--user",
        "-u",
        envvar="NETWEAVE_USER",
        help="Act as this team member, with their role (password from NETWEAVE_PASSWORD "
        "or a prompt).",
    ),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable JSON output."),
    silent: bool = typer.Option(False, "--silent", "-s", help="No output but errors."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    st = state(ctx)
    st.db, st.workspace, st.json, st.silent, st.debug = db, workspace, json_out, silent, debug
    st.user = user


@app.command()
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the database and show where it is."""
    store = state(ctx).store()
    data = {
        "database": store.location,
        "schema_version": store.schema_version(),
        "workspace": store.workspace_id,
    }
    emit(
        ctx,
        data,
        lambda con: con.print(
            f"netweave database ready at [bold]{data['database']}[/] "
            f"(schema {data['schema_version']}, workspace {data['workspace']})"
        ),
    )


@app.command()
def info(ctx: typer.Context) -> None:
    """Show the database location, schema version and row counts per table."""
    store = state(ctx).store()
    counts = store.counts()
    data = {
        "database": store.location,
        "dialect": store.dialect,
        "schema_version": store.schema_version(),
        "workspace": store.workspace_id,
        "counts": counts,
    }

    def render(con: Console) -> None:
        con.print(f"database  [bold]{data['database']}[/]")
        con.print(f"schema    {data['schema_version']} ({data['dialect']})")
        con.print(f"workspace {data['workspace']}")
        table = Table("table", "rows", box=None, pad_edge=False)
        for name, count in counts.items():
            table.add_row(name, f"{count:,}")
        con.print(table)

    emit(ctx, data, render)


def main() -> None:
    """Console-script entry point."""
    from . import commands  # noqa: F401  (registers the command groups)

    app(prog_name="netweave")


if __name__ == "__main__":  # pragma: no cover
    main()
