"""A small expression language for indicator universes and numerators.

Expressions are frozen dataclasses, so an indicator is data that can be read,
compared and printed. Evaluation is vectorised over a frame of numpy columns.

Coding conventions of the official MICS syntax are built in: a comparison with a
missing value is false, so "don't know" (8), no response (9) and system-missing
answers never satisfy a numerator condition and stay in the denominator as "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Frame = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Var:
    """A numeric variable; codes at or above ``missing_from`` are treated as missing."""

    name: str
    missing_from: float | None = None

    def columns(self) -> frozenset[str]:
        return frozenset({self.name})

    def values(self, frame: Frame) -> np.ndarray:
        v = np.asarray(frame[self.name], dtype=float)
        if self.missing_from is not None:
            v = np.where(v >= self.missing_from, np.nan, v)
        return v


@dataclass(frozen=True)
class KnownSum:
    """Sum of the components that are known; missing when none is known."""

    terms: tuple[Var, ...]

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(t.columns() for t in self.terms))

    def values(self, frame: Frame) -> np.ndarray:
        stacked = np.vstack([t.values(frame) for t in self.terms])
        known = ~np.isnan(stacked)
        total = np.where(known, stacked, 0.0).sum(axis=0)
        return np.where(known.any(axis=0), total, np.nan)


Value = Var | KnownSum


def _as_value(value: Value | str) -> Value:
    return Var(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Eq:
    """The stored value equals ``value`` (missing never does)."""

    var: str
    value: float = 1

    def columns(self) -> frozenset[str]:
        return frozenset({self.var})

    def evaluate(self, frame: Frame) -> np.ndarray:
        return np.asarray(frame[self.var], dtype=float) == self.value


@dataclass(frozen=True)
class In:
    var: str
    values: tuple[float, ...]

    def columns(self) -> frozenset[str]:
        return frozenset({self.var})

    def evaluate(self, frame: Frame) -> np.ndarray:
        return np.isin(np.asarray(frame[self.var], dtype=float), self.values)


@dataclass(frozen=True)
class Between:
    """``low <= value <= high``, both inclusive (ages in completed years)."""

    value: Value | str
    low: float
    high: float

    def columns(self) -> frozenset[str]:
        return _as_value(self.value).columns()

    def evaluate(self, frame: Frame) -> np.ndarray:
        v = _as_value(self.value).values(frame)
        with np.errstate(invalid="ignore"):
            return (v >= self.low) & (v <= self.high)


@dataclass(frozen=True)
class AtLeast:
    value: Value | str
    threshold: float

    def columns(self) -> frozenset[str]:
        return _as_value(self.value).columns()

    def evaluate(self, frame: Frame) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return _as_value(self.value).values(frame) >= self.threshold


@dataclass(frozen=True)
class Below:
    value: Value | str
    threshold: float

    def columns(self) -> frozenset[str]:
        return _as_value(self.value).columns()

    def evaluate(self, frame: Frame) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return _as_value(self.value).values(frame) < self.threshold


@dataclass(frozen=True)
class AnyOf:
    terms: tuple[Predicate, ...]

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(t.columns() for t in self.terms))

    def evaluate(self, frame: Frame) -> np.ndarray:
        return np.logical_or.reduce([t.evaluate(frame) for t in self.terms])


@dataclass(frozen=True)
class AllOf:
    terms: tuple[Predicate, ...]

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(t.columns() for t in self.terms))

    def evaluate(self, frame: Frame) -> np.ndarray:
        return np.logical_and.reduce([t.evaluate(frame) for t in self.terms])


@dataclass(frozen=True)
class Not:
    term: Predicate

    def columns(self) -> frozenset[str]:
        return self.term.columns()

    def evaluate(self, frame: Frame) -> np.ndarray:
        return ~self.term.evaluate(frame)


Predicate = Eq | In | Between | AtLeast | Below | AnyOf | AllOf | Not


def any_yes(*names: str) -> AnyOf:
    """At least one of the items is a stored 1."""
    return AnyOf(tuple(Eq(n, 1) for n in names))


def all_of(*terms: Predicate) -> AllOf:
    return AllOf(terms)


def any_of(*terms: Predicate) -> AnyOf:
    return AnyOf(terms)
