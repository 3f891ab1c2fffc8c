"""Several server processes (``netweave serve --workers N``): each worker builds its own app
from the environment the serving command set before starting them.

Nothing a worker needs lives only in another worker's memory:

* sessions, and the CSRF token in them, are cookies signed with a secret (``_session``), so
  any worker holding the same secret reads a login made on another; the command draws one
  random secret per run and hands it to every worker (a restart still logs everyone out);
* failed team logins are counted in a small SQLite file in a private temporary directory
  (:class:`netweave.team.SharedRateLimiter`), so the limit holds for the server as a whole;
* team mode is read from the database itself, as with one process.

The token and the secret travel in the environment, never on a command line, so they never
appear in a process listing.

    >>> env = worker_environment(
    ...     "sqlite:///n.db", "default", token="t0k", secret="s", limiter="limiter.db"
    ... )
    >>> sorted(env) == sorted(ENV.values())
    True
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from ..store import Store
from ..team import SharedRateLimiter
from .app import create_app

__all__ = ["ENV", "app_from_environment", "worker_environment"]

ENV = {
    "url": "NETWEAVE_SERVE_DATABASE_URL",
    "workspace": "NETWEAVE_SERVE_WORKSPACE",
    "token": "NETWEAVE_SERVE_TOKEN",
    "secret": "NETWEAVE_SERVE_SECRET",
    "limiter": "NETWEAVE_SERVE_LIMITER",
}


def worker_environment(
    url: str, workspace: str, *, token: str, secret: str, limiter: str
) -> dict[str, str]:
    """The variables that tell each worker what to serve and how to sign cookies.

    >>> worker_environment("sqlite://", "w", token="t", secret="s", limiter="l")[ENV["token"]]
    't'
    """
    return {
        ENV["url"]: url,
        ENV["workspace"]: workspace,
        ENV["token"]: token,
        ENV["secret"]: secret,
        ENV["limiter"]: limiter,
    }


def app_from_environment() -> FastAPI:
    """The app of one worker (uvicorn's factory), from :func:`worker_environment`'s variables.

    >>> import os, tempfile
    >>> from unittest import mock
    >>> limiter = os.path.join(tempfile.mkdtemp(), "limiter.db")
    >>> env = worker_environment("sqlite://", "default", token="t", secret="s", limiter=limiter)
    >>> with mock.patch.dict(os.environ, env):
    ...     app_from_environment().state.netweave.sessions.token
    't'
    """
    env = {key: os.environ[name] for key, name in ENV.items()}
    store = Store.open(env["url"], workspace_id=env["workspace"])
    return create_app(
        store,
        token=env["token"],
        secret=env["secret"],
        limiter=SharedRateLimiter(env["limiter"]),
    )
