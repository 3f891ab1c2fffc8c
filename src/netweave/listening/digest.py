"""The morning digest: what my network said, by topic and by circle, and whom to answer first.

Seed 003: "In the morning we might read the news; what if we took that time to find out what
our network is saying about the news, sort of like hanging out at the water cooler."

    >>> from netweave.store import Store
    >>> digest(Store.open("sqlite://"), topics=["python"])["total"]
    0
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..store import Store, schema, utcnow
from .help import ASK_KINDS, is_help_request
from .search import ensure_index, match_clause, parse_query

__all__ = ["digest"]

MAX_ITEMS = 5000


def digest(
    store: Store,
    *,
    topics: list[str],
    since: timedelta = timedelta(hours=24),
    now: datetime | None = None,
    per_group: int = 5,
) -> dict[str, Any]:
    """Everything the network said in the window, grouped; plain data for CLI, page and JSON."""
    ensure_index(store)
    now = now or utcnow()
    start = now - since
    i, a, link, p, ts = (
        schema.interactions,
        schema.accounts,
        schema.account_links,
        schema.people,
        schema.tie_scores,
    )
    ws = store.workspace_id
    circle = sa.func.coalesce(p.c.circle, ts.c.suggested_circle)
    q = (
        sa.select(
            i.c.interaction_id,
            i.c.kind,
            i.c.text,
            i.c.url,
            i.c.platform,
            i.c.occurred_at,
            i.c.target_account,
            link.c.person_id,
            sa.func.coalesce(p.c.display_name, a.c.display_name, a.c.handle, a.c.key).label("name"),
            circle.label("circle"),
            sa.func.coalesce(ts.c.strength, 0.0).label("strength"),
        )
        .select_from(
            i.join(
                a,
                sa.and_(a.c.workspace_id == i.c.workspace_id, a.c.account_id == i.c.actor_account),
            )
            .outerjoin(
                link,
                sa.and_(
                    link.c.workspace_id == a.c.workspace_id, link.c.account_id == a.c.account_id
                ),
            )
            .outerjoin(
                p,
                sa.and_(p.c.workspace_id == link.c.workspace_id, p.c.person_id == link.c.person_id),
            )
            .outerjoin(
                ts,
                sa.and_(
                    ts.c.workspace_id == link.c.workspace_id, ts.c.person_id == link.c.person_id
                ),
            )
        )
        .where(
            i.c.workspace_id == ws,
            i.c.direction != "given",
            ~a.c.is_owner,
            i.c.kind.in_(ASK_KINDS),
            i.c.occurred_at >= start,
            i.c.occurred_at <= now,
        )
        .order_by(i.c.occurred_at.desc())
        .limit(MAX_ITEMS)
    )
    with store.connect() as conn:
        items = [dict(r) for r in conn.execute(q).mappings()]
        by_id = {it["interaction_id"]: it for it in items}
        topic_of: dict[str, list[str]] = defaultdict(list)
        for topic in topics:
            ids = conn.execute(
                sa.select(i.c.interaction_id).where(
                    match_clause(store, parse_query(topic)),
                    i.c.occurred_at >= start,
                    i.c.occurred_at <= now,
                )
            ).scalars()
            for iid in ids:
                if iid in by_id:
                    topic_of[iid].append(topic)
        owners = set(
            conn.execute(
                sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
            ).scalars()
        )

    def brief(it: dict[str, Any]) -> dict[str, Any]:
        return {
            k: it[k]
            for k in (
                "interaction_id",
                "name",
                "person_id",
                "text",
                "url",
                "platform",
                "occurred_at",
                "kind",
            )
        }

    by_topic = []
    groups: list[str | None] = [*topics, None]
    for gtopic in groups:
        group = [
            it
            for it in items
            if (gtopic in topic_of.get(it["interaction_id"], []))
            or (gtopic is None and not topic_of.get(it["interaction_id"]))
        ]
        if group:
            group.sort(key=lambda it: (-it["strength"], -it["occurred_at"].timestamp()))
            by_topic.append(
                {
                    "topic": gtopic or "everything else",
                    "count": len(group),
                    "people": len({it["name"] for it in group}),
                    "items": [brief(it) for it in group[:per_group]],
                }
            )
    by_circle = []
    for size in (5, 15, 50, 150, None):
        group = [it for it in items if it["circle"] == size]
        if group:
            by_circle.append(
                {
                    "circle": size or "outside your circles",
                    "count": len(group),
                    "people": sorted({it["name"] for it in group})[:10],
                }
            )
    first: dict[str, dict[str, Any]] = {}
    for it in items:
        to_me = it["target_account"] in owners or it["kind"] == "dm"
        if not (to_me or is_help_request(it["text"])):
            continue
        key = it["person_id"] or it["name"]
        reason = "wrote to you" if to_me else "asked a question"
        if key not in first or it["strength"] > first[key]["strength"]:
            first[key] = {
                "name": it["name"],
                "person_id": it["person_id"],
                "reason": reason,
                "strength": it["strength"],
                "item": brief(it),
            }
    reply_first = sorted(first.values(), key=lambda r: (-r["strength"], r["name"]))[:10]
    return {
        "since": start,
        "until": now,
        "total": len(items),
        "people": len({it["person_id"] or it["name"] for it in items}),
        "by_topic": by_topic,
        "by_circle": by_circle,
        "reply_first": reply_first,
    }
