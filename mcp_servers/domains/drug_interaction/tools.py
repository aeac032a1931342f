"""The drug_interaction tools: plain typed functions whose signatures are the MCP schemas.

Reads rebuild the patient from its id (``_get_patient``) and resolve drug names, brands and synonyms through one
lookup (``_get_drug``), so every tool fails the same way on a bad id or an unknown drug. Writes (``prescribe``,
``stop_medication``, ``record_recommendation``, ``submit_answer``) go to the episode's own state, and every read of
the medication list includes them.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.calculators import CalcResult
from healthgym.mcp_servers.clinic import EpisodeState, episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.drug_interaction.cases import drug_conditions, patient_by_id
from healthgym.mcp_servers.domains.drug_interaction.knowledge import (
    SEVERITY_RANK,
    DoseAction,
    Drug,
    knowledge,
    normalize_name,
)
from healthgym.mcp_servers.domains.drug_interaction.patients import ID_FORMAT, Allergy, Patient
from healthgym.mcp_servers.domains.drug_interaction.rules import (
    DECISION_RULE,
    HUNTER_CRITERIA,
    MECHANISMS,
    REASONS,
    SCALES,
    AllergyLevel,
    AllergyMatch,
    Decision,
    PairAssessment,
    Reason,
    RenalBandRow,
    SeverityOrNone,
    acb_total,
    allergy_level,
    allergy_matches,
    assess_pair,
    check_prescription,
    child_pugh_class,
    crcl_value,
    creatinine_clearance,
    hepatic_action,
    mechanism_findings,
    pair_code,
    profile_pairs,
    renal_band_table,
    renal_decision,
    tisdale_score,
    worst,
)

PatientId = Annotated[str, Field(description="Patient id as given in the task, e.g. 'DI-5W1Q3ZK8M0RTA'.")]
DrugName = Annotated[
    str, Field(description="Generic drug name (brands and common synonyms accepted), e.g. 'simvastatin'.")
]
MechanismArg = Literal[
    "all", "cyp", "transporter", "qt", "serotonin", "hyperkalaemia", "bleeding", "cns_depression", "anticholinergic",
    "hypotension", "hypertensive_crisis", "duplication",
]  # fmt: skip
CHANGES = "medication_changes"
"""Episode record kind: {'patient_id', 'action': 'start'|'stop', 'drug', 'dose', 'indication', 'reason'}."""


class _Out(BaseModel):
    """Base of the tool results (structured output)."""


# --- lookups ---------------------------------------------------------------------------------------------------------


def _get_patient(patient_id: str) -> Patient:
    patient = patient_by_id(patient_id) if isinstance(patient_id, str) else None
    if patient is None:
        raise ToolError(f"patient_id: unknown patient {str(patient_id)[:60]!r}; ids look like {ID_FORMAT}")
    return patient


def _get_drug(name: str, param: str = "drug") -> Drug:
    k = knowledge()
    key = normalize_name(str(name))[:60]
    if key in k.lookup:
        return k.drugs[k.lookup[key]]
    close = sorted({k.lookup[c] for c in difflib.get_close_matches(key, list(k.lookup), n=6, cutoff=0.6)})
    hint = f" Did you mean: {', '.join(close)}?" if close else " Use search_drugs to browse the table."
    raise ToolError(f"{param}: unknown drug {str(name)[:60]!r}.{hint}")


class MedicationView(_Out):
    drug: str
    drug_class: str
    dose: str = Field(description="Dose and frequency.")
    indication: str = Field(description="Condition code the drug is given for.")
    status: Literal["on record", "started this episode"]


class StoppedView(_Out):
    drug: str
    reason: str


def _medications(patient: Patient, state: EpisodeState) -> tuple[list[MedicationView], list[StoppedView]]:
    """The record's list with this episode's starts and stops applied in order."""
    k = knowledge()
    meds = {
        m.drug: MedicationView(
            drug=m.drug, drug_class=k.drugs[m.drug].drug_class, dose=m.dose, indication=m.indication, status="on record"
        )
        for m in patient.medications
    }
    stopped: list[StoppedView] = []
    for change in state.get(CHANGES):
        if change["patient_id"] != patient.patient_id:
            continue
        drug = change["drug"]
        if change["action"] == "start":
            meds[drug] = MedicationView(
                drug=drug,
                drug_class=k.drugs[drug].drug_class,
                dose=change["dose"],
                indication=change["indication"],
                status="started this episode",
            )
        else:
            meds.pop(drug, None)
            stopped.append(StoppedView(drug=drug, reason=change["reason"]))
    return list(meds.values()), stopped


def _current_drugs(patient: Patient, ctx: Context) -> list[Drug]:
    k = knowledge()
    return [k.drugs[m.drug] for m in _medications(patient, episode_state(ctx))[0]]


# --- the record ------------------------------------------------------------------------------------------------------


class AllergyView(_Out):
    allergen: str
    description: str
    reaction: str


class ConditionView(_Out):
    code: str
    name: str


class PatientView(_Out):
    patient_id: str
    age_years: int
    sex: str
    weight_kg: float
    serum_creatinine_mg_dl: float
    potassium_mmol_l: float
    qtc_ms: int = Field(description="Most recent corrected QT interval (Bazett), ms.")
    hepatic_function: str = Field(description="normal, or child_pugh_a / _b / _c for cirrhosis.")
    pregnant: bool
    gestational_age_weeks: int
    lactating: bool
    setting: str
    allergies: list[AllergyView]
    conditions: list[ConditionView]
    medications: list[MedicationView]


def get_patient(ctx: Context, patient_id: PatientId) -> PatientView:
    """The patient record: demographics, weight, serum creatinine (mg/dL), potassium, QTc, hepatic function
    (Child-Pugh), pregnancy and lactation, allergies, conditions, and the current medications including any started
    or stopped in this episode."""
    patient = _get_patient(patient_id)
    k = knowledge()
    return PatientView(
        **patient.model_dump(exclude={"allergies", "conditions", "medications"}),
        allergies=[
            AllergyView(allergen=a.allergen, description=k.allergy_groups[a.allergen], reaction=a.reaction)
            for a in patient.allergies
        ],
        conditions=[ConditionView(code=c, name=k.conditions[c].name) for c in patient.conditions],
        medications=_medications(patient, episode_state(ctx))[0],
    )


class MedicationList(_Out):
    patient_id: str
    medications: list[MedicationView]
    stopped: list[StoppedView] = Field(description="Drugs stopped in this episode.")


def list_medications(ctx: Context, patient_id: PatientId) -> MedicationList:
    """The patient's current medications (drug, class, dose, indication), with this episode's starts and stops
    applied, and the drugs stopped in this episode."""
    meds, stopped = _medications(_get_patient(patient_id), episode_state(ctx))
    return MedicationList(patient_id=patient_id, medications=meds, stopped=stopped)


# --- the drug table --------------------------------------------------------------------------------------------------


class LabelInteraction(_Out):
    partner: str
    severity: SeverityOrNone
    mechanism: str
    effect: str
    management: str
    source: str


class AllergyRow(_Out):
    allergy: str = Field(description="A recordable allergy group.")
    level: AllergyLevel = Field(description="What a recorded allergy of that group means for this drug.")
    note: str


class DrugInfo(_Out):
    name: str
    brands_and_synonyms: list[str]
    drug_class: str
    mechanism: str
    indications: list[str] = Field(description="Labelled indications.")
    condition_codes: list[str] = Field(description="Condition codes of this clinic the drug treats.")
    elimination: str
    typical_dose: str
    cyp_substrate: dict[str, str] = Field(description="Enzyme -> sensitivity (sensitive, moderate, minor).")
    cyp_inhibits: dict[str, str] = Field(description="Enzyme -> inhibitor strength (strong, moderate, weak).")
    cyp_induces: dict[str, str] = Field(description="Enzyme -> inducer strength.")
    prodrug_activated_by: list[str]
    transporter_substrate: list[str]
    transporter_inhibits: list[str]
    transporter_induces: list[str]
    narrow_therapeutic_index: bool
    renal_bands: list[RenalBandRow] = Field(description="Label dose bands by Cockcroft-Gault CrCl, lowest first.")
    renal_note: str
    hepatic: dict[str, str] = Field(description="Child-Pugh class -> action, and the label note.")
    pregnancy: str
    pregnancy_note: str
    lactation: str
    lactation_note: str
    qt_risk: str = Field(description="CredibleMeds category: known, possible, conditional, or not listed.")
    qt_combination: str = Field(
        description="What the label says of combining it with QT-prolonging drugs: contraindicated, avoid, or none."
    )
    serotonergic: str
    acb_score: int
    bleeding_role: str
    potassium_effect: str
    cns_depressant: str
    allergy_groups: list[str]
    allergy_rules: list[AllergyRow] = Field(
        description="Each recordable allergy that bears on this drug: same group or label exclusion "
        "(contraindicated), cross-reactivity (caution), or explicitly none."
    )
    beers_2023: str
    adverse_effects: str
    monitoring: str
    label: str
    sources: list[str]
    interactions: list[LabelInteraction] = Field(
        description="The curated interactions listed for this drug (label and interaction references); a pair not "
        "listed is judged by the mechanism rules (get_rule_reference)."
    )


def get_drug_info(drug: DrugName) -> DrugInfo:
    """The drug's monograph: class, mechanism, indications, CYP and transporter roles (FDA drug-interaction table),
    label renal bands and Child-Pugh actions, pregnancy and lactation (label, LactMed), CredibleMeds QT category and
    the label's QT co-medication restriction, ACB score (Boustani 2008), serotonergic, bleeding, potassium and
    CNS-depressant roles, allergy groups and cross-reactivity (AAAAI/ACAAI 2022), Beers 2023 statement, adverse
    effects, monitoring, the curated interactions listed for it, and the full source citations. Reference data: it
    says nothing about a particular patient."""
    d = _get_drug(drug)
    k = knowledge()
    criteria = d.renal_criteria
    return DrugInfo(
        name=d.name,
        brands_and_synonyms=list(d.brands),
        drug_class=d.drug_class,
        mechanism=d.mechanism,
        indications=[i.replace("_", " ") for i in d.indications],
        condition_codes=list(drug_conditions().get(d.name, ())),
        elimination=d.elimination,
        typical_dose=d.typical_dose,
        cyp_substrate=dict(d.substrate),
        cyp_inhibits=dict(d.inhibits),
        cyp_induces=dict(d.induces),
        prodrug_activated_by=list(d.prodrug),
        transporter_substrate=list(d.transporter_substrate),
        transporter_inhibits=list(d.transporter_inhibits),
        transporter_induces=list(d.transporter_induces),
        narrow_therapeutic_index=d.nti,
        renal_bands=renal_band_table(d),
        renal_note=(criteria.note if criteria else d.renal_note) or ("" if d.renal else "No renal adjustment listed."),
        hepatic={"A": d.hepatic.A, "B": d.hepatic.B, "C": d.hepatic.C, "note": d.hepatic.note},
        pregnancy=d.pregnancy,
        pregnancy_note=d.pregnancy_note,
        lactation=d.lactation,
        lactation_note=d.lactation_note,
        qt_risk=d.qt or "not listed",
        qt_combination=d.qt_combination or "none",
        serotonergic=d.serotonergic or "none",
        acb_score=d.acb,
        bleeding_role=d.bleeding or "none",
        potassium_effect=d.potassium or "none",
        cns_depressant=d.cns or "none",
        allergy_groups=list(d.allergy_groups),
        allergy_rules=_allergy_rows(d),
        beers_2023=d.beers or "not listed",
        adverse_effects=d.adverse,
        monitoring=d.monitoring,
        label=d.label,
        sources=[k.cite(s) for s in d.sources],
        interactions=[
            LabelInteraction(
                partner=it.drugs[1] if it.drugs[0] == d.name else it.drugs[0],
                severity=it.severity,
                mechanism=it.mechanism,
                effect=it.effect,
                management=it.management,
                source=it.source,
            )
            for it in sorted(k.interactions.values(), key=lambda it: sorted(it.drugs))
            if d.name in it.drugs
        ],
    )


def _allergy_rows(drug: Drug) -> list[AllergyRow]:
    """The allergy rules of the drug, one per recordable allergy group that a rule mentions."""
    out = []
    for group in knowledge().recordable_allergies:
        matches = allergy_matches(drug, [Allergy(allergen=group, reaction="any")])
        if matches:
            out.append(AllergyRow(allergy=group, level=allergy_level(matches), note=" ".join(m.note for m in matches)))
    return out


RuleTopic = Literal[
    "cyp", "transporter", "qt", "serotonin", "hyperkalaemia", "bleeding", "cns_depression", "anticholinergic",
    "hypotension", "hypertensive_crisis", "duplication", "all_interactions", "cockcroft_gault", "tisdale", "acb",
    "hunter", "prescribing_decision", "allergy",
]  # fmt: skip


class RuleEntry(_Out):
    id: str
    title: str
    statement: str
    grid: str = Field(description="The severity or level the rule assigns; '' for scales.")
    source: str


class RuleReference(_Out):
    topic: str
    rules: list[RuleEntry]


def get_rule_reference(
    topic: Annotated[
        RuleTopic,
        Field(
            description="A mechanism family (cyp, transporter, qt, serotonin, hyperkalaemia, bleeding, "
            "cns_depression, anticholinergic, hypotension, hypertensive_crisis, duplication), all_interactions, a "
            "scale (cockcroft_gault, tisdale, acb, hunter), prescribing_decision, or allergy (cross-reactivity)."
        ),
    ],
) -> RuleReference:
    """The text of the rules the domain applies: each mechanism rule's statement and severity grid (FDA
    drug-interaction table, CredibleMeds, Boyer & Shannon 2005, labels), the Cockcroft-Gault, Tisdale, ACB and
    Hunter scales, the prescribing decision rule, and the allergy cross-reactivity table (AAAAI/ACAAI 2022; Strom
    2003). Reference text only: apply it to the record yourself."""
    k = knowledge()
    if topic in SCALES:
        title, statement, source = SCALES[topic]
        return RuleReference(
            topic=topic, rules=[RuleEntry(id=topic, title=title, statement=statement, grid="", source=k.cite(source))]
        )
    if topic == "allergy":
        entries = [
            RuleEntry(
                id=f"{c.allergy}->{c.group}",
                title=f"{k.allergy_groups[c.allergy]} allergy and the {k.allergy_groups[c.group]} group",
                statement=c.note,
                grid=c.level,
                source=k.cite(c.source),
            )
            for c in k.cross_reactions
        ] + [
            RuleEntry(
                id=f"{r.allergy}->{r.drug}",
                title=f"{k.allergy_groups[r.allergy]} allergy and {r.drug}",
                statement=r.note,
                grid=r.level,
                source=k.cite(r.source),
            )
            for r in k.drug_allergy_rules
        ]
        same = RuleEntry(
            id="same_group",
            title="Allergy to the drug's own group",
            statement="A recorded allergy to a group the drug belongs to (get_drug_info allergy_groups) "
            "contraindicates it, unless a drug-specific rule says otherwise.",
            grid="contraindicated",
            source=k.cite("aaaai_2022"),
        )
        return RuleReference(topic=topic, rules=[same, *entries])
    return RuleReference(
        topic=topic,
        rules=[
            RuleEntry(id=r.id, title=r.title, statement=r.statement, grid=r.grid, source=k.cite(r.source))
            for r in k.rules.values()
            if topic == "all_interactions" or r.mechanism == topic
        ],
    )


class DrugSummary(_Out):
    name: str
    drug_class: str
    indications: list[str]


class DrugSearch(_Out):
    query: str
    field: str
    matches: list[DrugSummary]
    total: int = Field(description="Matches before the limit.")


def search_drugs(
    query: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            description="Text to look for, e.g. 'statin', 'CYP3A4', 'hypertension', 'amlo'.",
        ),
    ],
    field: Annotated[
        Literal["any", "name", "class", "indication", "mechanism"],
        Field(description="Where to look: name (and brands), class, indication code, mechanism text, or any of them."),
    ] = "any",
    limit: Annotated[int, Field(ge=1, le=100, description="Maximum matches returned.")] = 20,
) -> DrugSearch:
    """Drugs whose name/brand, class, indication or mechanism contains the query (case-insensitive), sorted by name."""
    k = knowledge()
    q = query.lower().strip()
    conditions = drug_conditions()
    hits = []
    for d in k.drugs.values():
        texts = {
            "name": " ".join((d.name, *d.brands)).lower(),
            "class": d.drug_class.lower(),
            "indication": " ".join(
                (
                    *conditions.get(d.name, ()),
                    *d.indications,
                    *(k.conditions[c].name for c in conditions.get(d.name, ())),
                )
            ).lower(),
            "mechanism": " ".join((d.mechanism, d.elimination, *d.substrate, *d.inhibits, *d.induces)).lower(),
        }
        if any(q in text for name, text in texts.items() if field in ("any", name)):
            hits.append(DrugSummary(name=d.name, drug_class=d.drug_class, indications=list(conditions.get(d.name, ()))))
    hits.sort(key=lambda h: h.name)
    return DrugSearch(query=query, field=field, matches=hits[:limit], total=len(hits))


# --- interactions ----------------------------------------------------------------------------------------------------


def check_interaction(drug_a: DrugName, drug_b: DrugName) -> PairAssessment:
    """The interaction between two drugs: the curated row (severity, mechanism, effect, management, source) when the
    pair is curated, and every mechanism rule that fires (CYP inhibition/induction by the FDA table, transporters,
    CredibleMeds QT, serotonin toxicity, hyperkalaemia, bleeding, CNS depression, anticholinergic burden, nitrate +
    PDE5, duplication). ``severity`` is the curated severity when curated, else the worst finding; scale:
    contraindicated > major > moderate > minor > none."""
    a, b = _get_drug(drug_a, "drug_a"), _get_drug(drug_b, "drug_b")
    if a.name == b.name:
        raise ToolError(f"drug_b: {drug_b!r} is the same drug as drug_a ({a.name}); give two different drugs")
    return assess_pair(a, b)


class PairSummary(_Out):
    pair: str = Field(description="'drug_a+drug_b', alphabetical.")
    severity: SeverityOrNone
    basis: Literal["curated", "mechanism"]
    mechanism: str
    management: str
    rules: list[str] = Field(description="Mechanism rules that fire.")


def _summary(p: PairAssessment) -> PairSummary:
    top = max(p.findings, key=lambda f: SEVERITY_RANK[f.severity], default=None)
    if p.curated:
        mechanism, management = p.curated.mechanism, p.curated.management
    else:
        mechanism = top.detail if top else ""
        management = "Not in the curated table; apply the rule's grid and monitor." if top else ""
    return PairSummary(
        pair=pair_code(p.drug_a, p.drug_b),
        severity=p.severity,
        basis="curated" if p.curated else "mechanism",
        mechanism=mechanism,
        management=management,
        rules=sorted({f.rule for f in p.findings}),
    )


class ProfileInteractions(_Out):
    patient_id: str
    medications: list[str]
    min_severity: str
    pairs: list[PairSummary] = Field(description="Interacting pairs at or above min_severity, worst first.")
    counts: dict[str, int] = Field(description="Pairs per severity, over all severities.")


SeverityArg = Annotated[
    Literal["minor", "moderate", "major", "contraindicated"],
    Field(description="Only report pairs at least this severe."),
]


def check_all_interactions(
    ctx: Context, patient_id: PatientId, min_severity: SeverityArg = "minor"
) -> ProfileInteractions:
    """Every interacting pair in the patient's current medication list (this episode's changes included), with
    severity (curated when curated, else the worst mechanism rule), mechanism and management, worst first."""
    patient = _get_patient(patient_id)
    drugs = _current_drugs(patient, ctx)
    pairs = profile_pairs(drugs)
    counts = {s: sum(p.severity == s for p in pairs) for s in ("contraindicated", "major", "moderate", "minor")}
    return ProfileInteractions(
        patient_id=patient_id,
        medications=[d.name for d in drugs],
        min_severity=min_severity,
        pairs=[_summary(p) for p in pairs if SEVERITY_RANK[p.severity] >= SEVERITY_RANK[min_severity]],
        counts=counts,
    )


class PairFinding(_Out):
    pair: str
    rule: str
    mechanism: str
    severity: SeverityOrNone
    detail: str
    source: str


def _pair_findings(drugs: list[Drug], mechanism: str = "all") -> list[PairFinding]:
    out = []
    for i, a in enumerate(drugs):
        for b in drugs[i + 1 :]:
            out += [
                PairFinding(pair=pair_code(a.name, b.name), **f.model_dump())
                for f in mechanism_findings(a, b)
                if mechanism in ("all", f.mechanism)
            ]
    return sorted(out, key=lambda f: (-SEVERITY_RANK[f.severity], f.pair, f.rule))


class MechanismReport(_Out):
    patient_id: str
    mechanism: str
    findings: list[PairFinding]
    pairs: list[str] = Field(description="Distinct flagged pairs, alphabetical.")


def detect_mechanism_interactions(
    ctx: Context,
    patient_id: PatientId,
    mechanism: Annotated[
        MechanismArg, Field(description="Mechanism family to apply: " + ", ".join(MECHANISMS) + ", or all.")
    ] = "all",
) -> MechanismReport:
    """Mechanism-based detection over the patient's current medications, independent of the curated table: each
    finding names its rule, the drug properties that trigger it, the severity from the rule's grid and the source
    (FDA drug-interaction table for CYP/transporters, CredibleMeds and AHA 2010 for QT, Boyer & Shannon 2005 and the
    Hunter criteria for serotonin, Beers 2023 for hyperkalaemia and anticholinergics, FDA 2016/2019 for CNS
    depression)."""
    patient = _get_patient(patient_id)
    findings = _pair_findings(_current_drugs(patient, ctx), mechanism)
    return MechanismReport(
        patient_id=patient_id, mechanism=mechanism, findings=findings, pairs=sorted({f.pair for f in findings})
    )


class NewDrugInteractions(_Out):
    patient_id: str
    drug: str
    current_medications: list[str]
    interactions: list[PairSummary]
    worst_severity: SeverityOrNone


def check_drug_against_medications(ctx: Context, patient_id: PatientId, drug: DrugName) -> NewDrugInteractions:
    """Interactions of a candidate drug with each of the patient's current medications (curated severity when
    curated, else the worst mechanism rule), worst first, and the worst severity."""
    patient = _get_patient(patient_id)
    candidate = _get_drug(drug)
    current = _current_drugs(patient, ctx)
    found = [
        p for p in (assess_pair(candidate, d) for d in current if d.name != candidate.name) if p.severity != "none"
    ]
    found.sort(key=lambda p: -SEVERITY_RANK[p.severity])
    return NewDrugInteractions(
        patient_id=patient_id,
        drug=candidate.name,
        current_medications=[d.name for d in current],
        interactions=[_summary(p) for p in found],
        worst_severity=worst(p.severity for p in found),
    )


# --- dosing, allergy, pregnancy --------------------------------------------------------------------------------------


def calculate_creatinine_clearance(patient_id: PatientId) -> CalcResult:
    """Cockcroft-Gault creatinine clearance from the record, mL/min: (140 - age) x actual weight / (72 x serum
    creatinine), x 0.85 if female, with the arithmetic (Cockcroft & Gault, Nephron 1976). Drug labels dose by this
    value."""
    return creatinine_clearance(_get_patient(patient_id))


class RenalAdjustment(_Out):
    patient_id: str
    drug: str
    crcl_ml_min: float = Field(description="Cockcroft-Gault CrCl (actual body weight), one decimal.")
    action: DoseAction
    band: str = Field(description="The label rule that applies.")
    dose: str
    label_bands: list[RenalBandRow]
    note: str
    source: str


def get_renal_dose_adjustment(patient_id: PatientId, drug: DrugName) -> RenalAdjustment:
    """The label's renal dose action for this patient (no_change, reduce_dose, extend_interval or avoid): the first
    label band, lowest first, whose CrCl bound the patient's Cockcroft-Gault clearance falls under (apixaban: its
    count of age >= 80 y, weight <= 60 kg, creatinine >= 1.5 mg/dL), with the dose and every band of the label."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    decision = renal_decision(d, patient)
    note = d.renal_criteria.note if d.renal_criteria else d.renal_note
    return RenalAdjustment(
        patient_id=patient_id,
        drug=d.name,
        crcl_ml_min=crcl_value(patient),
        action=decision.action,
        band=decision.band,
        dose=decision.dose,
        label_bands=renal_band_table(d),
        note=note,
        source=f"{d.label}; {knowledge().cite('cockcroft_gault')}",
    )


