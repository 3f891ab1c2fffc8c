"""What a person talks about: distinctive keywords of their posts (TF-IDF against the network).

A word counts for a person when they use it often and the rest of the network rarely does;
stop words, handles, links and numbers are ignored. Document frequencies come from the same
ledger, so "python" ranks high for a packaging maintainer in a network of designers.

    >>> from netweave.store import Store
    >>> person_topics(Store.open("sqlite://"), [])
    []
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

import sqlalchemy as sa

from ..store import Store, schema

__all__ = ["person_topics"]

_WORD = re.compile(r"[^\W\d_][\w'-]{2,}", re.UNICODE)
_STOP = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves i'm it's don't can't that's there's
let's i've i'll you're we're they're isn't doesn't didn't won't get got one two new like really
thanks thank today tonight yes yeah okay ok https http www com rt via amp just
""".split()  # noqa: SIM905
)


def _tokens(text: str | None) -> list[str]:
    if not text:
        return []
    text = re.sub(r"https?://\S+|@\w+(@[\w.-]+)?", " ", text.lower())
    return [w.strip("'-") for w in _WORD.findall(text) if w.strip("'-") not in _STOP]


def person_topics(
    store: Store, accounts: list[str], *, top: int = 15, sample: int = 20_000
) -> list[tuple[str, float]]:
    """The ``top`` keywords (and phrases of two words) of what these accounts wrote."""
    if not accounts:
        return []
    i = schema.interactions
    ws = store.workspace_id
    with store.connect() as conn:
        mine = (
            conn.execute(
                sa.select(i.c.text)
                .where(
                    i.c.workspace_id == ws, i.c.actor_account.in_(accounts), i.c.text.is_not(None)
                )
                .order_by(i.c.occurred_at.desc())
                .limit(2000)
            )
            .scalars()
            .all()
        )
        corpus = (
            conn.execute(
                sa.select(i.c.text)
                .where(i.c.workspace_id == ws, i.c.text.is_not(None))
                .limit(sample)
            )
            .scalars()
            .all()
        )
    if not mine:
        return []
    df: Counter[str] = Counter()
    for text in corpus:
        toks = _tokens(text)
        df.update(set(toks) | {f"{a} {b}" for a, b in itertools.pairwise(toks)})
    tf: Counter[str] = Counter()
    for text in mine:
        toks = _tokens(text)
        tf.update(toks)
        tf.update(f"{a} {b}" for a, b in itertools.pairwise(toks))
    n = max(len(corpus), 1)
    scored = {
        # smoothed idf (+1): a word the person uses often still counts when others use it too
        term: count * (math.log((n + 1) / (df.get(term, 0) + 1)) + 1)
        for term, count in tf.items()
        if count >= 2 or " " not in term
    }
    best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[tuple[str, float]] = []
    for term, score in best:
        # a phrase that repeats one of its words' own rank adds nothing
        if " " not in term and any(term in t.split() for t, _ in out if " " in t):
            continue
        out.append((term, round(score, 3)))
        if len(out) == top:
            break
    return out
