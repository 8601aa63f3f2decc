"""`{% bar_chart series %}`: a small chart of a day series, drawn as inline SVG by our own
template (no script, nothing from another host), with a text alternative."""

from django import template

register = template.Library()

WIDTH, HEIGHT = 360, 64


@register.inclusion_tag("insights/bar_chart.html")
def bar_chart(series, start=None, end=None, compact=False):
    width, height = (120, 24) if compact else (WIDTH, HEIGHT)
    peak = series.peak or 1
    step = width / max(len(series.points), 1)
    bars = [
        {
            "x": round(i * step, 2),
            "width": round(max(step - 1, 1), 2),
            "height": round(height * value / peak, 2),
            "y": round(height - height * value / peak, 2),
            "value": value,
        }
        for i, value in enumerate(series.points)
    ]
    return {
        "series": series,
        "bars": bars,
        "width": width,
        "height": height,
        "compact": compact,
        "start": start,
        "end": end,
    }
