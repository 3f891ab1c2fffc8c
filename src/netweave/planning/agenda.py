"""The daily agenda: concrete nurturing actions that fit a time budget.

Seed 003: "manage your time wisely": mornings for what the network says, work time for leads,
partners and answers, breaks and evenings for friends and family. Candidate actions come from
the lower layers (help requests, ties losing touch, life events, partner follow-ups, people who
gave, the digest); each has a value (its goal and tie weight), an estimated number of minutes
and a reason. Selection is a 0/1 knapsack over minutes with a diversity penalty (at most one
action per person, diminishing value for a kind already chosen), filtered by mode and rules.
The same data and date always give the same agenda.

    >>> Action("reply", None, "x", 5, 1.0, "why", None).key
    'reply::x'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..identity.people import facts_people
from ..listening.help import help_requests
from ..relationships import views
from ..store import Store, make_id, schema, utcnow
from .audit import dropped
from .partners import pipeline
from .rules import list_rules

__all__ = ["MODES", "Action", "candidates", "day_items", "item_id", "mark", "plan_day"]

MODES = ("morning", "work", "evening")
MINUTES = {
    "help": 8,
    "reconnect": 5,
    "congratulate": 3,
    "partner": 10,
    "thank": 3,
    "digest": 10,
    "learn": 5,
}
# which kinds each mode admits (work: leads, partners, answers; evening: friends and family)
MODE_KINDS = {
    "morning": {"digest", "help", "thank", "congratulate", "reconnect", "learn", "partner"},
    "work": {"help", "partner", "thank"},
    "evening": {"reconnect", "congratulate", "learn", "thank"},
}
WORK_KINDS = {"help", "partner"}


@dataclass
class Action:
    """One thing to do today."""

    kind: str
    person_id: str | None
    name: str
    minutes: int
    value: float
    reason: str
    url: str | None
    goal_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.person_id or ''}:{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "key": self.key}


def candidates(store: Store, *, topics: list[str], now: datetime) -> list[Action]:
    """Every action worth considering today, with value and reason.

    >>> from netweave.store import Store
    >>> [a.kind for a in candidates(Store.open("sqlite://"), topics=[], now=utcnow())]
    ['digest']
    """
    out: list[Action] = []
    for r in help_requests(store, topics, since=timedelta(days=7), limit=30, now=now):
        out.append(
            Action(
                "help",
                r.person_id,
                r.name,
                MINUTES["help"],
                1.0 + r.score,
                f'asked about {r.topic}: "{r.text[:80]}"',
                r.url,
            )
        )
    for t in views.losing_touch(store, now=now, limit=30):
        weight = {5: 1.6, 15: 1.2, 50: 0.8}.get(t.circle or 0, 0.5)
        overdue = (
            f"{t.overdue_days} days overdue" if t.overdue_days is not None else "never contacted"
        )
        out.append(
            Action(
                "reconnect",
                t.person_id,
                t.name,
                MINUTES["reconnect"],
                weight + 0.3 * t.strength,
                f"circle {t.circle}: {overdue} (every {t.cadence_days} days)",
                None,
            )
        )
    n, p, ts, f, link = (
        schema.notes,
        schema.people,
        schema.tie_scores,
        schema.interaction_facts,
        schema.account_links,
    )
    ws = store.workspace_id
    with store.connect() as conn:
        for pid, name, text, strength in conn.execute(
            sa.select(n.c.person_id, p.c.display_name, n.c.text, ts.c.strength)
            .select_from(
                n.join(
                    p, sa.and_(p.c.workspace_id == n.c.workspace_id, p.c.person_id == n.c.person_id)
                ).outerjoin(
                    ts,
                    sa.and_(ts.c.workspace_id == n.c.workspace_id, ts.c.person_id == n.c.person_id),
                )
            )
            .where(
                n.c.workspace_id == ws,
                n.c.kind == "life_event",
                n.c.created_at >= now - timedelta(days=14),
            )
            .order_by(n.c.created_at.desc(), n.c.note_id)
        ):
            out.append(
                Action(
                    "congratulate",
                    pid,
                    name,
                    MINUTES["congratulate"],
                    1.2 + (strength or 0),
                    f"life event: {text[:80]}",
                    None,
                )
            )
        givers = conn.execute(
            sa.select(link.c.person_id, p.c.display_name, sa.func.count().label("n"))
            .select_from(
                facts_people().join(
                    p,
                    sa.and_(
                        p.c.workspace_id == link.c.workspace_id, p.c.person_id == link.c.person_id
                    ),
                )
            )
            .where(
                f.c.workspace_id == ws,
                f.c.direction == "received",
                f.c.label == "giving",
                f.c.occurred_at >= now - timedelta(days=7),
                f.c.occurred_at <= now,
            )
            .group_by(link.c.person_id, p.c.display_name)
            .order_by(sa.func.count().desc(), link.c.person_id)
            .limit(10)
        ).all()
        for pid, name, count in givers:
            out.append(
                Action(
                    "thank",
                    pid,
                    name,
                    MINUTES["thank"],
                    0.9 + 0.1 * count,
                    f"gave you something {count} time(s) this week",
                    None,
                )
            )
    for partner in pipeline(store, now=now):
        if partner.stage == "collaborate":
            continue
        out.append(
            Action(
                "partner",
                partner.person_id,
                partner.name,
                MINUTES["partner"],
                1.1 + min(partner.days_in_stage, 60) / 60,
                f"partner, {partner.stage} for {partner.days_in_stage} days: {partner.next_step}",
                None,
            )
        )
    out.append(
        Action(
            "digest",
            None,
            "your network",
            MINUTES["digest"],
            1.5,
            "read what your network said since yesterday (netweave digest)",
            None,
        )
    )
    gone = dropped(store)  # the connection audit dropped them: no nurturing actions
    return [a for a in out if a.person_id not in gone]


def _allowed(
    action: Action,
    mode: str,
    day: date,
    rules: dict[str, dict[str, Any]],
    unanswered: dict[str, int],
) -> bool:
    if action.kind not in MODE_KINDS[mode]:
        return False
    if "no_work_on_weekends" in rules and day.weekday() >= 5 and action.kind in WORK_KINDS:
        return False
    avoid = rules.get("avoid_topics", {}).get("topics", [])
    if any(t in action.reason.lower() for t in avoid):
        return False
    limit = rules.get("no_dm_without_reply", {}).get("unanswered")
    return not (
        limit
        and action.person_id
        and action.kind in {"reconnect", "partner"}
        and unanswered.get(action.person_id, 0) >= limit
    )


def _unanswered(store: Store, people: set[str]) -> dict[str, int]:
    """Per person (of ``people``): how many of the owner's latest messages in a row got no
    reply. Read through those people's accounts only, never the whole ledger."""
    f, link = schema.interaction_facts, schema.account_links
    streak: dict[str, int] = {}
    if not people:
        return streak
    done: set[str] = set()
    with store.connect() as conn:
        for pid, direction in conn.execute(
            sa.select(link.c.person_id, f.c.direction)
            .select_from(facts_people())
            .where(
                f.c.workspace_id == store.workspace_id,
                link.c.person_id.in_(sorted(people)),
                f.c.kind.in_(["dm", "email"]),
            )
            .order_by(link.c.person_id, f.c.occurred_at.desc())
        ):
            if pid in done:
                continue
            if direction == "given":
                streak[pid] = streak.get(pid, 0) + 1
            else:
                done.add(pid)
    return streak


