"""Allowed ranges of model inputs, shared by input validation and by the panels' sliders.

A :class:`Range` is declared next to the model that uses it. Model functions call
:meth:`Range.check` on every input; panels read ``low``, ``high`` and ``unit`` from the
same object, so a slider can never offer a value the model rejects.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import numbers
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


@functools.cache
def _class(reference):
    """A class, or the class a ``"module.Name"`` string names (imported when first used)."""
    if isinstance(reference, str):
        module, _, name = reference.rpartition(".")
        return getattr(importlib.import_module(module), name)
    return reference


@dataclass(frozen=True)
class Kind:
    """
    What one argument must be, checked by :func:`arguments` before a model runs.

    Parameters
    ----------
    what : str
        The expectation in words, for the error message. [-]
    test : callable
        ``test(value) -> bool``; true when the value is acceptable. [-]
    optional : bool, default False
        Whether ``None`` is accepted (the argument's documented default). [-]
    """

    what: str
    test: object
    optional: bool = False

    def check(self, value, name):
        """Raise a TypeError naming the argument, its value and the expectation."""
        if value is None and self.optional:
            return
        if not self.test(value):
            raise TypeError(f"{name} must be {self.what}, not {_short(value)}")

    def __call__(self, value, name):
        """Same as :meth:`check`."""
        self.check(value, name)


def instance_of(reference, what=None, optional=False):
    """
    A :class:`Kind` for objects of a class.

    Parameters
    ----------
    reference : type or str
        The class, or its dotted name (imported when first checked, which avoids import
        cycles between model modules). [-]
    what : str, optional
        The expectation in words; default "a <ClassName>". [-]
    optional : bool, default False
        Whether ``None`` is accepted. [-]

    Returns
    -------
    kind : Kind
        The check, for :func:`arguments`. [-]

    References
    ----------
    .. [1] Python documentation, "Built-in functions: isinstance."
    """
    label = what or f"a {str(reference).rpartition('.')[2].strip(chr(39) + '>')}"
    return Kind(label, lambda value: isinstance(value, _class(reference)), optional)


def one_of(options, what=None, optional=False):
    """
    A :class:`Kind` for a key among ``options``; an unknown key raises a ``KeyError``.

    Parameters
    ----------
    options : sequence, callable or str
        The valid keys, a function returning them, or the dotted name of a module
        constant holding them (read when first checked). [-]
    what : str, optional
        The expectation in words; default lists the keys. [-]
    optional : bool, default False
        Whether ``None`` is accepted. [-]

    Returns
    -------
    kind : Kind
        The check, for :func:`arguments`. [-]

    References
    ----------
    .. [1] Python documentation, "Mapping types: dict" (membership tests).
    """

    def resolve():
        if isinstance(options, str):
            return _class(options)
        return options() if callable(options) else options

    def test(value):
        return isinstance(value, str) and value in resolve()

    return _LazyChoices(Kind(what or "one of the listed keys", test, optional), resolve)


@dataclass(frozen=True)
class _LazyChoices:
    """A :func:`one_of` whose choices are imported when first checked."""

    kind: Kind
    resolve: object

    def check(self, value, name):
        """Raise a TypeError naming the argument and listing the valid keys."""
        if value is None and self.kind.optional:
            return
        if not self.kind.test(value):
            if isinstance(value, str):
                raise KeyError(f"{name} = {value!r} is unknown; use one of {list(self.resolve())}")
            raise TypeError(f"{name} must be one of {list(self.resolve())}, not {_short(value)}")


def _is_real(value):
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


#: A single real number (not text, not a list, not a bool).
SCALAR = Kind("a single number", _is_real)
#: A whole number such as a count or a random seed.
INTEGER = Kind(
    "a whole number",
    lambda value: _is_real(value) and math.isfinite(value) and float(value).is_integer(),
)
#: A text such as a reason or a cause.
TEXT = Kind("a text", lambda value: isinstance(value, str))
#: True or False.
FLAG = Kind("True or False", lambda value: isinstance(value, (bool, np.bool_)))


def _numbers(value):
    if value is None or isinstance(value, str):
        return False
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.ndim <= 1


#: A number or a one-dimensional sequence of numbers (their ranges check the values).
NUMBERS = Kind("a number or a sequence of numbers", _numbers)


def arguments(**kinds):
    """
    Check the named arguments against :class:`Kind` expectations before the function runs.

    The declaration sits on the function it protects, as scikit-learn's
    ``_parameter_constraints`` do; numeric ranges stay with :class:`Range`. A wrong
    argument raises a ``TypeError`` that names it, instead of an ``AttributeError`` or a
    numpy message from deep inside the model.

    Parameters
    ----------
    **kinds : Kind
        Expectation per argument name. [-]

    Returns
    -------
    decorator : callable
        Wraps the function; the declarations are kept in ``__arguments__``. [-]

    References
    ----------
    .. [1] scikit-learn developers, "Developer's guide: parameter validation."
    """

    def decorate(function):
        signature = inspect.signature(function)
        unknown = set(kinds) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{function.__name__} has no argument {sorted(unknown)}")
        names = list(signature.parameters)
        # Where each checked argument stands, and which take None as "not given".
        checks = [
            (name, names.index(name), kind, signature.parameters[name].default is None)
            for name, kind in kinds.items()
        ]

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            for name, position, kind, none_is_default in checks:
                if position < len(args):
                    value = args[position]
                elif name in kwargs:
                    value = kwargs[name]
                else:
                    continue
                if value is None and none_is_default:
                    continue  # the documented default: "not given"
                kind.check(value, name)
            return function(*args, **kwargs)

        wrapper.__arguments__ = kinds
        return wrapper

    return decorate


#: A vertebral level such as ``"T10"``, or a height above the sac end in cm.
LEVEL = Kind(
    "a vertebral level such as 'T10' or a height in cm",
    lambda value: isinstance(value, str) or _is_real(value),
)


def _finite(value):
    if _is_real(value):
        return math.isfinite(value)
    return (
        isinstance(value, np.ndarray)
        and value.dtype.kind in "fiu"
        and bool(np.all(np.isfinite(value)))
    )


#: A finite number or a numpy array of finite numbers (unit conversions).
FINITE = Kind("a finite number or a numpy array of finite numbers", _finite)


def _sequence(value):
    if value is None or isinstance(value, str):
        return False
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.ndim == 1 and bool(np.all(np.isfinite(array)))


def _times(value):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return (
        array.ndim == 1
        and array.size >= 2
        and bool(np.all(np.isfinite(array)))
        and bool(np.all(np.diff(array) > 0))
    )


#: A one-dimensional sequence of finite numbers (days of visits, minutes of boluses).
SEQUENCE = Kind("a sequence of finite numbers", _sequence)
#: Increasing finite times, at least two: the grid a simulation reports on.
TIMES = Kind("an increasing sequence of at least two finite times", _times)
#: A random seed: a whole number from 0.
SEED = Kind(
    "a whole number from 0",
    lambda value: (
        isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 0
    ),
)
