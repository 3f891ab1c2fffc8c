"""The CLI skeleton: init, info, config, db upgrade, error mapping. Each test reopens the DB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.store import Store

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_then_info_json_on_both_backends(db_url: str) -> None:
    code, out, _ = invoke("--db", db_url, "init")
    assert code == 0, out
    code, out, err = invoke("--db", db_url, "--json", "info")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == Store.head_revision()
    assert data["counts"]["workspaces"] == 1
    assert data["dialect"] in {"sqlite", "postgresql"}
    reopened = Store.open(db_url, migrate=False)
    assert reopened.schema_version() == Store.head_revision()
    reopened.close()


def test_info_human_output_lists_tables(tmp_path: Path) -> None:
    code, out, _ = invoke("--db", str(tmp_path / "x.db"), "info")
    assert code == 0
    assert "interactions" in out
    assert f"schema    {Store.head_revision()}" in out


def test_default_database_lives_in_the_data_dir(tmp_path: Path) -> None:
    code, out, _ = invoke("--json", "init")
    assert code == 0
    assert json.loads(out)["database"].endswith("home/netweave.db")
    assert (tmp_path / "home" / "netweave.db").exists()


def test_environment_url_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWEAVE_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    code, _, _ = invoke("init")
    assert code == 0
    assert (tmp_path / "env.db").exists()


def test_db_upgrade_reports_versions(tmp_path: Path) -> None:
    code, out, _ = invoke("--db", str(tmp_path / "u.db"), "--json", "db", "upgrade")
    assert code == 0
    assert json.loads(out) == {"from": None, "to": Store.head_revision()}
    code, out, _ = invoke("--db", str(tmp_path / "u.db"), "--json", "db", "upgrade")
    head = Store.head_revision()
    assert json.loads(out) == {"from": head, "to": head}


def test_config_set_get_list_round_trip() -> None:
    code, _, _ = invoke("config", "set", "owner.handles", "@ada, ada@hachyderm.io")
    assert code == 0
    code, out, _ = invoke("--json", "config", "get", "owner.handles")
    assert json.loads(out) == {"owner.handles": ["@ada", "ada@hachyderm.io"]}
    invoke("config", "set", "time.daily_minutes", "45")
    code, out, _ = invoke("--json", "config", "list")
    assert json.loads(out)["time.daily_minutes"] == 45


def test_bad_config_value_is_exit_2_one_line() -> None:
    code, out, err = invoke("config", "set", "time.daily_minutes", "lots")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "whole number" in err
    assert "Traceback" not in out + err


def test_unknown_setting_is_exit_2() -> None:
    code, _, err = invoke("config", "get", "no.such")
    assert code == 2
    assert "unknown setting" in err


def test_broken_config_file_is_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("owner = [unclosed", encoding="utf-8")
    code, _, err = invoke("config", "list")
    assert code == 2
    assert "not valid TOML" in err


def test_store_failure_is_exit_1_without_traceback() -> None:
    code, out, err = invoke("--db", "mysql://nowhere/x", "info")
    assert code == 1
    assert "unsupported database" in err
    assert "Traceback" not in out + err


def test_silent_prints_nothing(tmp_path: Path) -> None:
    code, out, _ = invoke("--db", str(tmp_path / "s.db"), "--silent", "init")
    assert code == 0
    assert out == ""


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.startswith("netweave ")
