"""The sources tables the notebooks show: written for people, faithful to the data files."""

import json
import pathlib
import re

import pytest

from helpers import data
from helpers.panels import sources_table
from helpers.panels.sources import citation, readable_name

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA_FILES = (
    "drugs|pumps|catheters|outcomes|journey|practice|programs|spine|presets|routes|"
    "scenarios|physiology"
)


def notebook_keys():
    keys = set()
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for call in re.findall(r"sources_table\(([^)]*)\)", "".join(cell["source"])):
                keys.update(re.findall(r"['\"]([\w.]+)['\"]", call))
    return sorted(keys)


KEYS = notebook_keys()


def test_the_notebooks_show_sources_tables():
    assert len(KEYS) > 50


@pytest.mark.parametrize("key", KEYS)
def test_each_row_shows_a_name_a_value_with_unit_a_status_and_a_citation(key):
    cells = re.findall(r"<td[^>]*>(.*?)</td>", sources_table(key).value)
    name, value, status, source = cells
    assert not re.search(rf"\b({DATA_FILES})\.\w", name + value + source), "an internal key"
    assert not re.search(r"facts\.md|not readable|could not be read|\?'", source)
    assert not re.search(r"\b(ug|uL|cm2|degC)\b|\+-", name + value + source), "ASCII units"
    assert not re.search(r"\b(?:[02-9]|\d{2,}) (day|year)\b", value), "a plural unit as singular"
    assert status in ("<b>verified</b>", "<b>teaching assumption</b>")
    name_, entry, *field = key.split(".")
    record = data.lookup(name_, entry)
    quantity = record[field[0]] if field else record
    if not quantity.verified:
        assert status == "<b>teaching assumption</b>"
    assert source


def test_working_notes_are_left_out_and_a_bare_assumption_says_so():
    note = "Teaching assumption: the specifications were not readable (facts.md 1.1, 'about?')"
    assert citation(note) == "Teaching assumption: no primary source confirmed this value"
    assert citation("Smith 2002: 60/71 (see outcomes.rct_success_pump)") == "Smith 2002: 60/71"


def test_a_readable_name_uses_the_entry_name():
    assert readable_name("presets.cancer_morphine.dose") == "Preset “Cancer pain on morphine”: dose"
    assert readable_name("drugs.morphine.max_concentration") == "Morphine: maximum concentration"
