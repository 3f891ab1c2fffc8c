"""Pairwise matching: comparison levels, Fellegi-Sunter weights learned by EM, three outcomes.

Pure: works on :class:`~netweave.identity.records.Record` lists, no database. Candidate pairs
come from :mod:`netweave.identity.blocking`; every pair is compared field by field at discrete
levels (names and handles by Jaro-Winkler, streets by token-set ratio, postcodes, dates and id
numbers by edit distance, emails, phones and profile links by equality). A field missing on
either side is left out: absence is not evidence.

The u probability of a level (how often non-matches show it) is estimated from random pairs of
accounts, nearly all of them different people. The m probability (how often true matches show
it) is taken from the pairs people linked themselves (same email or phone, a profile linking
the other) when there are enough of them, and otherwise estimated by expectation-maximisation
over the candidate pairs (Fellegi & Sunter 1969; Winkler 1988); EM always estimates the share
of matches. So the weights fit the data at hand. Comparison
vectors are counted once per distinct pattern, which keeps EM cheap at any scale, and a
Dirichlet pseudo-count pulls small samples (a few dozen accounts) towards sensible start values.

Thresholds on the posterior match probability:

- ``AUTO`` = 0.95: linked without asking. At 0.95 at most one in twenty auto-links at that
  exact score is expected wrong, and most auto-links score far higher; since a wrong merge
  silently mixes two people's histories (worse than a missed one, which the user can still
  merge), the bar sits well above the 0.5 of a plain Bayes decision. On FEBRL4 (see
  bench/bench_identity_febrl4.py) moving it between 0.9 and 0.99 changes F1 by less than
  0.002, so it is not tuned to one data set.
- ``REVIEW`` = 0.5: proposed for review. Below it a match is less likely than not; above it a
  person's glance is worth asking for.
- Explicit evidence a person gave themselves (the same email or phone, a profile that links to
  the other account, a shared personal domain) across platforms is near-certain and links
  automatically whatever the other fields say; the same full name on another platform with
  nothing against it is at least proposed, and a name with nothing else agreeing (no handle,
  place, date, id) is at most proposed (``NAME_ONLY``): namesakes are common.

    >>> from .records import Record
    >>> a = Record("a", "twitter", "1", "terrillific", "Terrill 🎭", None, set(), set(),
    ...            {"twitter:terrillific"}, {"mastodon:terrill@mastodon.social"})
    >>> b = Record("b", "mastodon", "terrill@mastodon.social", "terrill", "Terrill Thompson",
    ...            None, set(), set(), {"mastodon:terrill@mastodon.social"}, set())
    >>> [(m.a, m.b, m.outcome) for m in match([a, b]).pairs]
    [('a', 'b', 'auto')]
"""

from __future__ import annotations

import gc
import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from .blocking import Prepared, candidate_pairs, prepare
from .records import Record

__all__ = [
    "AUTO",
    "FIELDS",
    "REVIEW",
    "Match",
    "MatchResult",
    "Params",
    "compare",
    "match",
    "paused_gc",
]

AUTO = 0.95
REVIEW = 0.50
NAME_ONLY = 0.9  # the most a name without any other agreeing field can score
EM_MAX_ITERATIONS = 60
EM_TOLERANCE = 1e-6
PSEUDO_COUNT = 20.0
U_SAMPLE = 10_000  # random pairs the u probabilities are estimated from
U_MIN_SAMPLE = 200  # with fewer, u keeps its start values
ANCHOR_MIN = 30  # self-linked pairs needed to take m from them rather than from EM

FIELDS = (
    "email",
    "phone",
    "link",
    "first",
    "last",
    "name",
    "handle",
    "city",
    "region",
    "postcode",
    "street",
    "number",
    "birth",
    "nid",
)
EMAIL, PHONE, LINK, FIRST, LAST, NAME, HANDLE, CITY, REGION, POSTCODE, STREET, NUMBER = range(12)
BIRTH, NID = 12, 13

