"""The Bluesky repository export (a CAR file), end to end, on both backends."""

from __future__ import annotations

import importlib.util
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import libipld
import pytest
import sqlalchemy as sa
from atproto_core.car import CAR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.errors import InputError
from netweave.importers import bluesky, import_paths
from netweave.importers._base import Context, account_id
from netweave.importers.bluesky import RepoRecord, read_car, record, tid_time
from netweave.store import Store, schema

from .conftest import DATA

FOLDER = DATA / "bluesky"
REPO = FOLDER / "repo.car"
MIA = "did:plc:u2xaplkvnrpzgsgmbhaw5ul2"
TERRILL = "did:plc:n3h2375uzr5pzxam7boz7ycx"
ZOE = "did:plc:tuax4jubw7zrojpbyd56eyjo"
JENN = "did:plc:vce7usnxrwpfesda7gwifswh"
SPAM = "did:plc:jy4ivmzlcdoi3pd6fake6vji"
PRIYA = "did:plc:is6p6jhlm5i73teamjvp7yfn"
OWNER = account_id("bluesky", MIA)
runner = CliRunner()

EXPECTED = {
    "accounts": 6,
    "account_contacts": 0,
    "edges": 4,
    "interactions": 10,
    "lists": 3,
    "list_members": 4,
}


def _acc(did: str) -> str:
    return account_id("bluesky", did)


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _ledger(store: Store) -> dict[str, int]:
    c = store.counts()
    return {t: c[t] for t in EXPECTED}


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_repo", FOLDER / "make_repo.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_file_is_what_the_generator_writes() -> None:
    assert _generator().build() == REPO.read_bytes()


def test_the_fixture_is_a_repository_the_atproto_sdk_reads() -> None:
    car = CAR.from_bytes(REPO.read_bytes())
    commit = car.blocks[car.root]
    assert (commit["did"], commit["version"], commit["prev"]) == (MIA, 3, None)
    root_node = libipld.decode_dag_cbor(
        bytes(read_car(io.BytesIO(REPO.read_bytes()), "repo.car")[1][commit["data"]])
    )
    # more than one layer: the walk goes through left and right subtrees
    assert root_node["l"] is not None or any(e["t"] for e in root_node["e"])
    assert len(car.blocks) == 32  # the commit, 10 tree nodes, 21 records


