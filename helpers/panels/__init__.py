"""Widget panels for the notebooks: each wires controls to the models and updates one figure."""

import importlib
from collections.abc import Mapping

#: Where each public name lives. A notebook imports only the panels it shows (PEP 562):
#: notebook 02 does not pay for SciPy and the spine model at every page load.
_HOMES = {
    "BolusPanel": "boluses",
    "RostralPanel": "boluses",
    "RefillCalendar": "calendar",
    "ConceptCheck": "checks",
    "DrillPanel": "checks",
    "show_checks": "checks",
    "show_handin": "checks",
    "show_competency_map": "checks",
    "show_exercise": "exercise",
    "ExplorerPanel": "explorer",
    "IncidentPanel": "incidents",
    "JourneyPanel": "journey",
    "CohortPanel": "living",
    "TimelinePanel": "living",
    "TrialPanel": "living",
    "AdmixturePanel": "medicines",
    "DrugExplorerPanel": "medicines",
    "ProgramReviewPanel": "medicines",
    "TitrationPanel": "medicines",
    "PrimingPanel": "priming",
    "EventsPanel": "programs",
    "MechanismPanel": "programs",
    "PatientBolusPanel": "programs",
    "ProgramDesignerPanel": "programs",
    "RefillExplorer": "refill",
    "RefillChangePanel": "refill_change",
    "ReservoirCheckPanel": "reservoir_check",
    "RestartPanel": "restart",
    "calibration_table": "sources",
    "sources_table": "sources",
    "SpreadPanel": "spread",
    "BodyPanel": "system",
    "PathwayPanel": "system",
    "RoutePanel": "system",
    "TradeOffPanel": "tradeoff",
    "WarmUpPanel": "warmup",
}


def __getattr__(name):
    """Import a panel's module the first time the panel is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'helpers.panels' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"helpers.panels.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_HOMES})


class _Registry(Mapping):
    """Panel classes by short name, each imported when first looked up."""

    def __init__(self, names):
        self._names = dict(names)

    def __getitem__(self, key):
        return __getattr__(self._names[key])

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)


#: Every panel of the course by a short name: the one list that the panel tests, the
#: benchmarks and the notebooks' checks share.
REGISTRY = _Registry(
    {
        "refill": "RefillExplorer",
        "tradeoff": "TradeOffPanel",
        "calendar": "RefillCalendar",
        "journey": "JourneyPanel",
        "refill_change": "RefillChangePanel",
        "priming": "PrimingPanel",
        "reservoir_check": "ReservoirCheckPanel",
        "restart": "RestartPanel",
        "spread": "SpreadPanel",
        "boluses": "BolusPanel",
        "rostral": "RostralPanel",
        "drug_explorer": "DrugExplorerPanel",
        "admixture": "AdmixturePanel",
        "titration": "TitrationPanel",
        "program_review": "ProgramReviewPanel",
        "body": "BodyPanel",
        "route": "RoutePanel",
        "pathway": "PathwayPanel",
        "program_designer": "ProgramDesignerPanel",
        "patient_bolus": "PatientBolusPanel",
        "mechanism": "MechanismPanel",
        "events": "EventsPanel",
        "timeline": "TimelinePanel",
        "cohort": "CohortPanel",
        "trial": "TrialPanel",
        "incident": "IncidentPanel",
        "explorer": "ExplorerPanel",
        "warm-up": "WarmUpPanel",
    }
)

#: Panels whose calendar starts on a date (today unless given).
DATED = frozenset({"refill", "calendar", "explorer"})


def build(name, start_date=None):
    """
    A panel of :data:`REGISTRY` by name, its calendar starting on ``start_date`` if dated.

    Parameters
    ----------
    name : str
        A key of :data:`REGISTRY`. [-]
    start_date : datetime.date, optional
        First day of the calendar of a dated panel; ignored by the others. [-]

    Returns
    -------
    panel : helpers.panels.base.Panel
        The new panel. [-]

    Raises
    ------
    KeyError
        If the name is not in the registry; the message lists the names.
    """
    if name not in REGISTRY:
        raise KeyError(f"no panel {name!r}; use one of {sorted(REGISTRY)}")
    if name in DATED:
        return REGISTRY[name](start_date=start_date)
    return REGISTRY[name]()


__all__ = [
    "DATED",
    "REGISTRY",
    "AdmixturePanel",
    "BodyPanel",
    "BolusPanel",
    "CohortPanel",
    "DrugExplorerPanel",
    "EventsPanel",
    "ExplorerPanel",
    "IncidentPanel",
    "JourneyPanel",
    "MechanismPanel",
    "PathwayPanel",
    "PatientBolusPanel",
    "PrimingPanel",
    "ProgramDesignerPanel",
    "ProgramReviewPanel",
    "RefillCalendar",
    "RefillChangePanel",
    "RefillExplorer",
    "ReservoirCheckPanel",
    "RestartPanel",
    "RostralPanel",
    "RoutePanel",
    "SpreadPanel",
    "TimelinePanel",
    "TitrationPanel",
    "TradeOffPanel",
    "TrialPanel",
    "WarmUpPanel",
    "build",
    "calibration_table",
    "show_exercise",
    "sources_table",
]
