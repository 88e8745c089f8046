"""What a student does in the browser, and what the tests assert about it.

Shared by the JupyterLab and the Voila tests: find the panels, move every slider with the
keyboard, change every dropdown, and check that the readouts and the figure pixels follow.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

OUTPUT = ".jp-OutputArea-output"
CANVAS = ".jupyter-matplotlib-canvas-div canvas"
READOUT = ".widget-html"
TEXT_REPR = re.compile(r"\b(VBox|HBox|Canvas|FloatSlider|FloatLogSlider|Dropdown|HTML)\(")
ERROR_MIMES = ("application/vnd.jupyter.error", "application/vnd.jupyter.stderr")

#: Console messages that only say this machine is offline.
HARMLESS_CONSOLE = ("net::ERR_", "Failed to load resource", "ERR_NAME_NOT_RESOLVED")

#: Watches the first (image) canvas of a figure: resolves with the milliseconds from the
#: next key press to the first frame whose pixels differ, or -1 after 10 s.
_WATCH = """canvas => {
  const ctx = canvas.getContext('2d');
  const digest = () => {
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 8) h = (h * 31 + d[i] + 3 * d[i + 1] + 7 * d[i + 2]) | 0;
    return h;
  };
  const before = digest();
  let pressed = null;
  document.addEventListener('keydown', () => { pressed = performance.now(); },
                            {capture: true, once: true});
  const started = performance.now();
  window.__itpWatch = new Promise(resolve => {
    const tick = () => {
      if (pressed !== null && digest() !== before) return resolve(performance.now() - pressed);
      if (performance.now() - started > 10000) return resolve(-1);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""

_DIGEST = """canvas => {
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 8) h = (h * 31 + d[i] + 3 * d[i + 1] + 7 * d[i + 2]) | 0;
  return h;
}"""


_METHOD = re.compile(r'"method": ?"(\w+)"')
_COMM = re.compile(r'"comm_id": ?"(\w+)"')
_VALUE = re.compile(r'"state": ?\{"value": ?([-+0-9.eE]+)\}')


def record_value_messages(page):
    """
    Record the widget ``value`` messages between the page and its kernel, as they pass.

    Returns a list that fills with ``(direction, method, comm_id, value)``: direction
    ``"sent"`` (browser to kernel) or ``"received"``, method ``"update"`` or
    ``"echo_update"``. Works on both framings of the kernel websocket (JSON text, binary).
    """
    messages = []

    def watch(direction):
        def on_frame(payload):
            data = payload if isinstance(payload, bytes) else payload.encode()
            text = data.decode("latin-1")
            method, comm, value = _METHOD.search(text), _COMM.search(text), _VALUE.search(text)
            if method and comm and value:
                messages.append((direction, method[1], comm[1], float(value[1])))

        return on_frame

    def on_websocket(socket):
        socket.on("framesent", watch("sent"))
        socket.on("framereceived", watch("received"))

    page.on("websocket", on_websocket)
    return messages


def collect_console_errors(page):
    """A list that fills with the page's console errors, except offline-network noise."""
    errors = []

    def on_message(message):
        if message.type == "error" and not any(h in message.text for h in HARMLESS_CONSOLE):
            errors.append(message.text)

    page.on("console", on_message)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    return errors


def assert_clean_outputs(page):
    """No error or stderr output, no broken widget, no widget printed as its text repr."""
    for mime in ERROR_MIMES:
        bad = page.locator(f"{OUTPUT}[data-mime-type='{mime}']")
        assert bad.count() == 0, f"{mime} output: {bad.first.inner_text()[:500]}"
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.get_by_text("There was an error when executing cell").count() == 0
    for text in page.locator(f"{OUTPUT} pre").all_inner_texts():
        assert not TEXT_REPR.search(text), f"a widget is shown as text: {text[:200]}"


def panels(page):
    """Output areas that hold a live figure: one per panel."""
    return page.locator(OUTPUT).filter(has=page.locator(CANVAS))


def readout_text(panel):
    """Everything the panel's readouts and warnings say."""
    return "\n".join(panel.locator(READOUT).all_text_contents())


def _wait_for_readout_change(panel, before, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if readout_text(panel) != before:
            return True
        time.sleep(0.05)
    return False


def press_and_time(page, panel, key):
    """Press ``key`` on the focused control; return ms until the figure's pixels changed."""
    canvas = panel.locator(CANVAS).first
    canvas.evaluate(_WATCH)
    page.keyboard.press(key)
    return page.evaluate("window.__itpWatch")


def move_every_slider(page, panel, presses=3):
    """
    Move each slider of a panel with the keyboard and check that readouts and pixels follow.

    Returns the latencies (ms, key press to changed pixels) of every press.
    """
    latencies = []
    handles = panel.locator(".widget-hslider .noUi-handle")
    assert handles.count() > 0, "a panel without sliders"
    for index in range(handles.count()):
        handle = handles.nth(index)
        if handle.evaluate("h => h.closest('[disabled]') !== null"):
            continue  # greyed out until another control enables it
        handle.scroll_into_view_if_needed()
        for _ in range(presses):
            now = float(handle.get_attribute("aria-valuenow"))
            top = float(handle.get_attribute("aria-valuemax"))
            key = "ArrowLeft" if now >= top - 1e-9 else "ArrowRight"
            before = readout_text(panel)
            handle.focus()
            latency = press_and_time(page, panel, key)
            if latency < 0:
                label = handle.evaluate("h => h.closest('.widget-slider').innerText")
                moved = handle.get_attribute("aria-valuenow")
                changed = "changed" if readout_text(panel) != before else "unchanged"
                raise AssertionError(
                    f"slider {index} ({' '.join(label.split())}): the figure did not change "
                    f"within 10 s of {key} (slider position {now} -> {moved}, readouts "
                    f"{changed})"
                )
            assert _wait_for_readout_change(panel, before), f"slider {index}: readout unchanged"
            latencies.append(latency)
    return latencies


def change_every_dropdown(panel):
    """Choose another option in each dropdown; readouts and pixels must change."""
    selects = panel.locator(".widget-dropdown select")
    canvas = panel.locator(CANVAS).first
    for index in range(selects.count()):
        select = selects.nth(index)
        # A menu can change the other controls (a drug's range, a menu greyed out); each
        # menu is read only once the kernel's replies to the last change have all arrived.
        _wait_until_settled(panel, canvas)
        if select.is_disabled():
            continue  # greyed out: it does not apply to the current choice
        select.scroll_into_view_if_needed()
        options = select.locator("option")
        current = select.evaluate("s => s.selectedIndex")
        before_text, before_pixels = readout_text(panel), canvas.evaluate(_DIGEST)
        select.select_option(index=1 if current == 0 else 0)
        assert _wait_for_readout_change(panel, before_text), f"dropdown {index}: readout unchanged"
        assert _wait_for_pixels(canvas, before_pixels), f"dropdown {index}: figure unchanged"
        assert options.count() > 1


def _wait_until_settled(panel, canvas, quiet_s=0.6, timeout_s=10.0):
    """Wait until the readouts, the pixels and the disabled menus stay unchanged ``quiet_s``."""

    def state():
        disabled = panel.locator(".widget-dropdown select").evaluate_all(
            "ss => ss.map(s => s.disabled)"
        )
        return readout_text(panel), canvas.evaluate(_DIGEST), disabled

    deadline = time.monotonic() + timeout_s
    last, since = state(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = state()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def _wait_for_pixels(canvas, before, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if canvas.evaluate(_DIGEST) != before:
            return True
        time.sleep(0.05)
    return False


def flip_every_toggle(panel):
    """Click each checkbox and toggle button once; readouts and pixels must change."""
    toggles = panel.locator(
        ".widget-checkbox input, .widget-toggle-button, .widget-toggle-buttons button"
    )
    canvas = panel.locator(CANVAS).first
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        if "mod-active" in (toggle.get_attribute("class") or ""):
            continue  # the chosen button of a group: clicking it changes nothing
        if toggle.is_disabled():
            continue  # greyed out: it does not apply to the current choice
        toggle.scroll_into_view_if_needed()
        before_text, before_pixels = readout_text(panel), canvas.evaluate(_DIGEST)
        toggle.click()
        assert _wait_for_readout_change(panel, before_text), f"toggle {index}: readout unchanged"
        deadline = time.monotonic() + 10
        while canvas.evaluate(_DIGEST) == before_pixels and time.monotonic() < deadline:
            time.sleep(0.05)
        assert canvas.evaluate(_DIGEST) != before_pixels, f"toggle {index}: figure unchanged"


def _wait_for_text(locator, text, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while text not in locator.inner_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    return text in locator.inner_text()


def answer_every_exercise(page):
    """Type a wrong answer in each exercise and press Check: feedback must appear; then
    reveal the solution."""
    boxes = page.locator(OUTPUT).filter(has=page.get_by_role("button", name="Show solution"))
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.scroll_into_view_if_needed()
        box.locator(".widget-text input").fill("0")
        box.get_by_role("button", name="Check").click()
        assert _wait_for_text(box, "Try again"), f"exercise {index}: no feedback"
        box.get_by_role("button", name="Show solution").click()
        assert _wait_for_text(box, "Solution:"), f"exercise {index}: no solution shown"


def wait_until_stable(page, selector, seconds=2.0, timeout_s=120.0):
    """Wait until the number of elements matching ``selector`` stops changing."""
    deadline = time.monotonic() + timeout_s
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = page.locator(selector).count()
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return count
        time.sleep(0.1)
    raise AssertionError(f"{selector} kept changing for {timeout_s} s")


def open_voila(page, server, name):
    """Open notebook ``name`` in Voila (``server``: base URL and token) and wait until its
    cells have run and its widgets stopped appearing."""
    base, token = server
    page.goto(f"{base}/voila/render/{name}?token={token}")
    page.locator("#loading").wait_for(state="hidden", timeout=180_000)
    wait_until_stable(page, ".jupyter-widgets, .jupyter-matplotlib")


def wait_for_canvas(page, panel, timeout_ms=30_000):
    """Wait until the panel's figure has been sized and drawn by the browser."""
    canvas = panel.locator(CANVAS).first
    canvas.scroll_into_view_if_needed()
    page.wait_for_function(
        "c => c.width > 0 && c.height > 0", arg=canvas.element_handle(), timeout=timeout_ms
    )


def use_every_control(page, record, app, name):
    """Every panel's sliders, dropdowns and toggles, then every exercise; no errors after."""
    found = panels(page)
    for index in range(found.count()):
        panel = found.nth(index)
        try:
            wait_for_canvas(page, panel)
        except PlaywrightTimeout:
            shot = f"artifacts/browser/FAILED-{app}-{name}-panel{index + 1}.png"
            page.screenshot(path=shot, full_page=True)
            sizes = panel.locator(CANVAS).evaluate_all("cs => cs.map(c => [c.width, c.height])")
            raise AssertionError(
                f"panel {index + 1}: its figure was never drawn (canvas sizes {sizes}); see {shot}"
            ) from None
        record(app, name, index + 1, move_every_slider(page, panel))
        change_every_dropdown(panel)
        flip_every_toggle(panel)
    answer_every_exercise(page)
    assert_clean_outputs(page)


#: Screens the course is checked on: a student's laptop, an instructor's projector. [px]
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}

#: Plain-text outputs: a Python value shown as its repr, or printed text. The presenter
#: view shows headings, text, panels and sentences (HTML or Markdown) only.
BARE_MIMES = ("text/plain", "application/vnd.jupyter.stdout")

#: Smallest text in the presenter view: readable from the back of a room at 1080p. [px]
PROJECTOR_TEXT_PX = 20

#: Room left under a slider for the top of its figure on the laptop screen. [px]
FIGURE_TOP_PX = 40

_TEXT_SIZES = """els => els.filter(e => e.offsetParent !== null && e.textContent.trim())
  .map(e => [parseFloat(getComputedStyle(e).fontSize), e.className,
             e.textContent.trim().slice(0, 40)])"""


def assert_no_bare_reprs(page):
    """Fail on any output that is plain text (a bare Python repr or printed text)."""
    for mime in BARE_MIMES:
        bare = page.locator(f"{OUTPUT}[data-mime-type='{mime}']")
        texts = [t.strip()[:120] for t in bare.all_inner_texts() if t.strip()]
        assert not texts, f"plain {mime} output in the presenter view: {texts[:5]}"


def assert_projector_text_and_figures(page):
    """Readouts, labels and slider values at 20 px or more; figures wide, none too wide."""
    selector = ".widget-readout, .widget-label, .widget-html-content, .jp-RenderedHTMLCommon p"
    sizes = page.locator(selector).evaluate_all(_TEXT_SIZES)
    small = [s for s in sizes if s[0] < PROJECTOR_TEXT_PX]
    assert not small, f"text under {PROJECTOR_TEXT_PX} px in the presenter view: {small[:5]}"
    sizes = page.locator(".jupyter-matplotlib-figure").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
    )
    screen = page.viewport_size
    assert all(w <= screen["width"] for w, _ in sizes), f"figure wider than the screen: {sizes}"
    small = [(w, h) for w, h in sizes if w < 0.45 * screen["width"] and h < 0.6 * screen["height"]]
    assert not small, f"figure using neither the width nor the height of the screen: {small}"


def laptop_layout_problems(page):
    """
    Per panel: a figure wider than its output area, or a slider farther above its figure
    than the notebook area is tall (the student cannot see both while dragging).
    """
    problems = []
    notebook_height = page.locator(".jp-NotebookPanel-notebook").first.bounding_box()["height"]
    found = panels(page)
    for index in range(found.count()):
        panel = found.nth(index)
        area = panel.bounding_box()
        figures = panel.locator(".jupyter-matplotlib-figure").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [r.top + window.scrollY, r.width]; })"
        )
        sliders = panel.locator(".widget-slider").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().top + window.scrollY)"
        )
        for _top, width in figures:
            if width > area["width"] + 1:
                problems.append(f"panel {index + 1}: figure {width:.0f} px in {area['width']:.0f}")
        if figures and sliders:
            reach = figures[0][0] + FIGURE_TOP_PX - min(sliders)
            if reach > notebook_height:
                problems.append(
                    f"panel {index + 1}: first slider {reach:.0f} px above its figure's top,"
                    f" notebook area {notebook_height:.0f} px"
                )
    return problems


