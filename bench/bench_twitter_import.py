"""Twitter/X archive import: netweave against twitter-to-sqlite 0.22 and the floor, one run.

For each size it generates (seeded, streaming) a modern archive zip under bench/out/ -
``data/account.js``, ``data/tweets.js`` + ``data/tweets-part1.js`` ... (50k tweets per part,
pretty-printed like Twitter's), follower.js, following.js, direct-messages.js, like.js - and
times, each in its own child process with its peak RSS (the whole process tree):

- netweave: ``netweave --db out.db --silent import archive.zip`` on a fresh database;
- twitter-to-sqlite 0.22 (its own venv, bench/out/peer-venv): on the modern archive, which it
  does not read (it knows only the pre-2022 name ``tweet.js``), then on a copy holding the same
  tweets as one ``data/tweet.js`` behind ``window.YTD.tweet.part0`` for a throughput figure;
- the floor: unzip + ``orjson.loads`` of every tweets payload + one ``executemany`` of
  10-column rows into SQLite in one transaction.

Prints a table with ratios and whether the targets hold (see shared BENCHMARKS.md): netweave
>= 5x the peer's throughput, within 2x of the floor, peak RSS < 300 MB at 500k tweets; and
checks that netweave stored every generated tweet, like, message and edge.

    python bench/bench_twitter_import.py [--sizes 100000,500000] [--regenerate]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

HERE = Path(__file__).parent
OUT = HERE / "out"
PEER_VENV = OUT / "peer-venv"
PEER_PACKAGE = "twitter-to-sqlite==0.22"
GENERATOR_VERSION = 3  # bump when the generated data changes, to regenerate cached archives
NETWEAVE_ROW = "netweave import (CLI)"
STEP_ROW = "netweave import step only"
PEER_ROW = "twitter-to-sqlite (tweet.js)"
FLOOR_ROW = "floor (orjson+executemany)"
PART_SIZE = 50_000  # tweets per tweets-partN.js
SNOWFLAKE_EPOCH_MS = 1288834974657
OWNER_ID = "14159265"
OWNER_HANDLE = "ada_weaves"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SOURCES = (
    '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
    '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
    '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>',
)
_VOCABULARY = (
    "the of and to in is it you that was for on are with as I his they be at one have this from "
    "or had by hot word but what some we can out other were all there when up use your how said "
    "an each she which do their time if will way about many then them write would like so these "
    "her long make thing see him two has look more day could go come did number sound no most "
    "people my over know water than call first who may down side been now find any new work part "
    "take get place made live where after back little only round man year came show every good "
    "me give our under name very through just form sentence great think say help low line "
    "differ turn cause much mean before move right boy old too same tell does set three want air "
    "well also play small end put home read hand port large spell add even land here must big "
    "conference talk slides thread community open source release python data privacy design "
    "coffee meetup workshop paper draft review launch feedback hiring remote team ☕ 🎉 🙏 — "
    '"quoted" café naïve Zürich'
)
WORDS = _VOCABULARY.split()
HASHTAGS = ("python", "opensource", "privacy", "design", "a11y", "datascience", "devrel", "rust")
LANGS = ("en",) * 8 + ("fr", "de", "und")

_KEY = re.compile(rb'^( *"[^"\n]*"): ', re.MULTILINE)
_EMPTY = re.compile(rb'" : (\[\]|\{\})')


# --- generating archives -----------------------------------------------------------------------


def pretty(obj: Any) -> bytes:
    """One top-level array item the way Twitter's archives print it (2-space, ``"k" : v``)."""
    text = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    text = _KEY.sub(rb"\1 : ", text)
    text = _EMPTY.sub(lambda m: b'" : ' + (b"[ ]" if m.group(1) == b"[]" else b"{ }"), text)
    return b"  " + text.replace(b"\n", b"\n  ")


def created_at(ms: int) -> str:
    d = datetime.fromtimestamp(ms / 1000, UTC)
    return (
        f"{DAYS[d.weekday()]} {MONTHS[d.month - 1]} {d.day:02d} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} +0000 {d.year}"
    )


def iso_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{ms % 1000:03d}Z"
    )


