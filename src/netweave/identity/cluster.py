"""Clustering accounts into people with transitive consistency checks.

Union-find over links, in this order: the owner's own accounts, the user's "same" decisions,
then automatic matches best first. A union is refused when

- the user said two of the accounts it would join are different people (sticky "different"
  decisions and splits), or
- it would put two accounts of one platform into one person that are clearly different people:
  a pair never proposed as a candidate, or compared and found unlikely (below ``REVIEW``).
  One platform rarely holds two accounts of one person; when it does they usually share an
  email or link each other and so clear this check. Chains of links (A~B, B~C) are where
  wrong merges come from, and this is what breaks them.

A refused automatic match is demoted to a proposal for review, with the reason.

    >>> from .match import Match
    >>> from .records import Record
    >>> recs = [Record(x, p, x, None, None, None, set(), set(), set(), set())
    ...         for x, p in (("a", "twitter"), ("b", "mastodon"), ("c", "twitter"))]
    >>> rep, demoted = cluster(recs, [Match("a", "b", 0.99, "auto"), Match("b", "c", 0.97, "auto")])
    >>> rep["b"], rep["c"], [(d.a, d.b, d.outcome) for d in demoted]
    ('a', 'c', [('b', 'c', 'review')])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .match import REVIEW, Match
from .records import Record

__all__ = ["cluster"]


def cluster(
    records: Iterable[Record],
    matches: list[Match],
    *,
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
) -> tuple[dict[str, str], list[Match]]:
    """Union accounts into people; returns (account -> representative, demoted matches).

    The representative of a cluster is its smallest account id, so the same links always give
    the same representatives whatever order they were found in.
    """
    parent: dict[str, str] = {}
    plat: dict[str, str] = {}
    owners: list[str] = []
    for r in records:
        parent[r.account_id] = r.account_id
        plat[r.account_id] = r.platform
        if r.is_owner:
            owners.append(r.account_id)
    members: dict[str, list[str]] = {acc: [acc] for acc in parent}
    apart: dict[str, set[str]] = defaultdict(set)
    for x, y in different:
        apart[x].add(y)
        apart[y].add(x)
    score = {(mt.a, mt.b): mt.probability for mt in matches}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def refused(ra: str, rb: str, force: bool) -> str | None:
        small, big = sorted((members[ra], members[rb]), key=len)
        big_set = set(big)
        for x in small:
            if apart.get(x, set()) & big_set:
                return "you said these are different people"
        if force:
            return None
        by_platform: dict[str, list[str]] = defaultdict(list)
        for y in big:
            by_platform[plat[y]].append(y)
        for x in small:
            for y in by_platform.get(plat[x], ()):
                pair = (x, y) if x < y else (y, x)
                if score.get(pair, 0.0) < REVIEW:
                    return f"would join two different {plat[x]} accounts"
        return None

    def union(a: str, b: str, *, force: bool) -> str | None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return None
        why = refused(ra, rb, force)
        if why is not None:
            return why
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        return None

    owners.sort()
    for other in owners[1:]:
        union(owners[0], other, force=True)
    for a, b in sorted(same):
        if a in parent and b in parent:
            union(a, b, force=True)
    demoted = []
    for mt in matches:
        if mt.outcome != "auto" or mt.a not in parent or mt.b not in parent:
            continue
        why = union(mt.a, mt.b, force=False)
        if why is not None and not why.startswith("you said"):
            demoted.append(Match(mt.a, mt.b, mt.probability, "review", [*mt.reasons, why]))
    return {acc: find(acc) for acc in parent}, demoted
