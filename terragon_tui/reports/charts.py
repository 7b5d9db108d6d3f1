"""Small bar charts as inline SVG, with every label escaped; no scripts, no external files."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.text import html_text

BAR = "#3b6fb6"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#d9dee4"
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{html_text(title)}'>",
        f"<title>{html_text(title)}</title>",
    ]


def bar_chart(rows: Sequence[tuple[str, float]], title: str, *, width: int = 460) -> str:
    """Horizontal bars, one row per (label, value), the value written after each bar."""
    row_h, label_w, value_w = 22, 140, 48
    height = max(1, len(rows)) * row_h + 8
    top = max((value for _, value in rows), default=0.0) or 1.0
    span = width - label_w - value_w
    parts = _open(width, height, title)
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_h
        bar = max(0.0, value) / top * span
        parts += [
            f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end' font-size='12' "
            f"fill='{INK}' {FONT}>{html_text(_clip(label, 22))}</text>",
            f"<rect x='{label_w}' y='{y + 3}' width='{bar:.1f}' height='{row_h - 6}' "
            f"rx='2' fill='{BAR}'/>",
            f"<text x='{label_w + bar + 4:.1f}' y='{y + 15}' font-size='12' fill='{MUTED}' "
            f"{FONT}>{_number(value)}</text>",
        ]
    return "".join([*parts, "</svg>"])


def column_chart(
    rows: Sequence[tuple[str, float]], title: str, *, width: int = 460, height: int = 180
) -> str:
    """Vertical columns over time, one per (label, value), with the maximum marked."""
    left, bottom, top_pad = 36, 34, 12
    plot_w, plot_h = width - left - 6, height - bottom - top_pad
    top = max((value for _, value in rows), default=0.0)
    scale = top or 1.0
    step = plot_w / max(1, len(rows))
    base_y = top_pad + plot_h
    parts = _open(width, height, title)
    parts += [
        f"<line x1='{left}' y1='{base_y}' x2='{width - 6}' y2='{base_y}' stroke='{GRID}'/>",
        f"<line x1='{left}' y1='{top_pad}' x2='{width - 6}' y2='{top_pad}' stroke='{GRID}' "
        "stroke-dasharray='3 3'/>",
        f"<text x='{left - 4}' y='{top_pad + 4}' text-anchor='end' font-size='10' "
        f"fill='{MUTED}' {FONT}>{_number(top)}</text>",
        f"<text x='{left - 4}' y='{base_y}' text-anchor='end' font-size='10' "
        f"fill='{MUTED}' {FONT}>0</text>",
    ]
    every = max(1, round(len(rows) / 6))  # at most about six labels fit under the columns
    for index, (label, value) in enumerate(rows):
        x = left + index * step
        bar_h = max(0.0, value) / scale * plot_h
        parts.append(
            f"<rect x='{x + step * 0.15:.1f}' y='{base_y - bar_h:.1f}' width='{step * 0.7:.1f}' "
            f"height='{bar_h:.1f}' rx='2' fill='{BAR}'><title>{html_text(label)}: "
            f"{_number(value)}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f"<text x='{x + step / 2:.1f}' y='{base_y + 14}' text-anchor='middle' "
                f"font-size='10' fill='{MUTED}' {FONT}>{html_text(_clip(label, 10))}</text>"
            )
    return "".join([*parts, "</svg>"])
