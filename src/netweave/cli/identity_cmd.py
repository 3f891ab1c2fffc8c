"""Identity commands: resolve, review, merge, split, undo, and migration reunion.

Each parses its arguments, calls one function of :mod:`netweave.identity`, refreshes tie scores
where people changed, and renders (``--json`` for scripts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ..identity import ops
from ..identity.reunion import mastodon_csv
from ..identity.reunion import reunion as find_reunion
from ..relationships.health import recompute
from ._output import emit, state
from .people_cmd import refresh


def _pid(store: Any, text: str) -> str:
    return str(ops.find_person(store, text)["person_id"])


def resolve_cmd(ctx: typer.Context) -> None:
    """Turn accounts into people (and rescore ties); prints what it found."""
    store = state(ctx).store()
    data = refresh(store, ctx)
    emit(
        ctx,
        data,
        lambda con: con.print(
            f"{data['accounts']:,} accounts -> {data['people']:,} people; "
            f"{data['auto_links']:,} linked automatically, {data['proposed']:,} proposed for "
            f"review (netweave review), {data['apart']:,} kept apart"
        ),
    )


def _describe(acc: dict[str, Any]) -> str:
    name = acc.get("display_name") or acc.get("handle") or acc.get("key") or acc["account_id"]
    handle = acc.get("handle")
    label = f"{name} (@{handle.lstrip('@')})" if handle and handle != name else str(name)
    return f"{acc.get('platform', '?'):<15} {label}  [person: {acc.get('person', '?')}]"


def review(
    ctx: typer.Context,
    accept_above: float | None = typer.Option(
        None,
        "--accept-above",
        help="Accept every proposal scored this much or more (0-1) at once; one undo reverts it.",
    ),
) -> None:
    """Walk the proposed links: accept, reject or skip each one."""
    store = state(ctx).store()
    done = {"accepted": 0, "rejected": 0, "skipped": 0}
    if accept_above is not None:
        done["accepted"] = ops.accept_above(store, accept_above)
        done["left"] = len(ops.proposals(store))
        if done["accepted"]:
            recompute(store, settings=state(ctx).settings())
        emit(
            ctx,
            done,
            lambda con: con.print(
                f"accepted {done['accepted']} proposals scored {accept_above:g} or more; "
                f"{done['left']} left to review"
            ),
        )
        return
    position = 0  # proposals before this one were skipped
    while True:
        pending = ops.proposals(store)
        if position >= len(pending):
            break
        item = pending[position]
        typer.echo(f"\n{position + 1}/{len(pending)}  likely the same person: {item['score']:.2f}")
        typer.echo(f"  {_describe(item['a'])}")
        typer.echo(f"  {_describe(item['b'])}")
        typer.echo(f"  why: {'; '.join(item['reasons']) or 'no evidence'}")
        answer = (
            typer.prompt("same person? [a]ccept / [r]eject / [s]kip / [q]uit", default="s")
            .strip()
            .lower()[:1]
        )
        if answer == "a":
            ops.accept(store, position + 1)
            done["accepted"] += 1
        elif answer == "r":
            ops.reject(store, position + 1)
            done["rejected"] += 1
        elif answer == "q":
            break
        else:
            position += 1
            done["skipped"] += 1
    if done["accepted"] or done["rejected"]:
        recompute(store, settings=state(ctx).settings())
    emit(
        ctx,
        done,
        lambda con: con.print(
            f"accepted {done['accepted']}, rejected {done['rejected']}, skipped {done['skipped']}"
        ),
    )


def merge(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="Person to keep (name, handle or id)."),
    second: str = typer.Argument(..., help="Person to fold into the first."),
) -> None:
    """Make two people one (sticky across re-imports; undo with netweave undo)."""
    store = state(ctx).store()
    a, b = _pid(store, first), _pid(store, second)
    report = ops.merge(store, a, b)
    recompute(store, settings=state(ctx).settings())
    emit(
        ctx,
        {"person_id": a, "people": report.people},
        lambda con: con.print(f"merged into {first} ({a[:8]}); {report.people:,} people now"),
    )


def split(
    ctx: typer.Context,
    account: str = typer.Argument(..., help="Account id (or handle) to take out of its person."),
) -> None:
    """Take an account out of its person (sticky; undo with netweave undo)."""
    store = state(ctx).store()
    report = ops.split(store, account)
    recompute(store, settings=state(ctx).settings())
    emit(
        ctx,
        {"people": report.people},
        lambda con: con.print(f"split {account}; {report.people:,} people now"),
    )


def undo(ctx: typer.Context) -> None:
    """Undo the last merge, split, accept or reject."""
    store = state(ctx).store()
    result = ops.undo(store)
    recompute(store, settings=state(ctx).settings())
    emit(ctx, result, lambda con: con.print(f"undid {result['undone']} #{result['seq']}"))


def reunion(
    ctx: typer.Context,
    from_platform: str = typer.Option("twitter", "--from", help="Where you knew them."),
    to: str = typer.Option("mastodon,bluesky", "--to", help="Where to look (comma separated)."),
    new: bool = typer.Option(False, "--new", help="Only matches not shown before."),
    csv_out: Path | None = typer.Option(
        None, "--csv", help="Write a Mastodon following_accounts.csv to import there."
    ),
) -> None:
    """Find people you followed or talked with on one platform on another, with evidence."""

    store = state(ctx).store()
    found = find_reunion(
        store,
        from_platform,
        [t.strip() for t in to.split(",") if t.strip()],
        new_only=new,
        remember=True,
    )
    if csv_out is not None:
        csv_out.write_text(mastodon_csv(found), encoding="utf-8")

    def render(con: Console) -> None:
        if not found:
            con.print("no one found again" + (" that you have not seen" if new else ""))
            return
        table = Table(
            "person",
            f"on {from_platform}",
            "found on",
            "address",
            "evidence",
            box=None,
            pad_edge=False,
        )
        for r in found:
            table.add_row(r.name, r.from_handle, r.platform, r.address, r.evidence)
        con.print(table)
        if csv_out:
            con.print(f"wrote {csv_out}: import it in Mastodon under Import and export")

    emit(ctx, [r.as_dict() for r in found], render)
