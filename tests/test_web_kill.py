"""kill -9 of `netweave serve` while clients write: the database passes its integrity checks,
every write the server acknowledged is there, and a restarted server serves again."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from netweave.store import Store, make_id, schema, utcnow

from .conftest import free_port

TOKEN = "kill-test-token"


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    argv = ["--db", str(db), "serve", "--port", str(port), "--token", TOKEN]
    proc = subprocess.Popen(
        [sys.executable, "-m", "netweave", *argv],
        env={**os.environ, "NETWEAVE_HOME": str(db.parent / "home")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("netweave serve did not start")


def _write_notes(port: int, person: str, acked: list[str], stop: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        _write_until(conn, person, acked, stop)
    finally:
        conn.close()


def _write_until(
    conn: http.client.HTTPConnection, person: str, acked: list[str], stop: threading.Event
) -> None:
    n = 0
    while not stop.is_set():
        text = f"note {threading.get_ident()} {n}"
        n += 1
        try:
            conn.request(
                "POST",
                f"/people/{person}/notes",
                body=urlencode({"text": text, "kind": "note"}),
                headers={
                    "Authorization": f"Bearer {TOKEN}",
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            answer = conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        if answer.status == 200:
            acked.append(text)


@pytest.mark.slow
def test_kill_9_during_web_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store = Store.open(f"sqlite:///{db}")
    person = make_id("p", "ada")
    store.upsert(
        schema.people,
        [
            {
                "person_id": person,
                "display_name": "Ada",
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        ],
    )
    store.close()
    port = free_port()
    proc = _serve(db, port)
    acked: list[str] = []
    stop = threading.Event()
    writers = [
        threading.Thread(target=_write_notes, args=(port, person, acked, stop)) for _ in range(4)
    ]
    for w in writers:
        w.start()
    deadline = time.monotonic() + 60
    while len(acked) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stop.set()
    for w in writers:
        w.join(timeout=30)
    assert len(acked) >= 20, "too few writes were acknowledged before the kill"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("SELECT text FROM notes")}
    conn.close()
    assert set(acked) <= stored  # every acknowledged write survived

    proc = _serve(db, port)
    try:
        http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        http_conn.request(
            "GET",
            f"/people/{person}",
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
        )
        answer = http_conn.getresponse()
        body = answer.read().decode()
        assert answer.status == 200
        assert acked[0] in body
        http_conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
