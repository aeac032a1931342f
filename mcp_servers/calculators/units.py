"""Unit conversion at the boundary: calculators take one unit per input (named in the parameter); this module
brings a measurement to that unit.

``convert(value, from_unit, to_unit, analyte=None)`` handles mass, length, temperature, pressure, cell counts and
concentrations. Concentrations convert between mass (g, mg, ug...), amount (mol, mmol, umol...) and equivalents
(Eq, mEq) per volume (L, dL, mL, uL); crossing mass and amount needs the analyte's molar mass and crossing
equivalents its valence, both from ``ANALYTES``. Unit spellings are forgiving (``umol/L``, ``µmol/L``,
``micromol/l``; ``lbs``; ``degrees fahrenheit``).
"""

from __future__ import annotations

from dataclasses import dataclass

from healthgym.mcp_servers.calculators.result import CalculatorInputError

__all__ = ["ANALYTES", "Analyte", "convert"]


@dataclass(frozen=True)
class Analyte:
    """What a concentration conversion needs to know about a substance."""

    molar_mass_g_mol: float
    """Grams per mole of the measured species (urea nitrogen: 28.02, two N atoms per urea)."""
    valence: int = 1
    """Charge, for mEq <-> mmol (calcium and magnesium 2)."""


ANALYTES: dict[str, Analyte] = {
    "albumin": Analyte(66_500),
    "bicarbonate": Analyte(61.02),
    "bilirubin": Analyte(584.66),
    "bun": Analyte(28.02),
    "calcium": Analyte(40.08, valence=2),
    "chloride": Analyte(35.45),
    "cholesterol": Analyte(386.65),
    "creatinine": Analyte(113.12),
    "glucose": Analyte(180.16),
    "hemoglobin": Analyte(16_114.5),
    "insulin": Analyte(5_808),
    "lactate": Analyte(89.07),
    "magnesium": Analyte(24.305, valence=2),
    "phosphate": Analyte(30.97),
    "potassium": Analyte(39.10),
    "sodium": Analyte(22.99),
    "triglycerides": Analyte(885.7),
    "urea": Analyte(60.06),
}
"""Molar masses (g/mol) and valences. Clinical factors they reproduce: creatinine 1 mg/dL = 88.4 umol/L, glucose
1 mmol/L = 18.02 mg/dL, calcium 1 mmol/L = 4.008 mg/dL, BUN 1 mg/dL = 0.357 mmol/L urea, bilirubin 1 mg/dL =
17.1 umol/L, cholesterol 1 mmol/L = 38.67 mg/dL, triglycerides 1 mmol/L = 88.57 mg/dL."""

INSULIN_PMOL_L_PER_UIU_ML = 6.0
"""Insulin: 1 uIU/mL = 6 pmol/L (Heinemann L. J Diabetes Sci Technol 2010;4:1263)."""

_LINEAR: dict[str, tuple[str, float]] = {
    # dimension, factor to the dimension's base unit (kg, m, mm Hg, s)
    "kg": ("mass", 1.0),
    "g": ("mass", 1e-3),
    "lb": ("mass", 0.45359237),
    "lbs": ("mass", 0.45359237),
    "oz": ("mass", 0.028349523125),
    "m": ("length", 1.0),
    "cm": ("length", 0.01),
    "mm": ("length", 0.001),
    "in": ("length", 0.0254),
    "ft": ("length", 0.3048),
    "mmhg": ("pressure", 1.0),
    "kpa": ("pressure", 7.50062),
    "cmh2o": ("pressure", 0.735559),
    "ms": ("time", 0.001),
    "msec": ("time", 0.001),
    "s": ("time", 1.0),
    "sec": ("time", 1.0),
}
_CELSIUS = {"c", "°c", "degc", "degreescelsius", "celsius", "degreesc"}
_FAHRENHEIT = {"f", "°f", "degf", "degreesfahrenheit", "fahrenheit", "degreesf", "degreesfahreinheit"}
_AMOUNT = {"mol": 1.0, "mmol": 1e-3, "umol": 1e-6, "nmol": 1e-9, "pmol": 1e-12}
_MASS = {"kg": 1e3, "g": 1.0, "mg": 1e-3, "ug": 1e-6, "ng": 1e-9, "pg": 1e-12}
_EQUIVALENTS = {"eq": 1.0, "meq": 1e-3}
_VOLUME = {"l": 1.0, "dl": 0.1, "ml": 1e-3, "ul": 1e-6, "mm^3": 1e-6, "mm3": 1e-6, "cm^3": 1e-3, "cm3": 1e-3}
_COUNT_PREFIX = {
    "": 1.0,
    "count": 1.0,
    "cells": 1.0,
    "10^3": 1e3,
    "x10^3": 1e3,
    "k": 1e3,
    "10^9": 1e9,
    "x10^9": 1e9,
    "10^6": 1e6,
    "x10^6": 1e6,
    "10^12": 1e12,
    "x10^12": 1e12,
}


