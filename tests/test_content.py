"""What the course teaches: corrected clinical facts, checked across data, notebooks and docs."""

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from helpers import data, drugs
from helpers.panels import RefillChangePanel

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DATA = sorted((ROOT / "helpers" / "data").glob("*.toml"))
OPIOIDS = ("morphine", "hydromorphone", "fentanyl", "sufentanil")


def notebook_text(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


TEXTS = {p.name: notebook_text(p) for p in NOTEBOOKS} | {
    p.name: p.read_text(encoding="utf-8") for p in [*DOCS, *DATA]
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_text_says_undiluted_ziconotide_lasts_40_days(name):
    text = " ".join(TEXTS[name].split())
    for sentence in re.split(r"(?<=[.;\n])\s", text):
        if "undiluted" in sentence.lower() and re.search(r"\b40[ -]days?\b", sentence):
            assert re.search(r"\b(84|14)[ -]days?\b", sentence), sentence
            assert re.search(r"\bdiluted\b.{0,60}\b40\b|\b40\b.{0,60}\bdiluted\b", sentence, re.I)


def test_ziconotide_limits_are_the_labels():
    ziconotide = drugs.get_drug("ziconotide")
    assert ziconotide.stability_at(10.0).value == 40.0  # diluted
    assert ziconotide.stability_at(25.0).value == 84.0  # undiluted
    assert ziconotide.stability_at(25.0, first_fill=True).value == 14.0  # a new pump


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_every_drug_has_a_sourced_withdrawal_field(key):
    fact = drugs.get_drug(key).withdrawal
    assert isinstance(fact, data.Fact)
    assert fact.kind in ("life-threatening", "severe", "yes", "none")
    assert fact.source.strip() and fact.statement.strip()
    assert (fact.confidence == "U") == (not fact.verified)


def test_withdrawal_kinds_match_the_labels():
    kinds = {key: drugs.get_drug(key).withdrawal.kind for key in drugs.DRUGS}
    assert kinds["baclofen"] == "life-threatening"
    assert kinds["clonidine"] == "severe"
    assert kinds["ziconotide"] == "none"
    assert kinds["bupivacaine"] == "none"
    assert all(kinds[key] == "yes" for key in OPIOIDS)


@pytest.mark.parametrize("key", OPIOIDS)
def test_every_opioid_has_a_tolerance_window(key):
    drug = drugs.get_drug(key)
    assert drug.is_opioid and drug.tolerance_loss is not None


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_every_drug_has_starting_and_maintenance_doses(key):
    drug = drugs.get_drug(key)
    assert drug.starting_dose is not None and drug.usual_dose is not None
    assert drug.starting_dose.model_value[0] <= drug.usual_dose.model_value[1]


def test_sufentanil_is_in_the_drug_library():
    assert "sufentanil" in drugs.DRUGS


def test_the_bridge_starts_at_the_old_rate():
    panel = RefillChangePanel()
    panel.params = {"bridge": True}
    old_rate = panel.params["dose"] / panel.params["old_concentration"]
    assert panel.params["bridge_rate_ml_per_day"] == pytest.approx(old_rate, rel=1e-9)
    assert "DANGER" not in panel.findings.value
    panel.params = {"bridge_rate_ml_per_day": 10.0}
    assert "DANGER" in panel.findings.value


def test_baclofen_restarts_at_the_previous_dose_as_labelled():
    baclofen = drugs.get_drug("baclofen")
    assert baclofen.tolerance_loss is None
    assert "at or near the dose" in baclofen.restart.statement


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_text_asks_for_a_reduced_baclofen_restart(name):
    text = " ".join(TEXTS[name].split()).lower()
    assert "same caution about the dose" not in text
    assert "same care as with opioids" not in text
    assert "caution about a full dose" not in text


def test_the_valve_gated_pump_has_its_mri_rule():
    fact = data.lookup("pumps", "valve_gated")["mri"]
    assert "empty" in fact.statement and fact.confidence == "C"


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_text_says_boluses_do_not_widen_the_reach(name):
    assert "peak, not the reach" not in TEXTS[name]


@pytest.mark.parametrize("name", [n for n in sorted(TEXTS) if n.endswith((".ipynb", ".md"))])
def test_the_84_5_percent_success_is_defined_where_it_appears(name):
    text = " ".join(TEXTS[name].split())
    for match in re.finditer(r"84\.5 ?%", text):
        around = text[max(0, match.start() - 400) : match.end() + 400]
        assert re.search(r"20 ?%", around), around


@pytest.mark.parametrize("name", [n for n in sorted(TEXTS) if n.endswith(".ipynb")])
def test_no_notebook_says_only_baclofen_and_clonidine_cause_withdrawal(name):
    text = " ".join(TEXTS[name].split()).lower()
    assert "only baclofen and clonidine" not in text
