"""netweave export: JSON and CSV per table, people as vCard 4.0, meet-ups as ICS, formula-safe."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import vobject

from netweave.store import Store, make_id, schema, utcnow

from .richdb import build, run

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("export")
    db = base / "rich.db"
    build(str(db))
    for text in PAYLOADS[:4]:
        code, out = run("--db", str(db), "note", "add", "terrillific", "--", text)
        assert code == 0, out
    # notes are stripped on the way in, so leading tab and CR come through the store directly
    store = Store.open(f"sqlite:///{db}", migrate=False)
    with store.connect() as conn:
        person_id = conn.execute(sa.select(schema.notes.c.person_id)).scalars().first()
    store.upsert(
        schema.notes,
        [
            {
                "note_id": make_id("n", t),
                "person_id": person_id,
                "kind": "note",
                "text": t,
                "created_at": utcnow(),
            }
            for t in PAYLOADS[4:]
        ],
    )
    store.close()
    code, out = run("--db", str(db), "list", "create", "=1+1", "--kind", "interest")
    assert code == 0, out
    out_dir = base / "out"
    code, out = run("--db", str(db), "--json", "export", str(out_dir))
    assert code == 0, out
    assert json.loads(out)["files"]["people.vcf"] > 0
    return db, out_dir


def test_every_table_is_exported_as_json_and_csv(exported: tuple[Path, Path]) -> None:
    db, out = exported
    store = Store.open(f"sqlite:///{db}", migrate=False)
    counts = store.counts()
    store.close()
    for name, count in counts.items():
        if name == "users":
            assert not (out / "json" / "users.json").exists()  # credentials stay home
            continue
        rows = json.loads((out / "json" / f"{name}.json").read_bytes())
        assert len(rows) == count, name
        with (out / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        assert table[0] == list(schema.metadata.tables[name].c.keys())
        assert len(table) - 1 == count, name
    notes = json.loads((out / "json" / "notes.json").read_bytes())
    assert {n["text"] for n in notes} >= set(PAYLOADS)  # JSON keeps the exact text


def test_csv_cells_never_start_a_formula(exported: tuple[Path, Path]) -> None:
    _, out = exported
    cells: list[str] = []
    for path in (out / "csv").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            cells += [cell for row in list(csv.reader(f))[1:] for cell in row]
    assert cells
    assert [c for c in cells if c.startswith(DANGEROUS)] == []
    for payload in PAYLOADS:
        assert "'" + payload in cells
    assert "'=1+1" in cells


def test_vcards_parse_back(exported: tuple[Path, Path]) -> None:
    db, out = exported
    cards = list(vobject.readComponents((out / "people.vcf").read_text(encoding="utf-8")))
    store = Store.open(f"sqlite:///{db}", migrate=False)
    p, c, link = schema.people, schema.account_contacts, schema.account_links
    with store.connect() as conn:
        people = conn.execute(sa.select(sa.func.count()).where(~p.c.is_owner)).scalar_one()
        terrill = conn.execute(
            sa.select(c.c.kind, c.c.value)
            .join(link, link.c.account_id == c.c.account_id)
            .join(p, p.c.person_id == link.c.person_id)
            .where(p.c.display_name == "Terrill Thompson")
        ).all()
    store.close()
    assert len(cards) == people
    assert all(card.version.value == "4.0" for card in cards)
    by_name = {card.fn.value: card for card in cards}
    card = by_name["Terrill Thompson"]
    emails = {e.value for e in card.contents.get("email", [])}
    assert emails == {v for k, v in terrill if k == "email"}
    assert emails
    urls = {u.value for u in card.contents.get("url", [])}
    assert any("terrillific" in u for u in urls)
    assert card.n.value.family == "Thompson"


def test_planned_meetups_are_an_ics_calendar(exported: tuple[Path, Path]) -> None:
    _, out = exported
    cal = vobject.readOne((out / "meetups.ics").read_text(encoding="utf-8"))
    summaries = [e.summary.value for e in cal.vevent_list]
    assert "reconnect: Terrill Thompson" in summaries


def test_export_never_writes_over_a_folder(exported: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = exported
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    code, out = run("--db", str(db), "export", str(target))
    assert code == 2, out
    assert "Traceback" not in out
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["busy"]  # no temporary left behind
