"""The local web UI and JSON API (``netweave serve``): FastAPI, Jinja2 templates and HTMX.

>>> from netweave.store import Store
>>> app = create_app(Store.open("sqlite://"), token="t")
>>> "/people/{person_id}" in app.openapi()["paths"]
True
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
