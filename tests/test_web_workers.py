"""`netweave serve --workers 2`, the real command: a login made through one connection holds on
many new ones (whichever worker takes them), a CSRF-protected POST works and one without the
token is refused, failed team logins are counted across workers, the token is in no process
listing, and the server stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from netweave.store import Store
from netweave.team import SharedRateLimiter

from .conftest import free_port

TOKEN = "workers-test-token-5f2c"


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


@pytest.fixture
def server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    db = tmp_path / "n.db"
    Store.open(f"sqlite:///{db}").close()
    port = free_port()
    argv = ["--db", str(db), "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "netweave", *argv],
        env={**os.environ, "NETWEAVE_TOKEN": TOKEN, "NETWEAVE_HOME": str(tmp_path / "home")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        proc.communicate()
        pytest.fail("netweave serve --workers 2 did not start")
    return proc, base


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table")
def test_two_workers_share_logins_and_csrf(server: tuple[subprocess.Popen[bytes], str]) -> None:
    proc, base = server
    try:
        with httpx.Client(base_url=base) as browser:
            csrf = _csrf(browser.get("/login").text)
            answer = browser.post("/login", data={"token": TOKEN, "csrf_token": csrf})
            assert answer.status_code == 303, answer.text
            cookies = dict(browser.cookies)
            csrf = _csrf(browser.get("/").text)

        # every request on a new connection: the kernel hands them to either worker
        for n in range(24):
            with httpx.Client(base_url=base, cookies=cookies) as client:
                page = client.get("/people.json", headers={"accept": "application/json"})
                assert page.status_code == 200, (n, page.text)
                changed = client.post(
                    "/settings",
                    data={"key": "owner.name", "value": f"Ada {n}"},
                    headers={"x-csrf-token": csrf, "accept": "application/json"},
                )
                assert changed.status_code < 400, (n, changed.text)
                forged = client.post(
                    "/settings",
                    data={"key": "owner.name", "value": "Mallory"},
                    headers={"accept": "application/json"},
                )
                assert forged.status_code == 403, (n, forged.text)

        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
        for pid in [proc.pid, *workers, *(c for w in workers for c in _children(w))]:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            assert TOKEN.encode() not in argv
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    assert proc.returncode == 0, err.decode()


def test_failed_logins_are_counted_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "limiter.db")
    worker_a, worker_b = SharedRateLimiter(path, max_failures=3), SharedRateLimiter(path, 3)
    worker_a.failed("ada")
    worker_b.failed("ada")
    assert worker_a.blocked_for("ada") == 0.0
    worker_a.failed("ADA")
    assert worker_b.blocked_for("ada") > 0
    worker_b.reset("ada")
    assert worker_a.blocked_for("ada") == 0.0
