"""The LinkedIn export importer, end to end: zip, folder or single CSVs in, ledger out, checked by
reopening the database; malformed files through the CLI."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.importers import REGISTRY, Context, import_paths
from netweave.importers._base import account_id, entries_for
from netweave.importers.linkedin import connection, invitation, profile_slug, ts_linkedin
from netweave.store import Store, schema

from .conftest import DATA

EXPORT = DATA / "linkedin"
runner = CliRunner()
OWNER = account_id("linkedin", "mia okafor")
FILES_IN_ORDER = [
    "Profile.csv",
    "Email Addresses.csv",
    "Invitations.csv",
    "Connections.csv",
    "messages.csv",
]
EXPECTED = {"accounts": 22, "account_contacts": 9, "edges": 20, "interactions": 17}


def aid(key: str) -> str:
    return account_id("linkedin", key)


def make_zip(tmp_path: Path, folder: Path = EXPORT) -> Path:
    out = tmp_path / "Basic_LinkedInDataExport_05-04-2024.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return out


def ledger(store: Store) -> dict[str, int]:
    c = store.counts()
    return {t: c[t] for t in EXPECTED}


def dm_directions(store: Store) -> dict[str, int]:
    i = schema.interactions
    with store.connect() as conn:
        return dict(
            conn.execute(
                sa.select(i.c.direction, sa.func.count())
                .where(i.c.kind == "dm")
                .group_by(i.c.direction)
            ).all()
        )


def test_full_export_zip(store: Store, tmp_path: Path) -> None:
    archive = make_zip(tmp_path)
    report = import_paths(store, [str(archive)], settings=Settings())
    assert ledger(store) == EXPECTED
    assert [f.file.rsplit(":", 1)[1] for f in report.files] == FILES_IN_ORDER
    assert report.skipped == [f"{archive}:Registration.csv"]
    a, e, i = schema.accounts, schema.edges, schema.interactions
    with store.connect() as conn:
        owner = conn.execute(sa.select(a).where(a.c.is_owner)).one()
        assert owner.account_id == OWNER
        assert owner.display_name == "Mia Okafor"
        # Profile.csv has no URL: the invitations and messages revealed it
        assert (owner.handle, owner.url) == ("miaokafor", "https://www.linkedin.com/in/miaokafor")
        assert owner.bio == "Community builder | Python packaging & accessibility"
        assert owner.location == "Chicago, Illinois, United States"
        assert owner.website == "https://miaokafor.dev"
        assert owner.extra["summary"].endswith(
            "\nAsk me about packaging, accessibility and Chicago meetups."
        )
        keys = set(conn.execute(sa.select(a.c.key)).scalars())
        assert not any(k.startswith("\ufeff") for k in keys)
        assert "olamide adeyemi" in keys  # no URL: keyed by name
        names = set(conn.execute(sa.select(a.c.display_name)).scalars())
        assert {"Zoë Lambert 🦋", "太郎 山田", "娜 李", "Nguyễn Thị Hoa", "Raj Patel 🚀"} <= names
        terrill = conn.execute(
            sa.select(a).where(a.c.account_id == aid("terrill-thompson-1234"))
        ).one()
        assert terrill.extra == {"company": "Acme, Inc.", "position": "Improv Coach"}
        assert terrill.bio == "Improv Coach at Acme, Inc."
        since = conn.execute(
            sa.select(e.c.since).where(
                e.c.from_account == OWNER, e.c.to_account == terrill.account_id
            )
        ).scalar_one()
        assert since.isoformat() == "2021-01-12T00:00:00+00:00"
        # José's URL is percent-escaped in Connections.csv and plain in messages.csv: one account
        jose = aid("josé-garcía-5b1a2c3")
        assert (
            conn.execute(sa.select(a.c.display_name).where(a.c.account_id == jose)).scalar_one()
            == "José García"
        )
        emails = set(
            conn.execute(
                sa.select(schema.account_contacts.c.value).where(
                    schema.account_contacts.c.kind == "email"
                )
            ).scalars()
        )
        assert emails == {
            "jose.garcia@example.com",
            "dawn@heartlink.example",
            "ana@delacruz.example",
            "raj.patel@example.org",
            "mia.okafor@example.org",
            "mia@miaokafor.dev",
        }
        first = conn.execute(
            sa.select(i).where(i.c.actor_account == terrill.account_id).order_by(i.c.occurred_at)
        ).first()
        assert first is not None
        assert first.text == (
            "Hi Mia,\n\nI'll be in Chicago for the conference next week.\nDinner on Thursday?\n\n"
            "Terrill"
        )
        assert (first.direction, first.target_account) == ("received", OWNER)
        assert first.occurred_at.isoformat() == "2023-05-04T17:22:10+00:00"
        assert first.extra == {"subject": "Chicago next week", "folder": "INBOX"}
        sam = conn.execute(
            sa.select(i.c.text).where(i.c.actor_account == aid("samrecruiter"), i.c.kind == "dm")
        ).scalar_one()
        assert sam == "Hi Mia,\n\nWe're hiring a Community Lead & I thought of you.\n\nBest, Sam"
        texts = set(conn.execute(sa.select(i.c.text)).scalars())
        assert "Draft: thanks again for" not in texts
        intro = conn.execute(
            sa.select(i.c.target_account, i.c.direction, i.c.extra).where(
                i.c.text.like("Introducing you two%")
            )
        ).all()
        assert {r.target_account for r in intro} == {aid("dawnbillings"), aid("rajpatel")}
        assert {r.direction for r in intro} == {"given"}
        assert all(r.extra["group"] for r in intro)
        raj = conn.execute(
            sa.select(i.c.target_account, i.c.direction).where(i.c.actor_account == aid("rajpatel"))
        ).one()
        assert tuple(raj) == (OWNER, "received")
        invitations = conn.execute(
            sa.select(
                i.c.direction, i.c.actor_account, i.c.target_account, i.c.occurred_at, i.c.text
            )
            .where(i.c.kind == "invitation")
            .order_by(i.c.occurred_at)
        ).all()
    assert dm_directions(store) == {"given": 5, "received": 8}
    assert [r.direction for r in invitations] == ["given", "received", "received", "given"]
    assert invitations[1].actor_account == aid("samrecruiter")
    assert invitations[1].target_account == OWNER
    assert invitations[1].occurred_at.isoformat() == "2024-01-15T15:22:00+00:00"
    assert invitations[1].text == "Hi Mia, I have a role that fits you, let's connect!"
    assert invitations[3].target_account == aid("olivia-park-42")


def test_formula_like_cells_are_stored_verbatim(store: Store) -> None:
    import_paths(store, [str(EXPORT)], settings=Settings())
    a, i = schema.accounts, schema.interactions
    with store.connect() as conn:
        priya = conn.execute(
            sa.select(a.c.extra).where(a.c.account_id == aid("priyanair"))
        ).scalar_one()
        kwame = conn.execute(
            sa.select(a.c.extra).where(a.c.account_id == aid("kwamemensah"))
        ).scalar_one()
        emily = conn.execute(
            sa.select(a.c.extra).where(a.c.account_id == aid("emilychen"))
        ).scalar_one()
        texts = set(conn.execute(sa.select(i.c.text)).scalars())
    assert priya == {"company": '=HYPERLINK("http://evil.example","click")', "position": "+1"}
    assert kwame["company"] == "@foo"
    assert emily["position"] == "-"
    assert {'=HYPERLINK("http://evil.example","click me")', "+1 to that"} <= texts
    assert "@foo see you at the meetup" in texts


def test_reimport_three_times_changes_nothing(store: Store, tmp_path: Path) -> None:
    archive = str(make_zip(tmp_path))
    i = schema.interactions

    def snapshot() -> list[tuple[object, ...]]:
        with store.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    sa.select(
                        i.c.interaction_id, i.c.direction, i.c.actor_account, i.c.text
                    ).order_by(i.c.interaction_id)
                )
            ]

    import_paths(store, [archive], settings=Settings())
    counts, rows = store.counts(), snapshot()
    again = import_paths(store, [archive], settings=Settings())
    assert {f.status for f in again.files} == {"unchanged"}
    import_paths(store, [archive], settings=Settings(), force=True)
    assert ledger(store) == EXPECTED
    assert store.counts() == counts
    assert snapshot() == rows


def test_one_file_at_a_time_matches_the_zip(store: Store, tmp_path: Path) -> None:
    # each file its own import run: the owner found in Profile.csv is remembered in the database
    for name in FILES_IN_ORDER:
        single = tmp_path / name
        shutil.copy(EXPORT / name, single)
        import_paths(store, [str(single)], settings=Settings())
    assert ledger(store) == EXPECTED
    assert dm_directions(store) == {"given": 5, "received": 8}
    with store.connect() as conn:
        owners = conn.execute(sa.select(schema.accounts.c.key).where(schema.accounts.c.is_owner))
        assert owners.scalars().all() == ["mia okafor"]


def test_without_profile_the_owner_comes_from_invitations(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("Invitations.csv", "messages.csv"):
        shutil.copy(EXPORT / name, folder / name)
    import_paths(store, [str(folder)], settings=Settings())
    assert dm_directions(store) == {"given": 5, "received": 8}
    with store.connect() as conn:
        owner = conn.execute(sa.select(schema.accounts).where(schema.accounts.c.is_owner)).one()
    assert (owner.key, owner.display_name) == ("miaokafor", "Mia Okafor")


def test_without_any_owner_file_messages_are_neutral(store: Store, tmp_path: Path) -> None:
    only = tmp_path / "messages.csv"
    shutil.copy(EXPORT / "messages.csv", only)
    import_paths(store, [str(only)], settings=Settings())
    # nobody is known to be the owner: every message to every recipient, neutral
    assert dm_directions(store) == {"neutral": 14}
    with store.connect() as conn:
        owners = conn.execute(sa.select(sa.func.count()).where(schema.accounts.c.is_owner))
        assert owners.scalar_one() == 0


def test_without_any_owner_file_config_handles_name_the_owner(store: Store, tmp_path: Path) -> None:
    only = tmp_path / "messages.csv"
    shutil.copy(EXPORT / "messages.csv", only)
    mine = Settings.from_mapping({"owner": {"handles": ["https://www.linkedin.com/in/miaokafor"]}})
    import_paths(store, [str(only)], settings=mine)
    assert dm_directions(store) == {"given": 5, "received": 8}
    with store.connect() as conn:
        owners = conn.execute(sa.select(schema.accounts.c.key).where(schema.accounts.c.is_owner))
        assert owners.scalars().all() == ["miaokafor"]


def test_renamed_files_are_found_by_content(store: Store, tmp_path: Path) -> None:
    shutil.copy(EXPORT / "messages.csv", tmp_path / "inbox-2024.txt")
    shutil.copy(EXPORT / "Connections.csv", tmp_path / "people.csv")
    report = import_paths(
        store, [str(tmp_path / "people.csv"), str(tmp_path / "inbox-2024.txt")], settings=Settings()
    )
    assert [f.source for f in report.files] == ["linkedin.connections", "linkedin.messages"]
    assert store.counts()["edges"] == 20


def _head(path: Path) -> bytes:
    return path.read_bytes()[:4096]


def test_sniffs_do_not_claim_other_platforms_files() -> None:
    linkedin = {e.source for e in REGISTRY if e.platform == "linkedin"}
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.parent.name == "linkedin" or path.suffix == ".jpg":
            continue
        claimed = {e.source for e in REGISTRY if e.content_matches(_head(path))}
        assert not claimed & linkedin, path
    for name in FILES_IN_ORDER:
        matched = entries_for(name, _head(EXPORT / name))
        assert [e.platform for e in matched] == ["linkedin"], name


def test_transforms_are_pure_functions_of_one_record() -> None:
    record = {
        "first name": "Olamide",
        "last name": "Adeyemi",
        "url": "",
        "email address": "OLA@example.com",
        "company": "Andela",
        "position": "Software Engineer",
        "connected on": "11 Sep 2023",
    }
    rows = connection(record, Context(owner_key={"linkedin": "mia okafor"}))
    them = rows.accounts[aid("olamide adeyemi")]
    assert them["display_name"] == "Olamide Adeyemi"
    assert list(rows.account_contacts) == [(them["account_id"], "email", "ola@example.com")]
    assert list(rows.edges) == [(OWNER, them["account_id"], "connected")]
    with pytest.raises(ValueError, match="not INCOMING or OUTGOING"):
        invitation(
            {"from": "A", "to": "B", "sent at": "1/15/24, 3:22 PM", "direction": "SIDEWAYS"},
            Context(),
        )


def test_linkedin_dates() -> None:
    assert ts_linkedin("05 Nov 2022") == "2022-11-05T00:00:00.000000Z"
    assert ts_linkedin("12/1/23, 11:05\u202fPM") == "2023-12-01T23:05:00.000000Z"
    assert ts_linkedin("2023-05-04 17:22:10 UTC") == "2023-05-04T17:22:10.000000Z"
    with pytest.raises(ValueError, match="unreadable date"):
        ts_linkedin("yesterday")


@given(st.text(alphabet=st.characters(categories=("L", "N"), include_characters="-_"), min_size=1))
def test_profile_slug_reads_escaped_and_plain_urls(slug: str) -> None:
    assert profile_slug(f"https://www.linkedin.com/in/{quote(slug)}/") == slug.lower()
    assert profile_slug(f"https://linkedin.com/in/{slug}?trk=x") == slug.lower()


_CELL = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=4))
def test_connections_cells_round_trip_through_the_csv_reader(cells: list[tuple[str, str]]) -> None:
    # whatever LinkedIn puts in a cell (commas, quotes, newlines, "=cmd") comes back as text
    buf = io.StringIO()
    buf.write('\ufeffNotes:\r\n"See https://www.linkedin.com/psettings/privacy/email"\r\n\r\n')
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for n, (company, position) in enumerate(cells):
        writer.writerow(
            ["A", "B", f"https://www.linkedin.com/in/p{n}", "", company, position, "1 Jan 2020"]
        )
    entry = next(e for e in REGISTRY if e.source == "linkedin.connections")
    ctx = Context(file="Connections.csv")
    records = list(entry.reader(io.BytesIO(buf.getvalue().encode("utf-8")), ctx))
    assert len(records) == len(cells)
    for (_, record), (company, position) in zip(records, cells, strict=True):
        extra = connection(record, ctx).accounts[aid(record["url"].rsplit("/", 1)[1])].get("extra")
        expected = {
            k: v.strip() for k, v in (("company", company), ("position", position)) if v.strip()
        }
        assert (extra or {}) == expected


# --- malformed input through the CLI --------------------------------------------------------------

_NOTES = (EXPORT / "Connections.csv").read_bytes().split(b"First Name,")[0]
_MESSAGES = (EXPORT / "messages.csv").read_bytes()
_BROKEN_ROW = _MESSAGES.replace(b"+1 to that,INBOX,No", b"+1 to that,INBOX,No,extra,cells", 1)
_BAD_DATE = (EXPORT / "Connections.csv").read_bytes().replace(b"21 Feb 2024", b"yesterday")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        pytest.param(
            "Connections.csv",
            _NOTES + b"Terrill,Thompson,https://www.linkedin.com/in/t,,Acme,Coach,12 Jan 2021\r\n",
            "no header row with columns First Name, Last Name, Connected On",
            id="no-header",
        ),
        pytest.param(
            "Connections.csv",
            b"Terrill,Thompson,https://www.linkedin.com/in/t,,Acme,Coach,12 Jan 2021\r\n",
            "does not look like a LinkedIn Connections.csv",
            id="no-header-no-notes",
        ),
        pytest.param(
            "messages.csv",
            bytes(range(256)) * 16,
            "does not look like a LinkedIn messages.csv",
            id="binary",
        ),
        pytest.param("messages.csv", b"", "empty file", id="empty"),
        pytest.param(
            "messages.csv",
            _BROKEN_ROW,
            "row 19: 13 cells but the header has 11",
            id="row-too-long",
        ),
        pytest.param(
            "Connections.csv",
            _BAD_DATE,
            "row 24: unexpected record (ValueError: unreadable date 'yesterday')",
            id="bad-date-in-last-row",
        ),
    ],
)
def test_malformed_file_exits_2_and_adds_nothing(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    db = tmp_path / "n.db"
    first = runner.invoke(app, ["--db", str(db), "import", str(EXPORT / "Profile.csv")])
    assert first.exit_code == 0, first.output
    before = _counts(db)
    bad = tmp_path / name
    bad.write_bytes(content)
    result = runner.invoke(app, ["--db", str(db), "import", str(bad)])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message
    assert message == f"error: {bad}: {reason}"
    assert _counts(db) == before


def test_truncated_zip_exits_2(tmp_path: Path) -> None:
    archive = make_zip(tmp_path)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(archive)])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith(f"error: {archive}: not a readable zip archive")
    assert _counts(db) == dict.fromkeys(EXPECTED, 0)


def _counts(db: Path) -> dict[str, int]:
    store = Store.open(f"sqlite:///{db}")
    try:
        return ledger(store)
    finally:
        store.close()


def test_common_file_names_in_someone_elses_export_are_not_read(tmp_path: Path) -> None:
    # another service's export can hold a messages.csv or a Profile.csv of its own: listed as
    # not read, no error; the same file beside real LinkedIn files is a damaged export: exit 2
    foreign = tmp_path / "other-service.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("inbox/messages.csv", "thread,sender,body\n1,ann,hi\n")
        z.writestr("Profile.csv", "id,nickname\n7,ann\n")
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(foreign)])
    assert result.exit_code == 0, result.output
    assert "inbox/messages.csv" in result.output
    assert _counts(db) == dict.fromkeys(EXPECTED, 0)

    damaged = tmp_path / "linkedin.zip"
    with zipfile.ZipFile(damaged, "w") as z:
        z.write(EXPORT / "Connections.csv", "Connections.csv")
        z.writestr("messages.csv", "thread,sender,body\n1,ann,hi\n")
    result = runner.invoke(app, ["--db", str(db), "import", str(damaged)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {damaged}:messages.csv: does not look like a LinkedIn messages.csv"
    )
    assert _counts(db) == dict.fromkeys(EXPECTED, 0)
