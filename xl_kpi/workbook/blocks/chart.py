"""The chart of scores by indicator (by section on a card with sections), beside the form on screen."""

from __future__ import annotations

from ...sheet.blocks.chart import chart_height
from ..card_sheet import CardSheet
from ..labels import label
from . import BlockWriter


def write(w: CardSheet) -> None:
    """Scores by indicator (by section when the scorecard has sections: their rows are not contiguous)."""
    layout, c, spec = w.layout, w.c, w.spec
    chart = w.wb.add_chart({"type": "bar"})
    name = w.ws.name
    if spec.sections:
        first, last = layout.section_summary_row(spec.sections[0].id), layout.section_summary_row(spec.sections[-1].id)
        categories, values = [name, first, c.NO, last, c.NO], [name, first, c.SCORE, last, c.SCORE]
    else:
        categories = [name, layout.FIRST_ROW, c.INDICATOR, layout.last_row, c.INDICATOR]
        values = [name, layout.FIRST_ROW, c.SCORE, layout.last_row, c.SCORE]
    chart.add_series({"name": label("score", w.lang), "categories": categories, "values": values,
                      "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True}})
    chart.set_title({"name": label("chart_title", w.lang), "name_font": {"size": 11}})
    chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    width = int(sum((w.widths[k] * 7 + 5) for k in range(c.NO, c.LAST_TABLE + 1)) * 0.8)
    chart.set_size({"width": width, "height": chart_height(layout)})
    w.ws.insert_chart(layout.chart_row, c.NO, chart, {"x_offset": 10, "object_position": 3})


WRITER = BlockWriter("chart", write)
