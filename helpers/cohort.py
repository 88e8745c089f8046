"""Living with a pump: one patient's years, a cohort of patients, and what follows a stop.

A cohort is simulated visit by visit for all patients at once (numpy arrays over
patients): after the implant the dose is titrated step by step to the planned dose, then
each refill visit sets the escalated dose, the next visit falls before the
low-reservoir alarm or the drug's stability limit (sometimes late), the battery reaches its
replacement alarm, MRI scans and complications arrive as seeded random events at the
rates in ``data/journey.toml``. One patient's journey is a cohort of one, drawn out day by
day. When delivery stops, the drug at the tip falls with its CSF half-life."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, drugs, pump, ranges, units
from helpers.ranges import CHANCE, ESCALATION, PATIENTS, TITRATION_START, YEARS
from helpers.schedule import Schedule
from helpers.titration import titration_plan
from helpers.validation import (
    SCALAR,
    SEED,
    Kind,
    Range,
    arguments,
    instance_of,
    one_of,
)

#: Complication kinds, with what they mean for delivery.
COMPLICATIONS = {
    "catheter": "catheter problem (kink, disconnection, migration): revision surgery",
    "pump": "pump problem (motor stall, flipped pump): revision surgery",
    "infection": "pocket or deep infection",
    "granuloma": "inflammatory mass at the catheter tip",
}


#: Complications that stop delivery until a revision. [-]
STOPPING = ("catheter", "pump")


#: Event kinds on a patient's timeline, in the order of the timeline's lanes.
EVENT_KINDS = (
    "titration",
    "refill",
    "late_refill",
    "alarm",
    "empty",
    "battery_alarm",
    "replacement",
    "mri",
    *COMPLICATIONS,
)


def _value(key):
    return data.lookup("journey", key).model_value


#: Drugs the catheter-tip granuloma rate applies to (``journey.granuloma_drugs``). [-]
GRANULOMA_DRUGS = tuple(data.lookup("journey", "granuloma_drugs").kind.split(" and "))


def _mean(key):
    return float(np.mean(_value(key)))


@arguments(drug_key=one_of("helpers.drugs.DRUGS"))
def complication_rates_per_day(drug_key="morphine"):
    """
    Rate of each complication kind.

    Parameters
    ----------
    drug_key : str, default "morphine"
        The drug in the pump: the catheter-tip granuloma rate applies only to the drugs
        ``journey.granuloma_drugs`` names (morphine and hydromorphone). [-]

    Returns
    -------
    rates : dict
        Kind (:data:`COMPLICATIONS`) to its rate. [1/day]

    Notes
    -----
    The surgical and infection rates come from a spasticity (intrathecal baclofen) series
    and stand in for every pump: no pain-pump series with these rates was read. The
    granuloma rate comes from an opioid cohort and is applied to morphine and
    hydromorphone only; for other drugs granulomas are case reports, and clonidine appeared
    protective [1]_.

    References
    ----------
    .. [1] R. V. Duarte et al., "Intrathecal inflammatory masses: is the yearly opioid
       dose increase an early indicator?," Neuromodulation, vol. 13, pp. 109-112, 2010.
    """
    surgical = _value("surgical_complication_rate")
    catheter_share = _value("catheter_share") / 100.0
    return {
        "catheter": surgical * catheter_share,
        "pump": surgical * (1.0 - catheter_share),
        "infection": _value("infection_rate"),
        "granuloma": _value("granuloma_rate") if drug_key in GRANULOMA_DRUGS else 0.0,
    }


@dataclass(frozen=True)
class Settings:
    """
    What the clinician and the patient decide: drug, dose, pump and refill policy.

    Parameters
    ----------
    drug_key : str
        Drug in the pump. [-]
    dose_ug_per_day : float
        Planned daily dose, reached at the end of titration. [ug/day]
    concentration_ug_per_ml : float
        Concentration in the reservoir. [ug/mL]
    pump_key : str
        A battery-powered programmable pump of :data:`helpers.pump.PUMPS`. [-]
    reservoir_ml : float
        Volume of each fill. [mL]
    years : float
        Time followed. [year]
    escalation_percent_per_year : float
        Dose increase from tolerance and disease, applied at each refill. [%/year]
    margin_days : float
        Days before the low-reservoir alarm at which refills are planned. [day]
    late_visit_percent : float
        Chance that a refill visit is late. [%]
    titration_start_percent : float
        Dose at the implant as a share of the planned dose; 100 starts on the planned dose
        without titration. [%]
    """

    drug_key: str = "morphine"
    dose_ug_per_day: float = 3000.0
    concentration_ug_per_ml: float = 10_000.0
    pump_key: str = "peristaltic"
    reservoir_ml: float = 20.0
    years: float = 10.0
    escalation_percent_per_year: float = 6.5
    margin_days: float = 3.0
    late_visit_percent: float = 5.0
    titration_start_percent: float = 100.0

    def __post_init__(self):
        one_of(drugs.DRUGS).check(self.drug_key, "drug_key")
        one_of(pump.PUMPS).check(self.pump_key, "pump_key")
        model = pump.get_pump(self.pump_key)
        if model.is_fixed_rate:
            raise ValueError(
                f"pump_key = {self.pump_key!r}: the journey follows battery-powered "
                f"programmable pumps; choose one of {[k for k in pump.PUMPS if k != self.pump_key]}"
            )
        ranges.DOSE.check(self.dose_ug_per_day)
        ranges.CONCENTRATION.check(self.concentration_ug_per_ml)
        Range(
            "reservoir_ml",
            model.alarm_volume_ml,
            ranges.VOLUME.high,
            "mL",
            "above the alarm volume",
            low_inclusive=False,
        ).check(self.reservoir_ml)
        YEARS.check(self.years)
        ESCALATION.check(self.escalation_percent_per_year)
        ranges.MARGIN.check(self.margin_days)
        CHANCE.check(self.late_visit_percent)
        TITRATION_START.check(self.titration_start_percent)

    @property
    def horizon_days(self):
        """Time followed. [day]"""
        return self.years * units.DAYS_PER_YEAR


@dataclass(frozen=True)
class Cohort:
    """
    Simulated patients: visits, doses, battery, MRI scans, complications, relief.

    Arrays are (patients, events), padded with NaN (or False) where a patient has fewer.

    Parameters
    ----------
    settings : Settings
        The shared settings. [-]
    seed : int
        Seed of the random generator. [-]
    titration : Schedule
        The titration steps after the implant, the same for every patient. [-]
    visit_days : numpy.ndarray
        Refill visits (the implant fill at day 0 first). [day]
    dose_ug_per_day : numpy.ndarray
        Dose programmed at each refill visit. [ug/day]
    late : numpy.ndarray of bool
        Whether the visit that ended each interval was late. [-]
    alarm_days, empty_days : numpy.ndarray
        Low-reservoir alarm and empty reservoir within each interval; NaN if the next visit
        came first. [day]
    battery_alarm_days, replacement_days : numpy.ndarray
        Replacement alarms and replacement operations. [day]
    mri_days, mri_gap_h : numpy.ndarray
        MRI scans and the hours without delivery each causes. [day, h]
    complication_days : dict
        Kind to (patients, events) times of that complication. [day]
    relief : numpy.ndarray of bool
        At least 50 % pain relief. [-]
    """

    settings: Settings
    seed: int
    titration: Schedule
    visit_days: np.ndarray
    dose_ug_per_day: np.ndarray
    late: np.ndarray
    alarm_days: np.ndarray
    empty_days: np.ndarray
    battery_alarm_days: np.ndarray
    replacement_days: np.ndarray
    mri_days: np.ndarray
    mri_gap_h: np.ndarray
    complication_days: dict
    relief: np.ndarray

    @property
    def patients(self):
        """Number of patients. [-]"""
        return len(self.relief)

    def refills(self):
        """Refill visits per patient, the implant fill excluded. [-]"""
        return np.sum(np.isfinite(self.visit_days), axis=1) - 1

    def titration_visits(self):
        """Clinic visits to raise the dose after the implant, within the time followed. [-]"""
        return int(np.sum(self.titration.start_days[1:] < self.settings.horizon_days))

    def refills_per_year(self):
        """Refill visits per patient per year followed. [1/year]"""
        return self.refills() / self.settings.years

    def empty_episodes(self):
        """Intervals in which the reservoir ran empty, per patient. [-]"""
        return np.sum(np.isfinite(self.empty_days), axis=1)

    def complications(self, kinds=None):
        """Number of complications per patient, of the given kinds (default all). [-]"""
        kinds = COMPLICATIONS if kinds is None else kinds
        return sum(np.sum(np.isfinite(self.complication_days[k]), axis=1) for k in kinds)

    def first_complication_days(self):
        """Time to each patient's first complication; ``inf`` if none. [day]"""
        firsts = [
            np.nanmin(np.where(np.isnan(v), np.inf, v), axis=1)
            for v in self.complication_days.values()
        ]
        return np.min(firsts, axis=0)

    def cost_usd(self):
        """
        Total cost per patient: implant, refills and titration visits (each at the cost of
        a refill visit), replacements, revisions (illustrative).

        Returns
        -------
        cost_usd : numpy.ndarray
            Per patient. [USD]
        """
        implant = _mean("implant_cost")
        replacements = np.sum(np.isfinite(self.replacement_days), axis=1)
        revisions = self.complications((*STOPPING, "infection", "granuloma"))
        return (
            implant * (1 + replacements)
            + _value("refill_visit_cost") * (self.refills() + self.titration_visits())
            + _value("revision_cost") * revisions
        )

    def cost_per_day_usd(self):
        """Total cost per patient over the days followed. [USD/day]"""
        return self.cost_usd() / self.settings.horizon_days


