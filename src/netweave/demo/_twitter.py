"""The Twitter/X archive zip: ``data/*.js`` files, each a pretty-printed JSON array behind
``window.YTD.<name>.part0 = ``, newest first, numbers as strings, text HTML-escaped, links
shortened to t.co, and ids that are snowflakes (the creation time is in the id).

    >>> from datetime import UTC, datetime
    >>> when = datetime(2024, 3, 5, 17, 42, 5, tzinfo=UTC)
    >>> snowflake(when, 0) >> 22 == int(when.timestamp() * 1000) - EPOCH_MS
    True
"""

from __future__ import annotations

import html
import random
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ._files import iso_ms, twitter_json, write_zip
from ._world import OWNER, Person, World, digest, rng

__all__ = ["EPOCH_MS", "snowflake", "write"]

EPOCH_MS = 1288834974657
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"#(\w+)")


def snowflake(when: datetime, low: int) -> int:
    """A tweet/DM id made at ``when`` (``low`` fills the worker and sequence bits)."""
    return ((int(when.timestamp() * 1000) - EPOCH_MS) << 22) | (low & 0x3FFFFF)


def _created(when: datetime) -> str:
    return when.strftime("%a %b %d %H:%M:%S +0000 %Y")


def _tco(url: str) -> str:
    code = digest("t.co", url)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "https://t.co/" + "".join(
        alphabet[int(code[i : i + 2], 16) % 62] for i in range(0, 20, 2)
    )


def _name_at(p: Person, when: datetime) -> str:
    tw = p.twitter
    assert tw is not None
    if tw.until and tw.moving_name and when > tw.until - timedelta(days=60):
        return tw.moving_name  # people put their new address in their name before moving
    return tw.name


def _mention(p: Person, when: datetime, text: str) -> dict[str, Any]:
    assert p.twitter is not None
    at = text.find("@" + p.twitter.handle)
    start = max(at, 0)
    return {
        "name": _name_at(p, when),
        "screen_name": p.twitter.handle,
        "indices": [str(start), str(start + len(p.twitter.handle) + 1)],
        "id_str": p.twitter.id,
        "id": p.twitter.id,
    }


def _tweet(
    r: random.Random, when: datetime, text: str, mentions: list[Person], reply: dict[str, str]
) -> dict[str, Any]:
    """One tweet record, fields in the order archives list them."""
    tid = str(snowflake(when, r.getrandbits(22)))
    urls = []
    for url in _URL.findall(text):
        short = _tco(url)
        text = text.replace(url, short)
        at = text.find(short)
        urls.append({
            "url": short, "expanded_url": url, "display_url": url.split("://", 1)[1][:26],
            "indices": [str(at), str(at + len(short))],
        })  # fmt: skip
    escaped = html.escape(text, quote=False)
    hashtags = [
        {"text": m.group(1), "indices": [str(m.start()), str(m.end())]}
        for m in _TAG.finditer(escaped)
    ]
    start = len(f"@{reply['in_reply_to_screen_name']} ") if reply else 0
    tweet: dict[str, Any] = {}
    if when > datetime(2022, 9, 1, tzinfo=when.tzinfo):
        tweet["edit_info"] = {
            "initial": {
                "editTweetIds": [tid],
                "editableUntil": iso_ms(when + timedelta(hours=1)),
                "editsRemaining": "5",
                "isEditEligible": not reply,
            }
        }
    tweet |= {
        "retweeted": False,
        "source": r.choice((
            '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
        )),
        "entities": {
            "hashtags": hashtags,
            "symbols": [],
            "user_mentions": [_mention(p, when, escaped) for p in mentions],
            "urls": urls,
        },
        "display_text_range": [str(start), str(len(escaped))],
        "favorite_count": str(r.choice((0, 0, 1, 2, 3, 5, 8, 13))),
    }  # fmt: skip
    if reply:
        tweet["in_reply_to_status_id_str"] = reply["in_reply_to_status_id_str"]
    tweet |= {"id_str": tid}
    if reply:
        tweet["in_reply_to_user_id"] = reply["in_reply_to_user_id_str"]
    tweet |= {"truncated": False, "retweet_count": str(r.choice((0, 0, 0, 1, 2))), "id": tid}
    if reply:
        tweet["in_reply_to_status_id"] = reply["in_reply_to_status_id_str"]
    tweet |= {"created_at": _created(when), "favorited": False, "full_text": escaped, "lang": "en"}
    if reply:
        tweet["in_reply_to_screen_name"] = reply["in_reply_to_screen_name"]
        tweet["in_reply_to_user_id_str"] = reply["in_reply_to_user_id_str"]
    return {"tweet": tweet}


