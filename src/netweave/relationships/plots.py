"""PNG charts of relationship health (matplotlib, an optional extra).

>>> import tempfile, pathlib
>>> from netweave.store import Store
>>> out = pathlib.Path(tempfile.mkdtemp()) / "health.png"
>>> plot_health(Store.open("sqlite://"), out).suffix
'.png'
"""

from __future__ import annotations

from pathlib import Path

from ..errors import MissingExtra
from ..store import Store
from .views import ledger, ranked

__all__ = ["plot_health"]


def plot_health(store: Store, path: Path) -> Path:
    """Two panels: the distribution of tie strengths, and give/get balance by month."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtra("plots", "--plot") from None
    strengths = [t.strength for t in ranked(store, sort="strength")]
    months = ledger(store)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), dpi=100)
    left.hist(strengths or [0.0], bins=20, range=(0, 1), color="#3b6ea5")
    left.set_title(f"Tie strength ({len(strengths)} people)")
    left.set_xlabel("strength")
    left.set_ylabel("people")
    labels = [m["period"] for m in months]
    x = range(len(labels))
    right.bar(x, [m["gave"] for m in months], color="#2e8b57", label="you gave")
    right.bar(x, [-m["asked"] for m in months], color="#c0392b", label="you asked / promoted")
    right.plot(x, [m["received"] for m in months], color="#333", marker=".", label="you received")
    right.axhline(0, color="#999", linewidth=0.8)
    right.set_title("Give / get by month")
    step = max(1, len(labels) // 8)
    right.set_xticks(list(x)[::step], labels[::step], rotation=30, ha="right")
    right.legend(loc="upper left", fontsize=8, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path
