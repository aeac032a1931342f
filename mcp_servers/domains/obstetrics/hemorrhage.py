"""Postpartum haemorrhage: quantitative blood loss, the reVITALize definition and the CMQCC stages.

Quantitative blood loss (QBL): weigh every blood-soaked item and subtract its dry weight (1 g = 1 mL), add the
volume collected in the under-buttocks drape or suction canister, and subtract the amniotic fluid and irrigation
collected with it (CMQCC OB Hemorrhage Toolkit; AWHONN quantification of blood loss practice brief, 2015).

PPH (ACOG reVITALize definition, adopted in ACOG Practice Bulletin 183, 2017): cumulative blood loss >= 1000 mL, or
blood loss accompanied by signs or symptoms of hypovolaemia, within 24 hours of birth, whatever the route. The signs
of hypovolaemia are read here with the CMQCC vital-sign triggers: heart rate >= 110/min, blood pressure <= 85/45
mm Hg, or SpO2 < 95%.

Stages (CMQCC Improving Health Care Response to Obstetric Hemorrhage, v2.0 2015 table chart; the v3.0 update of 2022
was not available to check here):
stage 1 = blood loss > 500 mL after a vaginal birth or > 1000 mL after a caesarean, or a vital-sign trigger;
stage 2 = continued bleeding after the stage 1 measures with a cumulative loss up to 1500 mL; stage 3 = cumulative
loss > 1500 mL or more than 2 units of red cells given (the toolkit's third criteria, unstable vital signs and
suspected DIC, are clinical judgements this gym does not generate). Stage 0 = none of these. Stage 3 activates the
massive transfusion protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SOURCE = ("CMQCC Improving Health Care Response to Obstetric Hemorrhage toolkit v2.0 (2015), stage table; ACOG "
          "Practice Bulletin 183. Postpartum hemorrhage, 2017 (reVITALize definition); AWHONN Quantification of "
          "blood loss, practice brief 1, 2015")
STAGES = ("stage_0", "stage_1", "stage_2", "stage_3")
DIAGNOSES = ("no_pph", "pph")
PPH_ML_GE = 1000
STAGE1_ML_GT = {"vaginal": 500, "cesarean": 1000}
STAGE3_ML_GT = 1500
STAGE3_RBC_UNITS_GT = 2
HR_GE = 110
SBP_LE = 85
DBP_LE = 45
SPO2_LT = 95


@dataclass(frozen=True)
class Hemorrhage:
    qbl_ml: int
    vital_sign_trigger: tuple[str, ...]
    diagnosis: str
    stage: str
    reasons: tuple[str, ...]


def quantify(weighed: Sequence[tuple[float, float]], canister_ml: float, non_blood_ml: float) -> int:
    """QBL in mL from ``(wet g, dry g)`` of each weighed item, the canister volume and the non-blood fluid in it."""
    if any(wet < dry for wet, dry in weighed):
        raise ValueError("a weighed item's wet weight is below its dry weight")
    if non_blood_ml > canister_ml:
        raise ValueError(f"non_blood_ml {non_blood_ml} exceeds canister_ml {canister_ml}")
    return round(sum(wet - dry for wet, dry in weighed) + canister_ml - non_blood_ml)


def triggers(heart_rate: int, systolic: int, diastolic: int, spo2: int) -> tuple[str, ...]:
    """The CMQCC vital-sign triggers present."""
    on = {"heart_rate_ge_110": heart_rate >= HR_GE, "systolic_le_85": systolic <= SBP_LE,
          "diastolic_le_45": diastolic <= DBP_LE, "spo2_lt_95": spo2 < SPO2_LT}  # fmt: skip
    return tuple(k for k, v in on.items() if v)


def stage(mode: str, qbl_ml: int, heart_rate: int, systolic: int, diastolic: int, spo2: int,
          bleeding_continues: bool, rbc_units: int) -> Hemorrhage:
    """PPH diagnosis and CMQCC stage; ``mode`` is 'vaginal' or 'cesarean'."""
    if mode not in STAGE1_ML_GT:
        raise ValueError(f"mode {mode!r} is not vaginal or cesarean")
    vitals = triggers(heart_rate, systolic, diastolic, spo2)
    diagnosis = "pph" if qbl_ml >= PPH_ML_GE or vitals else "no_pph"
    limit = STAGE1_ML_GT[mode]
    stage1 = qbl_ml > limit or bool(vitals)
    if qbl_ml > STAGE3_ML_GT or rbc_units > STAGE3_RBC_UNITS_GT:
        code = "stage_3"
    elif stage1 and bleeding_continues:
        code = "stage_2"
    elif stage1:
        code = "stage_1"
    else:
        code = "stage_0"
    reasons = (
        f"QBL {qbl_ml} mL after a {mode} birth; vital-sign triggers: {', '.join(vitals) or 'none'} (HR {heart_rate}, "
        f"BP {systolic}/{diastolic}, SpO2 {spo2}%)",
        f"PPH (>= {PPH_ML_GE} mL or loss with signs of hypovolaemia): {diagnosis}",
        f"stage 1 at > {limit} mL or a trigger; stage 2 if bleeding continues; stage 3 at > {STAGE3_ML_GT} mL or > "
        f"{STAGE3_RBC_UNITS_GT} units of red cells ({rbc_units} given; bleeding "
        f"{'continues' if bleeding_continues else 'controlled'}) -> {code} ({SOURCE})",
    )
    return Hemorrhage(qbl_ml, vitals, diagnosis, code, reasons)