class _ArrayWriter:
    """Writes ``window.YTD.<name>.partN = [`` items ``]`` into a zip member, buffered."""

    def __init__(self, zf: zipfile.ZipFile, member: str, wrapper: str) -> None:
        self._fh: IO[bytes] = zf.open(member, "w", force_zip64=True)
        self._fh.write(f"window.YTD.{wrapper} = [\n".encode())
        self._buf: list[bytes] = []
        self._first = True

    def add(self, obj: Any) -> None:
        if not self._first:
            self._buf.append(b",\n")
        self._first = False
        self._buf.append(pretty(obj))
        if len(self._buf) > 2000:
            self._fh.write(b"".join(self._buf))
            self._buf = []

    def close(self) -> None:
        self._buf.append(b"\n]")
        self._fh.write(b"".join(self._buf))
        self._fh.close()


@dataclass
class Expected:
    tweets: int = 0
    replies: int = 0
    reposts: int = 0
    mentions: int = 0
    likes: int = 0
    dms: int = 0
    followers: int = 0
    following: int = 0


def _people(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    firsts = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jun")
    lasts = ("Okafor", "Silva", "Nguyen", "Müller", "Kowalski", "Haddad", "Tanaka", "Lind")
    out = []
    for i in range(n):
        first, last = rng.choice(firsts), rng.choice(lasts)
        uid = str(rng.randrange(10**6, 10**18)) if i % 7 else str(10_000 + i)
        out.append((uid, f"{first.lower()}_{last[:4].lower()}{i}", f"{first} {last}"))
    return out


def _text(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(lo, hi)))


def _tweet(rng: random.Random, ms: int, seq: int, people: list[Any], exp: Expected) -> Any:
    tid = str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | (seq & 0x3FFFFF))
    r = rng.random()
    mentioned = rng.sample(people, rng.choice((0, 0, 0, 1, 1, 2, 3)))
    reply_to = None
    if r < 0.1 and mentioned:  # a retweet: "RT @user: ..."
        others = "".join(f"@{p[1]} " for p in mentioned[1:])
        text = f"RT @{mentioned[0][1]}: {others}{_text(rng, 5, 30)}"
        exp.reposts += 1
        exp.mentions += len(mentioned) - 1
    else:
        if r < 0.4:  # a reply, starting with the handle replied to
            reply_to = rng.choice(people)
            if reply_to not in mentioned:
                mentioned.insert(0, reply_to)
            exp.replies += 1
            exp.mentions += len(mentioned) - 1
        else:
            exp.mentions += len(mentioned)
        text = " ".join(f"@{p[1]}" for p in mentioned) + " " + _text(rng, 3, 40)
        text = text.strip()
    tags = rng.sample(HASHTAGS, 1) if rng.random() < 0.15 else []
    if tags:
        text += f" #{tags[0]}"
    urls = []
    if rng.random() < 0.2:
        short = f"https://t.co/{rng.randrange(36**10):010x}"
        urls.append(
            {
                "url": short,
                "expanded_url": f"https://example.org/post/{rng.randrange(10**6)}",
                "display_url": "example.org/post/…",
                "indices": [str(len(text) + 1), str(len(text) + 24)],
            }
        )
        text += " " + short
    if rng.random() < 0.05:
        text += "\nline two & <more>"
    pos = 0
    user_mentions = []
    for uid, handle, name in mentioned:
        start = text.find("@" + handle, pos)
        user_mentions.append(
            {
                "name": name,
                "screen_name": handle,
                "indices": [str(start), str(start + len(handle) + 1)],
                "id_str": uid,
                "id": uid,
            }
        )
        pos = max(start, 0)
    t: dict[str, Any] = {
        "edit_info": {
            "initial": {
                "editTweetIds": [tid],
                "editableUntil": iso_ms(ms + 3_600_000),
                "editsRemaining": "5",
                "isEditEligible": r >= 0.1,
            }
        },
        "retweeted": False,
        "source": rng.choice(SOURCES),
        "entities": {
            "hashtags": [
                {"text": h, "indices": [str(len(text) - len(h) - 1), str(len(text))]} for h in tags
            ],
            "symbols": [],
            "user_mentions": user_mentions,
            "urls": urls,
        },
        "display_text_range": ["0", str(len(text))],
        "favorite_count": str(int(rng.paretovariate(1.5)) - 1),
    }
    if reply_to is not None:
        parent = str(int(tid) - rng.randrange(1, 10**12))
        t["in_reply_to_status_id_str"] = parent
        t["in_reply_to_user_id"] = reply_to[0]
    t["id_str"] = tid
    t["truncated"] = False
    t["retweet_count"] = str(int(rng.paretovariate(2.0)) - 1)
    t["id"] = tid
    if reply_to is not None:
        t["in_reply_to_status_id"] = t["in_reply_to_status_id_str"]
    t["created_at"] = created_at(ms)
    t["favorited"] = False
    t["full_text"] = text
    t["lang"] = rng.choice(LANGS)
    if reply_to is not None:
        t["in_reply_to_screen_name"] = reply_to[1]
        t["in_reply_to_user_id_str"] = reply_to[0]
    return {"tweet": t}


