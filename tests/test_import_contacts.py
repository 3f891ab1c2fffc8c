"""Address books: vCard 2.1/3.0/4.0 and Google Contacts CSV (current and legacy columns)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from netweave.cli import app
from netweave.config import Settings
from netweave.importers import import_paths
from netweave.importers._base import Context
from netweave.importers.contacts import parse_card, split_multi, vcards
from netweave.store import Store, schema

from .conftest import DATA

BOOK = DATA / "contacts"
runner = CliRunner()
LEDGER = ("accounts", "account_contacts", "edges", "interactions", "lists", "list_members")


def _account(conn: sa.Connection, platform: str, name: str) -> sa.Row[tuple[object, ...]]:
    a = schema.accounts
    return conn.execute(
        sa.select(a).where(a.c.platform == platform, a.c.display_name == name)
    ).one()


def _contacts(conn: sa.Connection, account_id: str) -> set[tuple[str, str]]:
    c = schema.account_contacts
    return {
        (kind, value)
        for kind, value in conn.execute(
            sa.select(c.c.kind, c.c.value).where(c.c.account_id == account_id)
        )
    }


def test_vcards_and_google_csv(store: Store) -> None:
    import_paths(store, [str(BOOK)], settings=Settings())
    a = schema.accounts
    with store.connect() as conn:
        located = {
            (platform, name, location)
            for platform, name, location in conn.execute(
                sa.select(a.c.platform, a.c.display_name, a.c.location)
            )
        }
        assert located == {
            ("contacts", "José Álvarez", None),
            ("contacts", "Terrill Thompson", "Chicago, IL, USA"),
            ("contacts", "山田太郎", "Tokyo, Japan"),
            ("contacts", "Stefanie Kraus", "Berlin, Germany"),
            ("contacts", "Ravi Patel", "Toronto, ON, Canada"),
            ("contacts", "Jürgen Müller", "München, Bayern, Deutschland"),
            ("google_contacts", "Zoë Lambert", "Paris, France"),
            ("google_contacts", "Dawn Billings", None),
            ("google_contacts", "Ravi Patel", "Toronto, ON, CA"),
            ("google_contacts", "Noah Chang", None),
        }
        groups = sorted(conn.execute(sa.select(schema.lists.c.name)).scalars())
        assert groups == ["Accessibility", "Friends", "PyTO"]  # system groups left out
    assert store.counts()["interactions"] == 0


def test_vcard_21_quoted_printable_with_soft_line_breaks(store: Store) -> None:
    import_paths(store, [str(BOOK)], settings=Settings())
    with store.connect() as conn:
        jose = _account(conn, "contacts", "José Álvarez")
        # "=" at the end of a line joins the next one; =C3=B1 is UTF-8 for ñ
        assert jose.bio == "Met at PyCon España. Maintains a packaging tool; ask him about wheels."
        assert _contacts(conn, jose.account_id) == {
            ("email", "jose.alvarez@gmail.com"),
            ("phone", "+34 600 123 456"),
        }
        jurgen = _account(conn, "contacts", "Jürgen Müller")
        # an encoded CRLF inside a value is a line break of the value, not a new property
        assert jurgen.bio == "Kennengelernt auf der EuroPython.\nFragt nach Packaging."
        assert ("address", "Straße des 17. Juni 135, München, Bayern, 80331, Deutschland") in (
            _contacts(conn, jurgen.account_id)
        )


def test_vcard_30_folding_several_values_and_social_profiles(store: Store) -> None:
    import_paths(store, [str(BOOK)], settings=Settings())
    with store.connect() as conn:
        terrill = _account(conn, "contacts", "Terrill Thompson")
        assert terrill.key == "5f1e0a8c-terrill"  # the UID
        assert terrill.bio.startswith("Improv Coach at Acme, Inc.\nWe met at SoCon.")
        assert terrill.bio.endswith("onto a continuation line by the exporting address book.")
        assert _contacts(conn, terrill.account_id) == {
            ("email", "terrill@terrill.dev"),  # lower-cased
            ("email", "terrill@acme.example"),
            ("phone", "(312) 555-0147"),  # as given: identity resolution normalises
            ("phone", "+1 312 555 0100"),
            ("address", "12 W Madison St, Chicago, IL, 60602, USA"),
            ("url", "https://terrill.dev"),
            ("url", "https://twitter.com/terrillific"),
            ("url", "https://mastodon.social/@terrill"),
        }
        stefanie = _account(conn, "contacts", "Stefanie Kraus")
        assert stefanie.bio == (
            "Consultant at Stefanie on Social\n"
            "Strategic partner. Offered to review her workshop slides on community metrics."
        )
        urls = {v for k, v in _contacts(conn, stefanie.account_id) if k == "url"}
        # Apple's x-apple: profile values become profile links; a Skype IMPP is not a page
        assert urls == {
            "https://stefaniekraus.example",
            "https://twitter.com/stefkraus",
            "http://www.linkedin.com/in/stefanie-kraus",
        }


def test_vcard_40_uri_phones_socialprofile_and_x_twitter(store: Store) -> None:
    import_paths(store, [str(BOOK)], settings=Settings())
    with store.connect() as conn:
        taro = _account(conn, "contacts", "山田太郎")
        assert taro.key == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
        assert ("phone", "+81-3-1234-5678") in _contacts(conn, taro.account_id)
        ravi = _account(conn, "contacts", "Ravi Patel")
        assert ravi.key.startswith("card:")  # no UID: a hash of name and first email/phone
        assert _contacts(conn, ravi.account_id) == {
            ("email", "ravi@example.org"),
            ("phone", "+1-416-555-0199"),
            ("url", "https://ravi.example"),
            ("url", "https://hachyderm.io/@ravi"),
            ("url", "https://twitter.com/ravipatel"),
            ("address", "100 Queen St W, Toronto, ON, M5H 2N2, Canada"),
        }


def test_google_csv_multi_values_groups_and_formula_like_cells(store: Store) -> None:
    import_paths(store, [str(BOOK)], settings=Settings())
    m = schema.list_members
    with store.connect() as conn:
        zoe = _account(conn, "google_contacts", "Zoë Lambert")
        assert _contacts(conn, zoe.account_id) == {
            ("email", "zoe@accessible.example"),
            ("email", "zoe.lambert@gmail.com"),
            ("phone", "+33 6 12 34 56 78"),
            ("url", "https://fosstodon.org/@zoe"),
            ("address", "5 Rue de Rivoli, Paris 75001, France"),
        }
        ravi = _account(conn, "google_contacts", "Ravi Patel")
        phones = {v for k, v in _contacts(conn, ravi.account_id) if k == "phone"}
        assert phones == {"+1 416 555 0199", "+1 647 555 0100"}  # " ::: " in the legacy file
        assert ravi.bio == "@ravi@hachyderm.io on Mastodon"
        # cells that a spreadsheet would run as formulas are kept as the text they are
        dawn = _account(conn, "google_contacts", "Dawn Billings")
        assert dawn.bio == 'CEO at Heart Link Network\n=HYPERLINK("http://evil.example")'
        noah = _account(conn, "google_contacts", "Noah Chang")
        assert noah.bio == "=1+2 at -Dash Labs\n+1 for the community meetup idea"
        members = dict(
            conn.execute(
                sa.select(schema.lists.c.name, sa.func.count())
                .join(m, m.c.list_id == schema.lists.c.list_id)
                .group_by(schema.lists.c.name)
            ).all()
        )
        assert members == {"Accessibility": 1, "Friends": 1, "PyTO": 2}


def test_contacts_link_people_across_platforms(store: Store) -> None:
    from netweave.identity.ops import find_person, person_accounts
    from netweave.identity.resolve import resolve

    import_paths(store, [str(DATA / "twitter"), str(BOOK / "contacts.vcf")], settings=Settings())
    resolve(store)
    terrill = find_person(store, "terrillific")
    platforms = {acc["platform"] for acc in person_accounts(store, terrill["person_id"])}
    assert platforms == {"twitter", "contacts"}


def test_reimport_three_times_leaves_identical_counts(store: Store) -> None:
    counts = []
    for force in (False, True, True):
        import_paths(store, [str(BOOK)], settings=Settings(), force=force)
        now = store.counts()
        counts.append({t: now[t] for t in LEDGER})
    assert counts[0] == counts[1] == counts[2]
    assert counts[0]["accounts"] == 10
    assert counts[0]["account_contacts"] > 30


GOOD_CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:ada@x.org\r\nEND:VCARD\r\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "contacts.vcf",
            GOOD_CARD + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\n",
            "card 2: no END:VCARD",
        ),
        ("contacts.vcf", b"", "contacts.vcf: empty file"),
        (
            "contacts.vcf",
            GOOD_CARD + b"BEGIN:VCARD\r\nEND:VCARD\r\n",
            "card 2: the card has no name",
        ),
        (
            "contacts.vcf",
            GOOD_CARD + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nno colon here\r\nEND:VCARD\r\n",
            "card 2: not a readable vCard",
        ),
        ("contacts.vcf", b"\x00\x01binary\xff\xfe" * 100, "does not look like a vCard"),
        ("contacts.vcf", GOOD_CARD + b"BEGIN:VCARD\r\nFN:\xff\xfe\r\nEND:VCARD\r\n", "not UTF-8"),
        ("contacts.csv", b"\x00\x01binary\xff\xfe" * 100, "does not look like a Google Contacts"),
        (
            "contacts.csv",
            b"First Name,Last Name,E-mail 1 - Value\r\nAda,L,ada@x.org\r\nBo,B,bo@x.org,extra\r\n",
            "contacts.csv: row 3: 4 cells but the header has 3",
        ),
    ],
)
def test_bad_files_exit_2_with_one_line_and_add_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(bad)])
    out = result.stdout + result.stderr
    assert result.exit_code == 2, out
    assert message in out
    assert out.count("\n") == 1
    assert str(bad) in out
    store = Store.open(f"sqlite:///{db}")
    try:
        counts = store.counts()
        assert {t: counts[t] for t in LEDGER} == dict.fromkeys(LEDGER, 0)
    finally:
        store.close()


def test_renamed_files_are_detected_by_content(store: Store, tmp_path: Path) -> None:
    shutil.copy(BOOK / "contacts.vcf", tmp_path / "export.txt")
    shutil.copy(BOOK / "google-legacy.csv", tmp_path / "download (1).csv")
    report = import_paths(store, [str(tmp_path)], settings=Settings())
    assert sorted(f.source for f in report.files) == ["contacts.google", "contacts.vcard"]
    assert store.counts()["accounts"] == 5


def test_other_platforms_csvs_are_not_taken_for_google_contacts() -> None:
    from netweave.importers._base import entries_for

    linkedin = (DATA / "linkedin" / "Connections.csv").read_bytes()[:4096]
    assert "contacts.google" not in [e.source for e in entries_for("contacts.csv", linkedin)]
    mastodon = (DATA / "mastodon" / "following_accounts.csv").read_bytes()[:4096]
    assert "contacts.google" not in [e.source for e in entries_for("x.csv", mastodon)]
    google = (BOOK / "google-contacts.csv").read_bytes()[:4096]
    assert [e.source for e in entries_for("x.csv", google)] == ["contacts.google"]


def test_a_folded_line_that_reads_begin_vcard_is_not_a_boundary() -> None:
    text = b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:x\r\n BEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n"
    ((label, card),) = list(vcards(io.BytesIO(text), Context(file="x.vcf")))
    assert label == "card 1"
    assert parse_card(card).note.value == "xBEGIN:VCARD"


_MULTI_VALUE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30
).filter(lambda v: ":::" not in v)


@given(st.lists(_MULTI_VALUE, max_size=6))
def test_split_multi_round_trip(values: list[str]) -> None:
    joined = " ::: ".join(values)
    assert split_multi(joined) == [v.strip() for v in values if v.strip()]


_NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda v: v == v.strip())


def _escape(value: str) -> str:
    """vCard 3.0 TEXT escaping, as exporters write it."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str, width: int, eol: str) -> str:
    parts = [line[i : i + width] for i in range(0, len(line), width)]
    return (eol + " ").join(parts)


@given(
    st.lists(_NAME, min_size=1, max_size=8),
    st.integers(min_value=1, max_value=75),
    st.sampled_from(["\r\n", "\n"]),
)
def test_vcard_splitter_round_trips_folded_cards(names: list[str], width: int, eol: str) -> None:
    text = "".join(
        eol.join(["BEGIN:VCARD", "VERSION:3.0", _fold(f"FN:{_escape(n)}", width, eol), "END:VCARD"])
        + eol
        for n in names
    )
    cards = list(vcards(io.BytesIO(text.encode()), Context(file="x.vcf")))
    assert [label for label, _ in cards] == [f"card {i + 1}" for i in range(len(names))]
    assert [parse_card(t).fn.value for _, t in cards] == names
