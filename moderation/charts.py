"""Bar charts as server-made SVG: no script, no inline style (the Content-Security-Policy
allows neither), readable without colour.

Every bar carries its value as a label; a second series is told apart by a hatch pattern as
well as by colour, and the legend shows the same patterns. `column_chart` and `bar_list` lay
a chart out; `Chart.svg` writes it (escaped with format_html: a hundred bars through template
tags cost more than the rest of the page); `components/svg_chart.html` frames it with its
title. The numbers are always also in a table beside the chart.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
# 4.5:1 or more against white, as text and as a bar (WCAG 1.4.3, 1.4.11).
INK = "#212529"
BAR = "#1f4e79"
BOLD = mark_safe(' font-weight="bold"')  # a constant: nothing from outside in it


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int

    def __post_init__(self):
        # One decimal is enough on a 720-wide canvas, and keeps the template free of filters.
        self.x, self.y = round(self.x, 1), round(self.y, 1)
        self.width, self.height = round(self.width, 1), round(self.height, 1)


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    bold: bool = False

    def __post_init__(self):
        self.x, self.y = round(self.x, 1), round(self.y, 1)


@dataclass
class Chart:
    id: str
    title: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    baseline: tuple[float, float, float] = (0, 0, 0)  # x1, x2, y
    legend: list[tuple[Rect, Text]] = field(default_factory=list)

    def svg(self) -> SafeString:
        """The shapes and labels, for inside the <svg> element."""
        hatch = f"url(#{self.id}-rand)"

        def rect(r: Rect) -> SafeString:
            if r.series == 1:
                return format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                    'stroke-width="1.5"/>',
                    r.x, r.y, r.width, r.height, hatch, BAR,
                )  # fmt: skip
            return format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                r.x, r.y, r.width, r.height, BAR,
            )  # fmt: skip

        def text(t: Text) -> SafeString:
            return format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="13" fill="{}"{}>{}</text>',
                t.x, t.y, t.anchor, INK, BOLD if t.bold else "",
                t.text,
            )  # fmt: skip

        parts = [rect(r) for r in self.rects]
        if self.baseline[2]:
            x1, x2, y = self.baseline
            line = '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
            parts.append(format_html(line, x1, x2, y, y, INK))
        parts += [text(t) for t in self.texts]
        for swatch, label in self.legend:
            parts += [rect(swatch), text(label)]
        return format_html_join("\n", "{}", ((part,) for part in parts))


def column_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[tuple[float | None, str]]]],
) -> Chart:
    """Vertical bars, grouped per category (a month); `series` is [(name, [(value, label)])],
    a value None drawing no bar but the label ("–") all the same."""
    top, bottom, left, right = 28 + (22 if len(series) > 1 else 0), 30, 8, 8
    plot_height = 180
    height = top + plot_height + bottom
    chart = Chart(id=chart_id, title=title, width=WIDTH, height=height)
    largest = max((value or 0 for _name, values in series for value, _ in values), default=0)
    slot = (WIDTH - left - right) / max(len(categories), 1)
    bar_width = min(40, (slot - 6) / max(len(series), 1))
    base_y = top + plot_height
    for index, category in enumerate(categories):
        group_left = left + index * slot + (slot - bar_width * len(series)) / 2
        for number, (_name, values) in enumerate(series):
            value, label = values[index]
            x = group_left + number * bar_width
            bar_height = 0 if not largest or value is None else plot_height * value / largest
            if bar_height:
                chart.rects.append(
                    Rect(x + 1, base_y - bar_height, bar_width - 2, bar_height, number)
                )
            chart.texts.append(Text(x + bar_width / 2, base_y - bar_height - 5, label))
        chart.texts.append(Text(left + index * slot + slot / 2, base_y + 18, category, bold=True))
    chart.baseline = (left, WIDTH - right, round(base_y, 1))
    if len(series) > 1:
        x = left
        for number, (name, _values) in enumerate(series):
            chart.legend.append(
                (Rect(x, 6, 16, 14, number), Text(x + 22, 18, name, anchor="start"))
            )
            x += 40 + 8 * len(name)
    return chart


def bar_list(chart_id: str, title: str, rows: list[tuple[str, float, str]]) -> Chart:
    """Horizontal bars, one per row [(name, value, label)], the name above its bar."""
    row_height, top = 40, 8
    height = top + row_height * max(len(rows), 1) + 8
    chart = Chart(id=chart_id, title=title, width=WIDTH, height=height)
    largest = max((value for _name, value, _label in rows), default=0)
    plot_width = WIDTH - 80
    for index, (name, value, label) in enumerate(rows):
        y = top + index * row_height
        chart.texts.append(Text(8, y + 12, name, anchor="start"))
        bar_width = plot_width * value / largest if largest else 0
        if bar_width:
            chart.rects.append(Rect(8, y + 17, bar_width, 16, 0))
        chart.texts.append(Text(8 + bar_width + 6, y + 30, label, anchor="start", bold=True))
    return chart
