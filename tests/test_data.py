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


def quantity_tables():
    return [
        (path, table)
        for file in DATA_FILES
        for path, table in walk_tables(read_toml(file), file.stem)
        if has_numeric_leaf(table) or is_quantity(table)
    ]


QUANTITY_TABLES = quantity_tables()


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


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_numeric_table_is_quantity_table(key, table):
    assert QUANTITY_KEYS <= table.keys()


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_quantity_value_is_number_or_list_of_numbers(key, table):
    value = table["value"]
    items = value if isinstance(value, list) else [value]
    assert items
    assert all(is_number(item) for item in items)


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_quantity_source_not_empty(key, table):
    assert isinstance(table.get("source"), str)
    assert table["source"].strip()


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_quantity_unit_in_glossary(key, table):
    assert table.get("unit") in units.GLOSSARY


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_quantity_confidence_is_known(key, table):
    assert table.get("confidence") in data.CONFIDENCE


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_quantity_unverified_exactly_when_confidence_u(key, table):
    assert isinstance(table.get("verified"), bool)
    assert (table["verified"] is False) == (table.get("confidence") == "U")


@pytest.mark.parametrize(("key", "table"), QUANTITY_TABLES, ids=[k for k, _ in QUANTITY_TABLES])
def test_unverified_source_starts_with_teaching_assumption(key, table):
    if table.get("verified") is False:
        assert table["source"].startswith("Teaching assumption")


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
