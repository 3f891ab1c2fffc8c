"""Command-line interface (Typer + Rich)."""

from __future__ import annotations

from . import commands
from .app import app, main

__all__ = ["app", "commands", "main"]
