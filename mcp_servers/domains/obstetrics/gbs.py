"""Intrapartum group B streptococcus prophylaxis (ACOG Committee Opinion 797, 2020).

Indicated: a positive GBS culture at 36 0/7-37 6/7 weeks in this pregnancy (valid 5 weeks), GBS bacteriuria at any
time in this pregnancy, or a previous infant with invasive GBS disease; with unknown status at labour, when delivery
is preterm (< 37 0/7 weeks), membranes have been ruptured 18 hours or more, or intrapartum temperature is >= 38.0 C
(100.4 F), or an intrapartum NAAT is positive. Not indicated: a negative culture within 5 weeks (even with risk
factors), or a caesarean before labour with intact membranes.

Agent: penicillin G (ampicillin an alternative). Penicillin allergy at low risk of anaphylaxis -> cefazolin; at
high risk (anaphylaxis, angioedema, respiratory distress or urticaria after penicillin or a cephalosporin, or a
severe delayed reaction) -> clindamycin when the isolate is susceptible to clindamycin and erythromycin (no inducible
resistance), otherwise (or unknown susceptibility) vancomycin.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "ACOG Committee Opinion 797. Prevention of group B streptococcal early-onset disease in newborns. Obstet " \
    "Gynecol 2020;135:e51-72"  # fmt: skip
AGENTS = ("none", "penicillin_g", "cefazolin", "clindamycin", "vancomycin")
HIGH_RISK_REACTIONS = ("anaphylaxis", "angioedema", "respiratory_distress", "urticaria", "severe_cutaneous_reaction")
LOW_RISK_REACTIONS = ("rash_nonurticarial", "gi_upset", "family_history_only")
CULTURE_VALID_DAYS = 35
PRETERM_DAYS = 259
ROM_HOURS = 18
FEVER_C = 38.0


@dataclass(frozen=True)
class GbsResult:
    indicated: bool
    agent: str
    reasons: tuple[str, ...]


def indication(culture: str, culture_age_days: int | None, bacteriuria: bool, previous_infant_gbs: bool,
               ga_days: int, rom_hours: float, temp_c: float, naat: str, planned_cs_no_labor: bool) -> tuple[bool, str]:
    """(indicated, why). ``culture`` is 'positive', 'negative' or 'unknown'; ``naat`` 'positive', 'negative' or
    'not_done'."""
    if planned_cs_no_labor:
        return False, "caesarean before labour with intact membranes"
    if bacteriuria:
        return True, "GBS bacteriuria in this pregnancy"
    if previous_infant_gbs:
        return True, "previous infant with invasive GBS disease"
    current = culture_age_days is not None and culture_age_days <= CULTURE_VALID_DAYS
    if culture == "positive" and current:
        return True, "positive GBS culture within 5 weeks"
    if culture == "negative" and current:
        return False, "negative GBS culture within 5 weeks"
    risks = [r for r, on in (("preterm < 37 weeks", ga_days < PRETERM_DAYS),
                             (f"membranes ruptured >= {ROM_HOURS} h", rom_hours >= ROM_HOURS),
                             ("intrapartum temperature >= 38.0 C", temp_c >= FEVER_C),
                             ("intrapartum NAAT positive", naat == "positive")) if on]  # fmt: skip
    status = "unknown GBS status" + (" (culture older than 5 weeks)" if culture != "unknown" else "")
    if risks:
        return True, f"{status} with {', '.join(risks)}"
    return False, f"{status} without a risk factor"


def agent(indicated: bool, allergy_reaction: str, clindamycin_susceptible: str) -> tuple[str, str]:
    """(agent, why). ``allergy_reaction`` is 'none' or the reaction to penicillin; ``clindamycin_susceptible`` is
    'yes', 'no' or 'unknown' (susceptible to clindamycin and erythromycin without inducible resistance)."""
    if not indicated:
        return "none", "no prophylaxis"
    if allergy_reaction == "none":
        return "penicillin_g", "no penicillin allergy: penicillin G"
    if allergy_reaction not in HIGH_RISK_REACTIONS:
        return "cefazolin", f"penicillin allergy ({allergy_reaction}) at low risk of anaphylaxis: cefazolin"
    if clindamycin_susceptible == "yes":
        return "clindamycin", f"high-risk penicillin allergy ({allergy_reaction}), isolate clindamycin-susceptible"
    return "vancomycin", (f"high-risk penicillin allergy ({allergy_reaction}), clindamycin susceptibility "
                          f"{clindamycin_susceptible}: vancomycin")  # fmt: skip


def prophylaxis(culture: str, culture_age_days: int | None, bacteriuria: bool, previous_infant_gbs: bool,
                ga_days: int, rom_hours: float, temp_c: float, naat: str, planned_cs_no_labor: bool,
                allergy_reaction: str, clindamycin_susceptible: str) -> GbsResult:
    """Whether intrapartum prophylaxis is indicated and with which agent (ACOG CO 797)."""
    on, why = indication(culture, culture_age_days, bacteriuria, previous_infant_gbs, ga_days, rom_hours, temp_c,
                         naat, planned_cs_no_labor)  # fmt: skip
    drug, because = agent(on, allergy_reaction, clindamycin_susceptible)
    return GbsResult(on, drug, (f"{why} -> {'indicated' if on else 'not indicated'}", f"{because} ({SOURCE})"))