def _fill_limits(settings, plan):
    """
    Functions of the fill day ``t`` (array over patients) giving the days to the alarm
    and to empty, and the dose programmed at the visit; the settings are read once.

    Returns ``(limits, after_titration)``: ``limits(t)`` gives (days to the alarm, days to
    empty, dose) for any ``t``; ``after_titration(t)`` gives (days to the alarm, dose) only
    for ``t`` at or after the end of titration, where the dose follows the yearly increase
    alone and no schedule is looked up (the same arithmetic).
    """
    model = pump.get_pump(settings.pump_key)
    fill, alarm = settings.reservoir_ml, model.alarm_volume_ml
    growth = np.log1p(settings.escalation_percent_per_year / 100.0) / units.DAYS_PER_YEAR
    end_day, dose_0 = plan.end_day, settings.dose_ug_per_day
    per_ml = 1.0 / settings.concentration_ug_per_ml

    def after_titration(t, out=None):
        # In place into ``out`` (days to the alarm, dose) if given: the refill loop calls
        # this once per interval over every patient.
        to_alarm, dose = out if out is not None else (np.empty_like(t), np.empty_like(t))
        np.subtract(t, end_day, out=dose)
        dose *= growth
        np.exp(dose, out=dose)
        dose *= dose_0
        np.multiply(dose, per_ml, out=to_alarm)  # the flow rate [mL/day] first
        np.divide(fill - alarm, to_alarm, out=to_alarm)
        return to_alarm, dose

    def limits(t):
        to_alarm, dose = after_titration(np.maximum(t, end_day, dtype=float))
        to_empty = fill / (dose * per_ml)
        titrating = t < end_day
        if np.any(titrating):
            # Only the fills during titration follow the schedule (a few of many).
            t_early = t[titrating]
            used = plan.throughput_ml(t_early)
            to_alarm[titrating] = plan.time_at_throughput(used + fill - alarm) - t_early
            to_empty[titrating] = plan.time_at_throughput(used + fill) - t_early
            dose[titrating] = plan.dose_at(t_early)
        return to_alarm, to_empty, dose

    return limits, after_titration