def _knapsack(actions: list[Action], budget: int) -> list[Action]:
    """Best value within the budget, one action per person, diminishing returns per kind.

    Exact 0/1 knapsack by minutes over the (kind-discounted) values, after keeping each
    person's most valuable action; ties break on the action key, so it is deterministic.
    """
    best: dict[str, Action] = {}
    for a in sorted(actions, key=lambda a: (-a.value, a.key)):
        who = a.person_id or a.key
        if who not in best:
            best[who] = a
    pool = sorted(best.values(), key=lambda a: (-a.value, a.key))
    seen: dict[str, int] = {}
    weighted: list[tuple[Action, float]] = []
    for a in pool:
        k = seen.get(a.kind, 0)
        weighted.append((a, a.value * (0.6**k)))  # the 2nd of a kind is worth less than the 1st
        seen[a.kind] = k + 1
    # dp[m] = (value, chosen indices) with exactly <= m minutes
    dp: list[tuple[float, tuple[int, ...]]] = [(0.0, ())] * (budget + 1)
    for idx, (a, v) in enumerate(weighted):
        for m in range(budget, a.minutes - 1, -1):
            cand = dp[m - a.minutes][0] + v
            if cand > dp[m][0] + 1e-12:
                dp[m] = (cand, (*dp[m - a.minutes][1], idx))
    chosen = max(dp, key=lambda x: (x[0], -len(x[1])))[1]
    return [weighted[i][0] for i in chosen]


MAX_MINUTES = 24 * 60


