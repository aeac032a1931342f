"""Clinical scores and equations: pure typed functions, each citing its source, shared by every domain.

Every calculator takes keyword arguments whose names carry their unit, validates them against the bounds in its
signature (``CalculatorInputError`` names the parameter and the allowed range), and returns a ``CalcResult``.
``CALCULATORS`` maps each name to its function and input model.
"""

from healthgym.mcp_servers.calculators.anthropometry import bmi
from healthgym.mcp_servers.calculators.cardiology import heart_score
from healthgym.mcp_servers.calculators.critical_care import mean_arterial_pressure, news2, qsofa, shock_index, sirs
from healthgym.mcp_servers.calculators.registry import CALCULATORS, Calculator, get_calculator
from healthgym.mcp_servers.calculators.renal import ckd_epi_2021, cockcroft_gault
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError
from healthgym.mcp_servers.calculators.trauma import gcs, revised_trauma_score

__all__ = [
    "CALCULATORS",
    "CalcResult",
    "Calculator",
    "CalculatorInputError",
    "bmi",
    "ckd_epi_2021",
    "cockcroft_gault",
    "gcs",
    "get_calculator",
    "heart_score",
    "mean_arterial_pressure",
    "news2",
    "qsofa",
    "revised_trauma_score",
    "shock_index",
    "sirs",
]
