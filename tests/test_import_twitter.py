"""The Twitter/X archive importer, end to end: zip in, ledger out, checked by reopening the DB."""

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
from netweave.errors import InputError, UnsupportedFormat
from netweave.importers import import_paths
from netweave.importers._base import account_id, ts_twitter
from netweave.store import Store, schema

from .conftest import DATA

ARCHIVE = DATA / "twitter"
runner = CliRunner()
OWNER = account_id("twitter", "1001")
TERRILL = account_id("twitter", "2002")


def make_zip(tmp_path: Path, folder: Path = ARCHIVE, name: str = "twitter.zip") -> Path:
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return out


def ledger(store: Store) -> dict[str, int]:
    c = store.counts()
    return {t: c[t] for t in ("accounts", "account_contacts", "edges", "interactions", "lists")}


EXPECTED = {"accounts": 8, "account_contacts": 2, "edges": 6, "interactions": 13, "lists": 1}


def test_full_archive_import(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [str(make_zip(tmp_path))], settings=Settings())
    assert ledger(store) == EXPECTED
    assert report.added["interactions"] == 13
    assert {f.source for f in report.files} >= {"twitter.account", "twitter.tweets"}
    assert report.skipped == ["%s:data/manifest.js" % (tmp_path / "twitter.zip")]
    a, i, e = schema.accounts, schema.interactions, schema.edges
    with store.connect() as conn:
        owner = conn.execute(sa.select(a).where(a.c.account_id == OWNER)).one()
        assert owner.is_owner
        assert owner.handle == "miaokafor"
        assert owner.location == "Chicago, IL"
        assert owner.bio.startswith("Community builder")
        # follower.js only had the id; the reply in tweets.js revealed the handle
        terrill = conn.execute(sa.select(a).where(a.c.account_id == TERRILL)).one()
        assert (terrill.handle, terrill.display_name) == ("terrillific", "Terrill 🎭")
        kinds = dict(conn.execute(sa.select(i.c.kind, sa.func.count()).group_by(i.c.kind)).all())
        assert kinds == {"reply": 1, "repost": 1, "post": 3, "mention": 2, "dm": 5, "like": 1}
        reply = conn.execute(sa.select(i).where(i.c.kind == "reply")).one()
        assert reply.target_account == TERRILL
        assert reply.direction == "given"
        assert reply.occurred_at.isoformat() == "2022-03-05T09:30:00+00:00"
        received = (
            conn.execute(
                sa.select(i.c.text)
                .where(i.c.kind == "dm", i.c.direction == "received")
                .order_by(i.c.occurred_at)
            )
            .scalars()
            .all()
        )
        assert received == [
            "Thank you Mia! Hi Taro 👋",
            "In Chicago next week for the conference, dinner?",
        ]
        self_reply = conn.execute(
            sa.select(i).where(i.c.text == "(It is free, no sign-up, just a PDF.)")
        ).one()
        assert self_reply.kind == "post"
        assert self_reply.target_account is None
        follows_owner = conn.execute(
            sa.select(sa.func.count())
            .select_from(e)
            .where(e.c.to_account == OWNER, e.c.kind == "follows")
        ).scalar_one()
        assert follows_owner == 3


def test_reimport_three_times_is_idempotent(store: Store, tmp_path: Path) -> None:
    archive = str(make_zip(tmp_path))
    import_paths(store, [archive], settings=Settings())
    first = store.counts()
    second_report = import_paths(store, [archive], settings=Settings())
    assert {f.status for f in second_report.files} == {"unchanged"}
    import_paths(store, [archive], settings=Settings(), force=True)
    assert store.counts() == first


def test_folder_and_single_files_import_the_same(db_url: str, tmp_path: Path) -> None:
    folder = Store.open(db_url)
    import_paths(folder, [str(ARCHIVE)], settings=Settings())
    assert ledger(folder) == EXPECTED
    folder.close()


