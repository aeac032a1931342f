"""The biophysical profile (BPP) and the modified BPP, with management by score.

BPP (Manning FA, Platt LD, Sipos L. Antepartum fetal evaluation: development of a fetal biophysical profile. Am J
Obstet Gynecol 1980;136:787-95; criteria as in ACOG Practice Bulletin 229. Antepartum fetal surveillance, 2021): five
components, 2 points when normal and 0 when not, over up to 30 minutes of observation:

- nonstress test reactive: >= 2 accelerations (>= 15 bpm for >= 15 s at >= 32 weeks) in 20 minutes;
- fetal breathing: >= 1 episode of rhythmic breathing lasting >= 30 s;
- fetal movement: >= 3 discrete body or limb movements;
- fetal tone: >= 1 episode of extension of a fetal extremity with return to flexion, or opening or closing of a hand;
- amniotic fluid: a single deepest vertical pocket (DVP) > 2 cm (<= 2 cm is oligohydramnios).

Interpretation (ACOG PB 229): 8 or 10 normal, 6 equivocal, 4 or less abnormal; oligohydramnios needs further
evaluation whatever the score. Management (Manning's protocol, as summarised by Walsh M. The biophysical profile.
Glob Libr Women's Med 2008, doi:10.3843/GLOWM.10209; PB 229: an equivocal test is repeated within 24 hours or, at
term, the patient delivered): 8-10 with normal fluid -> routine surveillance; 8 with oligohydramnios
-> oligohydramnios evaluation (membranes, renal tract, delivery at term); 6 with oligohydramnios -> deliver; 6 with
normal fluid -> deliver at >= 37 0/7 weeks, repeat the BPP within 24 hours before; <= 4 -> deliver.

Modified BPP (ACOG PB 229): the NST plus the amniotic fluid; normal when the NST is reactive and the DVP > 2 cm,
abnormal otherwise (abnormal -> a full BPP or a contraction stress test).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = ("Manning FA, Platt LD, Sipos L. Am J Obstet Gynecol 1980;136:787-95; ACOG Practice Bulletin 229. "
          "Antepartum fetal surveillance, 2021; Manning's management protocol as summarised by Walsh M, Glob Libr "
          "Women's Med 2008 (doi:10.3843/GLOWM.10209)")
COMPONENTS = ("nst", "breathing", "movement", "tone", "fluid")
MANAGEMENT = ("routine_surveillance", "oligohydramnios_evaluation", "repeat_bpp_24h", "deliver")
MODIFIED = ("normal", "abnormal")
INTERPRETATIONS = ("normal", "equivocal", "abnormal")
ACCELERATIONS_GE = 2
BREATHING_S_GE = 30
MOVEMENTS_GE = 3
TONE_EPISODES_GE = 1
DVP_CM_GT = 2.0
TERM_DAYS = 259
"""37 0/7 weeks."""


@dataclass(frozen=True)
class Bpp:
    points: dict[str, int]
    score: int
    interpretation: str
    oligohydramnios: bool
    modified: str
    management: str
    reasons: tuple[str, ...]


def score(accelerations_20min: int, breathing_longest_s: int, body_movements: int, tone_episodes: int,
          dvp_cm: float, ga_days: int) -> Bpp:
    """BPP points, score, modified BPP and management at gestational age ``ga_days``."""
    if min(accelerations_20min, breathing_longest_s, body_movements, tone_episodes) < 0 or dvp_cm < 0:
        raise ValueError("BPP observations cannot be negative")
    normal = {"nst": accelerations_20min >= ACCELERATIONS_GE, "breathing": breathing_longest_s >= BREATHING_S_GE,
              "movement": body_movements >= MOVEMENTS_GE, "tone": tone_episodes >= TONE_EPISODES_GE,
              "fluid": dvp_cm > DVP_CM_GT}  # fmt: skip
    points = {k: 2 if v else 0 for k, v in normal.items()}
    total = sum(points.values())
    oligo = not normal["fluid"]
    interpretation = "normal" if total >= 8 else "equivocal" if total == 6 else "abnormal"
    if total <= 4 or (total == 6 and (oligo or ga_days >= TERM_DAYS)):
        management = "deliver"
    elif total == 6:
        management = "repeat_bpp_24h"
    elif oligo:
        management = "oligohydramnios_evaluation"
    else:
        management = "routine_surveillance"
    modified = "normal" if normal["nst"] and normal["fluid"] else "abnormal"
    reasons = (
        f"NST {accelerations_20min} accelerations/20 min, breathing {breathing_longest_s} s, {body_movements} "
        f"movements, {tone_episodes} tone episodes, DVP {dvp_cm:g} cm -> " + ", ".join(f"{k} {v}" for k, v in
                                                                                      points.items()),
        f"BPP {total}/10 ({interpretation}{', oligohydramnios' if oligo else ''}) at {ga_days // 7}w{ga_days % 7}d "
        f"-> {management}; modified BPP (NST + DVP > 2 cm) {modified} ({SOURCE})",
    )
    return Bpp(points, total, interpretation, oligo, modified, management, reasons)
