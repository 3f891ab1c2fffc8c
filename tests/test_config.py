"""Settings file handling (pure, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netweave.config import DEFAULTS, Settings, database_url
from netweave.errors import ConfigError


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    s = Settings(path=path)
    s.set("owner.domains", "ada.dev, blog.ada.dev")
    s.set("time.daily_minutes", "20")
    s.save()
    loaded = Settings.load(path)
    assert loaded.get("owner.domains") == ["ada.dev", "blog.ada.dev"]
    assert loaded.get("time.daily_minutes") == 20
    assert loaded.get("goals.max_active") == DEFAULTS["goals.max_active"]


def test_unknown_key_is_refused() -> None:
    with pytest.raises(ConfigError):
        Settings().set("nope", "1")


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url("sqlite://") == "sqlite://"


@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_characters=",", blacklist_categories=("Cs",)),
            min_size=1,
        )
    )
)
def test_list_settings_survive_a_round_trip(items: list[str]) -> None:
    s = Settings()
    stored = s.set("topics.expertise", ",".join(items))
    assert stored == [i.strip() for i in items if i.strip()]
