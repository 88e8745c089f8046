"""The presenter view (Voila, ``make present``) shows teaching content only."""

import ast
import json
import pathlib
import re
import types

import ipywidgets
import pytest

from helpers import presenter
from tests.notebook_exec import code_cells, fresh_namespace

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
LAB_WORDS = re.compile(r"Run All|Run →|Run ->|^## Imports|[Cc]heck cells?\b|Shift\+Enter", re.M)


def presented(path):
    return presenter.teaching_only(json.loads(path.read_text(encoding="utf-8")))


def source(cell):
    return "".join(cell["source"])


def test_lab_only_cells_are_taken_out_and_the_rest_kept_in_order():
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["a"]},
            {"cell_type": "markdown", "metadata": {"tags": ["lab-only"]}, "source": ["b"]},
            {"cell_type": "code", "metadata": {"tags": ["x"]}, "source": ["c"]},
        ]
    }
    kept = presenter.prelaunch_hook(None, notebook=notebook, cwd=".")
    assert [source(c) for c in kept["cells"]] == ["a", "c"]
    assert len(notebook["cells"]) == 3  # the notebook read from disk is not changed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_presenter_view_has_no_lab_instructions_or_check_cells(path):
    for cell in presented(path)["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown":
            assert not LAB_WORDS.search(text), text[:120]
        else:
            assert not cell["metadata"].get("jupyter", {}).get("source_hidden"), text[:120]


def _is_teaching_output(value):
    """A widget, or an object that renders itself as HTML or Markdown: not a bare repr."""
    if value is None:
        return True
    return isinstance(value, ipywidgets.Widget) or any(
        hasattr(value, name) for name in ("_repr_html_", "_repr_markdown_", "_ipython_display_")
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_presenter_view_runs_and_every_cell_shows_teaching_content(path, monkeypatch):
    """What each cell's last expression shows: never a tuple, number, string or dataclass."""
    namespace = fresh_namespace(path, monkeypatch)
    for _, code in code_cells(presented(path)["cells"]):
        tree = ast.parse(code)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path.name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), path.name, "eval"), namespace)
            assert _is_teaching_output(value), f"{path.name}: bare {type(value).__name__} shown"


def test_make_lab_turns_off_the_news_popup_and_opens_the_course_map():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile[makefile.index("\nlab:") :].split("\n\n")[0]
    assert "notebooks/00_start_here.ipynb" in lab
    assert "--LabApp.news_url=" in lab and "NeverCheckForUpdate" in lab
    overrides = json.loads((ROOT / "share/jupyter/lab/settings/overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert "## Course map" in (ROOT / "notebooks/00_start_here.ipynb").read_text()


def test_make_present_uses_the_project_voila_configuration():
    config = (ROOT / "voila.py").read_text()
    assert "presenter.prelaunch_hook" in config and '"course"' in config
    template = ROOT / "share/jupyter/voila/templates/course/index.html.j2"
    assert "--jp-widgets-font-size: 22px" in template.read_text()


def test_page_limit_reads_itp_max_pages_or_fills_80_percent_of_memory_at_200_mb_a_page():
    assert presenter.page_limit({"ITP_MAX_PAGES": "30"}) == 30
    assert presenter.page_limit({}, memory_mb=24_000) == 0.8 * 24_000 // 200
    assert presenter.page_limit({}, memory_mb=100) == 2  # never fewer than two
    for bad in ("0", "-3", "many", "2.5"):
        with pytest.raises(ValueError, match="ITP_MAX_PAGES"):
            presenter.page_limit({"ITP_MAX_PAGES": bad})


class _FakeHandler:
    """What :func:`presenter.refuse_when_full` uses of Voila's request handler."""

    def __init__(self, kernels):
        self.kernel_manager = types.SimpleNamespace(list_kernel_ids=lambda: list(range(kernels)))
        self.status, self.headers = 200, {}

    def set_status(self, status):
        self.status = status

    def set_header(self, name, value):
        self.headers[name] = value


def test_a_full_server_answers_503_please_wait_with_retry_after():
    import tornado.web

    below = _FakeHandler(kernels=2)
    presenter.refuse_when_full(below, limit=3)
    assert below.status == 200
    full = _FakeHandler(kernels=3)
    with pytest.raises(tornado.web.Finish) as refused:
        presenter.refuse_when_full(full, limit=3)
    assert full.status == 503 and full.headers["Retry-After"] == str(presenter.RETRY_AFTER_S)
    page = refused.value.args[0]
    assert "3 pages are open and it holds 3" in page and "<html lang='en'>" in page
    assert f"content='{presenter.RETRY_AFTER_S}'" in page and "role='status'" in page
    presenter.refuse_when_full(None)  # nbconvert, tests: never refused


def test_class_server_waits_read_whole_seconds_or_stop_the_start_with_a_clear_message():
    assert presenter.seconds_setting("ITP_CULL_IDLE_S", {}) == 120
    assert presenter.seconds_setting("ITP_CULL_INTERVAL_S", {"ITP_CULL_INTERVAL_S": " 5 "}) == 5
    assert presenter.seconds_setting("ITP_OUTPUT_TIMEOUT_S", {"ITP_OUTPUT_TIMEOUT_S": ""}) == 120
    message = r"ITP_CULL_IDLE_S = .*seconds \[s\] from 1 to 86400"
    for bad in ("0", "-1", "2.5", "soon", "9" * 500):
        with pytest.raises(ValueError, match=message) as err:
            presenter.seconds_setting("ITP_CULL_IDLE_S", {"ITP_CULL_IDLE_S": bad})
        assert len(str(err.value)) < 200  # the value is not echoed whole
    with pytest.raises(ValueError, match="from 5 to 3600"):
        presenter.seconds_setting("ITP_OUTPUT_TIMEOUT_S", {"ITP_OUTPUT_TIMEOUT_S": "4"})
