"""The code systems and tables of the record: LOINC observations with UCUM units and reference intervals, ICD-10-CM
conditions (checked with ``simple-icd-10-cm``), RxNorm drugs with their labelled indications.

The tables are JSON files beside this module (``observations.json``, ``medications.json``), each row naming its
source; the population, the tools and the reference clinician all read them from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import simple_icd_10_cm as icd

HERE = Path(__file__).parent
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
MRN_SYSTEM = "urn:healthgym:mrn"


@dataclass(frozen=True)
class ObservationDef:
    """One LOINC observation the record holds, with its UCUM unit and adult reference interval."""

    loinc: str
    name: str
    display: str
    category: str
    unit: str
    decimals: int
    low: float | None
    high: float | None
    low_female: float | None
    high_female: float | None
    source: str

    def interval(self, sex: str) -> tuple[float | None, float | None]:
        """The reference interval for ``sex`` ('male' or 'female'); sex-specific where the source gives one."""
        if sex == "female" and self.low_female is not None:
            return self.low_female, self.high_female
        return self.low, self.high


@dataclass(frozen=True)
class Drug:
    name: str
    rxnorm: str
    dose: str
    indications: tuple[str, ...]
    """ICD-10-CM code prefixes of the drug's labelled indications."""
    source: str

    def treats(self, icd_code: str) -> bool:
        return any(icd_code.startswith(prefix) for prefix in self.indications)


@cache
def _json(name: str) -> dict:
    return json.loads((HERE / name).read_text())


def sources(table: str) -> dict[str, str]:
    """The source of each row key of ``table`` ('observations' or 'medications')."""
    return _json(f"{table}.json")["_sources"]


@cache
def observations() -> dict[str, ObservationDef]:
    """LOINC code -> observation definition."""
    cited = sources("observations")
    out = {}
    for row in _json("observations.json")["observations"]:
        row = {"low": None, "high": None, "low_female": None, "high_female": None, **row}
        row["source"] = cited[row["source"]]
        out[row["loinc"]] = ObservationDef(**row)
    return out


@cache
def drugs() -> dict[str, Drug]:
    """Drug name -> drug."""
    cited = sources("medications")
    return {
        d["name"]: Drug(d["name"], d["rxnorm"], d["dose"], tuple(d["indications"]), cited[d["source"]])
        for d in _json("medications.json")["drugs"]
    }


def drug_by_rxnorm(code: str) -> Drug | None:
    return next((d for d in drugs().values() if d.rxnorm == code), None)


@cache
def chronic_conditions() -> tuple[tuple[str, float, tuple[str, ...]], ...]:
    """(ICD-10-CM code, prevalence in the synthetic population, first-line drugs) per chronic problem."""
    return tuple((c["code"], c["prevalence"], tuple(c["drugs"])) for c in _json("medications.json")["conditions"])


def icd_description(code: str) -> str | None:
    """The ICD-10-CM description of ``code`` (dotted or not), or None when it is not a code."""
    code = str(code).strip().upper()
    return icd.get_description(code) if icd.is_valid_item(code) else None


def icd_is_billable(code: str) -> bool:
    """Whether ``code`` is a leaf (billable) ICD-10-CM code."""
    code = str(code).strip().upper()
    return icd.is_valid_item(code) and icd.is_leaf(code)
