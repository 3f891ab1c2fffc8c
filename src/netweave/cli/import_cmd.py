"""``netweave import``: bring exports into the ledger."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..importers import import_paths
from ._output import emit, progress, state


def import_(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ..., help="Export zips, folders or single files.", metavar="PATH..."
    ),
    force: bool = typer.Option(False, "--force", help="Re-read files imported before."),
) -> None:
    """Import platform exports (Twitter/X, LinkedIn, Facebook, Mastodon, Bluesky, contacts,
    blogs): a zip, a folder or a file; the format is detected from the contents."""
    st = state(ctx)
    store = st.store()
    # what the import changed flows on: people, tie scores, the topic index
    from ..refresh import after_ingest

    with progress(ctx, "importing", unit="bytes") as bar:
        report = import_paths(
            store, [str(p) for p in paths], settings=st.settings(), progress=bar, force=force
        )
        flowed = after_ingest(store, st.settings(), progress=bar)  # accounts new or changed
    people, indexed = flowed["people"], flowed["indexed"]

    def render(con: Console) -> None:
        # files of one archive are named inside it, under the archive's name
        archives = {f.archive for f in report.files}
        inside = len(archives) == 1 and None not in archives
        table = Table("file", "kind", "records", "status", box=None, pad_edge=False)
        for f in report.files:
            name = f.inner if inside and f.inner else f.file
            table.add_row(name, f.source, f"{f.records:,}", f.status)
        if inside:
            con.print(f"from {archives.pop()}")
        con.print(table)
        added = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in report.added.items() if n)
        con.print(f"added: {added or 'nothing new'}")
        con.print(
            f"people: {people['people']:,} ({people['auto_links']:,} automatic links, "
            f"{people['proposed']:,} to review with netweave review); "
            f"{indexed:,} posts indexed"
        )
        if report.skipped:
            con.print(
                f"[dim]not read ({len(report.skipped)}): "
                + ", ".join(s.rsplit(":", 1)[-1] for s in report.skipped[:8])
                + (" ..." if len(report.skipped) > 8 else "")
                + "[/]"
            )

    emit(ctx, {**report.as_dict(), "people": people, "indexed": indexed}, render)