def test_repo_import(store: Store) -> None:
    report = import_paths(store, [str(REPO)], settings=Settings())
    assert [(f.source, f.records) for f in report.files] == [("bluesky.repo", 22)]
    assert _ledger(store) == EXPECTED
    a, i, e = schema.accounts, schema.interactions, schema.edges
    with store.connect() as conn:
        me = conn.execute(sa.select(a).where(a.c.account_id == OWNER)).one()
        assert (me.platform, me.key, me.is_owner, me.display_name) == (
            "bluesky",
            MIA,
            True,
            "Mia Okafor",
        )
        assert me.bio == (
            "Community builder. Python packaging & accessibility. Chicago.\n"
            "Also @miaokafor@hachyderm.io"
        )
        assert me.url == f"https://bsky.app/profile/{MIA}"
        assert me.handle is None  # the repository does not hold it; see the config test
        assert me.last_seen == _t("2024-11-20T12:00:00Z")  # the commit's revision
        handles = dict(conn.execute(sa.select(a.c.key, a.c.handle)).all())
        # a handle is known only where a post mentions the account
        assert handles == {MIA: None, TERRILL: None, ZOE: "zoe.example", JENN: None,
                           SPAM: None, PRIYA: None}  # fmt: skip

        edges = sorted(
            (r.kind, r.to_account, r.since)
            for r in conn.execute(sa.select(e))
            if r.from_account == OWNER
        )
        assert edges == sorted(
            [
                ("follows", _acc(TERRILL), _t("2024-11-14T09:35:00Z")),
                ("follows", _acc(ZOE), _t("2024-11-14T09:36:00Z")),
                ("follows", _acc(JENN), _t("2024-11-14T09:37:00Z")),
                ("blocked", _acc(SPAM), _t("2024-11-16T09:30:00Z")),
            ]
        )

        rows = conn.execute(sa.select(i).order_by(i.c.occurred_at, i.c.kind)).all()
        assert {r.direction for r in rows} == {"given"}
        assert {r.actor_account for r in rows} == {OWNER}
        kinds = dict(conn.execute(sa.select(i.c.kind, sa.func.count()).group_by(i.c.kind)).all())
        assert kinds == {"post": 4, "reply": 1, "mention": 2, "like": 2, "repost": 1}
        posts = {r.text: r for r in rows if r.kind in {"post", "reply"}}

        first = posts["Hello Bluesky! Slides from my #a11y talk: https://miaokafor.com/talks/forms"]
        assert first.occurred_at == _t("2024-11-14T10:30:00Z")
        assert first.extra == {
            "hashtags": ["a11y", "python"],
            "urls": ["https://miaokafor.com/talks/forms"],
        }
        rkey = first.url.rsplit("/", 1)[-1]
        assert first.url == f"https://bsky.app/profile/{MIA}/post/{rkey}"
        assert first.thread_id == f"at://{MIA}/app.bsky.feed.post/{rkey}"

        reply = posts["🌻 Yes! @zoe.example and I test with NVDA every week, join us"]
        assert (reply.kind, reply.target_account) == ("reply", _acc(TERRILL))
        assert reply.in_reply_to.startswith(f"at://{TERRILL}/app.bsky.feed.post/")
        mentions = {r.target_account: r for r in rows if r.kind == "mention"}
        assert set(mentions) == {_acc(ZOE), _acc(JENN)}
        assert mentions[_acc(ZOE)].url == reply.url

        # a reply to one's own post continues the thread: a post, without a target
        thread = posts["2/ The forms checklist is in the slides & the repo."]
        assert (thread.kind, thread.target_account) == ("post", None)
        assert thread.in_reply_to == thread.thread_id == first.thread_id

        quote = posts["This is the best thread on alt text I have read."]
        assert quote.extra["quote"].startswith(f"at://{JENN}/app.bsky.feed.post/")
        assert mentions[_acc(JENN)].occurred_at == quote.occurred_at
        assert posts["Chicago accessibility meetup tonight"].extra == {"media": 1}

        likes = {r.target_account: r for r in rows if r.kind == "like"}
        assert set(likes) == {_acc(TERRILL), None}  # a like of one's own post has no target
        assert likes[_acc(TERRILL)].url == reply.in_reply_to.replace(
            "at://", "https://bsky.app/profile/"
        ).replace("/app.bsky.feed.post/", "/post/")
        repost = next(r for r in rows if r.kind == "repost")
        assert (repost.target_account, repost.occurred_at) == (
            _acc(ZOE),
            _t("2024-11-15T09:31:00Z"),
        )

        li, lm = schema.lists, schema.list_members
        lists = {r.name: r for r in conn.execute(sa.select(li))}
        assert set(lists) == {"Accessibility folks", "Spam", "Bluesky list 3lavkg4dxk22d (deleted)"}
        assert lists["Accessibility folks"].description == "People who teach me about a11y"
        assert lists["Accessibility folks"].created_at == _t("2024-11-17T09:30:00Z")
        assert lists["Spam"].description == "moderation list"
        members = conn.execute(
            sa.select(li.c.name, lm.c.member_id, lm.c.added_at).join(
                li, li.c.list_id == lm.c.list_id
            )
        ).all()
        assert sorted(members) == sorted(
            [
                ("Accessibility folks", _acc(ZOE), _t("2024-11-17T09:32:00Z")),
                ("Accessibility folks", _acc(TERRILL), _t("2024-11-17T09:33:00Z")),
                ("Spam", _acc(SPAM), _t("2024-11-17T09:34:00Z")),
                ("Bluesky list 3lavkg4dxk22d (deleted)", _acc(PRIYA), _t("2024-11-17T09:35:00Z")),
            ]
        )


def test_owner_handle_comes_from_config(store: Store) -> None:
    settings_ = Settings()
    settings_.set("owner.handles", "@miaokafor, miaokafor@hachyderm.io, miaokafor.bsky.social")
    import_paths(store, [str(REPO)], settings=settings_)
    a = schema.accounts
    with store.connect() as conn:
        owner = conn.execute(sa.select(a.c.key, a.c.handle).where(a.c.is_owner)).one()
    assert tuple(owner) == (MIA, "miaokafor.bsky.social")


def test_reimport_three_times_is_idempotent(store: Store) -> None:
    for force in (False, False, True):
        import_paths(store, [str(REPO)], settings=Settings(), force=force)
        assert _ledger(store) == EXPECTED


def test_detected_by_content_whatever_the_name(store: Store, tmp_path: Path) -> None:
    renamed = tmp_path / "did-plc-u2xaplkvnrpzgsgmbhaw5ul2-20241120"
    shutil.copy(REPO, renamed)
    report = import_paths(store, [str(tmp_path)], settings=Settings())
    assert [(f.source, f.records) for f in report.files] == [("bluesky.repo", 22)]
    assert _ledger(store) == EXPECTED