class HepaticAdjustment(_Out):
    patient_id: str
    drug: str
    hepatic_function: str
    child_pugh_class: str = Field(description="A, B, C, or 'none' when liver function is normal.")
    action: DoseAction
    note: str
    source: str


def get_hepatic_dose_adjustment(patient_id: PatientId, drug: DrugName) -> HepaticAdjustment:
    """The label's action for the patient's Child-Pugh class (no_change, reduce_dose, extend_interval or avoid) and
    the label's hepatic note (FDA hepatic-impairment guidance, 2003)."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    return HepaticAdjustment(
        patient_id=patient_id,
        drug=d.name,
        hepatic_function=patient.hepatic_function,
        child_pugh_class=child_pugh_class(patient) or "none",
        action=hepatic_action(d, patient),
        note=d.hepatic.note or "No hepatic adjustment listed.",
        source=f"{d.label}; {knowledge().cite('child_pugh')}",
    )


class AllergyCheck(_Out):
    patient_id: str
    drug: str
    level: AllergyLevel = Field(
        description="contraindicated (same group or label exclusion), caution (cross-reactivity), or none."
    )
    matches: list[AllergyMatch]
    recorded_allergies: list[str]
    drug_allergy_groups: list[str]


def check_allergy(patient_id: PatientId, drug: DrugName) -> AllergyCheck:
    """Whether the patient's recorded allergies bear on a drug: same allergy group or a label exclusion ->
    contraindicated; known cross-reactivity (penicillin-cephalosporin, NSAID-COX-2, ACE inhibitor-ARB) -> caution;
    sulfonamide antibiotic vs non-antibiotic sulfonamides -> none (AAAAI/ACAAI 2022 practice parameter; Strom 2003)."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    matches = allergy_matches(d, patient.allergies)
    return AllergyCheck(
        patient_id=patient_id,
        drug=d.name,
        level=allergy_level(matches),
        matches=matches,
        recorded_allergies=[f"{a.allergen} ({a.reaction})" for a in patient.allergies],
        drug_allergy_groups=list(d.allergy_groups),
    )


