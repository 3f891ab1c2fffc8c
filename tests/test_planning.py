"""Planning on constructed data: agenda within budget, rules obeyed, modes, trips, drafts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from netweave.config import Settings
from netweave.errors import InputError
from netweave.planning import agenda, drafts, rules, trips
from netweave.relationships.health import recompute
from netweave.relationships.logbook import set_circle
from netweave.relationships.notes import add_note
from netweave.store import Store, make_id, schema

NOW = datetime(2024, 6, 3, 9, tzinfo=UTC)  # a Monday
SATURDAY = datetime(2024, 6, 8, 9, tzinfo=UTC)
OWNER = "owner"


def _pid(n: str) -> str:
    return make_id("p", n)


def build(store: Store) -> None:
    names = ["ada", "bo", "cy", "dee", "eve", "fay"]
    cities = {
        "ada": "Chicago, IL",
        "bo": "chicago, illinois, united states",
        "cy": "Berlin",
        "dee": "Chi-town",
        "eve": None,
        "fay": "Paris",
    }
    store.upsert(
        schema.accounts,
        [
            {"account_id": OWNER, "platform": "mastodon", "key": "me", "is_owner": True},
            *(
                {
                    "account_id": n,
                    "platform": "mastodon",
                    "key": n,
                    "display_name": n.title(),
                    "location": cities[n],
                }
                for n in names
            ),
        ],
    )
    store.upsert(
        schema.people,
        [
            {
                "person_id": _pid(n),
                "display_name": n.title(),
                "created_at": NOW,
                "updated_at": NOW - timedelta(days=400),
                "location": cities[n],
            }
            for n in names
        ],
    )
    store.upsert(
        schema.account_links,
        [
            {"account_id": n, "person_id": _pid(n), "method": "auto", "created_at": NOW}
            for n in names
        ],
    )
    rows = [
        # Ada asks for help in my topic (and is a close tie: lots of DMs both ways, long ago)
        {
            "interaction_id": "q1",
            "platform": "mastodon",
            "kind": "post",
            "actor_account": "ada",
            "occurred_at": NOW - timedelta(days=1),
            "direction": "received",
            "text": "Anyone know a good guide to python packaging?",
            "thread_id": "t1",
        },
        # Bo gave me something this week
        {
            "interaction_id": "g1",
            "platform": "mastodon",
            "kind": "mention",
            "actor_account": "bo",
            "target_account": OWNER,
            "occurred_at": NOW - timedelta(days=2),
            "direction": "received",
            "text": "Thank you so much for the intro!",
        },
    ]
    for k in range(12):
        rows.append(
            {
                "interaction_id": f"d{k}",
                "platform": "mastodon",
                "kind": "dm",
                "actor_account": OWNER if k % 2 else "cy",
                "target_account": "cy" if k % 2 else OWNER,
                "occurred_at": NOW - timedelta(days=60 + k),
                "direction": "given" if k % 2 else "received",
                "text": "dinner? miss you",
            }
        )
    # Dee: I wrote three times, no answer
    for k in range(3):
        rows.append(
            {
                "interaction_id": f"x{k}",
                "platform": "mastodon",
                "kind": "dm",
                "actor_account": OWNER,
                "target_account": "dee",
                "occurred_at": NOW - timedelta(days=50 + k),
                "direction": "given",
                "text": "hello?",
            }
        )
    store.upsert(schema.interactions, rows)
    recompute(store, now=NOW, settings=Settings())
    set_circle(store, _pid("cy"), 5)
    set_circle(store, _pid("dee"), 15)
    add_note(store, _pid("eve"), "Got married!", "life_event", when=NOW - timedelta(days=1))
    store.upsert(
        schema.people,
        [
            {
                "person_id": _pid("fay"),
                "display_name": "Fay",
                "created_at": NOW,
                "updated_at": NOW,
                "partner_stage": "interact",
                "partner_stage_since": NOW - timedelta(days=30),
            }
        ],
        on_conflict="fill",
    )


@pytest.fixture
def world(store: Store) -> Store:
    build(store)
    return store


def plan(store: Store, minutes: int, mode: str, now: datetime = NOW) -> list[agenda.Action]:
    return agenda.plan_day(store, minutes=minutes, mode=mode, topics=["python packaging"], now=now)


def test_morning_agenda_fits_budget_and_mixes_kinds(world: Store) -> None:
    got = plan(world, 30, "morning")
    assert sum(a.minutes for a in got) <= 30
    kinds = {a.kind for a in got}
    assert {"help", "digest"} <= kinds
    assert len({a.person_id for a in got if a.person_id}) == len([a for a in got if a.person_id])
    help_action = next(a for a in got if a.kind == "help")
    assert help_action.name == "Ada"
    assert "python packaging" in help_action.reason
    assert plan(world, 30, "morning") == got  # deterministic


def test_modes(world: Store) -> None:
    work = plan(world, 60, "work")
    assert {a.kind for a in work} <= agenda.MODE_KINDS["work"]
    assert "partner" in {a.kind for a in work}
    evening = plan(world, 60, "evening")
    assert {a.kind for a in evening} <= agenda.MODE_KINDS["evening"]
    assert "congratulate" in {a.kind for a in evening}


def test_rules_are_obeyed(world: Store) -> None:
    rules.add_rule(world, "max_minutes", "10")
    assert sum(a.minutes for a in plan(world, 60, "morning")) <= 10
    rules.remove_rule(world, "max_minutes")
    assert "Dee" in {a.name for a in plan(world, 60, "evening")}
    rules.add_rule(world, "no_dm_without_reply", "2")
    assert "Dee" not in {a.name for a in plan(world, 60, "evening")}
    rules.add_rule(world, "no_work_on_weekends")
    assert plan(world, 60, "work", now=SATURDAY) == [] or all(
        a.kind not in agenda.WORK_KINDS for a in plan(world, 60, "work", now=SATURDAY)
    )
    rules.add_rule(world, "avoid_topics", "packaging")
    assert "help" not in {a.kind for a in plan(world, 60, "morning")}
    with pytest.raises(InputError):
        rules.add_rule(world, "max_minutes", "lots")
    with pytest.raises(InputError):
        rules.add_rule(world, "be_nice")


def test_marking_done_feeds_the_ledger(world: Store) -> None:
    got = plan(world, 30, "evening")
    first = agenda.day_items(world, NOW.date())[0]
    agenda.mark(world, "1", "done", day=NOW.date())
    with world.connect() as conn:
        manual = conn.execute(
            schema.interactions.select().where(schema.interactions.c.platform == "manual")
        ).all()
    assert len(manual) == (1 if first["person_id"] else 0)
    again = plan(world, 30, "evening")
    assert first["item_id"] not in {agenda.item_id(NOW.date(), a) for a in again}
    assert got
    with pytest.raises(InputError):
        agenda.mark(world, "99", "done", day=NOW.date())
    with pytest.raises(InputError):
        plan(world, 30, "night")


def test_trip_finds_people_by_normalised_place(world: Store) -> None:
    found = trips.trip(world, "Chicago")
    assert {m.name for m in found} == {"Ada", "Bo", "Dee"}
    text = trips.ics("Chicago", date(2024, 6, 10), date(2024, 6, 11), found)
    assert text.count("BEGIN:VEVENT") == 3
    assert "DTSTART:20240610T180000" in text
    with pytest.raises(InputError):
        trips.ics("Chicago", date(2024, 6, 11), date(2024, 6, 10), found)


def test_check_draft(world: Store) -> None:
    assert drafts.check_draft(world, "Congrats on the launch!") == []
    assert [f["rule"] for f in drafts.check_draft(world, "Buy my course")] == ["self-promotion"]
    rules.add_rule(world, "avoid_topics", "politics")
    found = drafts.check_draft(world, "Some thoughts on politics " + "x" * 600)
    assert [f["rule"] for f in found] == ["avoid_topics", "length"]
