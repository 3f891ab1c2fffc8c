"""Identity resolution on a cross-platform fixture with known truth; merge/split/undo."""

from __future__ import annotations

from itertools import combinations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from netweave.errors import InputError, NotFound
from netweave.identity.normalize import email_key, name_tokens, phone_key, url_reference
from netweave.identity.ops import (
    accept,
    accept_above,
    find_person,
    merge,
    person_accounts,
    proposals,
    reject,
    split,
    undo,
)
from netweave.identity.resolve import resolve
from netweave.store import Store, make_id, schema, utcnow

# (truth, platform, key, handle, display name, location, bio, website, emails, phones)
ACCOUNTS = [
    (
        "terrill",
        "twitter",
        "2002",
        "terrillific",
        "Terrill 🎭",
        "Chicago, IL",
        "Improv, a11y. Now mostly @terrill@mastodon.social",
        None,
        [],
        [],
    ),
    (
        "terrill",
        "mastodon",
        "terrill@mastodon.social",
        "terrill",
        "Terrill Thompson",
        "Chicago",
        "formerly @terrillific on Twitter",
        "https://terrill.dev",
        [],
        [],
    ),
    (
        "terrill",
        "linkedin",
        "terrill-thompson-1234",
        None,
        "Terrill Thompson",
        None,
        None,
        None,
        ["terrill@terrill.dev"],
        [],
    ),
    (
        "terrill",
        "contacts",
        "uid-1",
        None,
        "Thompson, Terrill",
        "Chicago",
        None,
        None,
        ["Terrill@Terrill.dev"],
        ["(312) 555-0147"],
    ),
    (
        "jose",
        "twitter",
        "3003",
        "jalvarez",
        "José Álvarez",
        "Madrid",
        "Packaging nerd",
        "https://jalvarez.dev",
        [],
        [],
    ),
    (
        "jose",
        "bluesky",
        "did:plc:jose",
        "jalvarez.bsky.social",
        "Jose Alvarez",
        None,
        "blog: jalvarez.dev",
        None,
        [],
        [],
    ),
    (
        "jose",
        "contacts",
        "uid-2",
        None,
        "José Álvarez",
        "Madrid",
        None,
        None,
        ["jose.alvarez@gmail.com"],
        ["+34 600 123 456"],
    ),
    (
        "jose",
        "linkedin",
        "jose-alvarez-9",
        None,
        "José Álvarez",
        None,
        None,
        None,
        ["josealvarez+li@gmail.com"],
        [],
    ),
    ("zoe", "twitter", "4004", "zoelambert", "Zoë Lambert", "Paris", None, None, [], []),
    ("zoe", "facebook", "zoe lambert", None, "Zoe Lambert", "Paris", None, None, [], []),
    ("yamada", "twitter", "5005", "yamada_taro", "山田太郎", "Tokyo", None, None, [], []),
    ("yamada", "contacts", "uid-3", None, "山田太郎", "Tokyo", None, None, [], ["+81 3-1234-5678"]),
    # two different people with the same common name, on the same platform
    ("jsmith1", "linkedin", "john-smith-1", None, "John Smith", "Boston", None, None, [], []),
    ("jsmith2", "linkedin", "john-smith-2", None, "John Smith", "Denver", None, None, [], []),
    ("bill", "facebook", "bill okafor", None, "Bill Okafor", "Lagos", None, None, [], []),
    (
        "bill",
        "contacts",
        "uid-4",
        None,
        "William Okafor",
        "Lagos",
        None,
        None,
        ["bill@okafor.ng"],
        [],
    ),
    ("priya", "mastodon", "priya@hachyderm.io", "priya", "Priya N", None, None, None, [], []),
    ("nadia", "twitter", "6006", "nadia_k", "Nadia K.", None, None, None, [], []),
]


def aid(truth: str, platform: str) -> str:
    return make_id(
        "acc", truth, platform, next(a[2] for a in ACCOUNTS if a[0] == truth and a[1] == platform)
    )


def build(store: Store) -> None:
    rows, contacts = [], []
    for truth, platform, key, handle, name, loc, bio, website, emails, phones in ACCOUNTS:
        acc = make_id("acc", truth, platform, key)
        rows.append(
            {
                "account_id": acc,
                "platform": platform,
                "key": key,
                "handle": handle,
                "display_name": name,
                "location": loc,
                "bio": bio,
                "website": website,
            }
        )
        contacts += [{"account_id": acc, "kind": "email", "value": e} for e in emails]
        contacts += [{"account_id": acc, "kind": "phone", "value": p} for p in phones]
    store.upsert(schema.accounts, rows)
    store.upsert(schema.account_contacts, contacts)


