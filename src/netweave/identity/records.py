"""What identity resolution knows about one account, built from its stored row: pure, no I/O.

:func:`record_from_row` turns an ``accounts`` row and its ``account_contacts`` into a
:class:`Record` of normalised evidence: emails, phones, the references that name the account
itself and those its bio, website and contacts point at, and structured identity attributes.

Structured attributes come from the account's ``extra`` JSON when an importer knows them
(``given_name``, ``family_name``, ``birth_date``, ``national_id``, ``street``,
``street_number``, ``postcode``, ``locality``, ``region``) and otherwise from an ``address``
contact ("12 High St, Springfield, IL, 62701"). Any of them may be missing: a missing field is
left out of the comparison, never counted against a match.

    >>> r = record_from_row(
    ...     {"account_id": "a1", "platform": "contacts", "key": "uid-1",
    ...      "display_name": "Thompson, Terrill", "location": "Chicago, IL",
    ...      "extra": {"birth_date": "1980-03-14"}},
    ...     [("email", "Terrill@Terrill.dev"), ("address", "5 Elm St, Chicago, IL, 60601")])
    >>> sorted(r.emails), r.attrs["birth"], r.attrs["postcode"], r.attrs["street"]
    (['terrill@terrill.dev'], '19800314', '60601', 'elm st')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .normalize import (
    date_key,
    digits_key,
    email_key,
    own_references,
    phone_key,
    references_in,
    text_key,
    url_reference,
)

__all__ = ["IDENTITY_EXTRA", "Record", "record_from_row"]

# keys of accounts.extra that hold structured identity attributes
IDENTITY_EXTRA = (
    "given_name",
    "family_name",
    "birth_date",
    "national_id",
    "street",
    "street_number",
    "postcode",
    "locality",
    "region",
)
_SOCIAL = {"twitter", "mastodon", "bluesky", "facebook"}


@dataclass(slots=True)
class Record:
    """What identity resolution knows about one account (normalised).

    Read-only once built: most accounts have no emails, phones or attributes, and share one
    empty set and mapping (a resolver holds every account of the network at once).
    """

    account_id: str
    platform: str
    key: str
    handle: str | None
    display_name: str | None
    location: str | None
    emails: AbstractSet[str]
    phones: AbstractSet[str]
    own_refs: AbstractSet[str]
    out_refs: AbstractSet[str]
    is_owner: bool = False
    given: str | None = None
    family: str | None = None
    # birth (YYYYMMDD), nid, street, number, postcode, city, region; all optional
    attrs: Mapping[str, str] = field(default_factory=dict)


_NO_STRINGS: frozenset[str] = frozenset()
_NO_ATTRS: Mapping[str, str] = MappingProxyType({})


_STRUCTURED = (
    ("birth_date", "birth", date_key),
    ("national_id", "nid", digits_key),
    ("street", "street", text_key),
    ("street_number", "number", digits_key),
    ("postcode", "postcode", digits_key),
    ("locality", "city", text_key),
    ("region", "region", text_key),
)
_POSTCODE = re.compile(r"^(?=.*\d)[A-Z0-9]{3,8}$")
_NUMBER = re.compile(r"^(\d+[a-z]?)\s+(.*)$")


def _address(value: str, attrs: dict[str, str]) -> None:
    """Fill street / number / postcode / city from a one-line address, keeping what is set."""
    parts = [p.strip() for p in value.replace("\n", ",").split(",") if p.strip()]
    if not parts:
        return
    street = text_key(parts[0])
    if street and any(ch.isalpha() for ch in street):
        m = _NUMBER.match(street)
        if m:
            attrs.setdefault("number", m.group(1))
            street = m.group(2)
        attrs.setdefault("street", street)
    for part in reversed(parts[1:]):
        coded = [t for t in part.split() if any(ch.isdigit() for ch in t)]
        if not coded:
            continue
        # "SW1A 1AA" is one code in two words; "IL 62701" is a region and a code
        code = digits_key("".join(coded) if len(coded) == 2 else coded[-1])
        if code and _POSTCODE.match(code):
            attrs.setdefault("postcode", code)
        break
    if len(parts) >= 2 and (city := text_key(parts[1])) and not city[0].isdigit():
        attrs.setdefault("city", city)


def record_from_row(row: Mapping[str, Any], contacts: Iterable[tuple[str, str]] = ()) -> Record:
    """A :class:`Record` from an ``accounts`` row (a mapping) and its ``(kind, value)`` contacts."""
    emails: set[str] = set()
    phones: set[str] = set()
    bio, name = row.get("bio"), row.get("display_name")
    out: set[str] = set(references_in(bio)) | set(references_in(name))
    addresses = []
    for kind, value in contacts:
        if kind == "email" and (e := email_key(value)):
            emails.add(e)
        elif kind == "phone" and (ph := phone_key(value)):
            phones.add(ph)
        elif kind == "url" and (ref := url_reference(value)):
            out.add(ref)
        elif kind == "address":
            addresses.append(value)
    platform = str(row["platform"])
    website = row.get("website")
    site = url_reference(website) if website else None
    if site and platform in _SOCIAL:
        out.add(site)
    own = set(own_references(platform, str(row["key"]), row.get("handle"), row.get("url"), website))
    extra = row.get("extra")
    if not isinstance(extra, dict):
        extra = {}
    attrs: dict[str, str] = {}
    if extra:
        for src, dst, norm in _STRUCTURED:
            raw = extra.get(src)
            if raw is not None and (norm_value := norm(str(raw))):
                attrs[dst] = norm_value
    for address in addresses:
        _address(address, attrs)
    given, family = extra.get("given_name"), extra.get("family_name")
    return Record(
        str(row["account_id"]),
        platform,
        str(row["key"]),
        row.get("handle"),
        name,
        row.get("location"),
        emails or _NO_STRINGS,
        phones or _NO_STRINGS,
        own or _NO_STRINGS,
        (out - own) or _NO_STRINGS,
        bool(row.get("is_owner")),
        given if isinstance(given, str) and given.strip() else None,
        family if isinstance(family, str) and family.strip() else None,
        attrs or _NO_ATTRS,
    )
