"""The drug knowledge tables, loaded once from the JSON files beside this module and never changed.

``drugs.json``: one monograph row per drug (class, mechanism, CYP and transporter roles from the FDA drug-interaction
table, renal bands and hepatic adjustments from the label, pregnancy/lactation, CredibleMeds QT category, ACB score,
serotonergic, bleeding, potassium and CNS-depressant roles, Beers 2023 statements) with its sources.
``interactions.json``: curated interacting pairs with severity, mechanism, effect, management and source.
``rules.json``: the mechanism rules applied on top of the table; ``allergy.json``: allergy groups and cross-reactions;
``conditions.json``: conditions and the drugs that treat them; ``sources.json``: the full citation of each source key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).parent

Severity = Literal["contraindicated", "major", "moderate", "minor"]
SEVERITY_RANK: Mapping[str, int] = MappingProxyType(
    {"none": 0, "minor": 1, "moderate": 2, "major": 3, "contraindicated": 4}
)
"""Severity scale (Micromedex/Lexicomp convention): contraindicated = never co-prescribe; major = may be
life-threatening, avoid or adjust with close monitoring; moderate = may worsen the condition, monitor or adjust;
minor = limited clinical effect."""
DoseAction = Literal["no_change", "reduce_dose", "extend_interval", "avoid"]
PregnancyRisk = Literal["compatible", "caution", "avoid", "contraindicated"]
LactationRisk = Literal["compatible", "caution", "avoid"]
Strength = Literal["strong", "moderate", "weak"]
Sensitivity = Literal["sensitive", "moderate", "minor"]
QtRisk = Literal["known", "possible", "conditional", ""]
ChildPugh = Literal["A", "B", "C"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RenalBand(_Row):
    """One label dose band: applies when CrCl < ``below`` (``<=`` if ``inclusive``); bands are checked lowest first."""

    below: float
    inclusive: bool = False
    action: DoseAction
    dose: str


class RenalCriteria(_Row):
    """A label rule that counts patient criteria instead of using CrCl (apixaban in AF)."""

    min_count: int
    age_ge: float
    weight_le: float
    creatinine_ge: float
    action: DoseAction
    dose: str
    note: str


class Hepatic(_Row):
    """Label action per Child-Pugh class; classes not listed need no adjustment."""

    A: DoseAction = "no_change"
    B: DoseAction = "no_change"
    C: DoseAction = "no_change"
    note: str = ""


class Drug(_Row):
    """One monograph row."""

    name: str
    brands: tuple[str, ...]
    drug_class: str = Field(alias="class")
    group: str
    mechanism: str
    indications: tuple[str, ...]
    elimination: str
    typical_dose: str
    substrate: dict[str, Sensitivity] = Field(default_factory=dict)
    """Enzyme -> sensitivity of this drug as a substrate (FDA: sensitive >= 5-fold AUC rise with a strong inhibitor)."""
    inhibits: dict[str, Strength] = Field(default_factory=dict)
    induces: dict[str, Strength] = Field(default_factory=dict)
    prodrug: tuple[str, ...] = ()
    """Enzymes that form the active drug (inhibiting them lowers efficacy)."""
    transporter_substrate: tuple[str, ...] = ()
    transporter_inhibits: tuple[str, ...] = ()
    transporter_induces: tuple[str, ...] = ()
    nti: bool = False
    """Narrow therapeutic index: treated like a sensitive substrate by the CYP and transporter rules."""
    renal: tuple[RenalBand, ...] = ()
    renal_note: str = ""
    renal_criteria: RenalCriteria | None = None
    hepatic: Hepatic = Hepatic()
    pregnancy: PregnancyRisk
    pregnancy_note: str
    lactation: LactationRisk
    lactation_note: str
    qt: QtRisk = ""
    qt_combination: Literal["contraindicated", "avoid", ""] = ""
    """What the label says of combining this drug with other QT-prolonging drugs (GEODON and ORAP section 4:
    contraindicated; SEROQUEL section 5: avoid)."""
    serotonergic: Literal["maoi", "sri", "other", ""] = ""
    """``maoi`` MAO inhibitor; ``sri`` inhibits serotonin reuptake; ``other`` agonist, releaser or weak effect."""
    acb: int = Field(default=0, ge=0, le=3)
    bleeding: Literal["anticoagulant", "antiplatelet", "nsaid", "sri", ""] = ""
    potassium: Literal["raises_strong", "raises", "lowers", ""] = ""
    cns: Literal["opioid", "benzodiazepine", "z_drug", "gabapentinoid", "sedative", ""] = ""
    allergy_groups: tuple[str, ...] = ()
    beers: str = ""
    adverse: str
    monitoring: str
    label: str
    sources: tuple[str, ...]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Interaction(_Row):
    """A curated interacting pair."""

    drugs: tuple[str, str]
    severity: Severity
    mechanism: str
    effect: str
    management: str
    source: str


class MechanismRule(_Row):
    """A rule that detects interactions from drug properties; ``grid`` states the severity it assigns."""

    id: str
    mechanism: str
    title: str
    statement: str
    grid: str
    source: str


class CrossReaction(_Row):
    allergy: str
    group: str
    level: Literal["contraindicated", "caution", "none"]
    note: str
    source: str


class DrugAllergyRule(_Row):
    allergy: str
    drug: str
    level: Literal["contraindicated", "caution", "none"]
    note: str
    source: str


class Condition(_Row):
    name: str
    chronic: bool
    weight: float = 0.0
    min_age: int = 18
    max_age: int = 120
    sex: Literal["female", "male"] | None = None
    treatments: tuple[str, ...]


def normalize_name(text: str) -> str:
    """Lookup key of a drug name or brand: lower case, apostrophes and periods dropped, separators collapsed."""
    return re.sub(r"[\s_/\-+]+", " ", re.sub(r"['.]", "", text.lower())).strip()


def pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


@dataclass(frozen=True)
class Knowledge:
    """All tables, keyed for lookup; every mapping is read-only."""

    drugs: Mapping[str, Drug]
    lookup: Mapping[str, str]
    """Normalised name or brand -> drug name."""
    interactions: Mapping[frozenset[str], Interaction]
    rules: Mapping[str, MechanismRule]
    conditions: Mapping[str, Condition]
    allergy_groups: Mapping[str, str]
    recordable_allergies: tuple[str, ...]
    cross_reactions: tuple[CrossReaction, ...]
    drug_allergy_rules: tuple[DrugAllergyRule, ...]
    sources: Mapping[str, str]

    def cite(self, keys: str) -> str:
        """Full citation of ``'key; key'`` source references."""
        return " ".join(self.sources.get(k.strip(), k.strip()) for k in keys.split(";"))


def _load(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def knowledge() -> Knowledge:
    """The tables, parsed and cross-checked once per process."""
    drugs = {row["name"]: Drug.model_validate(row) for row in _load("drugs.json")}
    lookup: dict[str, str] = {}
    for drug in drugs.values():
        for alias in (drug.name, *drug.brands):
            lookup.setdefault(normalize_name(alias), drug.name)
    interactions: dict[frozenset[str], Interaction] = {}
    for row in _load("interactions.json"):
        item = Interaction.model_validate(row)
        unknown = [d for d in item.drugs if d not in drugs]
        if unknown or item.drugs[0] == item.drugs[1]:
            raise ValueError(f"interactions.json: bad pair {item.drugs} (unknown: {unknown})")
        key = pair_key(*item.drugs)
        if key in interactions:
            raise ValueError(f"interactions.json: duplicate pair {item.drugs}")
        interactions[key] = item
    rules = {row["id"]: MechanismRule.model_validate(row) for row in _load("rules.json")}
    conditions = {code: Condition.model_validate(row) for code, row in _load("conditions.json").items()}
    for code, condition in conditions.items():
        missing = [t for t in condition.treatments if t not in drugs]
        if missing:
            raise ValueError(f"conditions.json: {code} treats with unknown drugs {missing}")
    allergy = _load("allergy.json")
    return Knowledge(
        drugs=MappingProxyType(drugs),
        lookup=MappingProxyType(lookup),
        interactions=MappingProxyType(interactions),
        rules=MappingProxyType(rules),
        conditions=MappingProxyType(conditions),
        allergy_groups=MappingProxyType(allergy["groups"]),
        recordable_allergies=tuple(allergy["recordable"]),
        cross_reactions=tuple(CrossReaction.model_validate(r) for r in allergy["cross_reactions"]),
        drug_allergy_rules=tuple(DrugAllergyRule.model_validate(r) for r in allergy["drug_rules"]),
        sources=MappingProxyType(_load("sources.json")),
    )
