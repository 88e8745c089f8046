"""Tests of helpers.plotting: the Blitter on a real ipympl canvas, and its fall-backs.

The figures here live on ``ipympl.backend_nbagg.Canvas``, the canvas students and
instructors use; the browser's handshake is the ``initialized`` message its front end
sends, and the images it would receive are counted instead of sent.
"""

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from ipympl import backend_nbagg
from matplotlib.figure import Figure
from PIL import Image

from helpers import plotting

# Importing ipympl's backend module makes it pyplot's backend; the other test modules'
# figures stay on Agg.
matplotlib.use("Agg")

FIGURE_NUMBERS = iter(range(1000, 100000))


def ipympl_figure():
    """A figure on ipympl's canvas, with one line that changes."""
    fig = Figure(figsize=(4.0, 3.0), dpi=100)
    canvas = backend_nbagg.Canvas(fig)
    backend_nbagg.FigureManager(canvas, next(FIGURE_NUMBERS))
    ax = fig.add_subplot()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0], lw=4, color="#0072B2")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return fig, line


def connect_browser(fig):
    """Complete ipympl's handshake; return the list the sent image buffers go to."""
    sent = []
    fig.canvas._handle_message(None, {"type": "initialized"}, [])
    fig.canvas.send = lambda content, buffers=None: sent.append(buffers)
    return sent


@pytest.fixture
def figure():
    fig, line = ipympl_figure()
    blitter = plotting.Blitter(fig, [line])
    return fig, line, blitter


