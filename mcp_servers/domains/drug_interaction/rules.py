"""Clinical rules over the knowledge tables; every tool, task answer and the reference clinician use these.

- Interactions: the curated pair row when there is one, plus mechanism findings from drug properties (each rule's
  grid and source are in ``rules.json``); a pair's severity is the curated severity, else the worst finding.
- Kidney: Cockcroft-Gault creatinine clearance with actual body weight (the clearance drug labels dose by), then the
  label's dose band (``drugs.json`` ``renal``; apixaban's count-the-criteria rule in ``renal_criteria``).
- Liver: the label's action for the patient's Child-Pugh class.
- Pregnancy and lactation: the drug's label/LactMed category for a pregnant or lactating patient.
- Allergy: same allergy group, label-specific exclusions and cross-reactivity (AAAAI/ACAAI 2022; Strom 2003).
- QT: the Tisdale 2013 risk score; anticholinergic burden: the ACB scale (Boustani 2008).
- Prescribing decision: the three-level rule stated in ``DECISION_RULE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthgym.mcp_servers.calculators import CalcResult, cockcroft_gault
from healthgym.mcp_servers.domains.drug_interaction.knowledge import (
    SEVERITY_RANK,
    DoseAction,
    Drug,
    Interaction,
    knowledge,
    pair_key,
)
from healthgym.mcp_servers.domains.drug_interaction.patients import Allergy, Patient

SeverityOrNone = Literal["contraindicated", "major", "moderate", "minor", "none"]
AllergyLevel = Literal["contraindicated", "caution", "none"]
Decision = Literal["safe", "caution", "unsafe"]
Mechanism = Literal[
    "cyp",
    "transporter",
    "qt",
    "serotonin",
    "hyperkalaemia",
    "bleeding",
    "cns_depression",
    "anticholinergic",
    "hypotension",
    "hypertensive_crisis",
    "duplication",
]
MECHANISMS: tuple[str, ...] = Mechanism.__args__  # type: ignore[attr-defined]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Finding(_Out):
    """One mechanism rule that fires for a pair."""

    rule: str = Field(description="Rule id in rules.json, e.g. 'cyp_inhibition'.")
    mechanism: str = Field(description="Mechanism family: " + ", ".join(MECHANISMS) + ".")
    severity: SeverityOrNone
    detail: str = Field(description="The drug properties that trigger the rule.")
    source: str = Field(description="Citation of the rule.")


class PairAssessment(_Out):
    drug_a: str
    drug_b: str
    severity: SeverityOrNone = Field(description="Curated severity if the pair is curated, else the worst finding.")
    curated: Interaction | None = Field(description="The curated interaction row, if any.")
    findings: list[Finding] = Field(description="Mechanism rules that fire for the pair.")


def worst(severities: Iterable[str]) -> SeverityOrNone:
    return max(severities, key=SEVERITY_RANK.__getitem__, default="none")  # type: ignore[return-value]


def _finding(rule: str, severity: str, detail: str) -> Finding:
    spec = knowledge().rules[rule]
    return Finding(
        rule=rule,
        mechanism=spec.mechanism,
        severity=severity,
        detail=detail,  # type: ignore[arg-type]
        source=knowledge().cite(spec.source),
    )


# --- CYP and transporters (FDA drug-interaction table and 2020 guidance) --------------------------------------------

_INHIBITION = {
    ("strong", "sensitive"): "major",
    ("strong", "moderate"): "moderate",
    ("moderate", "sensitive"): "moderate",
    ("weak", "sensitive"): "minor",
}
_INDUCTION = {
    ("strong", "sensitive"): "major",
    ("strong", "moderate"): "moderate",
    ("moderate", "sensitive"): "moderate",
}
_PRODRUG = {"strong": "major", "moderate": "moderate"}


def _sensitivity(drug: Drug, enzyme: str) -> str | None:
    """A narrow-therapeutic-index drug that is a sensitive or moderately sensitive substrate counts as sensitive."""
    level = drug.substrate.get(enzyme)
    if level in ("sensitive", "moderate") and drug.nti:
        return "sensitive"
    return level


def _enzyme_findings(perp: Drug, victim: Drug) -> list[Finding]:
    out: list[Finding] = []
    nti = " (narrow therapeutic index)" if victim.nti else ""
    for enzyme, strength in sorted(perp.inhibits.items()):
        sensitivity = _sensitivity(victim, enzyme)
        severity = _INHIBITION.get((strength, sensitivity or ""))
        if severity:
            out.append(
                _finding(
                    "cyp_inhibition",
                    severity,
                    f"{perp.name} is a {strength} {enzyme} inhibitor; "
                    f"{victim.name} is a {victim.substrate[enzyme]} {enzyme} substrate{nti}.",
                )
            )
        if enzyme in victim.prodrug and strength in _PRODRUG:
            out.append(
                _finding(
                    "cyp_prodrug_activation",
                    _PRODRUG[strength],
                    f"{perp.name} is a {strength} {enzyme} "
                    f"inhibitor; {victim.name} needs {enzyme} to form its active metabolite.",
                )
            )
    for enzyme, strength in sorted(perp.induces.items()):
        severity = _INDUCTION.get((strength, _sensitivity(victim, enzyme) or ""))
        if severity:
            out.append(
                _finding(
                    "cyp_induction",
                    severity,
                    f"{perp.name} is a {strength} {enzyme} inducer; "
                    f"{victim.name} is a {victim.substrate[enzyme]} {enzyme} substrate{nti}.",
                )
            )
    for transporter in sorted(set(perp.transporter_inhibits) & set(victim.transporter_substrate)):
        critical = victim.nti or victim.bleeding == "anticoagulant"
        out.append(
            _finding(
                "transporter_inhibition",
                "moderate" if critical else "minor",
                f"{perp.name} inhibits {transporter}; {victim.name} is a {transporter} substrate{nti}.",
            )
        )
    for transporter in sorted(set(perp.transporter_induces) & set(victim.transporter_substrate)):
        out.append(
            _finding(
                "transporter_induction",
                "moderate",
                f"{perp.name} induces {transporter}; {victim.name} is a {transporter} substrate.",
            )
        )
    return out


# --- pharmacodynamic rules -------------------------------------------------------------------------------------------

_QT_LISTED = ("known", "possible")
_BLEEDING = {
    frozenset({"anticoagulant"}): "major",
    frozenset({"anticoagulant", "antiplatelet"}): "major",
    frozenset({"anticoagulant", "nsaid"}): "major",
    frozenset({"antiplatelet"}): "moderate",
    frozenset({"antiplatelet", "nsaid"}): "moderate",
    frozenset({"nsaid"}): "moderate",
    frozenset({"sri", "anticoagulant"}): "moderate",
    frozenset({"sri", "antiplatelet"}): "moderate",
    frozenset({"sri", "nsaid"}): "moderate",
}
_SEROTONIN = {
    frozenset({"maoi"}): "contraindicated",
    frozenset({"maoi", "sri"}): "contraindicated",
    frozenset({"maoi", "other"}): "major",
    frozenset({"sri"}): "major",
    frozenset({"sri", "other"}): "moderate",
    frozenset({"other"}): "minor",
}
_CNS = {
    frozenset({"opioid", "benzodiazepine"}): "major",
    frozenset({"opioid", "z_drug"}): "major",
    frozenset({"opioid", "gabapentinoid"}): "major",
    frozenset({"opioid", "sedative"}): "moderate",
    frozenset({"opioid"}): "moderate",
    frozenset({"benzodiazepine"}): "moderate",
    frozenset({"benzodiazepine", "z_drug"}): "moderate",
    frozenset({"z_drug"}): "moderate",
    frozenset({"benzodiazepine", "sedative"}): "moderate",
    frozenset({"z_drug", "sedative"}): "moderate",
    frozenset({"benzodiazepine", "gabapentinoid"}): "moderate",
    frozenset({"z_drug", "gabapentinoid"}): "moderate",
}


_SYMPATHOMIMETIC_CLASSES = frozenset({"CNS stimulant", "Norepinephrine-dopamine reuptake inhibitor"})
"""Stimulants and bupropion: their labels contraindicate MAO inhibitors (hypertensive crisis). Bupropion's label names
psychiatric MAOIs, linezolid and methylene blue; its pairs are curated per MAOI, and the curated row decides."""


def _is_diuretic(drug: Drug) -> bool:
    return "diuretic" in drug.drug_class.lower() and drug.potassium == "lowers"


def _dynamic_findings(a: Drug, b: Drug) -> list[Finding]:
    out: list[Finding] = []
    if a.qt in _QT_LISTED and b.qt in _QT_LISTED:
        severity = "major" if a.qt == b.qt == "known" else "moderate"
        out.append(
            _finding(
                "qt_additive",
                severity,
                f"{a.name} ({a.qt} risk) and {b.name} ({b.qt} risk) are on the CredibleMeds QT lists.",
            )
        )
    for qt_drug, diuretic in ((a, b), (b, a)):
        if qt_drug.qt == "known" and _is_diuretic(diuretic):
            out.append(
                _finding(
                    "qt_hypokalaemia",
                    "moderate",
                    f"{qt_drug.name} has a known risk of torsades; {diuretic.name} lowers potassium and magnesium.",
                )
            )
    for restricted, other in ((a, b), (b, a)):
        if restricted.qt_combination and other.qt in _QT_LISTED:
            out.append(
                _finding(
                    "qt_label_restriction",
                    "contraindicated" if restricted.qt_combination == "contraindicated" else "major",
                    f"The {restricted.name} label says {restricted.qt_combination} with QT-prolonging drugs; "
                    f"{other.name} is on the CredibleMeds {other.qt}-risk list.",
                )
            )
    if a.serotonergic and b.serotonergic:
        out.append(
            _finding(
                "serotonin_maoi" if "maoi" in (a.serotonergic, b.serotonergic) else "serotonin_additive",
                _SEROTONIN[frozenset({a.serotonergic, b.serotonergic})],
                f"{a.name} ({a.serotonergic}) and {b.name} ({b.serotonergic}) are both serotonergic.",
            )
        )
    if a.potassium.startswith("raises") and b.potassium.startswith("raises"):
        strong = "raises_strong" in (a.potassium, b.potassium)
        out.append(
            _finding(
                "hyperkalaemia_additive",
                "major" if strong else "moderate",
                f"{a.name} and {b.name} both raise serum potassium"
                + (" (one is a potassium-sparing agent or potassium supplement)." if strong else "."),
            )
        )
    for opioid, maoi in ((a, b), (b, a)):
        if opioid.cns == "opioid" and maoi.serotonergic == "maoi":
            out.append(
                _finding(
                    "opioid_maoi",
                    "major",
                    f"{opioid.name} is an opioid and {maoi.name} an MAO inhibitor: serotonin syndrome or opioid "
                    "toxicity; the opioid labels advise against use with or within 14 days of an MAOI.",
                )
            )
        if maoi.serotonergic == "maoi" and opioid.drug_class in _SYMPATHOMIMETIC_CLASSES:
            out.append(
                _finding(
                    "maoi_sympathomimetic",
                    "contraindicated",
                    f"{maoi.name} inhibits MAO; {opioid.name} ({opioid.drug_class.lower()}) releases or blocks the "
                    "reuptake of noradrenaline and dopamine: hypertensive crisis.",
                )
            )
    bleeding = _BLEEDING.get(frozenset({a.bleeding, b.bleeding}))
    if a.bleeding and b.bleeding and bleeding:
        out.append(
            _finding(
                "bleeding_additive",
                bleeding,
                f"{a.name} ({a.bleeding}) and {b.name} ({b.bleeding}) both impair haemostasis.",
            )
        )
    cns = _CNS.get(frozenset({a.cns, b.cns}))
    if a.cns and b.cns and cns:
        out.append(
            _finding("cns_depression", cns, f"{a.name} ({a.cns}) and {b.name} ({b.cns}) are both CNS depressants.")
        )
    if a.acb == 3 and b.acb == 3:
        out.append(
            _finding(
                "anticholinergic_additive",
                "moderate",
                f"{a.name} and {b.name} are both strongly anticholinergic (ACB 3).",
            )
        )
    for anti, kcl in ((a, b), (b, a)):
        if anti.acb == 3 and kcl.drug_class == "Potassium supplement":
            out.append(
                _finding(
                    "potassium_anticholinergic",
                    "contraindicated",
                    f"{anti.name} (ACB 3) slows gastrointestinal transit; solid {kcl.name} then injures the mucosa.",
                )
            )
    for anti, chei in ((a, b), (b, a)):
        if anti.acb >= 2 and chei.drug_class == "Acetylcholinesterase inhibitor":
            out.append(
                _finding(
                    "anticholinergic_cholinesterase", "moderate", f"{anti.name} (ACB {anti.acb}) opposes {chei.name}."
                )
            )
    if {a.drug_class, b.drug_class} == {"Organic nitrate", "Phosphodiesterase-5 inhibitor"}:
        out.append(
            _finding("nitrate_pde5", "contraindicated", f"{a.name} and {b.name}: nitrate with a PDE5 inhibitor.")
        )
    if a.drug_class == b.drug_class:
        out.append(
            _finding("therapeutic_duplication", "moderate", f"{a.name} and {b.name} share the class '{a.drug_class}'.")
        )
    return out


def mechanism_findings(a: Drug, b: Drug) -> list[Finding]:
    """Every mechanism rule that fires for the pair, regardless of the curated table."""
    return _enzyme_findings(a, b) + _enzyme_findings(b, a) + _dynamic_findings(a, b)


def assess_pair(a: Drug, b: Drug) -> PairAssessment:
    curated = knowledge().interactions.get(pair_key(a.name, b.name))
    findings = mechanism_findings(a, b)
    severity = curated.severity if curated else worst(f.severity for f in findings)
    return PairAssessment(drug_a=a.name, drug_b=b.name, severity=severity, curated=curated, findings=findings)


def profile_pairs(drugs: Sequence[Drug]) -> list[PairAssessment]:
    """Assessments of every pair in a medication list that interacts at all, worst first."""
    found = [assess_pair(a, b) for a, b in combinations(drugs, 2) if a.name != b.name]
    found = [p for p in found if p.severity != "none"]
    return sorted(found, key=lambda p: (-SEVERITY_RANK[p.severity], p.drug_a, p.drug_b))


def pair_code(a: str, b: str) -> str:
    """Canonical code of a pair: the two names in alphabetical order joined by '+'."""
    return "+".join(sorted((a, b)))


# --- kidney, liver, pregnancy, lactation -----------------------------------------------------------------------------


def creatinine_clearance(patient: Patient) -> CalcResult:
    """Cockcroft-Gault CrCl with actual body weight (Cockcroft & Gault, Nephron 1976)."""
    return cockcroft_gault(
        age_years=patient.age_years,
        weight_kg=patient.weight_kg,
        creatinine_mg_dl=patient.serum_creatinine_mg_dl,
        sex=patient.sex,
    )


def crcl_value(patient: Patient) -> float:
    """The clearance every dose band is compared with: mL/min to one decimal."""
    return round(creatinine_clearance(patient).value, 1)


class RenalDecision(_Out):
    action: DoseAction
    band: str = Field(description="The label band that applies, e.g. 'CrCl 15-30 mL/min'.")
    dose: str = Field(description="The label's dose for that band.")


def _band_text(lower: float | None, below: float, inclusive: bool) -> str:
    op = "<=" if inclusive else "<"
    return f"CrCl {op} {below:g} mL/min" if lower is None else f"CrCl {lower:g} to {op} {below:g} mL/min"


def renal_band_for(drug: Drug, crcl: float) -> RenalDecision:
    """The label band for a clearance: the first band, lowest first, whose bound ``crcl`` falls under (``<`` or, for
    an inclusive band, ``<=``); above every band the label needs no change."""
    lower: float | None = None
    for band in drug.renal:
        if crcl < band.below or (band.inclusive and crcl <= band.below):
            return RenalDecision(action=band.action, band=_band_text(lower, band.below, band.inclusive), dose=band.dose)
        lower = band.below
    above = f"CrCl above {lower:g} mL/min" if lower is not None else "any CrCl"
    return RenalDecision(action="no_change", band=above, dose=drug.typical_dose)


def renal_decision(drug: Drug, patient: Patient) -> RenalDecision:
    """The label's renal action for this patient: apixaban's count of criteria (age >= 80 y, weight <= 60 kg, serum
    creatinine >= 1.5 mg/dL; 2 or more reduce the dose), otherwise the band of the Cockcroft-Gault clearance."""
    criteria = drug.renal_criteria
    if criteria is None:
        return renal_band_for(drug, crcl_value(patient))
    met = sum(
        [
            patient.age_years >= criteria.age_ge,
            patient.weight_kg <= criteria.weight_le,
            patient.serum_creatinine_mg_dl >= criteria.creatinine_ge,
        ]
    )
    reduced = met >= criteria.min_count
    return RenalDecision(
        action=criteria.action if reduced else "no_change",
        band=f"{met} of 3 dose-reduction criteria met",
        dose=criteria.dose if reduced else drug.typical_dose,
    )


class RenalBandRow(_Out):
    band: str
    action: DoseAction
    dose: str


def renal_band_table(drug: Drug) -> list[RenalBandRow]:
    """The label's renal bands, lowest first, each with its CrCl range written out."""
    out, lower = [], None
    for band in drug.renal:
        out.append(RenalBandRow(band=_band_text(lower, band.below, band.inclusive), action=band.action, dose=band.dose))
        lower = band.below
    return out


