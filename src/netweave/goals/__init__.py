"""Goals measured by relationships."""

from __future__ import annotations