def full_render(fig):
    """The figure saved to PNG at its screen dpi: everything drawn, changing artists too."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return np.asarray(Image.open(buffer).convert("RGBA"))


def full_draw(blitter):
    """The canvas after a full on-screen draw of the current state."""
    blitter.full_redraw()
    return np.asarray(blitter.fig.canvas.buffer_rgba()).copy()


def test_real_ipympl_canvas_has_the_interface_the_fast_path_needs():
    # Fails loudly when a Matplotlib or ipympl upgrade renames the private flags.
    fig, _ = ipympl_figure()
    assert plotting.fast_redraw_problem(fig.canvas) is None
    assert fig.canvas.syncing_data_url is True  # no browser yet


def test_no_image_before_the_browser_handshake(figure):
    fig, _, _ = figure
    fig.canvas.draw()
    assert fig.canvas._png_is_old is False  # nothing to send before the handshake


def test_images_after_the_handshake_are_sent(figure):
    fig, line, blitter = figure
    sent = connect_browser(fig)
    fig.canvas.draw()
    line.set_ydata([1.0, 0.0])
    before = len(sent)
    blitter.update()
    assert len(sent) > before


def test_quick_images_go_whole_spaced_ones_as_differences(figure, monkeypatch):
    fig, line, blitter = figure
    connect_browser(fig)
    clock = iter([100.0, 100.1, 105.0])
    monkeypatch.setattr(plotting.time, "monotonic", lambda: next(clock))
    fig.canvas._force_full = False
    fig.canvas.draw()  # the first image: nothing before it
    assert fig.canvas._force_full is False
    fig.canvas.send = lambda content, buffers=None: None
    line.set_ydata([1.0, 0.0])
    fig.canvas._force_full = False
    monkeypatch.setattr(fig.canvas, "blit", lambda bbox=None: None)  # keep the flag visible
    blitter.update()  # 0.1 s later: whole
    assert fig.canvas._force_full is True
    fig.canvas._force_full = False  # WebAgg clears it once the image is made
    line.set_ydata([0.5, 0.5])
    blitter.update()  # 4.9 s later: a difference image is safe
    assert fig.canvas._force_full is False
    assert 100.1 - 100.0 < plotting.QUICK_IMAGES_S < 105.0 - 100.1


def test_update_shows_the_new_data(figure):
    fig, line, blitter = figure
    connect_browser(fig)
    fig.canvas.draw()
    before = blitter.snapshot()
    line.set_ydata([1.0, 0.0])
    after = blitter.snapshot()
    assert np.any(before != after)
    np.testing.assert_array_equal(after, full_draw(blitter))


@pytest.mark.parametrize("file_format", ["png", "pdf", "svg"])
@pytest.mark.parametrize("dpi", [72, 200])
def test_savefig_then_slider_move_draws_the_right_frame(figure, file_format, dpi):
    fig, line, blitter = figure
    connect_browser(fig)
    fig.canvas.draw()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=file_format, dpi=dpi)  # no error on any renderer
    assert buffer.getbuffer().nbytes > 0
    line.set_ydata([1.0, 0.0])  # the slider moves after the save
    frame = blitter.snapshot()
    assert frame.shape == (300, 400, 4)  # the screen's dpi, not the file's
    np.testing.assert_array_equal(frame, full_draw(blitter))


def test_saved_png_holds_the_changing_line(figure):
    fig, line, _ = figure
    connect_browser(fig)
    fig.canvas.draw()
    with_line = full_render(fig)
    line.set_visible(False)
    without = full_render(fig)
    assert np.any(with_line != without)


def test_saved_svg_holds_the_changing_line(figure):
    fig, line, _ = figure
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    line.set_visible(False)
    hidden = io.StringIO()
    fig.savefig(hidden, format="svg")
    assert buffer.getvalue().count("<path") > hidden.getvalue().count("<path")


def test_dpi_change_forces_a_full_draw(figure):
    fig, line, blitter = figure
    connect_browser(fig)
    fig.canvas.draw()
    fig.set_dpi(150)
    line.set_ydata([1.0, 0.0])
    frame = blitter.snapshot()
    assert frame.shape == (450, 600, 4)
    np.testing.assert_array_equal(frame, full_draw(blitter))


def test_stop_disconnects_the_draw_callback(figure, monkeypatch):
    fig, line, blitter = figure
    calls = []
    monkeypatch.setattr(blitter, "_on_draw", lambda event: calls.append(event))
    blitter.stop()
    fig.canvas.draw()
    assert calls == []
    assert not line.get_animated()


def test_missing_private_interface_warns_and_falls_back_to_draw_idle(monkeypatch):
    fig, line = ipympl_figure()
    # As if an upgrade renamed the flag: the canvas lacks the name the fast path needs.
    monkeypatch.setattr(plotting, "WEBAGG_INTERFACE", ("_force_full_image", "_png_is_old"))
    with pytest.warns(RuntimeWarning, match="_force_full_image"):
        blitter = plotting.Blitter(fig, [line])
    assert not blitter.enabled
    assert not line.get_animated()  # drawn by ordinary full draws
    requested = []
    fig.canvas.draw_idle = lambda: requested.append(True)
    line.set_ydata([1.0, 0.0])
    blitter.update()
    assert requested == [True]


def test_plain_agg_canvas_blits_without_a_warning():
    fig, ax = plotting.new_figure()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        blitter = plotting.Blitter(fig, [line])
    assert blitter.enabled
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("value", [0.7, 1.0, 2.5, 7.0, 12.0, 4500.0, 77000.0])
def test_round_ceiling_holds_the_value_on_a_round_tick(value):
    limit = plotting.round_ceiling(value)
    assert value <= limit <= 2.0 * value
    mantissa = limit / 10 ** np.floor(np.log10(limit))
    assert any(np.isclose(mantissa, m) for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0))


def test_round_ceiling_of_nothing_is_one():
    assert plotting.round_ceiling(0.0) == plotting.round_ceiling(-3.0) == 1.0


def test_live_frames_are_encoded_at_the_fast_png_level_and_still_decode():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

    from helpers.plotting import PNG_COMPRESS_LEVEL, quick_png_frames

    seen = []
    fig = Figure()
    canvas = FigureCanvasWebAggCore(fig)
    original_save = Image.SAVE["PNG"]

    def spy(im, fp, filename, *args, **kwargs):
        seen.append(im.encoderinfo.get("compress_level"))
        return original_save(im, fp, filename, *args, **kwargs)

    Image.SAVE["PNG"] = spy
    try:
        quick_png_frames(canvas)
        FigureCanvasAgg.draw(canvas)  # render only: no browser manager to notify
        canvas._png_is_old = True
        frame = canvas.get_diff_image()
    finally:
        Image.SAVE["PNG"] = original_save
    assert PNG_COMPRESS_LEVEL in seen
    assert Image.open(io.BytesIO(frame)).size == canvas.get_width_height()
    assert Image.SAVE["PNG"] is original_save  # the registry is left as it was


def test_opaque_live_frames_drop_alpha_and_decode_to_the_same_pixels():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

    from helpers.plotting import quick_png_frames

    fig = Figure(figsize=(3, 2), dpi=50)
    fig.add_subplot().plot([0, 1], [1, 0])
    canvas = quick_png_frames(FigureCanvasWebAggCore(fig))
    FigureCanvasAgg.draw(canvas)
    canvas._png_is_old, canvas._force_full = True, True
    whole = Image.open(io.BytesIO(canvas.get_diff_image()))
    assert whole.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(whole), np.asarray(canvas.buffer_rgba())[..., :3])
    # A difference frame (nothing changed: all transparent) keeps its alpha channel.
    FigureCanvasAgg.draw(canvas)
    canvas._png_is_old = True
    difference = Image.open(io.BytesIO(canvas.get_diff_image()))
    assert difference.mode == "RGBA"
    assert np.asarray(difference)[..., 3].max() == 0


def test_a_second_request_for_an_unchanged_figure_resends_the_picture_without_rendering(
    figure,
):
    """The browser asks twice while a page loads; the figure is rendered once."""
    fig, line, blitter = figure
    sent = connect_browser(fig)
    renders = []
    fig.canvas.mpl_connect("draw_event", lambda event: renders.append(event))

    def browser_asks():
        fig.canvas._handle_message(None, {"type": "refresh"}, [])
        fig.canvas._handle_message(None, {"type": "draw"}, [])
        images = [buffers for buffers in sent if buffers]
        return Image.open(io.BytesIO(images[-1][0])), len(images)

    first, count = browser_asks()
    again, count_again = browser_asks()
    assert len(renders) == 1 and count_again == count + 1
    np.testing.assert_array_equal(np.asarray(first), np.asarray(again))
    # A slider moved: the changing line is blitted; asked again, the browser gets it.
    line.set_ydata([1.0, 0.0])
    blitter.update()
    moved, _ = browser_asks()
    assert len(renders) == 1
    np.testing.assert_array_equal(
        np.asarray(moved.convert("RGBA")), np.asarray(fig.canvas.buffer_rgba())
    )
    assert not np.array_equal(np.asarray(moved), np.asarray(first))
    # Something static changed (an axis re-ranged), or the browser resized: rendered.
    fig.axes[0].set_xlim(0, 2)
    browser_asks()
    assert len(renders) == 2
    fig.canvas._handle_message(None, {"type": "resize", "width": 300, "height": 200}, [])
    browser_asks()
    assert len(renders) == 3
    # The kernel's own draws always render.
    fig.canvas.draw()
    assert len(renders) == 4
