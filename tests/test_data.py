import datetime
import re
import tomllib

import pytest
from numpy.testing import assert_allclose

from helpers import data, units
from helpers.data import QUANTITY_KEYS, Quantity

DATA_FILES = sorted(data.DATA_DIR.glob("*.toml"))


def read_toml(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))


def is_number(item):
    return isinstance(item, int | float) and not isinstance(item, bool)


def has_numeric_leaf(table):
    return any(
        is_number(item) or (isinstance(item, list) and any(is_number(x) for x in item))
        for item in table.values()
    )


def is_quantity(table):
    return isinstance(table, dict) and "value" in table


def walk_tables(node, path):
    if isinstance(node, dict):
        yield path, node
        for key, item in node.items():
            yield from walk_tables(item, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk_tables(item, f"{path}[{index}]")


def bare_numbers(node, path):
    if isinstance(node, dict):
        for key, item in node.items():
            if key == "value" and is_quantity(node):
                continue
            yield from bare_numbers(item, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from bare_numbers(item, f"{path}[{index}]")
    elif is_number(node):
        yield path


def test_data_files_exist():
    assert DATA_FILES


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.stem for p in DATA_FILES])
def test_file_has_retrieved_date(path):
    retrieved = read_toml(path).get("retrieved")
    assert isinstance(retrieved, datetime.date)


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.stem for p in DATA_FILES])
def test_file_has_no_bare_numbers(path):
    assert list(bare_numbers(read_toml(path), path.stem)) == []


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.stem for p in DATA_FILES])
def test_file_loads(path):
    records = data.load(path.stem)
    assert records
    assert "retrieved" not in records


def schema_problems(key, table):
    """Every way one numeric table breaks the data-file schema, as sentences."""
    missing = QUANTITY_KEYS - table.keys()
    if missing:
        return [f"{key}: missing {sorted(missing)}"]
    problems = []
    value = table["value"]
    items = value if isinstance(value, list) else [value]
    if not items or not all(is_number(item) for item in items):
        problems.append(f"{key}: value {value!r} is not a number or a list of numbers")
    if not (isinstance(table["source"], str) and table["source"].strip()):
        problems.append(f"{key}: source is empty")
    if table["unit"] not in units.GLOSSARY:
        problems.append(f"{key}: unit {table['unit']!r} is not in units.GLOSSARY")
    if table["confidence"] not in data.CONFIDENCE:
        problems.append(
            f"{key}: confidence {table['confidence']!r} is not one of {data.CONFIDENCE}"
        )
    if not isinstance(table["verified"], bool):
        problems.append(f"{key}: verified {table['verified']!r} is not true or false")
    elif (table["verified"] is False) != (table["confidence"] == "U"):
        problems.append(
            f"{key}: verified = {table['verified']} but confidence {table['confidence']}"
        )
    elif table["verified"] is False and not str(table["source"]).startswith("Teaching assumption"):
        problems.append(f"{key}: unverified, but the source does not say 'Teaching assumption'")
    return problems


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.stem for p in DATA_FILES])
def test_every_numeric_table_follows_the_schema(path):
    """value, unit (in the glossary), confidence, verified (false exactly for U), source."""
    tables = [
        (key, table)
        for key, table in walk_tables(read_toml(path), path.stem)
        if has_numeric_leaf(table) or is_quantity(table)
    ]
    assert tables, f"{path.name} has no numeric table"
    problems = [problem for key, table in tables for problem in schema_problems(key, table)]
    assert not problems, "\n".join(problems)


def test_the_schema_check_finds_each_kind_of_fault():
    good = {"value": 1.0, "unit": "mL", "confidence": "C", "verified": True, "source": "IFU"}
    assert schema_problems("x", good) == []
    faults = {
        "value": "one",
        "unit": "furlong",
        "confidence": "Z",
        "verified": "yes",
        "source": " ",
    }
    for field, bad in faults.items():
        assert schema_problems("x", {**good, field: bad}), field
    assert schema_problems("x", {**good, "verified": False})  # C but unverified
    unverified = {**good, "confidence": "U", "verified": False}
    assert schema_problems("x", unverified)  # source lacks "Teaching assumption"
    assert schema_problems("x", {"value": 1.0})


CONTENT = {p.stem: read_toml(p) for p in sorted(data.CONTENT_DIR.glob("*.toml"))}


