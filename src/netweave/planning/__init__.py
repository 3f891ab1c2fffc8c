"""Planning the day: agenda, rules, trips, audit, partners."""

from __future__ import annotations
