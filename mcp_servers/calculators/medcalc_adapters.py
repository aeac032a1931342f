"""How each MedCalc-Bench calculator's extracted entities map onto our calculators' inputs.

Entity keys are matched case- and punctuation-insensitively against both the reference implementations' parameter
names (``heart_rate``) and the dataset's display names (``Heart Rate or Pulse``). Values are bare, ``[value, unit]``,
or ``[value, unit, value, unit]`` (feet and inches, years and months); dates are ``MM/DD/YYYY``. Units are
converted with ``units.convert``.

Absent unless mentioned, applied here and nowhere in the calculators: for a criteria-based score whose source awards
points only for criteria that are present, an adapter states that source in ``Adapter.absent_rule``, and a yes/no
criterion or categorical finding the row does not mention is taken as absent (the benchmark's labels assume the same).
``Entities.defaulted`` records every criterion filled so. Adapters without a rule fill nothing, and measurements (vital
signs, labs, ages, doses) are never filled by any adapter: a row missing one is an input error.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from healthgym.mcp_servers.calculators.critical_care import mean_arterial_pressure
from healthgym.mcp_servers.calculators.result import CalculatorInputError
from healthgym.mcp_servers.calculators.units import convert

__all__ = ["BENCH_ADAPTERS", "BENCH_NAMES", "DISPLAY_NAMES", "Adapter", "Entities", "MissingEntity", "bench_key"]


class MissingEntity(CalculatorInputError):
    """A numeric input the calculator needs is not among the row's entities."""


def bench_key(name: str) -> str:
    """Entity keys and category labels compared case- and punctuation-insensitively (``FiO₂`` is ``fio2``)."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", name).lower())


DISPLAY_NAMES: dict[str, str] = {
    "Heart Rate or Pulse": "heart_rate",
    "Systolic Blood Pressure": "sys_bp",
    "Diastolic Blood Pressure": "dia_bp",
    "White blood cell count": "wbc",
    "Glasgow Coma Score": "gcs",
    "Blood Urea Nitrogen (BUN)": "bun",
    "Last menstrual date": "menstrual_date",
    "international normalized ratio": "inr",
    "Congestive Heart Failure": "chf",
    "Thromboembolism history": "thromboembolism",
    "Vascular disease history": "vascular_disease",
    "Diabetes history": "diabetes",
    "Hypertension history": "hypertension",
    "Transient Ischemic Attacks History": "tia",
    "Previously Documented Pulmonary Embolism": "previous_pe",
    "Previously documented Deep Vein Thrombosis": "previous_dvt",
    "Immobilization for at least 3 days": "immobilization_for_3days",
    "Malignancy with treatment within 6 months or palliative": "malignancy_with_treatment",
    "Pulmonary Embolism is #1 diagnosis OR equally likely": "pe_number_one",
    "Surgery in the previous 4 weeks": "surgery_in_past4weeks",
    "Clinical signs and symptoms of Deep Vein Thrombosis": "clinical_dvt",
    "Alternative diagnosis to Deep Vein Thrombosis as likely or more likely": "alternative_to_dvt_diagnosis",
    "Localized tenderness along the deep venous system": "localized_tenderness_on_deep_venuous_system",
    "Paralysis, paresis, or recent plaster immobilization of the lower extremity": (
        "paralysis_paresis_immobilization_in_lower_extreme"
    ),
    "Entire Leg Swollen": "leg_swollen",
    "Bedridden recently >3 days": "bedridden_for_atleast_3_days",
    "Major surgery within 12 weeks": "major_surgery_in_last_12_weeks",
    "Calf swelling >3 centimeters compared to the other leg": "calf_swelling_3cm",
    "Collateral (nonvaricose) superficial veins present": "collateral_superficial_veins",
    "Pitting edema, confined to symptomatic leg": "pitting_edema_on_symptomatic_leg",
    "Congestive Heart Failure criteria for the Cardiac Risk Index rule": "congestive_heart_failure",
    "History of ischemic heart disease": "ischemetic_heart_disease",
    "Pre-operative treatment with insulin": "pre_operative_insulin_treatment",
    "History of cerebrovascular disease": "cerebrovascular_disease",
    "Electrocardiogram Test": "electrocardiogram",
    "parent or sibling with Cardiovascular disease before age 65": "family_with_cvd",
    "Suspicion History": "history",
    "Alanine aminotransferase": "alt",
    "Aspartate aminotransferase": "ast",
    "Tender/swollen anterior cervical lymph nodes": "tender_lymph_nodes",
    "Exudate or swelling on tonsils": "exudate_swelling_tonsils",
    "Continuous veno-venous hemodialysis for \u226524 hours in the past week": "cvvhd",
    "Dialysis at least twice in the past week": "dialysis_twice",
    "Liver disease criteria for the HAS-BLED rule": "liver_disease_has_bled",
    "Renal disease criteria for the HAS-BLED rule": "renal_disease_has_bled",
    "Number of Alcoholic Drinks Per Week": "alcoholic_drinks",
    "Medication usage predisposing to bleeding": "medications_for_bleeding",
    "Prior major bleeding or predisposition to bleeding": "prior_bleeding",
    "Labile international normalized ratio": "labile_inr",
    "Cardiac Failure Present": "cardiac_failure",
    "Recent Syncope": "syncope",
    "History of severe organ failure or immunocompromise": "severe_organ_failure_or_immunocompromise",
    "Renal disease history": "renal_disease",
    "Cerebrovascular disease history": "cerebrovascular_disease",
    "Liver disease history": "liver_disease",
    "Partial pressure of oxygen": "partial_pressure_oxygen",
    "Partial pressure of oxygen (PaO\u2082) for Apache II": "pao2",
    "Pleural effusion on x-ray": "pleural_effusion",
    "Myocardial infarction": "mi",
    "Cerebrovascular Accident": "cva",
    "Chronic Pulmonary Disease": "copd",
    "Liver disease severity": "liver_disease",
    "Moderate to severe Chronic Kidney Disease": "moderate_to_severe_ckd",
    "Symptom onset <=3 days": "symptom_onset",
    "Fever in past 24 hours": "fever_24_hours",
    "Absence of cough or coryza": "cough_coryza_absent",
    "Major Surgery in the last month": "major_surgery",
    "Congestive Heart Failure in the last month": "chf",
    "Sepsis in the last month": "sepsis",
    "Pneumonia in the last month": "pneumonia",
    "Immobilizing plaster cast in the last month": "immobilizing_plaster_case",
    "Hip, pelvis, or leg fracture in the last month": "hip_pelvis_leg_fracture",
    "Stroke in the last month": "stroke",
    "Multiple trauma in the last month": "multiple_trauma",
    "Acute spinal cord injury causing paralysis in the last month": "acute_spinal_chord_injury",
    "Current central venous access": "current_central_venuous",
    "Family history of thrombosis": "family_history_thrombosis",
    "Positive Factor V Leiden": "positive_factor_v",
    "Positive prothrombin 20210A": "positive_prothrombin",
    "Elevated serum homocysteine": "serum_homocysteine",
    "Other congenital or acquired thrombophilia": "congenital_acquired_thrombophilia",
    "History of inflammatory bowel disease": "inflammatory_bowel_disease",
    "Body Mass Index (BMI)": "bmi",
    "Chronic Obstructive Pulmonary Disease": "copd",
    "Present or previous malignancy": "malignancy",
    "On mechanical ventilation": "mechanical_ventilation",
    "Continuous positive airway pressure": "cpap",
    "high-density lipoprotein cholesterol": "hdl_cholesterol",
    "Blood pressure being treated with medicines": "bp_medicine",
    "O\u2082 saturation percentage": "oxygen_sat",
    "Hormone use": "hormonal_use",
    # spellings found in the v1.0 test file, absent from name_to_python.json
    "Congestive Heart Faliure": "chf",
    "Continous positive airway pressure": "cpap",
    "Diabetes mellitus criteria for CCI rule": "diabetes_mellitus",
    "Bedridden recently >3 days or major surgery within 12 weeks": "bedridden_or_major_surgery",
}
"""The dataset's display names for entities whose reference parameter name differs (from MedCalc-Bench's
``name_to_python.json``); a display name shared by two calculators maps to one name both adapters accept."""
_DISPLAY = {bench_key(display): name for display, name in DISPLAY_NAMES.items()}


def _reference_name(name: str) -> str:
    """A display name's reference parameter name; snake_case names are already reference names."""
    return name if re.fullmatch(r"[a-z0-9_]+", name) else _DISPLAY.get(bench_key(name), name)