def _tweets(w: World, r: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tweets, likes) from the owner's Twitter events."""
    tweets, likes = [], []
    for e in w.on("twitter"):
        p = e.person
        if e.kind == "post":
            tweets.append(_tweet(r, e.when, e.text, [], {}))
        elif e.kind == "mention" and p and p.twitter:
            tweets.append(_tweet(r, e.when, e.text, [p], {}))
        elif e.kind == "reply" and p and p.twitter and e.ref_at:
            parent = str(snowflake(e.ref_at, r.getrandbits(22)))
            reply = {
                "in_reply_to_status_id_str": parent,
                "in_reply_to_screen_name": p.twitter.handle,
                "in_reply_to_user_id_str": p.twitter.id,
            }
            tweets.append(_tweet(r, e.when, f"@{p.twitter.handle} {e.text}", [p], reply))
        elif e.kind == "repost" and p and p.twitter:
            text = f"RT @{p.twitter.handle}: {e.ref_text}"
            tweets.append(_tweet(r, e.when, text[:140], [p], {}))
        elif e.kind == "like" and p and e.ref_at:
            tid = str(snowflake(e.ref_at, r.getrandbits(22)))
            likes.append({"like": {
                "tweetId": tid, "fullText": html.escape(e.ref_text, quote=False),
                "expandedUrl": f"https://twitter.com/i/web/status/{tid}",
            }})  # fmt: skip
    return tweets[::-1], likes[::-1]


