"""Knowledge-base passages of the triage domain, generated from the same tables the tools use.

ESI decision points, the life-saving intervention and resource tables, red flags, danger-zone and normal vital signs
by age, each protocol's criteria, time targets and actions, each complaint card and presentation, each score's
components and bands, the placement policy, and worked triage examples from the training stream (never the test or
dev split). Every passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.triage_emergency.arrivals import (
    ANATOMIC_INJURIES,
    YELLOW_CRITERIA,
    build_case,
)
from healthgym.mcp_servers.domains.triage_emergency.beds import PLACEMENT_POLICY, ZONE_DESCRIPTIONS
from healthgym.mcp_servers.domains.triage_emergency.cards import CARDS, SCENARIOS
from healthgym.mcp_servers.domains.triage_emergency.esi import (
    APLS,
    DANGER_SPO2,
    DANGER_ZONES,
    HANDBOOK,
    INTERVENTIONS,
    LIFE_SAVING_INTERVENTIONS,
    LSI_FINDINGS,
    NORMAL_RANGES,
    NOT_LIFE_SAVING,
    PALS,
    RED_FLAG_BY_CODE,
    RED_FLAGS,
    RESOURCE_TYPE,
    RESOURCE_TYPES,
    assess,
    resource_count,
)
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOLS, adrenaline_dose
from healthgym.mcp_servers.domains.triage_emergency.scores import INDICATIONS, SCORE_TITLES, SCORES
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["triage_emergency"]
WORKED_EXAMPLES = 180
"""Worked examples drawn from train seed 999 (the train stream, never test or dev)."""

ESI_LEVELS = {
    1: "ESI 1 (resuscitation): the patient needs an immediate life-saving intervention; the physician and nurse go "
    "to the bedside at once.",
    2: "ESI 2 (emergent): a high-risk situation, new confusion, lethargy or disorientation, or severe pain or "
    "distress; the patient should not wait (would you give this patient your last bed?).",
    3: "ESI 3 (urgent): stable, needs two or more different resources, and no danger-zone vital signs.",
    4: "ESI 4 (less urgent): stable, needs one resource.",
    5: "ESI 5 (non-urgent): stable, needs no resources beyond history, examination and perhaps a prescription.",
}
DECISION_POINTS = {
    "A": "Decision point A asks whether the patient requires an immediate life-saving intervention: airway or "
    "breathing support, electrical therapy, emergency procedures, haemodynamic resuscitation or the listed "
    "emergency medications. Prompts: intubated, apnoeic, pulseless, severe respiratory distress, SpO2 below "
    "90%, acute mental status change or unresponsive (P or U on AVPU). The handbook's table 6-2 adds "
    "hypoventilation (respiratory rate below 10 a minute), shock with hypoperfusion in a child before the blood "
    "pressure falls (capillary refill over 3 seconds with tachycardia) and anaphylaxis with respiratory compromise. "
    "Yes means ESI 1.",
    "B": "Decision point B asks three questions: is this a high-risk situation, is the patient newly confused, "
    "lethargic or disoriented, and is the patient in severe pain or distress (rated 7 or more out of 10 and "
    "confirmed by observation)? Any yes means ESI 2.",
    "C": "Decision point C predicts how many different resources the patient will need to reach a disposition: none "
    "means ESI 5, one means ESI 4, two or more lead to decision point D. Count types, not tests.",
    "D": "Decision point D checks the danger-zone vital signs of a patient who needs two or more resources: heart "
    "rate and respiratory rate above the limit for the age band, or SpO2 below 92%. Exceeded means consider ESI "
    "2 (this gym applies ESI 2); otherwise ESI 3.",
}


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(
        id=passage_id(title, text),
        corpus=CORPUS,
        title=title,
        text=text,
        domains=DOMAINS,
        source=source,
        metadata={"kind": kind},
    )


def _esi() -> Iterator[Passage]:
    yield _passage(
        "ESI v4 triage algorithm",
        "The Emergency Severity Index is a five-level triage algorithm that "
        "sorts patients by acuity and, for stable patients, by expected resource needs. "
        + " ".join(DECISION_POINTS.values()),
        HANDBOOK,
        "esi",
    )
    for point, text in DECISION_POINTS.items():
        yield _passage(f"ESI decision point {point}", text, HANDBOOK, "esi")
    for level, text in ESI_LEVELS.items():
        yield _passage(f"ESI level {level}", text, HANDBOOK, "esi")
    for category, items in LIFE_SAVING_INTERVENTIONS.items():
        yield _passage(
            f"ESI life-saving interventions: {category}",
            f"{category} interventions that are life-saving (decision point A -> ESI 1): {', '.join(items)}.",
            HANDBOOK,
            "esi_lsi",
        )
    for category, items in NOT_LIFE_SAVING.items():
        yield _passage(
            f"ESI interventions that are not life-saving: {category}",
            f"{category} interventions that do not by themselves make a patient ESI 1: {', '.join(items)}.",
            HANDBOOK,
            "esi_lsi",
        )
    for finding, why in LSI_FINDINGS.items():
        yield _passage(
            f"ESI 1 finding: {finding}",
            f"Finding at triage: {finding}. Meaning: {why}. Decision point A answers yes: ESI 1.",
            HANDBOOK,
            "esi_lsi",
        )
    for flag in RED_FLAGS:
        yield _passage(
            f"ESI high-risk situation: {flag.concern}",
            f"Findings such as: {'; '.join(flag.phrasings)}. Concern: {flag.concern}. This is a high-risk situation "
            "at decision point B: assign ESI 2 unless the patient needs an immediate life-saving intervention.",
            flag.source,
            "esi_red_flag",
        )
    yield _passage(
        "Severe pain or distress at ESI decision point B",
        "A pain rating of 7 or more out of 10 supports ESI 2 only when the nurse observes severe pain or "
        "distress (writhing, crying out, diaphoresis, vomiting). A patient rating pain 10/10 while calm and "
        "comfortable is not ESI 2 on pain alone; triage the patient by resources.",
        HANDBOOK,
        "esi",
    )
    yield _passage(
        "New confusion or lethargy at ESI decision point B",
        "New onset confusion, lethargy (drowsy, responds to voice: V on AVPU) or disorientation is an ESI 2 "
        "criterion. A patient who responds only to pain or not at all (P or U) is ESI 1.",
        HANDBOOK,
        "esi",
    )


def _resources() -> Iterator[Passage]:
    yield _passage(
        "Counting ESI resources",
        "Count the number of different types of resources, not the individual "
        "tests: a CBC, metabolic panel and urinalysis are one resource (labs); labs and a chest X-ray are "
        "two. A complex procedure such as procedural sedation counts as two. History and physical "
        "examination, point-of-care tests, saline locks, oral medications, prescriptions, tetanus "
        "immunisation, phone calls to the primary care physician, simple wound care and crutches, splints "
        "or slings are not resources.",
        HANDBOOK,
        "esi_resources",
    )
    for row in RESOURCE_TYPES:
        verdict = f"is an ESI resource and counts {row.weight}" if row.weight else "is not an ESI resource and counts 0"
        yield _passage(
            f"ESI resource table: {row.label}", f"{row.label} {verdict} at decision point C.", HANDBOOK, "esi_resources"
        )
    for item, code in INTERVENTIONS.items():
        row = RESOURCE_TYPE[code]
        verdict = (
            f"Yes: it is a resource of type '{row.label}' and counts {row.weight}, once per type"
            if row.weight
            else f"No: it falls under '{row.label}', which is not a resource"
        )
        yield _passage(f"Is {item} an ESI resource?", f"{item}: {verdict}.", HANDBOOK, "esi_resources")


def _vitals() -> Iterator[Passage]:
    for zone in DANGER_ZONES:
        yield _passage(
            f"ESI danger-zone vital signs, age {zone.band}",
            f"Age {zone.band}: heart rate above {zone.max_heart_rate}/min or respiratory rate above "
            f"{zone.max_respiratory_rate}/min is in the danger zone; so is SpO2 below {DANGER_SPO2}% at any "
            "age. At decision point D this means ESI 2. A value equal to the limit is not above it.",
            HANDBOOK,
            "danger_zone",
        )
    yield _passage(
        "When danger-zone vital signs apply",
        "Danger-zone vital signs are assessed at decision point D, "
        "only for patients who need two or more resources and met no A or B criterion. A patient needing "
        "one resource is ESI 4 even with a heart rate above the limit.",
        HANDBOOK,
        "danger_zone",
    )
    yield _passage(
        "ESI age bands are in completed months and years",
        "The danger-zone rows are under 3 months, 3 months to 3 years, 3 to 8 years and over 8 years. A "
        "child of 2 years 11 months uses the 3 months-3 years row (HR limit 160); an 8-year-old uses the "
        "3-8 years row until the ninth birthday.",
        HANDBOOK,
        "danger_zone",
    )
    fever = (
        ("neonate", "Age 1-28 days with temperature above 38.0 C (100.4 F): assign at least ESI 2."),
        (
            "young infant",
            "Age 1-3 months with temperature above 38.0 C: the handbook says consider ESI 2; this gym "
            "assigns ESI 2, since febrile young infants need a full sepsis evaluation (AAP 2021).",
        ),
        (
            "3 months to 3 years",
            "Age 3 months-3 years with fever: consider ESI 3 if the temperature is above 39.0 C "
            "(102.2 F), immunisations are incomplete or there is no obvious source of fever.",
        ),
    )
    for group, text in fever:
        yield _passage(f"ESI paediatric fever considerations: {group}", text, HANDBOOK, "child_fever")
    for row in NORMAL_RANGES:
        yield _passage(
            f"Normal vital signs: {row.group}",
            f"{row.group}: heart rate {row.heart_rate[0]}-{row.heart_rate[1]}/min, respiratory rate "
            f"{row.respiratory_rate[0]}-{row.respiratory_rate[1]}/min, systolic BP {row.systolic_bp[0]}-"
            f"{row.systolic_bp[1]} mm Hg.",
            row.source,
            "normal_vitals",
        )
    for group, text in (
        ("term neonate (0-28 days)", "SBP < 60 mm Hg"),
        ("infant (1-12 months)", "SBP < 70 mm Hg"),
        ("child 1-10 years", "SBP < 70 + 2 x age in years mm Hg"),
        ("over 10 years and adults", "SBP < 90 mm Hg"),
    ):
        yield _passage(
            f"Hypotension by age: {group}",
            f"Hypotension in a {group}: {text}. Hypotension with signs "
            "of hypoperfusion needs immediate fluid resuscitation (ESI 1).",
            PALS,
            "hypotension",
        )
    yield _passage(
        "Signs of hypoperfusion",
        "Central capillary refill longer than 2 seconds, cool clammy or mottled "
        "skin and altered mental status are signs of poor perfusion.",
        APLS,
        "hypotension",
    )
    yield _passage(
        "Hypoglycaemia with altered mental status",
        "Glucose below 70 mg/dL is hypoglycaemia; with altered "
        "mental status it is severe (level 3) and needs IV dextrose, a life-saving medication in ESI "
        "(D50): ESI 1.",
        "ADA Standards of Care in Diabetes 2024, section 6; " + HANDBOOK,
        "esi_lsi",
    )


def _protocols() -> Iterator[Passage]:
    for p in PROTOCOLS.values():
        yield _passage(f"{p.name}: activation", f"{p.name}. Activate when: {p.activation}", p.source, "protocol")
        for criterion in p.criteria:
            yield _passage(f"{p.name}: criterion", criterion, p.source, "protocol_criterion")
        for t in p.time_targets:
            yield _passage(
                f"{p.name}: time target",
                f"{t.measure}: within {t.minutes} minutes of arrival.",
                t.source,
                "protocol_time",
            )
        for action in p.actions:
            yield _passage(f"{p.name}: action", action, p.source, "protocol_action")
    for days, label in (
        (120, "under 6 months"),
        (400, "6 months to 6 years"),
        (2600, "6 to 12 years"),
        (5000, "over 12 years and adults"),
    ):
        yield _passage(
            f"IM adrenaline dose for anaphylaxis: {label}",
            f"Anaphylaxis, age {label}: "
            f"{adrenaline_dose(days)} into the anterolateral thigh, repeated after 5 minutes if there is "
            "no improvement.",
            PROTOCOLS["anaphylaxis"].source,
            "protocol_dose",
        )
    for mechanism, criterion in YELLOW_CRITERIA.items():
        yield _passage(
            "Trauma mechanism criterion (ACS 2021 yellow)",
            f"{mechanism}: {criterion}. Mechanism alone "
            "directs the patient to a trauma centre and is a high-risk situation (ESI 2), but is not a "
            "red criterion for the highest-tier activation.",
            PROTOCOLS["major_trauma"].source,
            "trauma",
        )
    for mechanism, injuries in ANATOMIC_INJURIES.items():
        for injury in injuries:
            yield _passage(
                "Trauma injury pattern (ACS 2021 red)",
                f"{mechanism} with {injury}: an ACS 2021 red injury-pattern criterion; activate the major trauma team.",
                PROTOCOLS["major_trauma"].source,
                "trauma",
            )


CLINICAL_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "Danger zone by age: a 2-year-old and a 3-year-old with the same heart rate",
        "A heart rate of 150/min is inside the limit for a child of 2 years 11 months (3 months-3 years: above 160) "
        "but in the danger zone for a 3-year-old (3-8 years: above 140). Read the row for the child's completed age.",
        HANDBOOK,
    ),
    (
        "Danger zone by age: respiratory rate in an 8-year-old and a 9-year-old",
        "A respiratory rate of 26/min is inside the limit at 8 years (3-8 years: above 30) but in the danger zone at 9 "
        "years (over 8 years: above 20).",
        HANDBOOK,
    ),
    (
        "Danger zone: SpO2 between 90% and 91%",
        "SpO2 of 90-91% is a danger-zone vital sign (below 92%) at decision "
        "point D; SpO2 below 90% is an ESI 1 criterion at decision point A.",
        HANDBOOK,
    ),
    (
        "STEMI ECG threshold in leads V2-V3",
        "In V2-V3, new ST elevation must be at least 2 mm in men aged 40 or over, 2.5 mm in men under 40 and 1.5 mm in "
        "women, in two contiguous leads. 1.5 mm in V2-V3 in a 55-year-old man does not meet STEMI criteria; the same "
        "in a woman does.",
        "Thygesen K et al. Fourth universal definition of MI. Circulation 2018;138:e618-e651",
    ),
    (
        "STEMI ECG threshold in the limb and lateral leads",
        "Outside V2-V3, new ST elevation of at least 1 mm in two contiguous leads (e.g. II, III, aVF) meets STEMI "
        "criteria; 0.5 mm does not, and the ECG should be repeated at 15-30 minute intervals while symptoms persist.",
        "Thygesen K et al. Circulation 2018; Gulati M et al. 2021 AHA/ACC chest pain guideline",
    ),
    (
        "Reperfusion window in STEMI",
        "Primary PCI is indicated for STEMI with ischaemic symptoms of less than 12 hours "
        "(class I), with a first-medical-contact-to-device goal of 90 minutes or less.",
        "O'Gara PT et al. 2013 ACCF/AHA STEMI guideline. Circulation 2013;127:e362-e425",
    ),
    (
        "Stroke treatment windows",
        "IV alteplase is recommended within 4.5 hours of last known well in eligible "
        "patients; mechanical thrombectomy within 6 hours for large-vessel occlusion and, in selected patients by "
        "imaging criteria (DAWN, DEFUSE 3), from 6 to 24 hours.",
        "Powers WJ et al. AHA/ASA 2019. Stroke 2019;50:e344",
    ),
    (
        "Last known well",
        "Stroke timing starts when the patient was last known to be at baseline, not when the "
        "deficit was found: a deficit noticed on waking dates from when the patient went to sleep.",
        "Powers WJ et al. AHA/ASA 2019",
    ),
    (
        "NEWS2 SpO2 scale 2",
        "Use the NEWS2 SpO2 scale 2 only for patients with hypercapnic respiratory failure who "
        "have a prescribed target saturation of 88-92%, documented by a clinician; all others use scale 1.",
        "Royal College of Physicians. NEWS2, 2017",
    ),
    (
        "NEWS2 and sepsis",
        "A NEWS2 of 5 or more is the key threshold for an urgent clinical response; in a patient "
        "with known or suspected infection it should prompt assessment for sepsis.",
        "Royal College of Physicians. NEWS2, 2017",
    ),
    (
        "qSOFA as a screening tool",
        "The Surviving Sepsis Campaign 2021 recommends against using qSOFA alone, "
        "compared with SIRS, NEWS or MEWS, as a single screening tool for sepsis or septic shock.",
        "Evans L et al. Surviving Sepsis Campaign 2021. Crit Care Med 2021;49:e1063-e1143",
    ),
    (
        "Timing of antimicrobials in sepsis",
        "For possible septic shock or a high likelihood of sepsis, give "
        "antimicrobials immediately, ideally within 1 hour of recognition; for possible sepsis without shock, assess "
        "rapidly and give antimicrobials within 3 hours if concern for infection persists.",
        "Evans L et al. Surviving Sepsis Campaign 2021",
    ),
    (
        "Neutropenic sepsis",
        "Treat suspected neutropenic sepsis (fever or signs of sepsis within 6 weeks of "
        "chemotherapy) as an acute medical emergency and give empirical antibiotics immediately.",
        "NICE CG151 Neutropenic sepsis, 2012 (updated 2020)",
    ),
    (
        "Anaphylaxis without skin signs",
        "WAO criterion 2: hypotension, bronchospasm or laryngeal involvement within "
        "minutes to hours of exposure to a known or highly probable allergen is anaphylaxis even without hives.",
        "Cardona V et al. WAO anaphylaxis guidance 2020",
    ),
    (
        "Hives alone are not anaphylaxis",
        "Urticaria or angioedema without respiratory, cardiovascular or severe "
        "gastrointestinal involvement does not meet the WAO criteria; treat with antihistamines and observe.",
        "Cardona V et al. WAO anaphylaxis guidance 2020",
    ),
)


def _notes() -> Iterator[Passage]:
    for title, text, source in CLINICAL_NOTES:
        yield _passage(title, text, source, "clinical_note")


def _cards() -> Iterator[Passage]:
    for card in CARDS:
        flags = "; ".join(f"{RED_FLAG_BY_CODE[c].finding} ({RED_FLAG_BY_CODE[c].concern})" for c in card.red_flags)
        yield _passage(
            f"Complaint card: {card.title}",
            card.summary + (f" Red flags: {flags}." if flags else ""),
            card.source,
            "complaint_card",
        )
    for s in SCENARIOS:
        count = resource_count(list(s.workup))
        findings = f" Typical findings: {', '.join(s.findings)}." if s.findings else ""
        yield _passage(
            f"Presentation: {s.complaint} ({s.card.replace('_', ' ')})",
            f"{s.presentation[0].split(';')[0].format_map(_Blank())}.{findings} Anticipated work-up: "
            f"{', '.join(s.workup)} ({count} ESI resource{'s' if count != 1 else ''}).",
            HANDBOOK,
            "presentation",
        )


class _Blank(dict):
    """Fills presentation placeholders with '...' in the card passages."""

    def __missing__(self, key: str) -> str:
        return "..."


def _scores() -> Iterator[Passage]:
    """When each score is indicated at triage; the calculators' own passages give the formulas and bands."""
    for name, (indication, _) in SCORES.items():
        title = SCORE_TITLES[name]
        yield _passage(
            f"{title} at triage: when to use it",
            f"{title} is indicated for: {INDICATIONS[name]}. {' '.join((indication.__doc__ or '').split())}",
            "healthgym triage domain; see text",
            "score",
        )


