"""netweave: relationship-first use of social networks, local-first.

Import your platform exports, see the people behind the accounts, and measure whether your
relationships help you reach your goals.

    >>> from netweave.store import Store
    >>> Store.open("sqlite://").counts()["people"]
    0
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
