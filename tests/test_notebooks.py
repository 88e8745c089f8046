"""Every notebook is committed clean, carries the teaching-only notice and follows the template."""

import json
import re
from pathlib import Path

import pytest

from tests.notebook_exec import code_cells, fresh_namespace

NOTEBOOKS = sorted(
    p
    for p in (Path(__file__).parent.parent / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
COURSE = [p for p in NOTEBOOKS if re.match(r"(0[1-9])_", p.name)]
TEMPLATE_HEADINGS = ("## Overview", "## Prerequisites", "## Summary", "## Resources and references")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_collection_has_the_start_page_and_a_course_notebook():
    names = [p.name for p in NOTEBOOKS]
    assert "00_start_here.ipynb" in names
    assert COURSE, "no course notebook found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_counts_or_widget_state(path):
    nb = load(path)
    assert "widgets" not in nb["metadata"], "saved widget state reopens as 'model not found'"
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {index} has stored outputs"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"cell {index} has timing metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_title_and_teaching_only_notice(path):
    first = source(load(path)["cells"][0])
    assert first.startswith("# ")
    assert "For teaching only" in first and "Not clinical advice" in first


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_course_notebook_follows_the_template(path):
    cells = load(path)["cells"]
    markdown = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    for heading in TEMPLATE_HEADINGS:
        assert heading in markdown, f"missing section {heading!r}"
    assert "Try this" in markdown
    code = [source(c) for c in cells if c["cell_type"] == "code"]
    assert code[0].startswith("%matplotlib widget"), "the imports cell comes first"
    assert any(re.search(r"^assert\b", c, re.M) for c in code), "no check cell"
    assert any("exercises." in c for c in code), "no exercise"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_machine_paths_and_no_function_definitions(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"/root/|/tmp/|/home/\w|/work/", text)
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert not re.search(r"^\s*(def|class) ", source(cell), re.M), (
                "logic belongs in helpers"
            )


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in NOTEBOOKS
        if any(".show()" in source(c) or "show_exercise(" in source(c) for c in load(p)["cells"])
    ],
    ids=lambda p: p.name,
)
def test_notebooks_with_panels_are_in_the_readme_gallery(path):
    image = Path("docs") / "gallery" / f"{path.stem}.png"
    assert (path.parent.parent / image).exists(), f"run 'make screenshots' to create {image}"
    readme = (path.parent.parent / "README.md").read_text(encoding="utf-8")
    assert str(image) in readme, f"README does not show {image}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_cells_are_short_and_collapsed(path):
    """Every cell that asserts is a check cell: its source is collapsed, nbval still runs it."""
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code" or "assert" not in source(cell):
            continue
        assert cell["metadata"].get("jupyter", {}).get("source_hidden"), source(cell)[:60]
        assert len(source(cell).splitlines()) <= 15, source(cell)[:60]


def _panels(namespace):
    from helpers.panels.base import Panel

    return {name: value for name, value in namespace.items() if isinstance(value, Panel)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_check_cells_leave_every_panel_at_its_documented_start(path, monkeypatch):
    """Run All must not leave a panel showing the values a check cell tried."""
    namespace = fresh_namespace(path, monkeypatch)
    for cell, code in code_cells(load(path)["cells"]):
        check = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
        before = {name: dict(p.params) for name, p in _panels(namespace).items()} if check else {}
        exec(compile(code, f"{path.name}", "exec"), namespace)
        for name, params in before.items():
            assert namespace[name].params == params, f"check cell changed {name}: {code[:80]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_text_for_people_uses_the_course_typography(path):
    """µg, µL, cm², °C and ± in the notebooks' text (code keeps its ASCII names)."""
    ascii_unit = re.compile(r"(?<![\w`])(ug|uL|cm2|degC)(?![\w`])|\+-")
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"`[^`]*`", "", source(cell))  # inline code may name ASCII units
            assert not ascii_unit.search(text), text[:200]
