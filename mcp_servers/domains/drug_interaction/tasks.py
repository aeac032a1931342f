"""Tasks of the drug-interaction domain: one gradeable question per case, and the grader.

Kinds (``cases.KINDS``, one in ten of each split): the severity of one pair (partial credit for over-calling by one
level), every major/contraindicated pair of a medication list (F1), every pair flagged by one mechanism (F1), renal
dosing (Cockcroft-Gault CrCl within 2 mL/min plus the label's action), screening a new prescription (decision plus
the checks that raised a concern), choosing the one safe alternative of four, the Tisdale QT risk score, the ACB
anticholinergic burden, a drug's category in pregnancy or lactation, and a prescribing round (prescribe every
proposed drug that is not unsafe; graded on the drugs the episode actually started).

Tiers alternate in blocks of ten indices: ``assisted`` tasks may use every tool; ``unassisted`` ones withhold the
decision-support tools, so the agent reads the record (``get_patient``) and the monographs (``get_drug_info``,
``get_rule_reference``) and applies the rule itself. Screening a prescription, choosing the safe alternative and the
prescribing round combine several findings and are ``composite``. The pair and pregnancy/lactation questions do not
depend on the patient: their ``parameters`` (the pair; the drug) keep a test question out of train and dev.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domains.drug_interaction.cases import (
    KINDS,
    LACTATION_OPTIONS,
    PREGNANCY_OPTIONS,
    Case,
    build_case,
    mechanism_pairs,
)
from healthgym.mcp_servers.domains.drug_interaction.knowledge import SEVERITY_RANK, Drug, knowledge, normalize_name
from healthgym.mcp_servers.domains.drug_interaction.rules import (
    DECISION_RULE,
    REASONS,
    acb_total,
    assess_pair,
    check_prescription,
    crcl_value,
    pair_code,
    profile_pairs,
    renal_decision,
    tisdale_score,
)
from healthgym.schemas import (
    TIERS,
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    Tier,
    path_step,
    task_id,
)

VERSION = "2.0.0"
DOMAIN = "drug_interaction"
SEVERITIES = ("contraindicated", "major", "moderate", "minor", "none")
DOSE_ACTIONS = ("no_change", "reduce_dose", "extend_interval", "avoid")
LETTERS = ("A", "B", "C", "D")
MECHANISM_TEXT = {
    "cyp": "cytochrome P450 inhibition, induction or prodrug activation (FDA drug-interaction table)",
    "transporter": "drug-transporter inhibition or induction (P-gp, OATP1B1, OCT2/MATE; FDA drug-interaction table)",
    "qt": "additive QT prolongation (CredibleMeds lists)",
    "serotonin": "serotonin toxicity (MAO inhibitors and serotonergic drugs)",
    "hyperkalaemia": "hyperkalaemia (two potassium-raising drugs)",
    "bleeding": "additive bleeding risk (anticoagulants, antiplatelets, NSAIDs, SSRIs/SNRIs)",
    "cns_depression": "additive CNS and respiratory depression (opioids, benzodiazepines, Z-drugs, gabapentinoids)",
    "anticholinergic": "anticholinergic burden (two strongly anticholinergic drugs, or one opposing a cholinesterase "
    "inhibitor)",
}
COMPOSITE_KINDS = frozenset({"new_prescription", "safe_alternative", "prescribing_round"})
SLACK = 4
"""Calls allowed beyond the reference path before the budget bites (a look-up of a rule, a retry)."""
PAIRS_FORMAT = "each pair written 'drug_a+drug_b' with generic names, e.g. 'clarithromycin+simvastatin'"



def _before_submit(tool: str, why: str, **arguments: str) -> ActionSpec:
    return ActionSpec(tool=tool, arguments=arguments, before="submit_answer", why=why)


def _before_prescribing(tool: str, why: str, **arguments: str) -> ActionSpec:
    """A check that must come before the first ``prescribe`` of the episode (or at all, if nothing is prescribed)."""
    return ActionSpec(tool=tool, arguments=arguments, before="prescribe", why=why)


def _lookups(names: list[str], before: str = "submit_answer") -> list[ActionSpec]:
    """Unassisted tier: read each drug's monograph before deciding about it."""
    return [
        ActionSpec(tool="get_drug_info", arguments={"drug": n}, before=before, why=f"Read the {n} monograph.")
        for n in dict.fromkeys(names)
    ]


