"""Server-rendered SVG charts (matplotlib, no pyplot state), each meant to sit beside a data table."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from digisnap.core.levels import HIGHEST, LEVEL_LABELS, LOWEST  # noqa: E402

# One colour per area, each with at least 3:1 contrast on white (WCAG 1.4.11); the page shows
# a legend in text, so colour is never the only cue.
AREA_COLOURS = ("#0072B2", "#A35200", "#00785A", "#A0457E", "#C0392B", "#5E4FA2", "#6B6B6B")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "digisnap", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", transparent=True)
    svg = buffer.getvalue()
    # Inline in HTML: drop the XML prolog and DOCTYPE, keep the <svg> element.
    return svg[svg.index("<svg") :]


def competence_rose(
    *, labels: Sequence[str], levels: Sequence[float], groups: Sequence[int]
) -> str:
    """A «competentieroos»: one petal per competence, its length the level (A1–C2).

    Labels are competence codes, so the chart is the same in every language.
    """
    count = len(labels)
    figure = Figure(figsize=(6, 6))
    axes = figure.add_subplot(projection="polar")
    width = 2 * math.pi / count
    angles = [i * width for i in range(count)]
    colours = [AREA_COLOURS[g % len(AREA_COLOURS)] for g in groups]
    axes.bar(angles, levels, width=width * 0.9, color=colours, edgecolor="white", linewidth=1)
    axes.set_theta_zero_location("N")
    axes.set_theta_direction(-1)
    axes.set_ylim(0, HIGHEST)
    axes.set_yticks(range(LOWEST, HIGHEST + 1), LEVEL_LABELS, fontsize=8, color="#333333")
    axes.set_xticks(angles, labels, fontsize=9)
    axes.set_rlabel_position(0)
    axes.grid(color="#bbbbbb", linewidth=0.6)
    return _svg(figure)
