"""The demo export generator: deterministic, format-exact, and importable by netweave."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.demo import DEFAULT_TODAY, FILES, settings, write_demo_exports
from netweave.importers import import_paths
from netweave.importers._base import account_id, entries_for
from netweave.store import Store, schema

ROOT = Path(__file__).parent.parent
DAY = DEFAULT_TODAY
runner = CliRunner()
_YTD = re.compile(r"^window\.YTD\.(\w+)\.part0 = ")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_demo_exports(tmp_path_factory.mktemp("demo"), seed=7, today=DAY)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def ytd(data: bytes) -> tuple[str, list[Any]]:
    text = data.decode("utf-8")
    m = _YTD.match(text)
    assert m, text[:60]
    return m.group(1), json.loads(text[m.end() :])


def snowflake_time(tweet_id: str) -> datetime:
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + 1288834974657) / 1000, UTC)


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_and_day_write_identical_bytes(exports: dict[str, Path], tmp_path: Path) -> None:
    again = write_demo_exports(tmp_path / "again", seed=7, today=DAY)
    assert sorted(again) == sorted(exports) == sorted(FILES)
    for key, path in exports.items():
        assert again[key].read_bytes() == path.read_bytes(), key
    other = write_demo_exports(tmp_path / "other", seed=8, today=DAY)
    assert other["twitter"].read_bytes() != exports["twitter"].read_bytes()


def test_output_does_not_depend_on_hash_randomisation(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    script = (
        "import sys, hashlib, pathlib, datetime\n"
        "from netweave.demo import write_demo_exports\n"
        "out = write_demo_exports(pathlib.Path(sys.argv[1]), 7, datetime.date(2026, 1, 15))\n"
        "for k in sorted(out): print(k, hashlib.sha256(out[k].read_bytes()).hexdigest())\n"
    )
    expected = "".join(
        f"{k} {hashlib.sha256(exports[k].read_bytes()).hexdigest()}\n" for k in sorted(exports)
    )
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hashseed)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stdout == expected


def test_data_leads_up_to_the_given_day(tmp_path: Path) -> None:
    day = date(2031, 5, 1)
    out = write_demo_exports(tmp_path, today=day)
    _, tweets = ytd(members(out["twitter"])["data/tweets.js"])
    times = [datetime.strptime(t["tweet"]["created_at"], "%a %b %d %H:%M:%S %z %Y") for t in tweets]
    assert max(times) < datetime(2031, 5, 1, 5, tzinfo=UTC)  # midnight in Chicago
    assert max(times).date() > day - timedelta(days=14)
    assert min(times).date() >= day - timedelta(days=731)
    assert times == sorted(times, reverse=True)  # archives list the newest first


# --- formats ----------------------------------------------------------------------------------


def test_twitter_archive_is_format_exact(exports: dict[str, Path]) -> None:
    files = members(exports["twitter"])
    data = {
        name: ytd(raw)
        for name, raw in files.items()
        if name.endswith(".js") and "manifest" not in name
    }
    for name, (global_name, _) in data.items():
        assert global_name == name.removeprefix("data/").removesuffix(".js").replace("-", "_")
    manifest = files["data/manifest.js"].decode()
    assert manifest.startswith("window.__THAR_CONFIG = {\n")
    config = json.loads(manifest.split("=", 1)[1])
    for kind, info in config["dataTypes"].items():
        (entry,) = info["files"]
        assert int(entry["count"]) == len(data[entry["fileName"]][1]), kind
    assert files["data/tweets.js"].startswith(b'window.YTD.tweets.part0 = [\n  {\n    "tweet" : {')
    for record in data["data/tweets.js"][1]:
        t = record["tweet"]
        created = datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
        assert abs(snowflake_time(t["id_str"]) - created) < timedelta(seconds=1)
        for m in t["entities"]["user_mentions"]:
            start, end = (int(i) for i in m["indices"])
            assert t["full_text"][start:end].lower() == "@" + m["screen_name"].lower()
        for u in t["entities"]["urls"]:
            assert u["url"].startswith("https://t.co/")
            assert u["url"] in t["full_text"]
    for record in data["data/direct-messages.js"][1]:
        conv = record["dmConversation"]
        a, b = conv["conversationId"].split("-")
        ids = [m["messageCreate"]["id"] for m in conv["messages"]]
        assert ids == sorted(ids, key=int, reverse=True)
        for m in conv["messages"]:
            assert {m["messageCreate"]["senderId"], m["messageCreate"]["recipientId"]} == {a, b}
    texts = [m["messageCreate"]["text"] for r in data["data/direct-messages.js"][1]
             for m in r["dmConversation"]["messages"]]  # fmt: skip
    assert "In Chicago next week for a conference. Dinner?" in texts


def test_linkedin_export_is_format_exact(exports: dict[str, Path]) -> None:
    files = members(exports["linkedin"])
    assert set(files) >= {"Connections.csv", "messages.csv", "Invitations.csv", "Profile.csv"}
    for raw in files.values():
        assert raw.startswith(b"\xef\xbb\xbf")
    connections = files["Connections.csv"].decode("utf-8-sig")
    assert connections.startswith('Notes:\r\n"When exporting your connection data')
    header_at = connections.index(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(connections[header_at:], newline="")))
    assert len(rows) > 100
    for row in rows:
        assert row["URL"].startswith("https://www.linkedin.com/in/")
        datetime.strptime(row["Connected On"], "%d %b %Y")
    assert {"Álvarez", "Thompson, CPACC"} <= {r["Last Name"] for r in rows}
    messages = list(
        csv.DictReader(io.StringIO(files["messages.csv"].decode("utf-8-sig"), newline=""))
    )
    for m in messages:
        datetime.strptime(m["DATE"], "%Y-%m-%d %H:%M:%S UTC")
        assert m["IS MESSAGE DRAFT"] == "No"
    assert any("\n" in m["CONTENT"] for m in messages)  # letters span lines
    invitations = list(
        csv.DictReader(io.StringIO(files["Invitations.csv"].decode("utf-8-sig"), newline=""))
    )
    assert {i["Direction"] for i in invitations} == {"INCOMING", "OUTGOING"}
    for i in invitations:
        assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d [AP]M", i["Sent At"])


def _repair(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("latin-1").decode("utf-8")
    if isinstance(value, list):
        return [_repair(v) for v in value]
    if isinstance(value, dict):
        return {k: _repair(v) for k, v in value.items()}
    return value


def test_facebook_export_is_format_exact(exports: dict[str, Path]) -> None:
    files = members(exports["facebook"])
    docs = {name: json.loads(raw) for name, raw in files.items()}
    for name, raw in files.items():
        assert raw.isascii(), name  # every non-ASCII byte is escaped, Facebook's mojibake
        assert raw.startswith(b'{\n  "')
    requests = _repair(docs["friends_and_followers/friend_requests_received.json"])
    assert requests["received_requests_v2"][0]["name"] == "Ana Sofía Muñoz"
    friends = docs["friends_and_followers/friends.json"]["friends_v2"]
    stamps = [f["timestamp"] for f in friends]
    assert stamps == sorted(stamps, reverse=True)
    assert len(friends) > 40
    assert (
        docs["profile_information/profile_information.json"]["profile_v2"]["name"]["full_name"]
        == "Mia Okafor"
    )
    threads = {
        n: d
        for n, d in docs.items()
        if re.fullmatch(r"messages/inbox/[a-z0-9]+_\d{17}/message_1\.json", n)
    }
    assert len(threads) > 10
    for name, thread in threads.items():
        assert name == f"messages/{thread['thread_path']}/message_1.json"
        assert {"name": "Mia Okafor"} in thread["participants"]
        times = [m["timestamp_ms"] for m in thread["messages"]]
        assert times == sorted(times, reverse=True)
    emoji = [_repair(m["content"]) for t in threads.values() for m in t["messages"]]
    assert "Ha, love it 😂" in emoji


def test_mastodon_archive_is_format_exact(exports: dict[str, Path]) -> None:
    files = members(exports["mastodon"])
    actor = json.loads(files["actor.json"])
    assert (actor["type"], actor["preferredUsername"]) == ("Person", "miaokafor")
    outbox = json.loads(files["outbox.json"])
    items = outbox["orderedItems"]
    assert outbox["type"] == "OrderedCollection"
    assert outbox["totalItems"] == len(items) > 100
    assert {i["type"] for i in items} == {"Create", "Announce"}
    assert b'"Create"' in files["outbox.json"][:4096]  # content sniffing sees it early
    for item in items:
        if item["type"] == "Create":
            note = item["object"]
            assert note["type"] == "Note"
            assert note["content"].startswith("<p>")
            for tag in note["tag"]:
                if tag["type"] == "Mention":
                    assert re.fullmatch(r"@\w+@[\w.-]+", tag["name"])
    following = files["following_accounts.csv"].decode().splitlines()
    assert following[0] == "Account address,Show boosts,Notify on new posts,Languages"
    for line in files["lists.csv"].decode().splitlines():
        name, address = next(csv.reader([line]))
        assert name
        assert re.fullmatch(r"[\w.]+@[\w.-]+", address)
    likes = json.loads(files["likes.json"])["orderedItems"]
    assert all(re.fullmatch(r"https://[\w.-]+/users/\w+/statuses/\d+", u) for u in likes)


def test_address_books_are_format_exact(exports: dict[str, Path]) -> None:
    raw = exports["vcard"].read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.decode("utf-8").split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    cards: list[list[str]] = []
    for line in logical:
        if line == "BEGIN:VCARD":
            cards.append([])
        cards[-1].append(line)
    assert len(cards) > 30
    for card in cards:
        assert card[1] == "VERSION:3.0"
        assert card[-1] == "END:VCARD"
        assert any(x.startswith("N:") for x in card)
        assert any(x.startswith("FN:") for x in card)
    assert "FN:山田太郎" in logical
    assert (
        "X-SOCIALPROFILE;type=mastodon;x-user=terrill@mastodon.social:https://mastodon.social/@terrill"
        in logical
    )
    google = exports["google_contacts"].read_bytes()
    assert google.startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,")
    rows = list(csv.DictReader(io.StringIO(google.decode("utf-8-sig"), newline="")))
    jose = next(r for r in rows if r["File As"] == "Álvarez, José")
    assert jose["E-mail 1 - Value"] == "jose.alvarez@example.com"
    assert all(r["Labels"].startswith("* myContacts") for r in rows)


def test_blog_files_are_well_formed(exports: dict[str, Path]) -> None:
    opml = ET.parse(exports["opml"]).getroot()
    feeds = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("type") == "rss"}
    rss = ET.parse(exports["rss"]).getroot()
    atom_ns = "{http://www.w3.org/2005/Atom}"
    assert rss.find(f"channel/{atom_ns}link").get("href") in feeds  # type: ignore[union-attr]
    items = rss.findall("channel/item")
    assert len(items) > 5
    for item in items:
        parsedate_to_datetime(item.findtext("pubDate") or "")
    atom = ET.parse(exports["atom"]).getroot()
    assert atom.find(f"{atom_ns}link[@rel='self']").get("href") in feeds  # type: ignore[union-attr]
    for entry in atom.findall(f"{atom_ns}entry"):
        datetime.fromisoformat(entry.findtext(f"{atom_ns}published") or "")
    wp = "{http://wordpress.org/export/1.2/}"
    wxr = ET.parse(exports["wordpress"]).getroot()
    assert wxr.findtext(f"channel/{wp}wxr_version") == "1.2"
    posts = [i for i in wxr.iter("item") if i.findtext(f"{wp}post_type") == "post"]
    comments = [c for p in posts for c in p.findall(f"{wp}comment")]
    assert len(posts) > 10
    assert len(comments) > 20
    ids = {c.findtext(f"{wp}comment_id") for c in comments}
    for c in comments:
        parent = c.findtext(f"{wp}comment_parent")
        assert parent == "0" or parent in ids
        datetime.strptime(c.findtext(f"{wp}comment_date_gmt") or "", "%Y-%m-%d %H:%M:%S")
    assert {c.findtext(f"{wp}comment_type") for c in comments} == {"comment", "pingback"}


# --- the Bluesky repository: a CAR file, checked with a small DAG-CBOR reader -----------------


class _Link(bytes):
    pass


def _uvarint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return n, at


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if major == 7:
        return {20: False, 21: True, 22: None}[info], at
    if info < 24:
        n = info
    else:
        size = 1 << (info - 24)
        n = int.from_bytes(data[at : at + size], "big")
        assert n >= (24 if size == 1 else 1 << (4 * size)), "not the shortest integer head"
        at += size
    if major == 0:
        return n, at
    if major == 1:
        return -1 - n, at
    if major in (2, 3):
        raw = data[at : at + n]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + n
    if major == 4:
        out = []
        for _ in range(n):
            item, at = _cbor(data, at)
            out.append(item)
        return out, at
    if major == 5:
        obj: dict[str, Any] = {}
        keys = []
        for _ in range(n):
            key, at = _cbor(data, at)
            obj[key], at = _cbor(data, at)
            keys.append(key.encode())
        assert keys == sorted(keys, key=lambda k: (len(k), k)), "map keys out of DAG-CBOR order"
        return obj, at
    assert (major, n) == (6, 42), "only CID links are tagged in DAG-CBOR"
    raw, at = _cbor(data, at)
    assert raw[0] == 0
    return _Link(raw[1:]), at


def _decode(block: bytes) -> Any:
    value, end = _cbor(block)
    assert end == len(block)
    return value


def _layer(key: bytes) -> int:
    bits = "".join(f"{b:08b}" for b in hashlib.sha256(key).digest())
    return (len(bits) - len(bits.lstrip("0"))) // 2


def _read_car(path: Path) -> tuple[bytes, dict[bytes, bytes]]:
    """(root CID, blocks by CID) of a CAR v1 file, checking every block's hash."""
    data = path.read_bytes()
    size, at = _uvarint(data, 0)
    header = _decode(data[at : at + size])
    at += size
    assert header["version"] == 1
    (root,) = header["roots"]
    blocks: dict[bytes, bytes] = {}
    while at < len(data):
        size, at = _uvarint(data, at)
        section = data[at : at + size]
        at += size
        link, block = section[:36], section[36:]
        assert link[:4] == b"\x01\x71\x12\x20"  # CIDv1, dag-cbor, sha2-256
        assert link[4:] == hashlib.sha256(block).digest()
        assert link not in blocks
        blocks[link] = block
    return bytes(root), blocks


