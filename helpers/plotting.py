"""Plot style for the collection: Okabe-Ito colours, unit-labelled axes, two views.

Panels create their figures through :func:`new_figure`, once, and then only update the
artists. Every figure is sized for the view it is shown in: the *laptop* view fits the
notebook's output area in JupyterLab at 1366x768; the *projector* view (the presenter
view, ``make present``) scales the same figure up to fill a 1920x1080 screen, so text,
lines and ticks grow together and the layout stays the one that was checked. The view
comes from the environment variable ``ITP_VIEW`` (``laptop`` or ``projector``; Voila
serving the course sets ``projector``), or from :func:`set_projector`.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from helpers.units import pretty_unit

#: Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colours for the roles quantities play in the plots.
ROLE_COLOURS = {
    "nominal": OKABE_ITO["blue"],
    "band": OKABE_ITO["sky_blue"],
    "alarm": OKABE_ITO["vermillion"],
    "stability": OKABE_ITO["reddish_purple"],
    "refill": OKABE_ITO["bluish_green"],
    "limit": OKABE_ITO["black"],
    "second": OKABE_ITO["orange"],
}

#: Smallest contrast of text against its background: WCAG 2.2 AA for normal text. [-]
TEXT_CONTRAST = 4.5


def contrast_ratio(foreground, background="white"):
    """
    Contrast ratio of two colours as WCAG defines it, 1 (none) to 21 (black on white).

    Parameters
    ----------
    foreground, background : color
        Any Matplotlib colour. [-]

    Returns
    -------
    ratio : float
        (L1 + 0.05) / (L2 + 0.05) of the relative luminances, lighter over darker. [-]

    Examples
    --------
    >>> round(contrast_ratio("black", "white"), 1)
    21.0
    >>> round(contrast_ratio(OKABE_ITO["bluish_green"]), 2)
    3.42

    References
    ----------
    .. [1] W3C, WCAG 2.2, "contrast ratio" and "relative luminance" (definitions).
    """

    def luminance(colour):
        rgb = np.asarray(mcolors.to_rgb(colour))
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ (0.2126, 0.7152, 0.0722))

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(colour, background="white", ratio=TEXT_CONTRAST):
    """
    The colour darkened just enough for text on ``background`` to meet ``ratio``.

    Labels written in the colour of the line they name (``"refill by day 45"`` in the
    refill green) keep the hue and reach WCAG AA contrast.

    Parameters
    ----------
    colour, background : color
        Any Matplotlib colour. [-]
    ratio : float, default :data:`TEXT_CONTRAST`
        Contrast to reach. [-]

    Returns
    -------
    colour : str
        Hex colour; ``colour`` itself when it already has the contrast. [-]

    References
    ----------
    .. [1] W3C, WCAG 2.2, Success Criterion 1.4.3 Contrast (Minimum).

    Examples
    --------
    >>> text_colour(OKABE_ITO["bluish_green"])
    '#008662'
    """
    rgb = np.asarray(mcolors.to_rgb(colour))
    for scale in np.linspace(1.0, 0.0, 101):
        if contrast_ratio(rgb * scale, background) >= ratio:
            return mcolors.to_hex(rgb * scale)
    return "#000000"


#: Colours of safety findings on screen (text labels carry the meaning too).
SEVERITY_COLOURS = {
    "danger": OKABE_ITO["vermillion"],
    "caution": OKABE_ITO["orange"],
    "info": OKABE_ITO["blue"],
}

_BASE = {
    "axes.prop_cycle": mpl.cycler(color=[*list(OKABE_ITO.values())[1:], OKABE_ITO["black"]]),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}

#: Style for a student's screen.
SCREEN = {
    **_BASE,
    "font.size": 11,
    "axes.labelsize": 12,
    "axes.titlesize": 13,
    "lines.linewidth": 2.0,
    "figure.figsize": (8.0, 4.2),
}

#: Style for a projector: the screen style, scaled up as a whole by :func:`figure_dpi`.
PROJECTOR = SCREEN

#: The largest figure the laptop view shows: JupyterLab's output area at 1366x768 with
#: the file browser open is about 930 px wide (less the figure toolbar), and a slider row
#: plus the figure must fit the 650 px tall notebook area. [px]
LAPTOP_FIGURE_PX = (860, 450)

#: The figure size the projector view aims at on a 1920x1080 screen, margins and the
#: controls above the figure left out. [px]
PROJECTOR_FIGURE_PX = (1750, 760)

#: Resolution of the laptop view at its largest (Matplotlib's default). [dot/inch]
LAPTOP_DPI = 100.0

#: Where the view is read from: ``laptop`` or ``projector``. [-]
VIEW_VARIABLE = "ITP_VIEW"

#: Tick labels as plain numbers (0.1, 1, 10) rather than powers of ten, for log axes.
PLAIN_NUMBERS = FuncFormatter(lambda value, _: f"{value:g}")

_state = {"projector": os.environ.get(VIEW_VARIABLE, "laptop").strip().lower() == "projector"}


def set_projector(on=True):
    """
    Show figures made from now on in the projector view (scaled to fill a 1920x1080 screen).

    Parameters
    ----------
    on : bool, default True
        ``True`` for the projector view, ``False`` for the laptop view. [-]

    Returns
    -------
    None
        Nothing, so a notebook cell calling it shows nothing. [-]

    Notes
    -----
    The presenter view
    (``make present``) is in the projector view from the start; ``ITP_VIEW=laptop make
    present`` switches it back.

    References
    ----------
    .. [1] M. Okabe and K. Ito, "Color universal design (CUD): how to make figures and
       presentations that are friendly to colorblind people," 2008.
    """
    _state["projector"] = bool(on)


def projector_view():
    """
    Whether figures are made for the projector view.

    Returns
    -------
    on : bool
        True after ``set_projector(True)`` or with ``ITP_VIEW=projector``. [-]

    References
    ----------
    .. [1] Voila documentation, "Customizing Voila" (kernel environment of the app).
    """
    return _state["projector"]


def figure_dpi(width_in, height_in):
    """
    The resolution that fits a figure to the current view.

    Parameters
    ----------
    width_in, height_in : float
        Figure size. [inch]

    Returns
    -------
    dpi : float
        Laptop view: at most :data:`LAPTOP_DPI`, lower if the figure would be wider or
        taller than :data:`LAPTOP_FIGURE_PX`. Projector view: the resolution that makes the
        figure as large as :data:`PROJECTOR_FIGURE_PX` allows. [dot/inch]

    References
    ----------
    .. [1] Matplotlib documentation, "Figure size in different units" (size = inches x dpi).
    """
    if _state["projector"]:
        return min(PROJECTOR_FIGURE_PX[0] / width_in, PROJECTOR_FIGURE_PX[1] / height_in)
    return min(LAPTOP_DPI, LAPTOP_FIGURE_PX[0] / width_in, LAPTOP_FIGURE_PX[1] / height_in)


def current_style():
    """
    The rc settings new figures use.

    Returns
    -------
    style : dict
        :data:`PROJECTOR` after ``set_projector(True)``, else :data:`SCREEN`. [-]

    References
    ----------
    .. [1] Matplotlib documentation, "Customizing Matplotlib with style sheets and rcParams."
    """
    return PROJECTOR if _state["projector"] else SCREEN


def new_figure(nrows=1, ncols=1, **subplots_kwargs):
    """
    Make a figure for a panel, without displaying it, in the current style.

    Parameters
    ----------
    nrows, ncols : int, default 1
        Grid of axes. [-]
    **subplots_kwargs
        Passed to :func:`matplotlib.pyplot.subplots`. [-]

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure; with ipympl its canvas is a widget to place in a layout. [-]
    axes : matplotlib.axes.Axes or array of Axes
        The axes. [-]

    Notes
    -----
    The figure is created with interactive mode off, so it appears only where the panel
    places its canvas, as ipympl recommends [1]_.

    References
    ----------
    .. [1] ipympl documentation, "Interactions with other widgets and layouting."
    """
    style = current_style()
    width_in, height_in = subplots_kwargs.pop("figsize", style["figure.figsize"])
    subplots_kwargs.setdefault("dpi", figure_dpi(width_in, height_in))
    with mpl.rc_context(style), plt.ioff():
        fig, axes = plt.subplots(
            nrows, ncols, layout="constrained", figsize=(width_in, height_in), **subplots_kwargs
        )
    canvas = fig.canvas
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_position = "right"
    canvas.resizable = False
    return fig, axes


def freeze_layout(fig):
    """
    Lay a figure out once and keep that layout, so that full redraws skip the solver.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure made by :func:`new_figure`, with its labels set. [-]

    Returns
    -------
    fig : matplotlib.figure.Figure
        The same figure, its axes fixed where the layout put them. [-]

    References
    ----------
    .. [1] Matplotlib documentation, "Constrained layout guide" (layout engines).
    """
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    return fig


def round_ceiling(value):
    """
    A round axis limit at or above a value: the top tick of a few round ticks from 0.

    Parameters
    ----------
    value : float
        The largest value the axis must hold. [any unit]

    Returns
    -------
    limit : float
        The top tick :class:`~matplotlib.ticker.MaxNLocator` places for ``[0, value]``
        with at most four intervals of 1, 2, 2.5 or 5 times a power of ten; 1 for a value
        that is not positive. [same unit]

    References
    ----------
    .. [1] Matplotlib documentation, "matplotlib.ticker.MaxNLocator."
    """
    if not value > 0:
        return 1.0
    locator = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])
    return float(locator.tick_values(0.0, value)[-1])


def label(ax, xlabel=None, ylabel=None, title=None):
    """
    Label axes; every label names its unit in brackets, e.g. ``"time [day]"``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to label. [-]
    xlabel, ylabel, title : str, optional
        Labels; the axis labels must end with a unit in brackets. [-]

    Returns
    -------
    ax : matplotlib.axes.Axes
        The same axes. [-]

    Raises
    ------
    ValueError
        If an axis label has no unit in brackets.

    References
    ----------
    .. [1] A. B. Downey, "Think DSP," Green Tea Press, 2016 (the ``decorate`` helper).
    """
    for text in (xlabel, ylabel):
        if text is not None and not text.rstrip().endswith("]"):
            raise ValueError(f"axis label {text!r} has no unit in brackets, e.g. 'time [day]'")
    style = current_style()
    with mpl.rc_context(style):
        if xlabel is not None:
            ax.set_xlabel(pretty_unit(xlabel), fontsize=style["axes.labelsize"])
        if ylabel is not None:
            ax.set_ylabel(pretty_unit(ylabel), fontsize=style["axes.labelsize"])
        if title is not None:
            ax.set_title(pretty_unit(title), fontsize=style["axes.titlesize"])
    return ax


def typeset(fig):
    """
    Write every text of a figure as people read it: µg, µL/h, cm², °C, ±.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A panel's figure, its labels, legends and annotations set. [-]

    Returns
    -------
    fig : matplotlib.figure.Figure
        The same figure; texts in code units (ug, uL, cm2, degC, +-) are rewritten. [-]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019, section 5.
    """
    for text in fig.findobj(mpl.text.Text):
        shown = text.get_text()
        pretty = pretty_unit(shown)
        if pretty != shown:
            text.set_text(pretty)
    for ax in fig.axes:
        legend = ax.get_legend()
        for handle_text in legend.get_texts() if legend is not None else ():
            handle_text.set_text(pretty_unit(handle_text.get_text()))
    return fig


def style_context():
    """
    A context in which new artists take the current style (line widths, fonts).

    Returns
    -------
    context : contextlib.AbstractContextManager
        :func:`matplotlib.rc_context` with :func:`current_style`. [-]

    References
    ----------
    .. [1] Matplotlib documentation, "Customizing Matplotlib with style sheets and rcParams."
    """
    return mpl.rc_context(current_style())


#: Images sent to the browser closer together than this go whole, not as differences. [s]
QUICK_IMAGES_S = 0.25


#: Private attributes of Matplotlib's WebAgg canvas that the fast path sets: whether the
#: next image goes whole, and whether a new image is pending.
WEBAGG_INTERFACE = ("_force_full", "_png_is_old")

#: Private attribute of ipympl's canvas: True until its browser side has said "initialized".
IPYMPL_INTERFACE = ("syncing_data_url",)


def _is_ipympl(canvas):
    return type(canvas).__module__.startswith("ipympl")


#: zlib level of the PNG frames a WebAgg/ipympl canvas sends to the browser. Level 1
#: encodes a panel's frame in about 10 ms instead of 17 ms at Pillow's default (6), for
#: frames a few per cent larger; the kernel runs beside the browser, so size costs little.
#: Opaque whole frames are encoded without their alpha channel (about 1 ms less).
PNG_COMPRESS_LEVEL = 1


@contextlib.contextmanager
def _png_compress_level(level):
    """Pillow's PNG writer at ``level`` unless a caller names one (its SAVE registry)."""
    save = Image.SAVE.get("PNG")
    if save is None:  # a Pillow without the registry: its default level
        yield
        return

    def quick(im, fp, filename, *args, **kwargs):
        im.encoderinfo.setdefault("compress_level", level)
        if im.mode == "RGBA" and im.getchannel("A").getextrema() == (255, 255):
            # A whole frame is opaque: its colour channels alone encode in 3/4 of the time
            # and decode to the same pixels. Difference frames keep their transparency.
            opaque = im.convert("RGB")
            opaque.encoderinfo, opaque.encoderconfig = im.encoderinfo, im.encoderconfig
            im = opaque
        return save(im, fp, filename, *args, **kwargs)

    Image.SAVE["PNG"] = quick
    try:
        yield
    finally:
        Image.SAVE["PNG"] = save


