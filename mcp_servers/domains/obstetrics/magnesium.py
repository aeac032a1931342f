"""Magnesium sulfate monitoring: the signs of toxicity and what to do about them.

Therapeutic serum magnesium for seizure prophylaxis is 4.8-8.4 mg/dL; patellar reflexes are lost above it (8-12
mg/dL), respiratory depression follows (12-16 mg/dL) (Sibai 2004, Table). Toxicity signs: absent patellar reflexes,
respiratory rate < 12/min, serum magnesium > 8.4 mg/dL -> stop the infusion and give calcium gluconate 1 g IV.
Magnesium is cleared by the kidney: urine output < 30 mL/h without a toxicity sign -> reduce the infusion and check
the serum level (ACOG PB 222). Otherwise continue.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "Sibai BM. Magnesium sulfate prophylaxis in preeclampsia: lessons learned from recent trials. Am J Obstet " \
    "Gynecol 2004;190:1520-6; ACOG Practice Bulletin 222, 2020"  # fmt: skip
ACTIONS = ("continue", "reduce_rate_check_level", "stop_and_give_calcium_gluconate")
SIGNS = ("absent_patellar_reflexes", "respiratory_depression", "serum_level_above_therapeutic")
THERAPEUTIC_MG_DL = (4.8, 8.4)
RR_LT = 12
URINE_ML_H_LT = 30


@dataclass(frozen=True)
class MagnesiumCheck:
    toxicity_signs: tuple[str, ...]
    action: str
    reasons: tuple[str, ...]


def check(patellar_reflexes: str, respiratory_rate: int, serum_mg_dl: float, urine_ml_h: float) -> MagnesiumCheck:
    """Toxicity signs and the action for a patient on a magnesium infusion; ``patellar_reflexes`` is 'present',
    'diminished' or 'absent'."""
    if patellar_reflexes not in ("present", "diminished", "absent"):
        raise ValueError(f"patellar_reflexes {patellar_reflexes!r} is not present, diminished or absent")
    present = (patellar_reflexes == "absent", respiratory_rate < RR_LT, serum_mg_dl > THERAPEUTIC_MG_DL[1])
    signs = [sign for sign, on in zip(SIGNS, present, strict=True) if on]
    oliguria = urine_ml_h < URINE_ML_H_LT
    action = ACTIONS[2] if signs else ACTIONS[1] if oliguria else ACTIONS[0]
    reasons = (
        f"reflexes {patellar_reflexes}, RR {respiratory_rate}/min, serum Mg {serum_mg_dl:g} mg/dL (therapeutic "
        f"4.8-8.4), urine {urine_ml_h:g} mL/h",
        f"toxicity signs: {', '.join(signs) or 'none'}{'; oliguria' if oliguria else ''} -> {action} ({SOURCE})",
    )
    return MagnesiumCheck(tuple(signs), action, reasons)