# start values (and Dirichlet prior means) of m and u per field, by level (0 = disagree)
_START: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "email": ((0.1, 0.9), (0.99, 0.01)),
    "phone": ((0.1, 0.9), (0.99, 0.01)),
    "link": ((0.6, 0.4), (0.995, 0.005)),
    "first": ((0.05, 0.05, 0.15, 0.75), (0.75, 0.15, 0.05, 0.05)),
    "last": ((0.05, 0.05, 0.15, 0.75), (0.75, 0.15, 0.05, 0.05)),
    "name": ((0.05, 0.1, 0.25, 0.6), (0.7, 0.15, 0.1, 0.05)),
    "handle": ((0.2, 0.2, 0.6), (0.9, 0.07, 0.03)),
    "city": ((0.1, 0.1, 0.8), (0.8, 0.05, 0.15)),
    "region": ((0.1, 0.9), (0.7, 0.3)),
    "postcode": ((0.1, 0.1, 0.8), (0.95, 0.03, 0.02)),
    "street": ((0.1, 0.1, 0.2, 0.6), (0.9, 0.07, 0.02, 0.01)),
    "number": ((0.2, 0.8), (0.9, 0.1)),
    "birth": ((0.1, 0.1, 0.8), (0.97, 0.02, 0.01)),
    "nid": ((0.1, 0.1, 0.8), (0.999, 0.0009, 0.0001)),
}
_DECISIVE = (EMAIL, PHONE, LINK)
_BESIDES_NAME = (HANDLE, CITY, REGION, POSTCODE, STREET, NUMBER, BIRTH, NID)

_jw = JaroWinkler.similarity
_lev = Levenshtein.distance
_osa = OSA.distance


@dataclass
class Match:
    """A compared candidate pair (``a`` < ``b``) with its outcome and readable reasons."""

    a: str
    b: str
    probability: float
    outcome: str  # auto | review | apart
    reasons: list[str] = field(default_factory=list)


