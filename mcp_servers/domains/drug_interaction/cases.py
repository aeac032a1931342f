"""Synthetic cases: a patient and the question about it, a pure function of (split, seed, index).

Every random draw comes from ``case_rng("drug_interaction", split, seed, index)``, so the patient behind any opaque
id is rebuilt on demand and cached. The task kind is ``KINDS[index % len(KINDS)]``; each kind shapes the patient so
that its question has a clear answer (e.g. a renal-dosing patient's clearance sits at least 2.5 mL/min from every
label threshold of the drug, and a safe-alternative patient has exactly one safe option among four). Background
medications that would be unsafe for the patient (a contraindicated pair, an allergy, a renal or hepatic 'avoid', a
pregnancy or lactation 'avoid') are dropped unless the question is about them (``_Draft.clean``), so no case hides an
untouched hazard.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations

import numpy as np

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.domains.drug_interaction.knowledge import SEVERITY_RANK, Drug, knowledge
from healthgym.mcp_servers.domains.drug_interaction.patients import (
    Allergy,
    MedicationOrder,
    Patient,
    parse_patient_id,
    patient_id,
)
from healthgym.mcp_servers.domains.drug_interaction.rules import (
    assess_pair,
    check_prescription,
    crcl_value,
    mechanism_findings,
    profile_pairs,
)
from healthgym.schemas import Split

DOMAIN = "drug_interaction"
KINDS = (
    "pair_severity", "profile_major_pairs", "mechanism_pairs", "renal_dosing", "new_prescription",
    "safe_alternative", "qt_risk", "anticholinergic_burden", "pregnancy_lactation", "prescribing_round",
)  # fmt: skip
MECHANISM_WEIGHTS = {
    "cyp": 3,
    "qt": 2,
    "serotonin": 2,
    "hyperkalaemia": 2,
    "bleeding": 2,
    "cns_depression": 2,
    "anticholinergic": 1,
    "transporter": 1,
}
RENAL_MARGIN = 2.5
"""Minimum distance (mL/min) between a renal-dosing case's clearance and any threshold of the drug."""
_REACTIONS = ("rash", "urticaria", "anaphylaxis", "angioedema")
_ALLERGY_WEIGHTS = {
    "penicillin": 0.35,
    "sulfonamide_antibiotic": 0.2,
    "nsaid": 0.1,
    "cephalosporin": 0.07,
    "macrolide": 0.08,
    "fluoroquinolone": 0.06,
    "tetracycline": 0.04,
    "ace_inhibitor": 0.1,
}


@dataclass(frozen=True)
class Case:
    """A patient and the parameters of its question; ``kind`` is one of ``KINDS``."""

    kind: str
    patient: Patient
    drug: str = ""
    """The drug asked about (proposed, dosed or classified)."""
    partner: str = ""
    """pair_severity: the drug the patient already takes."""
    mechanism: str = ""
    condition: str = ""
    planned: str = ""
    """safe_alternative: the first-choice drug that is unsafe."""
    options: tuple[str, ...] = ()
    """safe_alternative: the four options; prescribing_round: the proposed drugs."""
    indications: tuple[str, ...] = ()
    """prescribing_round: the condition code each proposed drug is for."""


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


@cache
def drug_conditions() -> dict[str, tuple[str, ...]]:
    """Drug -> condition codes it treats, in the order of conditions.json."""
    out: dict[str, list[str]] = {}
    for code, condition in knowledge().conditions.items():
        for drug in condition.treatments:
            out.setdefault(drug, []).append(code)
    return {drug: tuple(codes) for drug, codes in out.items()}


@dataclass(frozen=True)
class Demographics:
    """Who can plausibly take a set of drugs: an age range and, for sex-specific conditions, a sex."""

    min_age: int = 18
    max_age: int = 120
    sex: str | None = None

    def admits(self, age: int, sex: str) -> bool:
        return self.min_age <= age <= self.max_age and self.sex in (None, sex)


@cache
def demographics(drug: str) -> Demographics:
    """The widest window over the conditions the drug treats (tamsulosin: men; isotretinoin: up to 40 years)."""
    conditions = [knowledge().conditions[c] for c in drug_conditions()[drug]]
    sexes = {c.sex for c in conditions}
    sex = next(iter(sexes)) if len(sexes) == 1 else None
    return Demographics(min(c.min_age for c in conditions), max(c.max_age for c in conditions), sex)