def plan_day(
    store: Store,
    *,
    minutes: int,
    mode: str,
    topics: list[str],
    day: date | None = None,
    now: datetime | None = None,
    save: bool = True,
) -> list[Action]:
    """Today's agenda: the most valuable actions that fit ``minutes``, obeying mode and rules.

    The plan is stored (agenda_items) so actions can be marked done or skipped; with
    ``save=False`` (someone who only views the workspace) it is only shown.
    """
    if mode not in MODES:
        raise InputError("", None, f"unknown mode {mode!r}; use {', '.join(MODES)}")
    if minutes <= 0:
        raise InputError("", None, "the time budget must be at least one minute")
    if minutes > MAX_MINUTES:
        # the plan is a knapsack over every minute of the budget: a day bounds its memory
        raise InputError("", None, f"the time budget is at most {MAX_MINUTES} minutes (a day)")
    rules = list_rules(store)
    cap = rules.get("max_minutes", {}).get("minutes")
    budget = min(minutes, cap) if cap else minutes
    now = now or utcnow()
    day = day or now.date()
    quiet = rules.get("quiet_hours")
    if quiet and (now.hour >= quiet["from"] or now.hour < quiet["to"]):
        return []
    settled = {r["item_id"] for r in day_items(store, day) if r["status"] != "planned"}
    found = candidates(store, topics=topics, now=now)
    # only the rule needs the reply streaks, and only of the people it could filter out
    unanswered = (
        _unanswered(
            store,
            {a.person_id for a in found if a.person_id and a.kind in {"reconnect", "partner"}},
        )
        if "no_dm_without_reply" in rules
        else {}
    )
    allowed = [
        a
        for a in found
        if item_id(day, a) not in settled and _allowed(a, mode, day, rules, unanswered)
    ]
    # mornings start with what the network is saying (seed 003), then the best of the rest
    first = [
        a for a in allowed if a.kind == "digest" and mode == "morning" and a.minutes <= budget
    ][:1]
    rest = [a for a in allowed if a not in first]
    chosen = first + sorted(
        _knapsack(rest, budget - sum(a.minutes for a in first)), key=lambda a: (-a.value, a.key)
    )
    if not save:
        return chosen
    items = schema.agenda_items
    # created_at carries the plan order, so item numbers stay stable for the whole day
    store.upsert(
        items,
        [
            {
                "item_id": item_id(day, a),
                "day": day.isoformat(),
                "kind": a.kind,
                "person_id": a.person_id,
                "goal_id": a.goal_id,
                "status": "planned",
                "minutes": a.minutes,
                "reason": a.reason,
                "url": a.url,
                "created_at": now + timedelta(microseconds=rank),
            }
            for rank, a in enumerate(chosen)
        ],
        on_conflict="nothing",
    )
    return chosen


def item_id(day: date, action: Action) -> str:
    """The id of an action on a day's agenda (the same action twice is one item)."""
    return make_id("agenda", day.isoformat(), action.key)


def day_items(store: Store, day: date) -> list[dict[str, Any]]:
    """A day's agenda items in the order they were planned (numbered from 1 by position)."""
    items = schema.agenda_items
    with store.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                sa.select(items)
                .where(items.c.workspace_id == store.workspace_id, items.c.day == day.isoformat())
                .order_by(items.c.created_at, items.c.item_id)
            ).mappings()
        ]


def mark(store: Store, item: str, status: str, *, day: date | None = None) -> dict[str, Any]:
    """Mark today's agenda item (number or id) done or skipped; done actions with a person go
    into the ledger as given interactions, so ties and goals see them."""
    if status not in {"done", "skipped"}:
        raise InputError("", None, "mark an item done or skipped")
    items = schema.agenda_items
    day = day or utcnow().date()
    with store.connect() as conn:
        rows = (
            conn.execute(
                sa.select(items)
                .where(items.c.workspace_id == store.workspace_id, items.c.day == day.isoformat())
                .order_by(items.c.created_at, items.c.item_id)
            )
            .mappings()
            .all()
        )
    found = (
        [r for r in rows if r["item_id"].startswith(item)]
        if not item.isdigit()
        else ([rows[int(item) - 1]] if 1 <= int(item) <= len(rows) else [])
    )
    if len(found) != 1:
        raise InputError("", None, f"no single agenda item {item!r} today ({len(rows)} planned)")
    row = found[0]
    with store.transaction() as conn:
        conn.execute(
            sa.update(items)
            .where(items.c.workspace_id == store.workspace_id, items.c.item_id == row["item_id"])
            .values(status=status, done_at=utcnow())
        )
    if status == "done" and row["person_id"]:
        from ..relationships.logbook import log_interaction

        log_interaction(store, row["person_id"], "dm", text=f"{row['kind']}: {row['reason']}")
    return {"item_id": row["item_id"], "status": status, "kind": row["kind"]}