@dataclass
class Params:
    """Fellegi-Sunter parameters: m and u per field and level, and the prior match rate."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float

    def weights(self) -> dict[str, list[float]]:
        """log2(m/u) per level: how much each level speaks for (or against) a match."""
        return {
            f: [round(math.log2(m / u), 2) for m, u in zip(self.m[f], self.u[f], strict=True)]
            for f in self.m
        }


@dataclass
class MatchResult:
    """Every compared pair, best first, and the parameters EM settled on."""

    pairs: list[Match]
    params: Params | None
    keys: dict[str, list[str]] = field(default_factory=dict)  # blocking keys per account


def _name_level(s: float) -> int:
    return 3 if s >= 0.999 else 2 if s >= 0.92 else 1 if s >= 0.8 else 0


def _names(a: Prepared, b: Prepared) -> tuple[int, int, int, float]:
    """(first level, last level, name level, similarity) with -1 for not compared."""
    if a.single is not None or b.single is not None:
        if not a.tokens or not b.tokens:
            return -1, -1, -1, 0.0
        one, other = (a, b) if a.single is not None else (b, a)
        s = max(_jw(one.single or "", t) for t in other.tokens)
        # one word is weak evidence: never more than "high"
        return -1, -1, min(_name_level(s), 2), s
    af, al, bf, bl = a.first, a.last, b.first, b.last
    if af and al and bf and bl:
        sf, sl = _jw(af, bf), _jw(al, bl)
        xf, xl = _jw(af, bl), _jw(al, bf)
        if xf + xl > sf + sl:  # given and family name swapped
            sf, sl = xf, xl
        return _name_level(sf), _name_level(sl), -1, (sf + sl) / 2
    first = last = -1
    sims = []
    if af and bf:
        sims.append(s := _jw(af, bf))
        first = _name_level(s)
    if al and bl:
        sims.append(s := _jw(al, bl))
        last = _name_level(s)
    if not sims:
        return -1, -1, -1, 0.0
    return first, last, -1, sum(sims) / len(sims)


def _handle_level(x: str, y: str) -> int:
    """2 same handle, 1 similar, 0 different. ``ada12`` and ``ada13`` are two people who
    wanted the same name; ``ada`` and ``ada12`` may be one who found hers taken."""
    if x == y:
        return 2
    dx, dy = x.rstrip("0123456789"), y.rstrip("0123456789")
    if dx == dy and dx != x and dy != y:
        return 0
    return 1 if _jw(x, y) >= 0.9 else 0


def compare(a: Prepared, b: Prepared) -> tuple[int, ...]:
    """The comparison vector of a pair: one level per field of :data:`FIELDS`, -1 = missing."""
    ra, rb = a.record, b.record
    v = [-1] * len(FIELDS)
    if ra.emails and rb.emails:
        v[EMAIL] = 1 if ra.emails & rb.emails else 0
    if ra.phones and rb.phones:
        v[PHONE] = 1 if ra.phones & rb.phones else 0
    if (
        (ra.out_refs and not ra.out_refs.isdisjoint(rb.own_refs))
        or (rb.out_refs and not rb.out_refs.isdisjoint(ra.own_refs))
        or (a.domains and b.domains and not a.domains.isdisjoint(b.domains))
    ):
        v[LINK] = 1
    else:
        v[LINK] = 0
    v[FIRST], v[LAST], v[NAME], _ = _names(a, b)
    if a.handle and b.handle:
        v[HANDLE] = _handle_level(a.handle, b.handle)
    if a.city and b.city:
        v[CITY] = 2 if a.city == b.city else 1 if _jw(a.city, b.city) >= 0.9 else 0
    xa, xb = ra.attrs, rb.attrs
    if xa and xb:
        if (p := xa.get("region")) and (q := xb.get("region")):
            v[REGION] = 1 if p == q else 0
        if (p := xa.get("postcode")) and (q := xb.get("postcode")):
            v[POSTCODE] = 2 if p == q else 1 if _lev(p, q) <= 1 else 0
        if (p := xa.get("street")) and (q := xb.get("street")):
            ss = 100.0 if p == q else token_set_ratio(p, q)
            v[STREET] = 3 if ss >= 99.9 else 2 if ss >= 90 else 1 if ss >= 70 else 0
        if (p := xa.get("number")) and (q := xb.get("number")):
            v[NUMBER] = 1 if p == q else 0
        if (p := xa.get("birth")) and (q := xb.get("birth")):
            v[BIRTH] = 2 if p == q else 1 if _close_date(p, q) else 0
        if (p := xa.get("nid")) and (q := xb.get("nid")):
            v[NID] = 2 if p == q else 1 if _osa(p, q) <= 1 else 0
    return tuple(v)


def _close_date(p: str, q: str) -> bool:
    """One typo, or day and month swapped."""
    if _osa(p, q) <= 1:
        return True
    return len(p) == len(q) == 8 and p[:4] == q[:4] and p[4:6] == q[6:8] and p[6:8] == q[4:6]


def _link(ra: Record, rb: Record) -> str | None:
    """The explicit cross-link between two accounts, as a reason, or None."""
    if not (ra.out_refs or rb.out_refs or ra.own_refs or rb.own_refs):
        return None
    links = (ra.out_refs & rb.own_refs) | (rb.out_refs & ra.own_refs)
    if links:
        ref = sorted(links)[0]
        src = ra if ref in ra.out_refs and ref in rb.own_refs else rb
        platform, _, target = ref.partition(":")
        return f"{src.platform} profile links to {target} on {platform}"
    both = (ra.own_refs | ra.out_refs) & (rb.own_refs | rb.out_refs)
    domains = sorted(x for x in both if x.startswith("domain:"))
    if domains:
        return f"both point at {domains[0].split(':', 1)[1]}"
    return None


def reasons(a: Prepared, b: Prepared) -> list[str]:
    """Readable evidence for (and against) a pair, strongest first."""
    ra, rb = a.record, b.record
    v = compare(a, b)
    out: list[str] = []
    if v[EMAIL] == 1:
        out.append("same email")
    if v[PHONE] == 1:
        out.append("same phone")
    if (link := _link(ra, rb)) is not None:
        out.append(link)
    if v[NID] == 2:
        out.append("same id number")
    first, last, name, sim = _names(a, b)
    if max(first, last, name) >= 1:
        out.append("same name" if sim >= 0.999 else f"name {sim:.2f}")
    if v[HANDLE] >= 1:
        out.append("same handle" if v[HANDLE] == 2 else "similar handle")
    labels = (
        (BIRTH, "birth date"),
        (CITY, "city"),
        (POSTCODE, "postcode"),
        (STREET, "street"),
        (NUMBER, "house number"),
        (REGION, "region"),
    )
    top = {BIRTH: 2, CITY: 2, POSTCODE: 2, STREET: 3, NUMBER: 1, REGION: 1}
    for idx, label in labels:
        if v[idx] == top[idx]:
            out.append(f"same {label}")
        elif v[idx] >= 1:
            out.append(f"similar {label}")
    against = [
        label
        for idx, label in ((EMAIL, "email"), (PHONE, "phone"), (NID, "id number"), *labels)
        if v[idx] == 0
    ]
    if against:
        out.append("but different " + ", ".join(against))
    return out


def _random_u(
    prepared: list[Prepared], candidates: set[tuple[int, int]]
) -> list[list[float]] | None:
    """u probabilities from random cross-platform pairs that blocking did not pick, nearly all
    of them different people; None when there are too few such pairs to learn from.

    Candidate pairs are chosen for looking alike (same name key), so EM alone cannot tell how
    often unrelated people share a first name; random pairs can (as in splink).
    """
    n = len(prepared)
    wanted = min(U_SAMPLE, n * (n - 1) // 2 - len(candidates))
    if wanted < U_MIN_SAMPLE:
        return None
    counts = [[0.0] * len(_START[name][1]) for name in FIELDS]
    rng = random.Random(0)  # fixed: the same data always gives the same weights
    got = 0
    for _ in range(3 * wanted):
        if got >= wanted:
            break
        i, j = rng.randrange(n), rng.randrange(n)
        if i > j:
            i, j = j, i
        if prepared[i].platform == prepared[j].platform or (i, j) in candidates:
            continue
        got += 1
        for f, lvl in enumerate(compare(prepared[i], prepared[j])):
            if lvl >= 0:
                counts[f][lvl] += 1
    if got < U_MIN_SAMPLE:
        return None
    u = []
    for f, name in enumerate(FIELDS):
        start = _START[name][1]
        total = sum(counts[f]) + PSEUDO_COUNT
        u.append([(c + PSEUDO_COUNT * s0) / total for c, s0 in zip(counts[f], start, strict=True)])
    return u


def _anchor_m(anchors: list[tuple[int, ...]]) -> list[list[float]] | None:
    """m probabilities from pairs a person linked themselves (the same email or phone, a
    profile linking the other): near-certain matches, so how often their names, handles and
    places agree is how often true matches' do. None when there are too few of them."""
    if len(anchors) < ANCHOR_MIN:
        return None
    m = []
    for f, name in enumerate(FIELDS):
        start = _START[name][0]
        counts = [0.0] * len(start)
        if f not in _DECISIVE:  # chosen for agreeing on these: their own m stays as started
            for v in anchors:
                if v[f] >= 0:
                    counts[v[f]] += 1
        total = sum(counts) + PSEUDO_COUNT
        m.append([(c + PSEUDO_COUNT * s0) / total for c, s0 in zip(counts, start, strict=True)])
    return m