@dataclass
class Entities:
    """One row's extracted inputs, with lookups that convert to the unit a calculator asks for."""

    raw: dict[str, Any]
    absent_if_unmentioned: bool = False
    """Whether unmentioned criteria may be taken as absent (the adapter states a source for it)."""
    defaulted: list[str] = field(default_factory=list)
    """Criteria absent from the row and set to 'absent' by the adapter's rule."""

    def __post_init__(self) -> None:
        self._by_key = {bench_key(_reference_name(name)): value for name, value in self.raw.items()}
        self._read: set[str] = set()

    def get(self, *names: str) -> Any:
        for name in names:
            self._read.add(bench_key(name))
            if bench_key(name) in self._by_key:
                return self._by_key[bench_key(name)]
        return None

    def has(self, *names: str) -> bool:
        return self.get(*names) is not None

    def unread(self) -> list[str]:
        """Entity keys of the row that no lookup asked for (a misspelling, or an input the score does not use)."""
        return [name for name in self.raw if bench_key(_reference_name(name)) not in self._read]

    def number(self, *names: str, unit: str | None = None, analyte: str | None = None) -> float:
        """The first present entity among ``names``, converted to ``unit``; missing is an input error."""
        value = self.optional(*names, unit=unit, analyte=analyte)
        if value is None:
            raise MissingEntity(f"missing required entity {names[0]!r}")
        return value

    def optional(self, *names: str, unit: str | None = None, analyte: str | None = None) -> float | None:
        value = self.get(*names)
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            return float(value)
        number, given_unit = float(value[0]), str(value[1]) if len(value) > 1 else ""
        if unit is None or not given_unit:
            return number
        return convert(number, _bench_unit(given_unit), unit, analyte)

    def flag(self, *names: str, present: tuple[str, ...] = ()) -> bool:
        """A yes/no criterion; unmentioned means absent under the adapter's rule (recorded in ``defaulted``).

        ``present`` lists further words that mean 'yes' for this criterion (a severity such as 'severe').
        """
        value = self.get(*names)
        if value is None or bench_key(str(value)) in _UNMENTIONED:
            return self._absent(names[0], False)
        if not isinstance(value, str):
            return bool(value)
        word = bench_key(value)
        if word in _YES or word in {bench_key(p) for p in present}:
            return True
        if word in _NO:
            return False
        raise CalculatorInputError(f"entity {names[0]!r}={value!r} is not yes/no ({sorted(_YES | _NO)})")

    def amount(self, *names: str, unit: str | None = None) -> float:
        """A treatment's dose (e.g. a vasopressor); unmentioned means not given (0) under the adapter's rule."""
        value = self.optional(*names, unit=unit)
        return self._absent(names[0], 0.0) if value is None else value

    def category(self, name: str, mapping: dict[str, str], absent: str) -> str:
        """A categorical finding mapped to our label; unmentioned means the normal category ``absent``."""
        value = self.get(name)
        if value is None:
            return self._absent(name, absent)
        return self.choice(name, mapping)

    def choice(self, name: str, mapping: dict[str, Any]) -> Any:
        """A categorical input that must be present (a test result band, a clinical judgement)."""
        value = self.get(name)
        if value is None:
            raise MissingEntity(f"missing required entity {name!r}")
        label = mapping.get(bench_key(str(value)))
        if label is None:
            raise CalculatorInputError(f"entity {name!r}={value!r} is not one of {sorted(mapping)}")
        return label

    def _absent(self, name: str, value: Any) -> Any:
        if not self.absent_if_unmentioned:
            raise MissingEntity(f"missing required entity {name!r} (this score has no absent-unless-mentioned rule)")
        self.defaulted.append(name)
        return value

    def age_years(self) -> float:
        value = self.get("age")
        if value is None:
            raise MissingEntity("missing required entity 'age'")
        per_year = {
            "year": 1,
            "years": 1,
            "month": 12,
            "months": 12,
            "week": 52.1775,
            "weeks": 52.1775,
            "day": 365.25,
            "days": 365.25,
        }
        pairs = zip(value[::2], value[1::2], strict=True) if isinstance(value, list | tuple) else [(value, "years")]
        return sum(float(amount) / per_year[str(unit).lower()] for amount, unit in pairs)

    def height_cm(self) -> float:
        value = self.get("height")
        if value is None:
            raise MissingEntity("missing required entity 'height'")
        pairs = zip(value[::2], value[1::2], strict=True)
        return sum(convert(float(amount), _bench_unit(str(unit)), "cm") for amount, unit in pairs)

    def weight_kg(self) -> float:
        return self.number("weight", unit="kg")

    def temperature_c(self) -> float:
        return self.number("temperature", unit="C")

    def date(self, *names: str) -> dt.date:
        value = self.get(*names)
        if value is None:
            raise MissingEntity(f"missing required entity {names[0]!r}")
        return dt.datetime.strptime(str(value), "%m/%d/%Y").date()

    def sex(self) -> str:
        value = self.get("sex")
        if value is None:
            raise MissingEntity("missing required entity 'sex'")
        return "female" if str(value).lower().startswith("f") else "male"


