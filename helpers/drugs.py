"""Intrathecal medicines: strengths, usual doses, limits, stability in the pump, CSF half-life."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from helpers import data, units
from helpers.data import Fact, Quantity
from helpers.validation import TEXT, arguments

#: Drug keys in the order the course presents them.
DRUGS = (
    "morphine",
    "hydromorphone",
    "fentanyl",
    "sufentanil",
    "ziconotide",
    "baclofen",
    "bupivacaine",
    "clonidine",
)


@dataclass(frozen=True)
class Drug:
    """
    One intrathecal medicine with its sourced figures.

    Parameters
    ----------
    key : str
        Key in ``helpers/data/drugs.toml``. [-]
    name : str
        Display name. [-]
    mass_unit : {'mg', 'ug'}
        Mass unit in which doses and concentrations of this drug are shown. [-]
    drug_class : str
        Pharmacological class. [-]
    usual_dose : Quantity
        Usual daily dose range. [mass_unit/day]
    stability : Quantity
        Longest time the drug may stay in the pump before a refill. [day]
    strengths, max_concentration, max_dose, caution_dose, csf_half_life : Quantity or None
        Commercial strengths, maximum concentration, maximum daily dose, dose above which
        the label urges caution, and CSF elimination half-life, where known. [various]
    mechanism, hazards : str
        One-line mechanism and the main hazards (withdrawal, granuloma). [-]
    titration_step, titration_step_cerebral, titration_interval : Quantity or None
        Largest dose increase per step (absolute, or in % of the daily dose), the same for
        spasticity of cerebral origin, and the shortest time between steps. [various]
    trial_dose, starting_dose : Quantity or None
        Screening bolus and starting daily dose, where known. [various]
    withdrawal : helpers.data.Fact or None
        What an abrupt stop causes; ``kind`` is ``"life-threatening"``, ``"severe"``,
        ``"yes"`` or ``"none"``. [-]
    tolerance_loss : Quantity or None
        Days without the drug after which a restart at the old dose is unsafe (opioids). [day]
    restart : helpers.data.Fact or None
        How to restart after an interruption where the label says (baclofen). [-]
    stability_undiluted, first_fill : Quantity or None
        Refill limit for the undiluted commercial solution, and for the first fill of a
        new pump, where they differ from ``stability``. [day]
    """

    key: str
    name: str
    mass_unit: str
    drug_class: str
    usual_dose: Quantity
    stability: Quantity
    strengths: Quantity | None = None
    max_concentration: Quantity | None = None
    max_dose: Quantity | None = None
    caution_dose: Quantity | None = None
    csf_half_life: Quantity | None = None
    mechanism: str = ""
    hazards: str = ""
    titration_step: Quantity | None = None
    titration_step_cerebral: Quantity | None = None
    titration_interval: Quantity | None = None
    trial_dose: Quantity | None = None
    starting_dose: Quantity | None = None
    withdrawal: Fact | None = None
    tolerance_loss: Quantity | None = None
    restart: Fact | None = None
    stability_undiluted: Quantity | None = None
    first_fill: Quantity | None = None

    def stability_at(self, concentration_ug_per_ml=None, first_fill=False):
        """
        The refill limit that applies to a fill, with its source.

        Parameters
        ----------
        concentration_ug_per_ml : float, optional
            Concentration in the reservoir; a commercial strength counts as undiluted. [ug/mL]
        first_fill : bool, default False
            Whether this is the first fill of a new pump. [-]

        Returns
        -------
        stability : Quantity
            ``first_fill`` for a new pump where the drug has one, else
            ``stability_undiluted`` for an undiluted solution where it has one, else
            ``stability``. [day]
        """
        if first_fill and self.first_fill is not None:
            return self.first_fill
        if (
            concentration_ug_per_ml is not None
            and self.stability_undiluted is not None
            and self.strengths is not None
            and any(
                abs(concentration_ug_per_ml / s - 1.0) < 1e-3 for s in self.strengths.model_value
            )
        ):
            return self.stability_undiluted
        return self.stability

    @property
    def is_opioid(self):
        """Whether the drug is an opioid (withdrawal, tolerance, respiratory depression)."""
        return self.drug_class.startswith("opioid")

    @property
    def dose_unit(self):
        """Unit of daily doses shown for this drug, e.g. ``"mg/day"``."""
        return f"{self.mass_unit}/day"

    @property
    def concentration_unit(self):
        """Unit of concentrations shown for this drug, e.g. ``"mg/mL"``."""
        return f"{self.mass_unit}/mL"

    @property
    def stability_days(self):
        """Longest refill interval allowed by the drug's stability in the pump. [day]"""
        return self.stability.model_value

    @property
    def max_concentration_ug_per_ml(self):
        """Maximum concentration, or ``None`` where no limit is known. [ug/mL]"""
        return None if self.max_concentration is None else self.max_concentration.model_value

    @property
    def max_dose_ug_per_day(self):
        """Maximum daily dose, or ``None`` where no limit is known. [ug/day]"""
        return None if self.max_dose is None else self.max_dose.model_value

    @property
    def highest_concentration_ug_per_ml(self):
        """Maximum concentration, else the highest commercial strength. [ug/mL]"""
        if self.max_concentration is not None:
            return self.max_concentration.model_value
        return max(self.strengths.model_value)

    def to_display(self, mass_ug):
        """Convert a mass, mass per day or mass per mL from ug to this drug's mass unit."""
        return units.ug_to_mass(mass_ug, self.mass_unit)

    def from_display(self, mass):
        """Convert a mass, mass per day or mass per mL from this drug's mass unit to ug."""
        return units.mass_to_ug(mass, self.mass_unit)


@arguments(key=TEXT)
@cache
def get_drug(key):
    """
    Return the :class:`Drug` stored under ``key`` in ``helpers/data/drugs.toml``.

    Parameters
    ----------
    key : str
        One of :data:`DRUGS`. [-]

    Returns
    -------
    drug : Drug
        The drug with its sourced figures. [-]

    Raises
    ------
    KeyError
        If ``key`` is unknown; the message lists the valid keys.

    References
    ----------
    .. [1] T. R. Deer et al., "The Polyanalgesic Consensus Conference (PACC): Recommendations
       on intrathecal drug infusion systems best practices and guidelines," Neuromodulation,
       vol. 20, no. 2, pp. 96-132, 2017.
    """
    record = data.lookup("drugs", key)
    return Drug(key=key, **record)
