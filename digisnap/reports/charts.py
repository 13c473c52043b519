"""The report's charts as small SVG drawn here: 100 % bars per band and band pies.

Written by hand rather than with matplotlib because a report holds a dozen or more charts that
are only rectangles, arcs and a few labels: this keeps the PDF of a large community well within
its time budget, and the SVG uses presentation attributes only (no style="" and no <style>), so
it is allowed inline under the strict Content-Security-Policy. Every chart sits beside a data
table that carries the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

from digisnap.core.levels import Band

# The site's band colours (digisnap.css): white text reaches at least 4.5:1 on each.
BAND_COLOURS = {Band.A: "#8a3b00", Band.B: "#00578a", Band.C: "#176c2f"}
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    percents: tuple[int, ...]  # per band, A first
    counts: tuple[int, ...] = ()  # teachers per band, written in the bar where it fits
    average: str = ""  # the average level, written after the bar («3,2 B1»)
    note: str = ""  # shown instead of the bar, e.g. «hidden»


LABEL_CHARACTERS = 30


def _short(label: str) -> str:
    """A label that fits left of the bars; the table beside the chart has it in full."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _open(width: float, height: float, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}" font-size="12"><title>{escape(label)}</title>'
    )


def band_bars(*, bars: Sequence[Bar], label: str) -> str:
    """Horizontal bars of 100 %, one per row, split into the bands A, B and C, each followed by
    its average level."""
    label_width, bar_width, row_height, gap = 210, 400, 22, 6
    width = label_width + bar_width + 70
    height = len(bars) * (row_height + gap) + gap
    parts = [_open(width, height, label)]
    for index, bar in enumerate(bars):
        y = gap + index * (row_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row_height / 2 + 4}" text-anchor="end" '
            f'fill="#1a1a1a">{escape(_short(bar.label))}</text>'
        )
        if bar.note:
            parts.append(
                f'<text x="{label_width}" y="{y + row_height / 2 + 4}" fill="#4a4a55">'
                f"{escape(bar.note)}</text>"
            )
            continue
        x = float(label_width)
        total = sum(bar.percents) or 1
        counts = bar.counts or (None,) * len(bar.percents)
        for band, percent, count in zip(BAND_COLOURS, bar.percents, counts, strict=True):
            size = bar_width * percent / total
            if size <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{size:.1f}" height="{row_height}" '
                f'fill="{BAND_COLOURS[band]}"/>'
            )
            if size >= 30:
                parts.append(
                    f'<text x="{x + size / 2:.1f}" y="{y + row_height / 2 + 4}" '
                    f'text-anchor="middle" fill="#ffffff">{percent}%'
                    f"{f' ({count})' if count is not None and size >= 64 else ''}</text>"
                )
            x += size
        if bar.average:
            parts.append(
                f'<text x="{label_width + bar_width + 6}" y="{y + row_height / 2 + 4}" '
                f'fill="#1a1a1a">{escape(bar.average)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def band_pie(*, counts: Sequence[int], label: str) -> str:
    """A pie of the band distribution (A, B, C), each slice labelled with its percentage."""
    size, radius = 160, 72
    centre = size / 2
    parts = [_open(size, size, label)]
    total = sum(counts)
    if not total:
        parts.append("</svg>")
        return "".join(parts)
    angle = -math.pi / 2
    for band, count in zip(BAND_COLOURS, counts, strict=True):
        if not count:
            continue
        sweep = 2 * math.pi * count / total
        colour = BAND_COLOURS[band]
        if count == total:
            parts.append(f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="{colour}"/>')
        else:
            x1, y1 = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
            x2 = centre + radius * math.cos(angle + sweep)
            y2 = centre + radius * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            parts.append(
                f'<path d="M{centre},{centre} L{x1:.2f},{y1:.2f} '
                f'A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1.5"/>'
            )
        if sweep > 0.35:
            middle = angle + sweep / 2
            tx = centre + radius * 0.62 * math.cos(middle)
            ty = centre + radius * 0.62 * math.sin(middle) + 4
            percent = round(100 * count / total)
            parts.append(
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" fill="#ffffff">'
                f"{band.value} {percent}%</text>"
            )
        angle += sweep
    parts.append("</svg>")
    return "".join(parts)
