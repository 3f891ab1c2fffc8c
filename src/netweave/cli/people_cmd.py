"""People: the people list and page, notes, lists, circles, the give/get ledger, relationship
health and hand-logged interactions (identity commands are in :mod:`.identity_cmd`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError, NotFound
from ..identity import ops
from ..refresh import refresh_people
from ..relationships import lists as person_lists
from ..relationships import logbook, notes, views
from ..relationships.health import recompute
from ..store import Store
from ._output import emit, state

people_app = typer.Typer(help="The people behind your accounts.", no_args_is_help=True)
note_app = typer.Typer(help="What you learn about people.", no_args_is_help=True)
list_app = typer.Typer(help="Lists, groups, pages and interests.", no_args_is_help=True)


def refresh(store: Store, ctx: typer.Context, *, incremental: bool = False) -> dict[str, Any]:
    """Resolve identities (only accounts new or changed since the last run if
    ``incremental``), then bring relationship health up to date."""
    return refresh_people(store, state(ctx).settings(), incremental=incremental)


def _lines(rows: list[dict[str, Any]], fmt: Any) -> Any:
    """A renderer printing one formatted line per row."""

    def render(con: Console) -> None:
        for row in rows:
            con.print(fmt(row))

    return render


def _pid(store: Store, text: str) -> str:
    return str(ops.find_person(store, text)["person_id"])


@people_app.command("list")
def people_list(
    ctx: typer.Context,
    sort: str = typer.Option("strength", "--sort", help="strength | recency | overdue | name"),
    limit: int = typer.Option(50, "--limit", "-n", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
) -> None:
    """People ranked by tie strength, recency of contact, or how overdue they are."""
    ties = views.ranked(state(ctx).store(), sort=sort, limit=limit, offset=offset)

    def render(con: Console) -> None:
        table = Table(
            "person", "strength", "circle", "last contact", "overdue", box=None, pad_edge=False
        )
        for t in ties:
            circle = f"{t.circle}{'' if t.circle_source == 'set' else '?'}" if t.circle else ""
            table.add_row(
                t.name,
                f"{t.strength:.2f}",
                circle,
                f"{t.days_since} days ago" if t.days_since is not None else "never",
                f"{t.overdue_days} days" if t.overdue_days and t.overdue_days > 0 else "",
            )
        con.print(table)
        con.print("[dim]circle? = suggested from strength; set it with netweave circle[/]")

    emit(ctx, [t.as_dict() for t in ties], render)


@people_app.command("show")
def people_show(
    ctx: typer.Context, name: str = typer.Argument(..., help="Name, handle or id.")
) -> None:
    """One person: accounts and why they belong, tie strength explained, notes, give/get."""
    store = state(ctx).store()
    person = ops.find_person(store, name)
    pid = person["person_id"]
    accounts = ops.person_accounts(store, pid)
    try:
        tie = views.explain(store, pid)
    except NotFound:  # a person not scored yet simply shows no score
        tie = None
    person_notes = notes.notes_for(store, pid)
    data = {
        "person": person,
        "accounts": accounts,
        "tie": tie,
        "notes": person_notes,
        "ledger": views.ledger(store, person_id=pid, by="year"),
    }

    def render(con: Console) -> None:
        con.print(f"[bold]{person['display_name']}[/] [dim]{pid}[/]")
        for acc in accounts:
            label = acc["handle"] or acc["display_name"] or acc["key"]
            why = "; ".join((acc["evidence"] or {}).get("reasons", [])) or acc["method"]
            con.print(f"  {acc['platform']:<15} {label}  [dim]{why}[/]")
        if tie:
            con.print(
                f"tie strength [bold]{tie['strength']:.2f}[/] "
                f"(circle {tie['suggested_circle'] or '-'})"
            )
            for dim, value in tie["dimensions"].items():
                con.print(f"  {dim:<12} {value:.2f}")
            for reason in tie["reasons"]:
                con.print(f"  [dim]{reason}[/]")
            con.print(
                f"give/get: you gave {tie['giving']}, asked {tie['asks']}, "
                f"received {tie['got_giving']}"
            )
        for note in person_notes:
            con.print(f"  [{note['kind']}] {note['text']}")

    emit(ctx, data, render)


@note_app.command("add")
def note_add(
    ctx: typer.Context,
    person: str = typer.Argument(...),
    text: str = typer.Argument(...),
    kind: str = typer.Option(
        "note", "--kind", "-k", help="need | life_event | interest | fact | note"
    ),
) -> None:
    """Write down something you learned about a person."""
    store = state(ctx).store()
    pid = _pid(store, person)
    note_id = notes.add_note(store, pid, text, kind)
    emit(
        ctx,
        {"note_id": note_id, "person_id": pid},
        lambda con: con.print(f"noted ({kind}) for {person}"),
    )


@note_app.command("list")
def note_list(ctx: typer.Context, person: str = typer.Argument(...)) -> None:
    """A person's notes, what they need first."""
    store = state(ctx).store()
    rows = notes.notes_for(store, _pid(store, person))
    emit(
        ctx,
        rows,
        _lines(rows, lambda r: f"[{r['kind']}] {r['text']} [dim]{r['created_at']:%Y-%m-%d}[/]"),
    )


