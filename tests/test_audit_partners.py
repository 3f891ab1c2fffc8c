"""The connection audit and the partner pipeline, through the CLI, on a hand-built ledger.

Who is who (the owner is account ``me`` on Twitter):

- Ada: the owner follows her since 2015; nothing else.           stage follow
- Ben: followed since 2015; one neutral reply each way, and a help request 3 days ago.
                                                                   stage interact
- Cy: followed since 2018; the owner complimented him, he thanked the owner, they met.
                                                                   stage collaborate
- Dee: no edge; the owner liked three of her posts and replied once; she never wrote back.
- Eve: her blog is in the owner's feeds; reason_connected "college friend".

Audit queue (oldest connection first, then weakest tie): Ada, Ben (same 2015 edge, Ada weaker),
Cy (2018), Dee (first contact 40 days ago); Eve has a reason. Partner suggestions: Dee (3 likes
+ 2 x 1 reply = 5), Eve (reads her blog = 3); Ben and Cy wrote to the owner, Ada is not read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.relationships.health import recompute
from netweave.store import Store, make_id, schema, utcnow

runner = CliRunner()


def run(db: str, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], input=input)
    return result.exit_code, result.stdout + result.stderr


def acc(name: str) -> str:
    return make_id("account", "test", name)


def pid(name: str) -> str:
    return make_id("person", "test", name)


def build(url: str) -> datetime:
    now = utcnow()
    store = Store.open(url)
    store.upsert(
        schema.accounts,
        [
            {"account_id": acc("me"), "platform": "twitter", "key": "me", "is_owner": True},
            *(
                {"account_id": acc(n), "platform": "twitter", "key": n, "handle": n}
                for n in ("ada", "ben", "cy", "dee")
            ),
            {"account_id": acc("eve"), "platform": "blog", "key": "eve.example"},
        ],
    )
    store.upsert(
        schema.people,
        [
            {
                "person_id": pid(n),
                "display_name": n.title(),
                "reason_connected": "college friend" if n == "eve" else None,
                "created_at": now,
                "updated_at": now,
            }
            for n in ("ada", "ben", "cy", "dee", "eve")
        ],
    )
    store.upsert(
        schema.account_links,
        [
            {"account_id": acc(n), "person_id": pid(n), "method": "auto", "created_at": now}
            for n in ("ada", "ben", "cy", "dee", "eve")
        ],
    )
    store.upsert(
        schema.edges,
        [
            {
                "from_account": acc("me"),
                "to_account": acc(n),
                "kind": "follows",
                "since": datetime(year, 1, 1, tzinfo=UTC),
            }
            for n, year in (("ada", 2015), ("ben", 2015), ("cy", 2018), ("eve", 2020))
        ],
    )

    def ix(
        n: int,
        kind: str,
        actor: str,
        target: str | None,
        days: float,
        text: str | None,
        direction: str,
    ) -> dict[str, object]:
        return {
            "interaction_id": make_id("i", n),
            "platform": "twitter",
            "kind": kind,
            "actor_account": acc(actor),
            "target_account": acc(target) if target else None,
            "occurred_at": now - timedelta(days=days),
            "text": text,
            "direction": direction,
        }

    store.upsert(
        schema.interactions,
        [
            ix(1, "reply", "me", "ben", 10, "See you at 7", "given"),
            ix(2, "reply", "ben", "me", 5, "Sounds good", "received"),
            ix(
                3,
                "post",
                "ben",
                None,
                3,
                "Anyone know a good tool for python packaging?",
                "neutral",
            ),
            ix(4, "reply", "me", "cy", 30, "Congrats on the launch, well deserved!", "given"),
            ix(5, "dm", "cy", "me", 20, "Thanks for the intro to Sam", "received"),
            ix(6, "meeting", "me", "cy", 15, "Lunch was nice", "given"),
            ix(7, "like", "me", "dee", 40, None, "given"),
            ix(8, "like", "me", "dee", 35, None, "given"),
            ix(9, "like", "me", "dee", 30, None, "given"),
            ix(10, "reply", "me", "dee", 25, "Lovely photo", "given"),
        ],
    )
    recompute(store, full=True, now=now, settings=Settings())
    store.close()
    return now


def people_row(url: str, name: str) -> dict[str, object]:
    store = Store.open(url)
    p = schema.people
    with store.connect() as conn:
        row = conn.execute(sa.select(p).where(p.c.person_id == pid(name))).mappings().one()
    store.close()
    return dict(row)


def test_audit_queue_decisions_undo(db_url: str) -> None:
    build(db_url)
    code, out = run(db_url, "--json", "audit", "--next", "10")
    assert code == 0, out
    assert [i["name"] for i in json.loads(out)] == ["Ada", "Ben", "Cy", "Dee"]
    code, out = run(db_url, "audit", "keep", "Ben", "--reason", "python packaging peer")
    assert code == 0, out
    code, out = run(db_url, "audit", "move", "cy", "--to", "Design folks", "--kind", "page")
    assert code == 0, out
    code, out = run(db_url, "audit", "drop", "Dee")
    assert code == 0, out
    code, out = run(db_url, "--json", "audit", "--next", "10")
    assert [i["name"] for i in json.loads(out)] == ["Ada"]

    assert people_row(db_url, "ben")["reason_connected"] == "python packaging peer"
    store = Store.open(db_url)
    d, lt, lm, i = schema.audit_decisions, schema.lists, schema.list_members, schema.interactions
    with store.connect() as conn:
        rows = {
            r.person_id: r
            for r in conn.execute(sa.select(d.c.person_id, d.c.decision, d.c.decided_at))
        }
        page = conn.execute(sa.select(lt.c.list_id, lt.c.kind).where(lt.c.name == "Design folks"))
        list_id, kind = page.one()
        members = conn.execute(sa.select(lm.c.member_id).where(lm.c.list_id == list_id))
        assert list(members.scalars()) == [pid("cy")]
        dee_kept = conn.execute(
            sa.select(sa.func.count()).where(i.c.target_account == acc("dee"))
        ).scalar_one()
    store.close()
    assert kind == "page"
    assert {k: r.decision for k, r in rows.items()} == {
        pid("ben"): "keep",
        pid("cy"): "move",
        pid("dee"): "drop",
    }
    assert all(r.decided_at is not None for r in rows.values())
    assert dee_kept == 4  # dropping marks; the history stays

    code, out = run(db_url, "--json", "audit", "summary")
    summary = json.loads(out)
    assert summary["decided"] == {"keep": 1, "move": 1, "drop": 1}
    assert summary["remaining"] == 1
    assert summary["total"] == 4

    assert run(db_url, "audit", "undo")[0] == 0  # the drop of Dee
    assert run(db_url, "audit", "undo")[0] == 0  # the move of Cy
    code, out = run(db_url, "--json", "audit", "--next", "10")
    assert [i["name"] for i in json.loads(out)] == ["Ada", "Cy", "Dee"]
    store = Store.open(db_url)
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(lm)).scalar_one() == 0
        undone = conn.execute(sa.select(d.c.person_id).where(d.c.undone_at.is_not(None))).scalars()
        assert sorted(undone) == sorted([pid("cy"), pid("dee")])
    store.close()
    assert run(db_url, "audit", "undo")[0] == 0  # the keep of Ben: the reason is gone again
    assert people_row(db_url, "ben")["reason_connected"] is None


def test_audit_interactive_prompt(db_url: str) -> None:
    build(db_url)
    code, out = run(db_url, "audit", "-i", input="k\nmet at PyCon\ns\nd\nq\n")
    assert code == 0, out
    assert "kept 1, moved 0, dropped 1, skipped 1" in out
    assert people_row(db_url, "ada")["reason_connected"] == "met at PyCon"
    code, out = run(db_url, "--json", "audit", "summary")
    assert json.loads(out)["decided"] == {"keep": 1, "move": 0, "drop": 1}
    code, out = run(db_url, "--json", "audit", "--next", "5")
    assert [i["name"] for i in json.loads(out)] == ["Ben", "Dee"]  # Cy was dropped


def test_partner_pipeline_stages_suggestions_and_agenda(db_url: str) -> None:
    build(db_url)
    code, out = run(db_url, "--json", "partners")
    assert code == 0, out
    data = json.loads(out)
    assert data["partners"] == []
    assert [(s["name"], s["score"]) for s in data["suggestions"]] == [("Dee", 5.0), ("Eve", 3.0)]
    for name in ("Ada", "Ben", "Cy"):
        assert run(db_url, "partners", "add", name)[0] == 0
    code, out = run(db_url, "--json", "partners", "--suggest", "0")
    found = {p["name"]: p for p in json.loads(out)["partners"]}
    assert {n: p["stage"] for n, p in found.items()} == {
        "Ada": "follow",
        "Ben": "interact",
        "Cy": "collaborate",
    }
    assert all(p["days_in_stage"] == 0 for p in found.values())
    assert "you haven't given anything yet: they asked 3 days ago" in found["Ben"]["next_step"]
    assert "python packaging" in found["Ben"]["next_step"]

    code, out = run(db_url, "partners", "stage", "Ada", "give")
    assert code == 0, out
    row = people_row(db_url, "ada")
    assert (row["partner_stage"], row["partner_stage_manual"]) == ("give", "give")
    assert run(db_url, "partners", "stage", "Ada", "auto")[0] == 0
    row = people_row(db_url, "ada")
    assert (row["partner_stage"], row["partner_stage_manual"]) == ("follow", None)

    code, out = run(db_url, "--json", "today", "--mode", "work", "--minutes", "60")
    assert code == 0, out
    partner = {a["name"]: a["reason"] for a in json.loads(out) if a["kind"] == "partner"}
    assert set(partner) == {"Ada", "Ben"}  # Cy collaborates already
    assert "they asked 3 days ago" in partner["Ben"]

    assert run(db_url, "audit", "drop", "Dee")[0] == 0
    code, out = run(db_url, "--json", "partners")
    assert [s["name"] for s in json.loads(out)["suggestions"]] == ["Eve"]
    assert run(db_url, "partners", "remove", "Ada")[0] == 0
    assert people_row(db_url, "ada")["partner_stage"] is None


def test_stage_since_survives_and_moves(db_url: str) -> None:
    now = build(db_url)
    from netweave.planning import partners

    store = Store.open(db_url)
    partners.add(store, "Ada", now=now - timedelta(days=9))
    (ada,) = partners.pipeline(store, now=now)
    assert (ada.stage, ada.days_in_stage) == ("follow", 9)
    store.upsert(
        schema.interactions,
        [
            {
                "interaction_id": make_id("i", "ada-share"),
                "platform": "twitter",
                "kind": "repost",
                "actor_account": acc("me"),
                "target_account": acc("ada"),
                "occurred_at": now - timedelta(hours=1),
                "text": "",
                "direction": "given",
            }
        ],
    )
    recompute(store, now=now, settings=Settings())
    (ada,) = partners.pipeline(store, now=now)
    assert (ada.stage, ada.days_in_stage) == ("give", 0)
    assert ada.next_step.startswith("you gave 1 time(s)")
    store.close()


def test_bad_input_is_one_line(db_url: str) -> None:
    build(db_url)
    for args in (
        ("partners", "stage", "Ada", "friends"),
        ("partners", "add", "Nobody"),
        ("audit", "keep", "Nobody", "--reason", "x"),
        ("audit", "keep", "Ada", "--reason", "  "),
        ("audit", "move", "Ada", "--to", "X", "--kind", "circle"),
        ("audit", "undo"),
    ):
        code, out = run(db_url, *args)
        assert code == 2, (args, out)
        assert out.startswith("error: "), out
        assert out.count("\n") == 1, out


def test_migration_0006_matches_the_schema(db_url: str) -> None:
    store = Store.open(db_url)
    assert store.schema_version() >= "0006"  # later migrations build on it
    inspector = sa.inspect(store.engine)
    for table in ("people", "audit_decisions"):
        migrated = {c["name"] for c in inspector.get_columns(table)}
        assert migrated == {c.name for c in schema.metadata.tables[table].columns}, table
    indexes = {i["name"] for i in inspector.get_indexes("audit_decisions")}
    assert "ix_audit_decisions_person" in indexes
    assert "ix_tie_scores_circle" in {i["name"] for i in inspector.get_indexes("tie_scores")}
    store.close()


def test_move_to_a_prefix_of_a_list_makes_a_new_list(db_url: str) -> None:
    build(db_url)
    assert run(db_url, "list", "create", "Design folks")[0] == 0
    code, out = run(db_url, "--json", "audit", "move", "Ada", "--to", "Design")
    assert code == 0, out
    store = Store.open(db_url)
    lt = schema.lists
    with store.connect() as conn:
        names = sorted(conn.execute(sa.select(lt.c.name)).scalars())
    store.close()
    assert names == ["Design", "Design folks"]


def test_losing_touch_limit_is_the_head_of_the_full_list(db_url: str) -> None:
    now = build(db_url)
    from netweave.relationships import views
    from netweave.relationships.logbook import set_cadence, set_circle

    store = Store.open(db_url)
    set_circle(store, pid("ada"), 5)  # never contacted: first
    set_circle(store, pid("ben"), 5)  # 5 days ago: within a week
    set_circle(store, pid("cy"), 15)
    set_circle(store, pid("dee"), 5)
    set_cadence(store, pid("dee"), 3)
    full = views.losing_touch(store, now=now)
    assert [t.name for t in full] == ["Ada", "Dee"]
    assert full[1].overdue_days == 22  # last contact 25 days ago, every 3 days
    for k in (1, 2, 5):
        assert views.losing_touch(store, now=now, limit=k) == full[:k]
    store.close()


def test_help_requests_same_either_way_round(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    now = build(db_url)
    from netweave.listening import help as help_mod

    store = Store.open(db_url)
    window = help_mod.help_requests(store, ["python packaging"], now=now)
    assert [r.name for r in window] == ["Ben"]
    monkeypatch.setattr(help_mod, "_WINDOW_FIRST_ROWS", -1)
    assert help_mod.help_requests(store, ["python packaging"], now=now) == window
    store.close()
