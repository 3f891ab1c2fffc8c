"""Who talks about a topic, on SQLite FTS5 and PostgreSQL tsvector, with hand-made posts."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from netweave.errors import InputError
from netweave.listening.search import ensure_index, parse_query
from netweave.listening.who import who
from netweave.store import Store, make_id, schema

NOW = datetime(2024, 6, 1, tzinfo=UTC)
OWNER = make_id("acc", "owner")


def _acc(name: str) -> str:
    return make_id("acc", name)


def build(store: Store) -> None:
    names = ["Ada", "Bo", "Cy", "Dee"]
    store.upsert(
        schema.accounts,
        [
            {"account_id": OWNER, "platform": "twitter", "key": "owner", "is_owner": True},
            *(
                {
                    "account_id": _acc(n),
                    "platform": "mastodon" if n == "Dee" else "twitter",
                    "key": n.lower(),
                    "display_name": n,
                }
                for n in names
            ),
        ],
    )
    store.upsert(
        schema.people,
        [
            {"person_id": make_id("p", n), "display_name": n, "created_at": NOW, "updated_at": NOW}
            for n in names[:3]
        ],
    )  # Dee is not resolved to a person yet
    store.upsert(
        schema.account_links,
        [
            {
                "account_id": _acc(n),
                "person_id": make_id("p", n),
                "method": "auto",
                "created_at": NOW,
            }
            for n in names[:3]
        ],
    )
    posts = [
        ("Ada", 2, "Python packaging is finally getting simpler with pyproject"),
        ("Ada", 10, "My talk on python packaging and wheels, slides inside"),
        ("Ada", 40, "Thread: what I learned maintaining a packaging tool in Python"),
        ("Bo", 400, "python packaging was a mess back then"),
        ("Bo", 500, "more python packaging grumbles"),
        ("Bo", 600, "python packaging, again"),
        ("Bo", 700, "python packaging, once more"),
        ("Cy", 5, "Accessible data tables: a short guide"),
        ("Dee", 3, "Moving my python packaging notes to the fediverse"),
        ("owner", 1, "I love python packaging"),
    ]
    rows = []
    for n, (name, days, text) in enumerate(posts):
        actor = OWNER if name == "owner" else _acc(name)
        rows.append(
            {
                "interaction_id": make_id("i", n),
                "kind": "post",
                "platform": "mastodon" if name == "Dee" else "twitter",
                "actor_account": actor,
                "occurred_at": NOW - timedelta(days=days),
                "text": text,
                "url": f"https://example.org/{n}",
                "direction": "given" if name == "owner" else "neutral",
            }
        )
    store.upsert(schema.interactions, rows)


@pytest.fixture
def talk(store: Store) -> Store:
    build(store)
    return store


def test_people_ranked_by_volume_and_recency(talk: Store) -> None:
    got = who(talk, "python packaging", samples=3, now=NOW)
    assert [s.name for s in got] == ["Ada", "Dee", "Bo"]
    ada = got[0]
    assert (ada.posts, ada.recent_180, ada.recent_30) == (3, 3, 2)
    assert ada.person_id == make_id("p", "Ada")
    assert [x["text"][:14] for x in ada.samples] == [
        "Python packagi",
        "My talk on pyt",
        "Thread: what I",
    ]
    latest_only = who(talk, "python packaging", now=NOW)
    assert [len(x.samples) for x in latest_only] == [1, 1, 1]
    assert latest_only[0].samples[0]["text"].startswith("Python packaging is finally")
    assert got[1].person_id is None  # an account not resolved to a person still shows
    assert got[2].posts == 4
    assert got[2].recent_180 == 0


def test_filters(talk: Store) -> None:
    assert [s.name for s in who(talk, "python packaging", since=timedelta(days=30), now=NOW)] == [
        "Ada",
        "Dee",
    ]
    assert [s.name for s in who(talk, "packaging", platform="mastodon", now=NOW)] == ["Dee"]
    assert who(talk, "kubernetes", now=NOW) == []
    assert [s.name for s in who(talk, "data tables", now=NOW)] == ["Cy"]


def test_other_forms_of_a_word_match(talk: Store) -> None:
    # the index stems English words: the topic "accessibility" finds "Accessible data tables"
    assert [s.name for s in who(talk, "accessibility", now=NOW)] == ["Cy"]
    assert [s.name for s in who(talk, "table", now=NOW)] == ["Cy"]
    assert [s.name for s in who(talk, "packages", since=timedelta(days=30), now=NOW)] == [
        "Ada",
        "Dee",
    ]


@pytest.mark.parametrize("query", ['"', "AND", "*", "OR NOT", "  ", "(", "NEAR"])
def test_operator_only_queries_are_a_clear_error(talk: Store, query: str) -> None:
    with pytest.raises(InputError, match="no words to search"):
        who(talk, query, now=NOW)


@pytest.mark.parametrize(
    "query",
    [
        'python"',
        "packaging*",
        "python AND",
        "NEAR(python",
        "python) OR (",
        "-python",
        "c++",
        "o'reilly",
    ],
)
def test_fts_syntax_is_searched_as_words_never_an_sql_error(talk: Store, query: str) -> None:
    who(talk, query, now=NOW)


@given(st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_any_query_is_safe(query: str) -> None:
    store = Store.open("sqlite://")
    build(store)
    with contextlib.suppress(InputError):
        who(store, query, now=NOW)


def test_index_follows_updates_and_deletes(talk: Store) -> None:
    ensure_index(talk)
    i = schema.interactions
    with talk.transaction() as conn:
        conn.execute(
            sa.update(i)
            .where(i.c.interaction_id == make_id("i", 7))
            .values(text="Python packaging for accessibility tools")
        )
        conn.execute(sa.delete(i).where(i.c.actor_account == _acc("Bo")))
    assert [s.name for s in who(talk, "python packaging", now=NOW)] == ["Ada", "Dee", "Cy"]
    assert who(talk, "grumbles", now=NOW) == []
    assert who(talk, "data tables", now=NOW) == []
    # new rows after the deletes are found (rowids of deleted rows may be reused)
    talk.upsert(
        i,
        [
            {
                "interaction_id": "new",
                "kind": "post",
                "platform": "twitter",
                "actor_account": _acc("Bo"),
                "occurred_at": NOW,
                "text": "zeppelin packaging",
                "direction": "neutral",
            }
        ],
    )
    assert [s.name for s in who(talk, "zeppelin", now=NOW)] == ["Bo"]
    # a new row matching a query that already has answers: the stale index is seen in the
    # ranking's own rows and brought up to date before answering
    before = [s.name for s in who(talk, "python packaging", now=NOW)]
    talk.upsert(
        i,
        [
            {
                "interaction_id": f"more{n}",
                "kind": "post",
                "platform": "twitter",
                "actor_account": _acc("Bo"),
                "occurred_at": NOW,
                "text": "python packaging again",
                "direction": "neutral",
            }
            for n in range(9)
        ],
    )
    after = [s.name for s in who(talk, "python packaging", now=NOW)]
    assert "Bo" not in before
    assert after[0] == "Bo"


def test_parse_query_keeps_phrases() -> None:
    assert parse_query('"python packaging" tools') == ["python packaging", "tools"]
    assert parse_query("Zoë's notes") == ["zoë's", "notes"]


def test_topics_of_a_person(talk: Store) -> None:
    from netweave.listening.topics import person_topics

    terms = [t for t, _ in person_topics(talk, [_acc("Ada")], top=5)]
    assert "packaging" in terms
    assert "python" not in terms[:1] or "packaging" in terms  # distinctive words first
    assert all(t not in {"the", "and", "with"} for t in terms)
    assert person_topics(talk, [_acc("nobody")]) == []
