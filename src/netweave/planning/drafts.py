"""Checking a draft post against the owner's rules and the give/get line before posting.

>>> from netweave.store import Store
>>> [f["rule"] for f in check_draft(Store.open("sqlite://"), "Buy my course today!")]
['self-promotion']
"""

from __future__ import annotations

from typing import Any

from ..relationships.giving import classify
from ..store import Store
from .rules import list_rules

__all__ = ["check_draft"]


def check_draft(
    store: Store,
    text: str,
    *,
    own_domains: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Findings (empty when the draft is fine): rule broken, why, and a suggestion."""
    findings = []
    verdict = classify(text, own_domains=own_domains or [])
    if verdict.label == "self_promotion":
        findings.append(
            {
                "rule": "self-promotion",
                "why": verdict.reason,
                "suggestion": "give first: share someone else's work, answer a "
                "question, or offer help without asking anything back",
            }
        )
    rules = list_rules(store)
    lowered = text.lower()
    for topic in rules.get("avoid_topics", {}).get("topics", []):
        if topic in lowered:
            findings.append(
                {
                    "rule": "avoid_topics",
                    "why": f"mentions {topic!r}, a topic you decided not to engage in",
                    "suggestion": "leave it out, or do not post",
                }
            )
    if len(text) > 500:
        findings.append(
            {
                "rule": "length",
                "why": f"{len(text)} characters is more than most "
                "platforms show (500 on Mastodon, 280 on Twitter/X)",
                "suggestion": "cut it down, or write a blog post and link it",
            }
        )
    return findings