def child_pugh_class(patient: Patient) -> str | None:
    return None if patient.hepatic_function == "normal" else patient.hepatic_function[-1].upper()


def hepatic_action(drug: Drug, patient: Patient) -> DoseAction:
    cls = child_pugh_class(patient)
    return "no_change" if cls is None else getattr(drug.hepatic, cls)


# --- allergy ---------------------------------------------------------------------------------------------------------

_ALLERGY_RANK = {"none": 0, "caution": 1, "contraindicated": 2}


class AllergyMatch(_Out):
    allergy: str
    reaction: str
    level: AllergyLevel
    note: str
    source: str


def allergy_matches(drug: Drug, allergies: Iterable[Allergy]) -> list[AllergyMatch]:
    """How each recorded allergy bears on the drug: a label rule for the drug, the same group, or cross-reactivity."""
    k = knowledge()
    out: list[AllergyMatch] = []
    for allergy in allergies:
        rule = next((r for r in k.drug_allergy_rules if r.allergy == allergy.allergen and r.drug == drug.name), None)
        if rule is not None:
            out.append(
                AllergyMatch(
                    allergy=allergy.allergen,
                    reaction=allergy.reaction,
                    level=rule.level,
                    note=rule.note,
                    source=k.cite(rule.source),
                )
            )
        elif allergy.allergen in drug.allergy_groups:
            out.append(
                AllergyMatch(
                    allergy=allergy.allergen,
                    reaction=allergy.reaction,
                    level="contraindicated",
                    note=f"{drug.name} belongs to the {k.allergy_groups[allergy.allergen]} group.",
                    source=k.cite("aaaai_2022"),
                )
            )
        else:
            out.extend(
                AllergyMatch(
                    allergy=allergy.allergen,
                    reaction=allergy.reaction,
                    level=c.level,
                    note=c.note,
                    source=k.cite(c.source),
                )
                for c in k.cross_reactions
                if c.allergy == allergy.allergen and c.group in drug.allergy_groups
            )
    return out


