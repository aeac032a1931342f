"""The condition knowledge model: conditions, findings, tests and the likelihood of each finding given each condition.

Findings are binary and of five kinds: ``symptom`` and ``antecedent`` (answered by the patient: the DDXPlus binary
evidences, the travel question as "travelled or not", and our own history questions ``H_*``), ``exam`` (``X_*``, by
body system), ``vital`` (``VS_*``, a vital sign beyond a stated threshold) and ``test`` (``T_*``, an abnormal result
of an orderable test). DDXPlus's categorical and multi-choice evidences (pain character, location, radiation,
intensity, rash colour ...) are details of their parent question, not findings of their own.

Each condition has a prior class, an age range and sex, a severity (DDXPlus's scale, 1 most severe), and
``P(finding | condition)`` for the findings it lists. For the 49 DDXPlus pathologies the listed findings are their
DDXPlus evidences (default likelihoods: symptom 0.45, antecedent 0.2) overlaid with our hallmark findings, exam,
vital signs and tests; the 35 others list ours. A finding a condition does not list has the background rate of its
kind (for a test finding, 1 - the test's specificity). All likelihoods are our estimates from each condition's cited
sources (``knowledge.json``), stated as such: no study gives most of them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from healthgym.mcp_servers.domains.clinical_diagnosis import ddxplus
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import clip

DATA = Path(__file__).parent / "knowledge.json"
FindingKind = Literal["symptom", "antecedent", "exam", "vital", "test"]
HISTORY_TOPICS = (
    "pain", "general", "respiratory", "cardiovascular", "gastrointestinal", "genitourinary", "neurological",
    "ent_eyes", "skin_msk", "psychiatric", "past_history", "medications", "family_history", "social_history",
)  # fmt: skip
EXAM_SYSTEMS = (
    "general", "heent", "neck", "cardiovascular", "respiratory", "abdomen", "neurological", "skin", "musculoskeletal",
)  # fmt: skip
CHAPTERS = ("cardiovascular", "respiratory", "abdominal", "neurological", "systemic", "skin_musculoskeletal")
"""Chapters of condition cards: cardiovascular (with blood), respiratory (with ENT), abdominal (digestive, renal,
urogenital), neurological (with psychiatric), systemic (infection, immunity, endocrine), skin and musculoskeletal."""
FEMALE_ONLY_EVIDENCES = frozenset({"E_163", "E_145", "E_167", "E_141", "E_11"})
"""DDXPlus questions about menstruation, pregnancy, vaginal discharge and breastfeeding: asked of women only."""

# History topic of a DDXPlus evidence, from its question: the first rule whose words match (antecedents and
# symptoms separately), as a clinician files a question under a part of the history.
_ANTECEDENT_TOPICS = (
    ("family_history", r"family|mother|relatives"),
    ("genitourinary", r"pregnan|menstrual period|breastfed"),
    (
        "medications",
        r"\btake\b|taking|medication|treated with|anticoagulant|hormones|corticosteroid|antipsychotic|"
        r"decongestant|dialysis|vaccinations|antibiotic|nsaid",
    ),
    (
        "social_history",
        r"smoke|smoking|alcohol|drug|travel|\bwork|\blive\b|daycare|coffee|energy drinks|exercise|"
        r"diet|contact|sexual|\bsex\b|\beat\b|descent|born|big city|suburbs|rural|"
        r"unable to move|underweight|overweight",
    ),
    ("psychiatric", r"anxious|anxiety|depression"),
)
_SYMPTOM_TOPICS = (
    ("pain", r"\bpain\b|headache"),
    ("psychiatric", r"anxious|irritable|mood|dying|detached"),
    ("respiratory", r"breath|cough|wheez|sputum|suffocat|chok|high pitched|stop breathing"),
    ("cardiovascular", r"heart|palpitation|swelling|faint|dizzy|lightheaded|consciousness|exertion|lying down"),
    ("gastrointestinal", r"stool|vomit|nause|diarrh|abdomen|appetite|swallow|\beating|stomach|saliva|gas\b|thrown up"),
    ("genitourinary", r"vagin|menstrua|urine|pregnan"),
    (
        "neurological",
        r"numb|weak|paraly|confus|speak|articulat|overlapping|eyelid|spasm|muscle|tongue|jaw|"
        r"contraction|direction of your eyes|tingling",
    ),
    ("ent_eyes", r"nose|nasal|throat|smell|voice|\bear\b|tears|eye|mouth|lymph"),
    ("skin_msk", r"skin|rash|lesion|itch|bruis|bleeding|cheeks"),
    ("general", r"."),
)


def _topic(question: str, antecedent: bool) -> str:
    rules = _ANTECEDENT_TOPICS + (("past_history", r"."),) if antecedent else _SYMPTOM_TOPICS
    text = question.lower()
    return next(topic for topic, pattern in rules if re.search(pattern, text))


@dataclass(frozen=True)
class Finding:
    code: str
    kind: FindingKind
    group: str
    """History topic, exam system, vital sign, or test name."""
    text: str
    sex: Literal["any", "F"] = "any"
    background: float = 0.02
    """P(finding | a condition that does not list it)."""


@dataclass(frozen=True)
class TestFinding:
    code: str
    analyte: str
    unit: str
    reference_range: str
    normal: list[float] | str
    abnormal: list[float] | str
    false_positive_rate: float


@dataclass(frozen=True)
class Test:
    name: str
    title: str
    kind: str
    cost: int
    source: str
    findings: tuple[TestFinding, ...]


@dataclass(frozen=True)
class VitalRule:
    code: str
    vital: str
    rule: str
    op: str
    threshold: float
    present: list[float]
    absent: list[float]
    unit: str
    normal_range: str

    def met(self, value: float) -> bool:
        """Whether ``value`` is beyond the rule's threshold (e.g. temperature >= 38.0 C is fever)."""
        return {"<": value < self.threshold, ">": value > self.threshold, ">=": value >= self.threshold}[self.op]


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    icd10: tuple[str, ...]
    ddxplus: str | None
    severity: int
    prior_class: str
    prior: float
    chapter: str
    sex: Literal["any", "F"]
    ages: tuple[int, int]
    likelihoods: dict[str, float] = field(hash=False)
    synonyms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def cant_miss(self) -> bool:
        """Severity 1-2 on DDXPlus's scale: a condition that must not be missed in a differential."""
        return self.severity <= CANT_MISS_SEVERITY

    def eligible(self, age: int, sex: str) -> bool:
        return self.ages[0] <= age <= self.ages[1] and (self.sex == "any" or self.sex == sex)


