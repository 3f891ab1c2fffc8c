"""One module per page; each exposes ``router`` (HTML and ``.json`` of the same view).

>>> len(ROUTERS) > 5
True
"""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    audit,
    auth,
    dashboard,
    goals,
    imports,
    listening,
    partners,
    people,
    review,
    settings,
    workspaces,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    auth.router,
    dashboard.router,
    people.router,
    review.router,
    audit.router,
    partners.router,
    goals.router,
    listening.router,
    settings.router,
    imports.router,
    workspaces.router,
]
