"""Candidate blocking: which accounts are compared at all (never all pairs).

Two accounts meet only when they share a blocking key:

- strong keys, compared even on one platform: an email, a phone, a national id, a profile
  reference (one account's bio, website or contacts point at the other's handle or URL, or
  both name the same personal domain);
- weak keys, compared across platforms only (one platform rarely holds two accounts of one
  person, and the clustering step refuses such merges anyway): a handle, the sorted name
  tokens, first name + last initial, the metaphone of the last name + first initial and of the
  first name + last initial, a birth date.

A key shared by more than :data:`MAX_BLOCK` accounts is too common to say anything (a
conference site everyone links to, "John S") and is skipped, so the number of pairs grows with
the number of accounts, not its square.

    >>> from .records import Record
    >>> recs = [Record(str(i), p, str(i), None, n, None, set(), set(), set(), set())
    ...         for i, (p, n) in enumerate([("twitter", "Ada Lovelace"),
    ...                                      ("mastodon", "Ada Lovelace"),
    ...                                      ("twitter", "Ada Lovelace"),
    ...                                      ("mastodon", "Grace Hopper")])]
    >>> sorted(candidate_pairs([prepare(r) for r in recs]))
    [(0, 1), (1, 2)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .normalize import name_tokens, phonetic_key
from .records import Record

__all__ = ["MAX_BLOCK", "Prepared", "block_keys", "candidate_pairs", "prepare"]

MAX_BLOCK = 60

_HANDLE_CLEAN = re.compile(r"[^a-z0-9]")
_PLACE_SEP = re.compile(r"[,/|(]")


def _handle(r: Record) -> str | None:
    h = r.handle or (r.key if r.platform in {"twitter", "mastodon", "bluesky"} else None)
    if not h or h.isdigit() or h.startswith("did:"):
        return None
    h = h.lower().lstrip("@").split("@")[0]
    h = h.removesuffix(".bsky.social")
    h = _HANDLE_CLEAN.sub("", h)
    return h if len(h) >= 3 else None


def _city(location: str | None) -> str | None:
    if not location:
        return None
    first = _PLACE_SEP.split(location.lower(), maxsplit=1)[0].strip()
    return first or None


def _one(text: str | None) -> str | None:
    tokens = name_tokens(text, ordered=True)
    return " ".join(tokens) if tokens else None


@dataclass(slots=True)
class Prepared:
    """A record with everything comparisons need computed once."""

    record: Record
    tokens: tuple[str, ...]  # sorted name tokens
    name: str  # sorted tokens joined
    first: str | None  # known first name (given name, or first of two or more tokens)
    last: str | None  # known last name
    single: str | None  # the only word of a one-word display name (first or last unknown)
    handle: str | None
    city: str | None
    platform: str
    domains: frozenset[str]  # personal domains the account is or points at


def prepare(r: Record) -> Prepared:
    """Normalise a record once: name parts, handle, city."""
    first = _one(r.given)
    last = _one(r.family)
    single = None
    if first is not None or last is not None:
        tokens = tuple(sorted(" ".join(x for x in (first, last) if x).split()))
    else:
        ordered = name_tokens(r.display_name, ordered=True)
        tokens = tuple(sorted(ordered))
        if len(ordered) >= 2:
            first, last = ordered[0], ordered[-1]
        elif ordered:
            single = ordered[0]
    city = r.attrs.get("city") or _city(r.location)
    domains = frozenset(x for x in r.own_refs | r.out_refs if x.startswith("domain:"))
    return Prepared(
        r, tokens, " ".join(tokens), first, last, single, _handle(r), city, r.platform, domains
    )


def block_keys(p: Prepared) -> tuple[list[str], list[str]]:
    """(strong keys, weak keys) of one prepared record."""
    r = p.record
    strong = [f"e:{e}" for e in r.emails] + [f"p:{x}" for x in r.phones]
    strong += [f"r:{ref}" for ref in r.own_refs | r.out_refs]
    if nid := r.attrs.get("nid"):
        strong.append(f"i:{nid}")
    weak = []
    if p.handle:
        weak.append(f"h:{p.handle}")
    if len(p.tokens) >= 2:
        weak.append(f"n:{p.name}")
    if p.first and p.last:
        first = p.first.split()[0]
        last = p.last.split()[-1]
        weak.append(f"fl:{first}|{last[0]}")
        weak.append(f"pl:{phonetic_key(last)}|{first[0]}")
        weak.append(f"pf:{phonetic_key(first)}|{last[0]}")
    elif p.last:
        weak.append(f"l:{p.last}")
    elif p.single and len(p.single) >= 4:
        weak.append(f"n1:{p.single}")
    if birth := r.attrs.get("birth"):
        weak.append(f"b:{birth}")
    return strong, weak


def candidate_pairs(
    prepared: list[Prepared], keys: dict[str, list[str]] | None = None
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, sharing a blocking key (see the module docstring).

    ``keys``, if given, receives every account's blocking keys (for the stored index).
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    weak_keys: set[str] = set()
    for idx, p in enumerate(prepared):
        strong, weak = block_keys(p)
        if keys is not None:
            keys[p.record.account_id] = strong + weak
        for k in strong:
            blocks[k].append(idx)
        for k in weak:
            blocks[k].append(idx)
            weak_keys.add(k)
    pairs: set[tuple[int, int]] = set()
    add = pairs.add
    for key, members in blocks.items():
        n = len(members)
        if n < 2 or n > MAX_BLOCK:
            continue
        if n == 2:
            x, y = members
            if key not in weak_keys or prepared[x].platform != prepared[y].platform:
                add((x, y) if x < y else (y, x))
        elif key in weak_keys:
            by_platform: dict[str, list[int]] = defaultdict(list)
            for x in members:
                by_platform[prepared[x].platform].append(x)
            if len(by_platform) < 2:
                continue
            groups = list(by_platform.values())
            for gi, group in enumerate(groups):
                for other in groups[gi + 1 :]:
                    for x in group:
                        for y in other:
                            add((x, y) if x < y else (y, x))
        else:
            for i in range(n):
                x = members[i]
                for y in members[i + 1 :]:
                    add((x, y) if x < y else (y, x))
    return pairs