class PregnancySafety(_Out):
    patient_id: str
    drug: str
    pregnant: bool
    gestational_age_weeks: int
    lactating: bool
    applies_to: Literal["pregnancy", "lactation", "neither"]
    category: str = Field(description="The category for the patient's current state, or 'not_applicable'.")
    pregnancy_category: str
    pregnancy_note: str
    lactation_category: str
    lactation_note: str
    source: str


def check_pregnancy_safety(patient_id: PatientId, drug: DrugName) -> PregnancySafety:
    """The drug's pregnancy category (compatible, caution, avoid, contraindicated; from the label under the FDA
    Pregnancy and Lactation Labeling Rule and ACOG) and lactation category (compatible, caution, avoid; LactMed),
    and which applies to the patient now."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    applies = "pregnancy" if patient.pregnant else "lactation" if patient.lactating else "neither"
    category = {"pregnancy": d.pregnancy, "lactation": d.lactation}.get(applies, "not_applicable")
    k = knowledge()
    return PregnancySafety(
        patient_id=patient_id,
        drug=d.name,
        pregnant=patient.pregnant,
        gestational_age_weeks=patient.gestational_age_weeks,
        lactating=patient.lactating,
        applies_to=applies,
        category=category,
        pregnancy_category=d.pregnancy,
        pregnancy_note=d.pregnancy_note,
        lactation_category=d.lactation,
        lactation_note=d.lactation_note,
        source=f"{d.label}; {k.cite('fda_pllr')} {k.cite('lactmed')}",
    )


# --- burden scores ---------------------------------------------------------------------------------------------------


class QtRisk(_Out):
    patient_id: str
    score: int
    category: Literal["low", "moderate", "high"]
    points: dict[str, int] = Field(description="Points per criterion that applies.")
    qt_drugs: list[str] = Field(description="Current drugs on the CredibleMeds Known or Possible Risk lists.")
    qt_pairs: list[PairFinding]
    potassium_mmol_l: float
    qtc_ms: int
    source: str


def qt_risk_assessment(ctx: Context, patient_id: PatientId) -> QtRisk:
    """Tisdale QT-prolongation risk score for a hospitalised patient: age >= 68 (1), female (1), loop diuretic (1),
    K <= 3.5 mmol/L (2), QTc >= 450 ms (2), acute MI (2), one QTc-prolonging drug (3), >= 2 such drugs (3 more),
    sepsis (3), heart failure (3); low <= 6, moderate 7-10, high >= 11 (Tisdale, Circ Cardiovasc Qual Outcomes 2013).
    QTc-prolonging drugs are those on the CredibleMeds Known or Possible Risk lists; also lists the QT pairs."""
    patient = _get_patient(patient_id)
    drugs = _current_drugs(patient, ctx)
    result = tisdale_score(patient, drugs)
    return QtRisk(
        patient_id=patient_id,
        **result.model_dump(),
        qt_pairs=_pair_findings(drugs, "qt"),
        potassium_mmol_l=patient.potassium_mmol_l,
        qtc_ms=patient.qtc_ms,
        source=f"{knowledge().cite('tisdale')} {knowledge().cite('crediblemeds')}",
    )


class SerotonergicDrug(_Out):
    drug: str
    role: str = Field(description="maoi (MAO inhibitor), sri (serotonin reuptake inhibitor) or other.")


class SerotoninReport(_Out):
    patient_id: str
    serotonergic_drugs: list[SerotonergicDrug]
    pairs: list[PairFinding]
    worst_severity: SeverityOrNone
    hunter_criteria: str
    source: str


def serotonergic_burden(ctx: Context, patient_id: PatientId) -> SerotoninReport:
    """The patient's serotonergic drugs with their role (MAOI, serotonin reuptake inhibitor, other), the pairs that
    risk serotonin toxicity with the rule severity (MAOI + reuptake inhibitor contraindicated; two reuptake
    inhibitors major; Boyer & Shannon 2005), and the Hunter criteria to monitor for (Dunkley 2003)."""
    patient = _get_patient(patient_id)
    drugs = _current_drugs(patient, ctx)
    pairs = _pair_findings(drugs, "serotonin")
    k = knowledge()
    return SerotoninReport(
        patient_id=patient_id,
        serotonergic_drugs=[SerotonergicDrug(drug=d.name, role=d.serotonergic) for d in drugs if d.serotonergic],
        pairs=pairs,
        worst_severity=worst(p.severity for p in pairs),
        hunter_criteria=HUNTER_CRITERIA,
        source=f"{k.cite('boyer_2005')} {k.cite('hunter')}",
    )


class AcbDrug(_Out):
    drug: str
    acb: int


class AcbReport(_Out):
    patient_id: str
    drugs: list[AcbDrug]
    total: int
    strongly_anticholinergic: list[str] = Field(description="Drugs with ACB 3.")
    interpretation: str
    beers_flags: list[str]
    source: str


def anticholinergic_burden(ctx: Context, patient_id: PatientId) -> AcbReport:
    """Anticholinergic Cognitive Burden of the current medications: each drug's ACB score (0 none, 1 possible, 2-3
    definite), the total (>= 3 clinically relevant: cognitive decline, delirium, mortality; Boustani 2008), the
    strongly anticholinergic drugs (ACB 3) and their Beers 2023 statements."""
    patient = _get_patient(patient_id)
    drugs = _current_drugs(patient, ctx)
    total = acb_total(drugs)
    k = knowledge()
    return AcbReport(
        patient_id=patient_id,
        drugs=[AcbDrug(drug=d.name, acb=d.acb) for d in drugs],
        total=total,
        strongly_anticholinergic=sorted(d.name for d in drugs if d.acb == 3),
        interpretation="clinically relevant burden (>= 3)"
        if total >= 3
        else "below the clinically relevant total of 3",
        beers_flags=[f"{d.name}: {d.beers}" for d in drugs if d.acb >= 2 and d.beers],
        source=f"{k.cite('acb')} {k.cite('beers')}",
    )


# --- alternatives and writes -----------------------------------------------------------------------------------------


class CandidateCheck(_Out):
    drug: str
    decision: Decision
    reasons: list[str]
    worst_interaction: SeverityOrNone
    allergy: AllergyLevel
    renal: DoseAction
    hepatic: DoseAction
    pregnancy: str
    lactation: str


def _candidate(patient: Patient, current: list[Drug], drug: Drug) -> CandidateCheck:
    check = check_prescription(patient, current, drug)
    return CandidateCheck(
        drug=drug.name,
        decision=check.decision,
        reasons=check.reasons,
        worst_interaction=worst(p.severity for p in check.interactions),
        allergy=check.allergy,
        renal=check.renal,
        hepatic=check.hepatic,
        pregnancy=check.pregnancy,
        lactation=check.lactation,
    )


class Alternatives(_Out):
    patient_id: str
    drug: str
    indications: list[str]
    rule: str
    candidates: list[CandidateCheck] = Field(description="Other drugs for the indication, safe first.")


def suggest_alternative(
    ctx: Context,
    patient_id: PatientId,
    drug: DrugName,
    indication: Annotated[
        str,
        Field(
            max_length=60,
            description="Condition code to treat, e.g. 'hypertension'; '' to use every indication of the drug.",
        ),
    ] = "",
) -> Alternatives:
    """Alternatives to a drug for the same indication, each screened for this patient (allergy, interactions with
    the current medications, renal and hepatic dosing, pregnancy and lactation) and decided safe, caution or unsafe
    by the prescribing rule; safe candidates first."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    k = knowledge()
    if indication:
        if indication not in k.conditions:
            close = difflib.get_close_matches(indication, list(k.conditions), n=5, cutoff=0.5)
            raise ToolError(
                f"indication: unknown condition code {indication[:60]!r}; "
                f"close codes: {', '.join(close) or ', '.join(drug_conditions().get(d.name, ()))}"
            )
        codes = [indication]
    else:
        codes = list(drug_conditions().get(d.name, ()))
    current = _current_drugs(patient, ctx)
    taken = {c.name for c in current}
    names = sorted({t for c in codes for t in k.conditions[c].treatments} - {d.name} - taken)
    order = {"safe": 0, "caution": 1, "unsafe": 2}
    candidates = sorted(
        (_candidate(patient, current, k.drugs[n]) for n in names), key=lambda c: (order[c.decision], c.drug)
    )
    return Alternatives(
        patient_id=patient_id, drug=d.name, indications=codes, rule=DECISION_RULE, candidates=candidates
    )


