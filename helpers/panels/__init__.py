"""Widget panels for the notebooks: each wires controls to the models and updates one figure."""

from helpers.panels.boluses import BolusPanel, RostralPanel
from helpers.panels.calendar import RefillCalendar
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

__all__ = [
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
    "calibration_table",
    "sources_table",
]
