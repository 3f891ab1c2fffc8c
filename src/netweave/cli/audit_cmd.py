"""``netweave audit`` (the connection audit) and ``netweave partners`` (the partner pipeline)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from ..planning import audit, partners
from ._output import emit, state

audit_app = typer.Typer(
    help="Decide why each connection is in your network: keep, move or drop.",
    invoke_without_command=True,
)
partners_app = typer.Typer(
    help="Strategic partners: admire, follow, interact, give value, collaborate.",
    invoke_without_command=True,
)


def _when(value: object) -> str:
    return str(value)[:10] if value else "?"


@audit_app.callback()
def audit_queue(
    ctx: typer.Context,
    next_: int | None = typer.Option(
        None, "--next", "-n", min=1, help="List the next N connections to decide (no prompts)."
    ),
    interactive: bool | None = typer.Option(
        None,
        "--interactive/--no-interactive",
        "-i",
        help="Ask about each connection in turn (default on a terminal).",
    ),
) -> None:
    """Walk connections without a recorded reason, oldest and weakest first."""
    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    store = st.store()
    prompt = interactive if interactive is not None else sys.stdin.isatty() and not st.json
    if next_ is not None or not prompt:
        items = audit.queue(store, limit=next_ or 10)

        def render(con: Console) -> None:
            if not items:
                con.print("nothing left to audit: every connection has a reason or a decision")
                return
            table = Table("person", "since", "tie", "contacts", "last", box=None, pad_edge=False)
            for i in items:
                table.add_row(
                    i.name,
                    _when(i.connected_since),
                    f"{i.strength:.2f}",
                    str(i.interactions),
                    _when(i.last_contact),
                )
            con.print(table)
            con.print(
                "[dim]decide with netweave audit keep NAME --reason ... / move NAME --to LIST "
                "/ drop NAME[/]"
            )

        emit(ctx, [i.as_dict() for i in items], render)
        return
    done = {"keep": 0, "move": 0, "drop": 0, "skipped": 0, "undone": 0}
    skipped: set[str] = set()
    while True:
        pending = [i for i in audit.queue(store) if i.person_id not in skipped]
        if not pending:
            break
        item = pending[0]
        typer.echo(
            f"\n{len(pending)} left  {item.name}: connected since {_when(item.connected_since)}, "
            f"tie {item.strength:.2f}, {item.interactions} interactions, "
            f"last {_when(item.last_contact)}"
        )
        answer = (
            typer.prompt("[k]eep / [m]ove / [d]rop / [s]kip / [u]ndo / [q]uit", default="s")
            .strip()
            .lower()[:1]
        )
        if answer == "k":
            reason = typer.prompt("why are you connected?")
            audit.decide(store, item.person_id, "keep", reason=reason)
            done["keep"] += 1
        elif answer == "m":
            target = typer.prompt("move to which list, page or interest?")
            audit.decide(store, item.person_id, "move", to=target)
            done["move"] += 1
        elif answer == "d":
            audit.decide(store, item.person_id, "drop")
            done["drop"] += 1
        elif answer == "u":
            audit.undo(store)
            done["undone"] += 1
        elif answer == "q":
            break
        else:
            skipped.add(item.person_id)
            done["skipped"] += 1
    emit(
        ctx,
        done,
        lambda con: con.print(
            f"kept {done['keep']}, moved {done['move']}, dropped {done['drop']}, "
            f"skipped {done['skipped']}, undid {done['undone']}; netweave audit summary shows "
            "where you are"
        ),
    )


@audit_app.command("keep")
def audit_keep(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id."),
    reason: str = typer.Option(..., "--reason", "-r", help="Why you are connected."),
) -> None:
    """Keep a connection, with the reason you are connected."""
    result = audit.decide(state(ctx).store(), person, "keep", reason=reason)
    emit(ctx, result, lambda con: con.print(f"kept {result['name']}: {result['reason']}"))


@audit_app.command("move")
def audit_move(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id."),
    to: str = typer.Option(..., "--to", help="List, page or interest (created if new)."),
    kind: str = typer.Option("list", "--kind", help="list | page | interest | group (if new)."),
    reason: str | None = typer.Option(None, "--reason", "-r"),
) -> None:
    """Move a connection to a list, page or interest."""
    result = audit.decide(state(ctx).store(), person, "move", to=to, kind=kind, reason=reason)
    emit(ctx, result, lambda con: con.print(f"moved {result['name']} to {to}"))


@audit_app.command("drop")
def audit_drop(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id."),
    reason: str | None = typer.Option(None, "--reason", "-r"),
) -> None:
    """Drop a connection: marked, never deleted (their history stays)."""
    result = audit.decide(state(ctx).store(), person, "drop", reason=reason)
    emit(
        ctx, result, lambda con: con.print(f"dropped {result['name']} (undo: netweave audit undo)")
    )


@audit_app.command("undo")
def audit_undo(ctx: typer.Context) -> None:
    """Undo the latest audit decision."""
    result = audit.undo(state(ctx).store())
    emit(ctx, result, lambda con: con.print(f"undid {result['decision']} of {result['name']}"))


@audit_app.command("summary")
def audit_summary(ctx: typer.Context) -> None:
    """How far the audit has come, and the latest decisions."""
    store = state(ctx).store()
    data = {**audit.summary(store), "recent": audit.decisions(store)[:10]}

    def render(con: Console) -> None:
        d = data["decided"]
        con.print(
            f"kept {d['keep']}, moved {d['move']}, dropped {d['drop']}; "
            f"{data['remaining']} of {data['total']} left"
        )
        for r in data["recent"]:
            extra = r["reason"] or ""
            con.print(f"  {_when(r['decided_at'])} {r['decision']:<5} {r['name']} {extra}")

    emit(ctx, data, render)


@partners_app.callback()
def partners_list(
    ctx: typer.Context,
    suggest: int = typer.Option(5, "--suggest", min=0, help="How many candidates to suggest."),
) -> None:
    """Your strategic partners: stage, days in stage, next step; and candidates to add."""
    if ctx.invoked_subcommand is not None:
        return
    store = state(ctx).store()
    found = partners.pipeline(store)
    ideas = partners.suggestions(store, limit=suggest) if suggest else []

    def render(con: Console) -> None:
        if found:
            table = Table("partner", "stage", "days", "next step", box=None, pad_edge=False)
            for p in found:
                stage = f"{p.stage}{' (set)' if p.manual else ''}"
                table.add_row(p.name, stage, str(p.days_in_stage), p.next_step)
            con.print(table)
        else:
            con.print("no partners yet: netweave partners add NAME")
        if ideas:
            con.print("\n[bold]people you read who do not interact with you yet[/]")
            for s in ideas:
                why = ", ".join(
                    f"{k} {v}" if k != "reads their blog" else k for k, v in s["why"].items()
                )
                con.print(f"  {s['name']}: {why}")

    emit(ctx, {"partners": [p.as_dict() for p in found], "suggestions": ideas}, render)


@partners_app.command("add")
def partners_add(
    ctx: typer.Context, person: str = typer.Argument(..., help="Name, handle or id.")
) -> None:
    """Put someone in your strategic-partner pipeline."""
    p = partners.add(state(ctx).store(), person)
    emit(ctx, p.as_dict(), lambda con: con.print(f"{p.name}: {p.stage}; next: {p.next_step}"))


@partners_app.command("stage")
def partners_stage(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, handle or id."),
    stage: str = typer.Argument(..., help=", ".join(partners.STAGES) + " or auto"),
) -> None:
    """Set a partner's stage by hand (auto: back to the stage the ledger shows)."""
    p = partners.set_stage(state(ctx).store(), person, stage)
    emit(ctx, p.as_dict(), lambda con: con.print(f"{p.name}: {p.stage}; next: {p.next_step}"))


@partners_app.command("remove")
def partners_remove(
    ctx: typer.Context, person: str = typer.Argument(..., help="Name, handle or id.")
) -> None:
    """Take someone out of the pipeline."""
    pid = partners.remove(state(ctx).store(), person)
    emit(ctx, {"removed": pid}, lambda con: con.print(f"removed {person} from your partners"))
