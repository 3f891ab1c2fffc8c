"""Blogs: OPML blogroll, RSS 2.0 and Atom feeds, WordPress export (WXR) with threaded comments."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.importers import import_paths
from netweave.importers._base import Context, account_id, entries_for
from netweave.importers.blogs import _opml_reader, _wxr_reader, feed_entry, site_key
from netweave.store import Store, schema

from .conftest import DATA

BLOGS = DATA / "blogs"
WXR = BLOGS / "ada.wordpress.2025-01-15.xml"
OWN = Settings.from_mapping({"owner": {"domains": ["ada.example"]}})
LEDGER = ("accounts", "account_contacts", "edges", "interactions", "lists", "list_members")
runner = CliRunner()

ADA = account_id("blog", "ada.example")
TERRILL_BLOG = account_id("blog", "terrill.dev")
TERRILL_COMMENTER = account_id("blog_comment", "terrill@terrill.dev")


def _interactions(store: Store, **where: Any) -> list[sa.Row[Any]]:
    i = schema.interactions
    query = sa.select(i).order_by(i.c.occurred_at)
    for column, value in where.items():
        query = query.where(i.c[column] == value)
    with store.connect() as conn:
        return list(conn.execute(query))


def _contacts(store: Store, account: str) -> set[tuple[str, str]]:
    c = schema.account_contacts
    with store.connect() as conn:
        return {
            (kind, value)
            for kind, value in conn.execute(
                sa.select(c.c.kind, c.c.value).where(c.c.account_id == account)
            )
        }


def _account(store: Store, aid: str) -> sa.Row[Any]:
    a = schema.accounts
    with store.connect() as conn:
        return conn.execute(sa.select(a).where(a.c.account_id == aid)).one()


def _ledger(store: Store) -> dict[str, int]:
    counts = store.counts()
    return {t: counts[t] for t in LEDGER}


# --- WordPress ---------------------------------------------------------------------------------


def test_wordpress_posts_are_the_owners(store: Store) -> None:
    import_paths(store, [str(WXR)], settings=Settings())
    ada = _account(store, ADA)
    assert (ada.is_owner, ada.display_name, ada.url) == (True, "Ada Example", "https://ada.example")
    assert ("email", "ada@ada.example") in _contacts(store, ADA)
    posts = _interactions(store, kind="post")
    # the page, the draft and the attachment are not posts
    assert [(p.url, p.direction, p.actor_account) for p in posts] == [
        ("https://ada.example/2024/11/whats-your-goal/", "given", ADA),
        ("https://ada.example/2024/12/relationships-first/", "given", ADA),
    ]
    assert posts[0].occurred_at.isoformat() == "2024-11-17T15:00:00+00:00"  # the GMT column
    assert posts[0].text == (
        "So what's your goal with this whole social media thing?\n\n"
        "At dinner in Chicago, @terrillific asked me: what is your goal with social media?\n\n"
        "I did not have an answer & that bothered me."
    )
    assert posts[0].extra == {
        "title": "So what's your goal with this whole social media thing?",
        "tags": ["Social media", "goals"],
    }


def test_wordpress_comments_are_threaded_and_directed(store: Store) -> None:
    import_paths(store, [str(WXR)], settings=Settings())
    comments = _interactions(store, kind="comment")
    by_url = {c.url.rsplit("#", 1)[1]: c for c in comments}
    # spam (5) and pending (6) comments are left out
    assert sorted(by_url) == [f"comment-{n}" for n in (1, 2, 3, 4, 8, 9)]
    post = "https://ada.example/?p=100"
    terrill, ada, zoe = by_url["comment-2"], by_url["comment-3"], by_url["comment-4"]
    assert (terrill.actor_account, terrill.target_account, terrill.direction) == (
        TERRILL_COMMENTER,
        ADA,
        "received",
    )
    assert (terrill.in_reply_to, terrill.thread_id) == (post, post)
    assert terrill.occurred_at.isoformat() == "2024-11-17T18:30:00+00:00"
    # the owner's reply answers Terrill's comment, and is given to him
    assert (ada.actor_account, ada.target_account, ada.direction) == (
        ADA,
        TERRILL_COMMENTER,
        "given",
    )
    assert ada.in_reply_to == "https://ada.example/2024/11/whats-your-goal/#comment-2"
    assert zoe.in_reply_to == "https://ada.example/2024/11/whats-your-goal/#comment-3"
    assert (zoe.direction, zoe.target_account, zoe.text) == (
        "received",
        ADA,
        "Same here. Following this thread & taking notes.",
    )
    # a comment on a page answers the page
    assert by_url["comment-1"].in_reply_to == "https://ada.example/?page_id=2"
    # formula-like text is kept as written
    assert by_url["comment-9"].text == "+1, and =SUM(A1:A3) is not a formula here."


def test_wordpress_commenters_and_pingbacks(store: Store) -> None:
    import_paths(store, [str(WXR)], settings=Settings())
    a = schema.accounts
    with store.connect() as conn:
        commenters = dict(
            conn.execute(
                sa.select(a.c.key, a.c.display_name).where(a.c.platform == "blog_comment")
            ).all()
        )
    assert commenters == {
        "terrill@terrill.dev": "Terrill",  # keyed by email, lower-cased
        "zoe@accessible.example": "Zoë",
        "sherry@rowancoaching.example": "Sherry Rowan",
        "bsky.app/profile/jose.bsky.social": "José",  # no email: keyed by link
        "sam": "Sam",  # neither: keyed by name
    }
    assert _contacts(store, TERRILL_COMMENTER) == {
        ("email", "terrill@terrill.dev"),
        ("url", "https://terrill.dev/"),
    }
    (ping,) = _interactions(store, kind="mention")
    assert (ping.actor_account, ping.target_account, ping.direction) == (
        TERRILL_BLOG,
        ADA,
        "received",
    )
    assert ping.text == "[…] Dinner in Chicago with Ada, who asked the best question […]"
    assert _account(store, TERRILL_BLOG).display_name == (
        "Terrill Thompson: notes on access & improv"
    )
    # the owner's own pingback between two of her posts is not an interaction
    assert all("comment-10" not in i.url for i in _interactions(store))


def test_wordpress_owner_is_recognised_by_configured_email(store: Store, tmp_path: Path) -> None:
    # a two-author blog: the comment author whose email is the owner's is the owner
    text = WXR.read_text(encoding="utf-8").replace(
        "\t<wp:category>",
        "\t<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[guest]]>"
        "</wp:author_login><wp:author_email><![CDATA[guest@ada.example]]></wp:author_email>"
        "<wp:author_display_name><![CDATA[Guest]]></wp:author_display_name></wp:author>\n"
        "\t<wp:category>",
        1,
    )
    two = tmp_path / "two.wordpress.xml"
    two.write_text(text, encoding="utf-8")
    mine = Settings.from_mapping({"owner": {"emails": ["Ada@Ada.example"]}})
    import_paths(store, [str(two)], settings=mine)
    assert _account(store, ADA).display_name == "Ada Example"
    given = _interactions(store, kind="comment", direction="given")
    assert [g.url.rsplit("#", 1)[1] for g in given] == ["comment-3"]


# --- feeds -------------------------------------------------------------------------------------


def test_rss_feed(store: Store) -> None:
    import_paths(store, [str(BLOGS / "rss.xml")], settings=Settings())
    blog = _account(store, TERRILL_BLOG)
    assert (blog.display_name, blog.url, blog.is_owner) == (
        "Terrill Thompson",  # the one author of every item (dc:creator)
        "https://terrill.dev",
        False,
    )
    assert blog.bio == "Accessibility specialist and improviser. Now @terrill@mastodon.social"
    assert blog.extra == {
        "title": "Terrill Thompson: notes on access & improv",
        "feed": "https://terrill.dev/feed/",
    }
    posts = _interactions(store, kind="post")
    assert [(p.direction, p.actor_account, p.occurred_at.isoformat()) for p in posts] == [
        ("neutral", TERRILL_BLOG, "2024-11-18T08:30:00+00:00"),  # -0600 in the feed
        ("neutral", TERRILL_BLOG, "2025-01-11T15:00:00+00:00"),
    ]
    # content:encoded as plain text (block comments and tags dropped, entities decoded)
    assert posts[1].text == (
        "Testing color contrast in CI\n\nAnyone know a good tool for testing color contrast in "
        "CI? Our checks run on every pull request but miss text over images.\n\n"
        "Replies welcome & appreciated."
    )
    assert posts[1].thread_id == "https://terrill.dev/?p=1340"  # the guid
    assert posts[0].thread_id == "https://terrill.dev/2024/11/what-i-learned-in-chicago/"
    assert posts[1].extra == {
        "title": "Testing color contrast in CI",
        "tags": ["Accessibility", "a11y"],
    }


def test_atom_feed(store: Store) -> None:
    import_paths(store, [str(BLOGS / "atom.xml")], settings=Settings())
    zoe = account_id("blog", "zoe-lambert.example")
    assert _account(store, zoe).display_name == "Zoë Lambert"
    assert _contacts(store, zoe) == {
        ("email", "zoe@accessible.example"),
        ("url", "https://www.zoe-lambert.example/"),
    }
    posts = _interactions(store, kind="post")
    assert [(p.occurred_at.isoformat(), p.url) for p in posts] == [
        ("2024-10-20T08:00:00+00:00", "https://www.zoe-lambert.example/posts/notes-from-a11yto/"),
        ("2025-01-06T14:00:00+00:00", "https://www.zoe-lambert.example/posts/accessible-charts/"),
    ]
    assert posts[1].text.endswith("Alt text, data tables, sonification… what works for you?")
    assert "<" not in posts[1].text
    assert {p.direction for p in posts} == {"neutral"}


def test_a_feed_on_an_owner_domain_is_the_owners_blog(store: Store) -> None:
    mine = Settings.from_mapping({"owner": {"domains": ["https://www.Zoe-Lambert.example/"]}})
    import_paths(store, [str(BLOGS / "atom.xml")], settings=mine)
    zoe = account_id("blog", "zoe-lambert.example")
    assert _account(store, zoe).is_owner
    assert {p.direction for p in _interactions(store, kind="post")} == {"given"}


def test_an_entry_without_date_or_identity_is_not_a_post() -> None:
    meta = {"site": "x.example", "link": "https://x.example/", "title": "X"}
    rows = feed_entry({"feed": meta, "entry": {"title": "t", "text": "b"}}, Context())
    assert (len(rows.accounts), len(rows.interactions)) == (1, 0)


# --- OPML ----------------------------------------------------------------------------------------


def test_opml_blogroll_with_folders(store: Store) -> None:
    import_paths(store, [str(BLOGS / "blogroll.opml")], settings=OWN)
    e, lists, m = schema.edges, schema.lists, schema.list_members
    with store.connect() as conn:
        follows = {
            (src, dst)
            for src, dst in conn.execute(
                sa.select(e.c.from_account, e.c.to_account).where(e.c.kind == "follows")
            )
        }
        folders = {
            (name, member)
            for name, member in conn.execute(
                sa.select(lists.c.name, m.c.member_id).join(m, m.c.list_id == lists.c.list_id)
            )
        }
    keys = ("terrill.dev", "zoe-lambert.example", "packaging-weekly.example/blog")
    followed = {account_id("blog", k) for k in (*keys, "news.ycombinator.com")}
    # the owner (from owner.domains) follows every blog but her own
    assert follows == {(ADA, b) for b in followed}
    assert _account(store, ADA).is_owner
    assert folders == {
        ("Friends", TERRILL_BLOG),
        ("Friends / Chicago", account_id("blog", "zoe-lambert.example")),
        ("Python", account_id("blog", "packaging-weekly.example/blog")),
        ("Python", TERRILL_BLOG),  # listed twice, in two folders: one blog
    }
    weekly = _account(store, account_id("blog", "packaging-weekly.example/blog"))
    assert weekly.url == "https://packaging-weekly.example/blog/rss.xml"  # no htmlUrl
    assert _account(store, TERRILL_BLOG).display_name == (
        "Terrill Thompson: notes on access & improv"
    )


def test_opml_without_a_known_owner_uses_a_stand_in(store: Store) -> None:
    import_paths(store, [str(BLOGS / "blogroll.opml")], settings=Settings())
    me = _account(store, account_id("blog", "self"))
    assert (me.is_owner, me.display_name) == (True, "me (blogs)")
    assert store.counts()["edges"] == 5


# --- everything together ----------------------------------------------------------------------


def test_a_folder_of_blog_files_meets_on_one_account_per_blog(store: Store) -> None:
    report = import_paths(store, [str(BLOGS)], settings=OWN)
    assert [f.source for f in report.files] == [
        "blogs.wordpress",  # the owner's blog first
        "blogs.opml",
        "blogs.feed",
        "blogs.feed",
    ]
    a = schema.accounts
    with store.connect() as conn:
        blogs = sorted(conn.execute(sa.select(a.c.key).where(a.c.platform == "blog")).scalars())
    assert blogs == [
        "ada.example",
        "news.ycombinator.com",
        "packaging-weekly.example/blog",
        "terrill.dev",
        "zoe-lambert.example",
    ]
    # the feed, imported after the blogroll, names the blog by its author
    assert _account(store, TERRILL_BLOG).display_name == "Terrill Thompson"
    assert _account(store, ADA).display_name == "Ada Example"


def test_reimport_three_times_leaves_identical_counts(store: Store) -> None:
    counts = []
    for force in (False, True, True):
        import_paths(store, [str(BLOGS)], settings=OWN, force=force)
        counts.append(_ledger(store))
    assert counts[0] == counts[1] == counts[2]
    assert counts[0]["interactions"] == 2 + 6 + 1 + 2 + 2


def test_renamed_files_are_recognised_by_content(tmp_path: Path) -> None:
    names = {
        WXR: "export.xml",
        BLOGS / "rss.xml": "feed.txt",
        BLOGS / "atom.xml": "download",
        BLOGS / "blogroll.opml": "subscriptions.xml",
    }
    found = {}
    for source, name in names.items():
        shutil.copy(source, tmp_path / name)
        head = (tmp_path / name).read_bytes()[:4096]
        found[name] = [e.source for e in entries_for(name, head)]
    assert found == {
        "export.xml": ["blogs.wordpress"],
        "feed.txt": ["blogs.feed"],
        "download": ["blogs.feed"],
        "subscriptions.xml": ["blogs.opml"],
    }


def test_a_wordpress_feed_is_not_a_wordpress_export() -> None:
    feed = (BLOGS / "rss.xml").read_bytes()[:4096]
    # named like an export, read as what it is
    assert [e.source for e in entries_for("wordpress.xml", feed)] == ["blogs.feed"]
    assert [e.source for e in entries_for("x.xml", feed)] == ["blogs.feed"]
    export = WXR.read_bytes()[:4096]
    assert [e.source for e in entries_for("rss.xml", export)] == ["blogs.wordpress"]


# --- bad input ---------------------------------------------------------------------------------

_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE opml [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
    '<opml version="2.0"><head><title>&lol2;</title></head><body>'
    '<outline text="a" xmlUrl="https://a.example/feed"/></body></opml>\n'
)


def _nth_replaced(text: str, old: str, new: str, n: int) -> str:
    parts = text.split(old)
    return old.join(parts[:n]) + new + old.join(parts[n:])


def _bad_files() -> Iterator[tuple[str, str, bytes, str]]:
    wxr = WXR.read_text(encoding="utf-8")
    yield (
        "wxr-broken-item",
        "ada.wordpress.xml",
        _nth_replaced(wxr, "</item>", "</itme>", 3).encode(),
        "item 3: not well-formed XML (mismatched tag",
    )
    cut = wxr.index("<wp:comment_id>4</wp:comment_id>")
    yield "wxr-truncated", "ada.wordpress.xml", wxr[:cut].encode(), "item 2: not well-formed XML"
    yield (
        "wxr-external-entity",
        "ada.wordpress.xml",
        wxr.replace(
            "<rss version",
            '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss version',
        )
        .replace("<title>Ada Example</title>", "<title>&x;</title>")
        .encode(),
        "refused: the XML declares entities or external resources",
    )
    rss = (BLOGS / "rss.xml").read_text(encoding="utf-8")
    yield (
        "rss-broken-item",
        "rss.xml",
        _nth_replaced(rss, "<title>", "<title>AT&T ", 3).encode(),
        "rss.xml: item 2: not well-formed XML",
    )
    atom = (BLOGS / "atom.xml").read_text(encoding="utf-8")
    yield (
        "atom-broken-entry",
        "atom.xml",
        atom.replace("</summary>", "</summry>", 1).encode(),
        "atom.xml: entry 1: not well-formed XML",
    )
    opml = (BLOGS / "blogroll.opml").read_text(encoding="utf-8")
    yield (
        "opml-broken-outline",
        "blogroll.opml",
        opml.replace('htmlUrl="https://www.zoe-lambert.example/"', 'htmlUrl="https://z<"').encode(),
        "blogroll.opml: outline 4: not well-formed XML",
    )
    yield "opml-bomb", "blogroll.opml", _BOMB.encode(), "refused"
    yield "opml-empty", "blogroll.opml", b"", "blogroll.opml: empty file"
    yield (
        "rss-binary",
        "feed.rss",
        b"\x00\x01\xff\xfe" * 300,
        "does not look like a feed (RSS or Atom)",
    )
    yield "wxr-binary", "site.wordpress.xml", b"\x89PNG\r\n\x1a\n" * 50, "does not look like"


@pytest.mark.parametrize(("case", "name", "content", "message"), list(_bad_files()))
def test_bad_files_exit_2_with_one_line_and_add_nothing(
    tmp_path: Path, case: str, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(bad)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert message in out, out
    assert str(bad) in out
    assert out.count("\n") == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        assert _ledger(store) == dict.fromkeys(LEDGER, 0)
    finally:
        store.close()


# --- streaming ---------------------------------------------------------------------------------


class _Counting(io.BytesIO):
    """A stream that remembers how far it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, n: int | None = -1) -> bytes:
        data = super().read(n)
        self.furthest = self.tell()
        return data


