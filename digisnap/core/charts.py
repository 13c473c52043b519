"""Server-rendered SVG charts (matplotlib, no pyplot state), each meant to sit beside a data table."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from digisnap.core.levels import HIGHEST, LEVEL_LABELS, LOWEST  # noqa: E402

# One colour per area, each with at least 3:1 contrast on white (WCAG 1.4.11); the page shows
# a legend in text, so colour is never the only cue.
AREA_COLOURS = ("#0072B2", "#A35200", "#00785A", "#A0457E", "#C0392B", "#5E4FA2", "#6B6B6B")

# The CSS properties matplotlib writes in style="" that SVG also takes as presentation attributes.
PRESENTATION_PROPERTIES = frozenset(
    {
        "fill",
        "font-family",
        "font-size",
        "font-weight",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-width",
        "text-anchor",
    }
)
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>")


def _attributes(declarations: str) -> str:
    pairs = [part.split(":", 1) for part in declarations.split(";") if part.strip()]
    for name, _value in pairs:
        if name.strip() not in PRESENTATION_PROPERTIES:
            raise ValueError(f"no SVG presentation attribute for the style {name.strip()!r}")
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def _without_css(svg: str) -> str:
    """The same drawing with presentation attributes instead of style="" and <style>.

    Inline in a page, those would need 'unsafe-inline' in the Content-Security-Policy, and
    matplotlib's <style> (a rule for *) would apply to the whole page.
    """
    defaults = _STYLE_ELEMENT.search(svg)
    if defaults:
        svg = svg[: defaults.start()] + svg[defaults.end() :]
        svg = svg.replace("<svg ", f"<svg{_attributes(defaults.group(1))} ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda match: _attributes(match.group(1)), svg)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "digisnap", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", transparent=True)
    svg = buffer.getvalue()
    # Inline in HTML: drop the XML prolog and DOCTYPE, keep the <svg> element.
    return _without_css(svg[svg.index("<svg") :])


def competence_rose(
    *,
    labels: Sequence[str],
    levels: Sequence[float],
    groups: Sequence[int],
    previous: Sequence[float] | None = None,
    for_print: bool = False,
) -> str:
    """A «competentieroos»: one petal per competence, its length the level (A1–C2), and when
    `previous` is given the previous round's levels as a dark dashed outline.

    Labels are competence codes, so the chart is the same in every language. Sized so that
    on a phone (about 350 px wide) the codes and the level rings stay readable.

    `for_print` draws less for the PDF, where the lines beside the rose carry each level: rings
    at A2, B2 and C2 only and no radial grid lines (the petals' gaps already part them).
    """
    count = len(labels)
    figure = Figure(figsize=(4.4, 4.4))
    axes = figure.add_subplot(projection="polar")
    width = 2 * math.pi / count
    angles = [i * width for i in range(count)]
    colours = [AREA_COLOURS[g % len(AREA_COLOURS)] for g in groups]
    axes.bar(angles, levels, width=width * 0.9, color=colours, edgecolor="white", linewidth=1)
    if previous is not None:
        # An arc at the previous level across each petal: readable without hiding the petal.
        for index, (angle, level) in enumerate(zip(angles, previous, strict=True)):
            if level:
                arc = [angle - width * 0.45 + width * 0.9 * step / 8 for step in range(9)]
                (line,) = axes.plot(arc, [level] * len(arc), color="#1a1a1a", linewidth=2.2)
                line.set_gid(f"previous-round-{index + 1}")
    axes.set_theta_zero_location("N")
    axes.set_theta_direction(-1)
    axes.set_ylim(0, HIGHEST)
    rings = range(LOWEST + 1, HIGHEST + 1, 2) if for_print else range(LOWEST, HIGHEST + 1)
    ring_labels = [LEVEL_LABELS[ring - LOWEST] for ring in rings]
    axes.set_yticks(rings, ring_labels, fontsize=9, color="#1a1a1a")
    for tick in axes.get_yticklabels():
        tick.set_fontweight("bold")
        tick.set_bbox({"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none"})
    axes.set_xticks(angles, labels, fontsize=11, color="#1a1a1a")
    axes.tick_params(axis="x", pad=1)
    axes.set_rlabel_position(360 / count / 2)
    axes.grid(color="#8a8a8a", linewidth=0.8)
    if for_print:
        axes.xaxis.grid(False)
    axes.spines["polar"].set_color("#8a8a8a")
    # Everything lies within the circle already: without a clip path per petal and grid line,
    # the SVG draws in half the time in the PDF (WeasyPrint draws the clip path for each).
    for artist in (*axes.patches, *axes.lines, *axes.get_xgridlines(), *axes.get_ygridlines()):
        artist.set_clip_on(False)
    return _svg(figure)
