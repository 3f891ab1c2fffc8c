"""Listening: who talks about what, who asks for help, the morning digest."""

from __future__ import annotations