class _Rows:
    """Growing (row, patient) buffers of the refill loop: float arrays and bool arrays."""

    def __init__(self, n, floats, flags, capacity=128):
        self._kinds = {**dict.fromkeys(floats, float), **dict.fromkeys(flags, bool)}
        for name, kind in self._kinds.items():
            setattr(self, name, np.zeros((capacity, n), dtype=kind))

    def ensure(self, row):
        """Make room for ``row``, doubling every buffer (rows kept) if needed."""
        for name in self._kinds:
            old = getattr(self, name)
            if row >= len(old):
                new = np.zeros((2 * len(old), old.shape[1]), dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)


def _visits(settings, plan, rng, n):
    """Refill visits of ``n`` patients at once, interval by interval."""
    drug = drugs.get_drug(settings.drug_key)
    late_low, late_high = _value("late_visit_days")
    horizon = settings.horizon_days
    late_chance = settings.late_visit_percent / 100.0
    # The first fill of a new pump may have a shorter limit (ziconotide: 14 days).
    stable = drug.stability_at(settings.concentration_ug_per_ml).model_value
    first = drug.stability_at(settings.concentration_ug_per_ml, first_fill=True).model_value
    limits, after_titration = _fill_limits(settings, plan)
    # One row per interval, each over all patients, written in place into buffers that
    # double when full. A patient past the horizon keeps drawing visits, masked out below,
    # so that each step is a few array operations (a slider move recomputes the cohort).
    rows = _Rows(n, ("visit", "to_alarm", "dose", "interval"), ("late",))
    draw, planned = np.empty((2, n)), np.empty(n)
    k = 0
    while (earliest := rows.visit[k].min()) < horizon:
        t = rows.visit[k]
        if earliest < plan.end_day or k == 0:  # titrating, or the first fill
            rows.to_alarm[k], _, rows.dose[k] = limits(t)
            limit = np.where(t == 0.0, first, stable)
        else:
            after_titration(t, out=(rows.to_alarm[k], rows.dose[k]))
            limit = stable
        np.subtract(rows.to_alarm[k], settings.margin_days, out=planned)
        np.minimum(planned, limit, out=planned)
        np.maximum(planned, 1.0, out=planned)
        rng.random(out=draw)
        late = np.less(draw[0], late_chance, out=rows.late[k])
        extra = draw[1]
        extra *= late_high - late_low
        extra += late_low
        extra *= late  # 0 days for a visit on time
        np.add(planned, extra, out=rows.interval[k])
        rows.ensure(k + 1)
        t = np.add(rows.visit[k], planned, out=rows.visit[k + 1])
        t += extra
        k += 1
    # (interval, patient) arrays, returned transposed as (patient, interval) views.
    visit, to_alarm, dose, interval, late = (
        getattr(rows, name)[:k] for name in ("visit", "to_alarm", "dose", "interval", "late")
    )
    ended = visit >= horizon
    visit[ended] = np.nan
    dose[ended] = np.nan
    late &= ~ended
    # The alarm sounds in an interval longer than the days to the alarm; the reservoir
    # runs empty in one longer than the days to empty (only where the alarm sounded).
    alarm_hit = np.nonzero(interval > to_alarm)  # NaN visits compare False
    alarm_day = visit[alarm_hit] + to_alarm[alarm_hit]
    to_empty = limits(visit[alarm_hit])[1]
    empty_hit = interval[alarm_hit] > to_empty
    alarm, empty = np.full_like(visit, np.nan), np.full_like(visit, np.nan)
    # An interval's alarm or empty day only counts while followed.
    alarm[alarm_hit] = np.where(alarm_day < horizon, alarm_day, np.nan)
    empty_day = np.where(empty_hit, visit[alarm_hit] + to_empty, np.nan)
    empty[alarm_hit] = np.where(empty_day < horizon, empty_day, np.nan)
    return {"visit": visit.T, "dose": dose.T, "late": late.T, "alarm": alarm.T, "empty": empty.T}


