"""Every notebook in Voila: code hidden, no errors, every slider and dropdown works."""

from __future__ import annotations

import pytest

from tests.browser import pages
from tests.browser.conftest import NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_without_code_and_every_control_works(
    page, voila, artifacts, record_latency, name
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

    pages.use_every_control(page, record_latency, "Voila", name)
    assert console_errors == []
