"""Know-thyself rules: the owner's values and boundaries as simple declarative rules.

Seed 003: "You must establish your own rules based on your values, personal space and goals."
Rules live in the ``rules`` table; the agenda obeys them and drafts are checked against them.

=====================  ==========================================  ===========================
kind                   params                                      effect
=====================  ==========================================  ===========================
max_minutes            {"minutes": 30}                             a day's agenda never exceeds
no_work_on_weekends    {}                                          no work actions Sat/Sun
no_dm_without_reply    {"unanswered": 2}                           never DM someone who has not
                                                                   replied to the last N
avoid_topics           {"topics": ["politics"]}                    no actions or drafts on them
quiet_hours            {"from": 21, "to": 8}                       no agenda in those hours
=====================  ==========================================  ===========================

    >>> parse_rule("max_minutes", "45")
    {'minutes': 45}
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..store import Store, make_id, schema, utcnow

__all__ = ["RULE_KINDS", "add_rule", "list_rules", "parse_rule", "remove_rule"]

RULE_KINDS = (
    "max_minutes",
    "no_work_on_weekends",
    "no_dm_without_reply",
    "avoid_topics",
    "quiet_hours",
)


def parse_rule(kind: str, value: str | None) -> dict[str, Any]:
    """The params of a rule from its command-line value."""
    if kind not in RULE_KINDS:
        raise InputError("", None, f"unknown rule {kind!r}; use {', '.join(RULE_KINDS)}")
    try:
        if kind == "max_minutes":
            minutes = int(value or "")
            if minutes <= 0:
                raise ValueError
            return {"minutes": minutes}
        if kind == "no_dm_without_reply":
            return {"unanswered": int(value or "2")}
        if kind == "avoid_topics":
            topics = [t.strip().lower() for t in (value or "").split(",") if t.strip()]
            if not topics:
                raise ValueError
            return {"topics": topics}
        if kind == "quiet_hours":
            start, end = (int(x) for x in (value or "").split("-"))
            if not (0 <= start < 24 and 0 <= end < 24):
                raise ValueError
            return {"from": start, "to": end}
    except ValueError:
        raise InputError("", None, f"bad value {value!r} for rule {kind}") from None
    return {}


def add_rule(
    store: Store, kind: str, value: str | None = None, description: str | None = None
) -> str:
    """Store a rule; one rule per kind (a new one replaces the old)."""
    params = parse_rule(kind, value)
    rule_id = make_id("rule", kind)
    store.upsert(
        schema.rules,
        [
            {
                "rule_id": rule_id,
                "kind": kind,
                "params": params,
                "description": description,
                "enabled": True,
                "created_at": utcnow(),
            }
        ],
        on_conflict="replace",
    )
    return rule_id


def remove_rule(store: Store, kind: str) -> bool:
    """Delete the rule of a kind; True if there was one."""
    r = schema.rules
    with store.transaction() as conn:
        result = conn.execute(
            sa.delete(r).where(r.c.workspace_id == store.workspace_id, r.c.kind == kind)
        )
    return bool(result.rowcount)


def list_rules(store: Store) -> dict[str, dict[str, Any]]:
    """Enabled rules by kind."""
    r = schema.rules
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(r.c.kind, r.c.params).where(
                r.c.workspace_id == store.workspace_id, r.c.enabled
            )
        ).all()
    return {kind: params or {} for kind, params in rows}