def _em(
    patterns: Counter[tuple[int, ...]],
    fixed_u: list[list[float]] | None = None,
    fixed_m: list[list[float]] | None = None,
) -> Params:
    """Fit m (unless ``fixed_m``), u (unless ``fixed_u``) and the prior by EM over distinct
    comparison patterns (weighted by their counts)."""
    nf = len(FIELDS)
    present = [any(p[f] >= 0 for p in patterns) for f in range(nf)]
    m0 = [list(_START[name][0]) for name in FIELDS]
    u0 = [list(_START[name][1]) for name in FIELDS]
    m = [list(x) for x in (fixed_m or m0)]
    u = [list(x) for x in (fixed_u or u0)]
    # too few accounts to learn u from: keep the start values rather than let EM drift
    fixed_u = fixed_u or (u0 if sum(patterns.values()) < U_MIN_SAMPLE else None)
    prior = 0.1
    items = list(patterns.items())
    total = sum(patterns.values())
    for _ in range(EM_MAX_ITERATIONS):
        lm = [[math.log(x) for x in row] for row in m]
        lu = [[math.log(x) for x in row] for row in u]
        lp, lq = math.log(prior), math.log(1 - prior)
        mw = [[PSEUDO_COUNT * x for x in row] for row in m0]
        uw = [[PSEUDO_COUNT * x for x in row] for row in u0]
        matched = 0.0
        for pat, count in items:
            s = lq - lp
            for f in range(nf):
                lvl = pat[f]
                if lvl >= 0:
                    s += lu[f][lvl] - lm[f][lvl]
            g = 1.0 / (1.0 + math.exp(min(s, 700.0)))
            gm, gu = g * count, (1.0 - g) * count
            matched += gm
            for f in range(nf):
                lvl = pat[f]
                if lvl >= 0:
                    mw[f][lvl] += gm
                    uw[f][lvl] += gu
        new_prior = min(max(matched / total, 0.001), 0.5)
        change = abs(new_prior - prior)
        prior = new_prior
        for f in range(nf):
            if fixed_m is None:
                ms = sum(mw[f])
                new_m = [x / ms for x in mw[f]]
                change = max(change, *(abs(x - y) for x, y in zip(new_m, m[f], strict=True)))
                m[f] = new_m
            if fixed_u is None:
                us = sum(uw[f])
                u[f] = [x / us for x in uw[f]]
        if change < EM_TOLERANCE:
            break
    return Params(
        {name: m[f] for f, name in enumerate(FIELDS) if present[f]},
        {name: u[f] for f, name in enumerate(FIELDS) if present[f]},
        prior,
    )