def _dms(w: World, r: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one-to-one conversations, group conversations), messages newest first."""
    me = OWNER.twitter_id
    threads: dict[str, list[dict[str, Any]]] = {}
    groups: dict[str, list[dict[str, Any]]] = {}
    group_members: dict[str, tuple[Person, ...]] = {}
    for e in w.on("twitter"):
        if e.kind != "dm":
            continue
        sender = (
            me
            if e.direction == "given"
            else (e.person.twitter.id if e.person and e.person.twitter else me)
        )
        msg: dict[str, Any] = {}
        if e.others:
            cid = str(snowflake(e.when.replace(hour=0, minute=0, second=0), 7))
            cid = (groups.setdefault(e.thread, []) and cid) or cid
            group_members[e.thread] = e.others
        elif e.person and e.person.twitter:
            a, b = sorted((me, e.person.twitter.id), key=int)
            cid = f"{a}-{b}"
            msg["recipientId"] = e.person.twitter.id if e.direction == "given" else me
        else:
            continue
        msg |= {
            "reactions": [],
            "urls": [],
            "text": e.text,
            "mediaUrls": [],
            "senderId": sender,
            "id": str(snowflake(e.when, r.getrandbits(22))),
            "createdAt": iso_ms(e.when),
        }
        (groups[e.thread] if e.others else threads.setdefault(cid, [])).append(
            {"messageCreate": msg}
        )
    newest_first = sorted(
        threads.items(), key=lambda kv: int(kv[1][-1]["messageCreate"]["id"]), reverse=True
    )
    out = [
        {"dmConversation": {"conversationId": cid, "messages": msgs[::-1]}}
        for cid, msgs in newest_first
    ]
    group_out = []
    for thread, msgs in groups.items():
        first = msgs[0]["messageCreate"]
        cid = str(int(first["id"]) - 1)
        join = {
            "participantsJoin": {
                "initiatingUserId": me,
                "userIds": [p.twitter.id for p in group_members[thread] if p.twitter],
                "createdAt": first["createdAt"],
            }
        }
        group_out.append(
            {"dmConversation": {"conversationId": cid, "messages": [*msgs[::-1], join]}}
        )
    return out, group_out


def _ytd(name: str, records: list[dict[str, Any]]) -> bytes:
    return f"window.YTD.{name}.part0 = {twitter_json(records)}".encode()


def write(w: World, directory: Path) -> Path:
    """Write ``twitter-archive.zip``; returns its path."""
    r = rng(w.seed, "twitter")
    tweets, likes = _tweets(w, r)
    dms, group_dms = _dms(w, r)
    people = [p for p in w.people if p.twitter]
    followers = [p for p in people if p.twitter and p.twitter.follower]
    following = [p for p in people if p.twitter and p.twitter.followed]

    def edge(name: str, who: list[str]) -> list[dict[str, Any]]:
        return [
            {name: {"accountId": i, "userLink": f"https://twitter.com/intent/user?user_id={i}"}}
            for i in who
        ]

    spam = [str(1_600_000_000_000_000_000 + r.randint(0, 10**17)) for _ in range(3)]
    muted = [p.twitter.id for p in people[-40:-38] if p.twitter]
    lists_of_others = [
        f"https://twitter.com/{p.twitter.handle}/lists/{p.twitter.id[-6:]}0"
        for p in people[5:9]
        if p.twitter
    ]
    website = _tco(OWNER.site)
    files: dict[str, Any] = {
        "account": [{"account": {
            "email": OWNER.email, "createdVia": "web", "username": OWNER.twitter_handle,
            "accountId": OWNER.twitter_id, "createdAt": "2011-03-14T09:26:53.000Z",
            "accountDisplayName": OWNER.name,
        }}],
        "profile": [{"profile": {
            "description": {"bio": OWNER.headline, "website": website, "location": OWNER.city},
            "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1468831003/mia_400x400.jpg",
            "headerMediaUrl": "https://pbs.twimg.com/profile_banners/271930858/1600000000",
        }}],
        "follower": edge("follower", [p.twitter.id for p in followers if p.twitter]),
        "following": edge("following", [p.twitter.id for p in following if p.twitter]),
        "block": edge("blocking", spam),
        "mute": [{"muting": edge("x", [i])[0]["x"]} for i in muted],
        "tweets": tweets,
        "like": likes,
        "direct-messages": dms,
        "direct-messages-group": group_dms,
        "lists-created": [
            {"userListInfo": {"url": f"https://twitter.com/{OWNER.twitter_handle}/lists/{n}"}}
            for n in ("1402233918345523200", "1519876543210987520")
        ],
        "lists-member": [{"userListInfo": {"url": url}} for url in lists_of_others],
    }  # fmt: skip
    members = []
    data_types = {}
    for name, records in files.items():
        global_name = name.replace("-", "_")
        path = f"data/{name}.js"
        members.append((path, _ytd(global_name, records)))
        data_types[global_name] = {"files": [{
            "fileName": path, "globalName": f"YTD.{global_name}.part0", "count": str(len(records)),
        }]}  # fmt: skip
    size = sum(len(b) for _, b in members)
    manifest = {
        "userInfo": {"accountId": OWNER.twitter_id, "userName": OWNER.twitter_handle,
                     "displayName": OWNER.name},
        "archiveInfo": {"sizeBytes": str(size), "generationDate": iso_ms(w.now),
                        "isPartialArchive": False, "maxPartSizeBytes": "53687091200"},
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": data_types,
    }  # fmt: skip
    members.insert(
        0, ("data/manifest.js", f"window.__THAR_CONFIG = {twitter_json(manifest)}".encode())
    )
    readme = (
        "Twitter Archive\n\nThis archive contains your Twitter account information, tweets, "
        "direct messages and more.\nOpen 'Your archive.html' in a browser to explore it.\n"
    )
    members.append(("data/README.txt", readme.encode()))
    members.append(("Your archive.html", _HTML.encode()))
    return write_zip(directory / "twitter-archive.zip", members, w.now)


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Your archive</title></head>
<body><noscript>Your archive requires JavaScript.</noscript>
<script src="data/manifest.js"></script></body></html>
"""
