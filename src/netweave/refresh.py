"""What new ledger rows flow on to, after an import or a sync: people, tie scores, topic index.

``netweave import`` and ``netweave sync`` both end with :func:`after_ingest`; ``netweave
resolve`` calls :func:`refresh_people` over every account.

    >>> from netweave.store import Store
    >>> report = after_ingest(Store.open("sqlite://"), Settings())
    >>> report["people"]["people"], report["indexed"]
    (0, 0)
"""

from __future__ import annotations

from typing import Any

from .config import Settings
from .identity.resolve import resolve, stale_accounts
from .importers._save import Progress
from .listening.search import ensure_index
from .relationships.health import recompute
from .store import Store

__all__ = ["after_ingest", "refresh_people"]


def refresh_people(
    store: Store,
    settings: Settings,
    *,
    incremental: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Resolve identities (only accounts new or changed since the last run if
    ``incremental``), then bring relationship health up to date; ``progress`` is told which.

    >>> refresh_people(Store.open("sqlite://"), Settings())["scored"]
    0
    """
    progress = progress or Progress()
    _stage(progress, "finding people (identity resolution)")
    report = resolve(store, stale_accounts(store) if incremental else None)
    _stage(progress, "scoring relationships")
    health = recompute(store, settings=settings)
    return {**report.as_dict(), "scored": health.people}


def after_ingest(
    store: Store, settings: Settings, *, progress: Progress | None = None
) -> dict[str, Any]:
    """People and scores for the accounts new or changed, then the topic index: returns
    ``{"people": <refresh_people report>, "indexed": <posts newly indexed>}``. ``progress``
    (a bar) is told each stage as it starts."""
    progress = progress or Progress()
    with store.unmapped():  # bulk reads: memory flat in the size of the database
        people = refresh_people(store, settings, incremental=True, progress=progress)
        _stage(progress, "indexing topics")
        return {"people": people, "indexed": ensure_index(store)}


def _stage(progress: Progress, text: str) -> None:
    progress.total(None)  # a stage cannot say how far along it is
    progress.describe(text)
