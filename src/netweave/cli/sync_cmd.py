"""``netweave sync``: the live connectors, run only when asked.

The connectors (and the HTTP client) are imported by the command that runs them: every other
command starts without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from ..refresh import after_ingest
from ._output import emit, progress, state

if TYPE_CHECKING:
    from ..connectors import SyncReport

app = typer.Typer(
    help="Fetch what is new from Mastodon, Bluesky and the blogs you follow (network).",
    no_args_is_help=True,
)

_PAGES = typer.Option(10, "--pages", min=1, help="Pages of timeline the first sync reads.")


def _finish(ctx: typer.Context, report: SyncReport) -> None:
    """What a sync added flows on (people, scores, topic index), then the report is shown."""
    st = state(ctx)
    flowed = after_ingest(st.store(), st.settings())
    people = flowed["people"]
    data: dict[str, Any] = {**report.as_dict(), **flowed}

    def render(con: Console) -> None:
        read = ", ".join(f"{n:,} {name}" for name, n in report.streams.items())
        con.print(f"{report.connector}: read {read or 'nothing'} ({report.pages:,} pages)")
        added = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in report.added.items() if n)
        con.print(f"added: {added or 'nothing new'}")
        con.print(
            f"people: {people['people']:,} ({people['proposed']:,} to review with "
            f"netweave review); {flowed['indexed']:,} posts indexed"
        )
        for note in report.notes:
            con.print(f"[yellow]{note}[/]")

    emit(ctx, data, render)


@app.command("mastodon")
def sync_mastodon(ctx: typer.Context, pages: int = _PAGES) -> None:
    """Your follows, followers, home timeline and notifications since the last sync
    (mastodon.instance, mastodon.token)."""
    from ..connectors import mastodon

    st = state(ctx)
    with progress(ctx, "mastodon") as bar:
        report = mastodon.sync(st.store(), st.settings(), progress=bar, pages=pages)
    _finish(ctx, report)


@app.command("bluesky")
def sync_bluesky(ctx: typer.Context, pages: int = _PAGES) -> None:
    """Your follows, followers and timeline since the last sync (bluesky.handle,
    bluesky.app_password)."""
    from ..connectors import bluesky

    st = state(ctx)
    with progress(ctx, "bluesky") as bar:
        report = bluesky.sync(st.store(), st.settings(), progress=bar, pages=pages)
    _finish(ctx, report)


@app.command("feeds")
def sync_feeds(
    ctx: typer.Context,
    opml: list[Path] = typer.Argument(
        None, help="OPML files to import first (their feeds join the list).", metavar="[OPML]..."
    ),
) -> None:
    """The feeds of the blogs you follow (your imported OPML blogroll), fetched only when they
    changed (ETag / Last-Modified)."""
    from ..connectors import feeds

    st = state(ctx)
    with progress(ctx, "feeds") as bar:
        report = feeds.sync(
            st.store(), st.settings(), opml=[str(p) for p in opml or []], progress=bar
        )
    _finish(ctx, report)
