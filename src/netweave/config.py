"""Settings: where the database lives and the user's own preferences.

The database location is chosen, first match wins, from an explicit ``--db`` path or URL,
the ``NETWEAVE_DATABASE_URL`` environment variable, then ``netweave.db`` in the platformdirs user
data directory. User preferences (own handles, own domains, expertise topics, daily time
budget) live in a TOML file next to it (``NETWEAVE_CONFIG`` overrides the path).

Example:

    >>> settings = Settings.from_mapping({"owner": {"handles": ["@ada"]}})
    >>> settings.get("owner.handles")
    ['@ada']
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from .errors import ConfigError

__all__ = ["DEFAULTS", "SECRETS", "Settings", "config_path", "data_dir", "database_url", "shown"]

APP_NAME = "netweave"

# The settings netweave knows, with their defaults and types; `config set` only accepts these.
DEFAULTS: dict[str, Any] = {
    "owner.name": "",
    "owner.handles": [],
    "owner.domains": [],
    "owner.emails": [],
    "topics.expertise": [],
    "topics.interests": [],
    "time.daily_minutes": 30,
    "time.timezone": "UTC",
    "ties.half_life_days": 180,
    "goals.max_active": 3,
    # live connectors (netweave sync): used only when the user runs them
    "mastodon.instance": "",
    "mastodon.token": "",
    "bluesky.handle": "",
    "bluesky.app_password": "",
    "bluesky.service": "https://bsky.social",
}

# settings never printed: `config get/set/list` show them masked
SECRETS = frozenset({"mastodon.token", "bluesky.app_password"})


def shown(key: str, value: Any) -> Any:
    """A setting's value as it may be printed: secrets masked, once set.

    >>> shown("mastodon.token", "abc123"), shown("mastodon.token", ""), shown("owner.name", "Ada")
    ('********', '', 'Ada')
    """
    return "********" if key in SECRETS and value else value


def data_dir() -> Path:
    """The directory netweave keeps its data in (created on demand).

    >>> data_dir().is_absolute()
    True
    """
    override = os.environ.get("NETWEAVE_HOME")
    return Path(override).absolute() if override else Path(platformdirs.user_data_dir(APP_NAME))


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL of the database to open.

    ``db`` may be a file path or a full URL; without it, ``NETWEAVE_DATABASE_URL`` or the default
    file in :func:`data_dir` is used.

    >>> database_url("/tmp/x.db")
    'sqlite:////tmp/x.db'
    >>> database_url("postgresql+psycopg://postgres@127.0.0.1/test")
    'postgresql+psycopg://postgres@127.0.0.1/test'
    """
    chosen = db or os.environ.get("NETWEAVE_DATABASE_URL")
    if not chosen:
        chosen = str(data_dir() / "netweave.db")
    if "://" in chosen:
        return chosen
    return "sqlite:///" + str(Path(chosen).expanduser().absolute())


def config_path() -> Path:
    """The TOML file holding user settings.

    >>> config_path().suffix
    '.toml'
    """
    override = os.environ.get("NETWEAVE_CONFIG")
    return Path(override) if override else data_dir() / "config.toml"


def _coerce(key: str, raw: str) -> Any:
    default = DEFAULTS[key]
    if isinstance(default, list):
        return [item.strip() for item in raw.split(",") if item.strip()]
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{key} takes a whole number, not {raw!r}") from None
    return raw


@dataclass
class Settings:
    """User settings read from the TOML config file, with defaults for what is missing."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: Path | None = None) -> Settings:
        """Flatten a nested TOML mapping into dotted keys.

        >>> Settings.from_mapping({"time": {"daily_minutes": 45}}).get("time.daily_minutes")
        45
        """
        flat: dict[str, Any] = {}

        def walk(prefix: str, node: Mapping[str, Any]) -> None:
            for key, value in node.items():
                dotted = f"{prefix}.{key}" if prefix else key
                if isinstance(value, Mapping):
                    walk(dotted, value)
                else:
                    flat[dotted] = value

        walk("", data)
        return cls(flat, path)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the config file; a missing file means all defaults.

        >>> Settings.load(Path("/nonexistent/config.toml")).get("goals.max_active")
        3
        """
        path = path or config_path()
        if not path.exists():
            return cls({}, path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        return cls.from_mapping(data, path)

    def get(self, key: str) -> Any:
        """The value of a dotted key, or its default."""
        if key in self.values:
            return self.values[key]
        if key in DEFAULTS:
            return DEFAULTS[key]
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(sorted(DEFAULTS))}")

    def set(self, key: str, raw: str) -> Any:
        """Set a known key from its command-line text form (lists are comma separated).

        >>> s = Settings()
        >>> s.set("owner.handles", "@ada, ada@hachyderm.io")
        ['@ada', 'ada@hachyderm.io']
        """
        if key not in DEFAULTS:
            raise ConfigError(f"unknown setting {key!r}; known: {', '.join(sorted(DEFAULTS))}")
        value = _coerce(key, raw)
        self.values[key] = value
        return value

    def as_dict(self) -> dict[str, Any]:
        """Every known setting with its effective value."""
        return {key: self.get(key) for key in sorted(set(DEFAULTS) | set(self.values))}

    def save(self) -> Path:
        """Write the settings back as nested TOML (atomically: temp file, then rename)."""
        path = self.path or config_path()
        nested: dict[str, Any] = {}
        for dotted, value in sorted(self.values.items()):
            node = nested
            *parents, leaf = dotted.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(tomli_w.dumps(nested), encoding="utf-8")
        if any(self.values.get(k) for k in SECRETS):
            tmp.chmod(0o600)  # tokens and passwords: readable by the owner only
        tmp.replace(path)
        return path