# --- accessibility ----------------------------------------------------------------------------

#: axe-core, installed from npm by ``make test`` (package.json, package-lock.json).
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

#: Impacts that fail a test; moderate and minor ones are listed in the report.
AXE_FAILING = ("critical", "serious")

#: JupyterLab's code editors (CodeMirror, unnamed text boxes): JupyterLab's, not the
#: course's; Voila shows no code.
NOT_COURSE = (".jp-InputArea-editor",)

#: What the course shows inside JupyterLab: its text and its outputs (panels, exercises).
#: The notebook's own machinery (the cell list, code editors, the buttons of collapsed
#: cells) belongs to JupyterLab.
LAB_COURSE = (
    ".jp-NotebookPanel-notebook .jp-RenderedMarkdown",
    ".jp-NotebookPanel-notebook .jp-OutputArea",
)

_AXE_RUN = """async ([scope, exclude]) => {
  const include = scope ? scope.flatMap(s => [...document.querySelectorAll(s)]) : [document];
  const context = {include: include, exclude: exclude.map(s => [s])};
  const result = await axe.run(context, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""


def axe_violations(page, scope=None):
    """
    axe-core's violations on the page (or inside the elements the selectors of ``scope``
    select), leaving out :data:`NOT_COURSE`.

    Returns a list of dicts: ``id``, ``impact``, ``help``, ``count``, ``targets``.
    """
    if not AXE_JS.exists():
        raise AssertionError(
            f"axe-core is missing ({AXE_JS}); `make test` installs it with `npm ci`"
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN, [list(scope) if scope else None, list(NOT_COURSE)])


def assert_accessible(page, record, app, name, scope=None):
    """No critical or serious axe-core violation; the others are recorded for the report."""
    violations = axe_violations(page, scope)
    record(app, name, violations)
    failing = [v for v in violations if v["impact"] in AXE_FAILING]
    assert not failing, f"{app} {name}: axe-core violations {failing}"


#: Elements a keyboard user must be able to reach: the course's controls and links.
CONTROLS = (
    ".noUi-handle, .widget-readout[contenteditable='true'], select, input:not([type=hidden]),"
    " button, textarea, summary, a[href]"
)

_REACHABLE = """sel => [...document.querySelectorAll(sel)].filter(e => {
  if (e.closest('[aria-hidden="true"], [inert]') || e.disabled) return false;
  if (e.getAttribute('tabindex') === '-1') return false;
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
}).map((e, i) => { e.dataset.itpControl = String(i); return i; }).length"""

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  return {
    control: e.dataset.itpControl ?? null,
    figure: !!e.closest('.jupyter-matplotlib-canvas-div'),
    tag: e.tagName,
    type: e.type || '',
    cls: (e.className || '').toString().slice(0, 60),
    ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
  };
}"""


