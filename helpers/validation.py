"""Allowed ranges of model inputs, shared by input validation and by the panels' sliders.

A :class:`Range` is declared next to the model that uses it. Model functions call
:meth:`Range.check` on every input; panels read ``low``, ``high`` and ``unit`` from the
same object, so a slider can never offer a value the model rejects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Range:
    """
    The allowed interval of one model input.

    Parameters
    ----------
    name : str
        The parameter's name as it appears in the function signature. [-]
    low, high : float
        Lower and upper bounds of the interval. [unit]
    unit : str
        Unit of the bounds and of the parameter. [-]
    source : str
        Where the bounds come from (a data-file key, or "teaching choice" and why). [-]
    low_inclusive : bool, default True
        Whether ``low`` itself is allowed; ``False`` excludes zero flow rates, say. [-]
    parent : Range, optional
        The model range a control's range lies inside (see :meth:`within`). [-]
    scale : float, default 1.0
        Factor from this range's unit to the parent's unit (1000 for mg/day to ug/day). [-]
    """

    name: str
    low: float
    high: float
    unit: str
    source: str
    low_inclusive: bool = True
    parent: Range | None = None
    scale: float = 1.0

    def within(self, low, high, source, *, unit=None, scale=1.0, name=None):
        """
        A narrower range for a slider, checked to lie inside this model range.

        Parameters
        ----------
        low, high : float
            The slider's bounds, in ``unit``. [unit]
        source : str
            Why these bounds (a data-file key, or "teaching choice" and why). [-]
        unit : str, optional
            The slider's unit if it differs from this range's (mg/day against ug/day). [-]
        scale : float, default 1.0
            Factor from ``unit`` to this range's unit. [-]
        name : str, optional
            Parameter name, if not this range's. [-]

        Returns
        -------
        control : Range
            The slider's range, with ``parent`` set to this range. [unit]

        Raises
        ------
        ValueError
            If a bound lies outside this range or ``low > high``: a slider must never offer
            a value the model rejects.
        """
        label = name or self.name
        for bound in (low, high):
            self.check(bound * scale, f"{label} slider bound")
        if not low < high:
            raise ValueError(f"{label} slider: low = {low:g} must be below high = {high:g}")
        return Range(label, low, high, unit or self.unit, source, True, self, scale)

    def describe(self):
        """Return the interval as text, e.g. ``(0, 50] mL/day``."""
        bracket = "[" if self.low_inclusive else "("
        return f"{bracket}{self.low:g}, {self.high:g}] {self.unit}"

    def check(self, value, name=None):
        """
        Return ``value`` unchanged if every element lies in the range, else raise.

        Parameters
        ----------
        value : numeric
            Scalar or array to check. [unit]
        name : str, optional
            Name to report instead of ``self.name``. [-]

        Returns
        -------
        value : numeric
            The input, unchanged. [unit]

        Raises
        ------
        ValueError
            If any element is NaN, infinite, or outside the range; the message names the
            parameter, the offending value, the unit and the allowed range.
        """
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name or self.name} = {_short(value)} is not a number in {self.unit}; "
                f"allowed range is {self.describe()} ({self.source})"
            ) from None
        too_low = array <= self.low if not self.low_inclusive else array < self.low
        bad = ~np.isfinite(array) | too_low | (array > self.high)
        if np.any(bad):
            offending = float(array[bad].flat[0]) if array.ndim else float(array)
            reason = "is not a finite number" if not math.isfinite(offending) else "is outside"
            raise ValueError(
                f"{name or self.name} = {offending:g} {self.unit} {reason}; "
                f"allowed range is {self.describe()} ({self.source})"
            )
        return value


def _short(value, limit=40):
    """A short, safe echo of a rejected input: its repr cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def plain(result):
    """
    A Python float for a scalar model result, the array otherwise.

    Parameters
    ----------
    result : numeric
        A model output. [unit]

    Returns
    -------
    result : float or numpy.ndarray
        The same value; 0-d arrays and numpy scalars become ``float``. [unit]

    References
    ----------
    .. [1] NumPy documentation, "Scalars."
    """
    return float(result) if np.ndim(result) == 0 else result
