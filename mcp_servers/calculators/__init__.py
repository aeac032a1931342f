"""Clinical scores and equations: pure typed functions, each citing its source, shared by every domain.

Every calculator takes keyword arguments whose names carry their unit, validates them against the bounds in its
signature (``CalculatorInputError`` names the parameter and the allowed range), and returns a ``CalcResult``.
``CALCULATORS`` maps each name to its function and input model; ``units`` converts at the boundary.
"""

from healthgym.mcp_servers.calculators.anthropometry import (
    adjusted_body_weight,
    bmi,
    body_surface_area,
    ideal_body_weight,
    target_weight,
)
from healthgym.mcp_servers.calculators.cardiology import (
    cha2ds2_vasc,
    framingham_hard_chd,
    has_bled,
    heart_score,
    qtc_bazett,
    qtc_framingham,
    qtc_fridericia,
    qtc_hodges,
    qtc_rautaharju,
    revised_cardiac_risk_index,
)
from healthgym.mcp_servers.calculators.comorbidity import charlson
from healthgym.mcp_servers.calculators.critical_care import (
    apache_ii,
    mean_arterial_pressure,
    news2,
    qsofa,
    shock_index,
    sirs,
    sofa,
)
from healthgym.mcp_servers.calculators.dosing import (
    maintenance_fluids,
    morphine_milligram_equivalents,
    steroid_conversion,
)
from healthgym.mcp_servers.calculators.electrolytes import (
    albumin_corrected_anion_gap,
    albumin_corrected_delta_gap,
    albumin_corrected_delta_ratio,
    anion_gap,
    calcium_correction,
    delta_gap,
    delta_ratio,
    free_water_deficit,
    serum_osmolality,
    sodium_correction_hyperglycemia,
)
from healthgym.mcp_servers.calculators.gastroenterology import glasgow_blatchford
from healthgym.mcp_servers.calculators.hepatology import child_pugh, fib4, meld_na
from healthgym.mcp_servers.calculators.infectious_disease import centor_mcisaac, feverpain
from healthgym.mcp_servers.calculators.metabolic import homa_ir, ldl_friedewald
from healthgym.mcp_servers.calculators.obstetrics import (
    apgar_score,
    bishop_score,
    estimated_conception_date,
    estimated_due_date,
    gestational_age,
)
from healthgym.mcp_servers.calculators.psychiatry import gad7, phq9
from healthgym.mcp_servers.calculators.pulmonary import a_a_gradient, curb_65, psi_port
from healthgym.mcp_servers.calculators.registry import CALCULATORS, Calculator, get_calculator
from healthgym.mcp_servers.calculators.renal import ckd_epi_2021, cockcroft_gault, fena, mdrd_egfr
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError
from healthgym.mcp_servers.calculators.thrombosis import caprini, perc, wells_dvt, wells_pe
from healthgym.mcp_servers.calculators.trauma import gcs, revised_trauma_score

__all__ = [
    "CALCULATORS",
    "CalcResult",
    "Calculator",
    "CalculatorInputError",
    "a_a_gradient",
    "adjusted_body_weight",
    "albumin_corrected_anion_gap",
    "albumin_corrected_delta_gap",
    "albumin_corrected_delta_ratio",
    "anion_gap",
    "apache_ii",
    "apgar_score",
    "bishop_score",
    "bmi",
    "body_surface_area",
    "calcium_correction",
    "caprini",
    "centor_mcisaac",
    "cha2ds2_vasc",
    "charlson",
    "child_pugh",
    "ckd_epi_2021",
    "cockcroft_gault",
    "curb_65",
    "delta_gap",
    "delta_ratio",
    "estimated_conception_date",
    "estimated_due_date",
    "fena",
    "feverpain",
    "fib4",
    "framingham_hard_chd",
    "free_water_deficit",
    "gad7",
    "gcs",
    "gestational_age",
    "get_calculator",
    "glasgow_blatchford",
    "has_bled",
    "heart_score",
    "homa_ir",
    "ideal_body_weight",
    "ldl_friedewald",
    "maintenance_fluids",
    "mdrd_egfr",
    "mean_arterial_pressure",
    "meld_na",
    "morphine_milligram_equivalents",
    "news2",
    "perc",
    "phq9",
    "psi_port",
    "qsofa",
    "qtc_bazett",
    "qtc_framingham",
    "qtc_fridericia",
    "qtc_hodges",
    "qtc_rautaharju",
    "revised_cardiac_risk_index",
    "revised_trauma_score",
    "serum_osmolality",
    "shock_index",
    "sirs",
    "sodium_correction_hyperglycemia",
    "sofa",
    "steroid_conversion",
    "target_weight",
    "wells_dvt",
    "wells_pe",
]
