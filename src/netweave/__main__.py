"""``python -m netweave`` runs the CLI."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # not when merely imported (multiprocessing's spawn does)
    main()