_YES = {"true", "yes", "present", "1"}
_NO = {"false", "no", "absent", "0", "none"}
_UNMENTIONED = {"notmentioned", "notmentinoed"}
"""'Not mentioned' as the v1.0 file spells it (APACHE II rows: 'Not mentinoed')."""


def _bench_unit(unit: str) -> str:
    """Benchmark spellings to ones ``units.convert`` knows (including its typos, e.g. 'degrees celsisus'); a bare
    volume on a count means 'per volume'. The v1.0 file writes 'm^3' for white counts the notes give per mm3
    (e.g. rows 589 and 590: '9400/mm3', '6370/mm3'); a count per cubic metre is never meant."""
    text = unit.strip()
    lowered = text.lower()
    if lowered == "m^3":
        return "count/mm^3"
    if "cels" in lowered or "fahr" in lowered:
        return "C" if "cels" in lowered else "F"
    if lowered in {"mm hg", "mm", "hg"}:
        return "mmHg"
    if lowered in {"beats per minute", "breaths per minute"}:
        return ""
    if lowered in {"l", "dl", "ml", "µl", "μl", "ul", "mm^3", "mm3", "cm^3", "m^3"}:
        return f"count/{text}"
    return "ms" if lowered == "msec" else text


Build = Callable[[Entities], dict[str, Any]]


@dataclass(frozen=True)
class Adapter:
    """How one MedCalc-Bench calculator maps onto ours."""

    calculator: str
    """Our registry name."""
    build: Build
    """Entities -> keyword arguments."""
    answer: str = "number"
    """'number', 'date' (days after the LMP, answered as MM/DD/YYYY) or 'weeks_days' (gestational age)."""
    absent_rule: str = ""
    """The score's source for taking an unmentioned criterion as absent; empty: nothing is filled in."""

    def entities(self, raw: dict[str, Any]) -> Entities:
        """A row's entities, with unmentioned criteria absent only when this adapter states a rule for it."""
        return Entities(raw, absent_if_unmentioned=bool(self.absent_rule))


def _albumin(e: Entities) -> float:
    return e.number("albumin", unit="g/dL", analyte="albumin")


def _electrolytes(e: Entities) -> dict[str, Any]:
    return {
        "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
        "chloride_mmol_l": e.number("chloride", unit="mmol/L", analyte="chloride"),
        "bicarbonate_mmol_l": e.number("bicarbonate", unit="mmol/L", analyte="bicarbonate"),
    }


def _creatinine(e: Entities, *names: str) -> float:
    return e.number(*(names or ("creatinine",)), unit="mg/dL", analyte="creatinine")


def _bun(e: Entities) -> float:
    return e.number("bun", unit="mg/dL", analyte="bun")


def _map(e: Entities) -> float:
    given = e.optional("mean_arterial_pressure", unit="mmHg")
    if given is not None:
        return given
    systolic = e.number("sys_bp", unit="mmHg")
    diastolic = e.number("dia_bp", unit="mmHg")
    return mean_arterial_pressure(systolic_bp_mm_hg=systolic, diastolic_bp_mm_hg=diastolic).value


def _fio2(e: Entities) -> float:
    value = e.number("fio2")
    return value / 100 if value > 1 else value


def _qt(e: Entities) -> dict[str, Any]:
    return {
        "qt_interval_ms": e.number("qt_interval", unit="ms"),
        "heart_rate_bpm": e.number("heart_rate"),
    }


def _wbc(e: Entities) -> float:
    return e.number("wbc", unit="10^9/L")


_HEART_HISTORY = {
    "slightlysuspicious": "slightly_suspicious",
    "moderatelysuspicious": "moderately_suspicious",
    "highlysuspicious": "highly_suspicious",
}
_HEART_ECG = {
    "normal": "normal",
    "nonspecificrepolarizationdisturbance": "nonspecific_repolarization",
    "significantstdeviation": "significant_st_deviation",
}
_HEART_TROPONIN_TIMES_ULN = {
    "lessthanorequaltonormallimit": 1.0,
    "betweenthenormallimitoruptothreetimesthenormallimit": 2.0,
    "greaterthanthreetimesnormallimit": 4.0,
}
"""The benchmark gives troponin as a band; a multiple inside each band scores identically."""
_GCS_EYE = {"eyesopenspontaneously": 4, "eyeopeningtoverbalcommand": 3, "eyeopeningtopain": 2, "noeyeopening": 1}
_GCS_VERBAL = {
    "oriented": 5,
    "confused": 4,
    "inappropriatewords": 3,
    "incomprehensiblesounds": 2,
    "noverbalresponse": 1,
}
_GCS_MOTOR = {
    "obeyscommands": 6,
    "localizespain": 5,
    "withdrawalfrompain": 4,
    "flexiontopain": 3,
    "extensiontopain": 2,
    "nomotorresponse": 1,
}
_CHARLSON_LIVER = {
    "none": "none",
    "mild": "mild",
    "moderatetosevere": "moderate_to_severe",
    "moderate": "moderate_to_severe",
    "severe": "moderate_to_severe",
}
"""Charlson 1987 has one 3-point class, 'moderate or severe liver disease'; the v1.0 file also writes either word."""
_CHARLSON_TUMOR = {
    "none": "none",
    "false": "none",
    "localized": "localized",
    "true": "localized",
    "metastatic": "metastatic",
}
"""The v1.0 file also gives a solid tumour as yes/no: Charlson 1987 scores 'any tumor' 2, metastatic 6, so a tumour
not said to be metastatic is the 2-point class."""
_STEROIDS = (
    "betamethasone",
    "cortisone",
    "dexamethasone",
    "hydrocortisone",
    "methylprednisolone",
    "prednisolone",
    "prednisone",
    "triamcinolone",
)
_MME_DRUGS = {
    "codeine": "codeine_mg_day",
    "fentanylbuccal": "fentanyl_buccal_mcg_day",
    "fentanylpatch": "fentanyl_patch_mcg_hr",
    "hydrocodone": "hydrocodone_mg_day",
    "hydromorphone": "hydromorphone_mg_day",
    "methadone": "methadone_mg_day",
    "morphine": "morphine_mg_day",
    "oxycodone": "oxycodone_mg_day",
    "oxymorphone": "oxymorphone_mg_day",
    "tapentadol": "tapentadol_mg_day",
    "tramadol": "tramadol_mg_day",
}


