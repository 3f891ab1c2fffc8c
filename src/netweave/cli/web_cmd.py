"""``netweave serve``: the web UI and JSON API on this machine."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import typer

from ._output import state

TOKEN_ENV = "NETWEAVE_TOKEN"


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (this machine)."),
    port: int = typer.Option(8765, "--port", min=1, max=65535),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar=TOKEN_ENV,
        help=f"Login token (default: a new random one, printed; or from ${TOKEN_ENV}, "
        "which keeps it out of the process listing).",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Server processes, to use several cores (default 1)."
    ),
) -> None:
    """Serve the web UI; log in with the token it prints (team mode: user name and password)."""
    import uvicorn

    from ..team import has_users
    from ..web import create_app

    st = state(ctx)
    token = token or secrets.token_urlsafe(18)
    store = st.store()
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"netweave web UI: http://{shown}:{port}/login")
    if has_users(store):
        typer.echo("log in with:     your user name and password (team mode, no token)")
    else:
        typer.echo(f"login token:     {token}")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        typer.echo(f"warning: listening on {host}: anyone who can reach it may try the token")
    if workers == 1:
        uvicorn.run(create_app(store, token=token), host=host, port=port, log_level="warning")
        return
    _serve_workers(st.url, st.workspace, token, host, port, workers)


def _serve_workers(url: str, workspace: str, token: str, host: str, port: int, n: int) -> None:
    """Run ``n`` uvicorn worker processes, each building the app from the environment
    (:mod:`netweave.web.workers`): the token and cookie secret never go on a command line."""
    import uvicorn

    from ..web.workers import worker_environment

    with tempfile.TemporaryDirectory(prefix="netweave-serve-") as private:
        os.environ.update(
            worker_environment(
                url,
                workspace,
                token=token,
                secret=secrets.token_urlsafe(32),
                limiter=str(Path(private) / "limiter.db"),
            )
        )
        uvicorn.run(
            "netweave.web.workers:app_from_environment",
            factory=True,
            workers=n,
            host=host,
            port=port,
            log_level="warning",
        )
