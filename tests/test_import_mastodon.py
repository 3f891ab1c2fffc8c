"""The Mastodon archive and CSV exports, end to end, on both backends."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.importers import import_paths
from netweave.importers._base import Context, account_id
from netweave.importers._text import html_to_text
from netweave.importers.mastodon import UNKNOWN_TIME, address, like, outbox, status_time
from netweave.store import Store, schema

from .conftest import DATA

ARCHIVE = DATA / "mastodon"
OWNER = account_id("mastodon", "miaokafor@hachyderm.io")
runner = CliRunner()


def _acc(key: str) -> str:
    return account_id("mastodon", key)


def _t(text: str | None) -> datetime | None:
    """A canonical timestamp as the store returns it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC) if text else None


def _ledger(store: Store) -> dict[str, int]:
    c = store.counts()
    tables = ("accounts", "account_contacts", "edges", "interactions", "lists", "list_members")
    return {t: c[t] for t in tables}


EXPECTED = {
    "accounts": 8,
    "account_contacts": 2,
    "edges": 5,
    "interactions": 11,
    "lists": 3,
    "list_members": 5,
}


def test_archive_import(store: Store) -> None:
    report = import_paths(store, [str(ARCHIVE)], settings=Settings())
    assert report.skipped == []
    assert {f.source.split(".")[1]: f.records for f in report.files} == {
        "actor": 1,
        "blocked": 1,
        "blocked_domains": 1,
        "following": 3,
        "lists": 3,
        "muted": 1,
        "outbox": 8,
        "bookmarks_csv": 2,
        "bookmarks": 2,
        "likes": 2,
    }
    assert _ledger(store) == EXPECTED
    a, i, e, c = schema.accounts, schema.interactions, schema.edges, schema.account_contacts
    with store.connect() as conn:
        me = conn.execute(sa.select(a).where(a.c.account_id == OWNER)).one()
        assert (me.is_owner, me.handle, me.display_name) == (True, "miaokafor", "Mia Okafor")
        assert me.website == "https://miaokafor.com"
        assert me.bio == (
            "Community builder. Python packaging & accessibility. Chicago.\n"
            "Formerly @miaokafor on Twitter."
        )
        assert me.first_seen == _t("2022-11-05T00:00:00Z")
        assert me.extra == {"blocked_domains": ["bad.example", "spam.example"]}
        contacts = conn.execute(sa.select(c.c.value).where(c.c.account_id == OWNER)).scalars()
        assert sorted(contacts) == ["https://miaokafor.com", "https://twitter.com/miaokafor"]
        owners = conn.execute(sa.select(a.c.key).where(a.c.is_owner)).scalars().all()
        assert owners == ["miaokafor@hachyderm.io"]

        rows = conn.execute(sa.select(i).order_by(i.c.occurred_at, i.c.kind)).all()
        assert {r.direction for r in rows} == {"given"}
        assert {r.actor_account for r in rows} == {OWNER}
        kinds = dict(conn.execute(sa.select(i.c.kind, sa.func.count()).group_by(i.c.kind)).all())
        assert kinds == {"post": 4, "reply": 2, "mention": 1, "repost": 1, "dm": 1, "like": 2}
        by_url = {r.url: r for r in rows if r.kind not in {"like", "repost"}}

        def status(n: int) -> Any:
            return by_url[f"https://hachyderm.io/@miaokafor/10930000000000000{n}"]

        first = status(1)
        assert (first.kind, first.target_account, first.occurred_at) == (
            "post",
            None,
            _t("2022-11-06T10:00:00Z"),
        )
        assert first.extra == {"hashtags": ["python"]}
        # the reply's target is the author of the post replied to, read from its URL
        reply = status(2)
        assert reply.kind == "reply"
        assert reply.target_account == _acc("terrill@mastodon.social")
        assert reply.in_reply_to.endswith("/terrill/statuses/109299999999999999")
        assert reply.text.startswith("@terrill Welcome!")
        mention = next(r for r in rows if r.kind == "mention")
        assert (mention.target_account, mention.occurred_at) == (
            _acc("zoe@fosstodon.org"),
            _t("2022-11-07T18:30:00Z"),
        )
        boost = next(r for r in rows if r.kind == "repost")
        assert boost.target_account == _acc("zoe@fosstodon.org")
        assert boost.url == "https://fosstodon.org/users/zoe/statuses/109299000000000000"
        # a reply to one's own post continues the thread: a post, still linked to its parent
        thread = status(5)
        assert (thread.kind, thread.target_account) == ("post", None)
        assert thread.in_reply_to == status(4).url.replace(
            "@miaokafor/", "users/miaokafor/statuses/"
        )
        assert thread.thread_id == (
            "tag:hachyderm.io,2022-11-09:objectId=4000:objectType=Conversation"
        )
        dm = status(6)
        assert (dm.kind, dm.target_account) == ("dm", _acc("jalvarez@hachyderm.io"))
        assert dm.text == "@jalvarez are you coming to PyCon? Let's plan the sprint."
        assert status(7).kind == "post"  # followers-only is not direct
        # a server whose post URLs name no user: the first mention is the reply's target
        assert status(8).target_account == _acc("kai@misskey.io")

        likes = {r.target_account: r for r in rows if r.kind == "like"}
        zoe_like = likes[_acc("zoe@fosstodon.org")]
        assert zoe_like.occurred_at == _t("2022-11-06T17:18:46.953Z")
        assert zoe_like.extra == {"time": "liked post's creation"}
        assert _acc("terrill@mastodon.social") in likes

        edges = sorted(
            (kind, to)
            for kind, to, frm in conn.execute(sa.select(e.c.kind, e.c.to_account, e.c.from_account))
            if frm == OWNER
        )
        assert edges == sorted(
            [
                ("follows", _acc("terrill@mastodon.social")),
                ("follows", _acc("zoe@fosstodon.org")),
                ("follows", _acc("jalvarez@hachyderm.io")),
                ("blocked", _acc("spammer@bad.example")),
                ("muted", _acc("loud@mastodon.social")),
            ]
        )
        lm, li = schema.list_members, schema.lists
        members = conn.execute(
            sa.select(li.c.name, lm.c.member_id).join(li, li.c.list_id == lm.c.list_id)
        ).all()
        assert sorted(members) == sorted(
            [
                ("Accessibility", _acc("zoe@fosstodon.org")),
                ("Accessibility", _acc("terrill@mastodon.social")),
                ("Packaging", _acc("jalvarez@hachyderm.io")),
                ("Mastodon bookmarks", _acc("nadia@ruby.social")),
                ("Mastodon bookmarks", _acc("terrill@mastodon.social")),
            ]
        )


