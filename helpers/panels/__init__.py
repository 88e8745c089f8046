"""Widget panels for the notebooks: each wires controls to the models and updates one figure."""

from helpers.panels.boluses import BolusPanel, RostralPanel
from helpers.panels.calendar import RefillCalendar
from helpers.panels.exercise import show_exercise
from helpers.panels.explorer import ExplorerPanel
from helpers.panels.incidents import IncidentPanel
from helpers.panels.journey import JourneyPanel
from helpers.panels.living import CohortPanel, TimelinePanel, TrialPanel
from helpers.panels.medicines import (
    AdmixturePanel,
    DrugExplorerPanel,
    ProgramReviewPanel,
    TitrationPanel,
)
from helpers.panels.priming import PrimingPanel
from helpers.panels.programs import (
    EventsPanel,
    MechanismPanel,
    PatientBolusPanel,
    ProgramDesignerPanel,
)
from helpers.panels.refill import RefillExplorer
from helpers.panels.refill_change import RefillChangePanel
from helpers.panels.reservoir_check import ReservoirCheckPanel
from helpers.panels.restart import RestartPanel
from helpers.panels.sources import calibration_table, sources_table
from helpers.panels.spread import SpreadPanel
from helpers.panels.system import BodyPanel, PathwayPanel, RoutePanel
from helpers.panels.tradeoff import TradeOffPanel
from helpers.panels.warmup import WarmUpPanel

#: Every panel of the course by a short name: the one list that the panel tests, the
#: benchmarks and the notebooks' checks share.
REGISTRY = {
    "refill": RefillExplorer,
    "tradeoff": TradeOffPanel,
    "calendar": RefillCalendar,
    "journey": JourneyPanel,
    "refill_change": RefillChangePanel,
    "priming": PrimingPanel,
    "reservoir_check": ReservoirCheckPanel,
    "restart": RestartPanel,
    "spread": SpreadPanel,
    "boluses": BolusPanel,
    "rostral": RostralPanel,
    "drug_explorer": DrugExplorerPanel,
    "admixture": AdmixturePanel,
    "titration": TitrationPanel,
    "program_review": ProgramReviewPanel,
    "body": BodyPanel,
    "route": RoutePanel,
    "pathway": PathwayPanel,
    "program_designer": ProgramDesignerPanel,
    "patient_bolus": PatientBolusPanel,
    "mechanism": MechanismPanel,
    "events": EventsPanel,
    "timeline": TimelinePanel,
    "cohort": CohortPanel,
    "trial": TrialPanel,
    "incident": IncidentPanel,
    "explorer": ExplorerPanel,
    "warm-up": WarmUpPanel,
}

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
