"""``netweave goal``: goals measured by relationships."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..goals import model
from ._output import emit, state

app = typer.Typer(
    help="Goals measured by relationships, not follower counts.", no_args_is_help=True
)


def _date(text: str | None, label: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise InputError("", None, f"{label} {text!r} is not a date like 2025-03-31") from None


def _krs(items: list[str]) -> list[tuple[str, float]]:
    out = []
    for item in items:
        metric, sep, target = item.partition("=")
        try:
            out.append((metric.strip(), float(target)))
        except ValueError:
            raise InputError("", None, f"key result {item!r} is not metric=target") from None
        if not sep:
            raise InputError("", None, f"key result {item!r} is not metric=target")
    return out


def _links(
    ctx: typer.Context,
    people: list[str],
    lists: list[str],
    topics: list[str],
) -> list[tuple[str, str]]:
    from ..identity.ops import find_person
    from ..relationships.lists import find_list

    store = state(ctx).store()
    return (
        [("person", find_person(store, p)["person_id"]) for p in people]
        + [("list", find_list(store, name)["list_id"]) for name in lists]
        + [("topic", t) for t in topics]
    )


@app.command("new")
def new(
    ctx: typer.Context,
    template: str | None = typer.Option(
        None, "--template", "-t", help="stronger-connections | strategic-partners | help-others"
    ),
    title: str | None = typer.Option(None, "--title"),
    why: str | None = typer.Option(None, "--why", help=", ".join(model.CATEGORIES)),
    end_state: str | None = typer.Option(None, "--end-state", help="What done looks like."),
    strategy: str | None = typer.Option(None, "--strategy"),
    start: str | None = typer.Option(None, "--start", help="YYYY-MM-DD (default today)."),
    deadline: str | None = typer.Option(None, "--deadline", help="YYYY-MM-DD (default +90d)."),
    kr: list[str] = typer.Option([], "--kr", help="Key result metric=target (repeat)."),
    person: list[str] = typer.Option([], "--person", help="Link a person (repeat)."),
    list_: list[str] = typer.Option([], "--list", help="Link a list (repeat)."),
    topic: list[str] = typer.Option([], "--topic", help="Link a topic (repeat)."),
    long_term: bool = typer.Option(False, "--long", help="A long-term goal."),
    parent: str | None = typer.Option(None, "--parent", help="Sub-goal of this goal."),
    force: bool = typer.Option(
        False, "--force", help="Allow more active goals than goals.max_active."
    ),
) -> None:
    """Set a goal: why, end state, strategy, deadline and key results from your network."""
    st = state(ctx)
    base: dict[str, Any] = {}
    if template is not None:
        if template not in model.TEMPLATES:
            raise InputError(
                "", None, f"unknown template {template!r}; use " + ", ".join(model.TEMPLATES)
            )
        base = model.TEMPLATES[template]
    begin = _date(start, "start") or model.default_window()[0]
    end = _date(deadline, "deadline") or begin + timedelta(days=90)
    key_results = _krs(kr) or list(base.get("key_results", []))
    if not (title or base.get("title")):
        raise InputError("", None, "a goal needs a --title (or a --template)")
    goal_id = model.create_goal(
        st.store(),
        title=title or base["title"],
        why=why or base.get("why", "custom"),
        start=begin,
        deadline=end,
        key_results=key_results,
        end_state=end_state or base.get("end_state"),
        strategy=strategy or base.get("strategy"),
        horizon="long" if long_term else "short",
        links=_links(ctx, person, list_, topic),
        parent=model.find_goal(st.store(), parent)["goal_id"] if parent else None,
        max_active=int(st.settings().get("goals.max_active")),
        force=force,
    )
    emit(
        ctx,
        {"goal_id": goal_id},
        lambda con: con.print(
            f"goal {goal_id[:8]} set: {title or base['title']} (deadline {end:%Y-%m-%d})"
        ),
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include closed and revised goals."),
) -> None:
    """Your goals."""
    goals = model.list_goals(state(ctx).store(), include_closed=all_)

    def render(con: Console) -> None:
        for g in goals:
            con.print(
                f"{g['goal_id'][:8]}  {g['title']}  [dim]{g['why']}, until "
                f"{g['deadline']:%Y-%m-%d}, {g['status']}[/]"
            )

    emit(ctx, goals, render)


def _render_report(con: Console, rep: model.GoalReport) -> None:
    g = rep.goal
    con.print(
        f"[bold]{g['title']}[/] [dim]{g['goal_id'][:8]} · {g['why']} · "
        f"{g['start']:%Y-%m-%d} → {g['deadline']:%Y-%m-%d} ({rep.days_left} days left)[/]"
    )
    if g.get("end_state"):
        con.print(f"  end state: {g['end_state']}")
    con.print(
        f"  progress {rep.progress:.0%} vs {rep.expected:.0%} expected: "
        f"[bold]{rep.pace}[/]"
        + ("  → time to reassess and set the next goal" if rep.state == "reassess" else "")
    )
    table = Table(
        "key result", "value", "target", "progress", "needed/week", box=None, pad_edge=False
    )
    for r in rep.key_results:
        table.add_row(
            r["label"],
            f"{r['value']:g}",
            "" if r["target"] is None else f"{r['target']:g}",
            "" if r["progress"] is None else f"{r['progress']:.0%}",
            "" if not r["needed_per_week"] else f"{r['needed_per_week']:g}",
        )
    con.print(table)
    for line in rep.history:
        con.print(f"  [dim]revised from: {line}[/]")


@app.command("show")
def show(ctx: typer.Context, goal: str = typer.Argument(..., help="Id or title.")) -> None:
    """One goal with its key results and pace."""
    rep = model.report(state(ctx).store(), goal)
    emit(ctx, rep.as_dict(), lambda con: _render_report(con, rep))


@app.command("revise")
def revise(
    ctx: typer.Context,
    goal: str = typer.Argument(...),
    deadline: str | None = typer.Option(None, "--deadline"),
    kr: list[str] = typer.Option([], "--kr", help="Replace key results metric=target."),
    strategy: str | None = typer.Option(None, "--strategy"),
    end_state: str | None = typer.Option(None, "--end-state"),
) -> None:
    """Revise a goal: a new revision, the old one kept in its history."""
    new_id = model.revise_goal(
        state(ctx).store(),
        goal,
        deadline=_date(deadline, "deadline"),
        key_results=_krs(kr) or None,
        strategy=strategy,
        end_state=end_state,
    )
    emit(ctx, {"goal_id": new_id}, lambda con: con.print(f"revised: new goal {new_id[:8]}"))


@app.command("close")
def close(ctx: typer.Context, goal: str = typer.Argument(...)) -> None:
    """Close a goal (it stays in the history)."""
    model.close_goal(state(ctx).store(), goal)
    emit(ctx, {"closed": goal}, lambda con: con.print(f"closed {goal}"))


@app.command("report")
def report(
    ctx: typer.Context,
    busy_days: int = typer.Option(28, "--busy-days", help="Window of the busy vs productive view."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG chart here."),
) -> None:
    """All active goals: key results, pace, and how much of your activity was busy, not
    productive."""
    store = state(ctx).store()
    reports = [model.report(store, g["goal_id"]) for g in model.list_goals(store)]
    now = datetime.now(UTC)
    busy = model.busy_vs_productive(store, start=now - timedelta(days=busy_days), end=now)
    if plot is not None:
        from ..goals.plots import plot_goals

        plot_goals(reports, plot)

    def render(con: Console) -> None:
        if not reports:
            con.print("no active goals: netweave goal new --template help-others")
        for rep in reports:
            _render_report(con, rep)
            con.print()
        con.print(
            f"busy vs productive (last {busy_days} days): {busy['busy']} of "
            f"{busy['actions']} actions served no goal ({busy['busy_share']:.0%})"
        )
        for platform, v in busy["platforms"].items():
            con.print(f"  {platform}: {v['actions']} actions, {v['busy_share']:.0%} busy")

    emit(ctx, {"goals": [r.as_dict() for r in reports], "busy": busy}, render)
