"""Relationship health: tie strength, give/get, cadence and circles."""

from __future__ import annotations
