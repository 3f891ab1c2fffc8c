"""``python -m netweave`` runs the CLI."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    main()
