"""The paginated people list (relationships.views.page), the indexes behind it, and the
person-page helpers, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netweave.errors import InputError, NotFound
from netweave.identity.ops import get_person
from netweave.relationships import views
from netweave.relationships.lists import add_to_list, create_list, lists_of
from netweave.relationships.ties import TieStats, tie_strength
from netweave.store import Store, schema

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _people(store: Store) -> None:
    people = [
        ("p1", "ada Lovelace", 0.9, 3, False),
        ("p2", "Grace Hopper", 0.5, 40, False),
        ("p3", "Zoë 100%_real", 0.7, None, False),
        ("p4", "Unscored Person", None, None, False),
        ("p5", "Mia Owner", None, None, True),
        ("p6", "Bob", 0.5, 10, False),
    ]
    store.upsert(
        schema.people,
        [
            {"person_id": pid, "display_name": name, "is_owner": owner, "created_at": NOW,
             "updated_at": NOW}
            for pid, name, _, _, owner in people
        ],
    )  # fmt: skip
    store.upsert(
        schema.tie_scores,
        [
            {
                "person_id": pid,
                "strength": strength,
                "raw": strength,
                "decay": 1.0,
                "dimensions": {},
                "reasons": [],
                "interactions": 1,
                "words": 1,
                "private": 0,
                "given": 0,
                "received": 0,
                "giving": 0,
                "asks": 0,
                "got_giving": 0,
                "platforms": 1,
                "last_contact": None if days is None else NOW - timedelta(days=days),
                "suggested_circle": 5 if strength > 0.6 else 50,
                "computed_at": NOW,
            }
            for pid, _, strength, days, _ in people
            if strength is not None
        ],
    )


def _ids(store: Store, **kw: object) -> list[str]:
    ties, _ = views.page(store, now=NOW, **kw)  # type: ignore[arg-type]
    return [t.person_id for t in ties]


def test_pages_follow_the_sort_and_leave_the_owner_out(store: Store) -> None:
    _people(store)
    assert _ids(store, sort="strength") == ["p1", "p3", "p6", "p2", "p4"]
    assert _ids(store, sort="recency") == ["p1", "p6", "p2", "p3", "p4"]
    assert _ids(store, sort="name") == ["p1", "p6", "p2", "p4", "p3"]
    everyone = _ids(store, sort="strength")
    walked = []
    for offset in range(0, 6, 2):
        ties, more = views.page(store, sort="strength", limit=2, offset=offset, now=NOW)
        walked += [t.person_id for t in ties]
        assert more == (offset + 2 < len(everyone))
    assert walked == everyone
    assert _ids(store, sort="strength", offset=4) == ["p4"]
    assert _ids(store, sort="strength", offset=5) == []
    first = views.page(store, sort="strength", now=NOW)[0][0]
    assert (first.name, first.days_since, first.circle, first.circle_source) == (
        "ada Lovelace",
        3,
        5,
        "suggested",
    )


def test_search_and_circle_filters(store: Store) -> None:
    _people(store)
    assert _ids(store, sort="name", search="ADA") == ["p1"]
    assert _ids(store, sort="strength", search="o") == ["p1", "p3", "p6", "p2", "p4"]
    assert _ids(store, sort="name", search="100%_") == ["p3"]
    assert _ids(store, sort="name", search="0%x") == []
    assert _ids(store, sort="strength", circle=5) == ["p1", "p3"]
    assert _ids(store, sort="name", search="mia") == []  # the owner is never listed
    with pytest.raises(InputError, match="unknown sort"):
        views.page(store, sort="loudest")
    with pytest.raises(InputError, match="limit"):
        views.page(store, limit=0)


@pytest.mark.parametrize("window", [3, 1000])
def test_a_search_by_strength_reads_the_strongest_first_and_falls_back_exactly(
    store: Store, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    # a small window: the common name fills a page from the strongest few, the rare one needs
    # the whole search; both must page exactly like sorting every match
    monkeypatch.setattr(views, "_SEARCH_WINDOW", window)
    _people(store)
    more = [(f"q{n}", f"{'Ann' if n % 3 else 'Rare'} Example {n}", n / 40) for n in range(30)]
    store.upsert(
        schema.people,
        [{"person_id": pid, "display_name": name, "is_owner": False, "created_at": NOW,
          "updated_at": NOW} for pid, name, _ in more],
    )  # fmt: skip
    store.upsert(
        schema.tie_scores,
        [{"person_id": pid, "strength": strength, "raw": strength, "decay": 1.0,
          "dimensions": {}, "reasons": [], "interactions": 1, "words": 1, "private": 0,
          "given": 0, "received": 0, "giving": 0, "asks": 0, "got_giving": 0, "platforms": 1,
          "last_contact": NOW - timedelta(days=n), "suggested_circle": 50, "computed_at": NOW}
         for n, (pid, _, strength) in enumerate(more)],
    )  # fmt: skip
    for needle in ("ann", "RARE", "example"):
        matches = [(pid, st) for pid, name, st in more if needle.lower() in name.lower()]
        expected = [pid for pid, _ in sorted(matches, key=lambda m: (m[1], m[0]), reverse=True)]
        for limit in (2, 5, 50):
            walked = []
            for offset in range(0, len(expected) + limit, limit):
                ties, has_more = views.page(
                    store, sort="strength", search=needle, limit=limit, offset=offset, now=NOW
                )
                walked += [t.person_id for t in ties]
                assert has_more == (offset + limit < len(expected))
            assert walked == expected, (needle, limit)
        # newest contact first: q0 was contacted today, q1 a day ago...
        recent = [pid for pid, name, _ in more if needle.lower() in name.lower()]
        assert _ids(store, sort="recency", search=needle, limit=500) == recent


def test_person_helpers(store: Store) -> None:
    _people(store)
    assert get_person(store, "p2")["display_name"] == "Grace Hopper"
    with pytest.raises(NotFound):
        get_person(store, "p2-nope")
    made = create_list(store, "Improv friends", "interest")
    add_to_list(store, made["list_id"], "p2")
    assert [x["name"] for x in lists_of(store, "p2")] == ["Improv friends"]
    assert lists_of(store, "p1") == []
    assert views.timeline(store, "p1") == []


def test_every_index_of_the_schema_is_made_by_the_migrations(store: Store) -> None:
    """schema.py and the migrations stay in sync (expression indexes included, which
    SQLAlchemy does not reflect on SQLite, hence the catalogue query)."""
    catalogue = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if store.dialect == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    with store.connect() as conn:
        made = set(conn.exec_driver_sql(catalogue).scalars())
    wanted = {i.name for t in schema.metadata.tables.values() for i in t.indexes}
    assert wanted <= made, wanted - made
    assert {"ix_tie_scores_rank", "ix_tie_scores_recent", "ix_people_name"} <= made


def test_a_first_contact_after_now_does_not_break_the_score() -> None:
    later = NOW + timedelta(days=3)
    stats = TieStats(interactions=2, first_contact=later, last_contact=later)
    assert tie_strength(stats, NOW).dimensions["duration"] == 0.0
