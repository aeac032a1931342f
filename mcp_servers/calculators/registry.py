"""Every calculator by name, with the typed input model a server builds its schema from.

A calculator is a keyword-only function whose parameters are ``Annotated`` with a pydantic ``Field`` giving the unit
and bounds. ``@calculator`` registers it and validates every call through the model built from that signature, so the
bounds in the schema and the bounds enforced are the same object, and a missing, unknown or out-of-bounds input raises
``CalculatorInputError`` naming the parameter and what is allowed.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

P = ParamSpec("P")


@dataclass(frozen=True)
class Calculator:
    """One registered calculator."""

    name: str
    """Tool and registry id, the function's name (``cockcroft_gault``)."""
    title: str
    """Human-readable name (``Cockcroft-Gault creatinine clearance``)."""
    area: str
    """Clinical area, the module it lives in (``renal``)."""
    func: Callable[..., CalcResult]
    """The validated function."""
    inputs: type[BaseModel]
    """Input model: one field per keyword argument, with unit, bounds and description."""

    @property
    def description(self) -> str:
        """The function's docstring: formula, bands and source."""
        return inspect.getdoc(self.func) or ""

    def __call__(self, **inputs: Any) -> CalcResult:
        return self.func(**inputs)


CALCULATORS: dict[str, Calculator] = {}
"""Registry, filled at import of the area modules (the package ``__init__`` imports them all)."""


def get_calculator(name: str) -> Calculator:
    """The calculator called ``name``; an unknown name fails with the list of valid ones."""
    try:
        return CALCULATORS[name]
    except KeyError:
        raise CalculatorInputError(f"Unknown calculator {name!r}. Available: {sorted(CALCULATORS)}") from None


def calculator(title: str) -> Callable[[Callable[P, CalcResult]], Callable[P, CalcResult]]:
    """Register a calculator and validate each call against the bounds in its signature."""

    def register(func: Callable[P, CalcResult]) -> Callable[P, CalcResult]:
        signature = inspect.signature(func, eval_str=True)
        model = _input_model(func.__name__, signature)

        @functools.wraps(func)
        def validated(*args: P.args, **kwargs: P.kwargs) -> CalcResult:
            if args:
                raise TypeError(f"{func.__name__} takes keyword arguments only")
            return func(**_validate(func.__name__, model, kwargs))  # type: ignore[call-arg]

        validated.__signature__ = signature  # type: ignore[attr-defined]  # resolved annotations, for schema builders

        area = func.__module__.rsplit(".", 1)[-1]
        if func.__name__ in CALCULATORS:
            raise ValueError(f"Calculator {func.__name__!r} registered twice")
        CALCULATORS[func.__name__] = Calculator(func.__name__, title, area, validated, model)
        return validated

    return register


def _input_model(name: str, signature: inspect.Signature) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for param in signature.parameters.values():
        if param.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{name}: parameter {param.name!r} must be keyword-only")
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (param.annotation, default)
    model_name = "".join(part.title() for part in name.split("_")) + "Inputs"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), __doc__=f"Inputs of {name}.", **fields)


def _validate(name: str, model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    try:
        checked = model.model_validate(values)
    except ValidationError as exc:
        raise CalculatorInputError(_explain(name, model, exc)) from None
    return {field: getattr(checked, field) for field in model.model_fields}


def _explain(name: str, model: type[BaseModel], exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        param = str(error["loc"][0]) if error["loc"] else "?"
        if error["type"] == "missing":
            problem = f"missing required input {param!r}"
        elif error["type"] == "extra_forbidden":
            problem = f"unknown input {param!r}; inputs are {sorted(model.model_fields)}"
        else:
            problem = f"{param}={error['input']!r} is invalid ({error['msg']})"
        if param in model.model_fields:
            problem += f" [{param}: {(model.model_fields[param].description or '').rstrip('.')}]"
        problems.append(problem)
    return f"{name}: " + "; ".join(problems)