def joint_demographics(drugs: Sequence[str]) -> Demographics | None:
    """The window that admits every drug, or None when no patient fits all of them."""
    windows = [demographics(d) for d in drugs]
    sexes = {w.sex for w in windows} - {None}
    low, high = max(w.min_age for w in windows), min(w.max_age for w in windows)
    if len(sexes) > 1 or low > high:
        return None
    return Demographics(low, high, next(iter(sexes), None))


@cache
def _curated(min_severity: str = "minor") -> tuple[tuple[str, str], ...]:
    rank = SEVERITY_RANK[min_severity]
    return tuple(
        sorted(
            tuple(sorted(it.drugs))
            for it in knowledge().interactions.values()  # type: ignore[misc]
            if SEVERITY_RANK[it.severity] >= rank
        )
    )


@cache
def mechanism_index() -> dict[str, tuple[tuple[str, str], ...]]:
    """Mechanism -> every drug pair of the table that one of its rules flags."""
    drugs = knowledge().drugs
    index: dict[str, set[tuple[str, str]]] = {}
    for a, b in combinations(sorted(drugs), 2):
        for finding in mechanism_findings(drugs[a], drugs[b]):
            index.setdefault(finding.mechanism, set()).add((a, b))
    return {mechanism: tuple(sorted(pairs)) for mechanism, pairs in index.items()}


@dataclass
class _Draft:
    """A patient under construction."""

    age: int
    sex: str
    weight: float
    creatinine: float
    potassium: float
    qtc: int
    hepatic: str = "normal"
    pregnant: bool = False
    gestation: int = 0
    lactating: bool = False
    setting: str = "outpatient"
    allergies: list[Allergy] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    meds: dict[str, str] = field(default_factory=dict)
    """Drug -> the condition it is given for."""

    def add_med(self, drug: str, condition: str | None = None) -> None:
        if drug in self.meds:
            return
        condition = condition or drug_conditions()[drug][0]
        if condition not in self.conditions:
            self.conditions.append(condition)
        self.meds[drug] = condition

    def drop_med(self, drug: str) -> None:
        self.meds.pop(drug, None)

    def clean(self, keep: Collection[str] = (), pairs: bool = True) -> None:
        """Drop background medications that the prescribing rule calls unsafe for this patient (allergy, renal or
        hepatic 'avoid', pregnancy or lactation; with ``pairs``, a contraindicated interaction with a drug kept
        earlier), keeping ``keep``: the drugs the question is about."""
        k = knowledge()
        patient = self.patient()
        kept = [k.drugs[name] for name in self.meds if name in keep]
        for name in [n for n in self.meds if n not in keep]:
            if check_prescription(patient, kept if pairs else [], k.drugs[name]).decision == "unsafe":
                self.drop_med(name)
            else:
                kept.append(k.drugs[name])

    def fits(self, names: Collection[str]) -> bool:
        """Whether the patient could take each of ``names`` by itself (no allergy, renal, hepatic, pregnancy or
        lactation bar): a question about an interaction must not hide another hazard of its drugs."""
        patient, k = self.patient(), knowledge()
        return all(check_prescription(patient, [], k.drugs[n]).decision != "unsafe" for n in names)

    def coherent(self) -> bool:
        """No contraindicated pair within the list itself (injected risks must not collide with each other)."""
        return all(assess_pair(a, b).severity != "contraindicated" for a, b in combinations(self.drugs(), 2))

    def drugs(self) -> list[Drug]:
        return [knowledge().drugs[name] for name in self.meds]

    def freeze(self, pid: str) -> Patient:
        k = knowledge()
        return Patient(
            patient_id=pid,
            age_years=self.age,
            sex=self.sex,
            weight_kg=self.weight,  # type: ignore[arg-type]
            serum_creatinine_mg_dl=self.creatinine,
            potassium_mmol_l=self.potassium,
            qtc_ms=self.qtc,
            hepatic_function=self.hepatic,
            pregnant=self.pregnant,  # type: ignore[arg-type]
            gestational_age_weeks=self.gestation,
            lactating=self.lactating,
            setting=self.setting,  # type: ignore[arg-type]
            allergies=tuple(self.allergies),
            conditions=tuple(self.conditions),
            medications=tuple(
                MedicationOrder(drug=d, dose=k.drugs[d].typical_dose, indication=c) for d, c in self.meds.items()
            ),
        )

    def patient(self) -> Patient:
        return self.freeze("DI-draft")