def test_every_exercise_has_its_words_and_every_text_its_exercise():
    from helpers import exercises

    functions = {n.removesuffix("_exercise") for n in dir(exercises) if n.endswith("_exercise")}
    assert set(CONTENT["exercises"]) == functions
    for key, text in CONTENT["exercises"].items():
        assert {"question", "unit", "hint", "mistakes"} <= text.keys(), key
        assert all(isinstance(m, str) and m.strip() for m in text["mistakes"]), key


def test_every_incident_case_has_its_words_and_a_right_answer():
    from helpers import incidents

    assert list(CONTENT["incidents"]) == [case.key for case in incidents.CASES]
    for key, text in CONTENT["incidents"].items():
        assert {"title", "story", "question", "options", "answer", "explanation", "caught_by"} <= (
            text.keys()
        ), key
        assert 0 <= text["answer"] < len(text["options"]), key


def test_load_unknown_file_lists_available_files():
    with pytest.raises(KeyError, match=re.escape("no data file 'nonexistent'")) as excinfo:
        data.load("nonexistent")
    for path in DATA_FILES:
        assert repr(path.stem) in str(excinfo.value)


def test_load_value_without_source_raises(tmp_path, monkeypatch):
    (tmp_path / "broken.toml").write_text(
        'retrieved = 2026-11-22\n[entry]\nvalue = 1.0\nunit = "mL"\nconfidence = "C"\n'
        "verified = true\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=re.escape("broken.entry: missing ['source']")):
        data.load("broken")


def test_lookup_unknown_entry_lists_valid_keys():
    with pytest.raises(KeyError, match=re.escape("'aspirin' is not in helpers/data/drugs.toml")):
        data.lookup("drugs", "aspirin")


def test_lookup_unknown_entry_message_names_every_key():
    with pytest.raises(KeyError) as excinfo:
        data.lookup("pumps", "syringe")
    for key in data.load("pumps"):
        assert repr(key) in str(excinfo.value)


def test_lookup_unknown_file_raises_key_error():
    with pytest.raises(KeyError, match=re.escape("no data file 'nonexistent'")):
        data.lookup("nonexistent", "morphine")


def test_lookup_returns_drug_record_with_quantities():
    record = data.lookup("drugs", "morphine")
    assert record["name"] == "Morphine"
    assert isinstance(record["max_concentration"], Quantity)


def test_lookup_top_level_quantity():
    margin = data.lookup("practice", "refill_margin")
    assert isinstance(margin, Quantity)
    assert margin.key == "practice.refill_margin"
    assert margin.value == 3.0


def test_list_value_loads_as_tuple():
    strengths = data.lookup("drugs", "morphine")["strengths"]
    assert strengths.value == (10.0, 25.0)


def test_note_is_loaded():
    assert data.lookup("drugs", "ziconotide")["stability"].note.startswith("Diluted solution")


def test_model_value_mg_per_ml_to_ug_per_ml():
    assert_allclose(data.lookup("drugs", "morphine")["max_concentration"].model_value, 20_000.0)


def test_model_value_hours_to_days():
    half_life = data.lookup("drugs", "ziconotide")["csf_half_life"]
    assert_allclose(half_life.model_value, 4.6 / 24.0, rtol=1e-15)


def test_model_value_minutes_to_days():
    half_life = data.lookup("drugs", "morphine")["csf_half_life"]
    assert_allclose(half_life.model_value, 175.0 / 1440.0, rtol=1e-15)


def test_model_value_tuple():
    half_life = data.lookup("drugs", "baclofen")["csf_half_life"].model_value
    assert isinstance(half_life, tuple)
    assert_allclose(half_life, (0.9 / 24.0, 5.0 / 24.0), rtol=1e-15)


def test_model_value_scalar_is_python_float():
    assert type(data.lookup("pumps", "peristaltic")["min_rate"].model_value) is float


def test_status_verified():
    assert data.lookup("drugs", "ziconotide")["csf_half_life"].status == "verified"


def test_status_teaching_assumption():
    assert data.lookup("drugs", "morphine")["max_concentration"].status == "teaching assumption"


def test_status_text_for_constructed_quantity():
    quantity = Quantity("x.y", 1.0, "mL", "U", False, "Teaching assumption: test")
    assert quantity.status == "teaching assumption"
    assert quantity.model_value == 1.0


def test_loaded_records_are_read_only():
    # load() is cached: a caller that changed a record would change it for everyone.
    records = data.load("pumps")
    with pytest.raises(TypeError):
        records["peristaltic"] = {}
    entry = next(v for v in records.values() if hasattr(v, "items"))
    with pytest.raises(TypeError):
        entry["name"] = "changed"