def _unassisted_path(pid: str, names: list[str], record: bool = True) -> list[str]:
    """The calls of the unassisted reference solution before its writes: the record, then each monograph."""
    return [path_step("get_patient", patient_id=pid)] * record + [path_step("get_drug_info", drug=n) for n in names]


def _unassisted_rubric(
    pid: str, names: list[str], before: str = "submit_answer", record: bool = True, writes: int = 0
) -> Rubric:
    required = _lookups(names, before)
    if record:
        required.insert(
            0,
            ActionSpec(
                tool="get_patient", arguments={"patient_id": pid}, before=before, why="Read the record before deciding."
            ),
        )
    return Rubric(required_actions=required, max_tool_calls=len(names) + record + writes + 1 + SLACK)


def _drugs(case: Case) -> list[Drug]:
    k = knowledge()
    return [k.drugs[m.drug] for m in case.patient.medications]


def _pair_severity(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid, a, b = case.patient.patient_id, case.partner, case.drug
    assessment = assess_pair(k.drugs[a], k.drugs[b])
    prompt = (
        f"Patient {pid} takes {a}. The team is considering adding {b}. Classify the severity of the "
        f"{a}-{b} interaction as one of: {', '.join(SEVERITIES)}. Submit with submit_answer(answer=<severity>)."
    )
    answer = ChoiceAnswer(value=assessment.severity, options=list(SEVERITIES))
    if assessment.curated:
        why = (
            f"Curated interaction ({assessment.curated.source}): {assessment.curated.mechanism} "
            f"Management: {assessment.curated.management}"
        )
    elif assessment.findings:
        why = "No curated row; mechanism rules: " + " ".join(
            f"{f.detail} ({f.rule}: {f.severity})" for f in assessment.findings
        )
    else:
        why = "No curated interaction and no mechanism rule fires for this pair."
    privileged = Privileged(
        rationale=f"Severity {assessment.severity}. {why}",
        key_evidence=[f.detail for f in assessment.findings] or [f"{a} and {b}"],
        reference_path=[
            *(
                [path_step("check_interaction", drug_a=a, drug_b=b)]
                if tier == "assisted"
                else _unassisted_path(pid, [a, b], record=False)
            ),
            path_step("submit_answer", answer=assessment.severity),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[_before_submit("check_interaction", "Look the pair up before classifying it.")],
            max_tool_calls=6,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [a, b], record=False)
    )
    return prompt, answer, privileged, rubric


def _profile(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    pid = case.patient.patient_id
    names = [m.drug for m in case.patient.medications]
    hits = [p for p in profile_pairs(_drugs(case)) if SEVERITY_RANK[p.severity] >= SEVERITY_RANK["major"]]
    codes = sorted(pair_code(p.drug_a, p.drug_b) for p in hits)
    prompt = (
        f"Review the current medication list of patient {pid}. List every pair of medications whose "
        f"interaction is major or contraindicated. Submit submit_answer(pairs=[...]), {PAIRS_FORMAT}."
    )
    answer = FieldsAnswer(fields={"pairs": CodeSetAnswer(codes=codes)})
    privileged = Privileged(
        rationale="Major or contraindicated pairs (curated severity when curated, else the worst mechanism rule): "
        + "; ".join(f"{pair_code(p.drug_a, p.drug_b)} {p.severity}" for p in hits),
        key_evidence=[m.drug for m in case.patient.medications],
        reference_path=[
            *(
                [path_step("check_all_interactions", patient_id=pid, min_severity="major")]
                if tier == "assisted"
                else _unassisted_path(pid, names)
            ),
            path_step("submit_answer", pairs=codes),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[_before_submit("check_all_interactions", "Screen the whole list.", patient_id=pid)],
            max_tool_calls=8,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, names)
    )
    return prompt, answer, privileged, rubric


def _mechanism(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    pid, mechanism = case.patient.patient_id, case.mechanism
    names = [m.drug for m in case.patient.medications]
    codes = mechanism_pairs(_drugs(case), mechanism)
    rule = knowledge().rules
    prompt = (
        f"Which pairs of patient {pid}'s current medications carry a risk of {MECHANISM_TEXT[mechanism]} "
        f"(mechanism '{mechanism}'), "
        f"according to the domain's mechanism rules (whatever the severity, curated table aside)? Submit "
        f"submit_answer(pairs=[...]), {PAIRS_FORMAT}."
    )
    answer = FieldsAnswer(fields={"pairs": CodeSetAnswer(codes=codes)})
    rules = sorted({r.title for r in rule.values() if r.mechanism == mechanism})
    privileged = Privileged(
        rationale=f"Pairs flagged by the {mechanism} rules ({'; '.join(rules)}): " + ", ".join(codes),
        key_evidence=codes,
        reference_path=[
            *(
                [path_step("detect_mechanism_interactions", patient_id=pid, mechanism=mechanism)]
                if tier == "assisted"
                else _unassisted_path(pid, names)
            ),
            path_step("submit_answer", pairs=codes),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[
                _before_submit(
                    "detect_mechanism_interactions", "Apply the mechanism rules.", patient_id=pid, mechanism=mechanism
                )
            ],
            max_tool_calls=8,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, names)
    )
    return prompt, answer, privileged, rubric


def _renal(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid, name, patient = case.patient.patient_id, case.drug, case.patient
    crcl = crcl_value(patient)
    decision = renal_decision(k.drugs[name], patient)
    prompt = (
        f"Patient {pid} takes {name}. Estimate the creatinine clearance with the Cockcroft-Gault equation "
        f"(actual body weight) and give the label's renal dose action for {name}: one of "
        f"{', '.join(DOSE_ACTIONS)}. Submit submit_answer(crcl_ml_min=<mL/min>, action=<action>)."
    )
    partial = {"reduce_dose": {"extend_interval": 0.5}, "extend_interval": {"reduce_dose": 0.5}}
    answer = FieldsAnswer(
        fields={
            "crcl_ml_min": NumericAnswer(value=crcl, unit="mL/min", tolerance=2.0),
            "action": ChoiceAnswer(
                value=decision.action, options=list(DOSE_ACTIONS), partial=partial.get(decision.action, {})
            ),
        },
        weights={"crcl_ml_min": 1.0, "action": 2.0},
    )
    privileged = Privileged(
        rationale=f"CrCl = (140 - {patient.age_years}) x {patient.weight_kg} kg"
        f"{' x 0.85' if patient.sex == 'female' else ''} / (72 x {patient.serum_creatinine_mg_dl}) = {crcl} mL/min "
        f"(Cockcroft & Gault 1976). {k.drugs[name].label}: {decision.band} -> {decision.action} ({decision.dose}).",
        key_evidence=[
            f"age {patient.age_years} y",
            f"weight {patient.weight_kg} kg",
            f"sex {patient.sex}",
            f"serum creatinine {patient.serum_creatinine_mg_dl} mg/dL",
        ],
        reference_path=[
            *(
                [path_step("get_renal_dose_adjustment", patient_id=pid, drug=name)]
                if tier == "assisted"
                else _unassisted_path(pid, [name])
            ),
            path_step("submit_answer", crcl_ml_min=crcl, action=decision.action),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[
                _before_submit(
                    "get_renal_dose_adjustment", "Dose by the label's renal bands.", patient_id=pid, drug=name
                )
            ],
            max_tool_calls=8,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [name])
    )
    return prompt, answer, privileged, rubric


def _new_prescription(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid, name = case.patient.patient_id, case.drug
    current = [m.drug for m in case.patient.medications]
    check = check_prescription(case.patient, _drugs(case), k.drugs[name])
    prompt = (
        f"Patient {pid} has {k.conditions[case.condition].name.lower()}. The team proposes starting {name}. "
        "Screen it (allergies, interactions with the current medications, renal and hepatic dosing, pregnancy "
        f"and lactation) and decide: {DECISION_RULE} Submit submit_answer(decision=<safe|caution|unsafe>, "
        f"reasons=[...]) where reasons lists every check that raised a concern, from: {', '.join(REASONS)} "
        "([] if none). Do not prescribe a drug you judge unsafe."
    )
    answer = FieldsAnswer(
        fields={
            "decision": ChoiceAnswer(value=check.decision, options=["safe", "caution", "unsafe"]),
            "reasons": CodeSetAnswer(codes=check.reasons),
        },
        weights={"decision": 2.0, "reasons": 1.0},
    )
    evidence = [f"{p.drug_b if p.drug_a == name else p.drug_a}: {p.severity} interaction" for p in check.interactions]
    evidence += [
        f"allergy check {check.allergy}",
        f"renal {check.renal}",
        f"hepatic {check.hepatic}",
        f"pregnancy {check.pregnancy}",
        f"lactation {check.lactation}",
    ]
    privileged = Privileged(
        rationale=f"Decision {check.decision} by the prescribing rule; concerns: {', '.join(check.reasons) or 'none'}.",
        key_evidence=evidence,
        reference_path=(
            [path_step(tool, patient_id=pid, drug=name) for tool in SCREENING_TOOLS]
            if tier == "assisted"
            else _unassisted_path(pid, [name, *current])
        )
        + [path_step("submit_answer", decision=check.decision, reasons=check.reasons)],
    )
    rubric = (
        Rubric(required_actions=_screening_actions(pid, name), max_tool_calls=len(SCREENING_TOOLS) + 1 + SLACK)
        if tier == "assisted"
        else _unassisted_rubric(pid, [name, *current], before="prescribe")
    )
    return prompt, answer, privileged, rubric


def _safe_alternative(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid = case.patient.patient_id
    letter = LETTERS[case.options.index(case.drug)]
    listing = " ".join(f"{LETTERS[i]}) {name}" for i, name in enumerate(case.options))
    prompt = (
        f"Patient {pid} needs treatment for {k.conditions[case.condition].name.lower()} "
        f"(condition code '{case.condition}'). The planned drug, {case.planned}, is unsafe for this patient. "
        f"Which option is safe, with no concern at all under the prescribing rule ({DECISION_RULE})? "
        f"{listing}. Submit submit_answer(answer=<letter>)."
    )
    answer = ChoiceAnswer(value=letter, options=list(LETTERS))
    current = _drugs(case)
    names = [d.name for d in current]
    checks = {name: check_prescription(case.patient, current, k.drugs[name]) for name in case.options}
    privileged = Privileged(
        rationale=f"{case.drug} is the only option with no concern; the others are unsafe: "
        + "; ".join(f"{n} ({', '.join(c.reasons)})" for n, c in checks.items() if n != case.drug),
        key_evidence=[f"{n}: {c.decision}" for n, c in checks.items()],
        reference_path=[
            *(
                [
                    path_step("suggest_alternative", patient_id=pid, drug=case.planned, indication=case.condition),
                    path_step("check_allergy", patient_id=pid, drug=case.drug),
                ]
                if tier == "assisted"
                else _unassisted_path(pid, [*case.options, *names])
            ),
            path_step("submit_answer", answer=letter),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[
                _before_prescribing(
                    "check_allergy", "Confirm the allergy history for the chosen drug.", patient_id=pid, drug=case.drug
                )
            ],
            max_tool_calls=10,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [*case.options, *names], before="prescribe")
    )
    return prompt, answer, privileged, rubric


def _qt(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    pid = case.patient.patient_id
    names = [m.drug for m in case.patient.medications]
    result = tisdale_score(case.patient, _drugs(case))
    prompt = (
        f"Patient {pid} is in hospital. Calculate the Tisdale risk score for QT prolongation from the record "
        "and the current medications, and give its category (low <= 6, moderate 7-10, high >= 11). Submit "
        "submit_answer(score=<points>, category=<low|moderate|high>)."
    )
    answer = FieldsAnswer(
        fields={
            "score": NumericAnswer(value=result.score, unit="points", tolerance=0),
            "category": ChoiceAnswer(value=result.category, options=["low", "moderate", "high"]),
        }
    )
    privileged = Privileged(
        rationale=f"Tisdale score {result.score} ({result.category}) = "
        + " + ".join(f"{name} {value}" for name, value in result.points.items())
        + " (Tisdale et al., Circ Cardiovasc Qual Outcomes 2013).",
        key_evidence=[*result.points, *result.qt_drugs],
        reference_path=[
            *(
                [path_step("qt_risk_assessment", patient_id=pid)]
                if tier == "assisted"
                else _unassisted_path(pid, names)
            ),
            path_step("submit_answer", score=result.score, category=result.category),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[_before_submit("qt_risk_assessment", "Score the QT risk.", patient_id=pid)],
            max_tool_calls=8,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, names)
    )
    return prompt, answer, privileged, rubric


def _anticholinergic(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    pid = case.patient.patient_id
    drugs = _drugs(case)
    total = acb_total(drugs)
    strong = sorted(d.name for d in drugs if d.acb == 3)
    prompt = (
        f"Calculate the total Anticholinergic Cognitive Burden (ACB) score of patient {pid}'s current "
        "medications and list the strongly anticholinergic drugs (ACB 3). Submit submit_answer(score=<total>, "
        "drugs=[...]) ([] if none)."
    )
    answer = FieldsAnswer(
        fields={"score": NumericAnswer(value=total, unit="points", tolerance=0), "drugs": CodeSetAnswer(codes=strong)}
    )
    privileged = Privileged(
        rationale=f"ACB total {total} = "
        + " + ".join(f"{d.name} {d.acb}" for d in drugs if d.acb)
        + " (Boustani 2008); a total >= 3 is clinically relevant; Beers 2023 advises avoiding ACB-3 combinations.",
        key_evidence=[f"{d.name}: ACB {d.acb}" for d in drugs],
        reference_path=[
            *(
                [path_step("anticholinergic_burden", patient_id=pid)]
                if tier == "assisted"
                else _unassisted_path(pid, [d.name for d in drugs])
            ),
            path_step("submit_answer", score=total, drugs=strong),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[
                _before_submit("anticholinergic_burden", "Score the anticholinergic burden.", patient_id=pid)
            ],
            max_tool_calls=8,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [d.name for d in drugs])
    )
    return prompt, answer, privileged, rubric


def _pregnancy(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid, name, patient = case.patient.patient_id, case.drug, case.patient
    drug = k.drugs[name]
    if patient.pregnant:
        state, options, value, note = (
            f"pregnant ({patient.gestational_age_weeks} weeks)",
            PREGNANCY_OPTIONS,
            drug.pregnancy,
            drug.pregnancy_note,
        )
    else:
        state, options, value, note = "breastfeeding", LACTATION_OPTIONS, drug.lactation, drug.lactation_note
    prompt = (
        f"Patient {pid} is {state}. Classify {name} for her current state as one of: {', '.join(options)}. "
        "Submit submit_answer(answer=<category>)."
    )
    answer = ChoiceAnswer(value=value, options=list(options))
    privileged = Privileged(
        rationale=f"{name}: {value}. {note} ({drug.label}; LactMed; FDA PLLR)",
        key_evidence=[state, note],
        reference_path=[
            *(
                [path_step("check_pregnancy_safety", patient_id=pid, drug=name)]
                if tier == "assisted"
                else _unassisted_path(pid, [name], record=False)
            ),
            path_step("submit_answer", answer=value),
        ],
    )
    rubric = (
        Rubric(
            required_actions=[
                _before_submit(
                    "check_pregnancy_safety", "Check the pregnancy/lactation data.", patient_id=pid, drug=name
                )
            ],
            max_tool_calls=6,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [name], record=False)
    )
    return prompt, answer, privileged, rubric


SCREENING_TOOLS = (
    "check_allergy",
    "check_drug_against_medications",
    "get_renal_dose_adjustment",
    "get_hepatic_dose_adjustment",
    "check_pregnancy_safety",
)
"""The assisted screening of one candidate drug, in the order the reference clinician calls them (its
``_decide`` reads the five results in this order)."""


def _screening_actions(pid: str, name: str) -> list[ActionSpec]:
    """Allergy and interaction checks of a candidate, both before the first ``prescribe``."""
    return [
        _before_prescribing("check_allergy", f"Check allergies before prescribing {name}.", patient_id=pid, drug=name),
        _before_prescribing(
            "check_drug_against_medications",
            f"Check {name} against the current list before prescribing.",
            patient_id=pid,
            drug=name,
        ),
    ]


def _prescribing_round(case: Case, tier: Tier) -> tuple[str, Any, Privileged, Rubric]:
    k = knowledge()
    pid, proposals = case.patient.patient_id, list(case.options)
    current = _drugs(case)
    names = [d.name for d in current]
    checks = {n: check_prescription(case.patient, current, k.drugs[n]) for n in proposals}
    allowed = sorted(n for n, c in checks.items() if c.decision != "unsafe")
    listing = "; ".join(
        f"{n} for {k.conditions[code].name.lower()} ('{code}')"
        for n, code in zip(proposals, case.indications, strict=True)
    )
    prompt = (
        f"Patient {pid} is seen today. The team proposes starting: {listing}. Screen each proposal (allergies, "
        "interactions with the current medications, renal and hepatic dosing, pregnancy and lactation) and prescribe "
        "with prescribe(...), at its usual dose, every proposed drug that is not unsafe under the rule "
        f"({DECISION_RULE}); "
        "never prescribe an unsafe one. Then call submit_answer() with no arguments: the grade is the set of drugs "
        "this episode started."
    )
    answer = FieldsAnswer(fields={"prescribed": CodeSetAnswer(codes=allowed)})
    privileged = Privileged(
        rationale="Prescribe "
        + (", ".join(allowed) or "nothing")
        + "; withhold "
        + "; ".join(f"{n} ({', '.join(c.reasons)})" for n, c in checks.items() if c.decision == "unsafe")
        + " (prescribing rule).",
        key_evidence=[f"{n}: {c.decision}" for n, c in checks.items()],
        reference_path=(
            [path_step(tool, patient_id=pid, drug=n) for n in proposals for tool in SCREENING_TOOLS]
            if tier == "assisted"
            else _unassisted_path(pid, [*proposals, *names])
        )
        + [
            path_step("prescribe", patient_id=pid, drug=n, dose=renal_decision(k.drugs[n], case.patient).dose)
            for n in allowed
        ]
        + [path_step("submit_answer")],
    )
    rubric = (
        Rubric(
            required_actions=[a for n in proposals for a in _screening_actions(pid, n)],
            max_tool_calls=len(proposals) * len(SCREENING_TOOLS) + len(allowed) + 1 + SLACK,
        )
        if tier == "assisted"
        else _unassisted_rubric(pid, [*proposals, *names], before="prescribe", writes=len(allowed))
    )
    return prompt, answer, privileged, rubric


_BUILDERS = {
    "pair_severity": _pair_severity,
    "profile_major_pairs": _profile,
    "mechanism_pairs": _mechanism,
    "renal_dosing": _renal,
    "new_prescription": _new_prescription,
    "safe_alternative": _safe_alternative,
    "qt_risk": _qt,
    "anticholinergic_burden": _anticholinergic,
    "pregnancy_lactation": _pregnancy,
    "prescribing_round": _prescribing_round,
}


def tier_of(index: int) -> Tier:
    """Tiers alternate in blocks of ``len(KINDS)`` indices, so each tier holds every kind equally often."""
    return TIERS[(index // len(KINDS)) % len(TIERS)]


def _parameters(case: Case) -> dict[str, str]:
    """The question's own parameters for the kinds whose answer does not depend on the patient."""
    if case.kind == "pair_severity":
        a, b = sorted((case.partner, case.drug))
        return {"drug_a": a, "drug_b": b}
    if case.kind == "pregnancy_lactation":
        return {"drug": case.drug}
    return {}


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    tier = tier_of(index)
    prompt, answer, privileged, rubric = _BUILDERS[case.kind](case, tier)
    return Task(
        id=task_id(DOMAIN, case.kind, split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=case.patient.patient_id,
        tier=tier,
        composite=case.kind in COMPOSITE_KINDS,
        parameters=_parameters(case),
        answer=answer,
        privileged=privileged,
        rubric=rubric,
        source=Source(generator=f"{DOMAIN}.{case.kind}", version=VERSION),
    )


def _canonical_drug(text: str) -> str:
    key = normalize_name(str(text))
    return knowledge().lookup.get(key, key)


def _canonical_pair(text: str) -> str:
    parts = [p for p in str(text).replace(" and ", "+").split("+") if p.strip()]
    return pair_code(*(_canonical_drug(p) for p in parts)) if len(parts) == 2 else str(text)


def _as_items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [p for p in (s.strip() for s in value.replace(";", ",").split(",")) if p]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def grade(task: Task, submitted: dict[str, Any] | None) -> Grade:
    """``grade_answer`` after writing submitted drug names and pairs canonically (brands and synonyms resolved,
    the two drugs of a pair in alphabetical order), so 'Zocor+clarithromycin' counts as 'clarithromycin+simvastatin'."""
    if submitted is None:
        return grade_answer(task.answer, None)
    clean = dict(submitted)
    if "pairs" in clean:
        clean["pairs"] = [_canonical_pair(p) for p in _as_items(clean["pairs"])]
    if "drugs" in clean:
        clean["drugs"] = [_canonical_drug(d) for d in _as_items(clean["drugs"])]
    return grade_answer(task.answer, clean).model_copy(update={"submitted": submitted})
