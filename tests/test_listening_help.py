"""Help-request finder: precision on labelled examples, and ranking/answered logic on a ledger."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from netweave.config import Settings
from netweave.listening.help import help_requests, is_help_request
from netweave.relationships.health import recompute
from netweave.store import Store, make_id, schema

from .conftest import DATA

NOW = datetime(2024, 6, 1, tzinfo=UTC)
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.8


def test_precision_and_recall_on_labelled_examples() -> None:
    with (DATA / "labelled" / "help_requests.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tp = fp = fn = 0
    for row in rows:
        got, want = is_help_request(row["text"]), row["is_request"] == "1"
        tp += got and want
        fp += got and not want
        fn += want and not got
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"help-request detector on {len(rows)} labelled posts: precision {precision:.2f}, "
        f"recall {recall:.2f}"
    )
    assert len(rows) >= 60
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


OWNER = make_id("acc", "owner")


def _acc(n: str) -> str:
    return make_id("acc", n)


@pytest.fixture
def asks(store: Store) -> Store:
    store.upsert(
        schema.accounts,
        [
            {"account_id": OWNER, "platform": "mastodon", "key": "me", "is_owner": True},
            *(
                {"account_id": _acc(n), "platform": "mastodon", "key": n, "display_name": n}
                for n in ("ada", "bo", "cy")
            ),
        ],
    )
    store.upsert(
        schema.people,
        [
            {
                "person_id": make_id("p", n),
                "display_name": n.title(),
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in ("ada", "bo")
        ],
    )
    store.upsert(
        schema.account_links,
        [
            {
                "account_id": _acc(n),
                "person_id": make_id("p", n),
                "method": "auto",
                "created_at": NOW,
            }
            for n in ("ada", "bo")
        ],
    )
    rows = [
        ("q1", "ada", 1, "Anyone know a good tool for python packaging?", "t1"),
        ("q2", "bo", 0.5, "How do I publish a wheel? python packaging is confusing", "t2"),
        ("q3", "cy", 2, "Can anyone recommend a packaging guide for python?", "t3"),
        ("q4", "bo", 3, "Any tips on accessible data tables?", "t4"),
        ("q5", "ada", 30, "Old question: python packaging help?", "t5"),
        ("n1", "ada", 1, "Released my python packaging tool", "t6"),
    ]
    store.upsert(
        schema.interactions,
        [
            {
                "interaction_id": iid,
                "platform": "mastodon",
                "kind": "post",
                "actor_account": _acc(who),
                "occurred_at": NOW - timedelta(days=days),
                "text": text,
                "direction": "received",
                "thread_id": thread,
                "url": f"https://x/{iid}",
            }
            for iid, who, days, text, thread in rows
        ],
    )
    # Ada is a close tie; the owner already answered Cy (a reply to Cy in thread t3)
    store.upsert(
        schema.interactions,
        [
            {
                "interaction_id": f"dm{n}",
                "platform": "mastodon",
                "kind": "dm",
                "actor_account": OWNER,
                "target_account": _acc("ada"),
                "occurred_at": NOW - timedelta(days=40 + n),
                "text": "Dinner? Miss you",
                "direction": "given",
            }
            for n in range(10)
        ]
        + [
            {
                "interaction_id": "answer",
                "platform": "mastodon",
                "kind": "reply",
                "actor_account": OWNER,
                "target_account": _acc("cy"),
                "occurred_at": NOW - timedelta(days=1),
                "text": "Try this",
                "direction": "given",
                "thread_id": "t3",
            },
            # a public thread is shared: the owner's later post in Ada's thread, addressed to
            # nobody in particular, does not answer Ada
            {
                "interaction_id": "aside",
                "platform": "mastodon",
                "kind": "reply",
                "actor_account": OWNER,
                "occurred_at": NOW - timedelta(hours=5),
                "text": "Great thread everyone",
                "direction": "given",
                "thread_id": "t1",
            },
        ],
    )
    recompute(store, now=NOW, settings=Settings())
    return store


def test_unanswered_requests_in_my_topics_ranked(asks: Store) -> None:
    got = help_requests(asks, ["python packaging"], now=NOW)
    assert [r.interaction_id for r in got] == ["q1", "q2"]
    assert got[0].name == "Ada"
    assert got[0].strength > got[1].strength
    assert got[0].topic == "python packaging"
    # older than the window, not a question, already answered, or off-topic: all left out
    assert {
        r.interaction_id for r in help_requests(asks, ["python packaging", "data tables"], now=NOW)
    } == {"q1", "q2", "q4"}
    assert help_requests(asks, [], now=NOW) == []
    wider = [
        r.interaction_id
        for r in help_requests(asks, ["python packaging"], since=timedelta(days=60), now=NOW)
    ]
    assert wider == ["q1", "q2", "q5"]  # the old one is in, ranked last: it is stale


def test_digest_groups_by_topic_and_circle(asks: Store) -> None:
    from netweave.listening.digest import digest

    d = digest(asks, topics=["python packaging", "data tables"], since=timedelta(days=3), now=NOW)
    assert d["total"] == 5  # q1 q2 q3 q4 n1 (q5 is 30 days old)
    topics = {g["topic"]: g["count"] for g in d["by_topic"]}
    assert topics == {"python packaging": 4, "data tables": 1}
    first = [r["name"] for r in d["reply_first"]]
    assert first[0] == "Ada"
    assert set(first) == {"Ada", "Bo", "cy"}
    assert sum(g["count"] for g in d["by_circle"]) == 5
