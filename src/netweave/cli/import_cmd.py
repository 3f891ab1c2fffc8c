"""``netweave import``: bring exports into the ledger."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Column, Table

from ..importers import FileReport, import_paths
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
        header, rows = _listing(report.files)
        if header:
            con.print(f"from {header}")
        grouped = any(n > 1 for _, _, n, _, _ in rows)
        # a narrow terminal folds a long name onto a second line rather than cut it short
        table = Table(
            Column("file", overflow="fold"),
            Column("kind", overflow="fold"),
            *([Column("files", justify="right")] if grouped else []),
            Column("records", justify="right"),
            "status",
            box=None,
            pad_edge=False,
        )
        shown = None
        for name, kind, n, records, status in rows:
            counts = [f"{n:,}"] if grouped else []
            # an export's name heads its rows once
            table.add_row("" if name == shown else name, kind, *counts, f"{records:,}", status)
            shown = name
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


def _listing(files: list[FileReport]) -> tuple[str | None, list[tuple[str, str, int, int, str]]]:
    """What the import read, for people: the folder or zip the files came from, and rows of
    (name, kind, files, records, status).

    Files of one zip or folder are named inside it. Files of several (a folder of exports)
    are summed per export and kind: a Facebook download holds a file per conversation.

    >>> def read(archive, inner, kind, n):
    ...     return FileReport(f"{archive}:{inner}", kind, "imported", n, archive, inner)
    >>> _listing([read("a.zip", "data/tweets.js", "twitter.tweets", 5)])
    ('a.zip', [('data/tweets.js', 'twitter.tweets', 1, 5, 'imported')])
    >>> header, rows = _listing([read("x/fb.zip", "m/1.json", "facebook.messages", 2),
    ...     read("x", "c.vcf", "contacts.vcard", 7), read("x/fb.zip", "m/2.json",
    ...     "facebook.messages", 3)])
    >>> header, rows[0]
    ('x', ('fb.zip', 'facebook.messages', 2, 5, 'imported'))
    >>> rows[1]
    ('c.vcf', 'contacts.vcard', 1, 7, 'imported')
    """
    containers = {f.archive for f in files}
    if len(containers) == 1 and None not in containers:
        return containers.pop(), [
            (f.inner or f.file, f.source, 1, f.records, f.status) for f in files
        ]
    found = [c for c in containers if c is not None]
    root = os.path.commonpath(found) if found and None not in containers else None
    # per export, in the order first read, its kinds in the order first read
    exports: dict[str, dict[tuple[str, str], list[int]]] = {}
    for f in files:
        if f.archive is None or root is None:
            name = f.file
        elif f.archive == root:
            name = f.inner or f.file
        else:
            name = os.path.relpath(f.archive, root)
        counts = exports.setdefault(name, {}).setdefault((f.source, f.status), [0, 0])
        counts[0] += 1
        counts[1] += f.records
    return root, [
        (name, kind, n, records, status)
        for name, kinds in exports.items()
        for (kind, status), (n, records) in kinds.items()
    ]
