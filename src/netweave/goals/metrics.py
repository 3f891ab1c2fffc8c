"""Key-result metrics computed from the ledger over a goal's window and scope.

A goal's scope is its linked people, lists and topics (all people when it links none). Every
metric counts what happened between the goal's start and a moment ``at`` (the deadline, or now):

=====================  =====================================================================
metric                 counts
=====================  =====================================================================
conversations          threads with turns from both the owner and someone in scope
new_relationships      people in scope whose first contact falls in the window
deepened_ties          people in scope with at least 3 exchanges both ways in the window
give_get_ratio         owner's giving actions / (giving received + 1), in scope
help_given             owner's replies and DMs labelled giving (help, answers, intros)
introductions          owner's actions labelled as introductions
partners               people in scope at partner stage "collaborate"
meetings               in-person meetings and calls logged
leads_replied          people tagged "lead" (a list named lead/leads) who wrote back
followers (vanity)     accounts following the owner: lagging, shown last, never a target
=====================  =====================================================================

    >>> METRICS["conversations"].label
    'conversations (both sides took part)'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..identity.people import facts_people
from ..store import Store, schema

__all__ = ["METRICS", "Metric", "measure", "measure_many", "scope_accounts"]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    vanity: bool = False


METRICS = {
    m.name: m
    for m in (
        Metric("conversations", "conversations (both sides took part)"),
        Metric("new_relationships", "new relationships"),
        Metric("deepened_ties", "deepened ties (3+ exchanges both ways)"),
        Metric("give_get_ratio", "give/get ratio"),
        Metric("help_given", "help given"),
        Metric("introductions", "introductions made"),
        Metric("partners", "strategic partners collaborating"),
        Metric("meetings", "meetings and calls"),
        Metric("leads_replied", "leads who replied"),
        Metric("followers", "followers (vanity, lagging)", vanity=True),
    )
}


def scope_accounts(store: Store, goal_id: str) -> list[str] | None:
    """The accounts of the people a goal is about, or None when it links nobody (everyone).

    Topic links scope by people who talked about the topic (full-text index).
    """
    gl, link, lm = schema.goal_links, schema.account_links, schema.list_members
    ws = store.workspace_id
    with store.connect() as conn:
        links = conn.execute(
            sa.select(gl.c.link_type, gl.c.link_value).where(
                gl.c.workspace_id == ws, gl.c.goal_id == goal_id
            )
        ).all()
        if not links:
            return None
        people = {v for t, v in links if t == "person"}
        lists = [v for t, v in links if t == "list"]
        accounts: set[str] = set()
        if lists:
            for mtype, mid in conn.execute(
                sa.select(lm.c.member_type, lm.c.member_id).where(
                    lm.c.workspace_id == ws, lm.c.list_id.in_(lists)
                )
            ):
                if mtype == "person":
                    people.add(mid)
                else:
                    accounts.add(mid)
        if people:
            accounts |= set(
                conn.execute(
                    sa.select(link.c.account_id).where(
                        link.c.workspace_id == ws, link.c.person_id.in_(sorted(people))
                    )
                ).scalars()
            )
    topics = [v for t, v in links if t == "topic"]
    if topics:
        from ..listening.who import who

        for topic in topics:
            for speaker in who(store, topic, limit=200):
                if speaker.person_id:
                    with store.connect() as conn:
                        accounts |= set(
                            conn.execute(
                                sa.select(link.c.account_id).where(
                                    link.c.workspace_id == ws, link.c.person_id == speaker.person_id
                                )
                            ).scalars()
                        )
    return sorted(accounts)


def measure(
    store: Store, metric: str, start: datetime, at: datetime, accounts: list[str] | None
) -> float:
    """The value of one metric over [start, at) for the scope's accounts (None: everyone)."""
    f, e, a, p, link = (
        schema.interaction_facts,
        schema.edges,
        schema.accounts,
        schema.people,
        schema.account_links,
    )
    ws = store.workspace_id
    window = sa.and_(f.c.workspace_id == ws, f.c.occurred_at >= start, f.c.occurred_at < at)
    if accounts is not None:
        window = sa.and_(window, f.c.counterpart.in_(accounts or [""]))
    given = f.c.direction == "given"
    with store.connect() as conn:
        if metric == "conversations":
            q = (
                sa.select(f.c.thread_id)
                .where(window, f.c.thread_id.is_not(None))
                .group_by(f.c.thread_id)
                .having(sa.func.count(sa.distinct(f.c.direction)) >= 2)
            )
            return float(len(conn.execute(q).all()))
        if metric == "new_relationships":
            # first contact per person is kept current by the relationships layer
            ts = schema.tie_scores
            q = (
                sa.select(sa.func.count())
                .select_from(ts)
                .where(
                    ts.c.workspace_id == ws, ts.c.first_contact >= start, ts.c.first_contact < at
                )
            )
            if accounts is not None:
                q = q.where(
                    ts.c.person_id.in_(
                        sa.select(link.c.person_id).where(
                            link.c.workspace_id == ws, link.c.account_id.in_(accounts or [""])
                        )
                    )
                )
            return float(conn.execute(q).scalar_one())
        if metric == "deepened_ties":
            per = (
                sa.select(
                    link.c.person_id,
                    sa.func.sum(sa.case((given, 1), else_=0)).label("g"),
                    sa.func.sum(sa.case((f.c.direction == "received", 1), else_=0)).label("r"),
                )
                .select_from(facts_people())
                .where(window)
                .group_by(link.c.person_id)
            )
            return float(sum(1 for r in conn.execute(per) if r.g >= 3 and r.r >= 3))
        if metric == "give_get_ratio":
            gave = conn.execute(
                sa.select(sa.func.count())
                .select_from(f)
                .where(window, given, f.c.label == "giving")
            ).scalar_one()
            got = conn.execute(
                sa.select(sa.func.count())
                .select_from(f)
                .where(window, ~given, f.c.label == "giving")
            ).scalar_one()
            return round(gave / (got + 1), 3)
        if metric == "help_given":
            return float(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(f)
                    .where(
                        window,
                        given,
                        f.c.label == "giving",
                        f.c.kind.in_(["reply", "dm", "comment", "email"]),
                    )
                ).scalar_one()
            )
        if metric == "introductions":
            return float(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(f)
                    .where(window, given, f.c.reason == "introduction")
                ).scalar_one()
            )
        if metric == "meetings":
            return float(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(f)
                    .where(window, f.c.kind.in_(["meeting", "call"]))
                ).scalar_one()
            )
        if metric == "partners":
            q = (
                sa.select(sa.func.count())
                .select_from(p)
                .where(
                    p.c.workspace_id == ws,
                    p.c.partner_stage == "collaborate",
                    # a partner counts from the day the collaboration began, so past
                    # points of a progress chart don't show today's partners
                    sa.or_(p.c.partner_stage_since.is_(None), p.c.partner_stage_since < at),
                )
            )
            if accounts is not None:
                q = q.where(
                    p.c.person_id.in_(
                        sa.select(link.c.person_id).where(
                            link.c.workspace_id == ws, link.c.account_id.in_(accounts or [""])
                        )
                    )
                )
            return float(conn.execute(q).scalar_one())
        if metric == "leads_replied":
            lt, lm = schema.lists, schema.list_members
            lead_people = (
                sa.select(lm.c.member_id)
                .select_from(
                    lm.join(
                        lt,
                        sa.and_(
                            lt.c.workspace_id == lm.c.workspace_id, lt.c.list_id == lm.c.list_id
                        ),
                    )
                )
                .where(
                    lm.c.workspace_id == ws,
                    sa.func.lower(lt.c.name).in_(["lead", "leads"]),
                    lm.c.member_type == "person",
                )
            )
            lead_accounts = sa.select(link.c.account_id).where(
                link.c.workspace_id == ws, link.c.person_id.in_(lead_people)
            )
            q = (
                sa.select(sa.func.count(sa.distinct(f.c.counterpart)))
                .select_from(f)
                .where(window, f.c.direction == "received", f.c.counterpart.in_(lead_accounts))
            )
            return float(conn.execute(q).scalar_one())
        if metric == "followers":
            owners = sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
            return float(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(e)
                    .where(
                        e.c.workspace_id == ws,
                        e.c.kind == "follows",
                        e.c.to_account.in_(owners),
                    )
                ).scalar_one()
            )
    raise KeyError(metric)


