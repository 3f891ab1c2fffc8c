"""No network unless asked: the whole demo flow runs with every non-local connection refused."""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.demo import DEFAULT_TODAY, settings

runner = CliRunner()


def _local(address: Any, family: int) -> bool:
    if family == getattr(socket, "AF_UNIX", None) or isinstance(address, str | bytes):
        return True  # a unix socket path
    host = str(address[0]).split("%")[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name would need a DNS lookup: that is network too


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    tried: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        if not _local(address, self.family):
            tried.append(f"connect {address!r}")
            raise OSError(f"network blocked in this test: {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _local(address, self.family):
            tried.append(f"connect_ex {address!r}")
            raise OSError(f"network blocked in this test: {address!r}")
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        tried.append(f"create_connection {address!r}")
        raise OSError(f"network blocked in this test: {address!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _local((host, 0), socket.AF_INET):
            tried.append(f"getaddrinfo {host!r}")
            raise OSError(f"name lookup blocked in this test: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return tried


def test_the_blocker_blocks(attempts: list[str]) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.com", 443), timeout=1)
    with socket.socket() as s, pytest.raises(OSError, match="blocked"):
        s.connect(("93.184.215.14", 443))
    assert len(attempts) == 2


def test_demo_flow_makes_no_network_connection(attempts: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    exports = tmp_path / "exports"

    def run(*args: str) -> Any:
        result = runner.invoke(app, ["--db", db, "--json", *args])
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else None

    run("demo-data", str(exports), "--today", DEFAULT_TODAY.isoformat())
    for key, value in settings().items():
        run("config", "set", key, ", ".join(value) if isinstance(value, list) else str(value))
    imported = run("import", str(exports))
    assert imported["people"]["people"] > 100
    run("resolve")
    assert run("health") is not None
    run(
        "goal",
        "new",
        "--template",
        "stronger-connections",
        "--start",
        "2025-07-01",
        "--deadline",
        "2026-06-30",
    )
    assert run("goal", "report") is not None
    run("who", "python packaging")
    assert run("today", "--minutes", "30") is not None
    report = run("export", str(tmp_path / "export"))
    assert report["files"]["people.vcf"] > 100
    assert attempts == []
