"""Twitter/X archive (the zip from Settings > Your account > Download an archive).

Files are ``data/<name>.js``, each a JSON array behind ``window.YTD.<name>.part0 = ``; big
collections are split into ``tweets.js``, ``tweets-part1.js``, ... Archives made 2019-2022 call
the tweets file ``tweet.js``. follower.js and following.js only hold numeric account ids; handles
are filled in later when a mention reveals which handle an id has.

Example:

    >>> from netweave.importers._base import account_id
    >>> ctx = Context(owner_key={"twitter": "1"})
    >>> rec = {"follower": {"accountId": "42", "userLink": "https://twitter.com/intent/user?user_id=42"}}
    >>> rows = follower(rec, ctx)
    >>> [(e["from_account"] == account_id("twitter", "42"), e["kind"]) for e in rows.edges.values()]
    [(True, 'follows')]
"""

from __future__ import annotations

import re
from typing import IO, Any, TypedDict

from ._base import Context, Entry, Rows, register, ts_epoch, ts_iso, ts_twitter
from ._readers import json_array_records

PLATFORM = "twitter"
_YTD = re.compile(rb"^\s*(\xef\xbb\xbf)?window\.YTD\.(\w+)\.part\d+\s*=")


def _ytd(*names: str) -> Any:
    wanted = {n.encode() for n in names}

    def sniff(head: bytes) -> bool:
        m = _YTD.match(head)
        return m is not None and m.group(2) in wanted

    return sniff


def _reader(stream: IO[bytes], ctx: Context) -> Any:
    return json_array_records(stream, ctx.file)


# The fields of a tweets.js record that :func:`tweet` reads (see json_array_records' ``shape``):
# a tweet's other fields (edit_info, source, display_text_range, counts, ...) are never built.


class _Mention(TypedDict, total=False):
    id_str: Any
    screen_name: Any
    name: Any


class _Hashtag(TypedDict, total=False):
    text: Any


class _Url(TypedDict, total=False):
    expanded_url: Any
    url: Any


class _Entities(TypedDict, total=False):
    user_mentions: list[_Mention] | None
    hashtags: list[_Hashtag] | None
    urls: list[_Url] | None


class _Tweet(TypedDict, total=False):
    id_str: Any
    created_at: Any
    full_text: Any
    text: Any
    entities: _Entities | None
    in_reply_to_status_id_str: Any
    in_reply_to_user_id_str: Any
    in_reply_to_screen_name: Any
    conversation_id_str: Any


class _TweetRecord(_Tweet, total=False):
    tweet: _Tweet  # archives wrap each tweet in {"tweet": ...}; early ones did not


def _tweets_reader(stream: IO[bytes], ctx: Context) -> Any:
    return json_array_records(stream, ctx.file, shape=_TweetRecord)


def _owner(ctx: Context, rows: Rows) -> str:
    key = ctx.owner_key.get(PLATFORM)
    if key is None:
        # tweets.js imported without account.js: a stand-in owner account
        return rows.account(PLATFORM, "self", is_owner=True, display_name="me (Twitter)")
    return rows.account(PLATFORM, key, is_owner=True)


def account(record: dict[str, Any], ctx: Context) -> Rows:
    """account.js: the owner's own account."""
    a = record["account"]
    rows = Rows()
    aid = rows.account(
        PLATFORM,
        a["accountId"],
        handle=a.get("username"),
        display_name=a.get("accountDisplayName"),
        is_owner=True,
        url=f"https://twitter.com/{a['username']}" if a.get("username") else None,
        seen=ts_iso(a["createdAt"]) if a.get("createdAt") else None,
    )
    rows.contact(aid, "email", a.get("email"))
    return rows


def profile(record: dict[str, Any], ctx: Context) -> Rows:
    """profile.js: the owner's bio, website and location."""
    desc = record["profile"].get("description") or {}
    rows = Rows()
    owner = _owner(ctx, rows)
    rows.account(
        PLATFORM,
        rows.accounts[owner]["key"],
        bio=desc.get("bio"),
        website=desc.get("website"),
        location=desc.get("location"),
    )
    rows.contact(owner, "url", desc.get("website"))
    return rows


def tweet(record: dict[str, Any], ctx: Context) -> Rows:
    """tweets.js / tweet.js: posts, replies, retweets and the mentions inside them."""
    t = record.get("tweet", record)
    rows = Rows()
    owner = _owner(ctx, rows)
    tid = t["id_str"]
    when = ts_twitter(t["created_at"])
    text = t.get("full_text", t.get("text", ""))
    entities = t.get("entities") or {}
    mentions = entities.get("user_mentions") or []
    mentioned: list[str] = []
    for m in mentions:
        mid = m.get("id_str")
        if not mid or mid == "-1":
            continue
        mentioned.append(
            rows.account(
                PLATFORM, mid, handle=m.get("screen_name"), display_name=m.get("name"), seen=when
            )
        )
    target = None
    kind = "post"
    if text.startswith("RT @") and mentioned:
        kind, target = "repost", mentioned[0]
    elif t.get("in_reply_to_status_id_str"):
        reply_user = t.get("in_reply_to_user_id_str")
        if reply_user:
            target = rows.account(
                PLATFORM, reply_user, handle=t.get("in_reply_to_screen_name"), seen=when
            )
        kind = "reply" if target != owner else "post"
        if target == owner:
            target = None
    extra: dict[str, Any] = {}
    if entities.get("hashtags"):
        extra["hashtags"] = [h["text"] for h in entities["hashtags"] if h.get("text")]
    if entities.get("urls"):
        extra["urls"] = [u.get("expanded_url") or u.get("url") for u in entities["urls"]]
    url = f"https://twitter.com/i/web/status/{tid}"
    rows.interaction(
        PLATFORM,
        kind,
        tid,
        actor=owner,
        target=target,
        occurred_at=when,
        direction="given",
        text=text,
        url=url,
        thread_id=t.get("conversation_id_str") or t.get("in_reply_to_status_id_str") or tid,
        in_reply_to=t.get("in_reply_to_status_id_str"),
        extra=extra or None,
    )
    for mid in mentioned:
        if mid in (target, owner):
            continue
        rows.interaction(
            PLATFORM,
            "mention",
            f"{tid}:{mid}",
            actor=owner,
            target=mid,
            occurred_at=when,
            direction="given",
            url=url,
            thread_id=tid,
        )
    return rows


