"""Dosing: maintenance fluids, corticosteroid equivalence and morphine milligram equivalents."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import pick, span
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


@calculator("Maintenance fluids (4-2-1 rule)")
def maintenance_fluids(*, weight_kg: Annotated[float, span(0.5, 350, "Body weight, kg")]) -> CalcResult:
    """Hourly maintenance fluid, mL/h: 4 mL/kg for the first 10 kg, 2 mL/kg for the next 10 kg, 1 mL/kg above 20 kg.

    Source: Holliday MA, Segar WE. The maintenance need for water in parenteral fluid therapy. Pediatrics
    1957;19:823-32 (100/50/20 mL/kg/day, expressed hourly as 4-2-1).
    """
    points = {
        "first_10_kg": 4 * min(weight_kg, 10),
        "next_10_kg": 2 * min(max(weight_kg - 10, 0), 10),
        "above_20_kg": max(weight_kg - 20, 0),
    }
    return CalcResult(
        calculator="maintenance_fluids",
        value=round(sum(points.values()), 2),
        unit="mL/h",
        points=points,
        source="Holliday MA, Segar WE. Pediatrics 1957;19:823-32.",
    )


Corticosteroid = Literal[
    "betamethasone",
    "cortisone",
    "dexamethasone",
    "hydrocortisone",
    "methylprednisolone",
    "prednisolone",
    "prednisone",
    "triamcinolone",
]

EQUIVALENT_DOSE_MG: dict[str, float] = {
    "cortisone": 25,
    "hydrocortisone": 20,
    "prednisone": 5,
    "prednisolone": 5,
    "methylprednisolone": 4,
    "triamcinolone": 4,
    "dexamethasone": 0.75,
    "betamethasone": 0.75,
}
"""Anti-inflammatory (glucocorticoid) equivalent doses, mg, identical by oral and IV routes (Liu 2013, Table 1)."""


@calculator("Corticosteroid dose conversion")
def steroid_conversion(
    *,
    from_steroid: Annotated[Corticosteroid, pick("Corticosteroid the patient takes")],
    dose_mg: Annotated[float, span(0.01, 10000, "Its dose, mg")],
    to_steroid: Annotated[Corticosteroid, pick("Corticosteroid to convert to")],
) -> CalcResult:
    """Equivalent anti-inflammatory dose, mg = dose x equivalent(to) / equivalent(from).

    Equivalents: cortisone 25, hydrocortisone 20, prednisone 5, prednisolone 5, methylprednisolone 4,
    triamcinolone 4, dexamethasone 0.75, betamethasone 0.75 mg. Mineralocorticoid effects are not equivalent.

    Source: Liu D et al. A practical guide to the monitoring and management of the complications of systemic
    corticosteroid therapy. Allergy Asthma Clin Immunol 2013;9:30, Table 1.
    """
    factor = EQUIVALENT_DOSE_MG[to_steroid] / EQUIVALENT_DOSE_MG[from_steroid]
    return CalcResult(
        calculator="steroid_conversion",
        value=round(dose_mg * factor, 3),
        unit=f"mg {to_steroid}",
        points={"prednisone_equivalent_mg": round(dose_mg * 5 / EQUIVALENT_DOSE_MG[from_steroid], 4)},
        source="Liu D et al. Allergy Asthma Clin Immunol 2013;9:30.",
    )


MME_FACTORS: dict[str, float] = {
    "codeine_mg_day": 0.15,
    "fentanyl_buccal_mcg_day": 0.13,
    "fentanyl_patch_mcg_hr": 2.4,
    "hydrocodone_mg_day": 1.0,
    "hydromorphone_mg_day": 5.0,
    "methadone_mg_day": 4.7,
    "morphine_mg_day": 1.0,
    "oxycodone_mg_day": 1.5,
    "oxymorphone_mg_day": 3.0,
    "tapentadol_mg_day": 0.4,
    "tramadol_mg_day": 0.2,
}
"""MME conversion factor per unit of each argument (CDC 2022, Table; fentanyl buccal from CDC 2016)."""

OpioidDose = Annotated[float, span(0, 100000, "Total daily amount; 0 if not taken")]


@calculator("Morphine milligram equivalents per day")
def morphine_milligram_equivalents(
    *,
    codeine_mg_day: OpioidDose = 0.0,
    fentanyl_buccal_mcg_day: OpioidDose = 0.0,
    fentanyl_patch_mcg_hr: Annotated[
        float, span(0, 1000, "Transdermal fentanyl patch strength, mcg/h; 0 if none")
    ] = 0.0,
    hydrocodone_mg_day: OpioidDose = 0.0,
    hydromorphone_mg_day: OpioidDose = 0.0,
    methadone_mg_day: OpioidDose = 0.0,
    morphine_mg_day: OpioidDose = 0.0,
    oxycodone_mg_day: OpioidDose = 0.0,
    oxymorphone_mg_day: OpioidDose = 0.0,
    tapentadol_mg_day: OpioidDose = 0.0,
    tramadol_mg_day: OpioidDose = 0.0,
) -> CalcResult:
    """Total daily MME = sum of daily dose x factor: codeine 0.15, fentanyl buccal 0.13 per mcg, fentanyl patch
    2.4 per mcg/h, hydrocodone 1, hydromorphone 5, methadone 4.7, morphine 1, oxycodone 1.5, oxymorphone 3,
    tapentadol 0.4, tramadol 0.2. Buprenorphine has no factor: CDC says not to count it in MME.

    MME is a risk measure, not a conversion table for switching opioids. Bands: >=50 MME/day increases overdose
    risk; >=90 MME/day calls for careful justification.

    Source: Dowell D et al. CDC Clinical Practice Guideline for Prescribing Opioids for Pain - United States, 2022.
    MMWR Recomm Rep 2022;71(RR-3):1-95; fentanyl buccal: Dowell D et al. MMWR Recomm Rep 2016;65(RR-1):1-49.
    """
    doses = dict(locals())  # the keyword arguments, by name
    points = {name: round(doses[name] * factor, 4) for name, factor in MME_FACTORS.items() if doses[name]}
    total = sum(points.values())
    band = "<50 MME/day" if total < 50 else "50-89 MME/day: increased risk" if total < 90 else ">=90 MME/day: high risk"
    return CalcResult(
        calculator="morphine_milligram_equivalents",
        value=round(total, 2),
        unit="MME/day",
        band=band,
        points=points,
        source="Dowell D et al. MMWR Recomm Rep 2022;71(RR-3):1-95.",
    )
