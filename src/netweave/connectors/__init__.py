"""Live connectors: Mastodon, Bluesky and feeds, run only when the user asks (``netweave sync``).

Each connector reads a live API page by page and feeds the importers' own pure transforms and
saver, so live data and exported data meet in one ledger; its cursor (``min_id``, ETag...) is kept
in ``sync_state`` so that the next run fetches only what is new.

    >>> sorted(CONNECTORS)
    ['bluesky', 'feeds', 'mastodon']
"""

from __future__ import annotations

from . import bluesky, feeds, mastodon
from ._sync import SyncReport

__all__ = ["CONNECTORS", "SyncReport", "bluesky", "feeds", "mastodon"]

CONNECTORS = {"bluesky": bluesky.sync, "feeds": feeds.sync, "mastodon": mastodon.sync}
