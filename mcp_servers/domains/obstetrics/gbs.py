"""Intrapartum group B streptococcus prophylaxis (ACOG Committee Opinion 797, 2020).

Indicated: a positive GBS culture in this pregnancy that is valid (taken at 36 0/7 weeks or later and within 5 weeks;
in preterm labour any culture within 5 weeks), GBS bacteriuria at any
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
BASES = ("planned_cesarean", "bacteriuria", "previous_infant", "positive_culture", "negative_culture",
         "unknown_with_risk_factor", "unknown_without_risk_factor")
"""What decides, checked in this order (the first that applies)."""
INDICATING = frozenset({"bacteriuria", "previous_infant", "positive_culture", "unknown_with_risk_factor"})
HIGH_RISK_REACTIONS = ("anaphylaxis", "angioedema", "respiratory_distress", "urticaria", "severe_cutaneous_reaction")
LOW_RISK_REACTIONS = ("rash_nonurticarial", "gi_upset", "family_history_only")
CULTURE_VALID_DAYS = 35
SCREENING_FROM_DAYS = 252
"""Universal screening at 36 0/7-37 6/7 weeks: a term culture taken before 36 0/7 weeks is not a valid screen."""
PRETERM_DAYS = 259
ROM_HOURS = 18
FEVER_C = 38.0


@dataclass(frozen=True)
class GbsResult:
    indicated: bool
    basis: str
    agent: str
    reasons: tuple[str, ...]


def indication(culture: str, culture_age_days: int | None, bacteriuria: bool, previous_infant_gbs: bool,
               ga_days: int, rom_hours: float, temp_c: float, naat: str, planned_cs_no_labor: bool) -> tuple[str, str]:
    """(basis, why): the ``BASES`` code that decides; prophylaxis is indicated when it is in ``INDICATING``.
    ``culture`` is 'positive', 'negative' or 'unknown'; ``naat`` 'positive', 'negative' or 'not_done'."""
    if planned_cs_no_labor:
        return "planned_cesarean", "caesarean before labour with intact membranes"
    if bacteriuria:
        return "bacteriuria", "GBS bacteriuria in this pregnancy"
    if previous_infant_gbs:
        return "previous_infant", "previous infant with invasive GBS disease"
    current = culture_age_days is not None and culture_age_days <= CULTURE_VALID_DAYS and (
        ga_days - culture_age_days >= SCREENING_FROM_DAYS or ga_days < PRETERM_DAYS)
    if culture == "positive" and current:
        return "positive_culture", "valid positive GBS culture (within 5 weeks, at >= 36 weeks or in preterm labour)"
    if culture == "negative" and current:
        return "negative_culture", "valid negative GBS culture (within 5 weeks, at >= 36 weeks or in preterm labour)"
    risks = [r for r, on in (("preterm < 37 weeks", ga_days < PRETERM_DAYS),
                             (f"membranes ruptured >= {ROM_HOURS} h", rom_hours >= ROM_HOURS),
                             ("intrapartum temperature >= 38.0 C", temp_c >= FEVER_C),
                             ("intrapartum NAAT positive", naat == "positive")) if on]  # fmt: skip
    status = "unknown GBS status" + (" (culture not valid: older than 5 weeks or before 36 weeks)"
                                     if culture != "unknown" else "")
    if risks:
        return "unknown_with_risk_factor", f"{status} with {', '.join(risks)}"
    return "unknown_without_risk_factor", f"{status} without a risk factor"


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
    basis, why = indication(culture, culture_age_days, bacteriuria, previous_infant_gbs, ga_days, rom_hours, temp_c,
                         naat, planned_cs_no_labor)  # fmt: skip
    on = basis in INDICATING
    drug, because = agent(on, allergy_reaction, clindamycin_susceptible)
    return GbsResult(on, basis, drug, (f"{why} -> {basis}: {'indicated' if on else 'not indicated'}",
                                       f"{because} ({SOURCE})"))
