"""``netweave today``, ``done``/``skip``, ``rule``, ``check-draft`` and ``trip``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..planning import agenda, drafts, rules, trips
from ._output import emit, state

rule_app = typer.Typer(help="Know-thyself rules the agenda and drafts obey.", no_args_is_help=True)


def today(
    ctx: typer.Context,
    minutes: int | None = typer.Option(
        None, "--minutes", "-m", help="Time budget (default: time.daily_minutes)."
    ),
    mode: str = typer.Option("morning", "--mode", help="morning | work | evening"),
) -> None:
    """Today's agenda: concrete nurturing actions that fit your time budget."""
    st = state(ctx)
    settings = st.settings()
    budget = minutes or int(settings.get("time.daily_minutes"))
    topics = [*settings.get("topics.expertise")]
    store = st.store()
    actions = agenda.plan_day(store, minutes=budget, mode=mode, topics=topics)
    day = datetime.now(UTC).date()
    position = {row["item_id"]: n for n, row in enumerate(agenda.day_items(store, day), 1)}
    status = {row["item_id"]: row["status"] for row in agenda.day_items(store, day)}

    def render(con: Console) -> None:
        if not actions:
            con.print("nothing to do right now: enjoy the day")
            return
        table = Table("#", "action", "who", "min", "why now", box=None, pad_edge=False)
        for a in actions:
            key = agenda.item_id(day, a)
            mark = {"done": " ✓", "skipped": " ✗"}.get(status.get(key, ""), "")
            table.add_row(
                f"{position.get(key, '?')}{mark}", a.kind, a.name, str(a.minutes), a.reason
            )
        con.print(table)
        con.print(
            f"[dim]{sum(a.minutes for a in actions)} of {budget} minutes. Mark with "
            "netweave done N / netweave skip N[/]"
        )

    emit(
        ctx,
        [{**a.as_dict(), "number": position.get(agenda.item_id(day, a))} for a in actions],
        render,
    )


def done(ctx: typer.Context, item: str = typer.Argument(..., help="Number or id.")) -> None:
    """Mark an agenda item done (it goes into your ledger)."""
    from ..relationships.health import recompute

    store = state(ctx).store()
    result = agenda.mark(store, item, "done")
    recompute(store, settings=state(ctx).settings())
    emit(ctx, result, lambda con: con.print(f"done: {result['kind']}"))


def skip(ctx: typer.Context, item: str = typer.Argument(..., help="Number or id.")) -> None:
    """Mark an agenda item skipped."""
    result = agenda.mark(state(ctx).store(), item, "skipped")
    emit(ctx, result, lambda con: con.print(f"skipped: {result['kind']}"))


@rule_app.command("add")
def rule_add(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=", ".join(rules.RULE_KINDS)),
    value: str | None = typer.Argument(None, help="e.g. 30, politics,crypto, 21-8"),
) -> None:
    """Add (or replace) a rule."""
    rules.add_rule(state(ctx).store(), kind, value)
    emit(ctx, {"kind": kind, "value": value}, lambda con: con.print(f"rule {kind} set"))


@rule_app.command("list")
def rule_list(ctx: typer.Context) -> None:
    """Your rules."""
    found = rules.list_rules(state(ctx).store())

    def render(con: Console) -> None:
        for kind, params in found.items():
            con.print(f"{kind} {params or ''}")
        if not found:
            con.print("no rules yet: netweave rule add max_minutes 30")

    emit(ctx, found, render)


@rule_app.command("remove")
def rule_remove(ctx: typer.Context, kind: str = typer.Argument(...)) -> None:
    """Remove a rule."""
    if not rules.remove_rule(state(ctx).store(), kind):
        raise InputError("", None, f"no rule {kind!r} to remove")
    emit(ctx, {"removed": kind}, lambda con: con.print(f"removed {kind}"))


def check_draft(ctx: typer.Context, text: str = typer.Argument(..., help="The draft.")) -> None:
    """Check a draft post against your rules and the give/get line."""
    st = state(ctx)
    found = drafts.check_draft(
        st.store(), text, own_domains=list(st.settings().get("owner.domains"))
    )

    def render(con: Console) -> None:
        if not found:
            con.print("looks fine: nothing against your rules")
        for f in found:
            con.print(f"[bold]{f['rule']}[/]: {f['why']}\n  → {f['suggestion']}")

    emit(ctx, found, render)
    if found:
        raise typer.Exit(1)


def trip(
    ctx: typer.Context,
    city: str = typer.Argument(...),
    from_: str | None = typer.Option(None, "--from", help="First day, YYYY-MM-DD."),
    to: str | None = typer.Option(None, "--to", help="Last day, YYYY-MM-DD."),
    ics_out: Path | None = typer.Option(
        None, "--ics", help="Write proposed meet-ups as an ICS file."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
) -> None:
    """Who is in a city you are going to, ranked by tie strength and goals."""
    found = trips.trip(state(ctx).store(), city, limit=limit)
    if ics_out is not None:
        try:
            start = date.fromisoformat(from_) if from_ else datetime.now(UTC).date()
            end = date.fromisoformat(to) if to else start
        except ValueError:
            raise InputError("", None, "--from and --to are dates like 2025-06-01") from None
        ics_out.write_text(trips.ics(city, start, end, found[:6]), encoding="utf-8")

    def render(con: Console) -> None:
        if not found:
            con.print(f"nobody in your network is known to be in {city}")
            return
        table = Table("person", "tie", "where", "why", box=None, pad_edge=False)
        for m in found:
            table.add_row(m.name, f"{m.strength:.2f}", m.where, m.reason)
        con.print(table)
        if ics_out:
            con.print(f"proposed meet-ups in {ics_out}; afterwards: netweave log meeting NAME")

    emit(ctx, [m.as_dict() for m in found], render)