@list_app.command("create")
def list_create(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    kind: str = typer.Option("list", "--kind", help="list | group | page | interest | circle"),
) -> None:
    """Create a list (a page or interest list is where connections can move to)."""
    made = person_lists.create_list(state(ctx).store(), name, kind)
    emit(ctx, made, lambda con: con.print(f"list {made['name']} ({made['kind']})"))


@list_app.command("add")
def list_add(
    ctx: typer.Context, name: str = typer.Argument(...), person: str = typer.Argument(...)
) -> None:
    """Put a person on a list."""
    store = state(ctx).store()
    found = person_lists.find_list(store, name)
    person_lists.add_to_list(store, found["list_id"], _pid(store, person))
    emit(
        ctx,
        {"list": found["name"], "person": person},
        lambda con: con.print(f"added {person} to {found['name']}"),
    )


@list_app.command("remove")
def list_remove(
    ctx: typer.Context, name: str = typer.Argument(...), person: str = typer.Argument(...)
) -> None:
    """Take a person off a list."""
    store = state(ctx).store()
    found = person_lists.find_list(store, name)
    removed = person_lists.remove_from_list(store, found["list_id"], _pid(store, person))
    emit(
        ctx,
        {"removed": removed},
        lambda con: con.print(
            f"removed {person} from {found['name']}"
            if removed
            else f"{person} was not on {found['name']}"
        ),
    )


@list_app.command("show")
def list_show(ctx: typer.Context, name: str | None = typer.Argument(None)) -> None:
    """All lists, or the people on one."""
    store = state(ctx).store()
    if name is None:
        rows = person_lists.all_lists(store)
        emit(
            ctx,
            rows,
            _lines(
                rows,
                lambda r: (
                    f"{r['name']} [dim]({r['kind']}"
                    f"{', ' + r['platform'] if r['platform'] else ''}, {r['members']} members)[/]"
                ),
            ),
        )
        return
    found = person_lists.find_list(store, name)
    members = person_lists.list_people(store, found["list_id"])
    emit(ctx, members, _lines(members, lambda m: m["display_name"]))


def circle(
    ctx: typer.Context,
    person: str = typer.Argument(...),
    size: str = typer.Argument(..., help="5, 15, 50, 150 or auto"),
    cadence: int | None = typer.Option(
        None,
        "--cadence",
        help="Ideal days between contacts (default: weekly/monthly/quarterly/yearly by circle).",
    ),
    max_days: int | None = typer.Option(None, "--max", help="Longest gap allowed."),
) -> None:
    """Place a person in a Dunbar circle and, optionally, set how often to be in touch."""
    store = state(ctx).store()
    pid = _pid(store, person)
    if size != "auto" and not size.isdigit():
        raise InputError("", None, "circle size is 5, 15, 50, 150 or auto")
    logbook.set_circle(store, pid, None if size == "auto" else int(size))
    if cadence is not None or max_days is not None:
        logbook.set_cadence(store, pid, cadence, max_days)
    recompute(store, settings=state(ctx).settings())
    emit(
        ctx,
        {"person_id": pid, "circle": size, "cadence": cadence, "max": max_days},
        lambda con: con.print(
            f"{person}: circle {size}" + (f", every {cadence} days" if cadence else "")
        ),
    )


