"""``python -m netweave`` runs the CLI."""

from __future__ import annotations

from .cli import main

main()
