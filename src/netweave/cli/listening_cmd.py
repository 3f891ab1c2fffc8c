"""``netweave who``, ``help-requests`` and ``digest``: listening to the network."""

from __future__ import annotations

import re
from datetime import timedelta

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..listening.digest import digest as build_digest
from ..listening.help import help_requests as find_help_requests
from ..listening.who import who as find_who
from ._output import emit, state

_SPAN = re.compile(r"^\s*(\d+)\s*([hdwmy])\s*$")
_UNIT = {"h": 1 / 24, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_span(text: str) -> timedelta:
    """'24h', '90d', '2w', '6m', '1y' as a timedelta.

    >>> parse_span("90d")
    datetime.timedelta(days=90)
    """
    m = _SPAN.match(text)
    if not m:
        raise InputError("", None, f"{text!r} is not a time span like 24h, 90d, 2w, 6m or 1y")
    return timedelta(days=int(m.group(1)) * _UNIT[m.group(2)])


def _short(text: str | None, width: int = 90) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def who(
    ctx: typer.Context,
    query: str = typer.Argument(..., help='Words or a "quoted phrase".'),
    since: str | None = typer.Option(None, "--since", help="Only posts this recent (90d)."),
    platform: str | None = typer.Option(None, "--platform", help="Only this platform."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500),
    semantic: bool = typer.Option(
        False,
        "--semantic",
        help="Rank by meaning, not words (after `netweave index --semantic`; needs pip "
        "install 'netweave[embeddings]').",
    ),
) -> None:
    """Who in your network talks about a topic: people ranked by how much and how recently."""
    if semantic:
        from .index_cmd import semantic_module

        module = semantic_module()
        speakers = module.semantic_who(
            state(ctx).store(),
            query,
            embedder=module.load_embedder(),
            since=parse_span(since) if since else None,
            platform=platform,
            limit=limit,
            samples=3,
        )
    else:
        speakers = find_who(
            state(ctx).store(),
            query,
            since=parse_span(since) if since else None,
            platform=platform,
            limit=limit,
            samples=3,
        )

    def render(con: Console) -> None:
        if not speakers:
            con.print(f"nobody in your network talks about {query!r} yet")
            return
        table = Table(
            "person", "posts", "last 180d", "last 30d", "latest", box=None, pad_edge=False
        )
        for s in speakers:
            table.add_row(
                s.name,
                str(s.posts),
                str(s.recent_180),
                str(s.recent_30),
                s.last.date().isoformat() if s.last else "",
            )
            for sample in s.samples:
                table.add_row(f"  [dim]{_short(sample['text'], 70)}[/]", "", "", "", "")
        con.print(table)

    emit(ctx, [s.as_dict() for s in speakers], render)


def help_requests(
    ctx: typer.Context,
    since: str = typer.Option("14d", "--since", help="How far back to look."),
    topic: list[str] = typer.Option(
        [], "--topic", "-t", help="Topic to help with (default: config topics.expertise)."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500),
) -> None:
    """People in your network asking for help in your topics, not answered by you yet."""
    st = state(ctx)
    topics = topic or list(st.settings().get("topics.expertise"))
    if not topics:
        raise InputError(
            "",
            None,
            "no topics: set them with `netweave config set "
            'topics.expertise "python packaging, accessibility"` or use --topic',
        )
    found = find_help_requests(st.store(), topics, since=parse_span(since), limit=limit)

    def render(con: Console) -> None:
        if not found:
            con.print(f"no unanswered help requests about {', '.join(topics)}")
            return
        for r in found:
            con.print(
                f"[bold]{r.name}[/] [dim]({r.platform}, {r.occurred_at:%Y-%m-%d}, "
                f"{r.topic}, tie {r.strength:.2f})[/]"
            )
            con.print(f"  {_short(r.text, 110)}")
            if r.url:
                con.print(f"  [dim]{r.url}[/]")

    emit(ctx, [r.as_dict() for r in found], render)


def digest(
    ctx: typer.Context,
    since: str = typer.Option("24h", "--since", help="The window to digest."),
) -> None:
    """What your network said lately, by topic and by circle, and whom to answer first."""
    st = state(ctx)
    settings = st.settings()
    topics = [*settings.get("topics.expertise"), *settings.get("topics.interests")]
    data = build_digest(st.store(), topics=topics, since=parse_span(since))

    def render(con: Console) -> None:
        con.print(
            f"[bold]{data['total']}[/] posts from {data['people']} people since "
            f"{data['since']:%Y-%m-%d %H:%M} UTC"
        )
        if data["reply_first"]:
            con.print("\n[bold]Reply first[/]")
            for r in data["reply_first"]:
                con.print(f"  {r['name']} [dim]({r['reason']})[/]: {_short(r['item']['text'])}")
        for group in data["by_topic"]:
            con.print(
                f"\n[bold]{group['topic']}[/] [dim]{group['count']} posts, "
                f"{group['people']} people[/]"
            )
            for it in group["items"]:
                con.print(f"  {it['name']}: {_short(it['text'])}")
        if data["by_circle"]:
            con.print("\n[bold]By circle[/]")
            for group in data["by_circle"]:
                con.print(
                    f"  {group['circle']}: {group['count']} posts "
                    f"({', '.join(group['people'][:5])})"
                )

    emit(ctx, data, render)


def topics(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id."),
    top: int = typer.Option(15, "--top", "-n", min=1, max=100),
) -> None:
    """What a person talks about: the distinctive words and phrases of their posts."""
    from ..identity.ops import find_person, person_accounts
    from ..listening.topics import person_topics

    store = state(ctx).store()
    found = find_person(store, person)
    accounts = [a["account_id"] for a in person_accounts(store, found["person_id"])]
    terms = person_topics(store, accounts, top=top)

    def render(con: Console) -> None:
        if not terms:
            con.print(f"{found['display_name']} has not written anything netweave has seen")
            return
        con.print(
            f"[bold]{found['display_name']}[/] talks about: " + ", ".join(term for term, _ in terms)
        )

    emit(ctx, {"person": found, "topics": [{"term": t, "score": s} for t, s in terms]}, render)
