"""The data model as SQLAlchemy Core tables.

Every table but ``users`` carries ``workspace_id`` first in its primary key: it is the Citus
distribution column for scale-out (docs/scaling.md). ``users`` is small and global, a Citus
reference table, marked with ``info={"citus": "reference"}``.

Ids are deterministic (natural keys or content hashes, see :func:`netweave.store.make_id`) so that
importing the same file twice changes nothing.

Example:

    >>> sorted(t for t in metadata.tables)[:3]
    ['account_contacts', 'account_links', 'accounts']
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

__all__ = ["Timestamp", "VectorBlob", "metadata", "sqlite_timestamp"]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# The canonical text form (what _TS_FORMAT writes): SQLite stores it as given, without a re-parse.
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


class Timestamp(sa.types.TypeDecorator[datetime]):
    """A UTC instant: ``timestamptz`` on PostgreSQL, fixed-width ISO text on SQLite.

    The SQLite text form sorts like the instant it encodes, so range queries stay index scans.
    Naive datetimes are rejected: every timestamp netweave stores is timezone-aware. Strings are
    read as ISO 8601; one already in the canonical form (what importers emit) is stored as is.

    >>> Timestamp().process_bind_param(datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC), _sqlite)
    '2018-10-10T20:19:24.000000Z'
    >>> Timestamp().process_bind_param("2018-10-10T20:19:24.000000Z", _sqlite)
    '2018-10-10T20:19:24.000000Z'
    >>> Timestamp().process_bind_param("2018-10-10T22:19:24+02:00", _sqlite)
    '2018-10-10T20:19:24.000000Z'
    """

    impl = sa.String(27)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(sa.String(27))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            if dialect.name != "postgresql" and _CANONICAL.fullmatch(value):
                return value
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: netweave stores aware UTC instants")
        if dialect.name == "postgresql":
            return value
        return value.astimezone(UTC).strftime(_TS_FORMAT)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        # fromisoformat (C) reads the canonical form ten times faster than strptime
        return datetime.fromisoformat(value)


def sqlite_timestamp(value: Any) -> Any:
    """What SQLite stores for a :class:`Timestamp` value (the bulk writer's bind step).

    >>> sqlite_timestamp("2018-10-10T20:19:24.000000Z")
    '2018-10-10T20:19:24.000000Z'
    >>> sqlite_timestamp(datetime(2018, 10, 10, 20, 19, 24, 5, tzinfo=UTC))
    '2018-10-10T20:19:24.000005Z'
    """
    if value is None or (value.__class__ is str and _CANONICAL.fullmatch(value)):
        return value
    return _TIMESTAMP.process_bind_param(value, _sqlite)


class VectorBlob(sa.types.TypeDecorator[str]):
    """A float32 vector: raw bytes in the database (BLOB / bytea), base64 text in Python.

    Bytes are what sqlite-vec and numpy read; base64 is what keeps the JSON dump, the exports
    and the cross-backend checksums working on this column like on any other. Readers that
    want the raw bytes select ``sa.type_coerce(column, sa.LargeBinary)``.

    >>> VectorBlob().process_bind_param("AACAPw==", _sqlite)
    b'\\x00\\x00\\x80?'
    >>> VectorBlob().process_result_value(b"\\x00\\x00\\x80?", _sqlite)
    'AACAPw=='
    """

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None or isinstance(value, bytes):
            return value
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        return base64.b64decode(value, validate=True)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return base64.b64encode(bytes(value)).decode("ascii")


class _SqliteLike:
    name = "sqlite"


_sqlite: Any = _SqliteLike()
_TIMESTAMP = Timestamp()

# None is stored as SQL NULL, not as the JSON text 'null': a fill upsert keeps a stored value
# where the new row has none (coalesce), which the text 'null' would overwrite
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def _ws() -> sa.Column[str]:
    return sa.Column("workspace_id", sa.String(64), nullable=False)


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", Timestamp(), nullable=False)


def _one_of(column: str, *values: str) -> sa.CheckConstraint:
    """A CHECK that ``column`` holds one of ``values``, named after the column.

    Written as equalities joined by OR, not ``IN (...)``: SQLite evaluates an IN list of three
    or more values by building a temporary b-tree of it, again for every row written, which
    was half the cost of a ledger row on a bulk import (migration 0010).

        >>> str(_one_of("kind", "post", "like").sqltext)
        "kind = 'post' OR kind = 'like'"
    """
    return sa.CheckConstraint(" OR ".join(f"{column} = '{v}'" for v in values), name=column)


def _fk(cols: list[str], table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id", *cols],
        [f"{table}.workspace_id", *(f"{table}.{c}" for c in _TARGET_KEYS[table])],
        ondelete=ondelete,
    )


_TARGET_KEYS = {
    "workspaces": [],
    "accounts": ["account_id"],
    "people": ["person_id"],
    "lists": ["list_id"],
    "goals": ["goal_id"],
    "import_runs": ["run_id"],
    "interactions": ["interaction_id"],
}

# --- team mode ------------------------------------------------------------------------------------

workspaces = sa.Table(
    "workspaces",
    metadata,
    _ws(),
    sa.Column("name", sa.String(200), nullable=False),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("username", sa.String(200), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(300)),
    _created(),
    sa.PrimaryKeyConstraint("user_id"),
    info={"citus": "reference"},
)

memberships = sa.Table(
    "memberships",
    metadata,
    _ws(),
    sa.Column(
        "user_id", sa.String(64), sa.ForeignKey("users.user_id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("role", sa.String(16), nullable=False),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "user_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
    _one_of("role", "owner", "editor", "viewer"),
)

# --- the ledger -----------------------------------------------------------------------------------

import_runs = sa.Table(
    "import_runs",
    metadata,
    _ws(),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("source", sa.String(64), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("records_done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("counts", JSON),
    sa.Column("error", sa.Text),
    sa.Column("started_at", Timestamp(), nullable=False),
    sa.Column("finished_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "run_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
    _one_of("status", "running", "done", "failed"),
)

accounts = sa.Table(
    "accounts",
    metadata,
    _ws(),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    # platform_id when the platform has stable ids, else the normalised handle
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("platform_id", sa.String(200)),
    sa.Column("handle", sa.String(300)),
    sa.Column("display_name", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("bio", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("website", sa.Text),
    sa.Column("is_owner", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("extra", JSON),
    sa.Column("first_seen", Timestamp()),
    sa.Column("last_seen", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "account_id"),
    sa.UniqueConstraint("workspace_id", "platform", "key"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)
sa.Index("ix_accounts_handle", accounts.c.workspace_id, accounts.c.handle)

account_contacts = sa.Table(
    "account_contacts",
    metadata,
    _ws(),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # email | phone | url | address
    sa.Column("value", sa.String(500), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "account_id", "kind", "value"),
    _fk(["account_id"], "accounts"),
)
sa.Index(
    "ix_account_contacts_value",
    account_contacts.c.workspace_id,
    account_contacts.c.kind,
    account_contacts.c.value,
)

people = sa.Table(
    "people",
    metadata,
    _ws(),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("location", sa.Text),
    sa.Column("circle", sa.Integer),  # 5 | 15 | 50 | 150, None = not yet placed
    sa.Column("reason_connected", sa.Text),
    sa.Column("partner_stage", sa.String(32)),
    sa.Column("partner_stage_since", Timestamp()),
    sa.Column("partner_stage_manual", sa.String(32)),  # set by hand; wins over the derived stage
    sa.Column("cadence_days", sa.Integer),
    sa.Column("cadence_max_days", sa.Integer),
    sa.Column("tags", JSON),
    sa.Column("is_owner", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
    sa.Column("updated_at", Timestamp(), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "person_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

account_links = sa.Table(
    "account_links",
    metadata,
    _ws(),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("evidence", JSON),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "account_id"),
    _fk(["account_id"], "accounts"),
    _fk(["person_id"], "people"),
    _one_of("method", "auto", "manual"),
)
sa.Index("ix_account_links_person", account_links.c.workspace_id, account_links.c.person_id)
# The people list by name, case-insensitive (0007): covering, owner flag included, so a page
# and a name search read the index alone.
sa.Index(
    "ix_people_name",
    people.c.workspace_id,
    sa.func.lower(people.c.display_name),
    people.c.person_id,
    people.c.is_owner,
)

link_decisions = sa.Table(
    "link_decisions",
    metadata,
    _ws(),
    sa.Column("account_a", sa.String(64), nullable=False),
    sa.Column("account_b", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),  # same | different | proposed
    sa.Column("score", sa.Float),
    sa.Column("evidence", JSON),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "account_a", "account_b"),
    _fk(["account_a"], "accounts"),
    sa.ForeignKeyConstraint(
        ["workspace_id", "account_b"],
        ["accounts.workspace_id", "accounts.account_id"],
        ondelete="CASCADE",
    ),
)

identity_events = sa.Table(
    "identity_events",
    metadata,
    _ws(),
    sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
    sa.Column("kind", sa.String(16), nullable=False),  # merge | split | accept | reject | undo
    sa.Column("payload", JSON, nullable=False),
    _created(),
    sa.Column("undone_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "seq"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

# Identity resolution's blocking index: the keys each account was blocked on and a fingerprint of
# what identity resolution read from it, so a run after an import re-resolves only the accounts
# that changed and the ones they share a key with.
identity_index = sa.Table(
    "identity_index",
    metadata,
    _ws(),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "account_id"),
    _fk(["account_id"], "accounts"),
)

identity_keys = sa.Table(
    "identity_keys",
    metadata,
    _ws(),
    sa.Column("block_key", sa.String(200), nullable=False),
    sa.Column("account_id", sa.String(64), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "block_key", "account_id"),
    _fk(["account_id"], "accounts"),
)
sa.Index("ix_identity_keys_account", identity_keys.c.workspace_id, identity_keys.c.account_id)

EDGE_KINDS = (
    "follows",
    "followed_by",
    "connected",
    "friend",
    "blocked",
    "muted",
    "list_member",
    "invited",
)

edges = sa.Table(
    "edges",
    metadata,
    _ws(),
    sa.Column("from_account", sa.String(64), nullable=False),
    sa.Column("to_account", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("since", Timestamp()),
    sa.Column("first_seen", Timestamp()),
    sa.Column("last_seen", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "from_account", "to_account", "kind"),
    _fk(["from_account"], "accounts"),
    sa.ForeignKeyConstraint(
        ["workspace_id", "to_account"],
        ["accounts.workspace_id", "accounts.account_id"],
        ondelete="CASCADE",
    ),
    _one_of("kind", *EDGE_KINDS),
)
sa.Index("ix_edges_to", edges.c.workspace_id, edges.c.to_account)

INTERACTION_KINDS = (
    "post",
    "reply",
    "mention",
    "dm",
    "like",
    "repost",
    "comment",
    "email",
    "meeting",
    "call",
    "note",
    "invitation",
)

interactions = sa.Table(
    "interactions",
    metadata,
    _ws(),
    sa.Column("interaction_id", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("actor_account", sa.String(64)),
    sa.Column("target_account", sa.String(64)),
    sa.Column("occurred_at", Timestamp(), nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("thread_id", sa.String(200)),
    sa.Column("in_reply_to", sa.String(200)),
    sa.Column("extra", JSON),
    sa.Column("run_id", sa.String(64)),  # never written (migration 0012 dropped its index)
    sa.PrimaryKeyConstraint("workspace_id", "interaction_id"),
    _fk(["actor_account"], "accounts"),
    sa.ForeignKeyConstraint(
        ["workspace_id", "target_account"],
        ["accounts.workspace_id", "accounts.account_id"],
        ondelete="CASCADE",
    ),
    _one_of("direction", "given", "received", "neutral"),
    _one_of("kind", *INTERACTION_KINDS),
)
sa.Index(
    "ix_interactions_actor",
    interactions.c.workspace_id,
    interactions.c.actor_account,
    interactions.c.occurred_at,
)
sa.Index(
    "ix_interactions_target",
    interactions.c.workspace_id,
    interactions.c.target_account,
    interactions.c.occurred_at,
)
sa.Index("ix_interactions_time", interactions.c.workspace_id, interactions.c.occurred_at)

lists = sa.Table(
    "lists",
    metadata,
    _ws(),
    sa.Column("list_id", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # list | group | page | interest | circle
    sa.Column("platform", sa.String(32)),
    sa.Column("description", sa.Text),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "list_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

list_members = sa.Table(
    "list_members",
    metadata,
    _ws(),
    sa.Column("list_id", sa.String(64), nullable=False),
    sa.Column("member_type", sa.String(8), nullable=False),  # account | person
    sa.Column("member_id", sa.String(64), nullable=False),
    sa.Column("added_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "list_id", "member_type", "member_id"),
    _fk(["list_id"], "lists"),
    _one_of("member_type", "account", "person"),
)

notes = sa.Table(
    "notes",
    metadata,
    _ws(),
    sa.Column("note_id", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "note_id"),
    _fk(["person_id"], "people"),
    _one_of("kind", "note", "need", "interest", "fact", "life_event"),
)

# --- goals and planning ---------------------------------------------------------------------------

goals = sa.Table(
    "goals",
    metadata,
    _ws(),
    sa.Column("goal_id", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("why", sa.String(32), nullable=False),
    sa.Column("end_state", sa.Text),
    sa.Column("strategy", sa.Text),
    sa.Column("horizon", sa.String(8), nullable=False),  # short | long
    sa.Column("parent_goal_id", sa.String(64)),
    sa.Column("start", Timestamp(), nullable=False),
    sa.Column("deadline", Timestamp(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # active | closed | revised
    sa.Column("revision_of", sa.String(64)),
    _created(),
    sa.Column("closed_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "goal_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
    sa.CheckConstraint("deadline > start", name="deadline_after_start"),
)

key_results = sa.Table(
    "key_results",
    metadata,
    _ws(),
    sa.Column("kr_id", sa.String(64), nullable=False),
    sa.Column("goal_id", sa.String(64), nullable=False),
    sa.Column("metric", sa.String(32), nullable=False),
    sa.Column("target", sa.Float, nullable=False),
    sa.Column("baseline", sa.Float, nullable=False, server_default="0"),
    sa.Column("params", JSON),
    sa.PrimaryKeyConstraint("workspace_id", "kr_id"),
    _fk(["goal_id"], "goals"),
)

goal_links = sa.Table(
    "goal_links",
    metadata,
    _ws(),
    sa.Column("goal_id", sa.String(64), nullable=False),
    sa.Column("link_type", sa.String(8), nullable=False),  # person | list | topic
    sa.Column("link_value", sa.String(300), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "goal_id", "link_type", "link_value"),
    _fk(["goal_id"], "goals"),
)

rules = sa.Table(
    "rules",
    metadata,
    _ws(),
    sa.Column("rule_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("params", JSON),
    sa.Column("description", sa.Text),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "rule_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

agenda_items = sa.Table(
    "agenda_items",
    metadata,
    _ws(),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),  # local date YYYY-MM-DD
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("person_id", sa.String(64)),
    sa.Column("goal_id", sa.String(64)),
    sa.Column("status", sa.String(8), nullable=False),  # planned | done | skipped
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("url", sa.Text),
    _created(),
    sa.Column("done_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "item_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
    _one_of("status", "planned", "done", "skipped"),
)

audit_decisions = sa.Table(
    "audit_decisions",
    metadata,
    _ws(),
    sa.Column("decision_id", sa.String(64), nullable=False),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(8), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("list_id", sa.String(64)),
    sa.Column("decided_at", Timestamp(), nullable=False),
    sa.Column("previous", JSON),  # what the decision changed, so undo can restore it
    sa.Column("undone_at", Timestamp()),
    sa.PrimaryKeyConstraint("workspace_id", "decision_id"),
    _fk(["person_id"], "people"),
    _one_of("decision", "keep", "move", "drop"),
)
sa.Index(
    "ix_audit_decisions_person",
    audit_decisions.c.workspace_id,
    audit_decisions.c.person_id,
    audit_decisions.c.decided_at,
)

topics = sa.Table(
    "topics",
    metadata,
    _ws(),
    sa.Column("topic_id", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # expertise | interest
    _created(),
    sa.PrimaryKeyConstraint("workspace_id", "topic_id"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

sync_state = sa.Table(
    "sync_state",
    metadata,
    _ws(),
    sa.Column("connector", sa.String(32), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("value", sa.Text),
    sa.Column("updated_at", Timestamp(), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "connector", "key"),
    sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.workspace_id"], ondelete="CASCADE"),
)

# --- derived: relationship health (recomputed from the ledger, never imported) -----------------

tie_scores = sa.Table(
    "tie_scores",
    metadata,
    _ws(),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("strength", sa.Float, nullable=False),
    sa.Column("raw", sa.Float, nullable=False),
    sa.Column("decay", sa.Float, nullable=False),
    sa.Column("dimensions", JSON, nullable=False),
    sa.Column("reasons", JSON, nullable=False),
    sa.Column("interactions", sa.Integer, nullable=False),
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("private", sa.Integer, nullable=False),
    sa.Column("given", sa.Integer, nullable=False),
    sa.Column("received", sa.Integer, nullable=False),
    sa.Column("giving", sa.Integer, nullable=False),  # owner's giving actions towards them
    sa.Column("asks", sa.Integer, nullable=False),  # owner's self-promotion towards them
    sa.Column("got_giving", sa.Integer, nullable=False),  # their giving towards the owner
    sa.Column("platforms", sa.Integer, nullable=False),
    sa.Column("first_contact", Timestamp()),
    sa.Column("last_contact", Timestamp()),
    sa.Column("suggested_circle", sa.Integer),
    sa.Column("computed_at", Timestamp(), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "person_id"),
    _fk(["person_id"], "people"),
)
sa.Index("ix_tie_scores_strength", tie_scores.c.workspace_id, tie_scores.c.strength)
# the agenda's losing-touch walk: per suggested circle, oldest last contact first
sa.Index(
    "ix_tie_scores_circle",
    tie_scores.c.workspace_id,
    tie_scores.c.suggested_circle,
    tie_scores.c.last_contact,
)
# The people list pages straight off these (migration 0007): ranked by strength or by latest
# contact, with the person id inside the index so a page and its offset never touch the table.
sa.Index(
    "ix_tie_scores_rank", tie_scores.c.workspace_id, tie_scores.c.strength, tie_scores.c.person_id
)
sa.Index(
    "ix_tie_scores_recent",
    tie_scores.c.workspace_id,
    tie_scores.c.last_contact,
    tie_scores.c.person_id,
)

tie_history = sa.Table(
    "tie_history",
    metadata,
    _ws(),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),
    sa.Column("strength", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "person_id", "day"),
    _fk(["person_id"], "people"),
)

# One row per interaction, written once: who the other side is, and the give/get label. Kept
# clustered by the other side's account (WITHOUT ROWID on SQLite) so per-person aggregates are
# range scans and a full recompute is one sequential pass with no joins.
interaction_facts = sa.Table(
    "interaction_facts",
    metadata,
    _ws(),
    sa.Column("counterpart", sa.String(64), nullable=False),  # account id, "" if nobody
    sa.Column("interaction_id", sa.String(64), nullable=False),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("occurred_at", Timestamp(), nullable=False),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("label", sa.String(16), nullable=False),  # giving | neutral | self_promotion
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("intimacy", sa.Integer, nullable=False),
    sa.Column("thread_id", sa.String(200)),
    sa.PrimaryKeyConstraint("workspace_id", "counterpart", "interaction_id"),
    sa.ForeignKeyConstraint(
        ["workspace_id", "interaction_id"],
        ["interactions.workspace_id", "interactions.interaction_id"],
        ondelete="CASCADE",
    ),
    sqlite_with_rowid=False,
)
sa.Index(
    "ix_interaction_facts_interaction",
    interaction_facts.c.workspace_id,
    interaction_facts.c.interaction_id,
)
# Covers the windowed scans of goals and the ledger: every column they read is in the index.
sa.Index(
    "ix_interaction_facts_time",
    *(
        interaction_facts.c[n]
        for n in (
            "workspace_id",
            "occurred_at",
            "direction",
            "label",
            "kind",
            "reason",
            "counterpart",
            "thread_id",
        )
    ),
)

# Semantic search (the optional ``embeddings`` extra): one unit-length float32 vector per text of
# the ledger or of a note, written by ``netweave index --semantic``. ``account_id`` (who wrote an
# interaction) and ``person_id`` (whom a note is about) let forget and cascades find them; the
# text hash and model name tell the indexer what is stale.
semantic_index = sa.Table(
    "semantic_index",
    metadata,
    _ws(),
    sa.Column("source", sa.String(12), nullable=False),  # interaction | note
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("account_id", sa.String(64)),
    sa.Column("person_id", sa.String(64)),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("text_hash", sa.String(32), nullable=False),
    sa.Column("vector", VectorBlob(), nullable=False),
    sa.Column("embedded_at", Timestamp(), nullable=False),
    sa.PrimaryKeyConstraint("workspace_id", "source", "item_id"),
    _fk(["account_id"], "accounts"),
    _fk(["person_id"], "people"),
    _one_of("source", "interaction", "note"),
)
sa.Index("ix_semantic_index_account", semantic_index.c.workspace_id, semantic_index.c.account_id)
sa.Index("ix_semantic_index_person", semantic_index.c.workspace_id, semantic_index.c.person_id)