def _battery(settings, rng, n):
    """Replacement alarms and operations: service life drawn from its sourced range."""
    life_low, life_high = (
        units.DAYS_PER_YEAR * y for y in data.lookup("outcomes", "service_life").value
    )
    warning = data.lookup("outcomes", "replacement_warning").model_value
    delay = _value("replacement_after_alarm")
    start = np.zeros(n)
    alarms, replacements = [], []
    while True:
        alarm = start + rng.uniform(life_low, life_high, n) - warning
        alarm = np.where(start < settings.horizon_days, alarm, np.inf)
        if not np.any(alarm < settings.horizon_days):
            break
        replaced = alarm + delay
        alarms.append(np.where(alarm < settings.horizon_days, alarm, np.nan))
        replacements.append(np.where(replaced < settings.horizon_days, replaced, np.nan))
        start = replaced
    if not alarms:
        return np.full((n, 1), np.nan), np.full((n, 1), np.nan)
    return np.column_stack(alarms), np.column_stack(replacements)


def _poisson_times(rng, n, rate_per_day, horizon_days):
    """Event times of a Poisson process per patient, sorted, padded with NaN. [day]"""
    counts = rng.poisson(rate_per_day * horizon_days, n)
    # One draw for all patients, the same numbers as one draw per patient in turn.
    times = rng.uniform(0.0, horizon_days, counts.sum())
    owner = np.repeat(np.arange(n), counts)
    times = times[np.lexsort((times, owner))]  # sorted within each patient
    slot = np.arange(len(times)) - np.repeat(np.cumsum(counts) - counts, counts)
    out = np.full((n, max(int(counts.max(initial=0)), 1)), np.nan)
    out[owner, slot] = times
    return out


