"""Goals on a constructed ledger with hand-computed key results, pace and revisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from netweave.config import Settings
from netweave.errors import InputError, NotFound
from netweave.goals.model import (
    TEMPLATES,
    busy_vs_productive,
    close_goal,
    create_goal,
    find_goal,
    list_goals,
    report,
    revise_goal,
)
from netweave.relationships.health import recompute
from netweave.store import Store, make_id, schema

START = datetime(2024, 1, 1, tzinfo=UTC)
DEADLINE = datetime(2024, 4, 1, tzinfo=UTC)
OWNER = "owner"


def _pid(n: str) -> str:
    return make_id("p", n)


def build(store: Store) -> None:
    names = ["ada", "bo", "cy"]
    store.upsert(
        schema.accounts,
        [
            {"account_id": OWNER, "platform": "twitter", "key": "me", "is_owner": True},
            *(
                {"account_id": n, "platform": "twitter", "key": n, "display_name": n.title()}
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
                "created_at": START,
                "updated_at": START,
            }
            for n in names
        ],
    )
    store.upsert(
        schema.account_links,
        [
            {"account_id": n, "person_id": _pid(n), "method": "auto", "created_at": START}
            for n in names
        ],
    )
    rows = []

    def add(
        iid: str,
        who: str,
        given: bool,
        when: datetime,
        text: str,
        kind: str = "reply",
        thread: str | None = None,
    ) -> None:
        rows.append(
            {
                "interaction_id": iid,
                "platform": "twitter",
                "kind": kind,
                "actor_account": OWNER if given else who,
                "target_account": who if given else OWNER,
                "occurred_at": when,
                "text": text,
                "direction": "given" if given else "received",
                "thread_id": thread,
            }
        )

    # Ada: a conversation in January (both sides) and 3 exchanges each way -> deepened
    for k in range(3):
        add(
            f"a{k}g",
            "ada",
            True,
            START + timedelta(days=5 + k),
            "Here's how I fixed it: pin it",
            thread="t-ada",
        )
        add(
            f"a{k}r",
            "ada",
            False,
            START + timedelta(days=5 + k, hours=2),
            "Thanks so much!",
            thread="t-ada",
        )
    # Bo: first contact in the window, an introduction; Cy: known before the window
    add("b1", "bo", True, START + timedelta(days=20), "You two should meet: @bo and @cy")
    add("c0", "cy", False, START - timedelta(days=30), "hello from last year")
    # edge of the window: exactly at the deadline does not count; one second before does
    add("e1", "cy", True, DEADLINE, "Congrats on the launch!", kind="dm")
    add("e2", "cy", True, DEADLINE - timedelta(seconds=1), "Congrats on the talk!", kind="dm")
    # a meeting logged in a non-UTC zone: 23:30 at UTC-6 on Mar 31 is Apr 1 05:30 UTC
    central = timezone(timedelta(hours=-6))
    add(
        "m1",
        "cy",
        True,
        datetime(2024, 3, 31, 23, 30, tzinfo=central),
        "met for coffee",
        kind="meeting",
    )
    store.upsert(schema.interactions, rows)
    recompute(store, now=DEADLINE, settings=Settings())


@pytest.fixture
def ledger(store: Store) -> Store:
    build(store)
    return store


def kr(rep: object, metric: str) -> dict[str, object]:
    return next(r for r in rep.key_results if r["metric"] == metric)  # type: ignore[attr-defined]


def test_key_results_by_hand(ledger: Store) -> None:
    gid = create_goal(
        ledger,
        title="Stronger ties",
        why="stronger_connections",
        start=START,
        deadline=DEADLINE,
        key_results=[
            ("conversations", 2),
            ("new_relationships", 4),
            ("deepened_ties", 1),
            ("help_given", 6),
            ("introductions", 1),
            ("meetings", 1),
        ],
    )
    rep = report(ledger, gid, now=DEADLINE + timedelta(days=3))
    assert kr(rep, "conversations")["value"] == 1.0  # only Ada's thread has both sides
    assert kr(rep, "new_relationships")["value"] == 2.0  # Ada and Bo (Cy is from before)
    assert kr(rep, "deepened_ties")["value"] == 1.0  # Ada
    # 3 help replies to Ada, the introduction reply to Bo, the congrats DM one second early
    assert kr(rep, "help_given")["value"] == 5.0
    assert kr(rep, "introductions")["value"] == 1.0
    assert kr(rep, "meetings")["value"] == 0.0  # 05:30 UTC on Apr 1: after the deadline
    assert kr(rep, "followers")["target"] is None  # vanity: shown, never a target
    assert rep.state == "reassess"  # the deadline passed
    assert rep.expected == 1.0


def test_pace_ahead_on_behind(ledger: Store) -> None:
    gid = create_goal(
        ledger,
        title="Help",
        why="help_others",
        start=START,
        deadline=DEADLINE,
        key_results=[("help_given", 4)],
    )
    mid = START + timedelta(days=10)  # Ada's help happened on days 5-7: 3 of 4 already
    rep = report(ledger, gid, now=mid)
    assert kr(rep, "help_given")["value"] == 3.0
    assert rep.progress == 0.75
    assert rep.pace == "ahead"
    assert rep.state == "active"
    early = report(ledger, gid, now=START + timedelta(days=2))
    assert early.progress == 0.0
    assert early.pace == "on pace"  # nothing expected yet either
    slow = create_goal(
        ledger,
        title="Intros",
        why="help_others",
        start=START,
        deadline=DEADLINE,
        key_results=[("introductions", 10)],
    )
    late = report(ledger, slow, now=START + timedelta(days=80))
    assert late.pace == "behind"
    assert kr(late, "introductions")["needed_per_week"] > 0


def test_scope_by_linked_people(ledger: Store) -> None:
    gid = create_goal(
        ledger,
        title="Ada only",
        why="stronger_connections",
        start=START,
        deadline=DEADLINE,
        key_results=[("help_given", 3)],
        links=[("person", _pid("ada"))],
    )
    assert kr(report(ledger, gid, now=DEADLINE), "help_given")["value"] == 3.0


def test_revision_keeps_history_and_focus_limit(ledger: Store) -> None:
    ids = [
        create_goal(
            ledger,
            title=f"G{n}",
            why="learning",
            start=START,
            deadline=DEADLINE,
            key_results=[("conversations", 1)],
        )
        for n in range(3)
    ]
    with pytest.raises(InputError, match="already have 3 active goals"):
        create_goal(
            ledger,
            title="G4",
            why="learning",
            start=START,
            deadline=DEADLINE,
            key_results=[("conversations", 1)],
        )
    create_goal(
        ledger,
        title="G4",
        why="learning",
        start=START,
        deadline=DEADLINE,
        key_results=[("conversations", 1)],
        force=True,
    )
    new = revise_goal(ledger, ids[0], deadline=DEADLINE + timedelta(days=30))
    assert find_goal(ledger, ids[0])["status"] == "revised"
    assert find_goal(ledger, new)["revision_of"] == ids[0]
    assert report(ledger, new, now=START).history[0].startswith("G0")
    close_goal(ledger, ids[1])
    assert {g["title"] for g in list_goals(ledger)} == {"G0", "G2", "G4"}
    assert len(list_goals(ledger, include_closed=True)) == 5


def test_bad_goals(ledger: Store) -> None:
    base = {
        "title": "x",
        "why": "learning",
        "start": START,
        "deadline": DEADLINE,
        "key_results": [("conversations", 1.0)],
    }
    with pytest.raises(InputError, match="not after the start"):
        create_goal(ledger, **{**base, "deadline": START})
    with pytest.raises(InputError, match="unknown metric"):
        create_goal(ledger, **{**base, "key_results": [("likes", 5.0)]})
    with pytest.raises(InputError, match="vanity"):
        create_goal(ledger, **{**base, "key_results": [("followers", 1000.0)]})
    with pytest.raises(InputError, match="unknown why"):
        create_goal(ledger, **{**base, "why": "fame"})
    with pytest.raises(NotFound):
        create_goal(ledger, **{**base, "links": [("person", "nobody")]})
    with pytest.raises(NotFound):
        find_goal(ledger, "no such goal")


def test_templates_are_valid(ledger: Store) -> None:
    for name, t in TEMPLATES.items():
        gid = create_goal(
            ledger,
            title=t["title"],
            why=t["why"],
            start=START,
            deadline=DEADLINE,
            key_results=t["key_results"],
            force=True,
        )
        assert report(ledger, gid, now=DEADLINE).key_results, name


def test_busy_vs_productive(ledger: Store) -> None:
    create_goal(
        ledger,
        title="Ada",
        why="stronger_connections",
        start=START,
        deadline=DEADLINE,
        key_results=[("conversations", 1)],
        links=[("person", _pid("ada"))],
    )
    out = busy_vs_productive(ledger, start=START, end=DEADLINE + timedelta(days=1))
    # given: 3 to Ada (scoped), intro to Bo (giving), e1/e2 congrats (giving), meeting (busy)
    assert out["actions"] == 7
    assert out["busy"] == 1
    assert set(out["platforms"]) == {"twitter"}


def test_partners_count_from_the_day_the_collaboration_began(ledger: Store) -> None:
    people = schema.people
    with ledger.transaction() as conn:
        conn.execute(
            people.update()
            .where(people.c.person_id == _pid("ada"))
            .values(partner_stage="collaborate", partner_stage_since=START + timedelta(days=40))
        )
    gid = create_goal(
        ledger,
        title="Partners",
        why="strategic_partners",
        start=START,
        deadline=DEADLINE,
        key_results=[("partners", 1)],
    )
    assert kr(report(ledger, gid, now=START + timedelta(days=20)), "partners")["value"] == 0.0
    assert kr(report(ledger, gid, now=START + timedelta(days=50)), "partners")["value"] == 1.0