_PATCH_UNITS = {"µg", "mcg", "ug"}
"""A fentanyl patch strength is a rate in micrograms per hour; the benchmark gives it as the microgram amount."""


def _gcs_part(e: Entities, name: str, scale: dict[str, int]) -> int:
    value = e.get(name)
    if value is None:
        raise MissingEntity(f"missing required entity {name!r}")
    if bench_key(str(value)) not in scale:
        raise CalculatorInputError(f"{name}={value!r} cannot be scored (GCS components must be observed)")
    return scale[bench_key(str(value))]


def _steroid(name: str) -> str:
    lowered = name.lower()
    for steroid in sorted(_STEROIDS, key=len, reverse=True):
        if steroid in lowered:
            return steroid
    raise CalculatorInputError(f"unknown corticosteroid {name!r}; known: {list(_STEROIDS)}")


def _steroid_conversion(e: Entities) -> dict[str, Any]:
    drug, amount, unit = e.get("input steroid")
    return {
        "from_steroid": _steroid(drug),
        "dose_mg": convert(float(amount), unit, "mg"),
        "to_steroid": _steroid(str(e.get("target steroid"))),
    }


def _mme(e: Entities) -> dict[str, Any]:
    daily: dict[str, float] = {}
    for name in e.raw:
        if not name.endswith(" Dose"):
            continue
        value = e.get(name)
        drug = bench_key(name.removesuffix(" Dose"))
        if drug not in _MME_DRUGS:
            raise CalculatorInputError(f"no MME conversion factor for {name.removesuffix(' Dose')!r} (CDC 2022)")
        argument = _MME_DRUGS[drug]
        if argument == "fentanyl_patch_mcg_hr" and str(value[1]).strip().lower() not in _PATCH_UNITS:
            raise CalculatorInputError(
                f"fentanyl patch dose {value[0]} {value[1]!r}: a patch strength is micrograms per hour, not a mass in"
                f" {value[1]!r} (CDC 2022: 2.4 MME per mcg/h); allowed units: {sorted(_PATCH_UNITS)}"
            )
        target = "ug" if "mcg" in argument else "mg"
        per_dose = convert(float(value[0]), str(value[1]), target)
        doses = float(e.number(f"{name} Per Day"))
        daily[argument] = daily.get(argument, 0.0) + per_dose * doses
    return daily


def _bedridden_or_major_surgery(e: Entities) -> bool:
    """Wells DVT's one criterion, which v1.0 rows give as one key, as two, or as both."""
    given = [name for name in _BEDRIDDEN_OR_SURGERY if e.has(name)]
    return any([e.flag(name) for name in given]) if given else e.flag(_BEDRIDDEN_OR_SURGERY[0])


_BEDRIDDEN_OR_SURGERY = ("bedridden_or_major_surgery", "bedridden_for_atleast_3_days", "major_surgery_in_last_12_weeks")


def _caprini(e: Entities) -> dict[str, Any]:
    surgery = e.category(
        "surgery_type",
        {
            "none": "none",
            "minor": "minor",
            "major": "major_over_45_min",
            "laparoscopic": "laparoscopic_over_45_min",
            "arthroscopic": "arthroscopic",
            "electivemajorlowerextremityarthroplasty": "elective_major_lower_extremity_arthroplasty",
        },
        "none",
    )
    mobility = e.category(
        "mobility",
        {
            "normal": "ambulatory",
            "onbedrest": "medical_patient_at_bed_rest",
            "confinedtobed72hours": "confined_to_bed_over_72_hours",
        },
        "ambulatory",
    )
    return {
        "age_years": e.age_years(),
        "sex": e.sex(),
        "surgery": surgery,
        "mobility": mobility,
        "bmi_kg_m2": e.number("bmi"),
        "prior_major_surgery_within_month": e.flag("major_surgery"),
        "varicose_veins": e.flag("varicose_veins"),
        "inflammatory_bowel_disease": e.flag("inflammatory_bowel_disease"),
        "swollen_legs": e.flag("current_swollen_legs"),
        "acute_myocardial_infarction": e.flag("acute_myocardial_infarction"),
        "heart_failure_within_month": e.flag("chf"),
        "sepsis_within_month": e.flag("sepsis"),
        "serious_lung_disease_within_month": e.flag("pneumonia"),
        "copd": e.flag("copd"),
        "other_risk_factor": False,
        "malignancy": e.flag("malignancy"),
        "plaster_cast_within_month": e.flag("immobilizing_plaster_case", "immobilizing_plaster_cast"),
        "central_venous_access": e.flag("current_central_venuous", "current_central_venous"),
        "history_of_vte": e.flag("previous_dvt") | e.flag("previous_pe"),
        "family_history_thrombosis": e.flag("family_history_thrombosis"),
        "factor_v_leiden": e.flag("positive_factor_v"),
        "prothrombin_20210a": e.flag("positive_prothrombin"),
        "elevated_homocysteine": e.flag("serum_homocysteine"),
        "lupus_anticoagulant": e.flag("positive_lupus_anticoagulant"),
        "anticardiolipin_antibodies": e.flag("elevated_anticardiolipin_antibody"),
        "heparin_induced_thrombocytopenia": e.flag("heparin_induced_thrombocytopenia"),
        "other_thrombophilia": e.flag("congenital_acquired_thrombophilia"),
        "hip_pelvis_leg_fracture_within_month": e.flag("hip_pelvis_leg_fracture"),
        "stroke_within_month": e.flag("stroke"),
        "multiple_trauma_within_month": e.flag("multiple_trauma", "multiple trauma"),
        "spinal_cord_injury_paralysis_within_month": e.flag("acute_spinal_chord_injury"),
    }


