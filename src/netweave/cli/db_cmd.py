"""``netweave db``: schema migrations."""

from __future__ import annotations

import typer

from ..store import Store
from ._output import emit, state

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Apply any pending schema migrations."""
    st = state(ctx)
    store = Store.open(st.url, workspace_id=st.workspace, migrate=False)
    try:
        before = store.schema_version()
        after = store.upgrade()
    finally:
        store.close()
    emit(
        ctx,
        {"from": before, "to": after},
        lambda con: con.print(f"schema {before or '(empty)'} -> {after}"),
    )
