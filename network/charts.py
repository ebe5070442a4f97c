"""Small charts drawn on the server as SVG coordinates for the templates."""

from dataclasses import dataclass
from datetime import timedelta

WIDTH, HEIGHT = 600, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass
class LineChart:
    """A cumulative line with its axes, ready to draw in an SVG."""

    points: str
    area: str
    x_labels: list
    y_labels: list
    target_y: float | None
    last: dict
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def cumulative_chart(per_day, target=None, start=None, end=None):
    """Return a chart of a running total from (day, count) pairs.

    Days without submissions continue the line flat, from `start` (or the
    first day) to `end` (or the last day). `target`, such as the roster
    size, draws a dashed line and sets the top of the scale.
    """
    per_day = sorted(per_day)
    if not per_day:
        return None
    counts = dict(per_day)
    first = min(start or per_day[0][0], per_day[0][0])
    last = max(end or per_day[-1][0], per_day[-1][0])
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    totals, running = [], 0
    for day in days:
        running += counts.get(day, 0)
        totals.append(running)

    top = max(running, target or 0, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(days) - 1, 1)

    def x(i):
        return round(LEFT + i * step, 1)

    def y(value):
        return round(TOP + plot_h * (1 - value / top), 1)

    points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(totals))
    bottom = HEIGHT - BOTTOM
    area = f"{x(0)},{bottom} {points} {x(len(days) - 1)},{bottom}"
    ticks = sorted({0, len(days) // 2, len(days) - 1})
    x_labels = [{"x": x(i), "day": days[i]} for i in ticks]
    y_labels = [{"y": y(v), "value": v} for v in sorted({0, top // 2, top})]
    return LineChart(
        points=points,
        area=area,
        x_labels=x_labels,
        y_labels=y_labels,
        target_y=y(target) if target else None,
        last={"x": x(len(days) - 1), "y": y(running), "value": running},
    )
