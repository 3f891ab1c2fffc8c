"""Address books: a vCard 3.0 file as macOS Contacts exports it (CRLF, lines folded at 75
octets, ``itemN.`` groups, ``X-SOCIALPROFILE`` links) and a Google Contacts CSV ("Google CSV":
BOM, one row per contact, several values in a cell joined by `` ::: ``).

    >>> [len(line) for line in fold("NOTE:" + "x" * 80).split("\\r\\n")]
    [75, 11]
    >>> escape("Álvarez, José; PhD")
    'Álvarez\\\\, José\\\\; PhD'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from unidecode import unidecode

from ._world import Person, World, digest

__all__ = ["escape", "fold", "write_google", "write_vcards"]

_REGION = {"IL": "Illinois", "WA": "Washington", "NY": "New York", "TX": "Texas", "GA": "Georgia"}


def escape(value: str) -> str:
    """vCard text escaping (backslash, comma, semicolon, newline)."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ""
            limit = 74  # continuation lines start with a space
        current += ch
    out.append(current)
    return "\r\n ".join(out)


def _city_region(p: Person) -> tuple[str, str, str]:
    city, _, rest = p.city.partition(", ")
    region = rest if len(rest) == 2 else ""
    country = "United States" if region and region not in {"ON"} else rest
    if region == "ON":
        country = "Canada"
    return city, region, country


def _profiles(p: Person) -> list[tuple[str, str, str]]:
    """(service, user, url) of the accounts a contact card links to."""
    out = []
    if p.twitter:
        out.append(("twitter", p.twitter.handle, f"https://twitter.com/{p.twitter.handle}"))
    if p.mastodon:
        out.append(("mastodon", p.mastodon.address,
                    f"https://{p.mastodon.instance}/@{p.mastodon.user}"))  # fmt: skip
    if p.bluesky:
        out.append(("bluesky", p.bluesky.handle, f"https://bsky.app/profile/{p.bluesky.handle}"))
    if p.linkedin:
        out.append(("linkedin", p.linkedin.slug, p.linkedin.url))
    return out


def _card(p: Person) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.5//EN"]
    if p.native:
        cut = 2 if len(p.native) == 4 else 1  # 山田|太郎, 김|민지
        family, given = p.native[:cut], p.native[cut:]
        lines += [f"N:{family};{given};;;", f"FN:{p.native}",
                  f"X-PHONETIC-FIRST-NAME:{p.first}", f"X-PHONETIC-LAST-NAME:{p.last}"]  # fmt: skip
    else:
        lines += [f"N:{escape(p.last)};{escape(p.first)};;;",
                  f"FN:{escape(p.contact_name or p.name)}"]  # fmt: skip
    if p.nickname:
        lines.append(f"NICKNAME:{escape(p.nickname)}")
    if p.company:
        lines.append(f"ORG:{escape(p.company)};")
    if p.title:
        lines.append(f"TITLE:{escape(p.title)}")
    if p.email:
        lines.append(f"EMAIL;type=INTERNET;type=HOME;type=pref:{p.email}")
    if p.phone:
        lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{p.phone}")
    item = 0
    city, region, country = _city_region(p)
    if city:
        item += 1
        lines += [f"item{item}.ADR;type=HOME;type=pref:;;;{escape(city)};{region};;{country}",
                  f"item{item}.X-ABADR:{'us' if country == 'United States' else 'xx'}"]  # fmt: skip
    if p.blog:
        item += 1
        lines += [
            f"item{item}.URL;type=pref:{p.blog.url}",
            f"item{item}.X-ABLabel:_$!<HomePage>!$_",
        ]
    for service, user, url in _profiles(p):
        lines.append(f"X-SOCIALPROFILE;type={service};x-user={user}:{url}")
    if p.birthday:
        lines.append(f"BDAY:{p.birthday.isoformat()}")
    if p.note:
        lines.append(f"NOTE:{escape(p.note)}")
    lines += [f"UID:{digest('vcard', p.idx)[:8].upper()}-{digest('uid', p.idx)[:4].upper()}",
              "END:VCARD"]  # fmt: skip
    return [fold(line) for line in lines]


def write_vcards(w: World, directory: Path) -> Path:
    """Write ``contacts.vcf``; returns its path."""
    lines: list[str] = []
    for p in w.people:
        if p.vcard:
            lines += _card(p)
    path = directory / "contacts.vcf"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


_GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,"
    "Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,"
    "Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Website 1 - Label,Website 1 - Value,Website 2 - Label,Website 2 - Value"
)
_GOOGLE = _GOOGLE_HEADER.split(",")


def _google_row(p: Person) -> dict[str, str]:
    first = p.first.replace("ë", "e") if p.first == "Zoë" else p.first
    row = dict.fromkeys(_GOOGLE, "")
    labels = ["* myContacts"]
    if p.city.startswith("Chicago"):
        labels.append("Chicago")
    labels.append({"family": "Family", "colleague": "Work", "close": "Friends"}.get(p.role, ""))
    city, region, country = _city_region(p)
    phone = p.phone or ""
    if phone.startswith("("):
        phone = f"+1 {phone[1:4]}-{phone[6:]}"
    emails = [e for e in (p.email, _work_email(p)) if e]
    row |= {
        "First Name": first, "Last Name": p.last, "Nickname": p.nickname or "",
        "File As": p.contact_name or "", "Organization Name": p.company,
        "Organization Title": p.title, "Birthday": p.birthday.isoformat() if p.birthday else "",
        "Notes": p.note or "", "Labels": " ::: ".join(x for x in labels if x),
        "E-mail 1 - Label": "* Home" if emails else "",
        "E-mail 1 - Value": emails[0] if emails else "",
        "E-mail 2 - Label": "Work" if len(emails) > 1 else "",
        "E-mail 2 - Value": emails[1] if len(emails) > 1 else "",
        "Phone 1 - Label": "Mobile" if phone else "", "Phone 1 - Value": phone,
        "Address 1 - Label": "Home" if city else "",
        "Address 1 - Formatted": f"{city}, {_REGION.get(region, region)}\n{country}".strip(),
        "Address 1 - City": city, "Address 1 - Region": region, "Address 1 - Country": country,
    }  # fmt: skip
    sites = [url for _, _, url in _profiles(p)][:1]
    if p.blog:
        sites.insert(0, p.blog.url)
    for n, url in enumerate(sites[:2], 1):
        row[f"Website {n} - Label"] = (
            "Profile" if "/" in url.split("://", 1)[1].rstrip("/") else "Blog"
        )
        row[f"Website {n} - Value"] = url
    return row


def _work_email(p: Person) -> str | None:
    if p.role != "colleague" or not p.company:
        return None
    domain = "".join(c for c in p.company.lower() if c.isalnum())[:16]
    user = "".join(c for c in unidecode(p.first[0] + p.last).lower() if c.isalnum())
    return f"{user}@{domain}.example"


def write_google(w: World, directory: Path) -> Path:
    """Write ``google-contacts.csv``; returns its path."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, _GOOGLE, lineterminator="\r\n")
    writer.writeheader()
    for p in w.people:
        if p.google:
            writer.writerow(_google_row(p))
    path = directory / "google-contacts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path