def _cg_factor(draft: _Draft) -> float:
    """CrCl x SCr for this age, weight and sex (Cockcroft-Gault, actual body weight)."""
    return (140 - draft.age) * draft.weight * (0.85 if draft.sex == "female" else 1.0) / 72


def _base(
    rng: np.random.Generator,
    *,
    min_age: int = 25,
    max_age: int = 88,
    sex: str | None = None,
    n_conditions: tuple[int, int] = (1, 3),
    window: Demographics | None = None,
) -> _Draft:
    """Demographics, labs, allergies and chronic conditions each treated by one drug from its list; ``window``
    narrows age and sex to those who could take the drugs the case is about."""
    k = knowledge()
    if window is not None:
        min_age, max_age = max(min_age, window.min_age), min(max_age, window.max_age)
        if min_age > max_age:
            min_age, max_age = window.min_age, min(window.max_age, 95)
        sex = sex or window.sex
    age = int(rng.integers(min_age, max_age + 1))
    sex = sex or _pick(rng, ("female", "male"))
    if sex == "female":
        weight = float(np.clip(rng.normal(72, 14), 42, 135))
        creatinine = 0.8
    else:
        weight = float(np.clip(rng.normal(85, 15), 50, 150))
        creatinine = 1.0
    creatinine *= float(np.exp(rng.normal(0, 0.18))) * (1 + max(0, age - 60) * 0.01)
    if rng.random() < 0.15:
        creatinine *= float(rng.uniform(1.4, 3.5))
    draft = _Draft(
        age=age,
        sex=sex,
        weight=round(weight, 1),
        creatinine=round(float(np.clip(creatinine, 0.4, 8.0)), 2),
        potassium=round(float(np.clip(rng.normal(4.3, 0.4), 3.0, 6.0)), 1),
        qtc=int(np.clip(rng.normal(430, 18), 380, 520)),
    )
    roll = rng.random()
    draft.hepatic = (
        "child_pugh_c"
        if roll < 0.02
        else "child_pugh_b"
        if roll < 0.05
        else ("child_pugh_a" if roll < 0.10 else "normal")
    )
    n_allergies = int(rng.choice([0, 1, 2], p=[0.7, 0.22, 0.08]))
    groups = sorted(_ALLERGY_WEIGHTS)
    weights = np.array([_ALLERGY_WEIGHTS[g] for g in groups])
    for group in rng.choice(groups, size=n_allergies, replace=False, p=weights / weights.sum()):
        reaction = "angioedema" if group == "ace_inhibitor" else _pick(rng, _REACTIONS[:3])
        draft.allergies.append(Allergy(allergen=str(group), reaction=reaction))
    eligible = [
        code for code, c in k.conditions.items() if c.chronic and c.min_age <= age <= c.max_age and c.sex in (None, sex)
    ]
    weights = np.array([k.conditions[c].weight for c in eligible])
    n = min(int(rng.integers(n_conditions[0], n_conditions[1] + 1)), len(eligible))
    for code in rng.choice(eligible, size=n, replace=False, p=weights / weights.sum()):
        choices = [d for d in k.conditions[str(code)].treatments if d not in draft.meds]
        if choices:
            draft.add_med(_pick(rng, choices), str(code))
    return draft


def _set_clearance(draft: _Draft, target: float) -> bool:
    """Set serum creatinine so that CrCl is about ``target``; False when that needs an implausible creatinine."""
    creatinine = round(_cg_factor(draft) / target, 2)
    if not 0.4 <= creatinine <= 8.0:
        return False
    draft.creatinine = creatinine
    return True


# --- risk injections: make a drug unsafe, or a concern, for the draft patient ----------------------------------------


