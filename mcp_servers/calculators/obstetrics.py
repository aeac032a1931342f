"""Pregnancy: dating from the last menstrual period, cervical ripeness (Bishop) and the newborn's Apgar score."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import day, pick, span, whole
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

Lmp = Annotated[dt.date, day("First day of the last menstrual period")]
CycleLength = Annotated[int, whole(20, 45, "Usual menstrual cycle length, days (28 in Naegele's rule)")]
NAEGELE_DAYS = 280
"""LMP to delivery in a 28-day cycle: 40 weeks."""
LUTEAL_PHASE_DAYS = 14
"""Ovulation (conception) to the next expected menses: about 14 days whatever the cycle length."""


@calculator("Estimated due date (Naegele's rule, cycle-adjusted)")
def estimated_due_date(*, lmp_date: Lmp, cycle_length_days: CycleLength) -> CalcResult:
    """Due date = LMP + 280 days + (cycle length - 28) days. `value` is days after the LMP; the band is the date.

    Ovulation follows the LMP by (cycle - 14) days, so a longer cycle moves the due date later by the same amount.

    Source: Naegele FC. Lehrbuch der Geburtshulfe. Heidelberg, 1830; ACOG Committee Opinion 700. Methods for
    estimating the due date. Obstet Gynecol 2017;129:e150-4.
    """
    days = NAEGELE_DAYS + (cycle_length_days - 28)
    return CalcResult(
        calculator="estimated_due_date",
        value=days,
        unit="days after LMP",
        band=(lmp_date + dt.timedelta(days=days)).isoformat(),
        points={"naegele_days": NAEGELE_DAYS, "cycle_adjustment_days": cycle_length_days - 28},
        source="Naegele FC 1830; ACOG Committee Opinion 700, 2017.",
    )


@calculator("Estimated conception date")
def estimated_conception_date(*, lmp_date: Lmp, cycle_length_days: CycleLength) -> CalcResult:
    """Conception = LMP + (cycle length - 14) days (day 14 of a 28-day cycle). `value` is days after the LMP; the
    band is the date. It is 266 days before the cycle-adjusted due date.

    Source: Wilcox AJ, Dunson D, Baird DD. The timing of the "fertile window" in the menstrual cycle: day specific
    estimates from a prospective study. BMJ 2000;321:1259-62; ACOG Committee Opinion 700, 2017.
    """
    days = cycle_length_days - LUTEAL_PHASE_DAYS
    return CalcResult(
        calculator="estimated_conception_date",
        value=days,
        unit="days after LMP",
        band=(lmp_date + dt.timedelta(days=days)).isoformat(),
        points={"cycle_length_days": cycle_length_days, "luteal_phase_days": -LUTEAL_PHASE_DAYS},
        source="Wilcox AJ et al. BMJ 2000;321:1259-62.",
    )


@calculator("Gestational age from the last menstrual period")
def gestational_age(
    *,
    lmp_date: Lmp,
    current_date: Annotated[
        dt.date,
        day("Date of assessment, after the LMP"),
    ],
) -> CalcResult:
    """Gestational age = current date - LMP, in completed weeks and days (`value` in days, at most 44 weeks).

    Source: ACOG Committee Opinion 700. Methods for estimating the due date. Obstet Gynecol 2017;129:e150-4.
    """
    days = (current_date - lmp_date).days
    if not 0 <= days <= 44 * 7:
        raise CalculatorInputError(
            f"gestational_age: current_date {current_date} is {days} days after lmp_date {lmp_date}; "
            "it must be 0 to 308 days (44 weeks) after it"
        )
    weeks, rest = divmod(days, 7)
    trimester = up_to(weeks, ((13, "first trimester"), (27, "second trimester")), "third trimester")
    return CalcResult(
        calculator="gestational_age",
        value=days,
        unit="days",
        band=f"{weeks} weeks {rest} days ({trimester})",
        points={"weeks": weeks, "days": rest},
        source="ACOG Committee Opinion 700, 2017.",
    )


@calculator("Bishop score for cervical ripeness")
def bishop_score(
    *,
    dilation_cm: Annotated[float, span(0, 10, "Cervical dilation, cm")],
    effacement_percent: Annotated[float, span(0, 100, "Cervical effacement, %")],
    station: Annotated[int, whole(-3, 3, "Fetal station, cm above (-) or below (+) the ischial spines")],
    consistency: Annotated[Literal["firm", "medium", "soft"], pick("Cervical consistency: firm 0, medium 1, soft 2")],
    position: Annotated[
        Literal["posterior", "mid", "anterior"], pick("Cervical position: posterior 0, mid 1, anterior 2")
    ],
) -> CalcResult:
    """Bishop score, 0-13: dilation 0 / 1-2 / 3-4 / >=5 cm; effacement 0-30 / 40-50 / 60-70 / >=80%; station -3 /
    -2 / -1,0 / +1,+2 (0-3 each); consistency and position 0-2. Above 8 induction is as likely to succeed as
    spontaneous labour; 6 or less is an unfavourable cervix.

    Source: Bishop EH. Pelvic scoring for elective induction. Obstet Gynecol 1964;24:266-8; ACOG Practice Bulletin
    107. Induction of labor. Obstet Gynecol 2009;114:386-97.
    """
    points = {
        "dilation": up_to(dilation_cm, ((0, 0), (2, 1), (4, 2)), 3),
        "effacement": up_to(effacement_percent, ((30, 0), (50, 1), (70, 2)), 3),
        "station": up_to(station, ((-3, 0), (-2, 1), (0, 2)), 3),
        "consistency": ["firm", "medium", "soft"].index(consistency),
        "position": ["posterior", "mid", "anterior"].index(position),
    }
    total = sum(points.values())
    band = up_to(total, ((6, "unfavourable (<=6)"), (8, "intermediate (7-8)")), "favourable (>8)")
    return CalcResult(
        calculator="bishop_score",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Bishop EH. Obstet Gynecol 1964;24:266-8.",
    )


@calculator("Apgar score")
def apgar_score(
    *,
    heart_rate_bpm: Annotated[float, span(0, 300, "Newborn heart rate, beats/min (absent 0, <100 1, >=100 2)")],
    respiratory_effort: Annotated[
        Literal["absent", "weak_irregular", "good_crying"], pick("Breathing: absent 0, slow/irregular 1, good cry 2")
    ],
    muscle_tone: Annotated[
        Literal["limp", "some_flexion", "active_motion"], pick("Tone: limp 0, some flexion 1, active motion 2")
    ],
    reflex_irritability: Annotated[
        Literal["none", "grimace", "cry_or_active_withdrawal"],
        pick("Response to stimulation: none 0, grimace 1, cry or active withdrawal 2"),
    ],
    color: Annotated[
        Literal["blue_or_pale", "acrocyanosis", "pink"],
        pick("Colour: blue/pale 0, blue limbs 1, pink 2"),
    ],
) -> CalcResult:
    """Apgar score, 0-10, five signs scored 0-2. 7-10 reassuring, 4-6 moderately abnormal, 0-3 low.

    Source: Apgar V. A proposal for a new method of evaluation of the newborn infant. Curr Res Anesth Analg
    1953;32:260-7; bands: AAP/ACOG Committee Opinion 644. The Apgar score. Obstet Gynecol 2015;126:e52-5.
    """
    points = {
        "heart_rate": 0 if heart_rate_bpm == 0 else 1 if heart_rate_bpm < 100 else 2,
        "respiratory_effort": ["absent", "weak_irregular", "good_crying"].index(respiratory_effort),
        "muscle_tone": ["limp", "some_flexion", "active_motion"].index(muscle_tone),
        "reflex_irritability": ["none", "grimace", "cry_or_active_withdrawal"].index(reflex_irritability),
        "color": ["blue_or_pale", "acrocyanosis", "pink"].index(color),
    }
    total = sum(points.values())
    band = up_to(total, ((3, "low (0-3)"), (6, "moderately abnormal (4-6)")), "reassuring (7-10)")
    return CalcResult(
        calculator="apgar_score",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Apgar V. Curr Res Anesth Analg 1953;32:260-7; ACOG Committee Opinion 644, 2015.",
    )
