"""Relationship health on a constructed ledger with hand-computed expectations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from netweave.config import Settings
from netweave.errors import InputError, NotFound
from netweave.relationships.health import recompute
from netweave.relationships.lists import (
    add_to_list,
    all_lists,
    create_list,
    find_list,
    list_people,
    remove_from_list,
)
from netweave.relationships.logbook import log_interaction, set_cadence, set_circle
from netweave.relationships.notes import add_note, notes_for, nothing_learned
from netweave.relationships.views import cooling, explain, ledger, losing_touch, ranked
from netweave.store import Store, make_id, schema

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
OWNER = make_id("acc", "owner")


def _days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def build(store: Store) -> None:
    """Owner + 3 people: Ada (close, DMs both ways), Bo (one-way broadcasts), Cy (old tie)."""
    accounts = [{"account_id": OWNER, "platform": "twitter", "key": "1", "is_owner": True}]
    people = []
    links = []
    for name, platforms in (
        ("Ada", ("twitter", "mastodon")),
        ("Bo", ("twitter",)),
        ("Cy", ("twitter",)),
    ):
        pid = make_id("person", name)
        people.append(
            {
                "person_id": pid,
                "display_name": name,
                "created_at": NOW,
                "updated_at": _days_ago(400),
            }
        )
        for platform in platforms:
            aid = make_id("acc", name, platform)
            accounts.append({"account_id": aid, "platform": platform, "key": f"{name}-{platform}"})
            links.append(
                {
                    "account_id": aid,
                    "person_id": pid,
                    "method": "auto",
                    "score": 1.0,
                    "created_at": NOW,
                }
            )
    store.upsert(schema.accounts, accounts)
    store.upsert(schema.people, people)
    store.upsert(schema.account_links, links)
    ada_t, ada_m = make_id("acc", "Ada", "twitter"), make_id("acc", "Ada", "mastodon")
    bo, cy = make_id("acc", "Bo", "twitter"), make_id("acc", "Cy", "twitter")
    rows = []

    def add(
        n: int,
        kind: str,
        actor: str,
        target: str,
        days: float,
        text: str,
        platform: str = "twitter",
    ) -> None:
        given = actor == OWNER
        rows.append(
            {
                "interaction_id": make_id("i", n),
                "platform": platform,
                "kind": kind,
                "actor_account": actor,
                "target_account": target,
                "occurred_at": _days_ago(days),
                "text": text,
                "direction": "given" if given else "received",
            }
        )

    add(1, "dm", OWNER, ada_t, 2, "Dinner Thursday? Miss you!")
    add(2, "dm", ada_t, OWNER, 1, "Yes! Thank you so much for the intro to Priya")
    add(3, "reply", OWNER, ada_m, 40, "Congrats on the launch, well deserved!", "mastodon")
    add(4, "mention", OWNER, bo, 10, "Download my new e-book, @bo!")
    add(5, "mention", OWNER, bo, 11, "Buy my course today")
    add(6, "reply", OWNER, cy, 500, "Great talk yesterday")
    add(7, "reply", cy, OWNER, 499, "Thanks, glad you liked it")
    store.upsert(schema.interactions, rows)
    store.upsert(
        schema.edges,
        [
            {"from_account": OWNER, "to_account": ada_t, "kind": "follows"},
            {"from_account": ada_t, "to_account": OWNER, "kind": "follows"},
            {"from_account": OWNER, "to_account": bo, "kind": "follows"},
        ],
    )


def pid(name: str) -> str:
    return make_id("person", name)


@pytest.fixture
def ledger_store(store: Store) -> Store:
    build(store)
    recompute(store, now=NOW, settings=Settings())
    return store


def test_scores_and_aggregates(ledger_store: Store) -> None:
    ada = explain(ledger_store, pid("Ada"))
    assert (ada["interactions"], ada["given"], ada["received"], ada["private"]) == (3, 2, 1, 2)
    assert ada["platforms"] == 2
    assert ada["giving"] == 1  # the congratulations; the dinner DM is neutral
    assert ada["got_giving"] == 1  # her thanks
    assert ada["last_contact"] == _days_ago(1)
    assert ada["dimensions"]["structural"] >= 0.5  # mutual follow
    bo = explain(ledger_store, pid("Bo"))
    assert (bo["given"], bo["received"], bo["asks"], bo["giving"]) == (2, 0, 2, 0)
    assert bo["dimensions"]["reciprocity"] == 0.0
    cy = explain(ledger_store, pid("Cy"))
    assert cy["decay"] == pytest.approx(0.5 ** (499 / 180), rel=1e-3)
    assert any("last contact 499 days ago" in r for r in cy["reasons"])


def test_ranking_orders(ledger_store: Store) -> None:
    by_strength = [t.name for t in ranked(ledger_store, sort="strength", now=NOW)]
    assert by_strength == ["Ada", "Bo", "Cy"]
    by_recency = [t.name for t in ranked(ledger_store, sort="recency", now=NOW)]
    assert by_recency == ["Ada", "Bo", "Cy"]
    assert [t.name for t in ranked(ledger_store, sort="name", limit=1, offset=1, now=NOW)] == ["Bo"]
    with pytest.raises(InputError, match="unknown sort"):
        ranked(ledger_store, sort="followers")


def test_cadence_losing_touch_and_logging_resets_the_clock(ledger_store: Store) -> None:
    set_circle(ledger_store, pid("Cy"), 15)  # monthly by default
    overdue = losing_touch(ledger_store, now=NOW)
    assert [t.name for t in overdue] == ["Cy"]
    assert overdue[0].overdue_days == 499 - 30
    set_cadence(ledger_store, pid("Cy"), 600, 700)
    assert losing_touch(ledger_store, now=NOW) == []
    set_cadence(ledger_store, pid("Cy"), None)
    log_interaction(ledger_store, pid("Cy"), "call", when=_days_ago(3), text="caught up")
    recompute(ledger_store, now=NOW, settings=Settings())
    assert losing_touch(ledger_store, now=NOW) == []
    assert explain(ledger_store, pid("Cy"))["last_contact"] == _days_ago(3)
    with pytest.raises(InputError):
        set_circle(ledger_store, pid("Cy"), 7)
    with pytest.raises(InputError):
        set_cadence(ledger_store, pid("Cy"), 30, 10)
    with pytest.raises(NotFound):
        log_interaction(ledger_store, "nobody", "call")


def test_incremental_recompute_touches_only_affected_people(ledger_store: Store) -> None:
    assert recompute(ledger_store, now=NOW, settings=Settings()).people == 0
    log_interaction(ledger_store, pid("Bo"), "meeting", when=_days_ago(1))
    report = recompute(ledger_store, now=NOW, settings=Settings())
    assert report.people == 1
    assert report.labelled == 1
    assert recompute(ledger_store, full=True, now=NOW, settings=Settings()).people == 3


def test_cooling_alert_when_a_strong_tie_falls(ledger_store: Store) -> None:
    later = NOW + timedelta(days=120)
    recompute(ledger_store, full=True, now=later, settings=Settings())
    assert cooling(ledger_store, now=later, window_days=60) == []  # the peak is older
    alerts = cooling(ledger_store, now=later, window_days=150)
    assert [a["name"] for a in alerts] == ["Ada"]
    assert alerts[0]["strength"] < alerts[0]["peak"]


def test_give_get_ledger_by_month(ledger_store: Store) -> None:
    months = {m["period"]: m for m in ledger(ledger_store)}
    may = months["2024-05"]
    assert (may["gave"], may["asked"], may["received"]) == (0, 2, 1)
    assert months["2024-04"]["gave"] == 1
    ada = ledger(ledger_store, person_id=pid("Ada"))
    assert sum(m["gave"] for m in ada) == 1
    assert sum(m["received"] for m in ada) == 1


def test_notes_needs_first_and_nothing_learned(ledger_store: Store) -> None:
    set_circle(ledger_store, pid("Ada"), 5)
    assert [r["display_name"] for r in nothing_learned(ledger_store, now=NOW)] == ["Ada"]
    add_note(ledger_store, pid("Ada"), "Loves climbing", "interest", when=_days_ago(5))
    add_note(ledger_store, pid("Ada"), "Looking for a co-founder", "need", when=_days_ago(20))
    assert [n["kind"] for n in notes_for(ledger_store, pid("Ada"))] == ["need", "interest"]
    assert nothing_learned(ledger_store, now=NOW) == []
    with pytest.raises(InputError):
        add_note(ledger_store, pid("Ada"), "x", "gossip")
    with pytest.raises(NotFound):
        add_note(ledger_store, "nobody", "x")


def test_lists(ledger_store: Store) -> None:
    lst = create_list(ledger_store, "Accessibility folks", "interest")
    assert create_list(ledger_store, "Accessibility folks", "interest") == lst
    add_to_list(ledger_store, lst["list_id"], pid("Ada"))
    add_to_list(ledger_store, lst["list_id"], pid("Bo"))
    assert [p["display_name"] for p in list_people(ledger_store, lst["list_id"])] == ["Ada", "Bo"]
    assert find_list(ledger_store, "access")["list_id"] == lst["list_id"]
    assert remove_from_list(ledger_store, lst["list_id"], pid("Bo")) == 1
    assert [r["members"] for r in all_lists(ledger_store)] == [1]
    with pytest.raises(NotFound):
        find_list(ledger_store, "nope")
    with pytest.raises(NotFound):
        add_to_list(ledger_store, lst["list_id"], "nobody")
    recompute(ledger_store, now=NOW, settings=Settings())
    assert explain(ledger_store, pid("Ada"))["dimensions"]["structural"] > 0.5


def test_scores_survive_reopen(db_url: str) -> None:
    s = Store.open(db_url)
    build(s)
    recompute(s, now=NOW, settings=Settings())
    s.close()
    again = Store.open(db_url)
    with again.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(schema.tie_scores)).scalar_one()
    assert n == 3
    again.close()


def _scores(store: Store) -> list[tuple[object, ...]]:
    ts = schema.tie_scores
    with store.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                sa.select(ts.c.person_id, ts.c.strength, ts.c.interactions, ts.c.platforms)
                .add_columns(ts.c.given, ts.c.received, ts.c.giving, ts.c.asks, ts.c.dimensions)
                .order_by(ts.c.person_id)
            )
        ]


def test_many_people_are_read_in_one_pass_with_the_same_scores(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past _SCAN_FROM people (a first import) recompute reads every link and sum in one pass
    and keeps the people it scores: the scores are those of the lookups, and an incremental
    run still touches only the people affected."""
    from netweave.relationships import health

    build(store)
    recompute(store, now=NOW, settings=Settings())
    looked_up = _scores(store)
    with store.transaction() as conn:
        conn.execute(sa.delete(schema.tie_scores))
        conn.execute(sa.delete(schema.interaction_facts))
        conn.execute(sa.delete(schema.sync_state).where(schema.sync_state.c.connector == "facts"))
    monkeypatch.setattr(health, "_SCAN_FROM", 0)
    assert recompute(store, now=NOW, settings=Settings()).people == 3
    assert _scores(store) == looked_up
    log_interaction(store, pid("Bo"), "meeting", when=_days_ago(1))
    assert recompute(store, now=NOW, settings=Settings()).people == 1


def test_labellers_taking_turns_are_all_stopped_when_the_writer_stops() -> None:
    """Two labelling workers feed one writer in turn; if the writer stops early (a failed
    write) or a worker fails, every worker is closed, none is left running."""
    from collections.abc import Generator

    from netweave.relationships.health import _taking_turns

    closed: list[str] = []

    def worker(name: str, n: int, fail_at: int | None = None) -> Generator[str, None, None]:
        try:
            for i in range(n):
                if i == fail_at:
                    raise RuntimeError(f"{name} failed")
                yield f"{name}{i}"
        finally:
            closed.append(name)

    a, b = worker("a", 3), worker("b", 3)  # held here: only an explicit close stops them
    turns = _taking_turns([a, b])
    assert [next(turns), next(turns), next(turns)] == ["a0", "b0", "a1"]
    turns.close()
    assert sorted(closed) == ["a", "b"]

    closed.clear()
    a, b = worker("a", 5), worker("b", 5, fail_at=1)
    with pytest.raises(RuntimeError, match="b failed"):
        list(_taking_turns([a, b]))
    assert sorted(closed) == ["a", "b"]
