"""Tests of helpers.plotting: the Blitter's rules for what reaches the browser.

An Agg canvas stands in for ipympl's: the Blitter reads and sets the same WebAgg flags
(``syncing_data_url``, ``_png_is_old``, ``_force_full``), so their effect is checked here
without a browser; the browser suite checks the pictures themselves.
"""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from helpers import plotting


@pytest.fixture
def figure():
    fig, ax = plotting.new_figure()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0])
    blitter = plotting.Blitter(fig, [line])
    canvas = fig.canvas
    canvas.syncing_data_url = False
    canvas._png_is_old = False
    canvas._force_full = False
    yield fig, line, blitter
    matplotlib.pyplot.close(fig)


def test_no_image_before_the_browser_handshake(figure):
    fig, _, _ = figure
    fig.canvas.syncing_data_url = True
    fig.canvas._png_is_old = True  # what WebAgg sets at the start of every draw
    fig.canvas.draw()
    assert fig.canvas._png_is_old is False  # nothing to send


def test_images_after_the_handshake_are_sent(figure):
    fig, _, _ = figure
    fig.canvas._png_is_old = True
    fig.canvas.draw()
    assert fig.canvas._png_is_old is True


def test_quick_images_go_whole_spaced_ones_as_differences(figure, monkeypatch):
    fig, line, blitter = figure
    clock = iter([100.0, 100.1, 105.0])
    monkeypatch.setattr(plotting.time, "monotonic", lambda: next(clock))
    fig.canvas.draw()  # the first image: nothing before it
    assert fig.canvas._force_full is False
    line.set_ydata([1.0, 0.0])
    blitter.update()  # 0.1 s later: whole
    assert fig.canvas._force_full is True
    fig.canvas._force_full = False  # WebAgg clears it once the image is made
    line.set_ydata([0.5, 0.5])
    blitter.update()  # 4.9 s later: a difference image is safe
    assert fig.canvas._force_full is False
    assert 100.1 - 100.0 < plotting.QUICK_IMAGES_S < 105.0 - 100.1


def test_update_shows_the_new_data(figure):
    fig, line, blitter = figure
    fig.canvas.draw()
    before = blitter.snapshot()
    line.set_ydata([1.0, 0.0])
    after = blitter.snapshot()
    assert np.any(before != after)
