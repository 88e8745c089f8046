"""Delivery schedules: one piecewise-constant representation of what a pump sends down its line.

A :class:`Schedule` is a sequence of segments, each with a start time, a flow rate and the
concentration entering the line. A titration (dose steps over weeks), a concentration
change at a refill, a program's minute-by-minute output and an occlusion are all schedules;
the catheter transport, the cohort's refill arithmetic and the programs read the same type.
Cumulative volume is the integral of the rate, V(t) = sum_k Q_k (min(t, t_{k+1}) - t_k)^+."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from helpers.ranges import CONCENTRATION, DOSE, LINE_RATE, TIME
from helpers.validation import SCALAR, SEQUENCE, TEXT


@dataclass(frozen=True)
class Schedule:
    """
    Piecewise-constant flow out of the pump and the concentration it carries.

    Parameters
    ----------
    start_days : numpy.ndarray
        Start of each segment, increasing, the first 0; the last segment lasts for ever. [day]
    rate_ml_per_day : numpy.ndarray
        Flow in each segment; 0 stops it. [mL/day]
    inlet_ug_per_ml : numpy.ndarray
        Concentration entering the line from the reservoir in each segment. [ug/mL]
    description : str, default ""
        How the schedule was made, in words (a titration rule, say). [-]
    """

    start_days: np.ndarray
    rate_ml_per_day: np.ndarray
    inlet_ug_per_ml: np.ndarray
    description: str = field(default="", compare=False)

    @classmethod
    def from_segments(cls, segments, description=""):
        """
        Build a schedule from ``(duration_days, rate_ml_per_day, inlet_ug_per_ml)`` triples.

        The last segment lasts for ever; its duration is ignored.
        """
        TEXT.check(description, "description")
        if not (
            isinstance(segments, (list, tuple))
            and segments
            and all(isinstance(s, (list, tuple)) and len(s) == 3 for s in segments)
        ):
            raise TypeError(
                "segments must be a non-empty list of (duration_days, rate_ml_per_day, "
                f"inlet_ug_per_ml) triples, not {segments!r:.60}"
            )
        try:
            durations, rates, inlets = (
                np.asarray(v, dtype=float) for v in zip(*segments, strict=True)
            )
        except (TypeError, ValueError):
            raise TypeError(f"segments must hold numbers, not {segments!r:.60}") from None
        TIME.check(durations, "duration_days")
        LINE_RATE.check(rates)
        CONCENTRATION.check(np.where(inlets == 0, 1.0, inlets), "inlet_ug_per_ml")
        starts = np.concatenate([[0.0], np.cumsum(durations[:-1])])
        return cls(starts, rates, inlets, description)

    @classmethod
    def from_doses(cls, start_days, doses_ug_per_day, concentration_ug_per_ml, description=""):
        """
        Build a schedule of dose steps at one concentration (a titration, say).

        ``start_days`` are the days the steps start, the first 0; ``doses_ug_per_day`` the
        dose from each on [ug/day]; the flow is dose / concentration.
        """
        TEXT.check(description, "description")
        SEQUENCE.check(start_days, "start_days")
        SEQUENCE.check(doses_ug_per_day, "doses_ug_per_day")
        SCALAR.check(concentration_ug_per_ml, "concentration_ug_per_ml")
        starts = np.asarray(start_days, dtype=float)
        doses = np.asarray(doses_ug_per_day, dtype=float)
        CONCENTRATION.check(concentration_ug_per_ml)
        TIME.check(starts, "start_days")
        DOSE.check(doses, "doses_ug_per_day")
        if starts.shape != doses.shape or starts.size == 0 or starts[0] != 0.0:
            raise ValueError(
                "start_days and doses_ug_per_day must have the same length, at least one, "
                f"and start on day 0; got {starts.size} days starting "
                f"{starts[:1].tolist()} and {doses.size} doses"
            )
        if np.any(np.diff(starts) <= 0):
            raise ValueError("start_days must increase")
        rates = doses / concentration_ug_per_ml
        LINE_RATE.check(rates)
        inlets = np.full_like(rates, float(concentration_ug_per_ml))
        return cls(starts, rates, inlets, description)

    @property
    def end_day(self):
        """Start of the last segment, which then lasts for ever. [day]"""
        return float(self.start_days[-1])

    @property
    def doses_ug_per_day(self):
        """Drug leaving the pump in each segment. [ug/day]"""
        return self.rate_ml_per_day * self.inlet_ug_per_ml

    def rate_at(self, time_days):
        """Flow rate at each time. [mL/day]"""
        return self.rate_ml_per_day[self._segment(time_days)]

    def inlet_at(self, time_days):
        """Concentration entering the line at each time. [ug/mL]"""
        return self.inlet_ug_per_ml[self._segment(time_days)]

    def dose_at(self, time_days):
        """Drug leaving the pump at each time. [ug/day]"""
        return self.doses_ug_per_day[self._segment(time_days)]

    def _segment(self, time_days):
        return np.maximum(np.searchsorted(self.start_days, time_days, side="right") - 1, 0)

    def _at_starts(self):
        return np.concatenate(
            [[0.0], np.cumsum(self.rate_ml_per_day[:-1] * np.diff(self.start_days))]
        )

    def throughput_ml(self, time_days):
        """Cumulative volume that has left the pump by each time (0 before day 0). [mL]"""
        seg = self._segment(time_days)
        elapsed = np.maximum(np.subtract(time_days, self.start_days[seg]), 0.0)
        return self._at_starts()[seg] + self.rate_ml_per_day[seg] * elapsed

    def _throughput_segment(self, throughput_ml):
        """Segment carrying each throughput value: (at_starts[i], at_starts[i + 1]]."""
        at_starts = self._at_starts()
        seg = np.searchsorted(at_starts, throughput_ml, side="left") - 1
        return np.clip(seg, 0, len(at_starts) - 1), at_starts

    def rate_at_throughput(self, throughput_ml):
        """Flow rate while each throughput value passes; never a stopped segment's 0. [mL/day]"""
        return self.rate_ml_per_day[self._throughput_segment(throughput_ml)[0]]

    def time_at_throughput(self, throughput_ml):
        """First time at which the cumulative volume reaches each value (0 for none). [day]"""
        seg, at_starts = self._throughput_segment(throughput_ml)
        moving = self.rate_ml_per_day[seg] > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            offset = np.where(
                moving, (throughput_ml - at_starts[seg]) / self.rate_ml_per_day[seg], 0.0
            )
        times = np.maximum(self.start_days[seg] + offset, 0.0)
        return np.where(moving | (np.asarray(throughput_ml) <= 0), times, np.inf)
