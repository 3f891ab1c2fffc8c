"""Storage: one schema on SQLite (default) and PostgreSQL (team mode).

Example:

    >>> store = Store.open("sqlite://")
    >>> store.schema_version() is not None
    True
"""

from __future__ import annotations

from . import schema
from ._engine import DEFAULT_WORKSPACE, SQLITE_MAX_VARIABLES, Store, make_id, utcnow

__all__ = ["DEFAULT_WORKSPACE", "SQLITE_MAX_VARIABLES", "Store", "make_id", "schema", "utcnow"]
