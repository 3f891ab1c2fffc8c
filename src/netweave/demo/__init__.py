"""Demo data: a deterministic, format-exact set of exports for a fictional owner, Mia Okafor.

Mia is a community builder in Chicago (Python packaging, accessibility). About 300 people she
knows are spread over Twitter/X, LinkedIn, Facebook, Mastodon, Bluesky, two address books and
blogs, overlapping under name variants ("Terrill Thompson" / "terrillific" / "Terrill T.",
"Álvarez, José", "Zoë" / "Zoe", 山田太郎, emoji in display names) and linking to each other
(display names carrying a new Mastodon address, vCard social profiles, blog comment URLs). Over
two years close friends hear from her weekly, colleagues monthly, acquaintances rarely; some
moved from Twitter to Mastodon or Bluesky; some asked her for help in the last two weeks.

Every file is written in the platform's real format (names, paths inside zips, headers, BOMs,
LinkedIn's "Notes:" preamble, Facebook's mojibake, Twitter's ``window.YTD`` wrappers). The same
``seed`` and ``today`` give byte-identical files; nothing reads the clock.

    >>> import tempfile, pathlib, datetime
    >>> out = write_demo_exports(pathlib.Path(tempfile.mkdtemp()), today=datetime.date(2026, 1, 5))
    >>> sorted(out)  # doctest: +NORMALIZE_WHITESPACE
    ['atom', 'bluesky', 'config', 'facebook', 'google_contacts', 'linkedin', 'mastodon', 'opml',
     'readme', 'rss', 'twitter', 'vcard', 'wordpress']
    >>> settings()["owner.handles"]
    ['@miaokafor', 'miaokafor@hachyderm.io', 'miaokafor.bsky.social']
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import InputError
from . import _blogs, _bluesky, _contacts, _facebook, _linkedin, _mastodon, _twitter
from ._timeline import build
from ._world import OWNER

__all__ = ["DEFAULT_TODAY", "FILES", "settings", "write_demo_exports"]

DEFAULT_TODAY = date(2026, 1, 15)
EARLIEST = date(2015, 1, 1)

# key -> (file name, what it is)
FILES: dict[str, tuple[str, str]] = {
    "twitter": ("twitter-archive.zip", "Twitter/X archive (data/*.js)"),
    "linkedin": ("linkedin-export.zip", "LinkedIn data export (CSV)"),
    "facebook": ("facebook-export.zip", "Facebook download, JSON format"),
    "mastodon": ("mastodon-archive.zip", "Mastodon archive and CSV exports"),
    "bluesky": ("bluesky-repo.car", "Bluesky repository (CAR)"),
    "vcard": ("contacts.vcf", "address book, vCard 3.0"),
    "google_contacts": ("google-contacts.csv", "Google Contacts CSV"),
    "opml": ("blogroll.opml", "blogroll, OPML 2.0"),
    "rss": ("rss.xml", "Terrill's blog feed, RSS 2.0"),
    "atom": ("atom.xml", "Zoë's blog feed, Atom 1.0"),
    "wordpress": ("wordpress-export.xml", "Mia's blog, WordPress WXR 1.2"),
    "config": ("netweave-config.toml", "suggested netweave settings for Mia"),
    "readme": ("README.md", "what is in this folder"),
}


def settings() -> dict[str, Any]:
    """The owner's netweave settings (``netweave config set KEY VALUE`` for each)."""
    return {
        "owner.name": OWNER.name,
        "owner.handles": [f"@{OWNER.twitter_handle}", OWNER.mastodon, OWNER.bluesky],
        "owner.domains": [OWNER.domain],
        "owner.emails": [OWNER.email],
        "topics.expertise": list(OWNER.expertise),
        "topics.interests": list(OWNER.interests),
        "time.timezone": "America/Chicago",
    }


def _toml() -> bytes:
    nested: dict[str, Any] = {}
    for dotted, value in settings().items():
        section, key = dotted.split(".")
        nested.setdefault(section, {})[key] = value
    note = "# netweave settings for the demo owner: copy to your config.toml or use config set\n"
    return (note + tomli_w.dumps(nested)).encode()


def _readme(today: date, seed: int) -> bytes:
    rows = "\n".join(f"| `{name}` | {what} |" for name, what in FILES.values())
    text = f"""# netweave demo exports

Sample exports of a fictional person, {OWNER.name} ({OWNER.city}; {", ".join(OWNER.expertise)}),
generated with seed {seed} for {today.isoformat()}. Every person, address and site is
fictional: web sites use the reserved `.example` domain, phone numbers the 555-01xx range.

| file | what it is |
| --- | --- |
{rows}

Import them all and look around:

```sh
netweave config set owner.handles "@{OWNER.twitter_handle}, {OWNER.mastodon}, {OWNER.bluesky}"
netweave config set topics.expertise "{", ".join(OWNER.expertise)}"
netweave import .
netweave people show Terrill
netweave help-requests
netweave who "python packaging"
netweave reunion
```

The story: Mia met @terrillific (Terrill Thompson) for dinner in Chicago while he was in town
for a conference; he asked "so what's your goal with this whole social media thing?", and she
blogged about it. Terrill and Zoë later moved from Twitter to Mastodon (Zoë to Bluesky too).
Mia introduced José and Taro (山田太郎) to each other. Her family talks to her on Facebook, her
colleagues on LinkedIn. In the last two weeks several people asked her for help with Python
packaging and accessibility; some of them are still waiting for an answer.
"""
    return text.encode()


def write_demo_exports(
    directory: Path, seed: int = 7, today: date = DEFAULT_TODAY
) -> dict[str, Path]:
    """Write the demo exports into ``directory`` (created if needed); return path by key.

    The data ends the day before ``today``, so pass ``date.today()`` for a demo that looks
    fresh; the same ``seed`` and ``today`` always write the same bytes.
    """
    if today < EARLIEST:
        # the story spans three years before today, and Twitter ids only encode times since 2010
        raise InputError("", None, f"the demo day must be {EARLIEST.isoformat()} or later")
    directory.mkdir(parents=True, exist_ok=True)
    w = build(seed, today)
    out = {
        "twitter": _twitter.write(w, directory),
        "linkedin": _linkedin.write(w, directory),
        "facebook": _facebook.write(w, directory),
        "mastodon": _mastodon.write(w, directory),
        "bluesky": _bluesky.write(w, directory),
        "vcard": _contacts.write_vcards(w, directory),
        "google_contacts": _contacts.write_google(w, directory),
        "opml": _blogs.write_opml(w, directory),
        "rss": _blogs.write_rss(w, directory),
        "atom": _blogs.write_atom(w, directory),
        "wordpress": _blogs.write_wxr(w, directory),
    }
    config = directory / FILES["config"][0]
    config.write_bytes(_toml())
    readme = directory / FILES["readme"][0]
    readme.write_bytes(_readme(today, seed))
    return {**out, "config": config, "readme": readme}