class PrescriptionRecord(_Out):
    patient_id: str
    drug: str
    dose: str
    indication: str
    screening: CandidateCheck
    alerts: list[str]


def prescribe(
    ctx: Context,
    patient_id: PatientId,
    drug: DrugName,
    dose: Annotated[
        str, Field(min_length=1, max_length=200, description="Dose and frequency, e.g. '20 mg once daily'.")
    ],
    indication: Annotated[str, Field(max_length=60, description="Condition code treated, e.g. 'hypertension'.")] = "",
) -> PrescriptionRecord:
    """Start a drug for the patient in this episode. The order is recorded even when the screening raises alerts
    (allergy, contraindicated or major interactions, renal/hepatic, pregnancy/lactation), so check before you
    prescribe: prescribing a drug that is unsafe for the patient is a safety failure."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    state = episode_state(ctx)
    current = _current_drugs(patient, ctx)
    if any(c.name == d.name for c in current):
        raise ToolError(f"drug: the patient already takes {d.name}")
    screening = _candidate(patient, current, d)
    alerts = [f"{r}: {getattr(screening, 'worst_interaction' if r == 'interaction' else r)}" for r in screening.reasons]
    state.add(
        CHANGES,
        {
            "patient_id": patient.patient_id,
            "action": "start",
            "drug": d.name,
            "dose": dose,
            "indication": indication,
            "reason": "",
        },
    )
    return PrescriptionRecord(
        patient_id=patient_id, drug=d.name, dose=dose, indication=indication, screening=screening, alerts=alerts
    )


class StopRecord(_Out):
    patient_id: str
    drug: str
    reason: str
    remaining_medications: list[str]


def stop_medication(
    ctx: Context,
    patient_id: PatientId,
    drug: DrugName,
    reason: Annotated[str, Field(min_length=1, max_length=300, description="Why the drug is stopped.")],
) -> StopRecord:
    """Stop one of the patient's current medications in this episode; later reads of the list leave it out."""
    patient = _get_patient(patient_id)
    d = _get_drug(drug)
    if all(c.name != d.name for c in _current_drugs(patient, ctx)):
        raise ToolError(f"drug: {d.name} is not on the current medication list of {patient.patient_id}")
    episode_state(ctx).add(
        CHANGES,
        {
            "patient_id": patient.patient_id,
            "action": "stop",
            "drug": d.name,
            "dose": "",
            "indication": "",
            "reason": reason,
        },
    )
    return StopRecord(
        patient_id=patient_id,
        drug=d.name,
        reason=reason,
        remaining_medications=[c.name for c in _current_drugs(patient, ctx)],
    )