def generate(path: Path, n_tweets: int, *, legacy: bool = False, seed: int = 7) -> Expected:
    """Write an archive zip; ``legacy`` puts every tweet in one data/tweet.js (pre-2022 name)."""
    rng = random.Random(seed)
    exp = Expected(tweets=n_tweets)
    people = _people(rng, max(200, n_tweets // 20))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "data/manifest.js",
            "window.__THAR_CONFIG = {\n"
            f'  "userInfo" : {{\n    "accountId" : "{OWNER_ID}",\n'
            f'    "userName" : "{OWNER_HANDLE}",\n    "displayName" : "Ada Weaver"\n  }}\n}}',
        )
        w = _ArrayWriter(zf, "data/account.js", "account.part0")
        w.add(
            {
                "account": {
                    "email": "ada@example.org",
                    "createdVia": "web",
                    "username": OWNER_HANDLE,
                    "accountId": OWNER_ID,
                    "createdAt": "2009-03-30T19:34:12.000Z",
                    "accountDisplayName": "Ada Weaver",
                }
            }
        )
        w.close()
        # tweets newest first, like the archive; ids are snowflakes of their creation time
        ms = 1_700_000_000_000
        w = None
        for i in range(n_tweets):
            if i % PART_SIZE == 0 and (i == 0 or not legacy):
                if w is not None:
                    w.close()
                part = i // PART_SIZE
                name = "tweet" if legacy else "tweets"
                member = f"data/{name}.js" if part == 0 else f"data/{name}-part{part}.js"
                w = _ArrayWriter(zf, member, f"{name}.part{part}")
            ms -= rng.randrange(1_000, 4_000_000)
            assert w is not None
            w.add(_tweet(rng, ms, i, people, exp))
        if w is not None:
            w.close()
        for name, field, count in (
            ("follower", "followers", n_tweets // 10),
            ("following", "following", n_tweets // 50),
        ):
            w = _ArrayWriter(zf, f"data/{name}.js", f"{name}.part0")
            ids = rng.sample(range(10**6, 10**9), count)
            for uid in ids:
                w.add(
                    {
                        name: {
                            "accountId": str(uid),
                            "userLink": f"https://twitter.com/intent/user?user_id={uid}",
                        }
                    }
                )
            w.close()
            setattr(exp, field, count)
        w = _ArrayWriter(zf, "data/direct-messages.js", "direct_messages.part0")
        msg_id = 10**17
        dm_ms = 1_600_000_000_000
        for other in rng.sample(people, min(len(people), max(1, n_tweets // 500))):
            messages = []
            for _ in range(rng.randint(5, 75)):
                msg_id += rng.randrange(1, 10**6)
                dm_ms += rng.randrange(1_000, 10**8)
                mine = rng.random() < 0.5
                messages.append(
                    {
                        "messageCreate": {
                            "recipientId": other[0] if mine else OWNER_ID,
                            "reactions": [],
                            "urls": [],
                            "text": _text(rng, 2, 30),
                            "mediaUrls": [],
                            "senderId": OWNER_ID if mine else other[0],
                            "id": str(msg_id),
                            "createdAt": iso_ms(dm_ms),
                        }
                    }
                )
            exp.dms += len(messages)
            lo, hi = sorted((int(OWNER_ID), int(other[0])))
            w.add({"dmConversation": {"conversationId": f"{lo}-{hi}", "messages": messages}})
        w.close()
        w = _ArrayWriter(zf, "data/like.js", "like.part0")
        exp.likes = n_tweets // 2
        for tid in rng.sample(range(10**17, 10**18), exp.likes):
            w.add(
                {
                    "like": {
                        "tweetId": str(tid),
                        "fullText": _text(rng, 3, 40),
                        "expandedUrl": f"https://twitter.com/i/web/status/{tid}",
                    }
                }
            )
        w.close()
    tmp.replace(path)
    return exp


def archive(n_tweets: int, *, legacy: bool, regenerate: bool) -> tuple[Path, Expected]:
    """The cached archive for this size (generated if missing or from an older generator)."""
    path = OUT / f"twitter-{n_tweets}{'-legacy' if legacy else ''}.zip"
    stamp = path.with_suffix(".json")
    if not regenerate and path.exists() and stamp.exists():
        meta = json.loads(stamp.read_text())
        if meta.get("version") == GENERATOR_VERSION:
            return path, Expected(**meta["expected"])
    started = time.perf_counter()
    exp = generate(path, n_tweets, legacy=legacy)
    stamp.write_text(json.dumps({"version": GENERATOR_VERSION, "expected": vars(exp)}))
    print(
        f"  generated {path.name} ({path.stat().st_size / 1e6:.0f} MB zipped) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return path, exp


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    out: str
    err: str


def _tree_pss_kb(root: int) -> int:
    """Memory of a process and all its descendants, in KiB: the sum of their proportional set
    sizes (a page shared by a forked worker and its parent counts once, not twice)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                m = re.search(rb"\nPss:\s+(\d+)", fh.read())
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
        todo += children.get(pid, [])
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd``; wall time and peak memory: the larger of the peak RSS of its largest
    process (wait4) and the polled peak of the process tree's summed PSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        peak_kb = 0
        status = 0
        rusage = None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _tree_pss_kb(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = max(peak_kb, rusage.ru_maxrss if rusage else 0)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            peak_kb / 1024,
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def peer_bin() -> Path:
    """twitter-to-sqlite 0.22 in its own virtualenv (never one of netweave's dependencies)."""
    exe = PEER_VENV / "bin" / "twitter-to-sqlite"
    if not exe.exists():
        print(f"  installing {PEER_PACKAGE} into {PEER_VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_VENV / "bin" / "pip"), "install", "-q", PEER_PACKAGE],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return exe


def netweave_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "netweave"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "netweave"]


# --- the floor: unzip + orjson.loads + one executemany -----------------------------------------

_PAYLOAD = re.compile(rb"^\s*window\.YTD\.\w+\.part\d+\s*=\s*")


def floor(zip_path: str, db_path: str) -> int:
    """Load every tweets payload whole and insert 10 columns per tweet in one transaction."""
    rows: list[tuple[Any, ...]] = []
    with zipfile.ZipFile(zip_path) as zf:
        for name in zf.namelist():
            if re.fullmatch(r"data/tweets(-part\d+)?\.js", name):
                data = zf.read(name)
                for item in orjson.loads(_PAYLOAD.sub(b"", data, count=1)):
                    t = item["tweet"]
                    rows.append(
                        (
                            t["id_str"],
                            t["created_at"],
                            t["full_text"],
                            t.get("in_reply_to_status_id_str"),
                            t.get("in_reply_to_user_id_str"),
                            t.get("in_reply_to_screen_name"),
                            t["favorite_count"],
                            t["retweet_count"],
                            t["lang"],
                            t["source"],
                        )
                    )
                del data
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TABLE tweets (id TEXT PRIMARY KEY, created_at TEXT, full_text TEXT, "
        "reply_to TEXT, reply_user TEXT, reply_name TEXT, favorites TEXT, retweets TEXT, "
        "lang TEXT, source TEXT)"
    )
    with conn:
        conn.executemany("INSERT INTO tweets VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    n = int(conn.execute("SELECT count(*) FROM tweets").fetchone()[0])
    conn.close()
    return n


def import_only(zip_path: str, db_path: str) -> None:
    """netweave's import step alone: what ``netweave import`` does before it refreshes people,
    relationship health and the topic index."""
    from netweave.config import Settings
    from netweave.importers import import_paths
    from netweave.store import Store

    store = Store.open(f"sqlite:///{db_path}")
    import_paths(store, [zip_path], settings=Settings())
    store.close()


# --- the run -----------------------------------------------------------------------------------


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _check_peer_parts(peer: Path, work: Path) -> str:
    """What the peer does with split parts under the old name (tweet.js + tweet-part1.js)."""
    folder = work / "parts"
    small = folder / "twitter-parts.zip"
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(small, "w") as zf:
        for part, name in enumerate(("data/tweet.js", "data/tweet-part1.js")):
            zf.writestr(
                name,
                f"window.YTD.tweet.part{part} = [\n"
                + pretty(
                    {
                        "tweet": {
                            "id_str": str(part + 1),
                            "id": str(part + 1),
                            "full_text": "hi",
                            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                        }
                    }
                ).decode()
                + "\n]",
            )
    db = _fresh(folder / "peer.db")
    run = measure([str(peer), "import", str(db), str(small)])
    stored = _count(db, "SELECT count(*) FROM archive_tweet")
    said = " / ".join(line for line in run.out.splitlines() if "not yet" in line)
    return f"tweet.js + tweet-part1.js (1 tweet each): stored {stored}; said {said!r}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,500000")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--floor", nargs=2, metavar=("ZIP", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--import-only", nargs=2, metavar=("ZIP", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        print(floor(*args.floor))
        return 0
    if args.import_only:
        import_only(*args.import_only)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    OUT.mkdir(parents=True, exist_ok=True)
    work = OUT / "twitter-import"
    work.mkdir(exist_ok=True)
    peer = peer_bin()
    home = work / "home"
    env = {**os.environ, "NETWEAVE_HOME": str(home)}
    env.pop("NETWEAVE_DATABASE_URL", None)
    env.pop("NETWEAVE_CONFIG", None)
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    ok = True
    for n in sizes:
        print(f"-- {n:,} tweets", flush=True)
        modern, exp = archive(n, legacy=False, regenerate=args.regenerate)
        legacy, _ = archive(n, legacy=True, regenerate=args.regenerate)

        db = _fresh(work / "netweave.db")
        shutil.rmtree(home, ignore_errors=True)
        nw = measure([*netweave_cmd(), "--db", str(db), "--silent", "import", str(modern)], env)
        if nw.returncode != 0:
            print(nw.err)
            return 1
        stored = {
            "tweets": _count(
                db, "SELECT count(*) FROM interactions WHERE kind IN ('post','reply','repost')"
            ),
            "replies": _count(db, "SELECT count(*) FROM interactions WHERE kind = 'reply'"),
            "reposts": _count(db, "SELECT count(*) FROM interactions WHERE kind = 'repost'"),
            "mentions": _count(db, "SELECT count(*) FROM interactions WHERE kind = 'mention'"),
            "likes": _count(db, "SELECT count(*) FROM interactions WHERE kind = 'like'"),
            "dms": _count(db, "SELECT count(*) FROM interactions WHERE kind = 'dm'"),
            "followers": _count(
                db,
                "SELECT count(*) FROM edges e JOIN accounts a ON a.account_id = e.to_account "
                "WHERE a.is_owner AND e.kind = 'follows'",
            ),
            "following": _count(
                db,
                "SELECT count(*) FROM edges e JOIN accounts a ON a.account_id = e.from_account "
                "WHERE a.is_owner AND e.kind = 'follows'",
            ),
        }
        wrong = {k: (v, getattr(exp, k)) for k, v in stored.items() if v != getattr(exp, k)}
        ok &= not wrong
        notes.append(
            f"{n:,}: netweave stored {stored['tweets']:,} of {exp.tweets:,} tweets "
            f"({stored['replies']:,} replies, {stored['reposts']:,} reposts, "
            f"{stored['mentions']:,} mentions, {stored['likes']:,} likes, {stored['dms']:,} DMs, "
            f"{stored['followers']:,} followers, {stored['following']:,} following): "
            + ("all present" if not wrong else f"MISMATCH (stored, generated): {wrong}")
        )

        odb = _fresh(work / "netweave-import-only.db")
        shutil.rmtree(home, ignore_errors=True)
        only = measure([sys.executable, __file__, "--import-only", str(modern), str(odb)], env)
        if only.returncode != 0:
            print(only.err)
            return 1
        only_tweets = _count(
            odb, "SELECT count(*) FROM interactions WHERE kind IN ('post','reply','repost')"
        )

        pdb = _fresh(work / "peer-modern.db")
        pm = measure([str(peer), "import", str(pdb), str(modern)])
        peer_modern = _count(pdb, "SELECT count(*) FROM archive_tweet")
        said = [line for line in pm.out.splitlines() if line.startswith("tweets")]
        notes.append(
            f"{n:,}: twitter-to-sqlite on the modern archive: exit {pm.returncode}, stored "
            f"{peer_modern:,} tweets, said {' / '.join(said) or '(nothing about tweets)'}"
        )

        pdb = _fresh(work / "peer-legacy.db")
        pl = measure([str(peer), "import", str(pdb), str(legacy)])
        peer_tweets = _count(pdb, "SELECT count(*) FROM archive_tweet")

        fdb = _fresh(work / "floor.db")
        fl = measure([sys.executable, __file__, "--floor", str(modern), str(fdb)])
        floor_tweets = int(fl.out.strip() or 0)

        for name, run, count in (
            (NETWEAVE_ROW, nw, stored["tweets"]),
            (STEP_ROW, only, only_tweets),
            (PEER_ROW, pl, peer_tweets),
            (FLOOR_ROW, fl, floor_tweets),
        ):
            results.append({"n": n, "name": name, "run": run, "count": count})
        shutil.rmtree(home, ignore_errors=True)

    notes.append("twitter-to-sqlite, " + _check_peer_parts(peer, work))
    print()
    print(
        f"{'archive':>9}  {'contender':<30} {'tweets':>9} {'seconds':>8} {'tweets/s':>9} "
        f"{'peak MB':>8}"
    )
    for r in results:
        run = r["run"]
        print(
            f"{r['n']:>9,}  {r['name']:<30} {r['count']:>9,} {run.seconds:>8.1f} "
            f"{r['count'] / run.seconds:>9,.0f} {run.peak_mb:>8,.0f}"
        )
    print()
    peaks = []
    for n in sizes:
        rate = {r["name"]: r["count"] / r["run"].seconds for r in results if r["n"] == n}
        peak_of = {r["name"]: r["run"].peak_mb for r in results if r["n"] == n}
        peer, floor_rate = rate[PEER_ROW], rate[FLOOR_ROW]
        for name in (NETWEAVE_ROW, STEP_ROW):
            vs_peer, vs_floor, peak = rate[name] / peer, rate[name] / floor_rate, peak_of[name]
            targets = (vs_peer >= 5, vs_floor >= 0.5, peak < 300)
            if name == NETWEAVE_ROW:
                peaks.append(peak)
                ok &= all(targets)
            print(
                f"{n:>9,} {name}: vs twitter-to-sqlite {vs_peer:.2f}x (target >= 5x: "
                f"{'yes' if targets[0] else 'NO'}); vs floor {vs_floor:.2f}x (target >= 0.5x: "
                f"{'yes' if targets[1] else 'NO'}); peak {peak:.0f} MB (target < 300: "
                f"{'yes' if targets[2] else 'NO'})"
            )
    if len(peaks) > 1:
        print(f"netweave peak memory across sizes: {' -> '.join(f'{p:.0f} MB' for p in peaks)}")
    print()
    for note in notes:
        print(note)
    print("all targets hold" if ok else "SOME TARGETS DO NOT HOLD")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