CANT_MISS_SEVERITY = 2


@dataclass(frozen=True)
class Model:
    findings: dict[str, Finding]
    tests: dict[str, Test]
    vitals: dict[str, VitalRule]
    conditions: dict[str, Condition]
    background: dict[str, float]
    prior_classes: dict[str, float]
    ddxplus_defaults: dict[str, float]
    about: str

    def workup(self, condition_id: str) -> list[str]:
        """The tests that confirm a condition: those with a finding of likelihood >= 0.5 in it, cheapest first."""
        cond = self.conditions[condition_id]
        names = {
            self.findings[c].group for c, p in cond.likelihoods.items() if self.findings[c].kind == "test" and p >= 0.5
        }
        return sorted(names, key=lambda n: (self.tests[n].cost, n))


@cache
def model() -> Model:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    background = raw["background"]
    findings: dict[str, Finding] = {}
    for e in ddxplus.evidences().values():
        if e.data_type != "B" and e.code != "E_204":
            continue  # a detail of its parent question (pain character, location, rash colour ...)
        kind: FindingKind = "antecedent" if e.antecedent else "symptom"
        findings[e.code] = Finding(
            e.code,
            kind,
            _topic(e.question, e.antecedent),
            e.question,
            "F" if e.code in FEMALE_ONLY_EVIDENCES else "any",
            background[kind],
        )
    for h in raw["history"]:
        kind = (
            "antecedent"
            if h["topic"] in ("past_history", "medications", "family_history", "social_history")
            else "symptom"
        )
        findings[h["code"]] = Finding(h["code"], kind, h["topic"], h["question"], h["sex"], background[kind])
    for x in raw["exam"]:
        findings[x["code"]] = Finding(x["code"], "exam", x["system"], x["finding"], x["sex"], background["exam"])
    vitals = {v["code"]: VitalRule(**v) for v in raw["vitals"]}
    for v in vitals.values():
        findings[v.code] = Finding(v.code, "vital", v.vital, v.rule, "any", background["vital"])
    tests: dict[str, Test] = {}
    for t in raw["tests"]:
        parts = tuple(TestFinding(**f) for f in t["findings"])
        tests[t["name"]] = Test(t["name"], t["title"], t["kind"], t["cost"], t["source"], parts)
        for f in parts:
            findings[f.code] = Finding(
                f.code, "test", t["name"], f"{f.analyte}: {f.abnormal}", "any", f.false_positive_rate
            )
    defaults = raw["ddxplus_defaults"]
    conditions: dict[str, Condition] = {}
    pathologies = ddxplus.pathologies()
    for c in raw["conditions"]:
        likelihoods: dict[str, float] = {}
        if c["ddxplus"]:
            p = pathologies[c["ddxplus"]]
            for code in p.symptoms + p.antecedents:
                if code in findings:
                    likelihoods[code] = defaults[findings[code].kind]
        likelihoods.update(c["likelihoods"])
        unknown = sorted(set(likelihoods) - set(findings))
        if unknown:
            raise ValueError(f"condition {c['id']}: unknown findings {unknown}")
        conditions[c["id"]] = Condition(
            c["id"],
            c["name"],
            tuple(c["icd10"]),
            c["ddxplus"],
            c["severity"],
            c["prior"],
            raw["prior_classes"][c["prior"]],
            c["chapter"],
            c["sex"],
            tuple(c["ages"]),
            likelihoods,
            tuple(c["synonyms"]),
            tuple(c["sources"]),
        )
    return Model(findings, tests, vitals, conditions, background, raw["prior_classes"], defaults, raw["about"])


