"""Identity: one person across platforms."""

from __future__ import annotations
