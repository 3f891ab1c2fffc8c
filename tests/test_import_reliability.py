"""Crash safety: kill -9 in the middle of a large import, then re-run and get exact counts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

N_TWEETS = 60_000
N_FOLLOWERS = 2_000


def _write_archive(folder: Path) -> None:
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "me", '
        '"accountDisplayName": "Me", "createdAt": "2012-01-01T00:00:00.000Z"}}]'
    )
    with (data / "tweets.js").open("wb") as fh:
        fh.write(b"window.YTD.tweets.part0 = [\n")
        for i in range(N_TWEETS):
            tweet = {
                "tweet": {
                    "id_str": str(10**15 + i),
                    "full_text": f"tweet number {i} " + "x" * 400,
                    "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                    "entities": {"hashtags": [], "user_mentions": [], "urls": []},
                    "favorite_count": "0",
                    "retweet_count": "0",
                    "lang": "en",
                }
            }
            if i:
                fh.write(b",\n")
            fh.write(orjson.dumps(tweet, option=orjson.OPT_INDENT_2))
        fh.write(b"\n]")
    followers = [{"follower": {"accountId": str(100 + i)}} for i in range(N_FOLLOWERS)]
    (data / "follower.js").write_bytes(b"window.YTD.follower.part0 = " + orjson.dumps(followers))


def _status(db: Path) -> tuple[str, int] | None:
    try:
        conn = sqlite3.connect(db, timeout=0.2)
        try:
            row = conn.execute(
                "SELECT status, records_done FROM import_runs WHERE source = 'twitter.tweets'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return (row[0], row[1]) if row else None


def _import(db: Path, archive: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NETWEAVE_HOME": str(db.parent / "home")}
    return subprocess.Popen(
        [sys.executable, "-m", "netweave", "--db", str(db), "--silent", "import", str(archive)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_kill_9_during_import_then_rerun_completes_exactly(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    _write_archive(archive)
    assert (archive / "data" / "tweets.js").stat().st_size > 32 << 20  # a "large" file
    db = tmp_path / "n.db"
    proc = _import(db, archive)
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        status = _status(db)
        if status and status[0] == "running" and status[1] > 0:
            proc.send_signal(signal.SIGKILL)
            killed_at = status[1]
            break
        time.sleep(0.005)
    proc.communicate(timeout=60)
    assert killed_at is not None, "the import finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    status, done = conn.execute(
        "SELECT status, records_done FROM import_runs WHERE source = 'twitter.tweets'"
    ).fetchone()
    assert status == "running"
    assert 0 < done < N_TWEETS
    # committed batches are whole: what is stored is exactly what progress says
    assert conn.execute("SELECT count(*) FROM interactions").fetchone()[0] == done
    conn.close()

    rerun = _import(db, archive)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM interactions").fetchone()[0] == N_TWEETS
    assert conn.execute("SELECT count(*) FROM edges").fetchone()[0] == N_FOLLOWERS
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == N_FOLLOWERS + 1
    assert conn.execute(
        "SELECT status, records_done FROM import_runs WHERE source = 'twitter.tweets'"
    ).fetchone() == ("done", N_TWEETS)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
