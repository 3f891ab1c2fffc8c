"""Tie strength from what the ledger can observe, after Gilbert & Karahalios (CHI 2009).

The paper predicts tie strength from seven dimensions; netweave computes the five it can observe
from exports plus multiplexity, each scaled to [0, 1] and explained:

==============  ===========================================================  ======
dimension       observed as                                                  weight
==============  ===========================================================  ======
intimacy        private channels (DMs, email, calls, meetings) and intimacy   0.30
                words in what was exchanged
intensity       number of interactions and words exchanged                   0.25
reciprocity     both directions present, and balanced (give/get)             0.15
duration        days since first contact                                     0.10
structural      mutual follow/connection, shared lists                       0.10
distance        multiplexity: the number of platforms the tie spans          0.10
==============  ===========================================================  ======

The weights follow the paper's finding that intimacy and intensity carry the most predictive
weight; "days since last communication" was its single strongest predictor, which netweave
applies as exponential decay with a configurable half-life (config ``ties.half_life_days``).

    >>> from datetime import UTC
    >>> now = datetime(2024, 1, 1, tzinfo=UTC)
    >>> s = TieStats(interactions=40, words=3000, private=12, intimacy_words=3,
    ...              given=20, received=20, first_contact=now - timedelta(days=900),
    ...              last_contact=now - timedelta(days=3), mutual=True, shared_lists=1,
    ...              platforms=3)
    >>> score = tie_strength(s, now, half_life_days=180)
    >>> round(score.strength, 2), score.circle
    (0.84, 5)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ._ascii import ascii_stand_in

__all__ = ["CIRCLES", "TieScore", "TieStats", "intimacy_words", "tie_strength"]

WEIGHTS = {
    "intimacy": 0.30,
    "intensity": 0.25,
    "reciprocity": 0.15,
    "duration": 0.10,
    "structural": 0.10,
    "distance": 0.10,
}
# Dunbar layers: (circle size, minimum strength to be suggested for it, default cadence days)
CIRCLES = ((5, 0.60, 7), (15, 0.40, 30), (50, 0.20, 90), (150, 0.05, 365))

_INTIMATE = re.compile(
    r"\b(love|miss(ed)? you|family|dinner|lunch|coffee|drinks|hug|birthday|wedding|baby|"
    r"sorry for your|condolences|proud of you|friend|thank you so much|get well|congrat\w*)\b",
    re.IGNORECASE,
)
_INTIMATE_ASCII = re.compile(_INTIMATE.pattern)


def intimacy_words(text: str | None) -> int:
    """How many intimacy words a text holds (paper: intimacy words predict strong ties).

    >>> intimacy_words("Dinner Thursday? Miss you!")
    2
    """
    body = text or ""
    # lowered ASCII needs no case-insensitive matching: same count, faster
    return len(_INTIMATE_ASCII.findall(body.lower() if body.isascii() else ascii_stand_in(body)))


@dataclass(frozen=True)
class TieStats:
    """What the ledger says about the owner's relationship with one person."""

    interactions: int = 0
    words: int = 0
    private: int = 0
    intimacy_words: int = 0
    given: int = 0
    received: int = 0
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    mutual: bool = False
    shared_lists: int = 0
    platforms: int = 1


@dataclass(frozen=True)
class TieScore:
    """A strength in [0, 1], its dimensions, and sentences explaining them."""

    strength: float
    raw: float
    decay: float
    dimensions: dict[str, float]
    reasons: list[str] = field(default_factory=list)

    @property
    def circle(self) -> int | None:
        """The Dunbar circle this strength suggests (5, 15, 50, 150) or None."""
        for size, floor, _ in CIRCLES:
            if self.strength >= floor:
                return size
        return None


def _sat(x: float, scale: float) -> float:
    """Saturating scale: 0 at 0, 0.63 at ``scale``, towards 1 beyond."""
    return 1.0 - math.exp(-max(x, 0.0) / scale)


def tie_strength(stats: TieStats, now: datetime, half_life_days: float = 180.0) -> TieScore:
    """Score one tie, explain each dimension, and decay it by time since last contact.

    >>> from datetime import UTC
    >>> tie_strength(TieStats(), datetime(2024, 1, 1, tzinfo=UTC)).strength
    0.0
    """
    s = stats
    total = s.given + s.received
    dims = {
        "intensity": 0.7 * _sat(s.interactions, 20) + 0.3 * _sat(s.words, 2000),
        "intimacy": _sat(s.private + 3 * s.intimacy_words, 10),
        "reciprocity": (min(s.given, s.received) / max(s.given, s.received)) * _sat(total, 6)
        if total
        else 0.0,
        "duration": min(1.0, math.log1p(max((now - s.first_contact).days, 0)) / math.log1p(5 * 365))
        if s.first_contact
        else 0.0,
        "structural": 0.5 * float(s.mutual) + 0.5 * _sat(s.shared_lists, 2),
        "distance": min(1.0, max(s.platforms - 1, 0) / 3),
    }
    raw = sum(WEIGHTS[k] * v for k, v in dims.items())
    if s.last_contact is not None:
        days = max((now - s.last_contact).total_seconds() / 86400, 0.0)
        decay = 0.5 ** (days / half_life_days)
    else:
        days, decay = math.inf, 1.0 if raw == 0 else 0.5
    strength = raw * decay
    reasons = [
        f"{s.interactions} interactions, {s.words:,} words exchanged",
        f"{s.private} private (DM, email, call, meeting), {s.intimacy_words} intimacy words",
        f"you wrote {s.given} times, they wrote {s.received}",
    ]
    if s.first_contact:
        reasons.append(f"known for {(now - s.first_contact).days} days")
    reasons.append(
        ("mutual follow" if s.mutual else "not mutual")
        + (f", {s.shared_lists} shared lists" if s.shared_lists else "")
    )
    reasons.append(f"on {s.platforms} platform{'s' if s.platforms != 1 else ''}")
    if s.last_contact is not None:
        reasons.append(
            f"last contact {int(days)} days ago: x{decay:.2f} (half-life {half_life_days:g} days)"
        )
    else:
        reasons.append("no contact recorded")
    return TieScore(
        round(strength, 4),
        round(raw, 4),
        round(decay, 4),
        {k: round(v, 4) for k, v in dims.items()},
        reasons,
    )


def default_cadence(circle: int | None) -> timedelta | None:
    """Keep-in-touch interval for a circle: weekly, monthly, quarterly, yearly.

    >>> default_cadence(15)
    datetime.timedelta(days=30)
    """
    for size, _, days in CIRCLES:
        if circle == size:
            return timedelta(days=days)
    return None
