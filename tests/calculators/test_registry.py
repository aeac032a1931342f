"""The library's contract: every calculator registered, exported, documented, bounded, and never crashing.

Property tests draw every input from the bounds in the calculator's own signature: inside them a calculator returns a
finite result (or, for the few cross-field constraints listed below, a ``CalculatorInputError`` that says why); just
outside them it raises ``CalculatorInputError`` naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import typing
from pathlib import Path
from typing import Any, Literal

import annotated_types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic.fields import FieldInfo

import healthgym.mcp_servers.calculators as calculators
from healthgym.mcp_servers.calculators import CALCULATORS, CalcResult, CalculatorInputError, get_calculator

CROSS_FIELD = {
    "mean_arterial_pressure": "diastolic_bp_mm_hg",
    "delta_ratio": "bicarbonate_mmol_l=24",
    "albumin_corrected_delta_ratio": "bicarbonate_mmol_l=24",
    "ldl_friedewald": "inconsistent",
    "gestational_age": "current_date",
    "apache_ii": "apache_ii: fio2_fraction",
    "cockcroft_gault": "needs height_cm",
    "caprini": "women only",
}
"""Calculators with a constraint between inputs, and the words their error uses."""

MEDCALC_BENCH_CALCULATORS = {
    "cockcroft_gault",
    "ckd_epi_2021",
    "mdrd_egfr",
    "cha2ds2_vasc",
    "has_bled",
    "mean_arterial_pressure",
    "bmi",
    "body_surface_area",
    "ideal_body_weight",
    "adjusted_body_weight",
    "target_weight",
    "calcium_correction",
    "sodium_correction_hyperglycemia",
    "serum_osmolality",
    "anion_gap",
    "delta_gap",
    "delta_ratio",
    "albumin_corrected_anion_gap",
    "albumin_corrected_delta_gap",
    "albumin_corrected_delta_ratio",
    "free_water_deficit",
    "fena",
    "ldl_friedewald",
    "homa_ir",
    "fib4",
    "meld_na",
    "child_pugh",
    "qtc_bazett",
    "qtc_fridericia",
    "qtc_framingham",
    "qtc_hodges",
    "qtc_rautaharju",
    "wells_pe",
    "wells_dvt",
    "perc",
    "revised_cardiac_risk_index",
    "heart_score",
    "framingham_hard_chd",
    "centor_mcisaac",
    "feverpain",
    "gcs",
    "curb_65",
    "psi_port",
    "sirs",
    "sofa",
    "apache_ii",
    "glasgow_blatchford",
    "charlson",
    "caprini",
    "maintenance_fluids",
    "steroid_conversion",
    "morphine_milligram_equivalents",
    "estimated_due_date",
    "estimated_conception_date",
    "gestational_age",
}
DOMAIN_CALCULATORS = {
    "news2",
    "qsofa",
    "shock_index",
    "revised_trauma_score",
    "bishop_score",
    "apgar_score",
    "phq9",
    "gad7",
}


def test_registry_covers_medcalc_bench_and_the_domain_scores() -> None:
    assert len(MEDCALC_BENCH_CALCULATORS) == 55
    assert CALCULATORS.keys() >= MEDCALC_BENCH_CALCULATORS | DOMAIN_CALCULATORS


def test_public_surface_is_sorted_and_exports_every_calculator() -> None:
    assert calculators.__all__ == sorted(calculators.__all__)
    assert CALCULATORS.keys() <= set(calculators.__all__)
    for name in calculators.__all__:
        assert hasattr(calculators, name), name


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_each_calculator_documents_its_source_and_inputs(name: str) -> None:
    spec = CALCULATORS[name]
    assert spec.func.__name__ == name and spec.title
    assert "Source:" in spec.description, f"{name} docstring must cite its source"
    for parameter in inspect.signature(spec.func).parameters.values():
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    for field_name, field in spec.inputs.model_fields.items():
        assert field.description, f"{name}.{field_name} has no description"
        lo, hi = _bounds(field)
        if isinstance(lo, int | float):
            assert f"{lo:g} to {hi:g}" in field.description, f"{name}.{field_name} does not state its range"


def test_documentation_lists_every_calculator() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "calculators.md").read_text()
    assert [name for name in CALCULATORS if f"`{name}`" not in text] == []


def test_unknown_calculator_lists_the_known_ones() -> None:
    with pytest.raises(CalculatorInputError, match="Available: \\[.*'news2'"):
        get_calculator("news3")


def test_missing_unknown_and_out_of_range_inputs_name_the_parameter() -> None:
    with pytest.raises(CalculatorInputError, match="missing required input 'creatinine_mg_dl'.*0.1 to 25"):
        calculators.cockcroft_gault(age_years=60, weight_kg=70, sex="male")
    with pytest.raises(CalculatorInputError, match="unknown input 'scr'"):
        calculators.cockcroft_gault(age_years=60, weight_kg=70, sex="male", creatinine_mg_dl=1, scr=1)
    with pytest.raises(CalculatorInputError, match="age_years=12 .*18 to 120"):
        calculators.cockcroft_gault(age_years=12, weight_kg=70, sex="male", creatinine_mg_dl=1)
    with pytest.raises(CalculatorInputError, match="sex='m'.*'male' or 'female'"):
        calculators.cockcroft_gault(age_years=60, weight_kg=70, sex="m", creatinine_mg_dl=1)
    with pytest.raises(TypeError, match="keyword arguments only"):
        calculators.bmi(70, 175)  # type: ignore[call-arg]


# --------------------------------------------------------------------------------------------- property tests


def _bounds(field: FieldInfo) -> tuple[float | None, float | None]:
    lo = hi = None
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            lo = item.ge
        elif isinstance(item, annotated_types.Le):
            hi = item.le
    return lo, hi


def _base_type(field: FieldInfo) -> tuple[Any, bool]:
    annotation, optional = field.annotation, False
    if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation, optional = args[0], True
    return annotation, optional


def _strategy(field: FieldInfo) -> st.SearchStrategy[Any]:
    annotation, optional = _base_type(field)
    lo, hi = _bounds(field)
    if typing.get_origin(annotation) is Literal:
        inner: st.SearchStrategy[Any] = st.sampled_from(typing.get_args(annotation))
    elif annotation is bool:
        inner = st.booleans()
    elif annotation is int:
        inner = st.integers(min_value=lo, max_value=hi)
    elif annotation is float:
        inner = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
    elif annotation is dt.date:
        inner = st.dates(min_value=lo, max_value=hi)
    else:
        raise AssertionError(f"no strategy for {annotation}")
    return st.one_of(st.none(), inner) if optional else inner


def _inputs(name: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = CALCULATORS[name].inputs.model_fields
    return st.fixed_dictionaries({field_name: _strategy(field) for field_name, field in fields.items()})


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_in_bounds_inputs_never_crash(name: str) -> None:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_inputs(name))
    def check(inputs: dict[str, Any]) -> None:
        try:
            result = get_calculator(name)(**inputs)
        except CalculatorInputError as exc:
            assert name in CROSS_FIELD and CROSS_FIELD[name] in str(exc), f"{name} rejected in-bounds {inputs}: {exc}"
            return
        assert isinstance(result, CalcResult) and result.calculator == name
        assert math.isfinite(result.value) and result.unit and result.source
        assert all(math.isfinite(points) for points in result.points.values())

    check()


def _outside(field: FieldInfo) -> list[Any]:
    annotation, _ = _base_type(field)
    lo, hi = _bounds(field)
    if typing.get_origin(annotation) is Literal:
        return ["not-a-choice"]
    if annotation is dt.date:
        return [lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)]
    values: list[Any] = []
    if annotation in (int, float):
        step = 1 if annotation is int else 1e-6 * max(1.0, abs(lo or 0), abs(hi or 0))
        if lo is not None:
            values.append(lo - step)
        if hi is not None:
            values.append(hi + step)
        if annotation is float:
            values.append(math.nan)
    return values


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_out_of_bounds_inputs_give_a_clear_error(name: str) -> None:
    fields = CALCULATORS[name].inputs.model_fields

    @settings(max_examples=10, deadline=None)
    @given(_inputs(name))
    def check(inputs: dict[str, Any]) -> None:
        for field_name, field in fields.items():
            for bad in _outside(field):
                with pytest.raises(CalculatorInputError, match=f"{name}: {field_name}="):
                    get_calculator(name)(**{**inputs, field_name: bad})
            if field.is_required():
                with pytest.raises(CalculatorInputError, match=f"missing required input '{field_name}'"):
                    get_calculator(name)(**{k: v for k, v in inputs.items() if k != field_name})

    check()
