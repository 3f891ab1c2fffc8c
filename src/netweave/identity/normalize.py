"""Normalising what identifies a person: names, emails, phones, handles and profile links.

Everything here is pure. Profile links are reduced to *references* like ``twitter:terrillific``,
``mastodon:terrill@mastodon.social``, ``bluesky:terrill.bsky.social``, ``linkedin:terrill-t`` or
``domain:terrill.dev``: an account's own references say who it is, references found in its bio,
website or contacts say whom it points at.

    >>> name_tokens("Dr. José  Álvarez 🎉")
    ('alvarez', 'jose')
    >>> name_tokens("Thompson, Terrill")
    ('terrill', 'thompson')
    >>> references_in("formerly @terrillific on Twitter, now @terrill@mastodon.social")
    ['mastodon:terrill@mastodon.social', 'twitter:terrillific']
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import jellyfish
import phonenumbers
from unidecode import unidecode

__all__ = [
    "date_key",
    "digits_key",
    "email_key",
    "name_tokens",
    "own_references",
    "phone_key",
    "phonetic_key",
    "references_in",
    "text_key",
    "url_reference",
]

_TITLES = {
    "dr",
    "prof",
    "mr",
    "mrs",
    "ms",
    "mx",
    "sir",
    "dame",
    "phd",
    "md",
    "jr",
    "sr",
    "ii",
    "iii",
    "esq",
    "rev",
    "the",
}
# A few common nicknames, mapped to one canonical form so "Bill" meets "William".
_NICK = {
    "bill": "william",
    "will": "william",
    "billy": "william",
    "liam": "william",
    "bob": "robert",
    "rob": "robert",
    "bobby": "robert",
    "robbie": "robert",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "lizzie": "elizabeth",
    "betty": "elizabeth",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "mike": "michael",
    "mick": "michael",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cathy": "katherine",
    "tom": "thomas",
    "tommy": "thomas",
    "dave": "david",
    "dan": "daniel",
    "danny": "daniel",
    "chris": "christopher",
    "matt": "matthew",
    "alex": "alexander",
    "sasha": "alexander",
    "nick": "nicholas",
    "tony": "anthony",
    "joe": "joseph",
    "joey": "joseph",
    "sam": "samuel",
    "ben": "benjamin",
    "jen": "jennifer",
    "jenn": "jennifer",
    "jenny": "jennifer",
    "steve": "stephen",
    "stef": "stefanie",
    "steph": "stephanie",
    "andy": "andrew",
    "drew": "andrew",
    "pat": "patricia",
    "patty": "patricia",
    "peggy": "margaret",
    "maggie": "margaret",
    "meg": "margaret",
    "sue": "susan",
    "terry": "terrill",
    "ed": "edward",
    "eddie": "edward",
    "ted": "edward",
}
_NON_LETTER = re.compile(r"[^a-z0-9' -]+")
# Display names carry more than the name: "Ada Lovelace (she/her)", "Ada | maths", "Ada · AI".
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:she|he|they|ze|xe)\s*/\s*\w+\b", re.I)
_TAIL = re.compile(r"\s(?:[|·•]|--?|—|–)\s.*$|\s*[|·•].*$")


_ASCII_DROP = str.maketrans(
    "",
    "",
    "".join(
        ch
        for ch in map(chr, range(128))
        if unicodedata.category(ch)[0] not in "LNZP" and ch not in "-'"
    ),
)


def _strip_marks(text: str) -> str:
    # Emoji and symbols go; letters of any script are transliterated to ASCII.
    if text.isascii():
        return text.translate(_ASCII_DROP)
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNZP" or ch in "-'")
    return unidecode(kept)


def name_tokens(name: str | None, *, ordered: bool = False) -> tuple[str, ...]:
    """Sorted name tokens without titles, marks, emoji; nicknames mapped; "Last, First" safe.

    ``ordered`` keeps first-name-first order instead of sorting.

    >>> name_tokens("Bill O'Neil, PhD")
    ("o'neil", 'william')
    >>> name_tokens("山田太郎")
    ('lang', 'shan', 'tai', 'tian')
    >>> name_tokens("Ada Lovelace (she/her) | maths", ordered=True)
    ('ada', 'lovelace')
    >>> name_tokens(None)
    ()
    """
    if not name:
        return ()
    cut = _TAIL.sub("", _ASIDE.sub(" ", name)).strip()
    text = _strip_marks(cut or name).lower()
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if not set(first.replace(".", " ").split()) <= _TITLES:
            text = f"{first} {last}"
    text = _NON_LETTER.sub(" ", text.replace(",", " ").replace(".", " "))
    tokens = []
    for tok in text.replace("-", " ").split():
        tok = tok.strip("'")
        if not tok or tok in _TITLES:
            continue
        tokens.append(_NICK.get(tok, tok))
    return tuple(tokens) if ordered else tuple(sorted(tokens))


def phonetic_key(token: str) -> str:
    """Metaphone code of one name token, so "Smyth" and "Smith" share a blocking key.

    >>> phonetic_key("smyth") == phonetic_key("smith")
    True
    >>> phonetic_key("kathryn") == phonetic_key("catherine")
    True
    """
    return jellyfish.metaphone(token) or token


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def text_key(text: str | None) -> str | None:
    """Lower-case ASCII words of a free-text field (a street, a town), or None if empty.

    >>> text_key("  Rue de l'Église, 12 ")
    'rue de l eglise 12'
    """
    if not text:
        return None
    words = _NOT_WORD.sub(" ", unidecode(text).lower()).split()
    return " ".join(words) or None


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_key(value: str | None) -> str | None:
    """The digits and letters of an identifier (postcode, national id), upper-cased.

    >>> digits_key(" 4223 ")
    '4223'
    >>> digits_key("SW1A 1AA")
    'SW1A1AA'
    >>> digits_key("nan") is None
    True
    """
    if not value:
        return None
    key = _NOT_ALNUM.sub("", value).upper()
    return key if key and key != "NAN" else None


_DATE = re.compile(r"(\d{4})-?(\d{1,2})-?(\d{1,2})")


def date_key(value: str | None) -> str | None:
    """A birth date as ``YYYYMMDD`` from ``YYYYMMDD``, ``YYYY-MM-DD`` or an ISO timestamp.

    >>> date_key("1956-01-25")
    '19560125'
    >>> date_key("19560125")
    '19560125'
    >>> date_key("next tuesday") is None
    True
    """
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    return f"{m.group(1)}{int(m.group(2)):02d}{int(m.group(3)):02d}"


def email_key(email: str | None) -> str | None:
    """Lower-case email; Gmail's dots and +tags dropped (they reach the same inbox).

    >>> email_key(" Ada.Lovelace+lists@GMAIL.com ")
    'adalovelace@gmail.com'
    >>> email_key("not an email") is None
    True
    """
    if not email or "@" not in email:
        return None
    local, _, domain = email.strip().lower().rpartition("@")
    if not local or "." not in domain:
        return None
    if domain in {"gmail.com", "googlemail.com"}:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def phone_key(phone: str | None, region: str = "US") -> str | None:
    """E.164 form of a phone number, or None if it is not a valid number.

    >>> phone_key("(312) 555-0147")
    '+13125550147'
    >>> phone_key("+44 20 7946 0958", "US")
    '+442079460958'
    """
    if not phone:
        return None
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_SHORTENERS = {"t.co", "bit.ly", "buff.ly", "ow.ly", "tinyurl.com", "lnkd.in", "goo.gl"}
_HOSTING = {
    "twitter.com",
    "x.com",
    "mobile.twitter.com",
    "www.twitter.com",
    "www.x.com",
    "facebook.com",
    "www.facebook.com",
    "linkedin.com",
    "www.linkedin.com",
    "bsky.app",
    "github.com",
    "instagram.com",
    "www.instagram.com",
    "youtube.com",
    "www.youtube.com",
    "medium.com",
    "linktr.ee",
    "about.me",
    "gmail.com",
}


def url_reference(url: str | None) -> str | None:
    """The account or site a URL points at, as a reference string.

    >>> url_reference("https://x.com/Terrillific?s=20")
    'twitter:terrillific'
    >>> url_reference("https://hachyderm.io/@ada")
    'mastodon:ada@hachyderm.io'
    >>> url_reference("https://bsky.app/profile/ada.bsky.social")
    'bluesky:ada.bsky.social'
    >>> url_reference("https://www.linkedin.com/in/terrill-t-123/")
    'linkedin:terrill-t-123'
    >>> url_reference("https://blog.ada.dev/about")
    'domain:ada.dev'
    """
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = [p for p in parts.path.split("/") if p]
    if not host or host in _SHORTENERS:
        return None
    if host.removeprefix("www.").removeprefix("mobile.") in {"twitter.com", "x.com"}:
        if path and path[0].lower() not in {"i", "intent", "home", "search", "hashtag"}:
            return f"twitter:{path[0].lower().lstrip('@')}"
        return None
    if host == "bsky.app":
        return f"bluesky:{path[1].lower()}" if len(path) >= 2 and path[0] == "profile" else None
    if host.removeprefix("www.") == "linkedin.com":
        return f"linkedin:{path[1].lower()}" if len(path) >= 2 and path[0] == "in" else None
    if path and path[0].startswith("@") and len(path[0]) > 1:
        return f"mastodon:{path[0][1:].lower()}@{host}"
    if host in _HOSTING or host.removeprefix("www.") in _HOSTING:
        return None
    labels = host.removeprefix("www.").split(".")
    # a personal domain: keep the registrable part (two labels; three for co.uk-like suffixes)
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return "domain:" + ".".join(labels[-keep:])


_FEDI = re.compile(r"(?<![\w@])@([a-z0-9_]{1,30})@([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)
_BSKY = re.compile(r"(?<![\w@/])@?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.bsky\.social)\b", re.I)
_TWITTER_AT = re.compile(r"(?<![\w@/.])@([a-z0-9_]{1,15})\b(?![@.]\w)", re.I)
_TWITTER_CONTEXT = re.compile(r"twitter|\bx\b|tweet", re.I)
_URL = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s)>\]\"']*)?", re.I)


def references_in(text: str | None) -> list[str]:
    """References an account's free text (bio, display name) makes to other accounts.

    A bare ``@name`` counts as a Twitter handle only when the text speaks of Twitter/X.

    >>> references_in("Find me at ada.bsky.social or https://ada.dev")
    ['bluesky:ada.bsky.social', 'domain:ada.dev']
    """
    if not text:
        return []
    refs: set[str] = set()
    for user, host in _FEDI.findall(text):
        refs.add(f"mastodon:{user.lower()}@{host.lower()}")
    for handle in _BSKY.findall(text):
        refs.add(f"bluesky:{handle.lower()}")
    stripped = _FEDI.sub(" ", text)
    if _TWITTER_CONTEXT.search(stripped):
        for handle in _TWITTER_AT.findall(stripped):
            refs.add(f"twitter:{handle.lower()}")
    for url in _URL.findall(stripped):
        if "@" in url or url.lower().endswith(".bsky.social"):
            continue
        ref = url_reference(url)
        if ref:
            refs.add(ref)
    return sorted(refs)


def own_references(
    platform: str, key: str, handle: str | None, url: str | None, website: str | None = None
) -> list[str]:
    """The references that name this account itself (what others' links would point at).

    >>> own_references("mastodon", "ada@hachyderm.io", "ada", None)
    ['mastodon:ada@hachyderm.io']
    >>> own_references("twitter", "1001", "Terrillific", "https://twitter.com/Terrillific")
    ['twitter:terrillific']
    """
    refs: set[str] = set()
    if platform == "twitter" and handle:
        refs.add(f"twitter:{handle.lower().lstrip('@')}")
    elif platform == "mastodon" and "@" in key:
        refs.add(f"mastodon:{key.lower()}")
    elif platform == "bluesky" and handle:
        refs.add(f"bluesky:{handle.lower()}")
    elif platform == "linkedin" and key and "/" not in key and " " not in key:
        refs.add(f"linkedin:{key.lower()}")
    elif platform == "blog":
        ref = url_reference(url or key)
        if ref:
            refs.add(ref)
    ref = url_reference(url)
    if ref and ref.split(":", 1)[0] in {platform, "mastodon"} and platform != "blog":
        refs.add(ref)
    return sorted(refs)
