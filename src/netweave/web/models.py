"""The JSON shapes of every page (pydantic), so OpenAPI documents them.

>>> TieOut(person_id="p1", name="Ada", strength=0.5).strength
0.5
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "AgendaItemOut",
    "AuditDecisionOut",
    "AuditItemOut",
    "AuditOut",
    "AuditSummaryOut",
    "DashboardOut",
    "DigestOut",
    "DoneOut",
    "GoalOut",
    "GoalsOut",
    "ImportOut",
    "PartnerOut",
    "PartnersOut",
    "PeopleOut",
    "PersonOut",
    "ProposalOut",
    "ReviewOut",
    "SettingsOut",
    "SpeakerOut",
    "SuggestionOut",
    "TieOut",
    "TripOut",
    "WhoOut",
]


class TieOut(BaseModel):
    """One person as lists show them: strength, circle, contact rhythm."""

    person_id: str
    name: str
    strength: float = 0.0
    last_contact: datetime | None = None
    circle: int | None = None
    circle_source: str = ""
    cadence_days: int | None = None
    max_days: int | None = None
    days_since: int | None = None
    overdue_days: int | None = None


class AgendaItemOut(BaseModel):
    """One action on today's agenda."""

    number: int | None
    item_id: str
    kind: str
    person_id: str | None = None
    name: str
    minutes: int
    reason: str
    url: str | None = None
    status: str = "planned"


class HelpOut(BaseModel):
    """Someone asking for help in your topics."""

    interaction_id: str
    person_id: str | None
    name: str
    text: str
    url: str | None
    platform: str
    occurred_at: datetime
    topic: str
    strength: float


class KeyResultOut(BaseModel):
    metric: str
    label: str
    value: float
    target: float | None
    progress: float | None
    needed_per_week: float | None


class GoalOut(BaseModel):
    """A goal with its key results and pace today."""

    goal_id: str
    title: str
    why: str
    status: str
    start: datetime
    deadline: datetime
    end_state: str | None = None
    strategy: str | None = None
    progress: float
    expected: float
    pace: str
    state: str
    days_left: int
    key_results: list[KeyResultOut]
    history: list[str] = Field(default_factory=list)


class DashboardOut(BaseModel):
    """Today: the agenda, goals with pace, ties gone quiet, help requests."""

    day: str
    minutes: int
    agenda: list[AgendaItemOut]
    goals: list[GoalOut]
    overdue: list[TieOut]
    help_requests: list[HelpOut]


class PeopleOut(BaseModel):
    """One page of people."""

    people: list[TieOut]
    sort: str
    q: str
    circle: int | None
    limit: int
    offset: int
    has_next: bool


class AccountOut(BaseModel):
    account_id: str
    platform: str
    handle: str | None = None
    key: str
    display_name: str | None = None
    url: str | None = None
    location: str | None = None
    bio: str | None = None
    method: str
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)


class PersonOut(BaseModel):
    """Everything about one person: accounts and why, tie explained, give/get, notes, lists."""

    person: dict[str, Any]
    accounts: list[AccountOut]
    tie: dict[str, Any] | None
    ledger: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    lists: list[dict[str, Any]]


class ProposalOut(BaseModel):
    """A proposed identity link: two accounts that are likely one person."""

    number: int
    a: dict[str, Any]
    b: dict[str, Any]
    score: float
    reasons: list[str]


class ReviewOut(BaseModel):
    proposals: list[ProposalOut]
    message: str = ""


class GoalsOut(BaseModel):
    goals: list[GoalOut]
    templates: dict[str, str]


class SpeakerOut(BaseModel):
    person_id: str | None
    name: str
    score: float
    posts: int
    recent_180: int
    recent_30: int
    last: datetime | None
    samples: list[dict[str, Any]]


class WhoOut(BaseModel):
    q: str
    since: str
    platform: str
    speakers: list[SpeakerOut]


class DigestOut(BaseModel):
    since: str
    digest: dict[str, Any]


class TripOut(BaseModel):
    city: str
    matches: list[dict[str, Any]]


class SettingsOut(BaseModel):
    settings: dict[str, Any]
    rules: dict[str, Any]
    message: str = ""


class ImportOut(BaseModel):
    """What an upload brought in."""

    file: str
    files: list[dict[str, Any]]
    added: dict[str, int]
    skipped: list[str]
    people: dict[str, Any]
    indexed: int


class DoneOut(BaseModel):
    item_id: str
    status: str
    kind: str


class WorkspaceOut(BaseModel):
    """One workspace the logged-in user belongs to (team mode)."""

    workspace_id: str
    role: str | None
    members: int
    current: bool


class WorkspacesOut(BaseModel):
    """The workspaces the switcher offers: only the user's own memberships."""

    user: str
    workspaces: list[WorkspaceOut]
    message: str = ""


class AuditItemOut(BaseModel):
    """One connection waiting for a decision: keep, move or drop."""

    person_id: str
    name: str
    connected_since: datetime | None = None
    strength: float = 0.0
    last_contact: datetime | None = None
    interactions: int = 0


class AuditSummaryOut(BaseModel):
    """How far the audit has come: standing decisions by kind and how many remain."""

    decided: dict[str, int]
    remaining: int
    total: int


class AuditDecisionOut(BaseModel):
    """One standing audit decision."""

    decision_id: str
    person_id: str
    name: str
    decision: str
    reason: str | None = None
    list_id: str | None = None
    decided_at: datetime


class AuditOut(BaseModel):
    """The connection audit: the next connections to decide, the summary, recent decisions."""

    queue: list[AuditItemOut]
    summary: AuditSummaryOut
    recent: list[AuditDecisionOut]
    lists: list[str] = Field(default_factory=list)
    message: str = ""


class PartnerOut(BaseModel):
    """One strategic partner: stage (set by hand or derived), since when, the next step."""

    person_id: str
    name: str
    stage: str
    derived: str
    manual: bool
    since: datetime | None = None
    days_in_stage: int
    next_step: str
    next_stage: str | None = None


class SuggestionOut(BaseModel):
    """Someone you read who does not interact with you yet: a candidate partner."""

    person_id: str
    name: str
    score: float
    why: dict[str, int]


class PartnersOut(BaseModel):
    """The partner pipeline as a board: the stages in order, the partners, candidates."""

    stages: list[str]
    partners: list[PartnerOut]
    suggestions: list[SuggestionOut]
    message: str = ""