@arguments(
    settings=instance_of("helpers.cohort.Settings"),
    seed=SEED,
    patients=SCALAR,
    progress=Kind("a function or None", callable, optional=True),
)
def simulate_cohort(settings, patients, seed, progress=None):
    """
    Simulate a cohort of patients with the same settings.

    Parameters
    ----------
    settings : Settings
        Drug, dose, pump, refill policy, years. [-]
    patients : int
        Number of patients. [-]
    seed : int
        Seed of the random generator: the same seed gives the same cohort. [-]
    progress : callable, optional
        Called with the fraction done (0 to 1) after each stage, for a progress bar. [-]

    Returns
    -------
    cohort : Cohort
        Visits, doses, battery, MRI scans, complications and relief per patient. [-]

    Raises
    ------
    ValueError
        If ``patients`` is outside its range.

    Notes
    -----
    Refill visits are planned ``margin_days`` before the low-reservoir alarm (or at the
    drug's stability limit if earlier); with probability ``late_visit_percent`` a visit
    comes 1 to 14 days late, and the reservoir may run empty before it. The dose grows by
    ``escalation_percent_per_year``, set at each visit. Battery life is uniform over the
    sourced 5 to 7 years, the replacement alarm comes 90 days before the end [1]_. MRI
    scans and complications are Poisson processes at the rates of ``journey.toml`` [2]_.
    A peristaltic pump stops for the scan and sometimes restarts late; a valve-gated pump
    is emptied before the scan and reset and refilled after it
    (``programs.mri_valve_gated_gap``), because the field can open its valves [3]_;
    good-to-excellent relief is a Bernoulli draw with the surveyed 63.8 %.

    References
    ----------
    .. [1] Medtronic UK, "Getting a Replacement - Drug Pumps."
    .. [2] R. V. Duarte et al., Neuromodulation, vol. 13, pp. 109-112, 2010.
    .. [3] Flowonix, Prometra II Programmable Pump IFU, pp. 8 and 14.
    """
    n = int(PATIENTS.check(patients))
    rng = np.random.default_rng(seed)
    report = progress or (lambda fraction: None)
    plan = titration_plan(settings)
    visits = _visits(settings, plan, rng, n)
    report(0.4)
    battery_alarm, replacement = _battery(settings, rng, n)
    horizon = settings.horizon_days
    mri_days = _poisson_times(rng, n, _value("mri_per_year") / units.DAYS_PER_YEAR, horizon)
    delay_low, delay_high = data.lookup("programs", "mri_restart_delay").value
    delayed = rng.random(mri_days.shape) < _value("mri_delayed_share") / 100.0
    scan_h = units.days_to_hours(data.lookup("programs", "mri_scan_duration").model_value)
    extra_h = delayed * rng.uniform(delay_low, delay_high, mri_days.shape)
    if settings.pump_key == "valve_gated":
        # Emptied before the scan, reset and refilled after: no rotor to restart late.
        valve_low, valve_high = data.lookup("programs", "mri_valve_gated_gap").value
        extra_h = rng.uniform(valve_low, valve_high, mri_days.shape)
    gap_h = np.where(np.isfinite(mri_days), scan_h + extra_h, np.nan)
    report(0.7)
    complications = {
        kind: _poisson_times(rng, n, rate, horizon)
        for kind, rate in complication_rates_per_day(settings.drug_key).items()
    }
    relief = rng.random(n) < _mean("relief_share") / 100.0
    report(1.0)
    return Cohort(
        settings=settings,
        seed=seed,
        titration=plan,
        visit_days=visits["visit"],
        dose_ug_per_day=visits["dose"],
        late=visits["late"],
        alarm_days=visits["alarm"],
        empty_days=visits["empty"],
        battery_alarm_days=battery_alarm,
        replacement_days=replacement,
        mri_days=mri_days,
        mri_gap_h=gap_h,
        complication_days=complications,
        relief=relief,
    )