def test_wordpress_export_is_streamed_item_by_item() -> None:
    wxr = WXR.read_text(encoding="utf-8")
    start, end = wxr.index("\t<item>"), wxr.rindex("</item>") + len("</item>")
    big = (wxr[:end] + wxr[start:end] * 300 + wxr[end:]).encode()
    stream = _Counting(big)
    records = _wxr_reader(stream, Context(file="big.xml"))
    assert next(records)[0] == "channel"
    assert next(records)[0] == "item 1"
    assert stream.furthest < len(big) // 10
    assert sum(1 for _ in records) == 5 * 301 - 1


def test_opml_is_streamed_outline_by_outline() -> None:
    line = '<outline type="rss" text="b{0}" xmlUrl="https://b{0}.example/feed/"/>\n'
    body = "".join(line.format(n) for n in range(20000))
    data = f'<?xml version="1.0"?>\n<opml version="1.0"><body>{body}</body></opml>'.encode()
    stream = _Counting(data)
    records = _opml_reader(stream, Context(file="big.opml"))
    label, first = next(records)
    assert (label, first["xmlurl"]) == ("outline 1", "https://b0.example/feed/")
    assert stream.furthest < len(data) // 10
    assert sum(1 for _ in records) == 19999


# --- site keys ---------------------------------------------------------------------------------

_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@given(
    st.lists(_LABEL, min_size=2, max_size=4),
    st.lists(_LABEL, max_size=3),
    st.booleans(),
    st.sampled_from(["", "/", "/feed/", "/rss.xml", "?p=1"]),
)
def test_site_key_is_stable_and_ignores_scheme_www_and_feed_paths(
    host: list[str], path: list[str], www: bool, tail: str
) -> None:
    assume(host[0] != "www")  # "www.www.x" is not a real site
    hostname = ".".join(host)
    base = f"https://{'www.' if www else ''}{hostname.upper()}/{'/'.join(path)}"
    key = site_key(base + tail, feed=True)
    assert key is not None
    assert key == site_key(f"http://{key}/", feed=True)  # idempotent
    assert key.split("/", 1)[0] == hostname.removeprefix("www.")
    assert key == site_key(base, feed=True)
