"""No text of a panel's figure overlaps another or leaves the figure, at any slider corner.

Every panel is drawn at its start, with every slider at its lowest and with every slider at
its highest value; then the tick labels, axis labels, titles, legends and annotations of
each figure are compared two by two (Matplotlib's own layout does not check annotations or
legends against each other).
"""

import itertools

import ipywidgets as widgets
import matplotlib
import matplotlib.text
import pytest

from helpers.panels import REGISTRY, build

matplotlib.use("Agg")

#: Overlap allowed between two texts' boxes (anti-aliasing, descenders). [px]
SLACK_PX = 1.5

SLIDERS = (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider)


def _tick_labels(axis):
    low, high = sorted(axis.get_view_interval())
    span = high - low
    return [
        tick.label1
        for tick in axis.get_major_ticks()
        if tick.label1.get_visible()
        and tick.label1.get_text()
        and low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span
    ]


def text_boxes(fig):
    """(description, bounding box in pixels) of every text a reader sees in the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts = [*_tick_labels(ax.xaxis), *_tick_labels(ax.yaxis)] if ax.axison else []
        texts += [ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title, ax._right_title]
        texts += [t for t in ax.texts]
        for text in texts:
            if text.get_visible() and text.get_text().strip():
                found.append((f"{text.get_text()[:30]!r}", text.get_window_extent(renderer)))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            found.append(("legend", legend.get_window_extent(renderer)))
    for text in fig.texts:
        if text.get_visible() and text.get_text().strip():
            found.append((f"{text.get_text()[:30]!r}", text.get_window_extent(renderer)))
    for legend in fig.legends:
        if legend.get_visible():
            found.append(("figure legend", legend.get_window_extent(renderer)))
    return found


def problems(fig):
    boxes = text_boxes(fig)
    figure_box = fig.bbox
    found = []
    for name, box in boxes:
        if (
            box.x0 < figure_box.x0 - SLACK_PX
            or box.y0 < figure_box.y0 - SLACK_PX
            or box.x1 > figure_box.x1 + SLACK_PX
            or box.y1 > figure_box.y1 + SLACK_PX
        ):
            found.append(f"{name} leaves the figure")
    for (name_a, a), (name_b, b) in itertools.combinations(boxes, 2):
        width = min(a.x1, b.x1) - max(a.x0, b.x0)
        height = min(a.y1, b.y1) - max(a.y0, b.y0)
        if width > SLACK_PX and height > SLACK_PX:
            found.append(f"{name_a} overlaps {name_b}")
    return found


def corners(panel):
    sliders = {k: w for k, w in panel.widgets.items() if isinstance(w, SLIDERS) and not w.disabled}
    low = {
        k: (w.base**w.min if isinstance(w, widgets.FloatLogSlider) else w.min)
        for k, w in sliders.items()
    }
    high = {
        k: (w.base**w.max if isinstance(w, widgets.FloatLogSlider) else w.max)
        for k, w in sliders.items()
    }
    return {"start": {}, "lowest": low, "highest": high}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_no_text_overlaps_or_leaves_the_figure(name):
    panel = build(name)
    try:
        found = []
        for corner, values in corners(panel).items():
            if values:
                panel.params = values
            for index, fig in enumerate(panel.figures):
                found += [f"{corner}, figure {index}: {p}" for p in problems(fig)]
        assert not found, "\n".join(found[:12])
    finally:
        panel.close()
