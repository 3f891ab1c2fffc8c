"""Goals measured by relationships: create, revise (keeping history), close, and report pace.

Seed 002: know the finish line and your pace; near the goal, reassess and set the next one.
A goal has a why (category), an end state, a strategy, a horizon, a window and key results
computed from the ledger (:mod:`netweave.goals.metrics`). Focus: at most ``goals.max_active``
active goals (three by default, seed 004) unless forced.

    >>> TEMPLATES["help-others"]["key_results"][0]
    ('help_given', 30.0)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..errors import InputError, NotFound
from ..store import Store, make_id, schema, utcnow
from .metrics import METRICS, measure, measure_many, scope_accounts

__all__ = [
    "CATEGORIES",
    "TEMPLATES",
    "GoalReport",
    "busy_vs_productive",
    "close_goal",
    "create_goal",
    "find_goal",
    "list_goals",
    "report",
    "revise_goal",
]

CATEGORIES = (
    "educate",
    "sales_leads",
    "brand_awareness",
    "brand_advocates",
    "stronger_connections",
    "strategic_partners",
    "help_others",
    "learning",
    "custom",
)
TEMPLATES: dict[str, dict[str, Any]] = {
    "stronger-connections": {
        "title": "Build stronger connections",
        "why": "stronger_connections",
        "end_state": "My closest people know I care and I know what is going on in their lives",
        "strategy": "Reach out to my inner circles on a regular cadence; learn one new thing "
        "about each of them; meet in person when I can",
        "key_results": [("deepened_ties", 10.0), ("conversations", 20.0), ("meetings", 4.0)],
    },
    "strategic-partners": {
        "title": "Locate strategic partners",
        "why": "strategic_partners",
        "end_state": "Two or three people I admire and I are creating something together",
        "strategy": "Follow and read the people I admire, interact, give value first, then "
        "propose a collaboration",
        "key_results": [("partners", 3.0), ("conversations", 10.0), ("help_given", 10.0)],
    },
    "help-others": {
        "title": "Help others",
        "why": "help_others",
        "end_state": "People in my topics know they can ask me and get a useful answer",
        "strategy": "Answer help requests in my topics every day; introduce people who "
        "should know each other",
        "key_results": [("help_given", 30.0), ("introductions", 5.0), ("give_get_ratio", 2.0)],
    },
}


def _validate(
    why: str, start: datetime, deadline: datetime, key_results: list[tuple[str, float]]
) -> None:
    if why not in CATEGORIES:
        raise InputError("", None, f"unknown why {why!r}; use {', '.join(CATEGORIES)}")
    if deadline <= start:
        raise InputError(
            "", None, f"the deadline {deadline.date()} is not after the start {start.date()}"
        )
    if not key_results:
        raise InputError("", None, "a goal needs at least one key result (metric=target)")
    for metric, target in key_results:
        if metric not in METRICS:
            raise InputError("", None, f"unknown metric {metric!r}; use {', '.join(METRICS)}")
        if METRICS[metric].vanity:
            raise InputError(
                "", None, f"{metric} is a vanity metric: it is reported, never a target"
            )
        if target <= 0:
            raise InputError("", None, f"the target of {metric} must be above zero")


def _check_links(conn: sa.Connection, ws: str, links: list[tuple[str, str]]) -> None:
    p, lt = schema.people, schema.lists
    for kind, value in links:
        if kind == "person":
            if (
                conn.execute(
                    sa.select(p.c.person_id).where(p.c.workspace_id == ws, p.c.person_id == value)
                ).first()
                is None
            ):
                raise NotFound("person", value)
        elif kind == "list":
            if (
                conn.execute(
                    sa.select(lt.c.list_id).where(lt.c.workspace_id == ws, lt.c.list_id == value)
                ).first()
                is None
            ):
                raise NotFound("list", value)
        elif kind != "topic" or not value.strip():
            raise InputError("", None, f"cannot link a goal to {kind} {value!r}")


def create_goal(
    store: Store,
    *,
    title: str,
    why: str,
    start: datetime,
    deadline: datetime,
    key_results: list[tuple[str, float]],
    end_state: str | None = None,
    strategy: str | None = None,
    horizon: str = "short",
    links: list[tuple[str, str]] | None = None,
    parent: str | None = None,
    revision_of: str | None = None,
    max_active: int = 3,
    force: bool = False,
) -> str:
    """Create a goal with key results and links; returns its id."""
    _validate(why, start, deadline, key_results)
    if horizon not in {"short", "long"}:
        raise InputError("", None, "horizon is short or long")
    g = schema.goals
    ws = store.workspace_id
    now = utcnow()
    goal_id = make_id("goal", title, start.isoformat(), now.isoformat())
    with store.transaction() as conn:
        active = conn.execute(
            sa.select(sa.func.count())
            .select_from(g)
            .where(g.c.workspace_id == ws, g.c.status == "active")
        ).scalar_one()
        if active >= max_active and not force and revision_of is None:
            raise InputError(
                "",
                None,
                f"you already have {active} active goals (focus: at most "
                f"{max_active}); close one, or use --force",
            )
        if parent is not None:
            find_goal(store, parent)
        _check_links(conn, ws, links or [])
        conn.execute(
            sa.insert(g).values(
                workspace_id=ws,
                goal_id=goal_id,
                title=title,
                why=why,
                end_state=end_state,
                strategy=strategy,
                horizon=horizon,
                parent_goal_id=parent,
                start=start,
                deadline=deadline,
                status="active",
                revision_of=revision_of,
                created_at=now,
            )
        )
        store.upsert(
            schema.key_results,
            [
                {
                    "kr_id": make_id(goal_id, metric),
                    "goal_id": goal_id,
                    "metric": metric,
                    "target": float(target),
                    "baseline": 0.0,
                }
                for metric, target in key_results
            ],
        )
        store.upsert(
            schema.goal_links,
            [
                {"goal_id": goal_id, "link_type": kind, "link_value": value}
                for kind, value in links or []
            ],
            on_conflict="nothing",
        )
    return goal_id


def find_goal(store: Store, text: str) -> dict[str, Any]:
    """A goal by id, id prefix (4+) or unique title part."""
    g = schema.goals
    with store.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                sa.select(g).where(g.c.workspace_id == store.workspace_id)
            ).mappings()
        ]
    needle = text.strip().lower()
    hits = [
        r
        for r in rows
        if r["goal_id"] == needle or (len(needle) >= 4 and r["goal_id"].startswith(needle))
    ]
    if not hits:
        hits = [
            r for r in rows if needle and needle in r["title"].lower() and r["status"] == "active"
        ] or [r for r in rows if needle and needle in r["title"].lower()]
    if not hits:
        raise NotFound("goal", text)
    if len(hits) > 1:
        raise InputError(
            "",
            None,
            f"{text!r} matches {len(hits)} goals: "
            + "; ".join(f"{r['title']} ({r['goal_id'][:8]})" for r in hits[:5]),
        )
    return hits[0]


def list_goals(store: Store, *, include_closed: bool = False) -> list[dict[str, Any]]:
    """Goals, newest first (active only unless ``include_closed``)."""
    g = schema.goals
    q = sa.select(g).where(g.c.workspace_id == store.workspace_id)
    if not include_closed:
        q = q.where(g.c.status == "active")
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(q.order_by(g.c.created_at.desc())).mappings()]


def revise_goal(
    store: Store,
    goal_id: str,
    *,
    deadline: datetime | None = None,
    key_results: list[tuple[str, float]] | None = None,
    strategy: str | None = None,
    end_state: str | None = None,
    title: str | None = None,
) -> str:
    """A new revision of a goal; the old one is kept (status ``revised``), never overwritten."""
    old = find_goal(store, goal_id)
    if old["status"] != "active":
        raise InputError("", None, f"goal {old['title']!r} is {old['status']}, not active")
    kr, gl, g = schema.key_results, schema.goal_links, schema.goals
    ws = store.workspace_id
    with store.connect() as conn:
        old_krs = [
            (r.metric, r.target)
            for r in conn.execute(
                sa.select(kr).where(kr.c.workspace_id == ws, kr.c.goal_id == old["goal_id"])
            )
        ]
        links = [
            (r.link_type, r.link_value)
            for r in conn.execute(
                sa.select(gl).where(gl.c.workspace_id == ws, gl.c.goal_id == old["goal_id"])
            )
        ]
    new_id = create_goal(
        store,
        title=title or old["title"],
        why=old["why"],
        start=old["start"],
        deadline=deadline or old["deadline"],
        key_results=key_results or old_krs,
        end_state=end_state or old["end_state"],
        strategy=strategy or old["strategy"],
        horizon=old["horizon"],
        links=links,
        parent=old["parent_goal_id"],
        revision_of=old["goal_id"],
    )
    with store.transaction() as conn:
        conn.execute(
            sa.update(g)
            .where(g.c.workspace_id == ws, g.c.goal_id == old["goal_id"])
            .values(status="revised", closed_at=utcnow())
        )
    return new_id


def close_goal(store: Store, goal_id: str) -> None:
    """Close a goal (reached, or no longer wanted); it stays in the history."""
    goal = find_goal(store, goal_id)
    g = schema.goals
    with store.transaction() as conn:
        conn.execute(
            sa.update(g)
            .where(g.c.workspace_id == store.workspace_id, g.c.goal_id == goal["goal_id"])
            .values(status="closed", closed_at=utcnow())
        )


@dataclass
class GoalReport:
    """Where a goal stands today: key results, progress against the pace line, and state."""

    goal: dict[str, Any]
    key_results: list[dict[str, Any]]
    progress: float
    expected: float
    pace: str  # ahead | on pace | behind
    state: str  # active | reassess
    days_left: int
    history: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def report(store: Store, goal_id: str, *, now: datetime | None = None) -> GoalReport:
    """Compute a goal's key results and pace at ``now``."""
    goal = find_goal(store, goal_id)
    now = now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    start, deadline = goal["start"], goal["deadline"]
    at = min(now, deadline)
    accounts = scope_accounts(store, goal["goal_id"])
    kr = schema.key_results
    with store.connect() as conn:
        krs = conn.execute(
            sa.select(kr)
            .where(kr.c.workspace_id == store.workspace_id, kr.c.goal_id == goal["goal_id"])
            .order_by(kr.c.metric)
        ).all()
    rows = []
    fractions = []
    days_left = max((deadline - now).days, 0)
    values = measure_many(store, [r.metric for r in krs], start, at, accounts) if at > start else {}
    for r in krs:
        value = values.get(r.metric, 0.0)
        span = r.target - r.baseline
        fraction = max(0.0, min(1.0, (value - r.baseline) / span)) if span > 0 else 1.0
        fractions.append(fraction)
        remaining = max(r.target - value, 0.0)
        rows.append(
            {
                "metric": r.metric,
                "label": METRICS[r.metric].label,
                "value": value,
                "target": r.target,
                "progress": round(fraction, 3),
                "needed_per_week": round(remaining / max(days_left / 7, 1 / 7), 2)
                if remaining
                else 0.0,
            }
        )
    followers = measure(store, "followers", start, at, None)
    rows.append(
        {
            "metric": "followers",
            "label": METRICS["followers"].label,
            "value": followers,
            "target": None,
            "progress": None,
            "needed_per_week": None,
        }
    )
    progress = sum(fractions) / len(fractions) if fractions else 0.0
    total = (deadline - start).total_seconds()
    expected = max(0.0, min(1.0, (at - start).total_seconds() / total)) if total > 0 else 1.0
    pace = (
        "ahead"
        if progress >= expected + 0.1
        else "behind"
        if progress < expected - 0.1
        else "on pace"
    )
    state = "reassess" if progress >= 0.8 or now >= deadline else "active"
    history = _revision_chain(store, goal)
    return GoalReport(
        goal, rows, round(progress, 3), round(expected, 3), pace, state, days_left, history
    )


