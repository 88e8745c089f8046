"""Sourced numbers: loading the TOML data files under ``helpers/data`` into typed records.

Every number the collection shows comes from one of these files, as a table with its
``value``, ``unit``, ``confidence``, ``verified`` flag and ``source``. Values whose
confidence is ``U`` are not confirmed and are shown as "teaching assumption".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType

from helpers import units

DATA_DIR = Path(__file__).parent / "data"

#: Teaching text (exercises, incident cases): words, not figures. [-]
CONTENT_DIR = Path(__file__).parent / "content"

#: Confidence labels, as defined in ../shared/domain/facts.md.
CONFIDENCE = {
    "C": "confirmed in the cited source",
    "C2": "confirmed in a secondary source",
    "D": "derived from confirmed values",
    "U": "teaching assumption",
}

QUANTITY_KEYS = frozenset({"value", "unit", "confidence", "verified", "source"})


@dataclass(frozen=True)
class Quantity:
    """
    One sourced value from a data file.

    Parameters
    ----------
    key : str
        Dotted path of the value in its file, e.g. ``"pumps.peristaltic.min_rate"``. [-]
    value : float or tuple of float
        The value as written in the file. [unit]
    unit : str
        Unit of ``value``, from :data:`helpers.units.GLOSSARY`. [-]
    confidence : {'C', 'C2', 'D', 'U'}
        How well the source confirms the value. [-]
    verified : bool
        ``False`` for teaching assumptions (confidence ``U``). [-]
    source : str
        Citation. [-]
    note : str
        Optional remark (derivation, caveats). [-]
    """

    key: str
    value: float | tuple[float, ...]
    unit: str
    confidence: str
    verified: bool
    source: str
    note: str = ""

    @cached_property
    def model_value(self):
        """The value converted to the unit models use (ug, mL, day); computed once. [model unit]"""
        if isinstance(self.value, tuple):
            return tuple(float(units.to_model_unit(v, self.unit)) for v in self.value)
        return float(units.to_model_unit(self.value, self.unit))

    @property
    def status(self):
        """``"verified"`` or ``"teaching assumption"``, as shown beside the value."""
        return "verified" if self.verified else "teaching assumption"


FACT_KEYS = frozenset({"kind", "statement", "confidence", "verified", "source"})


@dataclass(frozen=True)
class Fact:
    """
    One sourced statement from a data file: a clinical rule or property that is not a number.

    Parameters
    ----------
    key : str
        Dotted path of the statement in its file, e.g. ``"drugs.morphine.withdrawal"``. [-]
    kind : str
        A short machine-readable category, e.g. ``"life-threatening"``, ``"yes"``,
        ``"none"``. [-]
    statement : str
        The statement in words, for a student. [-]
    confidence : {'C', 'C2', 'D', 'U'}
        How well the source confirms the statement. [-]
    verified : bool
        ``False`` for teaching assumptions (confidence ``U``). [-]
    source : str
        Citation. [-]
    """

    key: str
    kind: str
    statement: str
    confidence: str
    verified: bool
    source: str

    @property
    def status(self):
        """``"verified"`` or ``"teaching assumption"``, as shown beside the statement."""
        return "verified" if self.verified else "teaching assumption"


def _fact(key, table):
    missing = FACT_KEYS - table.keys()
    if missing:
        raise ValueError(f"{key}: missing {sorted(missing)}; every fact needs {sorted(FACT_KEYS)}")
    return Fact(key=key, **{k: table[k] for k in sorted(FACT_KEYS)})


def _record(key, table):
    """A data-file table as a :class:`Fact` (it has a statement) or a :class:`Quantity`."""
    return _fact(key, table) if "statement" in table else _quantity(key, table)


def _quantity(key, table):
    missing = QUANTITY_KEYS - table.keys()
    if missing:
        raise ValueError(
            f"{key}: missing {sorted(missing)}; every value needs {sorted(QUANTITY_KEYS)}"
        )
    value = table["value"]
    value = tuple(float(v) for v in value) if isinstance(value, list) else float(value)
    return Quantity(
        key=key,
        value=value,
        unit=table["unit"],
        confidence=table["confidence"],
        verified=table["verified"],
        source=table["source"],
        note=table.get("note", ""),
    )


@cache
def load(name):
    """
    Load one data file into nested dicts whose leaves are :class:`Quantity` or text.

    Parameters
    ----------
    name : str
        File name without extension, e.g. ``"pumps"``. [-]

    Returns
    -------
    records : types.MappingProxyType
        ``{entry: {field: Quantity or str}}``, read-only at every level (the result is
        cached and shared); the file-level ``retrieved`` date is dropped. [-]

    Raises
    ------
    KeyError
        If no such data file exists; the message lists the available files.
    ValueError
        If a value lacks one of ``value, unit, confidence, verified, source``.

    References
    ----------
    .. [1] "Intrathecal drug delivery systems: numeric facts for the simulation notebooks,"
       shared/domain/facts.md, retrieved 2026-11-22.
    """
    path = DATA_DIR / f"{name}.toml"
    if not path.exists():
        available = sorted(p.stem for p in DATA_DIR.glob("*.toml"))
        raise KeyError(f"no data file {name!r} in helpers/data; available: {available}")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    records = {}
    for entry, table in raw.items():
        if entry == "retrieved":
            continue
        if "value" in table or "statement" in table:
            records[entry] = _record(f"{name}.{entry}", table)
            continue
        records[entry] = MappingProxyType(
            {
                field: _freeze(_record(f"{name}.{entry}.{field}", item))
                if isinstance(item, dict)
                else _freeze(item)
                for field, item in table.items()
            }
        )
    return MappingProxyType(records)


def _freeze(item):
    """Lists from TOML as tuples, so a cached record cannot be changed by a caller."""
    return tuple(_freeze(v) for v in item) if isinstance(item, list) else item


def lookup(name, entry):
    """
    Return one entry of a data file, with an error that lists the valid entries.

    Parameters
    ----------
    name : str
        Data file name without extension, e.g. ``"drugs"``. [-]
    entry : str
        Entry key, e.g. ``"morphine"``. [-]

    Returns
    -------
    record : dict or Quantity
        The entry as loaded by :func:`load`. [-]

    Raises
    ------
    KeyError
        If the entry does not exist; the message names the file and the valid keys.

    References
    ----------
    .. [1] "Intrathecal drug delivery systems: numeric facts for the simulation notebooks,"
       shared/domain/facts.md, retrieved 2026-11-22.
    """
    records = load(name)
    try:
        return records[entry]
    except KeyError:
        raise KeyError(
            f"{entry!r} is not in helpers/data/{name}.toml; valid keys: {sorted(records)}"
        ) from None


@cache
def teaching_text(name, entry):
    """
    Return the words of one exercise or case from ``helpers/content/<name>.toml``.

    Teaching text lives in data files so an instructor can change a question, a hint or a
    case story without touching code; the numbers a question asks for are computed by the
    models in :mod:`helpers.exercises` and :mod:`helpers.incidents`.

    Parameters
    ----------
    name : str
        Content file name without extension: ``"exercises"`` or ``"incidents"``. [-]
    entry : str
        Table key: the exercise's or case's key. [-]

    Returns
    -------
    text : types.MappingProxyType
        The table's fields, read-only; lists become tuples. [-]

    Raises
    ------
    KeyError
        If the file or entry does not exist; the message lists the valid ones.

    References
    ----------
    .. [1] Python documentation, "tomllib: parse TOML files."
    """
    path = CONTENT_DIR / f"{name}.toml"
    if not path.exists():
        available = sorted(p.stem for p in CONTENT_DIR.glob("*.toml"))
        raise KeyError(f"no content file {name!r} in helpers/content; available: {available}")
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
    if entry not in tables:
        raise KeyError(f"{entry!r} is not in helpers/content/{name}.toml; valid: {sorted(tables)}")
    return MappingProxyType({k: _freeze(v) for k, v in tables[entry].items()})