def _partners(drug: str, severities: tuple[str, ...], draft: _Draft) -> list[str]:
    """Curated partners of ``drug`` at these severities that this patient could plausibly take (and does not already
    take a drug of the same class, so the list never duplicates a therapy)."""
    k = knowledge()
    classes = {k.drugs[d].drug_class for d in draft.meds}
    out = []
    for it in k.interactions.values():
        if drug in it.drugs and it.severity in severities:
            other = it.drugs[1] if it.drugs[0] == drug else it.drugs[0]
            if demographics(other).admits(draft.age, draft.sex) and k.drugs[other].drug_class not in classes:
                out.append(other)
    return sorted(out)


def _admits(code: str, draft: _Draft) -> bool:
    condition = knowledge().conditions[code]
    return condition.min_age <= draft.age <= condition.max_age and condition.sex in (None, draft.sex)


def _childbearing(draft: _Draft) -> bool:
    return draft.sex == "female" and 18 <= draft.age <= 44


def _inject(rng: np.random.Generator, draft: _Draft, name: str, level: str) -> bool:
    """Change the draft so that ``name`` becomes ``level`` ('unsafe' or 'caution') through one random route."""
    k = knowledge()
    drug = k.drugs[name]
    bad = ("contraindicated", "avoid") if level == "unsafe" else ("caution",)
    routes: list[str] = []
    partners = _partners(name, ("contraindicated",) if level == "unsafe" else ("major", "moderate"), draft)
    if partners:
        routes.append("interaction")
    direct = [g for g in k.recordable_allergies if g in drug.allergy_groups]
    cross = [c.allergy for c in k.cross_reactions if c.group in drug.allergy_groups and c.level == "caution"]
    if direct if level == "unsafe" else cross:
        routes.append("allergy")
    action = "avoid" if level == "unsafe" else "reduce_dose"
    if any(b.action == action for b in drug.renal):
        routes.append("renal")
    if any(getattr(drug.hepatic, c) == action for c in "BC"):
        routes.append("hepatic")
    if _childbearing(draft) and drug.pregnancy in bad:
        routes.append("pregnancy")
    if not routes:
        return False
    route = _pick(rng, routes)
    if route == "interaction":
        draft.add_med(_pick(rng, partners))
    elif route == "allergy":
        group = _pick(rng, sorted(set(direct if level == "unsafe" else cross)))
        if all(a.allergen != group for a in draft.allergies):
            draft.allergies.append(Allergy(allergen=group, reaction=_pick(rng, _REACTIONS[:3])))
    elif route == "renal":
        lower = 0.0
        for band in drug.renal:
            if band.action == action:
                hi = band.below - RENAL_MARGIN
                lo = max(lower + RENAL_MARGIN, 5.0)
                if lo < hi and _set_clearance(draft, float(rng.uniform(lo, hi))):
                    break
            lower = band.below
    elif route == "hepatic":
        cls = next(c for c in "BC" if getattr(drug.hepatic, c) == action)
        draft.hepatic = f"child_pugh_{cls.lower()}"
    else:
        draft.pregnant, draft.lactating, draft.gestation = True, False, int(rng.integers(6, 37))
    return True


# --- one builder per kind -------------------------------------------------------------------------------------------


@cache
def pairs_by_severity() -> dict[str, tuple[tuple[str, str], ...]]:
    """Severity -> the interacting pairs of the table at that severity (curated, or flagged by a mechanism rule)."""
    drugs = knowledge().drugs
    pairs = set(_curated()) | {pair for found in mechanism_index().values() for pair in found}
    out: dict[str, list[tuple[str, str]]] = {}
    for a, b in sorted(pairs):
        out.setdefault(assess_pair(drugs[a], drugs[b]).severity, []).append((a, b))
    return {severity: tuple(found) for severity, found in out.items()}


def _pair_severity(rng: np.random.Generator, pid: str, slot: int) -> Case:
    """The severity is drawn uniformly first, so no label is a safe guess; then a pair of that severity (for
    'none', two drugs no curated row or rule links)."""
    k = knowledge()
    severity = _pick(rng, ("contraindicated", "major", "moderate", "minor", "none"))
    while True:
        if severity != "none":
            pairs = pairs_by_severity()[severity]
            a, b = pairs[int(rng.integers(len(pairs)))]
            if rng.random() < 0.5:
                a, b = b, a
        else:
            pool = sorted(drug_conditions())
            a, b = _pick(rng, pool), _pick(rng, pool)
            if a == b or assess_pair(k.drugs[a], k.drugs[b]).severity != "none":
                continue
        window = joint_demographics((a, b))
        if window is not None:
            break
    while True:
        draft = _base(rng, window=window)
        draft.drop_med(b)
        draft.add_med(a)
        draft.clean(keep={a})
        if draft.fits({a}):
            return Case("pair_severity", draft.freeze(pid), drug=b, partner=a)


