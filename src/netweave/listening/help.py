"""Help requests from my network in my topics, not answered by me yet.

Seed 004: "there are many tools available to search for topics that I can help with, or even
for the word help." A post is a help request when it asks (a question, "anyone know",
"recommend", "looking for", "help", ...) and it is about one of the owner's expertise topics
(config ``topics.expertise``). Requests are ranked by tie strength with the asker and freshness.

    >>> is_help_request("Anyone know a good tool for python packaging?")
    True
    >>> is_help_request("Shipped a new release of our packaging tool today")
    False
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..identity.people import accounts_people
from ..store import Store, schema, utcnow
from .search import ensure_index, match_clause, parse_query

__all__ = ["HelpRequest", "help_requests", "is_help_request"]

_ASKING = re.compile(
    r"(\?\s*(?:#\w+\s*)*$)|\b(anyone (know|have|tried|used|recommend)|does anyone|can anyone|"
    r"could (someone|anyone)|any (recommendations|suggestions|ideas|tips|advice|pointers)|"
    r"recommend(ations)? (a|an|for|me)|looking for (a|an|some|recommendations|help|advice)|"
    r"(need|needs|needed|want) (some )?(help|advice)|help (me|needed|wanted|please)|"
    r"how (do|can|should) (i|we|you)|what('s| is) the best|stuck (on|with)|struggling (with|to)|"
    r"(is there|are there) (a|an|any) (good|simple|easy|decent)?|ideas on how|advice on|"
    r"pointers (on|to|for)|halp|sos)\b",
    re.IGNORECASE | re.MULTILINE,
)
_NOT_ASKING = re.compile(
    r"\b(we're hiring|hiring:|i can help|happy to help|here's how|i('m| am) looking for "
    r"(a new role|work|a job|clients))\b",
    re.IGNORECASE,
)
ASK_KINDS = ("post", "reply", "mention", "comment", "dm")
_WINDOW_FIRST_ROWS = 100_000


def is_help_request(text: str | None) -> bool:
    """True if the text asks for help, advice or a recommendation."""
    if not text:
        return False
    return bool(_ASKING.search(text)) and not _NOT_ASKING.search(text)


@dataclass
class HelpRequest:
    """One unanswered request, with why it ranks where it does."""

    interaction_id: str
    person_id: str | None
    name: str
    text: str
    url: str | None
    platform: str
    occurred_at: datetime
    topic: str
    strength: float
    score: float

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def help_requests(
    store: Store,
    topics: list[str],
    *,
    since: timedelta = timedelta(days=14),
    limit: int = 20,
    now: datetime | None = None,
) -> list[HelpRequest]:
    """Unanswered help requests about ``topics`` from the last ``since``, best first.

    Answered means the owner wrote to the asker after it (a reply to them, a message, a
    comment under theirs), or wrote in the same private conversation after it. A public thread
    is not enough: a blog post's comments or a busy conversation share one thread, and the
    owner's reply to someone else there does not answer this asker.
    """
    if not topics:
        return []
    ensure_index(store)
    now = now or utcnow()
    i, a, link, p, ts = (
        schema.interactions,
        schema.accounts,
        schema.account_links,
        schema.people,
        schema.tie_scores,
    )
    ws = store.workspace_id
    found: dict[str, tuple[Any, str]] = {}
    with store.connect() as conn:
        # a short window (the agenda's week) is cheaper to read than every match of a
        # common word in the whole ledger: bounded count, then pick the driving index
        in_window = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(sa.literal(1))
                .where(i.c.workspace_id == ws, i.c.occurred_at >= now - since)
                .limit(_WINDOW_FIRST_ROWS + 1)
                .subquery()
            )
        ).scalar_one()
        window_first = in_window <= _WINDOW_FIRST_ROWS
        for topic in topics:
            q = sa.select(
                i.c.interaction_id,
                i.c.actor_account,
                i.c.text,
                i.c.url,
                i.c.platform,
                i.c.occurred_at,
                i.c.thread_id,
            ).where(
                match_clause(store, parse_query(topic), window_first=window_first),
                i.c.direction != "given",
                i.c.kind.in_(ASK_KINDS),
                i.c.occurred_at >= now - since,
                i.c.actor_account.is_not(None),
            )
            for row in conn.execute(q):
                if row.interaction_id not in found and is_help_request(row.text):
                    found[row.interaction_id] = (row, topic)
        if not found:
            return []
        actors = sorted({row.actor_account for row, _ in found.values()})
        answered_to = dict(
            conn.execute(
                sa.select(i.c.target_account, sa.func.max(i.c.occurred_at))
                .where(
                    i.c.workspace_id == ws,
                    i.c.direction == "given",
                    i.c.target_account.in_(actors),
                    i.c.occurred_at >= now - since,
                )
                .group_by(i.c.target_account)
            ).all()
        )
        threads = sorted({row.thread_id for row, _ in found.values() if row.thread_id})
        answered_threads = (
            dict(
                conn.execute(
                    sa.select(i.c.thread_id, sa.func.max(i.c.occurred_at))
                    .where(
                        i.c.workspace_id == ws,
                        i.c.direction == "given",
                        i.c.kind == "dm",
                        i.c.thread_id.in_(threads),
                    )
                    .group_by(i.c.thread_id)
                ).all()
            )
            if threads
            else {}
        )
        who = {
            acc: (pid, pname, aname, strength)
            for acc, pid, pname, aname, strength in conn.execute(
                sa.select(
                    a.c.account_id,
                    link.c.person_id,
                    p.c.display_name,
                    sa.func.coalesce(a.c.display_name, a.c.handle, a.c.key),
                    ts.c.strength,
                )
                .select_from(
                    accounts_people().outerjoin(
                        ts,
                        sa.and_(
                            ts.c.workspace_id == link.c.workspace_id,
                            ts.c.person_id == link.c.person_id,
                        ),
                    )
                )
                .where(a.c.workspace_id == ws, a.c.account_id.in_(actors))
            )
        }
    out = []
    for row, topic in found.values():
        replied = answered_to.get(row.actor_account)
        in_thread = answered_threads.get(row.thread_id) if row.thread_id else None
        if (replied and replied >= row.occurred_at) or (in_thread and in_thread >= row.occurred_at):
            continue
        pid, pname, aname, strength = who.get(row.actor_account, (None, None, "?", None))
        strength = float(strength or 0.0)
        age_days = max((now - row.occurred_at).total_seconds() / 86400, 0.0)
        freshness = math.exp(-age_days / 4)
        out.append(
            HelpRequest(
                row.interaction_id,
                pid,
                pname or aname or "?",
                row.text,
                row.url,
                row.platform,
                row.occurred_at,
                topic,
                strength,
                round(0.6 * strength + 0.4 * freshness, 4),
            )
        )
    out.sort(key=lambda r: (-r.score, r.interaction_id))
    return out[:limit]