@dataclass(frozen=True)
class Matrix:
    """``log P(finding present | condition)`` and ``log P(absent | ·)`` for every condition x finding, for speed."""

    codes: tuple[str, ...]
    column: dict[str, int]
    ids: tuple[str, ...]
    log_present: np.ndarray
    log_absent: np.ndarray
    log_prior: np.ndarray


@cache
def matrix() -> Matrix:
    m = model()
    codes = tuple(m.findings)
    ids = tuple(m.conditions)
    p = np.array([[likelihood(m.conditions[i], m.findings[c]) for c in codes] for i in ids])
    return Matrix(
        codes,
        {c: j for j, c in enumerate(codes)},
        ids,
        np.log(p),
        np.log1p(-p),
        np.log([m.conditions[i].prior for i in ids]),
    )


def likelihood(condition: Condition, finding: Finding) -> float:
    return clip(condition.likelihoods.get(finding.code, finding.background))


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


@cache
def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    pathologies = ddxplus.pathologies()
    for c in model().conditions.values():
        ddx = [c.ddxplus, pathologies[c.ddxplus].name_fr] if c.ddxplus else []
        for name in (c.id, c.name, *c.synonyms, *ddx):
            out.setdefault(_norm(name), c.id)
    return out


@cache
def _families() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in model().conditions.values():
        for family in {code[:3] for code in c.icd10}:
            out.setdefault(family, []).append(c.id)
    return out


def resolve(text: object) -> str | None:
    """The condition a name, synonym or ICD-10-CM code denotes, or None.

    Names, curated synonyms and DDXPlus's English and French names match after case and punctuation folding. A code
    matches a condition whose code it extends or is extended by (``K35`` or ``K35.89`` -> appendicitis, coded
    ``K35.80``); failing that, its three-character ICD-10 category when exactly one condition has it (``I20`` is
    stable and unstable angina: no match)."""
    raw = str(text).strip()
    if not raw:
        return None
    by_name = _names().get(_norm(raw))
    if by_name:
        return by_name
    code = raw.upper().replace(" ", "")
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?", code):
        return None
    code = code if "." in code or len(code) <= 3 else f"{code[:3]}.{code[3:]}"
    exact = [
        c.id for c in model().conditions.values() if any(k.startswith(code) or code.startswith(k) for k in c.icd10)
    ]
    if len(exact) == 1:
        return exact[0]
    family = _families().get(code[:3], [])
    return family[0] if len(family) == 1 and not exact else None