def _profile(rng: np.random.Generator, pid: str, slot: int) -> Case:
    pairs = _curated("major")
    while True:
        pair = pairs[int(rng.integers(len(pairs)))]
        window = joint_demographics(pair)
        if window is None:
            continue
        draft = _base(rng, min_age=50, max_age=90, n_conditions=(3, 5), window=window)
        for drug in pair:
            draft.add_med(drug)
        draft.clean(keep=pair, pairs=False)
        if not draft.fits(pair):
            continue
        hits = [p for p in profile_pairs(draft.drugs()) if SEVERITY_RANK[p.severity] >= SEVERITY_RANK["major"]]
        if 1 <= len(hits) <= 5 and 4 <= len(draft.meds) <= 10:
            return Case("profile_major_pairs", draft.freeze(pid))


def _mechanism(rng: np.random.Generator, pid: str, slot: int) -> Case:
    names = sorted(MECHANISM_WEIGHTS)
    weights = np.array([MECHANISM_WEIGHTS[m] for m in names], dtype=float)
    mechanism = str(rng.choice(names, p=weights / weights.sum()))
    pairs = mechanism_index()[mechanism]
    while True:
        pair = pairs[int(rng.integers(len(pairs)))]
        window = joint_demographics(pair)
        if window is None:
            continue
        draft = _base(rng, n_conditions=(2, 4), window=window)
        for drug in pair:
            draft.add_med(drug)
        draft.clean(keep=pair)
        if not draft.fits(pair):
            continue
        hits = mechanism_pairs(draft.drugs(), mechanism)
        if 1 <= len(hits) <= 5:
            return Case("mechanism_pairs", draft.freeze(pid), mechanism=mechanism)


def mechanism_pairs(drugs: Sequence[Drug], mechanism: str) -> list[str]:
    """Pair codes of a medication list flagged by a rule of ``mechanism``."""
    return sorted(
        {
            "+".join(sorted((a.name, b.name)))
            for a, b in combinations(drugs, 2)
            if any(f.mechanism == mechanism for f in mechanism_findings(a, b))
        }
    )


