"""Widget panels for the notebooks: each wires controls to the models and updates one figure."""

from helpers.panels.calendar import RefillCalendar
from helpers.panels.refill import RefillExplorer
from helpers.panels.sources import sources_table
from helpers.panels.tradeoff import TradeOffPanel

__all__ = ["RefillCalendar", "RefillExplorer", "TradeOffPanel", "sources_table"]