def test_bluesky_repo_is_a_valid_car_with_a_merkle_search_tree(exports: dict[str, Path]) -> None:
    root, blocks = _read_car(exports["bluesky"])
    commit = _decode(blocks[root])
    assert (commit["did"], commit["version"]) == ("did:plc:7iza6de2dwap2sbkpav7c6c6", 3)
    assert len(commit["sig"]) == 64
    assert commit["prev"] is None

    keys: list[tuple[bytes, int]] = []

    def walk(link: bytes | None, depth: int | None) -> int | None:
        if link is None:
            return depth
        node = _decode(blocks[bytes(link)])
        at_layer = None
        walk(node["l"], None)
        previous = b""
        for entry in node["e"]:
            key = previous[: entry["p"]] + entry["k"]
            previous = key
            at_layer = _layer(key)
            keys.append((key, at_layer))
            record = _decode(blocks[bytes(entry["v"])])
            assert record["$type"] == key.decode().split("/")[0]
            walk(entry["t"], None)
        return at_layer

    walk(commit["data"], None)
    names = [k for k, _ in keys]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    collections = {k.decode().split("/")[0] for k in names}
    assert collections >= {
        "app.bsky.actor.profile", "app.bsky.feed.post", "app.bsky.feed.like",
        "app.bsky.feed.repost", "app.bsky.graph.follow", "app.bsky.graph.list",
        "app.bsky.graph.listitem", "app.bsky.graph.block",
    }  # fmt: skip
    posts = [
        _decode(blocks[bytes(e)])
        for e in _record_links(blocks, commit["data"], b"app.bsky.feed.post/")
    ]
    mentions = [f for p in posts for f in p.get("facets", [])
                if f["features"][0]["$type"] == "app.bsky.richtext.facet#mention"]  # fmt: skip
    assert mentions
    for post in posts:
        raw = post["text"].encode()
        for facet in post.get("facets", []):
            span = raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
            feature = facet["features"][0]
            if feature["$type"].endswith("#mention"):
                assert span.startswith("@")
                assert feature["did"].startswith("did:plc:")