def allergy_level(matches: Iterable[AllergyMatch]) -> AllergyLevel:
    return max((m.level for m in matches), key=_ALLERGY_RANK.__getitem__, default="none")


# --- QT risk (Tisdale 2013) and anticholinergic burden (ACB) ---------------------------------------------------------


class TisdaleScore(_Out):
    score: int
    category: Literal["low", "moderate", "high"]
    points: dict[str, int] = Field(description="Points per criterion that applies.")
    qt_drugs: list[str] = Field(description="Current drugs on the CredibleMeds Known or Possible Risk lists.")


def tisdale_score(patient: Patient, drugs: Sequence[Drug]) -> TisdaleScore:
    """Tisdale QT risk score for hospitalised patients: age >= 68 (1), female (1), loop diuretic (1), K <= 3.5 (2),
    admission QTc >= 450 ms (2), acute MI (2), >= 2 QTc-prolonging drugs (3), sepsis (3), heart failure (3), one
    QTc-prolonging drug (3); low <= 6, moderate 7-10, high >= 11 (Tisdale, Circ Cardiovasc Qual Outcomes 2013).
    QTc-prolonging drugs are those on the CredibleMeds Known or Possible Risk lists."""
    qt_drugs = sorted(d.name for d in drugs if d.qt in _QT_LISTED)
    criteria = {
        "age >= 68 y": (patient.age_years >= 68, 1),
        "female sex": (patient.sex == "female", 1),
        "loop diuretic": (any(d.drug_class == "Loop diuretic" for d in drugs), 1),
        "serum K <= 3.5 mmol/L": (patient.potassium_mmol_l <= 3.5, 2),
        "QTc >= 450 ms": (patient.qtc_ms >= 450, 2),
        "acute myocardial infarction": ("acute_mi" in patient.conditions, 2),
        "one QTc-prolonging drug": (len(qt_drugs) >= 1, 3),
        ">= 2 QTc-prolonging drugs": (len(qt_drugs) >= 2, 3),
        "sepsis": ("sepsis" in patient.conditions, 3),
        "heart failure": ("heart_failure" in patient.conditions, 3),
    }
    points = {name: value for name, (applies, value) in criteria.items() if applies}
    score = sum(points.values())
    category = "low" if score <= 6 else "moderate" if score <= 10 else "high"
    return TisdaleScore(score=score, category=category, points=points, qt_drugs=qt_drugs)


