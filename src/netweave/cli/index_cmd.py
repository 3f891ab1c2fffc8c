"""``netweave index``: bring the search indexes up to date (``--semantic``: the vectors too)."""

from __future__ import annotations

from types import ModuleType

import typer
from rich.console import Console

from ..errors import MissingExtra
from ._output import emit, progress, state


def semantic_module() -> ModuleType:
    """:mod:`netweave.listening.semantic`, or MissingExtra (exit 2, one line with the install
    hint) when the ``embeddings`` extra (numpy) is not installed."""
    try:
        from ..listening import semantic
    except ImportError as exc:
        raise MissingExtra("embeddings", "semantic search") from exc
    return semantic


def index(
    ctx: typer.Context,
    semantic: bool = typer.Option(
        False,
        "--semantic",
        help="Also embed posts, messages and notes not embedded yet, for `who --semantic` "
        "(needs pip install 'netweave[embeddings]').",
    ),
) -> None:
    """Index new posts for search; with --semantic also embed them (incremental)."""
    from ..listening.search import ensure_index

    store = state(ctx).store()
    data: dict[str, object] = {"indexed": ensure_index(store)}
    if semantic:
        module = semantic_module()
        embedder = module.load_embedder()
        with progress(ctx, "embedding") as bar:
            data["semantic"] = module.index_semantic(store, embedder, progress=bar).as_dict()

    def render(con: Console) -> None:
        con.print(f"{data['indexed']:,} posts added to the keyword index")
        report = data.get("semantic")
        if isinstance(report, dict):
            con.print(
                f"{report['embedded']:,} texts embedded ({report['current']:,} already current, "
                f"{report['removed']:,} removed) with {report['model']}; "
                f"searched with {report['backend']}"
            )

    emit(ctx, data, render)