def _record_links(blocks: dict[bytes, bytes], root: bytes, prefix: bytes) -> list[bytes]:
    """Record CIDs of every key starting with ``prefix``, in key order."""
    out: list[bytes] = []

    def walk(link: bytes | None) -> None:
        if link is None:
            return
        node = _decode(blocks[bytes(link)])
        walk(node["l"])
        previous = b""
        for entry in node["e"]:
            key = previous[: entry["p"]] + entry["k"]
            previous = key
            if key.startswith(prefix):
                out.append(entry["v"])
            walk(entry["t"])

    walk(root)
    return out


def test_mst_layers_follow_the_key_hash(exports: dict[str, Path]) -> None:
    """Every node holds keys of one layer, and subtrees sit exactly one layer lower."""
    root, blocks = _read_car(exports["bluesky"])
    commit = _decode(blocks[root])

    def layer_of(link: bytes) -> int:
        node = _decode(blocks[bytes(link)])
        if node["e"]:
            previous = b""
            layers = set()
            for entry in node["e"]:
                previous = previous[: entry["p"]] + entry["k"]
                layers.add(_layer(previous))
            assert len(layers) == 1
            return layers.pop()
        return layer_of(node["l"]) + 1

    def check(link: bytes) -> None:
        node = _decode(blocks[bytes(link)])
        here = layer_of(link)
        children = [node["l"], *(e["t"] for e in node["e"])]
        for child in children:
            if child is not None:
                assert layer_of(child) == here - 1
                check(child)

    check(commit["data"])