@dataclass(frozen=True)
class Journey:
    """
    One patient's years, day by day.

    Parameters
    ----------
    cohort : Cohort
        The cohort of one it was drawn from. [-]
    day : numpy.ndarray
        Days since the implant. [day]
    dose_ug_per_day : numpy.ndarray
        Programmed daily dose. [ug/day]
    delivered_ug_per_day : numpy.ndarray
        Dose actually delivered each day (less on days of MRI gaps, none while the reservoir
        is empty or the catheter or pump awaits revision). [ug/day]
    reservoir_ml : numpy.ndarray
        Reservoir volume at the start of each day. [mL]
    events : tuple of (float, str)
        Day and kind (:data:`EVENT_KINDS`) of every event, in time order. [day, -]
    cost_usd : numpy.ndarray
        Cumulative cost of the pump therapy (illustrative). [USD]
    oral_cost_usd : numpy.ndarray
        Cumulative cost of oral medicine instead (illustrative). [USD]
    """

    cohort: Cohort
    day: np.ndarray
    dose_ug_per_day: np.ndarray
    delivered_ug_per_day: np.ndarray
    reservoir_ml: np.ndarray
    events: tuple
    cost_usd: np.ndarray
    oral_cost_usd: np.ndarray

    def event_days(self, kind):
        """Days of the events of one kind. [day]"""
        return np.array([d for d, k in self.events if k == kind])


def _finite(row):
    return row[np.isfinite(row)]


@arguments(settings=instance_of("helpers.cohort.Settings"), seed=SEED)
def patient(settings, seed):
    """
    One patient's journey over the years, day by day.

    Parameters
    ----------
    settings : Settings
        Drug, dose, pump, refill policy, years. [-]
    seed : int
        Seed: the same seed gives the same patient. [-]

    Returns
    -------
    journey : Journey
        Daily dose, delivery, reservoir, events and costs. [-]

    Notes
    -----
    A cohort of one from :func:`simulate_cohort`, drawn out day by day: the reservoir
    falls at the programmed rate from each fill, delivery stops while it is empty, for
    :math:`t_{scan} + t_{delay}` at each MRI scan and for ``journey.revision_gap`` days after
    a catheter or pump complication [1]_.

    References
    ----------
    .. [1] Medtronic, "The Effects of MRI on Medtronic Drug Infusion Systems."
    """
    cohort = simulate_cohort(settings, 1, seed)
    plan = cohort.titration
    days = np.arange(int(np.floor(settings.horizon_days)) + 1, dtype=float)
    visits = _finite(cohort.visit_days[0])
    doses = _finite(cohort.dose_ug_per_day[0])
    k = np.searchsorted(visits, days, side="right") - 1
    # Schedule steps change the dose between fills; after the last step each refill
    # visit sets the escalated dose until the next one.
    on_plan = visits[k] < plan.end_day
    dose = np.where(days < plan.end_day, plan.dose_at(days), doses[k])
    dose = np.where(on_plan & (days >= plan.end_day), settings.dose_ug_per_day, dose)
    used = np.where(
        on_plan,
        plan.throughput_ml(days) - plan.throughput_ml(visits[k]),
        doses[k] / settings.concentration_ug_per_ml * (days - visits[k]),
    )
    reservoir = np.maximum(settings.reservoir_ml - used, 0.0)
    delivered = np.where(reservoir > 0.0, dose, 0.0)
    for day, gap in zip(_finite(cohort.mri_days[0]), _finite(cohort.mri_gap_h[0]), strict=True):
        stopped = units.hours_to_days(gap)
        covered = (days >= np.floor(day)) & (days < day + stopped)
        delivered[covered] *= max(0.0, 1.0 - stopped / max(covered.sum(), 1))
    gap_days = _value("revision_gap")
    for kind in STOPPING:
        for day in _finite(cohort.complication_days[kind][0]):
            delivered[(days >= day) & (days < day + gap_days)] = 0.0
    events = [
        (float(d), "refill")
        for d, late in zip(visits[1:], cohort.late[0][: len(visits) - 1], strict=True)
        if not late
    ]
    events += [
        (float(d), "late_refill")
        for d, late in zip(visits[1:], cohort.late[0][: len(visits) - 1], strict=True)
        if late
    ]
    events += [(float(d), "titration") for d in plan.start_days[1:] if d <= days[-1]]
    events += [(float(d), "alarm") for d in _finite(cohort.alarm_days[0])]
    events += [(float(d), "empty") for d in _finite(cohort.empty_days[0])]
    events += [(float(d), "battery_alarm") for d in _finite(cohort.battery_alarm_days[0])]
    events += [(float(d), "replacement") for d in _finite(cohort.replacement_days[0])]
    events += [(float(d), "mri") for d in _finite(cohort.mri_days[0])]
    for kind in COMPLICATIONS:
        events += [(float(d), kind) for d in _finite(cohort.complication_days[kind][0])]
    events.sort()
    implant = _mean("implant_cost")
    cost = np.full_like(days, implant)
    unit_costs = {
        "refill": _value("refill_visit_cost"),
        "late_refill": _value("refill_visit_cost"),
        "titration": _value("refill_visit_cost"),
        "replacement": implant,
        **dict.fromkeys(COMPLICATIONS, _value("revision_cost")),
    }
    when = np.array([day for day, _ in events])
    paid = np.cumsum([unit_costs.get(kind, 0.0) for _, kind in events])
    count = np.searchsorted(when, days, side="right")  # events on or before each day
    cost = cost + np.concatenate([[0.0], paid])[count]
    return Journey(
        cohort=cohort,
        day=days,
        dose_ug_per_day=dose,
        delivered_ug_per_day=delivered,
        reservoir_ml=reservoir,
        events=tuple(events),
        cost_usd=cost,
        oral_cost_usd=_value("oral_cost_per_day") * days,
    )


