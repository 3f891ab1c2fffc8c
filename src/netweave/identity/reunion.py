"""Migration reunion: people I followed or talked with on one platform, found on another.

Seed 003: "They were on MySpace then Facebook, now they are on Twitter." Works from imported
data only, no logging in anywhere: accounts already linked to the same person, and addresses
named in profiles ("now @x@instance", "x.bsky.social", a display name with "@x@instance").
Every match carries the evidence that found it; matches shown once can be hidden (``new_only``)
and the full list can be written as a Mastodon following_accounts.csv to follow them all.

    >>> from netweave.store import Store
    >>> reunion(Store.open("sqlite://"), "twitter", ["mastodon"])
    []
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..errors import InputError
from ..store import Store, schema, utcnow
from .normalize import references_in
from .people import accounts_people

__all__ = ["Reunion", "mastodon_csv", "reunion"]

PLATFORMS = ("twitter", "mastodon", "bluesky", "linkedin", "facebook")


@dataclass
class Reunion:
    """One person found again on another platform."""

    person_id: str | None
    name: str
    from_handle: str
    platform: str
    address: str
    evidence: str
    new: bool = True

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _address(platform: str, key: str, handle: str | None) -> str:
    if platform == "bluesky":
        return handle or key
    return key if platform == "mastodon" else (handle or key)


def reunion(
    store: Store,
    from_platform: str,
    to_platforms: list[str],
    *,
    new_only: bool = False,
    remember: bool = False,
) -> list[Reunion]:
    """Matches for people the owner follows or talked with on ``from_platform``."""
    for name in [from_platform, *to_platforms]:
        if name not in PLATFORMS:
            raise InputError("", None, f"unknown platform {name!r}; use {', '.join(PLATFORMS)}")
    if from_platform in to_platforms:
        raise InputError("", None, "the platforms to search must differ from --from")
    a, e, i, link, p, st = (
        schema.accounts,
        schema.edges,
        schema.interactions,
        schema.account_links,
        schema.people,
        schema.sync_state,
    )
    ws = store.workspace_id
    with store.connect() as conn:
        owners = set(
            conn.execute(
                sa.select(a.c.account_id).where(a.c.workspace_id == ws, a.c.is_owner)
            ).scalars()
        )
        followed = (
            set(
                conn.execute(
                    sa.select(e.c.to_account).where(
                        e.c.workspace_id == ws,
                        e.c.from_account.in_(owners),
                        e.c.kind.in_(["follows", "connected", "friend"]),
                    )
                ).scalars()
            )
            if owners
            else set()
        )
        talked = set(
            conn.execute(
                sa.select(i.c.target_account).where(
                    i.c.workspace_id == ws,
                    i.c.direction == "given",
                    i.c.target_account.is_not(None),
                )
            ).scalars()
        )
        talked |= set(
            conn.execute(
                sa.select(i.c.actor_account).where(
                    i.c.workspace_id == ws, i.c.direction == "received"
                )
            ).scalars()
        )
        sources = conn.execute(
            sa.select(
                a.c.account_id,
                a.c.handle,
                a.c.key,
                a.c.display_name,
                a.c.bio,
                link.c.person_id,
                p.c.display_name.label("person"),
            )
            .select_from(accounts_people())
            .where(a.c.workspace_id == ws, a.c.platform == from_platform, ~a.c.is_owner)
            .order_by(a.c.account_id)
        ).all()
        sources = [s for s in sources if s.account_id in followed | talked]
        person_ids = sorted({s.person_id for s in sources if s.person_id})
        linked: dict[str, list[Any]] = {}
        if person_ids:
            for row in conn.execute(
                sa.select(link.c.person_id, a.c.platform, a.c.key, a.c.handle, link.c.evidence)
                .select_from(accounts_people(people=False, outer=False))
                .where(
                    a.c.workspace_id == ws,
                    link.c.person_id.in_(person_ids),
                    a.c.platform.in_(to_platforms),
                )
            ):
                linked.setdefault(row.person_id, []).append(row)
        shown = set(
            conn.execute(
                sa.select(st.c.key).where(st.c.workspace_id == ws, st.c.connector == "reunion")
            ).scalars()
        )
    found: dict[tuple[str, str], Reunion] = {}
    for s in sources:
        from_handle = s.handle or s.key
        name = s.person or s.display_name or from_handle
        for row in linked.get(s.person_id, []):
            addr = _address(row.platform, row.key, row.handle)
            reasons = "; ".join((row.evidence or {}).get("reasons", [])) or "same person"
            found.setdefault(
                (row.platform, addr),
                Reunion(s.person_id, name, from_handle, row.platform, addr, reasons),
            )
        for ref in references_in(s.bio) + references_in(s.display_name):
            platform, _, addr = ref.partition(":")
            if platform in to_platforms:
                found.setdefault(
                    (platform, addr),
                    Reunion(
                        s.person_id,
                        name,
                        from_handle,
                        platform,
                        addr,
                        f"their {from_platform} profile names {addr}",
                    ),
                )
    out = sorted(found.values(), key=lambda r: (r.name.lower(), r.platform, r.address))
    for r in out:
        r.new = f"{r.platform}:{r.address}" not in shown
    if new_only:
        out = [r for r in out if r.new]
    if remember and out:
        store.upsert(
            st,
            [
                {
                    "connector": "reunion",
                    "key": f"{r.platform}:{r.address}",
                    "value": r.person_id,
                    "updated_at": utcnow(),
                }
                for r in out
            ],
            on_conflict="nothing",
        )
    return out


def mastodon_csv(matches: list[Reunion]) -> str:
    """Mastodon's following_accounts.csv for the Mastodon matches (Import and export > Import).

    >>> print(mastodon_csv([Reunion(None, "Ada", "ada", "mastodon", "ada@hachyderm.io", "")]))
    Account address,Show boosts,Notify on new posts,Languages
    ada@hachyderm.io,true,false,
    <BLANKLINE>
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["Account address", "Show boosts", "Notify on new posts", "Languages"])
    for r in matches:
        if r.platform == "mastodon":
            writer.writerow([r.address, "true", "false", ""])
    return buf.getvalue()