def quick_png_frames(canvas, level=PNG_COMPRESS_LEVEL):
    """
    Make a WebAgg/ipympl canvas encode the frames it sends at a fast zlib level.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
        The canvas; its ``get_diff_image`` is wrapped once. [-]
    level : int, default :data:`PNG_COMPRESS_LEVEL`
        zlib compression level, 0 to 9. [-]

    Returns
    -------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
        The same canvas. [-]

    References
    ----------
    .. [1] Pillow documentation, "Image file formats: PNG" (``compress_level``).
    """
    original = canvas.get_diff_image
    if getattr(original, "quick_png", False):
        return canvas

    def get_diff_image():
        with _png_compress_level(level):
            return original()

    get_diff_image.quick_png = True
    canvas.get_diff_image = get_diff_image
    return canvas


def reuse_unchanged_render(canvas):
    """
    Make a WebAgg/ipympl canvas answer its browser's request for a picture of an unchanged
    figure with the last picture, instead of rendering the figure again.

    A browser showing an ipympl figure asks for it twice while the page loads (after its
    first ``refresh``, and again after the kernel acknowledged its ``initialized``): the
    second full render of each figure (80-250 ms at projector size) repeated the first.
    When the figure is not stale and the renderer already has the figure's size and dpi,
    the renderer holds what the student last saw (the last full draw, or the last blit of
    the changing artists over it), and that is sent again as a whole image. Draws the
    kernel asks for itself (``canvas.draw()``) always render.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
        The canvas; its ``handle_draw`` (the browser's request) is wrapped once. [-]

    Returns
    -------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
        The same canvas. [-]

    References
    ----------
    .. [1] Matplotlib API, ``matplotlib.artist.Artist.stale`` ("whether the artist is
       'stale' and needs to be re-drawn for the output to match the internal state").
    """
    original = canvas.handle_draw
    if getattr(original, "reuses_render", False):
        return canvas

    def handle_draw(event):
        size = (*canvas.get_width_height(physical=True), canvas.figure.dpi)
        unchanged = (
            not canvas.figure.stale
            and getattr(canvas, "_lastKey", None) == size
            and getattr(canvas, "renderer", None) is not None
            and canvas.manager is not None
            and not canvas.is_saving()
        )
        if not unchanged:
            original(event)
            return
        canvas._png_is_old = True
        canvas._force_full = True
        canvas.manager.refresh_all()

    handle_draw.reuses_render = True
    canvas.handle_draw = handle_draw
    return canvas