FACT_METRICS = ("give_get_ratio", "help_given", "introductions", "meetings")


def measure_many(
    store: Store, metrics: list[str], start: datetime, at: datetime, accounts: list[str] | None
) -> dict[str, float]:
    """Several metrics at once: those counted from the facts share one pass over the window."""
    out: dict[str, float] = {}
    wanted = [m for m in metrics if m in FACT_METRICS]
    if wanted:
        f = schema.interaction_facts
        given = f.c.direction == "given"
        q = sa.select(
            sa.func.sum(sa.case((sa.and_(given, f.c.label == "giving"), 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(~given, f.c.label == "giving"), 1), else_=0)),
            sa.func.sum(
                sa.case(
                    (
                        sa.and_(
                            given,
                            f.c.label == "giving",
                            f.c.kind.in_(["reply", "dm", "comment", "email"]),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
            sa.func.sum(sa.case((sa.and_(given, f.c.reason == "introduction"), 1), else_=0)),
            sa.func.sum(sa.case((f.c.kind.in_(["meeting", "call"]), 1), else_=0)),
        ).where(
            f.c.workspace_id == store.workspace_id, f.c.occurred_at >= start, f.c.occurred_at < at
        )
        if accounts is not None:
            q = q.where(f.c.counterpart.in_(accounts or [""]))
        with store.connect() as conn:
            gave, got, helped, intros, meetings = (int(x or 0) for x in conn.execute(q).one())
        values = {
            "give_get_ratio": round(gave / (got + 1), 3),
            "help_given": float(helped),
            "introductions": float(intros),
            "meetings": float(meetings),
        }
        out.update({m: values[m] for m in wanted})
    for m in metrics:
        if m not in out:
            out[m] = measure(store, m, start, at, accounts)
    return out


def describe(metric: str) -> dict[str, Any]:
    """Name, label and whether the metric is a vanity metric."""
    m = METRICS[metric]
    return {"metric": m.name, "label": m.label, "vanity": m.vanity}