def ledger(
    ctx: typer.Context,
    person: str | None = typer.Option(None, "--person", "-p"),
    by: str = typer.Option("month", "--by", help="month | year"),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG chart here."),
) -> None:
    """Give/get balance over time: what you gave, asked and received."""
    store = state(ctx).store()
    rows = views.ledger(store, person_id=_pid(store, person) if person else None, by=by)
    if plot is not None:
        from ..relationships.plots import plot_health

        plot_health(store, plot)

    def render(con: Console) -> None:
        table = Table(
            "period", "gave", "asked", "neutral", "received", "balance", box=None, pad_edge=False
        )
        for r in rows:
            table.add_row(
                r["period"],
                str(r["gave"]),
                str(r["asked"]),
                str(r["neutral"]),
                str(r["received"]),
                f"{r['balance']:+d}",
            )
        con.print(table)
        if plot:
            con.print(f"chart: {plot}")

    emit(ctx, rows, render)


def health(
    ctx: typer.Context,
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG chart here."),
) -> None:
    """Relationship health: circles, who you are losing touch with, cooling ties, and close
    people you have not learned anything new about."""
    store = state(ctx).store()
    ties = views.ranked(store)
    circles = views.circle_sizes(ties)
    losing = [t.as_dict() for t in views.losing_touch(store, limit=15)]
    cool = views.cooling(store)[:10]
    unlearned = notes.nothing_learned(store)[:10]
    data = {
        "circles": circles,
        "losing_touch": losing,
        "cooling": cool,
        "nothing_learned": unlearned,
    }
    if plot is not None:
        from ..relationships.plots import plot_health

        plot_health(store, plot)

    def render(con: Console) -> None:
        con.print("circles: " + ", ".join(f"{n} in your {size}" for size, n in circles.items()))
        if losing:
            con.print("\n[bold]Losing touch[/]")
            for t in losing:
                since = t["days_since"] if t["days_since"] is not None else "never"
                con.print(
                    f"  {t['name']}: last contact {since} days ago, every "
                    f"{t['cadence_days']} days expected"
                )
        if cool:
            con.print("\n[bold]Cooling[/]")
            for c in cool:
                con.print(f"  {c['name']}: {c['peak']:.2f} -> {c['strength']:.2f}")
        if unlearned:
            con.print("\n[bold]Learn something new about[/]")
            for r in unlearned:
                con.print(f"  {r['display_name']} (circle {r['circle']})")
        if plot:
            con.print(f"chart: {plot}")

    emit(ctx, data, render)


def log(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="meeting | call | email | dm | comment"),
    person: str = typer.Argument(...),
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: now)."),
    note: str | None = typer.Option(None, "--note", help="What it was about."),
    from_them: bool = typer.Option(False, "--from-them", help="They reached out."),
) -> None:
    """Record an offline interaction (met in person, a call, an email); it resets the
    keep-in-touch clock like any other contact."""
    store = state(ctx).store()
    pid = _pid(store, person)
    when = None
    if date:
        try:
            when = datetime.fromisoformat(date).replace(tzinfo=UTC)
        except ValueError:
            raise InputError("", None, f"{date!r} is not a date like 2024-03-14") from None
    iid = logbook.log_interaction(store, pid, kind, when=when, text=note, from_them=from_them)
    recompute(store, settings=state(ctx).settings())
    emit(
        ctx,
        {"interaction_id": iid, "person_id": pid},
        lambda con: con.print(f"logged {kind} with {person}"),
    )