HUNTER_CRITERIA = (
    "Serotonin toxicity (Hunter criteria), with a serotonergic agent: spontaneous clonus; or inducible clonus with "
    "agitation or diaphoresis; or ocular clonus with agitation or diaphoresis; or tremor with hyperreflexia; or "
    "hypertonia with temperature > 38 C and ocular or inducible clonus (Dunkley, QJM 2003)."
)


def acb_total(drugs: Sequence[Drug]) -> int:
    """Anticholinergic Cognitive Burden: the sum of each drug's score (1 possible, 2-3 definite anticholinergic);
    a total >= 3 is clinically relevant (Boustani 2008; Fox 2011)."""
    return sum(d.acb for d in drugs)


# --- the prescribing decision ----------------------------------------------------------------------------------------

DECISION_RULE = (
    "unsafe if any of: a contraindicated interaction with a current medication; an allergy check of "
    "'contraindicated'; a renal or hepatic action of 'avoid'; pregnancy category 'contraindicated' or 'avoid' in a "
    "pregnant patient; lactation category 'avoid' in a breastfeeding patient. Otherwise caution if any of: a major or "
    "moderate interaction; an allergy check of 'caution'; a renal or hepatic action of 'reduce_dose' or "
    "'extend_interval'; pregnancy 'caution' in a pregnant patient; lactation 'caution' in a breastfeeding patient. "
    "Otherwise safe."
)
SCALES: dict[str, tuple[str, str, str]] = {
    "cockcroft_gault": (
        "Cockcroft-Gault creatinine clearance",
        "CrCl (mL/min) = (140 - age) x actual body weight (kg) / (72 x serum creatinine mg/dL), x 0.85 if female, "
        "to one decimal. Drug labels dose by this value; the dose band is the first label band, lowest first, whose "
        "bound the clearance falls under.",
        "cockcroft_gault",
    ),
    "tisdale": (
        "Tisdale QT risk score",
        "Hospitalised patients: age >= 68 y 1, female 1, loop diuretic 1, serum K <= 3.5 mmol/L 2, admission QTc >= "
        "450 ms 2, acute MI 2, one QTc-prolonging drug 3, >= 2 QTc-prolonging drugs 3 more, sepsis 3, heart failure "
        "3. QTc-prolonging drugs are those on the CredibleMeds Known or Possible Risk lists. Low <= 6, moderate 7-10, "
        "high >= 11.",
        "tisdale; crediblemeds",
    ),
    "acb": (
        "Anticholinergic Cognitive Burden scale",
        "Each drug scores 0 (none), 1 (possible) or 2-3 (definite anticholinergic); the total is summed and >= 3 is "
        "clinically relevant (cognitive decline, delirium, mortality).",
        "acb",
    ),
    "hunter": ("Hunter serotonin toxicity criteria", HUNTER_CRITERIA, "hunter"),
    "prescribing_decision": (
        "Prescribing decision rule",
        DECISION_RULE + " A pair's severity is the curated (label) severity when the pair is listed, else the worst "
        "mechanism rule that fires.",
        "beers; aaaai_2022; fda_pllr",
    ),
}
"""The scales and decision rules the tools apply, by topic: (title, statement, source keys)."""
Reason = Literal["interaction", "allergy", "renal", "hepatic", "pregnancy", "lactation"]
REASONS: tuple[str, ...] = Reason.__args__  # type: ignore[attr-defined]