def _apache(e: Entities) -> dict[str, Any]:
    admission = e.category(
        "surgery_type",
        {
            "nonoperative": "nonoperative",
            "nonelective": "nonoperative",
            "emergency": "emergency_postoperative",
            "elective": "elective_postoperative",
        },
        "nonoperative",
    )
    return {
        "age_years": e.age_years(),
        "temperature_c": e.temperature_c(),
        "mean_arterial_pressure_mm_hg": _map(e),
        "heart_rate_bpm": e.number("heart_rate"),
        "respiratory_rate_per_min": e.number("respiratory_rate"),
        "fio2_fraction": _fio2(e),
        "arterial_ph": e.number("pH"),
        "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
        "potassium_mmol_l": e.number("potassium", unit="mmol/L", analyte="potassium"),
        "creatinine_mg_dl": _creatinine(e),
        "acute_renal_failure": e.flag("acute_renal_failure"),
        "hematocrit_percent": e.number("hematocrit", "hemocratit"),
        "wbc_10e9_l": _wbc(e),
        "gcs_total": int(e.number("gcs")),
        "severe_organ_insufficiency_or_immunocompromised": e.flag(
            "severe_organ_failure_or_immunocompromise", "organ_failure_immunocompromise"
        ),
        "admission": admission,
        "pao2_mm_hg": e.optional("pao2", "partial_pressure_oxygen", unit="mmHg"),
        "a_a_gradient_mm_hg": e.optional("a_a_gradient"),
    }


def _sofa(e: Entities) -> dict[str, Any]:
    pressors = {
        f"{drug}_mcg_kg_min": e.amount(*names)
        for drug, names in {
            "dopamine": ("dopamine",),
            "dobutamine": ("dobutamine", "doboutamine"),
            "epinephrine": ("epinephrine",),
            "norepinephrine": ("norepinephrine",),
        }.items()
    }
    return {
        "pao2_mm_hg": e.number("pao2", "partial_pressure_oxygen", unit="mmHg"),
        "fio2_fraction": _fio2(e),
        "respiratory_support": e.flag("mechanical_ventilation") | e.flag("cpap"),
        "platelets_10e9_l": e.number("platelet_count", unit="10^9/L"),
        "bilirubin_mg_dl": e.number("bilirubin", unit="mg/dL", analyte="bilirubin"),
        "mean_arterial_pressure_mm_hg": _map(e),
        "gcs_total": int(e.number("gcs")),
        "creatinine_mg_dl": _creatinine(e),
        "urine_output_ml_day": e.optional("urine_output"),
        **pressors,
    }


def _psi(e: Entities) -> dict[str, Any]:
    oxygen = e.get("partial_pressure_oxygen", "pao2")
    pao2 = None if oxygen is None else convert(float(oxygen[0]), _bench_unit(str(oxygen[1])), "mmHg")
    return {
        "age_years": e.age_years(),
        "sex": e.sex(),
        "nursing_home_resident": e.flag("nursing_home_resident"),
        "neoplastic_disease": e.flag("neoplastic_disease"),
        "liver_disease": e.flag("liver_disease"),
        "heart_failure": e.flag("chf"),
        "cerebrovascular_disease": e.flag("cerebrovascular_disease"),
        "renal_disease": e.flag("renal_disease"),
        "altered_mental_status": e.flag("altered_mental_status"),
        "respiratory_rate_per_min": e.number("respiratory_rate"),
        "systolic_bp_mm_hg": e.number("sys_bp", unit="mmHg"),
        "temperature_c": e.temperature_c(),
        "heart_rate_bpm": e.number("heart_rate"),
        "pleural_effusion": e.flag("pleural_effusion"),
        "arterial_ph": e.optional("pH"),
        "bun_mg_dl": e.optional("bun", unit="mg/dL", analyte="bun"),
        "sodium_mmol_l": e.optional("sodium", unit="mmol/L", analyte="sodium"),
        "glucose_mg_dl": e.optional("glucose", unit="mg/dL", analyte="glucose"),
        "hematocrit_percent": e.optional("hematocrit", "hemocratit"),
        "pao2_mm_hg": pao2,
    }