# --- importing ----------------------------------------------------------------------------------


def _readers(path: Path) -> list[str]:
    """The registered importer entries that would read this file (or a member of this zip)."""
    found: list[str] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                with zf.open(name) as fh:
                    found += [e.source for e in entries_for(name, fh.read(4096))]
    else:
        with path.open("rb") as fh:
            found += [e.source for e in entries_for(path.name, fh.read(4096))]
    return found


def _ledger(store: Store) -> dict[str, int]:
    counts = store.counts()
    return {t: counts[t] for t in ("accounts", "account_contacts", "edges", "interactions")}


TWITTER_OWNER = account_id("twitter", "271930858")
TERRILL = account_id("twitter", "14892034")


def test_twitter_archive_imports_with_the_expected_counts(
    store: Store, exports: dict[str, Path]
) -> None:
    files = {n: ytd(raw)[1] for n, raw in members(exports["twitter"]).items()
             if n.endswith(".js") and "manifest" not in n}  # fmt: skip
    report = import_paths(store, [str(exports["twitter"])], settings=Settings())
    assert report.skipped == [
        f"{exports['twitter']}:{n}"
        for n in (
            "data/manifest.js",
            "data/lists-member.js",
            "data/README.txt",
            "Your archive.html",
        )
    ]
    tweets = files["data/tweets.js"]
    reposts = sum(t["tweet"]["full_text"].startswith("RT @") for t in tweets)
    replies = sum("in_reply_to_status_id_str" in t["tweet"] for t in tweets)
    one_to_one = sum(len(c["dmConversation"]["messages"]) for c in files["data/direct-messages.js"])
    i, e, a = schema.interactions, schema.edges, schema.accounts
    with store.connect() as conn:
        kinds = dict(conn.execute(sa.select(i.c.kind, sa.func.count()).group_by(i.c.kind)).all())
        edges = dict(conn.execute(sa.select(e.c.kind, sa.func.count()).group_by(e.c.kind)).all())
        owner = conn.execute(sa.select(a).where(a.c.account_id == TWITTER_OWNER)).one()
        terrill = conn.execute(sa.select(a).where(a.c.account_id == TERRILL)).one()
        received = conn.execute(
            sa.select(sa.func.count()).where(i.c.kind == "dm", i.c.direction == "received")
        ).scalar_one()
    assert kinds["like"] == len(files["data/like.js"])
    assert kinds["repost"] == reposts
    assert kinds["reply"] == replies
    assert kinds["post"] == len(tweets) - reposts - replies
    assert (
        kinds["dm"] == one_to_one + 4
    )  # the introduction: one message to each of two, two replies
    assert received > 50
    assert edges["follows"] == len(files["data/follower.js"]) + len(files["data/following.js"])
    assert (edges["blocked"], edges["muted"]) == (3, 2)
    assert (owner.is_owner, owner.handle, owner.location) == (True, "miaokafor", "Chicago, IL")
    # the newest tweet naming Terrill shows the Mastodon address he put in his name before moving
    assert (terrill.handle, terrill.display_name) == (
        "terrillific",
        "Terrill 🎭 @terrill@mastodon.social",
    )
    # fixed for seed 7 and the default day: a change here means the demo data changed
    assert _ledger(store) == EXPECTED_TWITTER


