"""Anti-D immunoglobulin after delivery and the Kleihauer-Betke dose.

An Rh(D)-negative mother who is not alloimmunised to D gets anti-D within 72 hours of delivering an Rh(D)-positive
infant (ACOG PB 181). A positive fetal-cell screen (rosette) is quantified with a Kleihauer-Betke test: fetal whole
blood (mL) = fetal cells (%) x 50 (maternal blood volume 5,000 mL); one 300 ug vial covers 30 mL of fetal whole
blood; vials = bleed / 30, rounded down when the decimal is < 0.5 and up when >= 0.5, plus one vial (AABB Technical
Manual). A negative screen gets the standard single 300 ug vial.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SOURCE = "ACOG Practice Bulletin 181. Prevention of Rh D alloimmunization. Obstet Gynecol 2017;130:e57-70; AABB " \
    "Technical Manual, 20th ed. 2020 (RhIG dose calculation)"  # fmt: skip
DECISIONS = ("not_indicated_mother_rh_positive", "not_indicated_infant_rh_negative", "not_indicated_alloimmunized",
             "indicated")  # fmt: skip
MATERNAL_BLOOD_ML = 5000
ML_PER_VIAL = 30


@dataclass(frozen=True)
class AntiD:
    decision: str
    fetal_bleed_ml: float
    vials: int
    reasons: tuple[str, ...]


def vials_for(kb_percent: float) -> tuple[float, int]:
    """Fetal bleed (mL) and 300 ug vials for a Kleihauer-Betke fetal-cell percentage (AABB rounding + 1 vial)."""
    if not 0 <= kb_percent <= 10:
        raise ValueError(f"kb_percent {kb_percent} is outside 0-10 %")
    bleed = kb_percent * MATERNAL_BLOOD_ML / 100
    raw = Decimal(str(bleed)) / ML_PER_VIAL
    return bleed, int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)) + 1


def postpartum(mother_rh: str, anti_d_antibody: bool, infant_rh: str, rosette: str, kb_percent: float | None) -> AntiD:
    """Anti-D decision and vial count after delivery. ``anti_d_antibody`` is true for active alloimmunisation
    (not passive anti-D from an antenatal dose); ``rosette`` is 'negative', 'positive' or 'not_done'."""
    if mother_rh == "positive":
        return AntiD(DECISIONS[0], 0.0, 0, (f"mother Rh(D) positive: no anti-D ({SOURCE})",))
    if infant_rh == "negative":
        return AntiD(DECISIONS[1], 0.0, 0, (f"infant Rh(D) negative: no anti-D ({SOURCE})",))
    if anti_d_antibody:
        return AntiD(DECISIONS[2], 0.0, 0, (f"mother already alloimmunised to D: anti-D does not help ({SOURCE})",))
    if rosette != "positive":
        return AntiD(DECISIONS[3], 0.0, 1, ("Rh-negative mother, Rh-positive infant, fetal screen negative: one "
                                            f"300 ug vial within 72 h ({SOURCE})",))  # fmt: skip
    if kb_percent is None:
        raise ValueError("a positive fetal-cell screen needs a Kleihauer-Betke percentage")
    bleed, vials = vials_for(kb_percent)
    return AntiD(DECISIONS[3], bleed, vials, (
        f"fetal-cell screen positive; Kleihauer-Betke {kb_percent:g}% x 50 = {bleed:g} mL fetal whole blood",
        f"{bleed:g} / 30 = {bleed / 30:.2f} -> rounded (<0.5 down, >=0.5 up) + 1 = {vials} vials ({SOURCE})",
    ))  # fmt: skip