BENCH_ADAPTERS: dict[int, Adapter] = {
    2: Adapter(
        "cockcroft_gault",
        lambda e: {
            "age_years": e.age_years(),
            "weight_kg": e.weight_kg(),
            "creatinine_mg_dl": _creatinine(e),
            "sex": e.sex(),
            "weight_basis": "bmi_adjusted",
            "height_cm": e.height_cm(),
        },
    ),
    3: Adapter(
        "ckd_epi_2021", lambda e: {"age_years": e.age_years(), "creatinine_mg_dl": _creatinine(e), "sex": e.sex()}
    ),
    4: Adapter(
        "cha2ds2_vasc",
        lambda e: {
            "age_years": e.age_years(),
            "sex": e.sex(),
            "heart_failure": e.flag("chf"),
            "hypertension": e.flag("hypertension"),
            "stroke_tia_thromboembolism": e.flag("stroke") | e.flag("tia") | e.flag("thromboembolism"),
            "vascular_disease": e.flag("vascular_disease"),
            "diabetes": e.flag("diabetes"),
        },
        absent_rule="Lip 2010: a risk factor scores only when present in the history",
    ),
    5: Adapter(
        "mean_arterial_pressure",
        lambda e: {
            "systolic_bp_mm_hg": e.number("sys_bp", unit="mmHg"),
            "diastolic_bp_mm_hg": e.number("dia_bp", unit="mmHg"),
        },
    ),
    6: Adapter("bmi", lambda e: {"weight_kg": e.weight_kg(), "height_cm": e.height_cm()}),
    7: Adapter(
        "calcium_correction",
        lambda e: {"calcium_mg_dl": e.number("calcium", unit="mg/dL", analyte="calcium"), "albumin_g_dl": _albumin(e)},
    ),
    8: Adapter(
        "wells_pe",
        lambda e: {
            "clinical_signs_dvt": e.flag("clinical_dvt"),
            "pe_most_likely": e.flag("pe_number_one"),
            "heart_rate_bpm": e.number("heart_rate"),
            "immobilization_or_recent_surgery": e.flag("immobilization_for_3days") | e.flag("surgery_in_past4weeks"),
            "previous_pe_or_dvt": e.flag("previous_pe") | e.flag("previous_dvt"),
            "hemoptysis": e.flag("hemoptysis"),
            "malignancy": e.flag("malignancy_with_treatment"),
        },
        absent_rule="Wells 2000: a clinical feature scores only when present",
    ),
    9: Adapter(
        "mdrd_egfr",
        lambda e: {
            "age_years": e.age_years(),
            "creatinine_mg_dl": _creatinine(e),
            "sex": e.sex(),
            "black_race": str(e.get("race") or "").lower() == "black",
        },
    ),
    10: Adapter("ideal_body_weight", lambda e: {"height_cm": e.height_cm(), "sex": e.sex()}),
    11: Adapter("qtc_bazett", _qt),
    13: Adapter(
        "estimated_due_date",
        lambda e: {
            "lmp_date": e.date("menstrual_date"),
            "cycle_length_days": int(e.number("cycle_length")),
        },
        answer="date",
    ),
    15: Adapter(
        "child_pugh",
        lambda e: {
            "bilirubin_mg_dl": e.number("bilirubin", unit="mg/dL", analyte="bilirubin"),
            "albumin_g_dl": _albumin(e),
            "inr": e.number("inr"),
            "ascites": e.category("ascites", {"absent": "none", "slight": "slight", "moderate": "moderate"}, "none"),
            "encephalopathy": e.category(
                "encephalopathy",
                {"noencephalopathy": "none", "grade0": "none", "grade12": "grade_1_2", "grade34": "grade_3_4"},
                "none",
            ),
        },
        absent_rule="Pugh 1973: ascites and encephalopathy are graded 'none' unless found",
    ),
    16: Adapter(
        "wells_dvt",
        lambda e: {
            "active_cancer": e.flag("active_cancer"),
            "paralysis_or_cast": e.flag("paralysis_paresis_immobilization_in_lower_extreme"),
            "bedridden_or_major_surgery": _bedridden_or_major_surgery(e),
            "localized_tenderness": e.flag("localized_tenderness_on_deep_venuous_system"),
            "entire_leg_swollen": e.flag("leg_swollen"),
            "calf_swelling_over_3cm": e.flag("calf_swelling_3cm"),
            "pitting_edema": e.flag("pitting_edema_on_symptomatic_leg"),
            "collateral_superficial_veins": e.flag("collateral_superficial_veins"),
            "previous_dvt": e.flag("previous_dvt", "previous_dvt_documented"),
            "alternative_diagnosis_as_likely": e.flag("alternative_to_dvt_diagnosis"),
        },
        absent_rule="Wells 1997/2003: a clinical feature scores only when present",
    ),
    17: Adapter(
        "revised_cardiac_risk_index",
        lambda e: {
            "high_risk_surgery": e.flag("elevated_risk_surgery"),
            "ischemic_heart_disease": e.flag("ischemetic_heart_disease"),
            "heart_failure": e.flag("congestive_heart_failure"),
            "cerebrovascular_disease": e.flag("cerebrovascular_disease"),
            "insulin_treatment": e.flag("pre_operative_insulin_treatment"),
            "creatinine_mg_dl": _creatinine(e, "pre_operative_creatinine"),
        },
        absent_rule="Lee 1999: a risk factor scores only when present in the history",
    ),
    18: Adapter(
        "heart_score",
        lambda e: {
            "history": e.choice("history", _HEART_HISTORY),
            "ecg": e.choice("electrocardiogram", _HEART_ECG),
            "age_years": e.age_years(),
            "hypertension": e.flag("hypertension"),
            "hypercholesterolemia": e.flag("hypercholesterolemia"),
            "diabetes": e.flag("diabetes_mellitus"),
            "smoker": e.flag("smoking"),
            "family_history": e.flag("family_with_cvd"),
            "obesity": e.flag("obesity"),
            "atherosclerotic_disease": e.flag("atherosclerotic_disease") | e.flag("tia"),  # Backus 2013: CVA/TIA
            "troponin_times_uln": e.choice("initial_troponin", _HEART_TROPONIN_TIMES_ULN),
        },
        absent_rule="Six 2008: a risk factor scores only when present in the history",
    ),
    19: Adapter(
        "fib4",
        lambda e: {
            "age_years": e.age_years(),
            "ast_u_l": e.number("ast"),
            "alt_u_l": e.number("alt"),
            "platelets_10e9_l": e.number("platelet_count", unit="10^9/L"),
        },
    ),
    20: Adapter(
        "centor_mcisaac",
        lambda e: {
            "age_years": e.age_years(),
            "temperature_c": e.temperature_c(),
            "cough_absent": e.flag("cough_absent"),
            "tender_anterior_cervical_nodes": e.flag("tender_lymph_nodes"),
            "tonsillar_exudate_or_swelling": e.flag("exudate_swelling_tonsils"),
        },
        absent_rule="McIsaac 1998: a criterion scores only when present",
    ),
    21: Adapter(
        "gcs",
        lambda e: {
            "eye_response": _gcs_part(e, "best_eye_response", _GCS_EYE),
            "verbal_response": _gcs_part(e, "best_verbal_response", _GCS_VERBAL),
            "motor_response": _gcs_part(e, "best_motor_response", _GCS_MOTOR),
        },
    ),
    22: Adapter("maintenance_fluids", lambda e: {"weight_kg": e.weight_kg()}),
    23: Adapter(
        "meld_na",
        lambda e: {
            "creatinine_mg_dl": _creatinine(e),
            "bilirubin_mg_dl": e.number("bilirubin", unit="mg/dL", analyte="bilirubin"),
            "inr": e.number("inr"),
            "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
            "dialysis_in_past_week": e.flag("dialysis_twice") | e.flag("cvvhd"),
        },
        absent_rule="OPTN MELD policy: creatinine is set to 4.0 only when dialysis is documented",
    ),
    24: Adapter("steroid_conversion", _steroid_conversion),
    25: Adapter(
        "has_bled",
        lambda e: {
            "uncontrolled_hypertension": e.flag("hypertension"),
            "abnormal_renal_function": e.flag("renal_disease_has_bled"),
            "abnormal_liver_function": e.flag("liver_disease_has_bled"),
            "stroke": e.flag("stroke"),
            "bleeding_history": e.flag("prior_bleeding"),
            "labile_inr": e.flag("labile_inr"),
            "age_years": e.age_years(),
            "antiplatelet_or_nsaid": e.flag("medications_for_bleeding"),
            "alcohol_drinks_per_week": e.number("alcoholic_drinks"),
        },
        absent_rule="Pisters 2010: a risk factor scores only when present",
    ),
    26: Adapter(
        "sodium_correction_hyperglycemia",
        lambda e: {
            "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
            "glucose_mg_dl": e.number("glucose", unit="mg/dL", analyte="glucose"),
            "method": "hillier",
        },
    ),
    27: Adapter(
        "glasgow_blatchford",
        lambda e: {
            "bun_mg_dl": _bun(e),
            "hemoglobin_g_dl": e.number("hemoglobin", unit="g/dL", analyte="hemoglobin"),
            "sex": e.sex(),
            "systolic_bp_mm_hg": e.number("sys_bp", unit="mmHg"),
            "heart_rate_bpm": e.number("heart_rate"),
            "melena": e.flag("melena_present"),
            "syncope": e.flag("syncope"),
            "hepatic_disease": e.flag("hepatic_disease_history"),
            "cardiac_failure": e.flag("cardiac_failure"),
        },
        absent_rule="Blatchford 2000: melaena, syncope, hepatic disease and cardiac failure score only when present",
    ),
    28: Adapter(
        "apache_ii",
        _apache,
        absent_rule="Knaus 1985: acute renal failure and chronic health points only when documented; admission"
        " non-operative unless surgery is stated",
    ),
    29: Adapter(
        "psi_port",
        _psi,
        absent_rule="Fine 1997: a history or examination finding scores only when present",
    ),
    30: Adapter(
        "serum_osmolality",
        lambda e: {
            "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
            "bun_mg_dl": _bun(e),
            "glucose_mg_dl": e.number("glucose", unit="mg/dL", analyte="glucose"),
        },
    ),
    31: Adapter(
        "homa_ir",
        lambda e: {
            "fasting_insulin_uiu_ml": e.number("insulin", unit="uIU/mL", analyte="insulin"),
            "fasting_glucose_mg_dl": e.number("glucose", unit="mg/dL", analyte="glucose"),
        },
    ),
    32: Adapter(
        "charlson",
        lambda e: {
            "age_years": e.age_years(),
            "myocardial_infarction": e.flag("mi"),
            "heart_failure": e.flag("chf"),
            "peripheral_vascular_disease": e.flag("peripheral_vascular_disease"),
            "cerebrovascular_disease": e.flag("cva") | e.flag("tia"),
            "dementia": e.flag("dementia"),
            "chronic_pulmonary_disease": e.flag("copd"),
            "connective_tissue_disease": e.flag("connective_tissue_disease"),
            "peptic_ulcer_disease": e.flag("peptic_ucler_disease", "peptic_ulcer_disease"),
            "liver_disease": e.category("liver_disease", _CHARLSON_LIVER, "none"),
            "diabetes": e.category(
                "diabetes_mellitus",
                {
                    "noneordietcontrolled": "none_or_diet_controlled",
                    "uncomplicated": "uncomplicated",
                    "endorgandamage": "end_organ_damage",
                },
                "none_or_diet_controlled",
            ),
            "hemiplegia": e.flag("hemiplegia"),
            "moderate_to_severe_ckd": e.flag("moderate_to_severe_ckd", present=("moderate", "severe")),
            "solid_tumor": e.category("solid_tumor", _CHARLSON_TUMOR, "none"),
            "leukemia": e.flag("leukemia"),
            "lymphoma": e.flag("lymphoma"),
            "aids": e.flag("aids"),
        },
        absent_rule="Charlson 1987: a comorbidity scores only when recorded",
    ),
    33: Adapter(
        "feverpain",
        lambda e: {
            "fever_past_24h": e.flag("fever_24_hours"),
            "purulence": e.flag("purulent_tonsils"),
            "attended_within_3_days": e.flag("symptom_onset"),
            "severely_inflamed_tonsils": e.flag("severe_tonsil_inflammation"),
            "no_cough_or_coryza": e.flag("cough_coryza_absent"),
        },
        absent_rule="Little 2013: a feature scores only when present",
    ),
    36: Adapter(
        "caprini",
        _caprini,
        absent_rule="Caprini 2005 form: a risk factor scores only when present; no surgery and ambulatory unless"
        " stated",
    ),
    38: Adapter(
        "free_water_deficit",
        lambda e: {
            "age_years": e.age_years(),
            "sex": e.sex(),
            "weight_kg": e.weight_kg(),
            "sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
        },
    ),
    39: Adapter("anion_gap", _electrolytes),
    40: Adapter(
        "fena",
        lambda e: {
            "serum_sodium_mmol_l": e.number("sodium", unit="mmol/L", analyte="sodium"),
            "serum_creatinine_mg_dl": _creatinine(e),
            "urine_sodium_mmol_l": e.number("urine_sodium", unit="mmol/L", analyte="sodium"),
            "urine_creatinine_mg_dl": e.number("urine_creatinine", unit="mg/dL", analyte="creatinine"),
        },
    ),
    43: Adapter(
        "sofa",
        _sofa,
        absent_rule="Vincent 1996: respiratory support and vasopressors count only when documented",
    ),
    44: Adapter(
        "ldl_friedewald",
        lambda e: {
            "total_cholesterol_mg_dl": e.number(
                "total_cholesterol", "total_cholestrol", unit="mg/dL", analyte="cholesterol"
            ),
            "hdl_mg_dl": e.number("hdl_cholesterol", "hdl_cholestrol", unit="mg/dL", analyte="cholesterol"),
            "triglycerides_mg_dl": e.number("triglycerides", unit="mg/dL", analyte="triglycerides"),
        },
    ),
    45: Adapter(
        "curb_65",
        lambda e: {
            "confusion": e.flag("confusion"),
            "bun_mg_dl": _bun(e),
            "respiratory_rate_per_min": e.number("respiratory_rate"),
            "systolic_bp_mm_hg": e.number("sys_bp", unit="mmHg"),
            "diastolic_bp_mm_hg": e.number("dia_bp", unit="mmHg"),
            "age_years": e.age_years(),
        },
        absent_rule="Lim 2003: confusion scores only when present",
    ),
    46: Adapter(
        "framingham_hard_chd",
        lambda e: {
            "age_years": e.age_years(),
            "sex": e.sex(),
            "smoker": e.flag("smoker"),
            "total_cholesterol_mg_dl": e.number(
                "total_cholesterol", "total_cholestrol", unit="mg/dL", analyte="cholesterol"
            ),
            "hdl_mg_dl": e.number("hdl_cholesterol", "hdl_cholestrol", unit="mg/dL", analyte="cholesterol"),
            "systolic_bp_mm_hg": e.number("sys_bp", unit="mmHg"),
            "bp_treated": e.flag("bp_medicine"),
        },
        absent_rule="NCEP ATP III 2001: smoking and treated blood pressure count only when documented",
    ),
    48: Adapter(
        "perc",
        lambda e: {
            "age_years": e.age_years(),
            "heart_rate_bpm": e.number("heart_rate"),
            "spo2_percent": e.number("oxygen_sat"),
            "unilateral_leg_swelling": e.flag("unilateral_leg_swelling"),
            "hemoptysis": e.flag("hemoptysis"),
            "recent_surgery_or_trauma": e.flag("recent_surgery_or_trauma"),
            "prior_pe_or_dvt": e.flag("previous_pe") | e.flag("previous_dvt"),
            "hormone_use": e.flag("hormonal_use"),
        },
        absent_rule="Kline 2004: a criterion counts only when present",
    ),
    49: Adapter("morphine_milligram_equivalents", _mme),
    51: Adapter(
        "sirs",
        lambda e: {
            "temperature_c": e.temperature_c(),
            "heart_rate_bpm": e.number("heart_rate"),
            "respiratory_rate_per_min": e.number("respiratory_rate"),
            "wbc_10e9_l": _wbc(e),
            "paco2_mm_hg": e.optional("paco2", unit="mmHg"),
        },
    ),
    56: Adapter("qtc_fridericia", _qt),
    57: Adapter("qtc_framingham", _qt),
    58: Adapter("qtc_hodges", _qt),
    59: Adapter("qtc_rautaharju", _qt),
    60: Adapter("body_surface_area", lambda e: {"weight_kg": e.weight_kg(), "height_cm": e.height_cm()}),
    61: Adapter(
        "target_weight",
        lambda e: {
            "target_bmi_kg_m2": e.number("body_mass_index", "bmi"),
            "height_cm": e.height_cm(),
        },
    ),
    62: Adapter(
        "adjusted_body_weight", lambda e: {"weight_kg": e.weight_kg(), "height_cm": e.height_cm(), "sex": e.sex()}
    ),
    63: Adapter("delta_gap", _electrolytes),
    64: Adapter("delta_ratio", _electrolytes),
    65: Adapter("albumin_corrected_anion_gap", lambda e: {**_electrolytes(e), "albumin_g_dl": _albumin(e)}),
    66: Adapter("albumin_corrected_delta_gap", lambda e: {**_electrolytes(e), "albumin_g_dl": _albumin(e)}),
    67: Adapter("albumin_corrected_delta_ratio", lambda e: {**_electrolytes(e), "albumin_g_dl": _albumin(e)}),
    68: Adapter(
        "estimated_conception_date",
        lambda e: {
            "lmp_date": e.date("menstrual_date"),
            "cycle_length_days": int(e.number("cycle_length")),
        },
        answer="date",
    ),
    69: Adapter(
        "gestational_age",
        lambda e: {
            "lmp_date": e.date("menstrual_date"),
            "current_date": e.date("current_date"),
        },
        answer="weeks_days",
    ),
}
"""MedCalc-Bench Calculator ID -> adapter, for the 55 calculators of the benchmark."""

