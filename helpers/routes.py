"""Route conversion: equivalent morphine doses by mouth, IV, epidural and intrathecal."""

from __future__ import annotations

from helpers import data
from helpers.ranges import DOSE
from helpers.validation import SCALAR, TEXT, arguments

#: Routes in order of decreasing dose.
ROUTES = ("oral", "iv", "epidural", "intrathecal")


def _ratio(key):
    return data.lookup("routes", key).model_value


@arguments(dose_ug_per_day=SCALAR, route=TEXT)
def equivalent_doses(dose_ug_per_day, route="oral"):
    """
    Equivalent daily morphine doses on every route, with the published spread.

    Parameters
    ----------
    dose_ug_per_day : float
        Daily morphine dose on ``route``. [ug/day]
    route : {'oral', 'iv', 'epidural', 'intrathecal'}
        The route of ``dose_ug_per_day``. [-]

    Returns
    -------
    doses : dict
        Per route, ``(central, low, high)`` in ug/day: the central chain is
        oral : IV : epidural : IT = 300 : 100 : 10 : 1; the oral : IV ratio spans 2 to 3 and
        measured oral : intrathecal ratios span 10 to 125 [1]_, [2]_. [ug/day]

    Raises
    ------
    ValueError
        If the dose is invalid or the route unknown.

    Notes
    -----
    A conversion chain is a starting point for teaching why intrathecal doses are so small;
    measured ratios in patients vary more than ten-fold.

    References
    ----------
    .. [1] "Survey of pain specialists regarding conversion of high-dose IV to neuraxial
       opioids," J Pain Res, vol. 9, pp. 693-700, 2016.
    .. [2] J Jpn Soc Pain Clin, vol. 30, no. 8, pp. 189-193, 2023.
    """
    DOSE.check(dose_ug_per_day)
    if route not in ROUTES:
        raise ValueError(f"route = {route!r} is unknown; use one of {ROUTES}")
    oral_iv = _ratio("oral_to_iv")
    iv_epi, epi_it = _ratio("iv_to_epidural"), _ratio("epidural_to_intrathecal")
    # Intrathecal-equivalent dose, then every route from it.
    to_it = {
        "oral": max(oral_iv) * iv_epi * epi_it,
        "iv": iv_epi * epi_it,
        "epidural": epi_it,
        "intrathecal": 1.0,
    }
    it = dose_ug_per_day / to_it[route]
    measured = _ratio("oral_to_intrathecal_measured")
    return {
        "oral": (it * to_it["oral"], it * measured[0], it * measured[1]),
        "iv": (
            it * to_it["iv"],
            it * to_it["oral"] / max(oral_iv),
            it * to_it["oral"] / min(oral_iv),
        ),
        "epidural": (it * epi_it, it * epi_it, it * epi_it),
        "intrathecal": (it, it, it),
    }