def _revision_chain(store: Store, goal: dict[str, Any]) -> list[str]:
    chain = []
    current = goal.get("revision_of")
    while current:
        try:
            prev = find_goal(store, current)
        except NotFound:
            break
        chain.append(f"{prev['title']} (deadline {prev['deadline']:%Y-%m-%d}, {prev['status']})")
        current = prev.get("revision_of")
    return chain


def busy_vs_productive(
    store: Store,
    *,
    start: datetime,
    end: datetime,
) -> dict[str, Any]:
    """Share of the owner's actions that served no goal: not with anyone an active goal is
    about, and not giving. Per platform and per ISO week (seed 002: busy is not productive)."""
    f = schema.interaction_facts
    scoped: set[str] = set()
    everyone = False
    for goal in list_goals(store):
        accounts = scope_accounts(store, goal["goal_id"])
        if accounts is None:
            everyone = True
        else:
            scoped |= set(accounts)
    per_platform: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_week: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with store.connect() as conn:
        for platform, when, counterpart, label in conn.execute(
            sa.select(f.c.platform, f.c.occurred_at, f.c.counterpart, f.c.label).where(
                f.c.workspace_id == store.workspace_id,
                f.c.direction == "given",
                f.c.occurred_at >= start,
                f.c.occurred_at < end,
            )
        ):
            productive = label == "giving" or (counterpart and (everyone or counterpart in scoped))
            iso = when.isocalendar()
            for bucket in (per_platform[platform], per_week[f"{iso.year}-W{iso.week:02d}"]):
                bucket[0] += 1
                bucket[1] += 0 if productive else 1
    total = sum(v[0] for v in per_platform.values())
    busy = sum(v[1] for v in per_platform.values())
    return {
        "actions": total,
        "busy": busy,
        "busy_share": round(busy / total, 3) if total else 0.0,
        "platforms": {
            k: {"actions": v[0], "busy_share": round(v[1] / v[0], 3)}
            for k, v in sorted(per_platform.items())
        },
        "weeks": {
            k: {"actions": v[0], "busy_share": round(v[1] / v[0], 3)}
            for k, v in sorted(per_week.items())
        },
    }


def default_window(days: int = 90, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Today and a deadline ``days`` ahead (UTC midnight).

    >>> start, end = default_window(30, datetime(2024, 1, 1, 15, tzinfo=UTC))
    >>> (end - start).days
    30
    """
    now = now or utcnow()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=days)
