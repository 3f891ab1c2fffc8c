"""Normalisers: names, emails, phones, handles and profile URLs, and records built from rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netweave.identity.normalize import (
    date_key,
    digits_key,
    email_key,
    name_tokens,
    phone_key,
    phonetic_key,
    references_in,
    url_reference,
)
from netweave.identity.records import record_from_row


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("Thompson, Terrill", ("terrill", "thompson")),
        ("Dr. José Álvarez, PhD", ("jose", "alvarez")),
        ("Prof Ada Lovelace 🎉✨", ("ada", "lovelace")),
        ("Bill Okafor", ("william", "okafor")),
        ("Liz Smith", ("elizabeth", "smith")),
        ("BOB  o'neil", ("robert", "o'neil")),
        ("Ada Lovelace (she/her) | maths", ("ada", "lovelace")),
        ("Zoë Lambert 🦋", ("zoe", "lambert")),
        ("Jean-Luc Picard", ("jean", "luc", "picard")),
        ("Mr. Smith", ("smith",)),
    ],
)
def test_name_tokens(raw: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(raw, ordered=True) == tokens


def test_transliteration_gives_comparable_ascii() -> None:
    assert name_tokens("Юлия Иванова", ordered=True) == ("iuliia", "ivanova")
    assert name_tokens("Ελένη Παπαδοπούλου", ordered=True) == ("elene", "papadopoulou")
    assert all(t.isascii() for t in name_tokens("山田太郎"))
    assert name_tokens("山田太郎") == name_tokens("山田 太郎")


@given(st.text(max_size=60))
def test_name_tokens_are_ascii_sorted_and_idempotent(text: str) -> None:
    tokens = name_tokens(text)
    assert tokens == tuple(sorted(tokens))
    assert all(t.isascii() and t == t.lower() for t in tokens)
    assert name_tokens(" ".join(name_tokens(text, ordered=True))) == tokens


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (" Ada.Lovelace+lists@GMAIL.com ", "adalovelace@gmail.com"),
        ("ada.lovelace@googlemail.com", "adalovelace@gmail.com"),
        ("Ada.Lovelace+x@Example.ORG", "ada.lovelace+x@example.org"),
        ("not an email", None),
        ("@nodomain", None),
        ("", None),
    ],
)
def test_email_key(raw: str, key: str | None) -> None:
    assert email_key(raw) == key


@given(st.emails())
def test_email_key_is_idempotent(email: str) -> None:
    key = email_key(email)
    if key is not None:
        assert email_key(key) == key
        assert key == key.strip().lower()


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("(312) 555-0147", "US", "+13125550147"),
        ("+1 312.555.0147", "US", "+13125550147"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("+81 3-1234-5678", "US", "+81312345678"),
        ("call me", "US", None),
        ("12", "US", None),
    ],
)
def test_phone_key(raw: str, region: str, e164: str | None) -> None:
    assert phone_key(raw, region) == e164


@given(st.from_regex(r"\+1 \(2[0-9][0-9]\) [2-9][0-9][0-9]-[0-9]{4}", fullmatch=True))
def test_phone_key_formats_agree(number: str) -> None:
    digits = "".join(ch for ch in number if ch.isdigit())
    assert phone_key(number) == phone_key(digits[1:]) == "+" + digits


@pytest.mark.parametrize(
    ("url", "ref"),
    [
        ("https://twitter.com/Terrillific", "twitter:terrillific"),
        ("https://x.com/terrillific?s=20", "twitter:terrillific"),
        ("mobile.twitter.com/terrillific/status/1", "twitter:terrillific"),
        ("https://twitter.com/i/lists/123", None),
        ("https://hachyderm.io/@ada", "mastodon:ada@hachyderm.io"),
        ("https://bsky.app/profile/ada.bsky.social", "bluesky:ada.bsky.social"),
        ("https://www.linkedin.com/in/terrill-t-123/", "linkedin:terrill-t-123"),
        ("https://blog.ada.dev/about", "domain:ada.dev"),
        ("ada.co.uk", "domain:ada.co.uk"),
        ("https://t.co/abc", None),
        ("https://github.com/ada", None),
    ],
)
def test_url_reference(url: str, ref: str | None) -> None:
    assert url_reference(url) == ref


def test_references_in_free_text() -> None:
    bio = "Now @terrill@mastodon.social and terrill.bsky.social; was @terrillific on Twitter"
    assert references_in(bio) == [
        "bluesky:terrill.bsky.social",
        "mastodon:terrill@mastodon.social",
        "twitter:terrillific",
    ]
    # a bare @name is a Twitter handle only when the text speaks of Twitter
    assert references_in("ping @ada about it") == []
    assert references_in("Ada 🦋 @ada@hachyderm.io") == ["mastodon:ada@hachyderm.io"]


def test_keys_for_dates_ids_and_sounds() -> None:
    assert date_key("1980-3-4") == date_key("19800304") == "19800304"
    assert date_key("1980-03-04T00:00:00Z") == "19800304"
    assert digits_key(" 12-34 ") == "1234"
    assert phonetic_key("smyth") == phonetic_key("smith")
    assert phonetic_key("neumann") == phonetic_key("newman")


def test_record_from_row_reads_contacts_links_and_extra() -> None:
    r = record_from_row(
        {
            "account_id": "a",
            "platform": "twitter",
            "key": "42",
            "handle": "Ada",
            "display_name": "Ada 🦋 ada.bsky.social",
            "bio": "maths",
            "website": "https://ada.dev",
            "extra": {"given_name": "Ada", "family_name": "Lovelace", "postcode": "SW1A 1AA"},
        },
        [("email", "ADA@x.org"), ("phone", "+44 20 7946 0958"), ("url", "https://x.com/ada2")],
    )
    assert r.emails == {"ada@x.org"}
    assert r.phones == {"+442079460958"}
    assert r.own_refs == {"twitter:ada"}
    assert r.out_refs == {"bluesky:ada.bsky.social", "domain:ada.dev", "twitter:ada2"}
    assert (r.given, r.family, r.attrs) == ("Ada", "Lovelace", {"postcode": "SW1A1AA"})
