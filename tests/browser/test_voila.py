"""Every notebook in Voila: code hidden, no errors, every slider and dropdown works."""

from __future__ import annotations

import pytest

from tests.browser import pages
from tests.browser.conftest import NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_without_code_and_every_control_works(
    page, voila, artifacts, record_latency, record_axe, name
):
    base, token = voila
    page.set_viewport_size(pages.PROJECTOR)
    console_errors = pages.collect_console_errors(page)
    page.goto(f"{base}/voila/render/{name}?token={token}")
    page.locator("#loading").wait_for(state="hidden", timeout=180_000)
    pages.wait_until_stable(page, ".jupyter-widgets, .jupyter-matplotlib")
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
