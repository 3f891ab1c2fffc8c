"""Goal progress charts (matplotlib PNG): progress against the pace line, per goal.

>>> import tempfile, pathlib
>>> plot_goals([], pathlib.Path(tempfile.mkdtemp()) / "goals.png").suffix
'.png'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import MissingExtra

__all__ = ["plot_goals"]


def plot_goals(reports: list[Any], path: Path) -> Path:
    """Bars of each goal's progress with the expected progress marked."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtra("plots", "--plot") from None
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * max(len(reports), 1)), dpi=100)
    titles = [r.goal["title"] for r in reports] or ["(no active goals)"]
    progress = [r.progress for r in reports] or [0.0]
    expected = [r.expected for r in reports] or [0.0]
    y = range(len(titles))
    ax.barh(list(y), progress, color="#2e8b57", label="progress")
    ax.scatter(expected, list(y), color="#c0392b", marker="|", s=400, label="expected today")
    ax.set_yticks(list(y), titles)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of key results reached")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path