def _edge_file(name: str, kind: str, reverse: bool = False) -> Any:
    def transform(record: dict[str, Any], ctx: Context) -> Rows:
        item = record[name]
        rows = Rows()
        owner = _owner(ctx, rows)
        other = rows.account(PLATFORM, item["accountId"], url=item.get("userLink"))
        if reverse:
            rows.edge(other, owner, kind)
        else:
            rows.edge(owner, other, kind)
        return rows

    transform.__name__ = name
    return transform


follower = _edge_file("follower", "follows", reverse=True)
following = _edge_file("following", "follows")
block = _edge_file("blocking", "blocked")
mute = _edge_file("muting", "muted")


def direct_messages(record: dict[str, Any], ctx: Context) -> Rows:
    """direct-messages.js and direct-messages-group.js: one conversation per record."""
    conv = record["dmConversation"]
    rows = Rows()
    owner = _owner(ctx, rows)
    owner_id = rows.accounts[owner]["key"]
    cid = conv["conversationId"]
    participants: set[str] = set()
    messages = conv.get("messages") or []
    for item in messages:
        if "participantsJoin" in item:
            participants.update(item["participantsJoin"].get("userIds") or [])
        msg = item.get("messageCreate")
        if msg:
            participants.add(msg["senderId"])
            if msg.get("recipientId"):
                participants.add(msg["recipientId"])
    others = sorted(p for p in participants if p != owner_id)
    for item in messages:
        msg = item.get("messageCreate")
        if not msg:
            continue
        when = ts_iso(msg["createdAt"])
        sender = msg["senderId"]
        sender_acc = owner if sender == owner_id else rows.account(PLATFORM, sender, seen=when)
        text = msg.get("text")
        extra = {"group": True} if "recipientId" not in msg else None
        if sender_acc == owner:
            targets = [msg["recipientId"]] if msg.get("recipientId") else others
            for target_key in targets:
                if target_key == owner_id:
                    continue
                target = rows.account(PLATFORM, target_key, seen=when)
                rows.interaction(
                    PLATFORM,
                    "dm",
                    f"{msg['id']}:{target_key}",
                    actor=owner,
                    target=target,
                    occurred_at=when,
                    direction="given",
                    text=text,
                    thread_id=cid,
                    extra=extra,
                )
        else:
            rows.interaction(
                PLATFORM,
                "dm",
                f"{msg['id']}:{owner_id}",
                actor=sender_acc,
                target=owner,
                occurred_at=when,
                direction="received",
                text=text,
                thread_id=cid,
                extra=extra,
            )
    return rows


def like(record: dict[str, Any], ctx: Context) -> Rows:
    """like.js: tweets the owner liked (the archive gives no like time; the liked tweet's
    creation time, decoded from its snowflake id, stands in as the earliest possible time)."""
    lk = record["like"]
    rows = Rows()
    owner = _owner(ctx, rows)
    tid = lk["tweetId"]
    when = (
        ts_epoch(((int(tid) >> 22) + 1288834974657) / 1000)
        if int(tid) > 2**32
        else "2006-03-21T00:00:00.000000Z"
    )
    rows.interaction(
        PLATFORM,
        "like",
        tid,
        actor=owner,
        occurred_at=when,
        direction="given",
        text=lk.get("fullText"),
        url=lk.get("expandedUrl"),
        extra={"time": "liked tweet's creation"},
    )
    return rows


def lists_created(record: dict[str, Any], ctx: Context) -> Rows:
    """lists-created.js: the owner's lists (the archive names them only by URL)."""
    url = record["userListInfo"]["url"]
    rows = Rows()
    name = url.rstrip("/").rsplit("/", 1)[-1]
    rows.list_(PLATFORM, url, f"Twitter list {name}", "list", description=url)
    return rows


_JS = ("data/{}.js", "data/{}-part*.js", "{}.js", "{}-part*.js")

for _source, _names, _transform, _priority in (
    ("twitter.account", ("account",), account, 0),
    ("twitter.profile", ("profile",), profile, 1),
    ("twitter.follower", ("follower",), follower, 10),
    ("twitter.following", ("following",), following, 10),
    ("twitter.block", ("block",), block, 10),
    ("twitter.mute", ("mute",), mute, 10),
    ("twitter.tweets", ("tweets", "tweet"), tweet, 20),
    ("twitter.direct_messages", ("direct-messages", "direct-messages-group"), direct_messages, 30),
    ("twitter.like", ("like",), like, 30),
    ("twitter.lists_created", ("lists-created",), lists_created, 30),
):
    register(
        Entry(
            source=_source,
            platform=PLATFORM,
            reader=_tweets_reader if _transform is tweet else _reader,
            transform=_transform,
            patterns=tuple(p.format(n) for n in _names for p in _JS),
            sniff=_ytd(*(n.replace("-", "_") for n in _names)),
            priority=_priority,
            description=f"Twitter/X archive {', '.join(n + '.js' for n in _names)}",
        )
    )

__all__ = ["account", "direct_messages", "follower", "following", "like", "profile", "tweet"]
