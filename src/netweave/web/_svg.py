"""Server-rendered SVG charts (no JavaScript, no image files): goal progress against pace.

>>> "<svg" in progress_chart([("help given", 0.5, "15 of 30")], expected=0.4)
True
"""

from __future__ import annotations

from markupsafe import Markup, escape

__all__ = ["progress_chart"]


def progress_chart(
    rows: list[tuple[str, float, str]], *, expected: float, width: int = 560
) -> Markup:
    """Horizontal bars, one per key result (label, share reached 0-1, value text), with the
    share expected by today drawn as a dashed pace line."""
    label_w, bar_h, gap, top = 170, 18, 12, 22
    plot_w = width - label_w - 70
    height = top + len(rows) * (bar_h + gap) + 24
    x_pace = label_w + plot_w * max(0.0, min(1.0, expected))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="progress against pace">',
        f'<text x="{label_w}" y="14" class="chart-axis">0%</text>',
        f'<text x="{label_w + plot_w}" y="14" class="chart-axis" text-anchor="end">100%</text>',
    ]
    for i, (label, share, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        fill = max(0.0, min(1.0, share))
        short = label if len(label) <= 24 else label[:23] + "…"
        parts += [
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>",
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" rx="3" '
            'class="chart-track"/>',
            f'<rect x="{label_w}" y="{y}" width="{plot_w * fill:.1f}" height="{bar_h}" rx="3" '
            f'class="chart-bar{" behind" if share < expected - 0.1 else ""}"/>',
            f'<text x="{label_w + plot_w + 6}" y="{y + 13}" class="chart-value">'
            f"{escape(value)}</text>",
        ]
    parts += [
        f'<line x1="{x_pace:.1f}" x2="{x_pace:.1f}" y1="{top - 4}" y2="{height - 18}" '
        'class="chart-pace"/>',
        f'<text x="{x_pace:.1f}" y="{height - 4}" text-anchor="middle" class="chart-pace-label">'
        "today</text>",
        "</svg>",
    ]
    return Markup("".join(parts))