def predicted_pairs(store: Store) -> set[frozenset[str]]:
    link = schema.account_links
    with store.connect() as conn:
        groups: dict[str, list[str]] = {}
        for acc, pid in conn.execute(sa.select(link.c.account_id, link.c.person_id)):
            groups.setdefault(pid, []).append(acc)
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}


def true_pairs() -> set[frozenset[str]]:
    by: dict[str, list[str]] = {}
    for a in ACCOUNTS:
        by.setdefault(a[0], []).append(make_id("acc", a[0], a[1], a[2]))
    return {frozenset(p) for g in by.values() for p in combinations(sorted(g), 2)}


@pytest.fixture
def resolved(store: Store) -> Store:
    build(store)
    resolve(store)
    return store


def test_precision_and_recall_of_auto_links(resolved: Store) -> None:
    got, want = predicted_pairs(resolved), true_pairs()
    tp = len(got & want)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(want)
    print(
        f"identity fixture: precision {precision:.2f}, recall {recall:.2f} "
        f"({tp}/{len(want)} true pairs, {len(got)} predicted)"
    )
    assert precision == 1.0  # a wrong auto-link merges two people: never acceptable here
    assert recall >= 0.8
    # the two John Smiths on LinkedIn are never merged
    assert frozenset((aid("jsmith1", "linkedin"), aid("jsmith2", "linkedin"))) not in got


def test_evidence_explains_each_link(resolved: Store) -> None:
    terrill = find_person(resolved, "terrillific")
    accounts = person_accounts(resolved, terrill["person_id"])
    assert {a["platform"] for a in accounts} == {"twitter", "mastodon", "linkedin", "contacts"}
    reasons = " | ".join(r for a in accounts for r in a["evidence"]["reasons"])
    assert "same email" in reasons
    assert "links to" in reasons
    assert terrill["display_name"] == "Thompson, Terrill" or "Terrill" in terrill["display_name"]


def test_rerun_is_deterministic_and_stable(resolved: Store) -> None:
    before = predicted_pairs(resolved)
    with resolved.connect() as conn:
        ids = sorted(conn.execute(sa.select(schema.people.c.person_id)).scalars())
    report = resolve(resolved)
    assert report.changed == 0
    assert predicted_pairs(resolved) == before
    with resolved.connect() as conn:
        assert sorted(conn.execute(sa.select(schema.people.c.person_id)).scalars()) == ids


def test_merge_split_undo_round_trip(resolved: Store) -> None:
    priya = find_person(resolved, "priya")["person_id"]
    nadia = find_person(resolved, "nadia")["person_id"]
    resolved.upsert(
        schema.notes,
        [
            {
                "note_id": "n1",
                "person_id": nadia,
                "kind": "need",
                "text": "looking for a mentor",
                "created_at": utcnow(),
            }
        ],
    )
    merge(resolved, priya, nadia)
    merged = find_person(resolved, "priya")
    assert merged["person_id"] == priya
    assert len(person_accounts(resolved, priya)) == 2
    with resolved.connect() as conn:
        assert conn.execute(sa.select(schema.notes.c.person_id)).scalar_one() == priya
    resolve(resolved)  # sticky: a re-run keeps the merge
    assert len(person_accounts(resolved, priya)) == 2
    undo(resolved)
    assert len(person_accounts(resolved, priya)) == 1
    assert len(person_accounts(resolved, find_person(resolved, "nadia")["person_id"])) == 1
    terrill = find_person(resolved, "terrillific")["person_id"]
    twitter = aid("terrill", "twitter")
    people_before = resolved.counts()["people"]
    split(resolved, twitter)
    assert twitter not in {a["account_id"] for a in person_accounts(resolved, terrill)}
    resolve(resolved)  # sticky: the split survives a re-run
    assert twitter not in {a["account_id"] for a in person_accounts(resolved, terrill)}
    assert resolved.counts()["people"] == people_before + 1
    undo(resolved)
    assert twitter in {a["account_id"] for a in person_accounts(resolved, terrill)}
    # the person the split made is gone with it: no empty namesake is left behind
    assert resolved.counts()["people"] == people_before
    assert find_person(resolved, "terrillific")["person_id"] == terrill
    with pytest.raises(InputError, match="nothing to undo"):
        undo(resolved)