def tab_walk(page, key="Tab", limit=600):
    """
    Press ``key`` from the top (or the bottom, for Shift+Tab) until the focus leaves the page;
    return the focused elements in order, as dicts (``control`` index or None, ``figure``).
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    stops, repeats = [], 0
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            break
        same = (
            stops
            and focused["control"] == stops[-1]["control"]
            and focused["tag"] == stops[-1]["tag"]
        )
        if same and focused["control"] is not None:
            # A date box takes Tab through its day, month and year fields first.
            if focused["type"] in ("date", "time", "datetime-local") and repeats < 3:
                repeats += 1
                continue
            raise AssertionError(f"focus stuck on {focused} after {key}")
        repeats = 0
        if stops and focused["control"] is not None and focused["control"] == stops[0]["control"]:
            break  # wrapped round to where the walk began
        stops.append(focused)
    return stops


def assert_keyboard_walk(page):
    """
    Tab from the top to the bottom and Shift+Tab back: every control reached exactly once
    each way, in reverse order backwards, never a figure, and a visible focus on each.
    """
    count = page.evaluate(_REACHABLE, CONTROLS)
    assert count > 0, "no controls on the page"
    forward, backward = tab_walk(page, "Tab"), tab_walk(page, "Shift+Tab")
    for direction, stops in (("Tab", forward), ("Shift+Tab", backward)):
        figures = [s for s in stops if s["figure"]]
        assert not figures, f"{direction} stops on a figure: {figures[:3]}"
        strays = [s for s in stops if s["control"] is None]
        assert not strays, f"{direction} stops on something that is not a control: {strays[:3]}"
        seen = [int(s["control"]) for s in stops]
        assert sorted(seen) == list(range(count)), (
            f"{direction}: {len(seen)} stops for {count} controls; missing "
            f"{sorted(set(range(count)) - set(seen))[:10]}, twice "
            f"{sorted({i for i in seen if seen.count(i) > 1})[:10]}"
        )
        # A date box shows its focus on the day, month or year field inside it.
        unringed = [s for s in stops if not s["ring"] and s["type"] != "date"]
        assert not unringed, f"{direction}: no visible focus on {unringed[:3]}"
    assert [s["control"] for s in backward] == [s["control"] for s in reversed(forward)]
    return count


def operate_by_keyboard(page, panel):
    """One slider (arrow key) and one dropdown (arrow key) of a panel, keys only."""
    handle = panel.locator(".widget-hslider .noUi-handle").first
    handle.focus()
    now = float(handle.get_attribute("aria-valuenow"))
    top = float(handle.get_attribute("aria-valuemax"))
    before = readout_text(panel)
    page.keyboard.press("ArrowLeft" if now >= top - 1e-9 else "ArrowRight")
    assert _wait_for_readout_change(panel, before), "a slider moved by key: readout unchanged"
    name, spoken = handle.get_attribute("aria-label"), handle.get_attribute("aria-valuetext")
    shown = panel.locator(".widget-slider .widget-readout").first.inner_text().strip()
    assert name and name.strip(), "a slider handle without an accessible name"
    assert spoken and spoken.startswith(shown), f"slider says {spoken!r}, shows {shown!r}"
    selects = panel.locator(".widget-dropdown select:enabled")
    if selects.count():
        select = selects.first
        select.focus()
        index = select.evaluate("s => s.selectedIndex")
        before = readout_text(panel)
        page.keyboard.press("ArrowUp" if index > 0 else "ArrowDown")
        assert select.evaluate("s => s.selectedIndex") != index, "a dropdown ignored its keys"
        assert _wait_for_readout_change(panel, before), "a dropdown changed by key: readout same"
    description = panel.locator(".itp-description").first
    assert description.get_attribute("aria-live") == "polite"
    assert description.inner_text().strip(), "a panel without a description of its figure"


def zoom_problems(page):
    """
    At 200 % zoom: controls, readouts and text wider than the window or hidden under one
    another. Figures may scroll sideways (a graph needs its 2-D layout, WCAG 1.4.10).
    """
    return page.evaluate(
        """() => {
      const width = document.documentElement.clientWidth, out = [];
      const items = [...document.querySelectorAll(
        '.widget-slider, .widget-dropdown, .widget-checkbox, .widget-button, .widget-text,'
        + ' .itp-readout, .itp-description, .jp-RenderedHTMLCommon p')]
        .filter(e => e.getBoundingClientRect().width > 0);
      for (const e of items) {
        const r = e.getBoundingClientRect();
        if (r.right > width + 1) {
          out.push(`wider than the window: ${e.className} ${Math.round(r.right)} > ${width}`);
        }
      }
      const control = '.widget-slider, .widget-dropdown, .widget-checkbox, .widget-button,'
        + ' .widget-text';
      const boxes = items.filter(e => e.matches(control))
        .map(e => [e, e.getBoundingClientRect()]);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 2 && y > 2) {
          out.push(`overlap: ${a.className.slice(0, 40)} / ${b.className.slice(0, 40)}`);
        }
      }
      return out.slice(0, 10);
    }"""
    )


def assert_figure_releases_focus(page, panel):
    """A figure clicked (so focused) gives the focus up on Tab and on Escape."""
    figure = panel.locator(".jupyter-matplotlib-canvas-div").first
    figure.scroll_into_view_if_needed()
    for key in ("Tab", "Shift+Tab", "Escape"):
        figure.click(position={"x": 5, "y": 5})
        figure.focus()
        page.keyboard.press(key)
        inside = page.evaluate(
            "() => !!(document.activeElement"
            " && document.activeElement.closest('.jupyter-matplotlib-canvas-div'))"
        )
        assert not inside, f"the figure kept the focus after {key}"


def answer_checks(page, notebook_name):
    """
    Answer the first concept check before and after the panels, and one drill case where
    the notebook has the drill, with the mouse as a student would; each must answer back.
    """
    number = int(notebook_name[:2])
    if number == 0:
        return
    radios = page.locator(".widget-radio-box")
    assert radios.count() >= 6, "no concept checks before and after the panels"
    answers = page.locator(".jupyter-widgets button", has_text=re.compile(r"^Answer$"))
    for which, expected in ((0, "Saved."), (radios.count() // 2, r"Right\.|Not quite\.")):
        radios.nth(which).locator("input").first.scroll_into_view_if_needed()
        radios.nth(which).locator("input").first.check()
        answers.nth(which).click()
        feedback = page.locator(".widget-html", has_text=re.compile(expected)).first
        feedback.wait_for(timeout=20_000)
    if number in (8, 9):
        page.locator(".widget-toggle-button", has_text="investigate").first.click()
        page.locator(".jupyter-widgets button", has_text=re.compile(r"^Submit$")).first.click()
        verdict = page.locator(".widget-html", has_text=re.compile("Right call|Not the call"))
        verdict.first.wait_for(timeout=20_000)
        assert "Maino et al. 2017" in verdict.first.inner_text()
    if number == 9:
        _hand_in(page)


def _hand_in(page):
    """Write the hand-in from the page, then read it back as the class summary does."""
    from pathlib import Path

    from helpers import class_summary, progress

    box = page.locator(".widget-text", has_text="Your name or number").first
    box.locator("input").fill("Browser Student")
    page.locator(".jupyter-widgets button", has_text="Write hand-in files").first.click()
    written = page.locator(".widget-html", has_text="Written:").first
    written.wait_for(timeout=20_000)
    json_path = Path(written.inner_text().split("Written:")[1].split(",")[0].strip())
    student, answers = progress.parse(json_path.read_bytes(), json_path.name)
    assert student == "Browser Student"
    assert {a.kind for a in answers} == {"concept", "drill"}
    summary = class_summary.summary_of_folder(json_path.parent)
    assert summary.students == 1 and summary.drill_scores