def _placement() -> Iterator[Passage]:
    yield _passage("ED placement policy", PLACEMENT_POLICY, HANDBOOK + " (intent); local policy", "placement")
    for zone, text in ZONE_DESCRIPTIONS.items():
        yield _passage(f"ED zone: {zone}", f"{zone}: {text}.", "local policy", "placement")


def _examples() -> Iterator[Passage]:
    for index in range(WORKED_EXAMPLES):
        a = build_case("train", 999, index).arrival
        esi, v = assess(a), a.vitals
        steps = " ".join(
            f"{s.point}: {s.answer}{' (' + '; '.join(s.reasons) + ')' if s.reasons else ''}." for s in esi.steps
        )
        yield _passage(
            f"Worked triage example: {a.chief_complaint}, {a.age}",
            f"{a.age} {a.sex}, {a.arrival_mode}: {a.presentation} HR {v.heart_rate_bpm}, RR "
            f"{v.respiratory_rate_per_min}, BP {v.systolic_bp_mm_hg}/{v.diastolic_bp_mm_hg}, SpO2 {v.spo2_percent}%, "
            f"T {v.temperature_c:g} C, pain {v.pain_score}/10, {a.mental_status}, {a.appearance}. Work-up: "
            f"{', '.join(a.anticipated_workup)}. {steps} Result: ESI {esi.esi_level}.",
            HANDBOOK + " (synthetic case)",
            "worked_example",
        )


def passages() -> Iterator[Passage]:
    """Every passage of the triage domain, in a stable order."""
    for part in (_esi, _resources, _vitals, _protocols, _notes, _cards, _scores, _placement, _examples):
        yield from part()