def fast_redraw_problem(canvas):
    """
    Why a canvas cannot take the Blitter's fast path, or ``None`` if it can.

    Parameters
    ----------
    canvas : matplotlib.backend_bases.FigureCanvasBase
        The figure's canvas. [-]

    Returns
    -------
    problem : str or None
        A sentence naming what is missing; ``None`` for an Agg canvas (plain, WebAgg or
        ipympl) with every private attribute the fast path needs. [-]

    Notes
    -----
    Matplotlib declares ``supports_blit = False`` for the WebAgg family, and the flags the
    fast path sets are private; a Matplotlib or ipympl release that renames them would
    bring back the "figure never appears" and "stale frame" faults silently, so the
    Blitter checks them here and falls back to plain ``draw_idle`` redraws [1]_.

    References
    ----------
    .. [1] Matplotlib documentation, "Faster rendering by using blitting."
    """
    if not isinstance(canvas, FigureCanvasAgg):
        return f"{type(canvas).__name__} does not render with Agg"
    needed = ()
    if isinstance(canvas, FigureCanvasWebAggCore):
        needed += WEBAGG_INTERFACE
    if _is_ipympl(canvas):
        needed += IPYMPL_INTERFACE
    missing = [name for name in needed if not hasattr(canvas, name)]
    if missing:
        return (
            f"{type(canvas).__module__}.{type(canvas).__name__} lacks {', '.join(missing)} "
            f"(Matplotlib {mpl.__version__})"
        )
    return None


