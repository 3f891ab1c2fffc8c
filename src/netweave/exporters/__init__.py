"""Your data, out: every table as JSON and CSV, people as vCard, planned meet-ups as ICS, and
forgetting a person completely (:mod:`.forget`).

Example:

    >>> from netweave.exporters.files import csv_safe
    >>> csv_safe("=1+1")
    "'=1+1"
"""

from __future__ import annotations

__all__: list[str] = []