class PrescriptionCheck(_Out):
    """Every check of one candidate drug for one patient, and the decision by ``DECISION_RULE``."""

    drug: str
    decision: Decision
    reasons: list[str] = Field(description="Checks that raised a concern: " + ", ".join(REASONS) + ".")
    hazards: list[str] = Field(description="Checks that make the drug unsafe (a subset of the reasons).")
    interactions: list[PairAssessment]
    allergy: AllergyLevel
    renal: DoseAction
    hepatic: DoseAction
    pregnancy: str = Field(description="Pregnancy category if pregnant, else 'not_pregnant'.")
    lactation: str = Field(description="Lactation category if breastfeeding, else 'not_lactating'.")


def check_prescription(patient: Patient, current: Sequence[Drug], drug: Drug) -> PrescriptionCheck:
    """Screen ``drug`` for ``patient`` against ``current`` medications and decide by ``DECISION_RULE``."""
    interactions = [
        p for p in (assess_pair(drug, other) for other in current if other.name != drug.name) if p.severity != "none"
    ]
    allergy = allergy_level(allergy_matches(drug, patient.allergies))
    renal = renal_decision(drug, patient).action
    hepatic = hepatic_action(drug, patient)
    pregnancy = drug.pregnancy if patient.pregnant else "not_pregnant"
    lactation = drug.lactation if patient.lactating else "not_lactating"
    worst_interaction = worst(p.severity for p in interactions)
    unsafe = {
        "interaction": worst_interaction == "contraindicated",
        "allergy": allergy == "contraindicated",
        "renal": renal == "avoid",
        "hepatic": hepatic == "avoid",
        "pregnancy": pregnancy in ("contraindicated", "avoid"),
        "lactation": lactation == "avoid",
    }
    concern = {
        "interaction": SEVERITY_RANK[worst_interaction] >= SEVERITY_RANK["moderate"],
        "allergy": allergy != "none",
        "renal": renal != "no_change",
        "hepatic": hepatic != "no_change",
        "pregnancy": pregnancy not in ("compatible", "not_pregnant"),
        "lactation": lactation not in ("compatible", "not_lactating"),
    }
    decision: Decision = "unsafe" if any(unsafe.values()) else "caution" if any(concern.values()) else "safe"
    return PrescriptionCheck(
        drug=drug.name,
        decision=decision,
        reasons=[r for r in REASONS if concern[r]],
        hazards=[r for r in REASONS if unsafe[r]],
        interactions=interactions,
        allergy=allergy,
        renal=renal,
        hepatic=hepatic,
        pregnancy=pregnancy,
        lactation=lactation,
    )