EXPECTED_TWITTER = {"accounts": 244, "account_contacts": 2, "edges": 401, "interactions": 1576}


@pytest.mark.parametrize("key", [k for k in FILES if k not in {"twitter", "config", "readme"}])
def test_each_export_imports_once_its_importer_exists(
    key: str, store: Store, exports: dict[str, Path]
) -> None:
    path = exports[key]
    if not _readers(path):
        pytest.skip(f"no importer registered yet that reads {path.name} ({FILES[key][1]})")
    report = import_paths(store, [str(path)], settings=Settings())
    assert report.files
    assert all(f.status == "imported" for f in report.files)
    assert sum(f.records for f in report.files) > 0
    added = _ledger(store)
    assert added["accounts"] > 0, added
    assert added["account_contacts"] + added["edges"] + added["interactions"] > 0, added
    # importing the same file again changes nothing
    import_paths(store, [str(path)], settings=Settings())
    assert _ledger(store) == added


def test_readme_and_config_are_not_mistaken_for_exports(exports: dict[str, Path]) -> None:
    assert _readers(exports["readme"]) == []
    assert _readers(exports["config"]) == []


# --- the command, the story and make demo -----------------------------------------------------


def test_demo_data_command_writes_the_files_and_they_import(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    result = runner.invoke(app, ["--json", "demo-data", str(out), "--seed", "3",
                                 "--today", "2026-01-15"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["seed"], data["today"]) == (3, "2026-01-15")
    assert sorted(data["files"]) == sorted(FILES)
    assert all(Path(p).is_file() for p in data["files"].values())
    assert data["settings"] == settings()
    shown = runner.invoke(
        app, ["demo-data", str(tmp_path / "again"), "--seed", "3", "--today", "2026-01-15"]
    )
    assert shown.exit_code == 0
    assert "twitter-archive.zip" in shown.output
    assert "netweave config set owner.handles" in shown.output
    for name in ("twitter-archive.zip", "bluesky-repo.car", "wordpress-export.xml"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()
    db = tmp_path / "demo.db"
    for key, value in settings().items():
        text = ", ".join(value) if isinstance(value, list) else value
        assert runner.invoke(app, ["config", "set", key, text]).exit_code == 0
    imported = runner.invoke(app, ["--db", str(db), "--json", "import", str(out)])
    assert imported.exit_code == 0, imported.output
    report = json.loads(imported.output)
    assert {Path(s.rsplit(":", 1)[-1]).name for s in report["skipped"]} >= {
        "README.md",
        "netweave-config.toml",
    }
    # for people: one line per export and kind, each export named once, nothing cut short
    listed = runner.invoke(app, ["--db", str(tmp_path / "listed.db"), "import", str(out)])
    assert listed.exit_code == 0, listed.output
    assert f"from {out}" in listed.output
    assert listed.output.count("facebook-export.zip") == 1
    found = re.search(r"facebook\.messages +(\d+) +([\d,]+) +imported", listed.output)
    assert found is not None, listed.output
    assert int(found[1]) > 1  # a file per conversation, summed
    assert "…" not in listed.output
    assert len(re.findall(r"imported\n", listed.output)) < len(report["files"])
    store = Store.open(f"sqlite:///{db}")
    try:
        counts = store.counts()
        assert counts["accounts"] > 300
        assert counts["interactions"] > 3000
        assert 250 < counts["people"] < counts["accounts"]
    finally:
        store.close()


def test_bad_day_is_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-data", str(tmp_path), "--today", "last tuesday"])
    assert result.exit_code == 2
    assert "--today takes a date like 2026-01-15" in result.output
    assert not any(tmp_path.iterdir())


def test_a_day_before_the_story_could_happen_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-data", str(tmp_path / "old"), "--today", "2009-06-01"])
    assert result.exit_code == 2
    assert "the demo day must be 2015-01-01 or later" in result.output
    assert not (tmp_path / "old").exists()


def test_the_story_is_in_the_data(exports: dict[str, Path]) -> None:
    """Seed 000: dinner with @terrillific in Chicago; seed 004: help others, strategic partners."""
    twitter = members(exports["twitter"])
    tweets = [t["tweet"] for t in ytd(twitter["data/tweets.js"])[1]]
    assert any("Finally met @terrillific" in t["full_text"] for t in tweets)
    names = {m["name"] for t in tweets for m in t["entities"]["user_mentions"]}
    movers = {n for n in names if re.search(r"@\w+@[\w.-]+|\.bsky\.social", n)}
    assert len(movers) >= 5  # people announcing their new address before leaving Twitter
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]", n) for n in names)  # CJK
    messages = members(exports["linkedin"])["messages.csv"].decode("utf-8-sig")
    asks = [m for m in csv.DictReader(io.StringIO(messages, newline=""))
            if "python packaging" in m["CONTENT"] and m["FROM"] == "José Álvarez"]  # fmt: skip
    assert asks
    assert datetime.strptime(asks[0]["DATE"], "%Y-%m-%d %H:%M:%S UTC").date() > DAY - timedelta(
        days=14
    )
    wxr = exports["wordpress"].read_text(encoding="utf-8")
    assert "So what's your goal with this whole social media thing?" in wxr
    assert "How do I make data tables accessible for screen readers" in wxr
    opml = exports["opml"].read_text(encoding="utf-8")
    assert 'text="Strategic partners"' in opml
    vcf = exports["vcard"].read_text(encoding="utf-8")
    assert "ADR;type=HOME;type=pref:;;;Chicago;IL;;United States" in vcf


def test_make_demo_sets_the_demo_owners_settings() -> None:
    """make demo runs `netweave config set` with exactly the generator's settings."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    found = dict(re.findall(r'config set (\S+) "([^"]*)"', target))
    expected = {k: ", ".join(v) if isinstance(v, list) else v for k, v in settings().items()}
    assert found == expected
    assert "NETWEAVE_HOME=$(DEMO_DIR)/home" in target
    assert "--db $(DEMO_DIR)/netweave.db" in target
    assert "demo-data $(DEMO_DIR)/exports" in target
    assert "import $(DEMO_DIR)/exports" in target