def _start_params() -> Params:
    """The start values, for when there is nothing to learn from yet."""
    return Params(
        {name: list(_START[name][0]) for name in FIELDS},
        {name: list(_START[name][1]) for name in FIELDS},
        0.1,
    )


def probability(pattern: Sequence[int], params: Params) -> float:
    """Posterior match probability of one comparison pattern under ``params``."""
    s = math.log(1 - params.prior) - math.log(params.prior)
    for f, name in enumerate(FIELDS):
        lvl = pattern[f]
        if lvl >= 0 and name in params.m:
            s += math.log(params.u[name][lvl]) - math.log(params.m[name][lvl])
    return 1.0 / (1.0 + math.exp(min(s, 700.0)))


def _decide(v: tuple[int, ...], prob: float, cross: bool) -> tuple[float, str]:
    """The final probability and outcome of a comparison pattern (see the module docstring)."""
    if cross and any(v[f] == 1 for f in _DECISIVE):
        prob = max(prob, AUTO)
    elif prob >= AUTO and not any(v[f] >= 1 for f in _BESIDES_NAME):
        # a name alone never links by itself: namesakes are common in anyone's network
        prob = min(prob, NAME_ONLY)
    elif (
        cross
        and prob < REVIEW
        and v[FIRST] == 3
        and v[LAST] == 3
        and 0 not in (v[EMAIL], v[PHONE], v[CITY], v[BIRTH], v[NID])
    ):
        # the same full name elsewhere, with nothing against it: worth asking about
        prob = REVIEW
    return prob, "auto" if prob >= AUTO else "review" if prob >= REVIEW else "apart"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Its full collections walk every live object, so with hundreds of thousands of pairs alive
    they make matching grow faster than the number of accounts; nothing made here is cyclic.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def match(records: Iterable[Record], params: Params | None = None) -> MatchResult:
    """Compare every candidate pair and classify it (auto / review / apart), best first.

    ``params`` reuses weights learned before (an incremental run over a few accounts has too
    few pairs to learn from); without them EM estimates them from these pairs.
    """
    with paused_gc():
        return _match(records, params)


def _match(records: Iterable[Record], params: Params | None) -> MatchResult:
    prepared = [prepare(r) for r in records]
    keys: dict[str, list[str]] = {}
    candidates = candidate_pairs(prepared, keys)
    pairs = sorted(candidates)
    vectors = [compare(prepared[i], prepared[j]) for i, j in pairs]
    if not vectors:
        return MatchResult([], params or _start_params(), keys)
    patterns = Counter(vectors)
    if params is None:
        anchors = [
            v
            for (i, j), v in zip(pairs, vectors, strict=True)
            if prepared[i].platform != prepared[j].platform and any(v[f] == 1 for f in _DECISIVE)
        ]
        params = _em(patterns, _random_u(prepared, candidates), _anchor_m(anchors))
    prob_of = {p: probability(p, params) for p in patterns}
    decided: dict[tuple[tuple[int, ...], bool], tuple[float, str]] = {}
    out = []
    for (i, j), v in zip(pairs, vectors, strict=True):
        pa, pb = prepared[i], prepared[j]
        cross = pa.platform != pb.platform
        found = decided.get((v, cross))
        if found is None:
            found = decided[(v, cross)] = _decide(v, prob_of[v], cross)
        prob, outcome = found
        a, b = pa.record.account_id, pb.record.account_id
        if a > b:
            a, b = b, a
        why = reasons(pa, pb) if outcome != "apart" else []
        out.append(Match(a, b, round(prob, 6), outcome, why))
    out.sort(key=lambda x: (-x.probability, x.a, x.b))
    return MatchResult(out, params, keys)