BENCH_NAMES: dict[str, int] = {
    bench_key(name): number
    for name, number in {
        "Creatinine Clearance (Cockcroft-Gault Equation)": 2,
        "CKD-EPI Equations for Glomerular Filtration Rate": 3,
        "CHA2DS2-VASc Score for Atrial Fibrillation Stroke Risk": 4,
        "Mean Arterial Pressure (MAP)": 5,
        "Body Mass Index (BMI)": 6,
        "Calcium Correction for Hypoalbuminemia": 7,
        "Wells' Criteria for Pulmonary Embolism": 8,
        "MDRD GFR Equation": 9,
        "Ideal Body Weight": 10,
        "QTc Bazett Calculator": 11,
        "Estimated Due Date": 13,
        "Child-Pugh Score for Cirrhosis Mortality": 15,
        "Wells' Criteria for DVT": 16,
        "Revised Cardiac Risk Index for Pre-Operative Risk": 17,
        "HEART Score for Major Cardiac Events": 18,
        "Fibrosis-4 (FIB-4) Index for Liver Fibrosis": 19,
        "Centor Score (Modified/McIsaac) for Strep Pharyngitis": 20,
        "Glasgow Coma Score (GCS)": 21,
        "Maintenance Fluids Calculations": 22,
        "MELD Na (UNOS/OPTN)": 23,
        "Steroid Conversion Calculator": 24,
        "HAS-BLED Score for Major Bleeding Risk": 25,
        "Sodium Correction for Hyperglycemia": 26,
        "Glasgow-Blatchford Bleeding Score (GBS)": 27,
        "APACHE II Score": 28,
        "PSI Score: Pneumonia Severity Index for CAP": 29,
        "Serum Osmolality": 30,
        "HOMA-IR (Homeostatic Model Assessment for Insulin Resistance)": 31,
        "Charlson Comorbidity Index (CCI)": 32,
        "FeverPAIN Score for Strep Pharyngitis": 33,
        "Caprini Score for Venous Thromboembolism (2005)": 36,
        "Free Water Deficit": 38,
        "Anion Gap": 39,
        "Fractional Excretion of Sodium (FENa)": 40,
        "Sequential Organ Failure Assessment (SOFA) Score": 43,
        "LDL Calculated": 44,
        "CURB-65 Score for Pneumonia Severity": 45,
        "Framingham Risk Score for Hard Coronary Heart Disease": 46,
        "PERC Rule for Pulmonary Embolism": 48,
        "Morphine Milligram Equivalents (MME) Calculator": 49,
        "SIRS Criteria": 51,
        "QTc Fridericia Calculator": 56,
        "QTc Framingham Calculator": 57,
        "QTc Hodges Calculator": 58,
        "QTc Rautaharju Calculator": 59,
        "Body Surface Area Calculator": 60,
        "Target weight": 61,
        "Adjusted Body Weight": 62,
        "Delta Gap": 63,
        "Delta Ratio": 64,
        "Albumin Corrected Anion Gap": 65,
        "Albumin Corrected Delta Gap": 66,
        "Albumin Corrected Delta Ratio": 67,
        "Estimated of Conception": 68,
        "Estimated Gestational Age": 69,
    }.items()
}
"""Calculator Name (normalised) -> ID, for rows and relabelled files that name the calculator only."""