def test_renamed_file_is_detected_by_content(store: Store, tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    shutil.copy(ARCHIVE / "data" / "following.js", renamed)
    report = import_paths(store, [str(renamed)], settings=Settings())
    assert [f.source for f in report.files] == ["twitter.following"]
    assert store.counts()["edges"] == 2
    other = tmp_path / "notes.txt"
    other.write_text("just some notes\n")
    with pytest.raises(InputError, match="not a format netweave can import"):
        import_paths(store, [str(other)], settings=Settings())


def test_tweets_without_account_file_get_a_stand_in_owner(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "tweets.js"
    shutil.copy(ARCHIVE / "data" / "tweets.js", one)
    import_paths(store, [str(one)], settings=Settings())
    with store.connect() as conn:
        owners = (
            conn.execute(sa.select(schema.accounts.c.key).where(schema.accounts.c.is_owner))
            .scalars()
            .all()
        )
    assert owners == ["self"]


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_cli_import_reports_and_reopens(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    code, out = _cli("--db", str(db), "--json", "import", str(make_zip(tmp_path)))
    assert code == 0, out
    data = json.loads(out)
    assert data["added"]["interactions"] == 13
    store = Store.open(f"sqlite:///{db}")
    assert ledger(store) == EXPECTED
    store.close()
    code, out = _cli("--db", str(db), "import", str(make_zip(tmp_path)))
    assert code == 0
    assert "nothing new" in out
    # the files of one zip are named inside it, under the zip's name
    assert f"from {make_zip(tmp_path)}" in out
    assert "\ndata/tweets.js " in out
    assert data["files"][0]["archive"] == str(make_zip(tmp_path))
    assert data["files"][0]["inner"] == "data/account.js"


def test_after_an_import_each_stage_is_shown_as_it_starts(tmp_path: Path) -> None:
    """A bar tells the user what the minutes after the files are spent on."""
    from netweave.importers._save import Progress
    from netweave.refresh import after_ingest

    class Recorder(Progress):
        def __init__(self) -> None:
            self.seen: list[object] = []

        def total(self, n: int | None) -> None:
            self.seen.append(n)

        def describe(self, text: str) -> None:
            self.seen.append(text)

    store = Store.open(f"sqlite:///{tmp_path / 'n.db'}")
    import_paths(store, [str(make_zip(tmp_path))], settings=Settings())
    bar = Recorder()
    flowed = after_ingest(store, Settings(), progress=bar)
    store.close()
    assert flowed["people"]["people"] > 0
    assert bar.seen == [
        None,
        "finding people (identity resolution)",
        None,
        "scoring relationships",
        None,
        "indexing topics",
    ]


def test_the_bar_counts_bytes_in_megabytes_and_stages_not_at_all() -> None:
    from rich.progress import Progress as Bar

    from netweave.cli._output import Ticker, _Done

    bar = Bar(_Done("bytes"))
    ticker = Ticker(bar, "data/tweets.js")
    ticker.total(176_878_254)
    ticker.advance(12_500_000)
    assert str(_Done("bytes").render(bar.tasks[0])) == "12.5/176.9 MB"
    ticker.total(None)
    ticker.describe("scoring relationships")
    assert [(t.description, t.total) for t in bar.tasks] == [("scoring relationships", None)]
    assert str(_Done("bytes").render(bar.tasks[0])) == ""
    items = Bar()
    items.add_task("records", total=5000, completed=1200)
    assert str(_Done("items").render(items.tasks[0])) == "1,200/5,000"


def _broken_copy(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(ARCHIVE, folder)
    (folder / "data" / name).write_bytes(content)
    return folder


BAD_TWEETS = (
    (ARCHIVE / "data" / "tweets.js")
    .read_bytes()
    .replace(b'"id_str" : "1500000000000000002"', b'"id_str" : 1500000000000000002"', 1)
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tweets.js", BAD_TWEETS, "data/tweets.js: record 2: not valid JSON"),
        (
            "tweets.js",
            (ARCHIVE / "data" / "tweets.js").read_bytes()[:900],
            "data/tweets.js: record 1: file ends before the array closes",
        ),
        ("follower.js", b"window.YTD.follower.part0 = ", "data/follower.js: no JSON array found"),
        (
            "like.js",
            b'window.YTD.like.part0 = [ {"like": {"fullText": "x"}} ]',
            "like.js: record 1: unexpected record (KeyError: 'tweetId')",
        ),
    ],
)
def test_malformed_file_is_exit_2_one_line_and_adds_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    db = tmp_path / "n.db"
    folder = _broken_copy(tmp_path, name, content)
    code, out = _cli("--db", str(db), "import", str(folder))
    assert code == 2, out
    assert out.count("\n") == 1
    assert out.startswith("error: ")
    assert message in out
    assert "Traceback" not in out
    store = Store.open(f"sqlite:///{db}")
    i, r = schema.interactions, schema.import_runs
    with store.connect() as conn:
        failed = conn.execute(sa.select(r.c.status, r.c.error).where(r.c.status == "failed")).one()
        assert message.split(": ", 1)[-1].split(" (")[0] in failed.error
        if name == "tweets.js":  # nothing of the broken file is in the ledger
            assert (
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(i)
                    .where(i.c.kind.in_(["post", "reply", "repost", "mention"]))
                ).scalar_one()
                == 0
            )
        if name == "like.js":
            assert (
                conn.execute(
                    sa.select(sa.func.count()).select_from(i).where(i.c.kind == "like")
                ).scalar_one()
                == 0
            )
    store.close()


def test_fixing_the_file_and_rerunning_completes(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    folder = _broken_copy(tmp_path, "tweets.js", BAD_TWEETS)
    assert _cli("--db", str(db), "import", str(folder))[0] == 2
    shutil.copy(ARCHIVE / "data" / "tweets.js", folder / "data" / "tweets.js")
    code, out = _cli("--db", str(db), "import", str(folder))
    assert code == 0, out
    store = Store.open(f"sqlite:///{db}")
    assert ledger(store) == EXPECTED
    store.close()


def test_truncated_zip_is_exit_2(tmp_path: Path) -> None:
    archive = make_zip(tmp_path)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    code, out = _cli("--db", str(tmp_path / "n.db"), "import", str(archive))
    assert code == 2
    assert "twitter.zip" in out
    assert "zip" in out
    assert out.count("\n") == 1


def test_zero_byte_and_binary_files_are_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "tweets.js"
    empty.write_bytes(b"")
    code, out = _cli("--db", str(tmp_path / "n.db"), "import", str(empty))
    assert code == 2
    assert "empty file" in out
    binary = tmp_path / "follower.js"
    binary.write_bytes(bytes(range(256)) * 4)
    code, out = _cli("--db", str(tmp_path / "n.db"), "import", str(binary))
    assert code == 2
    assert "follower.js" in out


def test_old_archive_layout_is_unsupported(tmp_path: Path, store: Store) -> None:
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(old, "w") as zf:
        zf.writestr("data/js/tweets/2012_01.js", "Grailbird.data.tweets_2012_01 = []")
    with pytest.raises(UnsupportedFormat, match="pre-2019 Twitter archive layout"):
        import_paths(store, [str(old)], settings=Settings())
    code, _out = _cli("--db", str(tmp_path / "n.db"), "import", str(old))
    assert code == 2


def test_missing_path_is_exit_2(tmp_path: Path) -> None:
    code, out = _cli("--db", str(tmp_path / "n.db"), "import", str(tmp_path / "nope.zip"))
    assert code == 2
    assert "no such file" in out


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@given(
    st.datetimes(
        min_value=__import__("datetime").datetime(2006, 1, 1),
        max_value=__import__("datetime").datetime(2099, 1, 1),
    )
)
def test_twitter_dates_parse_to_the_same_instant(dt: object) -> None:
    import datetime as _dt

    assert isinstance(dt, _dt.datetime)
    dt = dt.replace(microsecond=0)
    text = dt.strftime("%a %b %d %H:%M:%S +0000 %Y")
    assert ts_twitter(text) == dt.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def _transformed_each(reader: object, data: bytes) -> list[object]:
    """Each record of ``data`` through ``reader`` and the tweet transform: its rows, or the
    error it raised (type and message)."""
    import io

    from netweave.importers import twitter
    from netweave.importers._base import Context

    ctx = Context(file="tweets.js", owner={"twitter": OWNER}, owner_key={"twitter": "1001"})
    out: list[object] = []
    try:
        for _label, record in reader(io.BytesIO(data), ctx):  # type: ignore[operator]
            try:
                out.append(twitter.tweet(record, ctx))
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                out.append((type(exc).__name__, str(exc)))
    except InputError as exc:
        out.append(str(exc))
    return out


def _plain_reader(stream: object, ctx: object) -> object:
    from netweave.importers._readers import json_array_records

    return json_array_records(stream, "tweets.js")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["tweets.js", "tweets-part1.js"])
def test_tweets_read_to_their_shape_give_the_rows_of_a_full_read(name: str) -> None:
    """tweets.js is parsed to the fields the transform reads; the rows are the same."""
    from netweave.importers import twitter

    data = (ARCHIVE / "data" / name).read_bytes()
    shaped = _transformed_each(twitter._tweets_reader, data)
    assert shaped == _transformed_each(_plain_reader, data)
    assert len(shaped) >= 2


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
_MENTION = st.fixed_dictionaries(
    {},
    optional={
        "id_str": st.sampled_from(["42", "-1", "2002"]) | _VALUES,
        "screen_name": st.text(max_size=8) | _VALUES,
        "name": _VALUES,
        "indices": _VALUES,
    },
)
_ENTITIES = st.fixed_dictionaries(
    {},
    optional={
        "user_mentions": st.lists(_MENTION, max_size=3) | _VALUES,
        "hashtags": st.lists(st.fixed_dictionaries({}, optional={"text": _VALUES})) | _VALUES,
        "urls": st.lists(
            st.fixed_dictionaries({}, optional={"expanded_url": _VALUES, "url": _VALUES})
        )
        | _VALUES,
        "symbols": _VALUES,
    },
)
_TWEET = st.fixed_dictionaries(
    {
        "id_str": st.sampled_from(["1", "2", "3"]) | _VALUES,
        "created_at": st.just("Wed Oct 10 20:19:24 +0000 2018") | _VALUES,
    },
    optional={
        "full_text": st.sampled_from(["RT @ada: hi", "hello"]) | _VALUES,
        "text": _VALUES,
        "entities": _ENTITIES | _VALUES,
        "in_reply_to_status_id_str": _VALUES,
        "in_reply_to_user_id_str": _VALUES,
        "in_reply_to_screen_name": _VALUES,
        "conversation_id_str": _VALUES,
        "edit_info": _VALUES,
        "favorite_count": _VALUES,
    },
)


@given(st.lists(st.one_of(st.fixed_dictionaries({"tweet": _TWEET}), _TWEET), max_size=4))
def test_any_tweets_read_to_their_shape_transform_as_read_in_full(records: list[object]) -> None:
    """Whatever types a tweets.js holds, the shaped read gives the rows (or the error) of a
    full read, record by record."""
    from netweave.importers import twitter

    data = b"window.YTD.tweets.part0 = " + json.dumps(records).encode()
    assert _transformed_each(twitter._tweets_reader, data) == _transformed_each(_plain_reader, data)
