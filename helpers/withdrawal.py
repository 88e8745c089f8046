"""Withdrawal: what follows when delivery stops, and when symptoms are likely.

When delivery stops, the drug at the catheter tip falls with its CSF clearance (a first-order
half-life). The time to fall below a share of the steady level, and the drug's own timetable
of withdrawal signs (baclofen, clonidine), tell a clinician how urgent a refill or repair is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, spine, units
from helpers.ranges import HOURS
from helpers.validation import arguments, one_of


def _value(key):
    return data.lookup("journey", key).model_value


@dataclass(frozen=True)
class Withdrawal:
    """
    The drug at the catheter tip after delivery stops, and when withdrawal becomes likely.

    Parameters
    ----------
    drug_key : str
        The drug. [-]
    hours : numpy.ndarray
        Hours since delivery stopped. [h]
    tip_percent : numpy.ndarray
        Drug at the tip as a percentage of its usual level. [%]
    likely_from_h : float
        When the level falls below ``journey.withdrawal_level``. [h]
    progression_h : tuple of float
        For baclofen, the 24-72 h over which untreated withdrawal can progress, counted
        from ``likely_from_h``; empty for other drugs. [h]
    """

    drug_key: str
    hours: np.ndarray
    tip_percent: np.ndarray
    likely_from_h: float
    progression_h: tuple


@arguments(drug_key=one_of("helpers.drugs.DRUGS"))
def withdrawal(drug_key, hours):
    """
    The level at the catheter tip after delivery stops (empty reservoir, failed catheter).

    Parameters
    ----------
    drug_key : str
        The drug. [-]
    hours : array_like
        Hours since delivery stopped, from 0. [h]

    Returns
    -------
    course : Withdrawal
        The falling level and the withdrawal window. [-]

    Notes
    -----
    With no new drug the CSF level falls with the drug's clearance :math:`k`:
    :math:`c(t) = c_0 e^{-k t}`, below a level :math:`\\ell` after :math:`\\ln(1/\\ell)/k`.
    Untreated baclofen withdrawal can progress over 24 to 72 h [1]_; clonidine withdrawal
    can cause a hypertensive emergency.

    References
    ----------
    .. [1] Lioresal Intrathecal (baclofen injection) label, boxed warning on abrupt
       discontinuation.

    Examples
    --------
    >>> course = withdrawal("baclofen", [0.0, 1.0])
    >>> float(course.tip_percent[0])
    100.0
    """
    hours = np.asarray(HOURS.check(hours), dtype=float)
    per_hour = units.hours_to_days(1.0) * spine.clearance_per_day(drug_key)
    level = _value("withdrawal_level") / 100.0
    likely = float(np.log(1.0 / level) / per_hour)
    progression = ()
    if drug_key == "baclofen":
        progression = tuple(
            likely + h for h in data.lookup("journey", "withdrawal_progression").value
        )
    return Withdrawal(drug_key, hours, 100.0 * np.exp(-per_hour * hours), likely, progression)
