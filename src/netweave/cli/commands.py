"""Registers every command and command group on the root app (one module per group)."""

from __future__ import annotations

from . import (
    audit_cmd,
    config_cmd,
    data_cmd,
    db_cmd,
    demo_cmd,
    goal_cmd,
    identity_cmd,
    import_cmd,
    index_cmd,
    listening_cmd,
    people_cmd,
    planning_cmd,
    sync_cmd,
    team_cmd,
    web_cmd,
)
from .app import app

app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.command("import")(import_cmd.import_)
app.add_typer(sync_cmd.app, name="sync")
app.command("demo-data")(demo_cmd.demo_data)
app.command("who")(listening_cmd.who)
app.command("help-requests")(listening_cmd.help_requests)
app.command("digest")(listening_cmd.digest)
app.add_typer(people_cmd.people_app, name="people")
app.add_typer(people_cmd.note_app, name="note")
app.add_typer(people_cmd.list_app, name="list")
app.command("resolve")(identity_cmd.resolve_cmd)
app.command("review")(identity_cmd.review)
app.command("merge")(identity_cmd.merge)
app.command("split")(identity_cmd.split)
app.command("undo")(identity_cmd.undo)
app.command("circle")(people_cmd.circle)
app.command("ledger")(people_cmd.ledger)
app.command("health")(people_cmd.health)
app.command("log")(people_cmd.log)
app.command("reunion")(identity_cmd.reunion)
app.command("topics")(listening_cmd.topics)
app.add_typer(goal_cmd.app, name="goal")
app.command("today")(planning_cmd.today)
app.command("done")(planning_cmd.done)
app.command("skip")(planning_cmd.skip)
app.add_typer(planning_cmd.rule_app, name="rule")
app.command("check-draft")(planning_cmd.check_draft)
app.command("trip")(planning_cmd.trip)
app.command("backup")(data_cmd.backup)
app.command("restore")(data_cmd.restore)
app.command("migrate-to")(data_cmd.migrate_to)
app.command("forget")(data_cmd.forget)
app.command("export")(data_cmd.export)
app.add_typer(audit_cmd.audit_app, name="audit")
app.add_typer(audit_cmd.partners_app, name="partners")
app.command("serve")(web_cmd.serve)
app.command("index")(index_cmd.index)
app.add_typer(team_cmd.user_app, name="user")
app.add_typer(team_cmd.workspace_app, name="workspace")