def test_merge_keeps_what_the_user_set_on_the_absorbed_person(resolved: Store) -> None:
    priya = find_person(resolved, "priya")["person_id"]
    nadia = find_person(resolved, "nadia")["person_id"]
    people = schema.people
    with resolved.transaction() as conn:
        conn.execute(
            sa.update(people)
            .where(people.c.person_id == nadia)
            .values(
                reason_connected="met at PyCon",
                partner_stage="interact",
                cadence_days=30,
                tags=["mentor"],
            )
        )
        conn.execute(
            sa.update(people)
            .where(people.c.person_id == priya)
            .values(cadence_days=14, tags=["pycon"])
        )
    merge(resolved, priya, nadia)
    with resolved.connect() as conn:
        row = conn.execute(sa.select(people).where(people.c.person_id == priya)).mappings().one()
    assert row["reason_connected"] == "met at PyCon"
    assert row["partner_stage"] == "interact"
    assert row["cadence_days"] == 14  # the kept person's own setting wins
    assert row["tags"] == ["pycon", "mentor"]


def test_review_accept_and_reject(resolved: Store) -> None:
    # two accounts that look alike but give no decisive evidence are proposed, not linked
    resolved.upsert(
        schema.accounts,
        [
            {
                "account_id": "b1",
                "platform": "bluesky",
                "key": "did:plc:pn",
                "handle": "pnair.bsky.social",
                "display_name": "Priya N",
            },
            {
                "account_id": "b2",
                "platform": "bluesky",
                "key": "did:plc:nk",
                "handle": "nkhan.bsky.social",
                "display_name": "Nadia K.",
            },
        ],
    )
    resolve(resolved)
    pending = proposals(resolved)
    assert pending, "expected proposals"
    first = {pending[0]["a"]["account_id"], pending[0]["b"]["account_id"]}
    accept(resolved, 1)
    a, b = sorted(first)
    with resolved.connect() as conn:
        link = schema.account_links
        pa, pb = (
            conn.execute(sa.select(link.c.person_id).where(link.c.account_id == x)).scalar_one()
            for x in (a, b)
        )
    assert pa == pb
    left = proposals(resolved)
    assert all({x["a"]["account_id"], x["b"]["account_id"]} != first for x in left)
    if left:
        second = {left[0]["a"]["account_id"], left[0]["b"]["account_id"]}
        reject(resolved, 1)
        assert all(
            {x["a"]["account_id"], x["b"]["account_id"]} != second for x in proposals(resolved)
        )
        resolve(resolved)  # a rejected pair is never proposed again
        assert all(
            {x["a"]["account_id"], x["b"]["account_id"]} != second for x in proposals(resolved)
        )


def test_accept_above_takes_the_likely_ones_at_once_and_undo_reverts(resolved: Store) -> None:
    resolved.upsert(
        schema.accounts,
        [
            {
                "account_id": "b1",
                "platform": "bluesky",
                "key": "did:plc:pn",
                "handle": "pnair.bsky.social",
                "display_name": "Priya N",
            },
            {
                "account_id": "b2",
                "platform": "bluesky",
                "key": "did:plc:nk",
                "handle": "nkhan.bsky.social",
                "display_name": "Nadia K.",
            },
        ],
    )
    resolve(resolved)
    pending = proposals(resolved)
    assert pending, "expected proposals"
    threshold = pending[0]["score"]
    expected = [p for p in pending if p["score"] >= threshold]
    people_before = resolved.counts()["people"]
    assert accept_above(resolved, threshold) == len(expected)
    left = proposals(resolved)
    assert all(p["score"] < threshold for p in left)
    assert resolved.counts()["people"] < people_before
    undo(resolved)  # one undo reverts the whole batch
    assert resolved.counts()["people"] == people_before
    assert len(proposals(resolved)) == len(pending)
    with pytest.raises(InputError, match="score must be"):
        accept_above(resolved, 1.5)


def test_bad_input(resolved: Store) -> None:
    with pytest.raises(NotFound):
        find_person(resolved, "nobody at all")
    with pytest.raises(InputError, match="matches 2 people"):
        find_person(resolved, "john")
    with pytest.raises(NotFound):
        merge(resolved, "nope", find_person(resolved, "priya")["person_id"])
    with pytest.raises(NotFound):
        split(resolved, "no-such-account")
    with pytest.raises(NotFound):
        accept(resolved, 99)


def test_normalisers() -> None:
    assert name_tokens("Thompson, Terrill") == name_tokens("Terrill Thompson")
    assert name_tokens("Bill Okafor") == name_tokens("William Okafor")
    assert email_key("A.B+x@gmail.com") == email_key("ab@googlemail.com")
    assert phone_key("+1 (312) 555-0147") == phone_key("312.555.0147")
    assert url_reference("mobile.twitter.com/Ada") == "twitter:ada"
    assert url_reference("https://t.co/abc") is None


@given(st.text(max_size=60))
def test_name_tokens_never_fail(text: str) -> None:
    tokens = name_tokens(text)
    assert tokens == tuple(sorted(tokens))
    assert all(t.isascii() for t in tokens)
