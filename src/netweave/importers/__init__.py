"""Importers: every export a person can download, into one ledger.

Each platform module registers declarative entries (file pattern + content sniff, a streaming
reader, a pure transform); :func:`import_paths` does the rest.

    >>> print(*sorted({e.platform for e in REGISTRY}))
    blog bluesky contacts facebook google_contacts linkedin mastodon twitter
"""

from __future__ import annotations

from . import blogs, bluesky, contacts, facebook, linkedin, mastodon, twitter
from ._base import REGISTRY, Context, Entry, Rows, register
from ._save import FileReport, ImportReport, import_paths

__all__ = [
    "REGISTRY",
    "Context",
    "Entry",
    "FileReport",
    "ImportReport",
    "Rows",
    "blogs",
    "bluesky",
    "contacts",
    "facebook",
    "import_paths",
    "linkedin",
    "mastodon",
    "register",
    "twitter",
]