class NoteRecord(_Out):
    patient_id: str
    text: str
    notes_in_episode: int


def record_recommendation(
    ctx: Context,
    patient_id: PatientId,
    text: Annotated[
        str, Field(min_length=1, max_length=2000, description="The recommendation, e.g. monitoring or dose advice.")
    ],
) -> NoteRecord:
    """Record a pharmacotherapy recommendation in the patient's notes for this episode."""
    patient = _get_patient(patient_id)
    state = episode_state(ctx)
    state.add("notes", {"patient_id": patient.patient_id, "text": text})
    return NoteRecord(patient_id=patient_id, text=text, notes_in_episode=len(state.get("notes")))


class Submission(_Out):
    answer: str
    prescribed: list[str] = Field(description="Drugs this episode started for the patient and did not stop.")
    pairs: list[str]
    drugs: list[str]
    reasons: list[str]
    decision: str
    action: str
    category: str
    crcl_ml_min: float
    score: float


def submit_answer(
    ctx: Context,
    answer: Annotated[
        str,
        Field(
            max_length=100,
            description="Single answer when the task asks for one: a severity, "
            "a pregnancy/lactation category or an option letter; '' if not.",
        ),
    ] = "",
    pairs: Annotated[list[str], Field(description="Interacting pairs as 'drug_a+drug_b'; [] if not asked.")] = [],  # noqa: B006
    drugs: Annotated[list[str], Field(description="Drug names when the task asks for a list; [] if not.")] = [],  # noqa: B006
    reasons: Annotated[
        list[Reason],
        Field(description="Checks that raised a concern: " + ", ".join(REASONS) + "; [] if none or not asked."),
    ] = [],  # noqa: B006
    decision: Annotated[
        Literal["", "safe", "caution", "unsafe"], Field(description="Prescribing decision when asked; '' if not.")
    ] = "",
    action: Annotated[
        Literal["", "no_change", "reduce_dose", "extend_interval", "avoid"],
        Field(description="Renal dose action when asked; '' if not."),
    ] = "",
    category: Annotated[
        Literal["", "low", "moderate", "high"], Field(description="Risk category when asked; '' if not.")
    ] = "",
    crcl_ml_min: Annotated[
        float, Field(ge=-1, le=1000, description="Creatinine clearance, mL/min; -1 if not asked.")
    ] = -1.0,
    score: Annotated[float, Field(ge=-1, le=1000, description="Score value (points) when asked; -1 if not.")] = -1.0,
) -> Submission:
    """Submit the final answer once: fill the fields the task asks for and leave the others at their defaults.
    The submission also records the drugs this episode prescribed (and did not stop), which a prescribing task
    grades. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("answer: an answer was already submitted in this episode; submit_answer accepts one call")
    started: dict[str, None] = {}
    for change in state.get(CHANGES):
        if change["action"] == "start":
            started[change["drug"]] = None
        else:
            started.pop(change["drug"], None)
    submission = Submission(
        answer=answer,
        prescribed=sorted(started),
        pairs=list(pairs),
        drugs=list(drugs),
        reasons=list(dict.fromkeys(reasons)),
        decision=decision,
        action=action,
        category=category,
        crcl_ml_min=crcl_ml_min,
        score=score,
    )
    state.submitted = submission.model_dump()
    return submission


TOOLS = [
    get_patient, list_medications, get_drug_info, search_drugs, get_rule_reference, check_interaction,
    check_all_interactions, detect_mechanism_interactions, check_drug_against_medications,
    calculate_creatinine_clearance, get_renal_dose_adjustment, get_hepatic_dose_adjustment, check_allergy,
    check_pregnancy_safety, qt_risk_assessment, serotonergic_burden, anticholinergic_burden, suggest_alternative,
    prescribe, stop_medication, record_recommendation, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_patient": "record",
    "list_medications": "record",
    "get_drug_info": "reference",
    "search_drugs": "reference",
    "get_rule_reference": "reference",
    "calculate_creatinine_clearance": "decision_support",
    "check_interaction": "decision_support",
    "check_all_interactions": "decision_support",
    "detect_mechanism_interactions": "decision_support",
    "check_drug_against_medications": "decision_support",
    "get_renal_dose_adjustment": "decision_support",
    "get_hepatic_dose_adjustment": "decision_support",
    "check_allergy": "decision_support",
    "check_pregnancy_safety": "decision_support",
    "qt_risk_assessment": "decision_support",
    "serotonergic_burden": "decision_support",
    "anticholinergic_burden": "decision_support",
    "suggest_alternative": "decision_support",
    "prescribe": "write",
    "stop_medication": "write",
    "record_recommendation": "write",
    "submit_answer": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""
