"""``netweave user`` and ``netweave workspace``: team members, workspaces and roles."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from .. import team
from ._output import emit, state

user_app = typer.Typer(help="Team members and their passwords.", no_args_is_help=True)
workspace_app = typer.Typer(help="Workspaces and who may do what in them.", no_args_is_help=True)


def _password(from_stdin: bool, username: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt(f"password for {username}", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    no_password: bool = typer.Option(
        False, "--no-password", help="No password (a trusted local setup; no web login)."
    ),
) -> None:
    """Add a user (the database administrator only)."""
    password = None if no_password else _password(password_stdin, name)
    user = team.add_user(state(ctx).store(in_workspace=False), name, password)
    data = {"user": user.username, "user_id": user.user_id, "password": user.has_password}
    emit(ctx, data, lambda con: con.print(f"added user [bold]{user.username}[/]"))


@user_app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password from the first line of stdin."
    ),
) -> None:
    """Change a user's password (members change only their own)."""
    password = _password(password_stdin, name)
    user = team.set_password(state(ctx).store(in_workspace=False), name, password)
    emit(ctx, {"user": user.username}, lambda con: con.print(f"password of {name} changed"))


@workspace_app.command("create")
def workspace_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Workspace name: a-z, 0-9, - and _."),
    owner: str | None = typer.Option(None, "--owner", help="User who owns it."),
) -> None:
    """Create a workspace; you (or --owner) become its owner."""
    ws = team.create_workspace(state(ctx).store(in_workspace=False), name, owner=owner)
    data = {"workspace": ws.workspace_id, "owner": owner}
    emit(ctx, data, lambda con: con.print(f"created workspace [bold]{ws.workspace_id}[/]"))


@workspace_app.command("invite")
def workspace_invite(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="Login name of the user to add."),
    role: str = typer.Option(..., "--role", help="owner, editor or viewer."),
) -> None:
    """Give a user a role in the workspace chosen with --workspace."""
    st = state(ctx)
    member = team.invite(st.store(), st.workspace, user, role)
    data = {"workspace": st.workspace, "user": member.username, "role": member.role}
    emit(
        ctx,
        data,
        lambda con: con.print(f"{member.username} is now {member.role} of {st.workspace}"),
    )


@workspace_app.command("list")
def workspace_list(ctx: typer.Context) -> None:
    """List your workspaces (every workspace without --user) with your role."""
    rows = team.list_workspaces(state(ctx).store(in_workspace=False))
    data = [{"workspace": w.workspace_id, "role": w.role, "members": w.members} for w in rows]

    def render(con: Console) -> None:
        table = Table("workspace", "role", "members", box=None, pad_edge=False)
        for w in rows:
            table.add_row(w.workspace_id, w.role or "-", str(w.members))
        con.print(table)

    emit(ctx, data, render)


@workspace_app.command("members")
def workspace_members(ctx: typer.Context) -> None:
    """List the members of the workspace chosen with --workspace."""
    st = state(ctx)
    rows = team.members(st.store(), st.workspace)
    data = [{"user": m.username, "role": m.role} for m in rows]

    def render(con: Console) -> None:
        table = Table("user", "role", box=None, pad_edge=False)
        for m in rows:
            table.add_row(m.username, m.role)
        con.print(table)

    emit(ctx, data, render)
