"""The strategic-partner pipeline: admire → follow → interact → give value → collaborate.

Seed 002: find the people whose work you admire, follow them, interact, give them value, and
only then propose working together. A person enters the pipeline with :func:`add` (or is
suggested by :func:`suggestions`); their stage is derived from the ledger:

==============  =================================================================
stage           reached when
==============  =================================================================
admire          in the pipeline
follow          you follow one of their accounts (or you are connected/friends)
interact        interactions in both directions (you to them and them to you)
give            you gave them something (a giving action in the give/get ledger)
collaborate     both gave, and there was a meeting or a call
==============  =================================================================

A stage set by hand (:func:`set_stage`, ``people.partner_stage_manual``) wins over the derived
one until cleared with ``auto``. ``people.partner_stage`` holds the stage in effect and
``partner_stage_since`` when it was reached, so "days in stage" survives between runs. Stages
are computed for the people in the pipeline only, never for the whole network.

    >>> next_step("admire", Evidence())
    'follow them and read what they write'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..identity.ops import find_person
from ..identity.people import facts_people
from ..listening.help import ASK_KINDS, is_help_request
from ..store import Store, schema, utcnow

__all__ = [
    "STAGES",
    "Evidence",
    "Partner",
    "add",
    "derive_stage",
    "next_stage",
    "next_step",
    "pipeline",
    "remove",
    "set_stage",
    "suggestions",
]

STAGES = ("admire", "follow", "interact", "give", "collaborate")
_FOLLOWING = ("follows", "connected", "friend")
_ASK_WINDOW = timedelta(days=14)


@dataclass
class Evidence:
    """What the ledger says about one partner."""

    follows: bool = False
    given: int = 0  # interactions you started with them
    received: int = 0  # interactions they started with you
    gave: int = 0  # your giving actions towards them
    got: int = 0  # 1 if they gave you something
    met: int = 0  # 1 if you met or called
    last_post: tuple[datetime, str] | None = None
    last_ask: tuple[datetime, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self).items()}


@dataclass
class Partner:
    """One person in the pipeline: stage, since when, and the next suggested step."""

    person_id: str
    name: str
    stage: str
    derived: str
    manual: bool
    since: datetime | None
    days_in_stage: int
    next_step: str
    evidence: Evidence = field(default_factory=Evidence)

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "evidence": self.evidence.as_dict()}


def next_stage(stage: str) -> str | None:
    """The stage after ``stage`` in the pipeline, or None after the last one.

    >>> next_stage("admire"), next_stage("collaborate")
    ('follow', None)
    """
    if stage not in STAGES:
        raise InputError("", None, f"unknown stage {stage!r}; use {', '.join(STAGES)}")
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def derive_stage(ev: Evidence) -> str:
    """The furthest stage the ledger shows.

    >>> derive_stage(Evidence(follows=True, given=3, received=1))
    'interact'
    >>> derive_stage(Evidence(gave=1, got=1, met=1))
    'collaborate'
    """
    if ev.gave and ev.got and ev.met:
        return "collaborate"
    if ev.gave:
        return "give"
    if ev.given and ev.received:
        return "interact"
    if ev.follows:
        return "follow"
    return "admire"


def _ago(when: datetime, now: datetime) -> str:
    days = (now - when).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if days < 14:
        return "last week"
    return f"{days} days ago"


def next_step(stage: str, ev: Evidence, now: datetime | None = None) -> str:
    """The next thing to do for a partner at ``stage``, from what the ledger shows.

    >>> next_step("interact", Evidence(given=2, received=1))
    "you haven't given anything yet: share their work or answer one of their questions"
    """
    now = now or utcnow()
    if stage == "admire":
        return "follow them and read what they write"
    if stage == "follow":
        if ev.last_post:
            when, text = ev.last_post
            return f'reply to what they wrote {_ago(when, now)}: "{text[:60]}"'
        return "reply to or share something they wrote"
    if stage == "interact":
        if ev.last_ask:
            when, text = ev.last_ask
            return f'you haven\'t given anything yet: they asked {_ago(when, now)}: "{text[:60]}"'
        return "you haven't given anything yet: share their work or answer one of their questions"
    if stage == "give":
        if not ev.got:
            return f"you gave {ev.gave} time(s); keep giving until they give back, then propose"
        return "you both gave: propose something together (a call, a talk, a project)"
    return "keep the collaboration going: check in"


def _members(conn: sa.Connection, ws: str) -> list[Any]:
    p = schema.people
    return list(
        conn.execute(
            sa.select(
                p.c.person_id,
                p.c.display_name,
                p.c.partner_stage,
                p.c.partner_stage_since,
                p.c.partner_stage_manual,
            )
            .where(
                p.c.workspace_id == ws,
                sa.or_(p.c.partner_stage.is_not(None), p.c.partner_stage_manual.is_not(None)),
            )
            .order_by(p.c.person_id)
        )
    )


def _evidence(
    conn: sa.Connection, ws: str, person_ids: list[str], now: datetime
) -> dict[str, Evidence]:
    """The ledger evidence of a few people, read through their accounts only."""
    a, link, e, f, i = (
        schema.accounts,
        schema.account_links,
        schema.edges,
        schema.interaction_facts,
        schema.interactions,
    )
    out = {pid: Evidence() for pid in person_ids}
    if not person_ids:
        return out
    owner = sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
    owner_accounts = set(conn.execute(owner).scalars())
    whose = dict(
        conn.execute(
            sa.select(link.c.account_id, link.c.person_id).where(
                link.c.workspace_id == ws, link.c.person_id.in_(person_ids)
            )
        ).all()
    )
    accounts = sorted(whose)
    if not accounts:
        return out
    for frm, to, kind in conn.execute(
        sa.select(e.c.from_account, e.c.to_account, e.c.kind).where(
            e.c.workspace_id == ws,
            sa.or_(e.c.to_account.in_(accounts), e.c.from_account.in_(accounts)),
        )
    ):
        if frm in owner_accounts and to in whose and kind in _FOLLOWING:
            out[whose[to]].follows = True
        elif (
            to in owner_accounts and frm in whose and kind in ("connected", "friend", "followed_by")
        ):
            out[whose[frm]].follows = True
    # the counts come from the stored tie scores (recomputed from the ledger after every
    # change); only whether they gave back and whether you met is read from the facts, and
    # only for those you gave to, one indexed probe each
    ts = schema.tie_scores
    for person_id, given, received, gave in conn.execute(
        sa.select(ts.c.person_id, ts.c.given, ts.c.received, ts.c.giving).where(
            ts.c.workspace_id == ws, ts.c.person_id.in_(person_ids)
        )
    ):
        ev = out[person_id]
        ev.given, ev.received, ev.gave = int(given), int(received), int(gave)
    theirs: dict[str, list[str]] = {}
    for account, person_id in whose.items():
        theirs.setdefault(person_id, []).append(account)
    for person_id, ev in out.items():
        if not ev.gave:
            continue
        mine = sorted(theirs.get(person_id, []))
        base = sa.select(sa.literal(1)).where(f.c.workspace_id == ws, f.c.counterpart.in_(mine))
        ev.got = int(
            conn.execute(
                base.where(f.c.direction == "received", f.c.label == "giving").limit(1)
            ).first()
            is not None
        )
        ev.met = int(
            conn.execute(base.where(f.c.kind.in_(["meeting", "call"])).limit(1)).first() is not None
        )
    # newest first, account by account (the actor index is in time order): stop at the
    # latest post and the latest ask instead of reading a prolific partner's whole fortnight
    kinds = sorted({*ASK_KINDS, "post", "reply", "comment"})
    for acc in accounts:
        ev = out[whose[acc]]
        post: tuple[datetime, str] | None = None
        ask: tuple[datetime, str] | None = None
        result = conn.execute(
            sa.select(i.c.occurred_at, i.c.text, i.c.kind)
            .where(
                i.c.workspace_id == ws,
                i.c.actor_account == acc,
                i.c.occurred_at >= now - _ASK_WINDOW,
                i.c.occurred_at <= now,
                i.c.text.is_not(None),
                i.c.kind.in_(kinds),
            )
            .order_by(i.c.occurred_at.desc())
        )
        for when, text, kind in result:
            if post is None and kind in ("post", "reply", "comment"):
                post = (when, text)
            if ask is None and kind in ASK_KINDS and is_help_request(text):
                ask = (when, text)
            if post is not None and ask is not None:
                break
        result.close()
        if post is not None and (ev.last_post is None or post[0] > ev.last_post[0]):
            ev.last_post = post
        if ask is not None and (ev.last_ask is None or ask[0] > ev.last_ask[0]):
            ev.last_ask = ask
    return out


def pipeline(store: Store, *, now: datetime | None = None, refresh: bool = True) -> list[Partner]:
    """Everyone in the pipeline with their stage, days in it and the next step.

    The stage in effect is written back (with the day it changed) unless ``refresh`` is off.

    >>> from netweave.store import Store
    >>> pipeline(Store.open("sqlite://"))
    []
    """
    now = now or utcnow()
    ws = store.workspace_id
    p = schema.people
    with store.connect() as conn:
        members = _members(conn, ws)
        evidence = _evidence(conn, ws, [m.person_id for m in members], now)
    out: list[Partner] = []
    changed: list[tuple[str, str]] = []
    for m in members:
        ev = evidence[m.person_id]
        derived = derive_stage(ev)
        stage = m.partner_stage_manual or derived
        since = m.partner_stage_since
        if stage != m.partner_stage or since is None:
            since = now
            changed.append((m.person_id, stage))
        out.append(
            Partner(
                m.person_id,
                m.display_name,
                stage,
                derived,
                m.partner_stage_manual is not None,
                since,
                max((now - since).days, 0),
                next_step(stage, ev, now),
                ev,
            )
        )
    if refresh and changed:
        with store.transaction() as conn:
            for pid, stage in changed:
                conn.execute(
                    sa.update(p)
                    .where(p.c.workspace_id == ws, p.c.person_id == pid)
                    .values(partner_stage=stage, partner_stage_since=now, updated_at=now)
                )
    out.sort(key=lambda x: (-STAGES.index(x.stage), -x.days_in_stage, x.name.lower(), x.person_id))
    return out


def _person(store: Store, person: str) -> dict[str, Any]:
    who = find_person(store, person)
    if who.get("is_owner"):
        raise InputError("", None, "that is you: partners are other people")
    return who


def add(store: Store, person: str, *, now: datetime | None = None) -> Partner:
    """Put a person (name, handle or id) in the pipeline; returns them with their stage.

    >>> from netweave.store import Store
    >>> add(Store.open("sqlite://"), "nobody")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no person matches 'nobody'
    """
    now = now or utcnow()
    who = _person(store, person)
    p = schema.people
    with store.transaction() as conn:
        conn.execute(
            sa.update(p)
            .where(
                p.c.workspace_id == store.workspace_id,
                p.c.person_id == who["person_id"],
                p.c.partner_stage.is_(None),
            )
            .values(partner_stage="admire", partner_stage_since=None, updated_at=now)
        )
    return next(x for x in pipeline(store, now=now) if x.person_id == who["person_id"])


def set_stage(store: Store, person: str, stage: str, *, now: datetime | None = None) -> Partner:
    """Set a partner's stage by hand (``auto`` goes back to the stage the ledger shows).

    >>> from netweave.store import Store
    >>> set_stage(Store.open("sqlite://"), "Ada", "friends")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netweave.errors.InputError: unknown stage 'friends'; use admire, follow, ... or auto
    """
    if stage not in (*STAGES, "auto"):
        raise InputError("", None, f"unknown stage {stage!r}; use {', '.join(STAGES)} or auto")
    now = now or utcnow()
    who = _person(store, person)
    p = schema.people
    with store.transaction() as conn:
        conn.execute(
            sa.update(p)
            .where(p.c.workspace_id == store.workspace_id, p.c.person_id == who["person_id"])
            .values(
                partner_stage=sa.func.coalesce(p.c.partner_stage, "admire"),
                partner_stage_manual=None if stage == "auto" else stage,
                updated_at=now,
            )
        )
    return next(x for x in pipeline(store, now=now) if x.person_id == who["person_id"])


def remove(store: Store, person: str) -> str:
    """Take a person out of the pipeline; returns their id.

    >>> from netweave.store import Store
    >>> remove(Store.open("sqlite://"), "nobody")
    Traceback (most recent call last):
    ...
    netweave.errors.NotFound: no person matches 'nobody'
    """
    who = _person(store, person)
    p = schema.people
    with store.transaction() as conn:
        conn.execute(
            sa.update(p)
            .where(p.c.workspace_id == store.workspace_id, p.c.person_id == who["person_id"])
            .values(
                partner_stage=None,
                partner_stage_since=None,
                partner_stage_manual=None,
                updated_at=utcnow(),
            )
        )
    return str(who["person_id"])


def suggestions(
    store: Store, *, limit: int = 10, now: datetime | None = None, days: int = 365
) -> list[dict[str, Any]]:
    """People you read but who do not interact with you yet: candidates for the pipeline.

    Reading is following their blog or feed (3 points), liking their posts (1 each) and
    replying or commenting to them (2 each) within ``days``. Anyone who ever wrote to you, is
    already in the pipeline or was dropped in the audit is left out.

    >>> from netweave.store import Store
    >>> suggestions(Store.open("sqlite://"))
    []
    """
    from .audit import dropped

    now = now or utcnow()
    ws = store.workspace_id
    a, link, e, f, p = (
        schema.accounts,
        schema.account_links,
        schema.edges,
        schema.interaction_facts,
        schema.people,
    )
    score: dict[str, float] = {}
    why: dict[str, dict[str, int]] = {}

    def bump(pid: str, what: str, points: float, n: int = 1) -> None:
        score[pid] = score.get(pid, 0.0) + points * n
        why.setdefault(pid, {})[what] = why.get(pid, {}).get(what, 0) + n

    owner = sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
    their = a.alias("their")
    with store.connect() as conn:
        for (pid,) in conn.execute(
            sa.select(link.c.person_id)
            .distinct()
            .select_from(
                e.join(
                    their,
                    sa.and_(
                        their.c.workspace_id == e.c.workspace_id,
                        their.c.account_id == e.c.to_account,
                    ),
                ).join(
                    link,
                    sa.and_(
                        link.c.workspace_id == e.c.workspace_id, link.c.account_id == e.c.to_account
                    ),
                )
            )
            .where(
                e.c.workspace_id == ws,
                e.c.kind == "follows",
                e.c.from_account.in_(owner),
                their.c.platform.in_(["blog", "rss"]),
            )
        ):
            bump(pid, "reads their blog", 3)
        # only people who never wrote to you (per their tie scores) can be suggested: read
        # the facts of their accounts, not the owner's whole year of likes
        ts = schema.tie_scores
        silent = sa.select(link.c.account_id).where(
            link.c.workspace_id == ws,
            link.c.person_id.in_(
                sa.select(ts.c.person_id).where(
                    ts.c.workspace_id == ws, ts.c.received == 0, ts.c.given > 0
                )
            ),
        )
        for pid, kind, n in conn.execute(
            sa.select(link.c.person_id, f.c.kind, sa.func.count())
            .select_from(facts_people())
            .where(
                f.c.workspace_id == ws,
                f.c.counterpart.in_(silent),
                f.c.direction == "given",
                f.c.kind.in_(["like", "reply", "comment"]),
                f.c.occurred_at >= now - timedelta(days=days),
                f.c.occurred_at <= now,
            )
            .group_by(link.c.person_id, f.c.kind)
        ):
            if kind == "like":
                bump(pid, "likes", 1, int(n))
            else:
                bump(pid, "replies", 2, int(n))
        if not score:
            return []
        # the best few hundred are plenty to fill ``limit`` after the filters below
        ids = sorted(sorted(score, key=lambda k: (-score[k], k))[: max(limit * 50, 500)])
        spoke = set(
            conn.execute(
                sa.select(link.c.person_id)
                .distinct()
                .select_from(facts_people())
                .where(
                    f.c.workspace_id == ws, f.c.direction == "received", link.c.person_id.in_(ids)
                )
            ).scalars()
        )
        people = {
            r.person_id: r
            for r in conn.execute(
                sa.select(
                    p.c.person_id,
                    p.c.display_name,
                    p.c.partner_stage,
                    p.c.partner_stage_manual,
                    p.c.is_owner,
                ).where(p.c.workspace_id == ws, p.c.person_id.in_(ids))
            )
        }
    gone = dropped(store)
    out = [
        {
            "person_id": pid,
            "name": people[pid].display_name,
            "score": score[pid],
            "why": why[pid],
        }
        for pid in ids
        if pid in people
        and pid not in spoke
        and pid not in gone
        and not people[pid].is_owner
        and people[pid].partner_stage is None
        and people[pid].partner_stage_manual is None
    ]
    out.sort(key=lambda r: (-r["score"], r["name"].lower(), r["person_id"]))
    return out[:limit]