def test_post_text_is_plain_text_with_line_breaks(store: Store) -> None:
    import_paths(store, [str(ARCHIVE)], settings=Settings())
    i = schema.interactions
    with store.connect() as conn:
        texts = dict(conn.execute(sa.select(i.c.url, i.c.text).where(i.c.text.is_not(None))).all())
    base = "https://hachyderm.io/@miaokafor/10930000000000000"
    # entities decoded, <br /> a newline, a shortened link whole again
    assert texts[f"{base}1"] == (
        "Hello fediverse! Moving here from Twitter. I write about #python packaging & "
        "accessibility.\nSlides: https://miaokafor.com/talks/2022/accessible-forms"
    )
    # paragraphs a blank line apart, an escaped tag stays text, the content warning in front
    assert texts[f"{base}4"] == (
        "[long thread] Tables <th> need scope.\nAlways.\n\nSecond paragraph \u2014 with an em dash."
    )


def test_zip_and_reimport_three_times_are_idempotent(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "archive-20221115.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(ARCHIVE.iterdir()):
            zf.write(f, f.name)
    for force in (False, False, True):
        import_paths(store, [str(archive)], settings=Settings(), force=force)
        assert _ledger(store) == EXPECTED
    import_paths(store, [str(ARCHIVE)], settings=Settings())
    assert _ledger(store) == EXPECTED


def test_single_csv_without_archive_uses_configured_handle(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "following_accounts.csv"
    shutil.copy(ARCHIVE / "following_accounts.csv", one)
    settings = Settings()
    settings.set("owner.handles", "@ada, @ada@hachyderm.io")
    import_paths(store, [str(one)], settings=settings)
    a = schema.accounts
    with store.connect() as conn:
        owners = conn.execute(sa.select(a.c.key).where(a.c.is_owner)).scalars().all()
    assert owners == ["ada@hachyderm.io"]
    assert store.counts()["edges"] == 3


def test_single_csv_without_any_owner_uses_a_stand_in(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "blocked_accounts.csv"
    shutil.copy(ARCHIVE / "blocked_accounts.csv", one)
    import_paths(store, [str(one)], settings=Settings())
    a, e = schema.accounts, schema.edges
    with store.connect() as conn:
        me = conn.execute(sa.select(a).where(a.c.is_owner)).one()
        edge = conn.execute(sa.select(e)).one()
    assert (me.key, me.display_name) == ("self", "me (Mastodon)")
    assert (edge.from_account, edge.to_account, edge.kind) == (
        me.account_id,
        _acc("spammer@bad.example"),
        "blocked",
    )


def test_bookmarks_csv_alone(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "bookmarks.csv"
    shutil.copy(ARCHIVE / "bookmarks.csv", one)
    import_paths(store, [str(one)], settings=Settings())
    lm = schema.list_members
    with store.connect() as conn:
        rows = conn.execute(sa.select(lm.c.member_id, lm.c.added_at)).all()
    assert sorted(rows) == sorted(
        [
            (_acc("nadia@ruby.social"), _t(status_time("https://x/109305555555555555"))),
            (_acc("terrill@mastodon.social"), _t(status_time("https://x/109301234567890123"))),
        ]
    )
    assert store.counts()["interactions"] == 0  # a bookmark reaches nobody


def test_outbox_opening_with_many_boosts_is_recognised(store: Store, tmp_path: Path) -> None:
    data = json.loads((ARCHIVE / "outbox.json").read_text())
    boost = next(x for x in data["orderedItems"] if x["type"] == "Announce")
    boosts = [{**boost, "id": f"{boost['id']}{n}"} for n in range(20)]
    data["orderedItems"] = boosts + data["orderedItems"]
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    assert b'"Create"' not in path.read_bytes()[:4096]
    report = import_paths(store, [str(path)], settings=Settings())
    assert [(f.source, f.records) for f in report.files] == [("mastodon.outbox", 28)]


def _write_zip(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)


def _item_starts(data: bytes) -> list[int]:
    pattern = rb'\{"id":"https://hachyderm\.io/users/miaokafor/statuses/\d+/activity"'
    return [m.start() for m in re.finditer(pattern, data)]


def _outbox_broken_at_item(n: int) -> bytes:
    """outbox.json with item ``n`` (1-based) made invalid JSON."""
    data = (ARCHIVE / "outbox.json").read_bytes()
    at = _item_starts(data)[n - 1]
    return data[:at] + b'{"id":,' + data[at + 7 :]


def _outbox_cut_in_item(n: int) -> bytes:
    """outbox.json cut short in the middle of item ``n`` (an interrupted download)."""
    data = (ARCHIVE / "outbox.json").read_bytes()
    return data[: _item_starts(data)[n - 1] + 300]


@pytest.mark.parametrize(
    ("name", "content", "message", "empty_tables"),
    [
        (
            "outbox.json",
            _outbox_broken_at_item(3),
            "outbox.json: item 3: not valid JSON",
            ("interactions",),
        ),
        (
            "outbox.json",
            _outbox_cut_in_item(5),
            "outbox.json: item 5: not valid JSON",
            ("interactions",),
        ),
        ("following_accounts.csv", b"", "following_accounts.csv: empty file", ("edges",)),
        (
            "following_accounts.csv",
            b"\x00\x01\x02binary\xff" * 50,
            "following_accounts.csv: does not look like a Mastodon following_accounts.csv",
            ("edges",),
        ),
        (
            "blocked_accounts.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20,
            "blocked_accounts.csv: line 1: binary data, not a text file",
            ("edges",),
        ),
        (
            "lists.csv",
            b"Friends,not-an-address\n",
            "lists.csv: row 1: unexpected record",
            ("lists", "list_members"),
        ),
        ("likes.json", b'{"orderedItems": ["https://a.b/users/x/statuses/1", ', "likes.json", ()),
    ],
)
def test_malformed_files_exit_2_and_add_nothing(
    tmp_path: Path, name: str, content: bytes, message: str, empty_tables: tuple[str, ...]
) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE, folder)
    (folder / name).write_bytes(content)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(folder)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert message in out
    assert out.count("\n") == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        runs = schema.import_runs
        with store.connect() as conn:
            failed = conn.execute(
                sa.select(runs.c.file_name).where(runs.c.status == "failed")
            ).scalar_one_or_none()
        counts = store.counts()
        if failed is None:  # refused while looking at the files: nothing was imported at all
            assert sum(_ledger(store).values()) == 0
        else:
            assert failed.endswith(name)
        for table in empty_tables:
            assert counts[table] == 0, table
        if name == "likes.json":  # likes come after the outbox: only the likes are missing
            i = schema.interactions
            with store.connect() as conn:
                kinds = conn.execute(sa.select(i.c.kind).distinct()).scalars().all()
            assert "like" not in kinds
            assert counts["interactions"] == EXPECTED["interactions"] - 2
    finally:
        store.close()


def test_truncated_zip_exits_2_and_adds_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    _write_zip(ARCHIVE, archive)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) * 2 // 3])
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(archive)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert out.startswith(f"error: {archive}: not a readable zip archive")
    assert out.count("\n") == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        assert sum(_ledger(store).values()) == 0
    finally:
        store.close()


def test_damaged_zip_member_exits_2_and_adds_nothing_from_it(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    _write_zip(ARCHIVE, archive)
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("outbox.json")
    # overwrite the middle of outbox.json's compressed bytes; the CRC no longer matches
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    archive.write_bytes(bytes(data))
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(archive)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    # found while sniffing the first bytes ("cannot read") or while importing ("damaged")
    assert re.match(rf"error: {re.escape(str(archive))}:outbox.json: (cannot read|archive is "
                    r"damaged or truncated) \(Error -3 while decompressing data", out)  # fmt: skip
    assert out.count("\n") == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        assert store.counts()["interactions"] == 0
    finally:
        store.close()


# --- pure functions ------------------------------------------------------------------------


def test_address_forms() -> None:
    assert address("@Zoe@Fosstodon.org") == "zoe@fosstodon.org"
    assert address(None, "https://mastodon.social/@terrill") == "terrill@mastodon.social"
    assert address(None, "https://mastodon.social/users/terrill/statuses/1") == (
        "terrill@mastodon.social"
    )
    assert address("not an address") is None
    assert address(None, "https://misskey.io/notes/9b2xq4kz1a") is None


def test_like_time_stands_in_from_the_post_id_or_a_fixed_instant() -> None:
    ctx = Context(owner_key={"mastodon": "ada@hachyderm.io"})
    mastodon = like("https://fosstodon.org/users/zoe/statuses/109298000000000000", ctx)
    (row,) = mastodon.interactions.values()
    assert row["occurred_at"] == "2022-11-06T17:18:46.953000Z"
    other = like("https://misskey.io/notes/9b2xq4kz1a", ctx)
    (row,) = other.interactions.values()
    assert (row["occurred_at"], row["extra"], row["target_account"]) == (
        UNKNOWN_TIME,
        {"time": "unknown"},
        None,
    )


def test_outbox_transform_is_pure_and_ignores_other_activities() -> None:
    ctx = Context(owner_key={"mastodon": "ada@hachyderm.io"})
    follow = {"type": "Follow", "id": "x", "published": "2022-11-06T10:00:00Z", "object": "y"}
    assert len(outbox(follow, ctx)) == 1  # the owner's account only
    self_boost = {
        "type": "Announce",
        "id": "https://hachyderm.io/users/ada/statuses/2/activity",
        "published": "2022-11-06T10:00:00Z",
        "object": "https://hachyderm.io/users/ada/statuses/1",
    }
    (row,) = outbox(self_boost, ctx).interactions.values()
    assert (row["kind"], row["target_account"], row["direction"]) == ("repost", None, "given")


# --- HTML to text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>a<br>b<br/>c</p><p>d</p>", "a\nb\nc\n\nd"),
        (
            "<p>x &amp; y &lt;b&gt; &quot;q&quot; &#39;s&#39; &#x2014; &hellip;</p>",
            "x & y <b> \"q\" 's' — …",
        ),
        ("AT&amp;T &amp;amp;", "AT&T &amp;"),
        ('<p>see <a href="https://e.x/a?b=1&amp;c=2">e.x/a</a> now</p>', "see e.x/a now"),
        ('<p>cut off <a href="https://e.x', "cut off"),
        ("<p>keep 1<2 and a < b</p>", "keep 1<2 and a < b"),
        ("<script>alert(1)</script><p>safe</p>", "safe"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("", ""),
    ],
)
def test_html_to_text_examples(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


_TAGS = ["p", "span", "a", "strong", "em", "br", "li", "blockquote", "code"]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäé🌻0123456789.,!?-", min_size=1, max_size=8)
_ENTITIES = {"&amp;": "&", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#8212;": "\u2014"}


@st.composite
def _fragment(draw: st.DrawFn, depth: int = 0) -> tuple[str, list[str]]:
    """Well-formed Mastodon-like markup and the words it shows."""
    parts: list[str] = []
    words: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 3 if depth < 3 else 1))
        if choice == 0:
            word = draw(_WORD)
            parts.append(word + " ")
            words.append(word)
        elif choice == 1:
            entity = draw(st.sampled_from(sorted(_ENTITIES)))
            parts.append(f" {entity} ")
            words.append(_ENTITIES[entity])
        else:
            tag = draw(st.sampled_from(_TAGS))
            if tag == "br":
                parts.append(draw(st.sampled_from(["<br>", "<br />"])))
                continue
            inner, inner_words = draw(_fragment(depth + 1))
            attrs = ' href="https://e.x/?a=1&amp;b=2" class="u-url"' if tag == "a" else ""
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
            words += inner_words
    return "".join(parts), words


@settings(max_examples=300)
@given(_fragment())
def test_html_to_text_leaves_no_tags_and_keeps_every_word(case: tuple[str, list[str]]) -> None:
    markup, words = case
    text = html_to_text(markup)
    assert "<" not in text
    assert "\n\n\n" not in text
    assert text == text.strip()
    rest = text
    for word in words:  # in order
        at = rest.find(word)
        assert at >= 0, (word, text)
        rest = rest[at + len(word) :]


@settings(max_examples=500)
@given(st.text(max_size=200))
def test_html_to_text_never_crashes_and_never_leaves_a_tag(markup: str) -> None:
    text = html_to_text(markup)
    assert isinstance(text, str)
    if "&" not in markup:  # without references, any "<x" left would be a tag left over
        assert not re.search(r"<[A-Za-z/!?]", text), text


@given(st.text(alphabet="<>/!?=\"' abp&;#x1\n", max_size=60))
def test_html_to_text_on_tag_soup(markup: str) -> None:
    text = html_to_text(markup.replace("&", ""))
    assert not re.search(r"<[A-Za-z/!?]", text), text
