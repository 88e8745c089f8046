"""Every notebook in Voila: code hidden, no errors, every slider and dropdown works."""

from __future__ import annotations

import time

import pytest

from tests.browser import pages
from tests.browser.conftest import NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_without_code_and_every_control_works(
    page, voila, artifacts, record_latency, record_axe, name
):
    page.set_viewport_size(pages.PROJECTOR)
    console_errors = pages.collect_console_errors(page)
    pages.open_voila(page, voila, name)
    pages.assert_clean_outputs(page)
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0, "code is shown"
    body = page.locator("body").text_content()
    assert "from helpers" not in body and "%matplotlib" not in body, "code is shown"
    pages.assert_no_bare_reprs(page)
    pages.assert_projector_text_and_figures(page)
    page.screenshot(path=artifacts / f"voila-{name}.png", full_page=True)

    # Keyboard and screen reader: axe-core, Tab to the bottom and back, keys only.
    pages.assert_accessible(page, record_axe, "Voila", name)
    pages.assert_keyboard_walk(page)
    found = pages.panels(page)
    for index in range(found.count()):
        pages.operate_by_keyboard(page, found.nth(index))
    # 200 % browser zoom of the projector screen: the same page in half the CSS pixels.
    page.set_viewport_size(
        {"width": pages.PROJECTOR["width"] // 2, "height": pages.PROJECTOR["height"] // 2}
    )
    page.wait_for_timeout(500)
    problems = pages.zoom_problems(page)
    page.screenshot(path=artifacts / f"voila-zoom200-{name}.png", full_page=True)
    assert not problems, f"at 200 % zoom: {problems}"
    page.set_viewport_size(pages.PROJECTOR)

    pages.use_every_control(page, record_latency, "Voila", name)
    pages.answer_checks(page, name)
    # Again with warnings, verdicts and solutions on the page.
    pages.assert_accessible(page, record_axe, "Voila, after use", name)
    assert console_errors == []


def test_an_arrow_key_on_a_slider_settles_in_one_exchange(page, voila):
    """
    One arrow key on a log slider: the browser sends the step, the kernel answers with
    the round value it snapped to, the browser sends back its grid copy of that value and
    the kernel answers nothing. A kernel that answered the grid copy made the value bounce
    between them, and an arrow key pressed during the bounce was lost (the figure did not
    change; 02, 04 and 05 in CI).
    """
    page.set_viewport_size(pages.LAPTOP)
    messages = pages.record_value_messages(page)
    pages.open_voila(page, voila, "02_flow_rate_and_refill.ipynb")
    panel = pages.panels(page).first
    pages.wait_for_canvas(page, panel)
    handle = panel.locator(".widget-slider", has_text="Daily dose").locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # the page's own start-up messages are over
    before, position = pages.readout_text(panel), handle.get_attribute("aria-valuenow")
    messages.clear()
    handle.focus()
    page.keyboard.press("ArrowRight")
    assert pages._wait_for_readout_change(panel, before), "the key did not move the slider"
    time.sleep(1.5)  # a bounce would go on here
    assert handle.get_attribute("aria-valuenow") != position
    comm = next(comm for direction, _, comm, _ in messages if direction == "sent")
    sent = [value for direction, _, c, value in messages if c == comm and direction == "sent"]
    answers = [
        value
        for direction, method, c, value in messages
        if c == comm and direction == "received" and method == "update"
    ]
    assert len(answers) == 1, f"the kernel answered {answers} to {sent}"
    assert len(sent) == 2, f"the browser sent {sent} after the kernel's {answers}"