def convert(value: float, from_unit: str, to_unit: str, analyte: str | None = None) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ``analyte`` (a key of ``ANALYTES``) for concentrations.

    Raises ``CalculatorInputError`` naming both units when they are unknown or measure different things.
    """
    source, target = _normalise(from_unit), _normalise(to_unit)
    if source == target:
        return float(value)
    if source in _LINEAR and target in _LINEAR:
        (source_dim, source_factor), (target_dim, target_factor) = _LINEAR[source], _LINEAR[target]
        if source_dim == target_dim:
            return value * source_factor / target_factor
    if source in _CELSIUS | _FAHRENHEIT and target in _CELSIUS | _FAHRENHEIT:
        return (value - 32) * 5 / 9 if source in _FAHRENHEIT else value * 9 / 5 + 32
    if {source, target} == {"uiu/ml", "pmol/l"} and analyte == "insulin":
        return value * INSULIN_PMOL_L_PER_UIU_ML if source == "uiu/ml" else value / INSULIN_PMOL_L_PER_UIU_ML
    if "/" in source and "/" in target:
        return _convert_per_volume(value, source, target, analyte, from_unit, to_unit)
    raise CalculatorInputError(f"Cannot convert {from_unit!r} to {to_unit!r}")


def _normalise(unit: str) -> str:
    text = unit.strip().lower().replace(" ", "").replace("×", "x").replace("*", "")
    for micro in ("μ", "µ", "micro"):
        text = text.replace(micro, "u")
    return text.replace("mcg", "ug").replace("mcl", "ul")


def _convert_per_volume(
    value: float, source: str, target: str, analyte: str | None, from_unit: str, to_unit: str
) -> float:
    source_quantity, source_volume = source.split("/", 1)
    target_quantity, target_volume = target.split("/", 1)
    if source_volume not in _VOLUME or target_volume not in _VOLUME:
        raise CalculatorInputError(f"Cannot convert {from_unit!r} to {to_unit!r}: unknown volume unit")
    per_litre = value / _VOLUME[source_volume]
    for same_kind in (_COUNT_PREFIX, _MASS, _AMOUNT, _EQUIVALENTS):
        if source_quantity in same_kind and target_quantity in same_kind:
            return per_litre * same_kind[source_quantity] / same_kind[target_quantity] * _VOLUME[target_volume]
    moles = _to_moles(per_litre, source_quantity, analyte, from_unit, to_unit)
    return _from_moles(moles, target_quantity, analyte, from_unit, to_unit) * _VOLUME[target_volume]


def _analyte(analyte: str | None, from_unit: str, to_unit: str) -> Analyte:
    if analyte not in ANALYTES:
        raise CalculatorInputError(
            f"Converting {from_unit!r} to {to_unit!r} needs an analyte; got {analyte!r}, known: {sorted(ANALYTES)}"
        )
    return ANALYTES[analyte]


def _to_moles(amount: float, unit: str, analyte: str | None, from_unit: str, to_unit: str) -> float:
    if unit in _AMOUNT:
        return amount * _AMOUNT[unit]
    if unit in _MASS:
        return amount * _MASS[unit] / _analyte(analyte, from_unit, to_unit).molar_mass_g_mol
    if unit in _EQUIVALENTS:
        return amount * _EQUIVALENTS[unit] / _analyte(analyte, from_unit, to_unit).valence
    raise CalculatorInputError(f"Cannot convert {from_unit!r} to {to_unit!r}: unknown amount unit {unit!r}")


def _from_moles(moles: float, unit: str, analyte: str | None, from_unit: str, to_unit: str) -> float:
    if unit in _AMOUNT:
        return moles / _AMOUNT[unit]
    if unit in _MASS:
        return moles * _analyte(analyte, from_unit, to_unit).molar_mass_g_mol / _MASS[unit]
    if unit in _EQUIVALENTS:
        return moles * _analyte(analyte, from_unit, to_unit).valence / _EQUIVALENTS[unit]
    raise CalculatorInputError(f"Cannot convert {from_unit!r} to {to_unit!r}: unknown amount unit {unit!r}")
