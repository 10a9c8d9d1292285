"""Bar charts as server-made SVG: no script, no inline style (the Content-Security-Policy
allows neither), readable without colour.

Every bar carries its value as a label; a second series is told apart by a hatch pattern as
well as by colour, and the legend shows the same patterns. The template
`components/svg_chart.html` draws what `column_chart` and `bar_list` lay out here; the numbers
are always also in a table beside the chart.
"""

from dataclasses import dataclass, field

WIDTH = 720


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    bold: bool = False


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
    chart.baseline = (left, WIDTH - right, base_y)
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
