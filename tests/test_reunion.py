"""Migration reunion from imported data: linked accounts and addresses named in profiles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.errors import InputError
from netweave.identity.resolve import resolve
from netweave.identity.reunion import mastodon_csv, reunion
from netweave.store import Store, schema


def build(store: Store) -> None:
    store.upsert(
        schema.accounts,
        [
            {"account_id": "me", "platform": "twitter", "key": "1", "is_owner": True},
            {
                "account_id": "t-terrill",
                "platform": "twitter",
                "key": "2",
                "handle": "terrillific",
                "display_name": "Terrill",
                "bio": "Improv. Now at @terrill@mastodon.social",
            },
            {
                "account_id": "t-zoe",
                "platform": "twitter",
                "key": "4",
                "handle": "zoelambert",
                "display_name": "Zoë Lambert 🦋 zoe.bsky.social",
            },
            {
                "account_id": "t-jose",
                "platform": "twitter",
                "key": "3",
                "handle": "jalvarez",
                "display_name": "José Álvarez",
                "website": "https://jalvarez.dev",
            },
            {
                "account_id": "m-jose",
                "platform": "mastodon",
                "key": "jose@hachyderm.io",
                "handle": "jose",
                "display_name": "José Álvarez",
                "website": "https://jalvarez.dev",
            },
            {
                "account_id": "t-stranger",
                "platform": "twitter",
                "key": "9",
                "handle": "stranger",
                "bio": "on @x@y.social",
            },
        ],
    )
    store.upsert(
        schema.edges,
        [
            {"from_account": "me", "to_account": acc, "kind": "follows"}
            for acc in ("t-terrill", "t-zoe", "t-jose")
        ],
    )


def test_reunion_finds_people_with_evidence(store: Store) -> None:
    build(store)
    resolve(store)
    found = reunion(store, "twitter", ["mastodon", "bluesky"])
    got = {(r.name, r.platform, r.address) for r in found}
    assert got == {
        ("Terrill", "mastodon", "terrill@mastodon.social"),
        ("Zoë Lambert 🦋 zoe.bsky.social", "bluesky", "zoe.bsky.social"),
        ("José Álvarez", "mastodon", "jose@hachyderm.io"),
    }
    jose = next(r for r in found if r.address == "jose@hachyderm.io")
    assert "jalvarez.dev" in jose.evidence
    rows = list(csv.reader(io.StringIO(mastodon_csv(found))))
    assert rows[0] == ["Account address", "Show boosts", "Notify on new posts", "Languages"]
    assert sorted(r[0] for r in rows[1:]) == ["jose@hachyderm.io", "terrill@mastodon.social"]


def test_new_only_remembers_what_was_shown(store: Store) -> None:
    build(store)
    resolve(store)
    assert len(reunion(store, "twitter", ["mastodon"], remember=True)) == 2
    assert reunion(store, "twitter", ["mastodon"], new_only=True) == []
    assert len(reunion(store, "twitter", ["mastodon"])) == 2


def test_bad_platforms(store: Store) -> None:
    with pytest.raises(InputError, match="unknown platform"):
        reunion(store, "myspace", ["mastodon"])
    with pytest.raises(InputError, match="must differ"):
        reunion(store, "twitter", ["twitter"])


def test_cli_reunion_writes_mastodon_csv(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store = Store.open(f"sqlite:///{db}")
    build(store)
    store.close()
    runner = CliRunner()
    out_csv = tmp_path / "follow.csv"
    result = runner.invoke(app, ["--db", str(db), "resolve"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["--db", str(db), "--json", "reunion", "--csv", str(out_csv)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert len(json.loads(result.stdout)) == 3
    assert "terrill@mastodon.social,true,false," in out_csv.read_text()
    result = runner.invoke(app, ["--db", str(db), "reunion", "--new"])
    assert "no one found again that you have not seen" in result.stdout
