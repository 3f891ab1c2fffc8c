"""The Facebook "Download your information" importer, end to end: mojibake repaired, friends,
requests and Messenger threads in, checked by reopening the database; bad files via the CLI."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.importers import REGISTRY, Context, import_paths
from netweave.importers._base import account_id, entries_for
from netweave.importers.facebook import message, repair, repaired
from netweave.store import Store, schema

from .conftest import DATA

EXPORT = DATA / "facebook"
runner = CliRunner()
OWNER = account_id("facebook", "mia okafor")
TERRILL = account_id("facebook", "terrill thompson")
EXPECTED = {"accounts": 18, "account_contacts": 4, "edges": 12, "interactions": 28}
TERRILL_THREAD = "messages/inbox/terrillthompson_7a1b2c3d4e"


def aid(name: str) -> str:
    return account_id("facebook", name)


def make_zip(tmp_path: Path, folder: Path = EXPORT) -> Path:
    out = tmp_path / "facebook-miaokafor-2024-03-05-AbCdEfGh.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return out


def ledger(store: Store) -> dict[str, int]:
    c = store.counts()
    return {t: c[t] for t in EXPECTED}


def tally(store: Store, *columns: str) -> dict[tuple[str, ...], int]:
    i = schema.interactions
    cols = [i.c[c] for c in columns]
    with store.connect() as conn:
        rows = conn.execute(sa.select(*cols, sa.func.count()).group_by(*cols)).all()
    return {tuple(r[:-1]): r[-1] for r in rows}


def test_full_export_zip(store: Store, tmp_path: Path) -> None:
    archive = make_zip(tmp_path)
    report = import_paths(store, [str(archive)], settings=Settings())
    assert ledger(store) == EXPECTED
    assert report.files[0].source == "facebook.profile"
    assert sum(f.source == "facebook.messages" for f in report.files) == 5
    assert sorted(s.rsplit(":", 1)[1] for s in report.skipped) == [
        "messages/autofill_information.json",
        f"{TERRILL_THREAD}/photos/351234567890123_n.jpg",
    ]
    a, e, i = schema.accounts, schema.edges, schema.interactions
    with store.connect() as conn:
        owner = conn.execute(sa.select(a).where(a.c.is_owner)).one()
        assert owner.account_id == OWNER
        assert (owner.display_name, owner.handle) == ("Mia Okafor", "mia.okafor")
        assert owner.url == "https://www.facebook.com/mia.okafor"
        assert owner.location == "Chicago, Illinois"
        assert owner.first_seen.isoformat() == "2010-01-01T00:00:00+00:00"
        contacts = set(
            conn.execute(sa.select(schema.account_contacts.c.kind, schema.account_contacts.c.value))
        )
        assert contacts == {
            ("email", "mia.okafor@example.org"),
            ("email", "mia@oldmail.example"),
            ("phone", "+13125550142"),
            ("url", "https://miaokafor.dev/"),
        }
        names = set(conn.execute(sa.select(a.c.display_name)).scalars())
        assert {
            "José García",
            "Zoë Lambert",
            "山田 太郎",
            "Łukasz Wiśniewski",
            "Nguyễn Thị Hoa",
            "Björn Ågren",
            "Crypto Carl 🤑",
        } <= names
        since = conn.execute(
            sa.select(e.c.since).where(
                e.c.from_account == OWNER,
                e.c.to_account == aid("josé garcía"),
                e.c.kind == "friend",
            )
        ).scalar_one()
        assert since.isoformat() == "2019-03-03T00:00:00+00:00"
        texts = set(conn.execute(sa.select(i.c.text)).scalars())
        assert {
            "Increíble, José. Gracias por las recomendaciones 🙏",
            "¡Hola Mia! ¿Qué tal el viaje a Lisboa?",
            "Let's read 三体 (The Three-Body Problem) 🚀",
            "来週東京でお会いしましょう！",
            "Hey Mia! Long time no see 👋",  # message_2.json: the older half of the thread
        } <= texts
        assert "Raj Patel added Zoë Lambert to the group." not in texts  # a Subscribe notice
        share = conn.execute(sa.select(i).where(i.c.url.is_not(None))).one()
        assert (share.actor_account, share.direction) == (TERRILL, "received")
        assert share.url == "https://improvchicago.example/shows/friday"
        call = conn.execute(sa.select(i).where(i.c.kind == "call")).one()
        assert (call.actor_account, call.target_account, call.direction) == (
            OWNER,
            TERRILL,
            "given",
        )
        assert call.extra["call_duration"] == 754
        assert call.occurred_at.isoformat() == "2023-06-16T22:00:00+00:00"
        photo = conn.execute(sa.select(i).where(i.c.text.is_(None), i.c.kind == "dm")).one()
        assert photo.extra == {"photos": 1, "folder": "inbox"}
        group = conn.execute(
            sa.select(i.c.target_account, i.c.direction, i.c.extra).where(
                i.c.text == "Love it, I'm in."
            )
        ).all()
        assert {r.target_account for r in group} == {
            aid("dawn billings"),
            aid("zoë lambert"),
            aid("raj patel"),
        }
        assert {r.direction for r in group} == {"given"}
        assert group[0].extra["title"] == "Chicago Book Club 📚"
        gone = conn.execute(sa.select(i).where(i.c.text == "hi all")).one()
        assert gone.actor_account == aid("facebook user (inbox/chicagobookclub_1a2b3c4d5e)")
        likes = conn.execute(
            sa.select(i.c.actor_account, i.c.target_account, i.c.direction, i.c.text)
            .where(i.c.kind == "like", i.c.thread_id.is_not(None))
            .order_by(i.c.occurred_at)
        ).all()
    assert [tuple(r) for r in likes] == [
        (OWNER, TERRILL, "given", "❤"),
        (TERRILL, OWNER, "received", "😆"),
        (OWNER, aid("zoë lambert"), "given", "👍"),  # Dawn's 👍 to Zoë is not about the owner
    ]
    assert tally(store, "kind") == {
        ("dm",): 16,
        ("call",): 1,
        ("like",): 5,
        ("invitation",): 3,
        ("comment",): 3,
    }
    assert tally(store, "kind", "direction") == {
        ("dm", "given"): 7,
        ("dm", "received"): 9,
        ("call", "given"): 1,
        ("comment", "given"): 3,
        ("like", "given"): 4,
        ("like", "received"): 1,
        ("invitation", "given"): 1,
        ("invitation", "received"): 2,
    }


def test_no_mojibake_is_left_anywhere(store: Store) -> None:
    import_paths(store, [str(EXPORT)], settings=Settings())
    a, i = schema.accounts, schema.interactions
    with store.connect() as conn:
        strings = [
            *conn.execute(sa.select(a.c.display_name)).scalars(),
            *conn.execute(sa.select(a.c.key)).scalars(),
            *conn.execute(sa.select(i.c.text)).scalars(),
        ]
    assert len(strings) > 40
    # UTF-8 read as Latin-1 shows lead bytes as Ã, Â, ð and continuation bytes as C1 controls
    assert not [s for s in strings if s and any(c in "ÃÂð" or "\x80" <= c <= "\x9f" for c in s)]


def test_friend_requests_and_removed_friends(store: Store) -> None:
    import_paths(store, [str(EXPORT)], settings=Settings())
    a, i = schema.accounts, schema.interactions
    with store.connect() as conn:
        requests = conn.execute(
            sa.select(i.c.actor_account, i.c.target_account, i.c.direction, i.c.extra)
            .where(i.c.kind == "invitation")
            .order_by(i.c.occurred_at)
        ).all()
        greg = conn.execute(sa.select(a.c.extra).where(a.c.account_id == aid("greg spammer")))
        greg_extra = greg.scalar_one()
        edges_to_greg = conn.execute(
            sa.select(sa.func.count()).where(schema.edges.c.to_account == aid("greg spammer"))
        ).scalar_one()
    assert [tuple(r) for r in requests] == [
        (aid("crypto carl 🤑"), OWNER, "received", {"rejected": True}),
        (aid("marcus webb"), OWNER, "received", None),
        (OWNER, aid("olivia park"), "given", None),
    ]
    assert greg_extra == {"facebook_unfriended_at": "2020-09-16T23:46:40.000000Z"}
    assert edges_to_greg == 0


def test_comments_and_reactions_on_others_posts(store: Store) -> None:
    import_paths(store, [str(EXPORT)], settings=Settings())
    i = schema.interactions
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(i.c.kind, i.c.actor_account, i.c.target_account, i.c.text, i.c.extra)
            .where(i.c.kind.in_(["comment", "like"]), i.c.thread_id.is_(None))
            .order_by(i.c.occurred_at)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("like", OWNER, aid("dawn billings"), "LOVE", None),
        ("like", OWNER, aid("josé garcía"), "LIKE", None),
        ("comment", OWNER, None, "Slides are up: https://miaokafor.dev/talks", None),
        (
            "comment",
            OWNER,
            aid("zoë lambert"),
            "Merci Zoë, c'était génial",
            {"group": "Chicago Book Club 📚"},
        ),
        ("comment", OWNER, TERRILL, "Break a leg tonight! 🎭", None),
    ]


def test_reimport_three_times_changes_nothing(store: Store, tmp_path: Path) -> None:
    archive = str(make_zip(tmp_path))
    import_paths(store, [archive], settings=Settings())
    counts = store.counts()
    directions = tally(store, "kind", "direction")
    again = import_paths(store, [archive], settings=Settings())
    assert {f.status for f in again.files} == {"unchanged"}
    import_paths(store, [archive], settings=Settings(), force=True)
    assert ledger(store) == EXPECTED
    assert store.counts() == counts
    assert tally(store, "kind", "direction") == directions


def test_newer_and_older_layouts(store: Store, tmp_path: Path) -> None:
    newer = tmp_path / "facebook-2024"
    shutil.copytree(EXPORT / "messages", newer / "your_activity_across_facebook" / "messages")
    (newer / "connections" / "friends").mkdir(parents=True)
    shutil.copy(
        EXPORT / "friends_and_followers" / "friends.json",
        newer / "connections" / "friends" / "your_friends.json",
    )
    shutil.copytree(
        EXPORT / "profile_information",
        newer / "personal_information" / "profile_information",
    )
    report = import_paths(store, [str(newer)], settings=Settings())
    assert sum(f.source == "facebook.messages" for f in report.files) == 5
    assert tally(store, "kind") == {("dm",): 16, ("call",): 1, ("like",): 3}
    assert store.counts()["edges"] == 12

    # 2019 exports: friends/friends.json holding {"friends": [...]}
    older = tmp_path / "facebook-2019" / "friends"
    older.mkdir(parents=True)
    friends = json.loads((EXPORT / "friends_and_followers" / "friends.json").read_text())
    (older / "friends.json").write_text(json.dumps({"friends": friends["friends_v2"][:3]}))
    (older.parent / "profile_information").mkdir()
    (older.parent / "profile_information" / "profile_information.json").write_text(
        '{"profile": {"name": {"full_name": "Mia Okafor"}}}'
    )
    report = import_paths(store, [str(older.parent)], settings=Settings())
    assert [f.source for f in report.files] == ["facebook.profile", "facebook.friends"]
    assert store.counts()["edges"] == 12  # the same three friends again


def test_owner_found_from_threads_without_profile(store: Store, tmp_path: Path) -> None:
    shutil.copytree(EXPORT / "messages", tmp_path / "messages")
    import_paths(store, [str(tmp_path / "messages")], settings=Settings())
    a, i = schema.accounts, schema.interactions
    with store.connect() as conn:
        owners = conn.execute(sa.select(a.c.account_id).where(a.c.is_owner)).scalars().all()
        first = conn.execute(
            sa.select(i.c.direction).where(i.c.thread_id.like("archived_threads/%"))
        ).scalars()
        first_directions = sorted(first)
    assert owners == [OWNER]
    # the first thread read names two people: until a second thread agrees, it stays neutral
    assert first_directions == ["neutral", "neutral"]
    assert tally(store, "kind", "direction")[("dm", "given")] == 6
    assert tally(store, "kind", "direction")[("dm", "received")] == 8


def test_renamed_thread_is_found_by_content(store: Store, tmp_path: Path) -> None:
    renamed = tmp_path / "chat-with-jose.json"
    shutil.copy(EXPORT / "messages/inbox/josgarca_9f8e7d6c5b/message_1.json", renamed)
    report = import_paths(store, [str(renamed)], settings=Settings())
    assert [f.source for f in report.files] == ["facebook.messages"]
    with store.connect() as conn:
        threads = set(conn.execute(sa.select(schema.interactions.c.thread_id)).scalars())
    assert threads == {"inbox/josgarca_9f8e7d6c5b"}


def test_sniffs_do_not_claim_other_platforms_files() -> None:
    facebook = {e.source for e in REGISTRY if e.platform == "facebook"}
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or EXPORT in path.parents:
            continue
        head = path.read_bytes()[:4096]
        assert not {e.source for e in REGISTRY if e.content_matches(head)} & facebook, path
    for path in sorted(EXPORT.rglob("*.json")):
        matched = entries_for(path.relative_to(EXPORT).as_posix(), path.read_bytes()[:4096])
        if path.name != "autofill_information.json":
            assert [e.platform for e in matched] == ["facebook"], path


def test_message_transform_on_one_record() -> None:
    thread = {
        "path": "inbox/ada_1",
        "title": "Ada",
        "participants": ["Ada Lovelace", "Mia Okafor"],
        "still_participant": True,
    }
    record = {
        "thread": thread,
        "message": {"sender_name": "Ada Lovelace", "timestamp_ms": 1700000000123, "content": "hi"},
    }
    rows = message(record, Context(owner_key={"facebook": "mia okafor"}))
    (row,) = rows.interactions.values()
    assert (row["actor_account"], row["target_account"]) == (aid("ada lovelace"), OWNER)
    assert (row["direction"], row["occurred_at"]) == ("received", "2023-11-14T22:13:20.123000Z")
    with pytest.raises(KeyError):
        message({"thread": thread, "message": {"sender_name": "Ada Lovelace"}}, Context())


@given(st.text())
def test_repair_undoes_facebooks_encoding_of_any_text(text: str) -> None:
    assert repair(text.encode("utf-8").decode("latin-1")) == text


@given(st.text().filter(lambda t: any(ord(c) > 0xFF for c in t)))
def test_repair_leaves_text_that_cannot_be_mojibake(text: str) -> None:
    assert repair(text) == text


@given(st.recursive(st.text(), lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids)))
def test_repaired_reaches_every_string(value: object) -> None:
    def moji(v: object) -> object:
        if isinstance(v, str):
            return v.encode("utf-8").decode("latin-1")
        if isinstance(v, list):
            return [moji(x) for x in v]
        if isinstance(v, dict):
            return {k: moji(x) for k, x in v.items()}
        return v

    assert repaired(moji(value)) == value


# --- malformed input through the CLI --------------------------------------------------------------


def _broken_export(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    (folder / "messages/inbox/josgarca_9f8e7d6c5b/message_1.json").write_bytes(content)
    return folder


_JOSE = (EXPORT / "messages/inbox/josgarca_9f8e7d6c5b/message_1.json").read_bytes()


@pytest.mark.parametrize(
    ("content", "reason", "committed_edges"),
    [
        pytest.param(
            _JOSE.replace(b'"timestamp_ms": 1676110500000,', b'"timestamp_ms": 1676110500000', 1),
            "line 26: not valid JSON (unexpected character, expected ',' or '}')",
            12,
            id="broken-json",
        ),
        pytest.param(
            _JOSE[: len(_JOSE) // 2],
            "line 24: not valid JSON (unexpected end of data)",
            12,
            id="truncated-json",
        ),
        # found while discovering the export, before any file is read
        pytest.param(b"", "empty file", 0, id="empty"),
        pytest.param(
            b'{"participants": [{"name": "Jos\\u00c3\\u00a9"}], "messages": {"oops": 1}}',
            'not a Facebook message thread (needs "participants" and "messages")',
            12,
            id="wrong-shape",
        ),
        pytest.param(
            _JOSE.replace(b'"timestamp_ms": 1676110500000,', b"", 1),
            "message 2: unexpected record (KeyError: 'timestamp_ms')",
            12,
            id="missing-timestamp",
        ),
    ],
)
def test_malformed_thread_exits_2_and_adds_nothing_from_it(
    tmp_path: Path, content: bytes, reason: str, committed_edges: int
) -> None:
    folder = _broken_export(tmp_path, content)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(folder)])
    assert result.exit_code == 2
    message_line = result.stderr.strip()
    assert "\n" not in message_line
    label = f"{folder}:messages/inbox/josgarca_9f8e7d6c5b/message_1.json"
    assert message_line == f"error: {label}: {reason}"
    store = Store.open(f"sqlite:///{db}")
    try:
        with store.connect() as conn:
            from_file = conn.execute(
                sa.select(sa.func.count()).where(
                    schema.interactions.c.thread_id == "inbox/josgarca_9f8e7d6c5b"
                )
            ).scalar_one()
            runs = conn.execute(
                sa.select(schema.import_runs.c.status).where(
                    schema.import_runs.c.file_name == label
                )
            ).scalars()
            statuses = list(runs)
        assert from_file == 0
        assert statuses in ([], ["failed"])
        # files read before it are committed (friends); the broken one left no row
        assert store.counts()["edges"] == committed_edges
    finally:
        store.close()


def test_single_empty_message_file_and_truncated_zip_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "message_1.json"
    empty.write_bytes(b"")
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(empty)])
    assert (result.exit_code, result.stderr.strip()) == (2, f"error: {empty}: empty file")

    archive = make_zip(tmp_path)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) * 2 // 3])
    result = runner.invoke(app, ["--db", str(db), "import", str(archive)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: {archive}: not a readable zip archive")
    assert "\n" not in result.stderr.strip()
    store = Store.open(f"sqlite:///{db}")
    try:
        assert ledger(store) == dict.fromkeys(EXPECTED, 0)
    finally:
        store.close()
