"""Sore throat: probability of group A streptococcal pharyngitis (McIsaac/Centor, FeverPAIN)."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import flag, span
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


@calculator("Centor score, McIsaac modification")
def centor_mcisaac(
    *,
    age_years: Annotated[float, span(3, 120, "Age, years (validated from 3)")],
    temperature_c: Annotated[float, span(25, 45, "Highest temperature, degrees Celsius (above 38 scores 1)")],
    cough_absent: Annotated[bool, flag("cough is absent")],
    tender_anterior_cervical_nodes: Annotated[bool, flag("anterior cervical nodes are tender or swollen")],
    tonsillar_exudate_or_swelling: Annotated[bool, flag("tonsils are swollen or have exudate")],
) -> CalcResult:
    """Modified Centor (McIsaac) score, -1 to 5: temperature >38 C, absent cough, tender/swollen anterior cervical
    nodes, tonsillar swelling or exudate (1 each); age 3-14 +1, 15-44 0, >=45 -1.

    Streptococcal probability: <=0 1-2.5%, 1 5-10%, 2 11-17%, 3 28-35%, >=4 51-53%.

    Source: McIsaac WJ, White D, Tannenbaum D, Low DE. A clinical score to reduce unnecessary antibiotic use in
    patients with sore throat. CMAJ 1998;158:75-83; Centor RM et al. Med Decis Making 1981;1:239-46.
    """
    points = {
        "temperature_over_38": int(temperature_c > 38),
        "cough_absent": int(cough_absent),
        "tender_anterior_cervical_nodes": int(tender_anterior_cervical_nodes),
        "tonsillar_exudate_or_swelling": int(tonsillar_exudate_or_swelling),
        "age": 1 if age_years < 15 else 0 if age_years < 45 else -1,
    }
    total = sum(points.values())
    band = up_to(
        total,
        ((0, "1-2.5% streptococcal"), (1, "5-10%"), (2, "11-17%"), (3, "28-35%")),
        "51-53% streptococcal",
    )
    return CalcResult(
        calculator="centor_mcisaac",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="McIsaac WJ et al. CMAJ 1998;158:75-83.",
    )


@calculator("FeverPAIN score")
def feverpain(
    *,
    fever_past_24h: Annotated[bool, flag("there was fever in the past 24 hours")],
    purulence: Annotated[bool, flag("there is pharyngeal or tonsillar exudate (purulence)")],
    attended_within_3_days: Annotated[bool, flag("the patient attends within 3 days of onset")],
    severely_inflamed_tonsils: Annotated[bool, flag("the tonsils are severely inflamed")],
    no_cough_or_coryza: Annotated[bool, flag("there is no cough or coryza")],
) -> CalcResult:
    """FeverPAIN, 0-5, one point each. Streptococcal probability: 0-1 13-18%, 2-3 34-40%, 4-5 62-65%.

    Source: Little P et al. Clinical score and rapid antigen detection test to guide antibiotic use for sore
    throats: randomised controlled trial of PRISM. BMJ 2013;347:f5806.
    """
    points = {
        "fever": int(fever_past_24h),
        "purulence": int(purulence),
        "attend_rapidly": int(attended_within_3_days),
        "inflamed_tonsils": int(severely_inflamed_tonsils),
        "no_cough_or_coryza": int(no_cough_or_coryza),
    }
    total = sum(points.values())
    band = up_to(total, ((1, "0-1: 13-18% streptococcal"), (3, "2-3: 34-40%")), "4-5: 62-65%")
    return CalcResult(
        calculator="feverpain",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Little P et al. BMJ 2013;347:f5806.",
    )