@arguments(cohort=instance_of("helpers.cohort.Cohort"))
def cost_at(cohort, days):
    """
    Cumulative cost per patient at given times (illustrative figures): implant, refill and
    titration visits, replacements, revisions.

    Parameters
    ----------
    cohort : Cohort
        The simulated cohort. [-]
    days : array_like
        Times since the implant. [day]

    Returns
    -------
    cost_usd : numpy.ndarray
        Shape (patients, times). [USD]

    Raises
    ------
    ValueError
        If a time is negative or not finite, or the times are not in increasing order.

    References
    ----------
    .. [1] R. Bolash et al., "Longevity and cost of implantable intrathecal drug delivery
       systems for chronic pain management," Neuromodulation, vol. 18, pp. 150-155, 2015.
    """
    try:
        days = np.asarray(days, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"days must be a list of times, not {days!r:.40}") from None
    if days.ndim != 1:
        raise ValueError(f"days must be a list of times, not an array of shape {days.shape}")
    Range("days", 0.0, 1.0e5, "day", "times since the implant").check(days)
    if np.any(np.diff(days) < 0):
        raise ValueError("days must be in increasing order (times since the implant)")
    rows = np.arange(cohort.patients)
    slots = len(days) + 1
    steps = np.broadcast_to(
        cohort.titration.start_days[1:], (cohort.patients, len(cohort.titration.start_days) - 1)
    )
    implant, visit, revision = (
        _mean("implant_cost"),
        _value("refill_visit_cost"),
        _value("revision_cost"),
    )
    # Every costed event once: (its patient and time bin, its cost); one weighted count,
    # then a running sum over the times, gives each patient's cost at each time.
    events = [
        (cohort.replacement_days, implant),
        (cohort.visit_days[:, 1:], visit),
        (steps, visit),
        *((v, revision) for v in cohort.complication_days.values()),
    ]
    index, weight = [], []
    for times, cost in events:
        finite = np.isfinite(times)
        bins = np.searchsorted(days, times[finite], side="left")
        owners = np.broadcast_to(rows[:, None], times.shape)[finite]
        index.append(owners * slots + bins)
        weight.append(np.full(len(bins), cost))
    spent = np.bincount(
        np.concatenate(index), np.concatenate(weight), minlength=cohort.patients * slots
    )
    return implant + np.cumsum(spent.reshape(cohort.patients, slots), axis=1)[:, :-1]