def _renal(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    candidates = sorted(n for n, d in k.drugs.items() if d.renal or d.renal_criteria)
    name = _pick(rng, candidates)
    drug = k.drugs[name]
    while True:
        draft = _base(rng, min_age=30, max_age=92, n_conditions=(1, 3), window=demographics(name))
        draft.add_med(name)
        if drug.renal_criteria is not None:
            met = rng.random() < 0.5
            count = int(rng.integers(2, 4)) if met else int(rng.integers(0, 2))
            flags = rng.permutation([True] * count + [False] * (3 - count))
            draft.age = int(rng.integers(80, 95)) if flags[0] else int(rng.integers(50, 80))
            draft.weight = round(float(rng.uniform(42, 59)) if flags[1] else float(rng.uniform(62, 110)), 1)
            draft.creatinine = round(float(rng.uniform(1.55, 3.0)) if flags[2] else float(rng.uniform(0.6, 1.45)), 2)
            draft.clean(keep={name})
            return Case("renal_dosing", draft.freeze(pid), drug=name)
        bounds = [0.0, *(b.below for b in drug.renal), 160.0]
        region = int(rng.integers(len(bounds) - 1))
        lo, hi = max(bounds[region] + RENAL_MARGIN, 4.0), bounds[region + 1] - RENAL_MARGIN
        if lo < hi and _set_clearance(draft, float(rng.uniform(lo, hi))):
            crcl = crcl_value(draft.patient())
            if all(abs(crcl - t) >= RENAL_MARGIN for t in bounds[1:-1]):
                draft.clean(keep={name})
                return Case("renal_dosing", draft.freeze(pid), drug=name)


def _new_prescription(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    target = ("safe", "caution", "unsafe")[slot % 3]
    codes = sorted(k.conditions)
    while True:
        draft = _base(rng, min_age=18, max_age=90, n_conditions=(1, 3))
        condition = _pick(rng, [c for c in codes if _admits(c, draft)])
        choices = [d for d in k.conditions[condition].treatments if d not in draft.meds]
        if not choices:
            continue
        name = _pick(rng, choices)
        draft.clean()
        before = set(draft.meds)
        if target != "safe" and not _inject(rng, draft, name, target):
            continue
        if name in draft.meds:
            continue
        draft.clean(keep=set(draft.meds) - before)
        if not draft.coherent():
            continue
        check = check_prescription(draft.patient(), draft.drugs(), k.drugs[name])
        if check.decision == target:
            if condition not in draft.conditions:
                draft.conditions.append(condition)
            return Case("new_prescription", draft.freeze(pid), drug=name, condition=condition)


def _safe_alternative(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    codes = sorted(c for c, cond in k.conditions.items() if len(cond.treatments) >= 6)
    while True:
        female_young = rng.random() < 0.35
        draft = _base(
            rng,
            min_age=18 if female_young else 25,
            max_age=44 if female_young else 88,
            sex="female" if female_young else None,
            n_conditions=(0, 2),
        )
        condition = _pick(rng, [c for c in codes if _admits(c, draft)])
        treatments = [t for t in k.conditions[condition].treatments if t not in draft.meds]
        draft.clean()
        before = set(draft.meds)
        for name in rng.permutation(treatments)[:4]:
            _inject(rng, draft, str(name), "unsafe")
        draft.clean(keep=set(draft.meds) - before)
        if not draft.coherent():
            continue
        patient, current = draft.patient(), draft.drugs()
        checks = {
            t: check_prescription(patient, current, k.drugs[t]).decision
            for t in k.conditions[condition].treatments
            if t not in draft.meds
        }
        safe = sorted(t for t, d in checks.items() if d == "safe")
        unsafe = sorted(t for t, d in checks.items() if d == "unsafe")
        if safe and len(unsafe) >= 4:
            answer = _pick(rng, safe)
            picked = [str(u) for u in rng.permutation(unsafe)[:4]]
            options = [answer, *picked[1:]]
            order = list(range(1, len(options)))
            order.insert(slot % len(options), 0)
            if condition not in draft.conditions:
                draft.conditions.append(condition)
            return Case(
                "safe_alternative",
                draft.freeze(pid),
                drug=answer,
                condition=condition,
                planned=picked[0],
                options=tuple(options[i] for i in order),
            )


def _qt(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    draft = _base(rng, min_age=45, max_age=92, n_conditions=(1, 3))
    draft.setting = "inpatient"
    for condition, chance in (("acute_mi", 0.25), ("sepsis", 0.25), ("heart_failure", 0.3)):
        if rng.random() < chance and condition not in draft.conditions:
            if condition == "heart_failure":
                draft.add_med(_pick(rng, k.conditions[condition].treatments), condition)
            else:
                draft.conditions.append(condition)
    qt_drugs = sorted(
        n for n, d in k.drugs.items() if d.qt in ("known", "possible") and demographics(n).admits(draft.age, draft.sex)
    )
    for _ in range(int(rng.choice([0, 1, 1, 2, 2, 3]))):
        draft.add_med(_pick(rng, qt_drugs))
    if rng.random() < 0.35:
        draft.add_med(_pick(rng, ("furosemide", "bumetanide", "torsemide")))
    draft.potassium = round(float(rng.uniform(2.9, 3.5)) if rng.random() < 0.3 else float(rng.uniform(3.6, 5.2)), 1)
    draft.qtc = int(rng.integers(450, 511)) if rng.random() < 0.35 else int(rng.integers(400, 450))
    draft.clean()
    return Case("qt_risk", draft.freeze(pid))


def _anticholinergic(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    draft = _base(rng, min_age=65, max_age=95, n_conditions=(2, 4))
    pool = sorted(n for n, d in k.drugs.items() if d.acb >= 1 and demographics(n).admits(draft.age, draft.sex))
    weights = np.array([k.drugs[n].acb for n in pool], dtype=float)
    for name in rng.choice(pool, size=int(rng.integers(1, 5)), replace=False, p=weights / weights.sum()):
        draft.add_med(str(name))
    draft.clean()
    return Case("anticholinergic_burden", draft.freeze(pid))


PREGNANCY_OPTIONS = ("compatible", "caution", "avoid", "contraindicated")
LACTATION_OPTIONS = ("compatible", "caution", "avoid")


def _pregnancy(rng: np.random.Generator, pid: str, slot: int) -> Case:
    k = knowledge()
    draft = _base(rng, min_age=18, max_age=44, sex="female", n_conditions=(0, 2))
    turn = slot % (len(PREGNANCY_OPTIONS) + len(LACTATION_OPTIONS))
    if turn < len(PREGNANCY_OPTIONS):
        draft.pregnant, draft.gestation = True, int(rng.integers(5, 39))
        for drug, condition in list(draft.meds.items()):
            if condition == "contraception":
                draft.drop_med(drug)
        draft.conditions = [c for c in draft.conditions if c != "contraception"]
        category, attribute = PREGNANCY_OPTIONS[turn], "pregnancy"
    else:
        draft.lactating = True
        category, attribute = LACTATION_OPTIONS[turn - len(PREGNANCY_OPTIONS)], "lactation"
    draft.clean()
    pool = sorted(n for n, d in k.drugs.items() if getattr(d, attribute) == category and n not in draft.meds)
    return Case("pregnancy_lactation", draft.freeze(pid), drug=_pick(rng, pool))


def _prescribing_round(rng: np.random.Generator, pid: str, slot: int) -> Case:
    """Three drugs proposed for three conditions; one or two are made unsafe for the patient, none is
    contraindicated with another proposal (so the order of prescribing cannot change a decision)."""
    k = knowledge()
    while True:
        draft = _base(rng, min_age=25, max_age=88, n_conditions=(1, 3))
        draft.clean()
        before = set(draft.meds)
        codes = [c for c in sorted(k.conditions) if _admits(c, draft) and c not in draft.conditions]
        proposals: dict[str, str] = {}
        for code in rng.permutation(codes):
            choices = [d for d in k.conditions[str(code)].treatments if d not in draft.meds and d not in proposals]
            if choices:
                proposals[_pick(rng, choices)] = str(code)
            if len(proposals) == 3:
                break
        names = list(proposals)
        if len(names) < 3:
            continue
        for name in names[: int(rng.integers(1, 3))]:
            _inject(rng, draft, name, "unsafe")
        if any(name in draft.meds for name in names):
            continue
        draft.clean(keep=set(draft.meds) - before)
        if not draft.coherent():
            continue
        drugs = [k.drugs[n] for n in names]
        if any(assess_pair(a, b).severity == "contraindicated" for a, b in combinations(drugs, 2)):
            continue
        patient, current = draft.patient(), draft.drugs()
        allowed = [d.name for d in drugs if check_prescription(patient, current, d).decision != "unsafe"]
        if 1 <= len(allowed) < len(names):
            for code in proposals.values():
                if code not in draft.conditions:
                    draft.conditions.append(code)
            order = [names[i] for i in rng.permutation(len(names))]
            return Case(
                "prescribing_round",
                draft.freeze(pid),
                options=tuple(order),
                indications=tuple(proposals[n] for n in order),
            )


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


@lru_cache(maxsize=8192)
def build_case(split: Split, seed: int, index: int) -> Case:
    """The case of task ``index`` of ``(split, seed)``. Each builder also gets the task's ``slot``, the count of
    earlier tasks of its kind and tier (tiers alternate in blocks of ``len(KINDS)``), and cycles the labels a guess
    could exploit through it (the decision to screen, the pregnancy category, the letter of the safe option), so
    every label is equally common in each tier."""
    rng = case_rng(DOMAIN, split, seed, index)
    kind = KINDS[index % len(KINDS)]
    return _BUILDERS[kind](rng, patient_id(split, seed, index), index // (2 * len(KINDS)))


def patient_by_id(text: str) -> Patient | None:
    """The patient behind an id, or None for an id that no case can have."""
    parsed = parse_patient_id(text)
    return None if parsed is None else build_case(*parsed).patient
