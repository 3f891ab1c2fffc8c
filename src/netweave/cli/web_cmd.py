"""``netweave serve``: the web UI and JSON API on this machine."""

from __future__ import annotations

import secrets

import typer

from ._output import state


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (this machine)."),
    port: int = typer.Option(8765, "--port", min=1, max=65535),
    token: str | None = typer.Option(
        None, "--token", help="Login token (default: a new random one, printed)."
    ),
) -> None:
    """Serve the web UI; log in with the token it prints (team mode: user name and password)."""
    import uvicorn

    from ..web import create_app

    st = state(ctx)
    token = token or secrets.token_urlsafe(18)
    app = create_app(st.store(), token=token)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"netweave web UI: http://{shown}:{port}/login")
    if app.state.netweave.is_team():
        typer.echo("log in with:     your user name and password (team mode, no token)")
    else:
        typer.echo(f"login token:     {token}")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        typer.echo(f"warning: listening on {host}: anyone who can reach it may try the token")
    uvicorn.run(app, host=host, port=port, log_level="warning")