class Blitter:
    """
    Redraw only the artists that change, over a cached image of everything else.

    A full draw renders axes, ticks, grid and legend and caches that background; each
    update then restores the background, draws the changing artists onto it and sends
    the result (with ipympl, only the changed pixels reach the browser). A full draw
    happens again when something static changes (e.g. an axis limit), after the figure
    was saved to a file and after its dpi changed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure. [-]
    artists : iterable of matplotlib.artist.Artist
        The artists that change on updates. [-]

    Warns
    -----
    RuntimeWarning
        If an interactive canvas lacks what the fast path needs
        (:func:`fast_redraw_problem`); updates then use plain ``draw_idle`` redraws.

    Notes
    -----
    This is Matplotlib's blitting pattern [1]_, with the background re-captured on every
    full on-screen draw so that a browser refresh or resize never loses the changing
    artists. Saving the figure (``savefig`` to PNG, PDF or SVG, at any dpi) draws the
    changing artists into the file and captures no background.

    References
    ----------
    .. [1] Matplotlib documentation, "Faster rendering by using blitting."
    """

    def __init__(self, fig, artists):
        self.fig = fig
        self.artists = list(artists)
        self._background = None
        self._background_dpi = None
        self._last_image_s = -np.inf
        self._cid = None
        canvas = fig.canvas
        self._webagg = isinstance(canvas, FigureCanvasWebAggCore)
        self._ipympl = _is_ipympl(canvas)
        self.problem = fast_redraw_problem(canvas)
        self.enabled = self.problem is None
        if not self.enabled:
            if self._webagg or self._ipympl:
                warnings.warn(
                    f"fast redraw is off: {self.problem}; figures are redrawn whole instead",
                    RuntimeWarning,
                    stacklevel=2,
                )
            return
        for artist in self.artists:
            artist.set_animated(True)
        self._cid = canvas.mpl_connect("draw_event", self._on_draw)
        if self._webagg:
            quick_png_frames(canvas)
            reuse_unchanged_render(canvas)

    def _syncing(self):
        """Whether ipympl still waits for its browser's handshake."""
        return self._ipympl and self.fig.canvas.syncing_data_url

    def _whole_if_quick(self):
        """
        Send the next image whole if the previous one left moments ago.

        ipympl's browser side loads one image at a time: an image that arrives while the
        previous one is still loading replaces it, and a later difference image drawn over
        the older picture leaves a stale frame. Images in quick succession (a slider held
        down or dragged) are therefore sent whole, so a dropped one is always superseded;
        a PNG decodes in milliseconds, far inside :data:`QUICK_IMAGES_S`.
        """
        now = time.monotonic()
        if self._webagg and now - self._last_image_s < QUICK_IMAGES_S:
            self.fig.canvas._force_full = True  # Matplotlib's WebAgg switch for a whole image
        self._last_image_s = now

    def _on_draw(self, event):
        canvas = self.fig.canvas
        if canvas.is_saving() or not isinstance(event.renderer, RendererAgg):
            # savefig: the file gets the changing artists too, and its renderer (another
            # dpi, or PDF or SVG) is no background for the screen.
            for artist in self.artists:
                if artist.get_visible():
                    artist.draw(event.renderer)
            self._background = None
            return
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        self._background_dpi = self.fig.dpi
        self._draw_artists()
        if self._syncing():
            # Before its browser handshake ipympl 0.10 sends the raw pixels in place of the
            # PNG; the browser cannot decode them and never sizes the figure. Send nothing:
            # after the handshake the browser asks for a whole image.
            canvas._png_is_old = False  # Matplotlib's WebAgg flag: no new image to send
            return
        self._whole_if_quick()

    def _draw_artists(self):
        for artist in self.artists:
            (artist.axes or artist.figure).draw_artist(artist)  # a figure title has no axes

    def _draw_everything(self):
        """
        A full draw: at once once a browser shows the figure (and with Agg); before that,
        ipympl is only asked to draw, and its browser asks for the image after the handshake.
        """
        canvas = self.fig.canvas
        if self._syncing():
            canvas.draw_idle()
        else:
            canvas.draw()

    def full_redraw(self):
        """Draw everything again, e.g. after an axis limit changed; re-caches the background."""
        self._background = None
        if self.enabled:
            self._draw_everything()
        else:
            self.fig.canvas.draw_idle()

    def update(self):
        """Show the current state of the changing artists."""
        canvas = self.fig.canvas
        if not self.enabled:
            canvas.draw_idle()
            return
        stale = self._background is None or self._background_dpi != self.fig.dpi
        if stale or self._syncing():
            # No usable background (none yet, a dpi change, a savefig), or no browser shows
            # the figure yet: nothing may be sent to ipympl before its browser handshake.
            self._draw_everything()
            return
        canvas.restore_region(self._background)
        self._draw_artists()
        self._whole_if_quick()
        canvas.blit(self.fig.bbox)

    def stop(self):
        """Draw the changing artists in ordinary full draws again (inline output)."""
        if self._cid is not None:
            self.fig.canvas.mpl_disconnect(self._cid)
            self._cid = None
        for artist in self.artists:
            artist.set_animated(False)
        self.artists = []
        self.enabled = False

    def snapshot(self):
        """An RGBA array of the figure as the student sees it. [-]"""
        if self.enabled:
            self.update()
        else:
            self.fig.canvas.draw()
        return np.asarray(self.fig.canvas.buffer_rgba()).copy()