def _blocks_end(data: bytes) -> list[int]:
    """Offsets where each section of the CAR ends (the header first)."""
    view = memoryview(data)
    ends = []
    pos = 0
    while pos < len(data):
        found = bluesky._varint(view, pos)
        assert found is not None
        pos = found[1] + found[0]
        ends.append(pos)
    return ends


def _damaged_record(data: bytes) -> bytes:
    """The repository with one byte of its last block (a record) changed."""
    at = len(data) - 5
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


_DATA = REPO.read_bytes()
_ENDS = _blocks_end(_DATA)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("repo.car", _DATA[: _ENDS[12] + 10], "repo.car: block 13: file ends inside a block"),
        ("repo.car", _DATA[: _ENDS[20]], "is missing: the file is incomplete"),
        ("repo.car", _DATA[:20], "repo.car: header: file ends inside the CAR header"),
        ("repo.car", b"", "repo.car: empty file"),
        (
            "repo.car",
            b"PK\x03\x04 not really\x00\xff" * 30,
            "repo.car: does not look like a Bluesky repository export (.car)",
        ),
        ("repo.car", _damaged_record(_DATA), "does not match its hash: the file is damaged"),
    ],
)
def test_malformed_files_exit_2_and_add_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(path)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert out.startswith(f"error: {path}"), out
    assert message in out, out
    assert out.count("\n") == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        assert sum(_ledger(store).values()) == 0
    finally:
        store.close()


def test_a_file_above_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bluesky, "MAX_CAR_BYTES", 4096)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(REPO)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert out == (
        f"error: {REPO}: repository export larger than 4,096 bytes: netweave reads a .car file "
        "whole to walk its record tree and refuses larger ones\n"
    )
    store = Store.open(f"sqlite:///{db}")
    try:
        assert sum(_ledger(store).values()) == 0
    finally:
        store.close()


def test_a_car_that_is_not_a_repository_is_refused() -> None:
    block = libipld.encode_dag_cbor({"hello": "world"})
    gen = _generator()
    link = gen.cid(block)
    header = gen.encode({"roots": [link], "version": 1})
    data = gen.varint(len(header)) + header + gen.varint(len(link) + len(block)) + link + block
    with pytest.raises(InputError, match="commit: not an atproto repository"):
        list(bluesky._reader_repo(io.BytesIO(data), Context(file="other.car")))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_DATA) - 1), st.integers(1, 255))
def test_a_changed_byte_anywhere_is_an_input_error_or_harmless(at: int, flip: int) -> None:
    data = _DATA[:at] + bytes([_DATA[at] ^ flip]) + _DATA[at + 1 :]
    try:
        records = list(bluesky._reader_repo(io.BytesIO(data), Context(file="repo.car")))
    except InputError:
        return
    # a change the reader cannot see (e.g. in the unverified signature) still reads whole
    assert len(records) == 22


# --- pure transforms -----------------------------------------------------------------------


def test_tid_time_and_created_at_fallback() -> None:
    assert tid_time("3jui7kd54zh2y") == "2023-04-29T03:42:21.953005Z"
    assert tid_time("self") is None
    assert tid_time("zzzzzzzzzzzzz") is None  # the top bit must be 0
    rec = RepoRecord(MIA, "app.bsky.graph.follow", "3jui7kd54zh2y",
                     {"subject": ZOE, "createdAt": "0000-01-01T00:00:00Z"})  # fmt: skip
    (edge,) = record(rec, Context()).edges.values()
    assert edge["since"] == "2023-04-29T03:42:21.953005Z"
    bad = rec._replace(rkey="self")
    with pytest.raises(ValueError, match="no usable createdAt"):
        record(bad, Context())


def test_mention_handles_are_read_at_utf8_byte_offsets() -> None:
    text = "Zoë 🌻 and @ana.example.com: hi"
    start = len(text[: text.index("@")].encode())
    rec = RepoRecord(MIA, "app.bsky.feed.post", "3jui7kd54zh2y", {
        "text": text, "createdAt": "2024-01-02T03:04:05.000Z",
        "facets": [{"index": {"byteStart": start, "byteEnd": start + 16},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": ZOE}]}],
    })  # fmt: skip
    rows = record(rec, Context())
    assert rows.accounts[_acc(ZOE)]["handle"] == "ana.example.com"
    kinds = sorted(r["kind"] for r in rows.interactions.values())
    assert kinds == ["mention", "post"]


def test_other_collections_give_no_rows() -> None:
    rec = RepoRecord(MIA, "app.bsky.feed.threadgate", "3jui7kd54zh2y", {"post": "at://x"})
    assert len(record(rec, Context())) == 0
