"""Server-rendered bar charts for dashboards (pajak's for DJP, bansos's for Kemensos):
horizontal bars, stacked when a row has more than one series, as geometry for
``templates/egov/_bar_chart.html``, which draws them as inline SVG. No script and no CDN
(the CSP holds); each chart has a ``<title>`` and ``<desc>``, and pages print the same
numbers in a table as well."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640  # viewBox units; the SVG scales to its container
LABEL_WIDTH = 190
VALUE_WIDTH = 130
ROW_HEIGHT = 30
BAR_HEIGHT = 18
LEGEND_HEIGHT = 26
LEGEND_STEP = 140  # at most: narrower when many series share the width

BLUE, GREEN, ORANGE, RED, GREY = "#1d70b8", "#00703c", "#f47738", "#d4351c", "#b1b4b6"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    value: int
    name: str


@dataclass(frozen=True)
class Row:
    label: str
    y: float  # top of the bar
    text_y: float  # baseline of its label and value
    total: int
    total_x: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LegendEntry:
    name: str
    colour: str
    x: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    money: bool  # values are rupiah
    label_x: int  # labels end here (right-aligned)
    width: int
    height: int
    rows: tuple[Row, ...]
    legend: tuple[LegendEntry, ...]


def _row(i: int, top: int, label: str, values: Sequence[int], series, peak: int) -> Row:
    y = top + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    x, segments = float(LABEL_WIDTH), []
    for s, value in zip(series, values, strict=True):
        width = round(room * value / peak, 2)
        segments.append(Segment(x=x, width=width, colour=s.colour, value=value, name=s.name))
        x += width
    return Row(label, y, y + BAR_HEIGHT - 4, sum(values), x + 6, tuple(segments))


def bar_chart(
    *,
    id: str,  # the SVG element id prefix
    title: str,
    description: str,
    data: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
    money: bool = False,
) -> BarChart:
    """Bars of ``data`` (label, one value per series), scaled to the largest row total."""
    top = LEGEND_HEIGHT if len(series) > 1 else 0
    peak = max((sum(values) for _, values in data), default=0) or 1
    step = min(LEGEND_STEP, (WIDTH - LABEL_WIDTH) // max(len(series), 1))
    legend = tuple(
        LegendEntry(s.name, s.colour, LABEL_WIDTH + i * step, LABEL_WIDTH + i * step + 20)
        for i, s in enumerate(series)
        if len(series) > 1
    )
    return BarChart(
        id=id,
        title=title,
        description=description,
        money=money,
        label_x=LABEL_WIDTH - 8,
        width=WIDTH,
        height=top + max(len(data), 1) * ROW_HEIGHT,
        rows=tuple(
            _row(i, top, label, values, series, peak) for i, (label, values) in enumerate(data)
        ),
        legend=legend,
    )
