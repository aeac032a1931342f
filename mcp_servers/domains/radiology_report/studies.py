"""Studies generated with known truth: ``build_case(split, seed, index)`` draws the study behind a case id.

The task kind cycles with the index (``KIND_CYCLE``); the tier alternates every cycle; a full-report task reads each
of the five systems in turn. Each study is drawn for a target taken in rotation (``TARGETS``): a Fleischner table row
and risk, a Lung-RADS category, a TI-RADS level and recommendation, a LI-RADS category or a Bosniak class. Findings
are drawn near the target's thresholds and kept only when the system's own rule (``assessment.assess``) gives the
target, so every gold answer is the rule's answer on the data the tools show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.radiology_report import fleischner, li_rads, ti_rads
from healthgym.mcp_servers.domains.radiology_report.assessment import Assessment, assess
from healthgym.mcp_servers.domains.radiology_report.models import (
    SYSTEMS,
    AdnexalLesion,
    BreastMass,
    Comparison,
    LiverObservation,
    LungNodule,
    OtherFinding,
    Patient,
    PriorMeasurement,
    Protrusion,
    RenalMass,
    Study,
    System,
    ThyroidNodule,
)
from healthgym.schemas import Split

DOMAIN = "radiology_report"
PREFIX = "RAD"
KIND_CYCLE = ("fleischner", "lung_rads", "ti_rads", "li_rads", "bosniak", "bi_rads", "o_rads", "full_report")
MAX_TRIES = 400
EXAMS: dict[str, tuple[str, str, str]] = {
    "fleischner": ("ct_chest", "CT", "CT of the chest with intravenous contrast, 1.25 mm axial reconstructions, lung "
                   "and soft-tissue windows."),
    "lung_rads": ("ldct_screening", "CT", "Low-dose CT of the chest without contrast for lung cancer screening, 1.0 "
                  "mm reconstructions."),
    "ti_rads": ("us_thyroid", "US", "Grey-scale and colour Doppler ultrasound of the thyroid with a high-frequency "
                "linear transducer."),
    "li_rads": ("mri_liver", "MRI", "Multiphase contrast-enhanced MRI of the liver with extracellular contrast: "
                "precontrast, late arterial, portal venous, delayed and diffusion-weighted sequences."),
    "bosniak": ("ct_renal", "CT", "Renal mass protocol CT: noncontrast and nephrographic phase images."),
    "bi_rads": ("us_breast", "US", "Targeted diagnostic breast ultrasound with a high-frequency linear transducer."),
    "o_rads": ("us_pelvis", "US", "Transvaginal and transabdominal pelvic ultrasound with colour Doppler."),
}  # fmt: skip
SCREENING_MAMMOGRAM = ("mg_screening", "MG", "Bilateral screening digital mammography, craniocaudal and mediolateral "
                       "oblique views.")  # fmt: skip
"""The BI-RADS exam of a screening target (categories 0, 1 and 2 at screening)."""
INDICATIONS = {
    "fleischner": ["cough for 3 weeks", "chest pain, exclude aortic pathology", "trauma follow-up",
                   "pre-operative staging of a hernia repair", "dyspnoea on exertion"],
    "lung_rads": ["lung cancer screening"],
    "ti_rads": ["palpable neck lump", "incidental thyroid nodule on carotid Doppler", "goitre",
                "thyroid nodule found on CT"],
    "li_rads": ["HCC surveillance, abnormal surveillance ultrasound", "HCC surveillance, rising alpha-fetoprotein",
                "characterisation of a liver observation in a patient at risk for HCC"],
    "bosniak": ["indeterminate renal lesion on ultrasound", "characterisation of a renal cyst seen on CT",
                "haematuria work-up"],
    "bi_rads": ["palpable breast lump", "focal breast pain", "characterisation of a mass felt at clinical breast "
                "examination"],
    "o_rads": ["pelvic pain", "adnexal mass felt on examination", "incidental adnexal lesion on CT",
               "abnormal uterine bleeding"],
}  # fmt: skip
OTHER_BY_SYSTEM = {
    "fleischner": (["pulmonary_embolism", "pneumothorax", "aortic_dissection"],
                   ["coronary_artery_calcification", "hiatal_hernia"]),
    "lung_rads": (["pneumothorax", "aortic_dissection"], ["coronary_artery_calcification", "hiatal_hernia"]),
    "ti_rads": ([], ["thyroid_colloid_nodule"]),
    "li_rads": (["portal_venous_gas", "free_intraperitoneal_air"], ["cholelithiasis"]),
    "bosniak": (["free_intraperitoneal_air", "aortic_dissection"], ["hepatic_steatosis", "cholelithiasis"]),
    "bi_rads": ([], []),
    "o_rads": ([], ["uterine_leiomyoma"]),
}  # fmt: skip
"""(emergent, routine) incidental findings a study of each system may show."""
OTHER_TEXT = {
    "pulmonary_embolism": "Filling defect in a right lower lobe segmental pulmonary artery.",
    "pneumothorax": "Small right apical pneumothorax, 8 mm pleural separation.",
    "aortic_dissection": "Intimal flap in the descending thoracic aorta.",
    "free_intraperitoneal_air": "Small locules of free intraperitoneal air anterior to the liver.",
    "portal_venous_gas": "Branching gas in the peripheral portal veins.",
    "coronary_artery_calcification": "Moderate coronary artery calcification.",
    "hiatal_hernia": "Small sliding hiatal hernia.",
    "thyroid_colloid_nodule": "2 mm colloid cyst with comet-tail artefact in the other lobe.",
    "hepatic_steatosis": "Diffuse hepatic steatosis.",
    "cholelithiasis": "Gallstones without gallbladder wall thickening.",
    "simple_renal_cyst_contralateral": "Simple cortical cyst of the other kidney.",
    "uterine_leiomyoma": "Small intramural uterine leiomyoma.",
}


@dataclass(frozen=True)
class Plan:
    """What task index ``index`` asks and what its study is drawn for."""

    kind: str
    system: System
    tier: str
    target: str
    multiple: bool
    other: str
    """'none', 'emergent' or 'incidental': the extra finding of a full-report study."""


@dataclass(frozen=True)
class Case:
    plan: Plan
    study: Study
    assessment: Assessment


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(study_id: str) -> tuple[Split, int, int]:
    """``(split, seed, index)`` of a study id; ``ValueError`` naming the id when it is not one."""
    return decode_case_id(PREFIX, DOMAIN, study_id)


TARGETS: dict[str, tuple[str, ...]] = {
    "fleischner": tuple(f"{row}|{risk}" for row in fleischner.ROWS for risk in ("low", "high")),
    "lung_rads": ("lung_rads_1", "lung_rads_3", "lung_rads_4a", "lung_rads_4b", "lung_rads_2", "lung_rads_3",
                  "lung_rads_4a", "lung_rads_4x"),
    "ti_rads": ("tr1|no_fna", "tr3|us_followup_1_3_5y", "tr4|us_followup_1_2_3_5y", "tr5|us_followup_annual_5y",
                "tr3|fna", "tr2|no_fna", "tr3|us_followup_1_3_5y", "tr4|us_followup_1_2_3_5y",
                "tr5|us_followup_annual_5y", "tr4|fna", "tr2|no_fna", "tr3|us_followup_1_3_5y",
                "tr4|us_followup_1_2_3_5y", "tr5|us_followup_annual_5y", "tr5|fna"),
    "li_rads": li_rads.CATEGORIES,
    "bosniak": ("bosniak_i", "bosniak_iif", "bosniak_iii", "bosniak_iv", "bosniak_ii", "bosniak_iif", "bosniak_iii",
                "bosniak_iv"),
    "bi_rads": ("bi_rads_0", "bi_rads_3", "bi_rads_5", "bi_rads_1", "bi_rads_4", "bi_rads_2", "bi_rads_6"),
    "o_rads": ("o_rads_0", "o_rads_2|no_further_management", "o_rads_3", "o_rads_4", "o_rads_5", "o_rads_1",
               "o_rads_2|us_followup", "o_rads_3", "o_rads_4", "o_rads_5", "o_rads_2|us_specialist_or_mri",
               "o_rads_4", "o_rads_5", "o_rads_3"),
}  # fmt: skip
"""What each system's studies are drawn for, in rotation: every recommendation equally often and no category more
than about a quarter of the time, so that no answer is common enough for a prior to score."""


def plan(split: Split, seed: int, index: int, rng: np.random.Generator) -> Plan:
    kind = KIND_CYCLE[index % len(KIND_CYCLE)]
    cycle = index // len(KIND_CYCLE)
    tier = "unassisted" if cycle % 2 else "assisted"
    slot = cycle // 2
    system: System = kind  # type: ignore[assignment]
    if kind == "full_report":
        system, slot = SYSTEMS[slot % len(SYSTEMS)], slot // len(SYSTEMS)
    target = TARGETS[system][slot % len(TARGETS[system])]
    multiple = system in ("fleischner", "lung_rads", "li_rads", "bosniak", "o_rads") and bool(rng.random() < 0.5)
    other = "none"
    if kind == "full_report":
        emergent, routine = OTHER_BY_SYSTEM[system]
        other = str(rng.choice(["none", *(["incidental"] if routine else []), *(["emergent"] if emergent else [])]))
    return Plan(kind, system, tier, target, multiple, other)


# --- drawing findings ------------------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, options: list[Any] | tuple[Any, ...]) -> Any:
    return options[int(rng.integers(len(options)))]


def _axes(rng: np.random.Generator, mean: float) -> tuple[float, float]:
    """Long and short axes (one decimal) whose average is ``mean`` or half a tenth above it."""
    spread = round(float(rng.uniform(0, min(3.0, mean * 0.3))), 1)
    extra = 0.1 if rng.random() < 0.3 else 0.0
    return round(mean + spread + extra, 1), round(mean - spread, 1)


def _patient_lung(rng: np.random.Generator, screening: bool, high_risk: bool) -> Patient:
    if screening:
        current = bool(rng.random() < 0.5)
        return Patient(age=int(rng.integers(50, 81)), sex=_pick(rng, ["female", "male"]),
                       smoking_status="current" if current else "former", pack_years=int(rng.integers(20, 71)),
                       years_since_quit=None if current else int(rng.integers(1, 16)),
                       risk_factors=[f for f in ("family_history_lung_cancer", "emphysema") if rng.random() < 0.2])
    if not high_risk:
        return Patient(age=int(rng.integers(35, 60)), sex=_pick(rng, ["female", "male"]), smoking_status="never",
                       pack_years=0)
    smoking = _pick(rng, ["never", "former", "current"])
    factors = [f for f in fleischner.PATIENT_RISK_FACTORS if rng.random() < 0.25]
    if smoking == "never" and not factors:
        factors = [_pick(rng, fleischner.PATIENT_RISK_FACTORS)]
    return Patient(age=int(rng.integers(35, 86)), sex=_pick(rng, ["female", "male"]), smoking_status=smoking,
                   pack_years=0 if smoking == "never" else int(rng.integers(5, 61)),
                   years_since_quit=int(rng.integers(1, 30)) if smoking == "former" else None, risk_factors=factors)


def _lung_nodule(rng: np.random.Generator, fid: str, density: str, mean: float, low_risk: bool,
                 solid_mean: float | None = None, **extra: Any) -> LungNodule:
    long, short = _axes(rng, mean)
    lobes = ["RML", "RLL", "LLL"] if low_risk else ["RUL", "RML", "RLL", "LUL", "lingula", "LLL"]
    solid: dict[str, Any] = {}
    if density == "part_solid":
        s_long, s_short = _axes(rng, solid_mean if solid_mean is not None else round(mean * 0.4, 1))
        solid = {"solid_long_axis_mm": min(s_long, long), "solid_short_axis_mm": min(s_short, short)}
    margin = extra.pop("margin", None) or _pick(rng, ["smooth", "lobulated"] if low_risk else ["smooth", "lobulated",
                                                                                              "spiculated"])
    return LungNodule(finding_id=fid, lobe=_pick(rng, lobes), density=density, long_axis_mm=long,
                      short_axis_mm=short, margin=margin, **solid, **extra)  # type: ignore[arg-type]


_FLEISCHNER_BANDS = {"lt6": (2.5, 5.4), "6_8": (5.5, 8.4), "gt8": (9.0, 24.0), "ge6": (6.0, 24.0)}
"""Mean diameter ranges (mm) drawn for each size band; the rule rounds them to whole millimetres."""


def _fleischner(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    """Nodules of a Table 1 row (the row says whether there are several) for a low- or high-risk patient."""
    row, risk = target.split("|")
    low = risk == "low"
    _, kind, number, band = re.fullmatch(r"(fleischner)_(solid|ggn|part_solid|subsolid)_(single|multiple)_(\w+)",
                                         row).groups()  # type: ignore[union-attr]
    lo, hi = _FLEISCHNER_BANDS[band]
    nodules = []
    for i in range(int(rng.integers(2, 4)) if number == "multiple" else 1):
        density = {"solid": "solid", "ggn": "ground_glass", "part_solid": "part_solid"}.get(kind) or _pick(
            rng, ["ground_glass", "part_solid"])
        mean = round(float(rng.uniform(lo, hi)), 1) if i == 0 else round(float(rng.uniform(2.0, lo)), 1)
        nodules.append(_lung_nodule(rng, f"F{i + 1}", density, mean, low, margin="smooth" if low else None))
    return {"patient": _patient_lung(rng, screening=False, high_risk=not low), "lung_nodules": nodules}


_LUNG_RADS_PATHS: dict[str, list[tuple[str, str, tuple[float, float], tuple[float, float] | None]]] = {
    # category: [(density, status, mean range, solid-component range)]
    "lung_rads_1": [("solid", "benign", (3.0, 12.0), None)],
    "lung_rads_2": [("solid", "baseline", (2.5, 5.9), None), ("solid", "new", (2.0, 3.9), None),
                    ("solid", "perifissural", (5.0, 9.4), None), ("part_solid", "baseline", (3.0, 5.9), (1.0, 2.5)),
                    ("ground_glass", "baseline", (5.0, 29.0), None), ("ground_glass", "new", (4.0, 29.0), None),
                    ("solid", "stable", (3.0, 5.9), None)],
    "lung_rads_3": [("solid", "baseline", (6.0, 7.9), None), ("solid", "new", (4.0, 5.9), None),
                    ("part_solid", "baseline", (6.0, 14.0), (2.0, 5.9)), ("part_solid", "new", (3.0, 5.9), (1.0, 2.5)),
                    ("ground_glass", "baseline", (30.0, 40.0), None)],
    "lung_rads_4a": [("solid", "baseline", (8.0, 14.9), None), ("solid", "growing", (5.0, 7.9), None),
                     ("solid", "new", (6.0, 7.9), None), ("part_solid", "baseline", (9.0, 20.0), (6.0, 7.9)),
                     ("part_solid", "new", (6.0, 14.0), (1.5, 3.9))],
    "lung_rads_4b": [("solid", "baseline", (15.0, 28.0), None), ("solid", "new", (8.0, 16.0), None),
                     ("solid", "growing", (8.0, 16.0), None), ("part_solid", "baseline", (12.0, 25.0), (8.0, 12.0)),
                     ("part_solid", "growing", (8.0, 20.0), (4.0, 7.0))],
}  # fmt: skip


def _lung_rads(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    category = target
    spiculated = category == "lung_rads_4x"
    pool = [p for c in (["lung_rads_3", "lung_rads_4a", "lung_rads_4b"] if spiculated else [category])
            for p in _LUNG_RADS_PATHS[c]]  # fmt: skip
    density, state, (lo, hi), solid_range = _pick(rng, pool)
    follow_up = state in ("new", "growing", "stable") or (state != "baseline" and rng.random() < 0.5)
    interval = int(_pick(rng, [12, 12, 6, 3])) if follow_up else 0
    mean = round(float(rng.uniform(lo, hi)), 1)
    solid_mean = round(float(rng.uniform(*solid_range)), 1) if solid_range else None
    extra: dict[str, Any] = {"margin": "spiculated" if spiculated else _pick(rng, ["smooth", "lobulated"])}
    if state == "benign":
        extra |= _pick(rng, [{"calcification": c} for c in ("complete", "central", "popcorn", "concentric")]
                       + [{"contains_fat": True}])
    if state == "perifissural":
        extra |= {"perifissural": True, "margin": "smooth"}
    nodule = _lung_nodule(rng, "F1", density, mean, False, solid_mean, **extra)
    nodules, priors, new = [nodule], [], []
    if state == "new":
        new.append("F1")
    elif follow_up:
        priors.append(_lung_prior(rng, nodule, growing=state == "growing"))
    if multiple:
        benign = {"calcification": _pick(rng, ["complete", "central", "popcorn"])} if category == "lung_rads_1" else {}
        small = _lung_nodule(rng, "F2", "solid", round(float(rng.uniform(2.0, 5.5)), 1), False, margin="smooth",
                             **benign)
        nodules.append(small)
        if follow_up:
            priors.append(_lung_prior(rng, small, growing=False))
    comparison = Comparison(prior_date="pending", interval_months=interval, measurements=priors,
                            new_findings=new) if follow_up else Comparison()  # fmt: skip
    return {"patient": _patient_lung(rng, screening=True, high_risk=True), "lung_nodules": nodules,
            "comparison": comparison}


def _lung_prior(rng: np.random.Generator, n: LungNodule, growing: bool) -> PriorMeasurement:
    shrink = round(float(rng.uniform(1.7, 3.5)), 1) if growing else round(float(rng.uniform(0.0, 0.8)), 1)
    if n.density == "part_solid" and n.solid_long_axis_mm and n.solid_short_axis_mm:
        s_long = max(0.5, round(n.solid_long_axis_mm - shrink, 1))
        s_short = max(0.5, round(n.solid_short_axis_mm - shrink, 1))
        return PriorMeasurement(finding_id=n.finding_id, long_axis_mm=n.long_axis_mm, short_axis_mm=n.short_axis_mm,
                                solid_long_axis_mm=s_long, solid_short_axis_mm=s_short)
    long, short = max(1.0, round(n.long_axis_mm - shrink, 1)), max(1.0, round(n.short_axis_mm - shrink, 1))
    return PriorMeasurement(finding_id=n.finding_id, long_axis_mm=max(long, short), short_axis_mm=min(long, short))


_TI_COMPOSITION_ECHO = {
    "cystic": ["anechoic"],
    "spongiform": ["isoechoic", "hyperechoic"],
    "mixed_cystic_solid": ["hyperechoic", "isoechoic", "hypoechoic", "very_hypoechoic"],
    "solid": ["hyperechoic", "isoechoic", "hypoechoic", "very_hypoechoic"],
}


def _ti_rads(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    category, rec = target.split("|")
    fna, follow = ti_rads.THRESHOLDS_MM.get(category, (60, 60))
    lo, hi = {"no_fna": (3, min(follow, 40) - 1), "fna": (fna, fna + 25)}.get(rec, (follow, fna - 1))
    for _ in range(MAX_TRIES):
        composition = _pick(rng, list(_TI_COMPOSITION_ECHO))
        benign_look = composition in ("cystic", "spongiform")
        features = {
            "composition": composition,
            "echogenicity": _pick(rng, _TI_COMPOSITION_ECHO[composition]),
            "shape": "wider_than_tall" if benign_look or rng.random() < 0.7 else "taller_than_wide",
            "margin": _pick(rng, ["smooth", "ill_defined"] if benign_look else list(ti_rads.MARGIN)),
            "echogenic_foci": [] if composition == "spongiform" else sorted(
                {f for f in ti_rads.ECHOGENIC_FOCI if rng.random() < 0.2}),
        }
        total = sum(ti_rads.points(features["composition"], features["echogenicity"], features["shape"],
                                   features["margin"], features["echogenic_foci"]).values())  # fmt: skip
        if total != 1 and ti_rads.level(total) == category:
            size = int(rng.integers(lo, hi + 1))
            return {"thyroid_nodules": [ThyroidNodule(finding_id="F1", lobe=_pick(rng, ["right", "left", "isthmus"]),
                                                      max_diameter_mm=size, **features)]}  # fmt: skip
    raise RuntimeError(f"no TI-RADS nodule drawn for {category}")


def _liver_patient(rng: np.random.Generator) -> Patient:
    disease = _pick(rng, ["cirrhosis (hepatitis C)", "cirrhosis (alcohol-related)", "cirrhosis (MASH)",
                          "chronic hepatitis B without cirrhosis"])  # fmt: skip
    return Patient(age=int(rng.integers(40, 85)), sex=_pick(rng, ["female", "male"]),
                   smoking_status=_pick(rng, ["never", "former"]), pack_years=0, liver_disease=disease)


def _liver_observation(
    rng: np.random.Generator, fid: str, category: str
) -> tuple[LiverObservation, int | None, bool]:
    """An observation of ``category``, its prior diameter (None when there is none) and whether that prior was
    measured more than 6 months ago (so no threshold growth can count)."""
    segment = _pick(rng, ["II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"])
    size = int(rng.integers(6, 45))
    if category == "lr_tiv":
        return LiverObservation(finding_id=fid, segment=segment, diameter_mm=size, appearance="solid",
                                aphe="nonrim", nonperipheral_washout=True, tumor_in_vein=True), None, False
    if category == "lr_1":
        return LiverObservation(finding_id=fid, segment=segment, diameter_mm=size,
                                appearance=_pick(rng, ["simple_cyst", "hemangioma"]), aphe="none"), None, False
    if category == "lr_m":
        feats = sorted({f for f in ("peripheral_washout", "delayed_central_enhancement", "targetoid_restriction")
                        if rng.random() < 0.5})  # fmt: skip
        aphe = "rim" if not feats or rng.random() < 0.5 else "nonrim"
        return LiverObservation(finding_id=fid, segment=segment, diameter_mm=size, appearance="solid", aphe=aphe,
                                targetoid_features=feats), None, False  # type: ignore[arg-type]
    for _ in range(MAX_TRIES):
        aphe = _pick(rng, ["none", "nonrim", "nonrim"])
        size = int(_pick(rng, [rng.integers(5, 10), rng.integers(10, 20), rng.integers(20, 45)]))
        capsule, washout = bool(rng.random() < 0.4), bool(rng.random() < 0.4)
        prior = None
        if rng.random() < 0.4:
            prior = max(3, int(round(size / rng.uniform(1.1, 1.9))))
        growth_window = rng.random() < 0.6
        if li_rads.table_category(aphe == "nonrim", size, capsule, washout,
                                  prior is not None and growth_window and size >= prior * 1.5) == category:
            obs = LiverObservation(finding_id=fid, segment=segment, diameter_mm=size, appearance="solid", aphe=aphe,
                                   nonperipheral_washout=washout, enhancing_capsule=capsule)
            return obs, prior, prior is not None and not growth_window
    raise RuntimeError(f"no LI-RADS observation drawn for {category}")


def _li_rads(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    obs, prior, long_ago = _liver_observation(rng, "F1", target)
    observations = [obs]
    priors = {"F1": prior} if prior is not None else {}
    if multiple:
        lower = [c for c in li_rads.CATEGORIES[: li_rads.CATEGORIES.index(target)] if c in ("lr_1", "lr_3")]
        if lower:
            second, prior2, long_ago2 = _liver_observation(rng, "F2", _pick(rng, lower))
            observations.append(second)
            long_ago = long_ago or long_ago2
            if prior2 is not None:
                priors["F2"] = prior2
    comparison = Comparison()
    if priors:
        interval = int(_pick(rng, [9, 12])) if long_ago else int(_pick(rng, [3, 4, 6]))
        comparison = Comparison(prior_date="pending", interval_months=interval,
                                measurements=[PriorMeasurement(finding_id=f, diameter_mm=p)
                                              for f, p in priors.items()])  # fmt: skip
    return {"patient": _liver_patient(rng), "liver_observations": observations, "comparison": comparison}


def _renal_mass(rng: np.random.Generator, fid: str, category: str) -> RenalMass:
    base: dict[str, Any] = {"finding_id": fid, "side": _pick(rng, ["right", "left"]),
                            "size_mm": int(rng.integers(12, 70)), "wall_thickness_mm": int(rng.integers(1, 3)),
                            "wall_enhancing": bool(rng.random() < 0.5), "septa_count": 0, "septa_thickness_mm": 0,
                            "septa_enhancing": False, "attenuation_hu": int(rng.integers(-9, 21))}  # fmt: skip
    septa = {"septa_count": int(rng.integers(1, 4)), "septa_thickness_mm": int(rng.integers(1, 3)),
             "septa_enhancing": bool(rng.random() < 0.5)}  # fmt: skip
    if category == "bosniak_ii":
        variant = _pick(rng, ["septa", "calcification", "hyperattenuating", "nonenhancing_high"])
        base |= {"septa": septa, "calcification": {"calcification": True},
                 "hyperattenuating": {"attenuation_hu": int(rng.integers(70, 91))},
                 "nonenhancing_high": {"attenuation_hu": int(rng.integers(21, 70))}}[variant]
    elif category == "bosniak_iif":
        variant = _pick(rng, ["wall", "septum", "many_septa"])
        base |= {"wall": {"wall_thickness_mm": 3, "wall_enhancing": True},
                 "septum": septa | {"septa_thickness_mm": 3, "septa_enhancing": True},
                 "many_septa": {"septa_count": int(rng.integers(4, 9)), "septa_thickness_mm": int(rng.integers(1, 3)),
                                "septa_enhancing": True}}[variant]  # fmt: skip
    elif category == "bosniak_iii":
        variant = _pick(rng, ["wall", "septum", "irregular"])
        thick = int(rng.integers(4, 8))
        base |= {"wall": {"wall_thickness_mm": thick, "wall_enhancing": True},
                 "septum": septa | {"septa_thickness_mm": thick, "septa_enhancing": True},
                 "irregular": {"wall_enhancing": True, "protrusions": [
                     Protrusion(size_mm=int(rng.integers(1, 4)), margin="obtuse", enhancing=True)]}}[variant]
    elif category == "bosniak_iv":
        acute = bool(rng.random() < 0.5)
        nodule = Protrusion(size_mm=int(rng.integers(2, 8)) if acute else int(rng.integers(4, 15)),
                            margin="acute" if acute else "obtuse", enhancing=True)
        base |= {"wall_enhancing": True, "protrusions": [nodule]}
        if rng.random() < 0.5:
            base |= septa | {"septa_enhancing": True}
    if "septa" in base:
        base |= base.pop("septa")
    return RenalMass(**base)


def _bosniak(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    category = target
    masses = [_renal_mass(rng, "F1", category)]
    if multiple:
        masses.append(_renal_mass(rng, "F2", "bosniak_i" if category in ("bosniak_i", "bosniak_ii")
                                  else _pick(rng, ["bosniak_i", "bosniak_ii"])))  # fmt: skip
    patient = Patient(age=int(rng.integers(30, 85)), sex=_pick(rng, ["female", "male"]),
                      smoking_status=_pick(rng, ["never", "former", "current"]), pack_years=0)
    return {"patient": patient, "renal_masses": masses}


def _breast_mass(rng: np.random.Generator, fid: str, category: str) -> BreastMass:
    """A breast ultrasound mass drawn for a diagnostic BI-RADS category (2-6)."""
    base: dict[str, Any] = {"finding_id": fid, "side": _pick(rng, ["right", "left"]),
                            "clock_position": int(rng.integers(1, 13)), "size_mm": int(rng.integers(5, 35))}
    if category == "bi_rads_2":
        return BreastMass(**base, shape=_pick(rng, ["oval", "round"]), margin="circumscribed", orientation=_pick(
            rng, ["parallel", "not_parallel"]), echo_pattern="anechoic", posterior_features="enhancement")
    if category == "bi_rads_3":
        return BreastMass(**base, shape="oval", margin="circumscribed", orientation="parallel",
                          echo_pattern=_pick(rng, ["hypoechoic", "isoechoic"]),
                          posterior_features=_pick(rng, ["none", "enhancement"]))  # fmt: skip
    if category == "bi_rads_5":
        return BreastMass(**base, shape="irregular", margin="spiculated",
                          orientation=_pick(rng, ["not_parallel", "not_parallel", "parallel"]),
                          echo_pattern=_pick(rng, ["hypoechoic", "heterogeneous"]),
                          posterior_features=_pick(rng, ["shadowing", "none", "combined"]))  # fmt: skip
    near_miss = _pick(rng, [{"orientation": "not_parallel"}, {"margin": "indistinct"}, {"margin": "microlobulated"},
                            {"shape": "round"}, {"posterior_features": "shadowing"},
                            {"echo_pattern": "complex_cystic_solid"}, {"shape": "irregular", "margin": "angular"},
                            {"shape": "irregular", "margin": "indistinct"}])  # fmt: skip
    features = {"shape": "oval", "margin": "circumscribed", "orientation": "parallel",
                "echo_pattern": _pick(rng, ["hypoechoic", "isoechoic"]), "posterior_features": "none"} | near_miss
    if category == "bi_rads_6":
        features = {"shape": "irregular", "margin": _pick(rng, ["spiculated", "angular", "indistinct"]),
                    "orientation": "not_parallel", "echo_pattern": "hypoechoic",
                    "posterior_features": "shadowing"}  # fmt: skip
    return BreastMass(**base, **features, biopsy_proven_malignancy=category == "bi_rads_6")


def _bi_rads(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    patient = Patient(age=int(rng.integers(40, 80)), sex="female", smoking_status="never", pack_years=0)
    screening = target in ("bi_rads_0", "bi_rads_1") or (target == "bi_rads_2" and rng.random() < 0.5)
    if not screening:
        masses = [_breast_mass(rng, "F1", target)]
        if rng.random() < 0.4 and target != "bi_rads_2":
            masses.append(_breast_mass(rng, "F2", "bi_rads_2"))  # a simple cyst as well
        indication = ("known biopsy-proven breast carcinoma, pre-treatment evaluation" if target == "bi_rads_6"
                      else _pick(rng, INDICATIONS["bi_rads"]))  # fmt: skip
        return {"patient": patient, "breast_masses": masses, "indication": indication}
    masses = []
    fat = {"density": "fat_containing", "shape": _pick(rng, ["oval", "round"]), "margin": "circumscribed"}
    if target == "bi_rads_0":
        masses.append({"density": _pick(rng, ["low", "equal", "high"]), "shape": _pick(rng, ["oval", "round",
                       "irregular"]), "margin": _pick(rng, ["circumscribed", "obscured", "indistinct", "spiculated"])})
    if target == "bi_rads_2" or (target == "bi_rads_0" and rng.random() < 0.4):
        masses.append(fat)
    found = [BreastMass(finding_id=f"F{i + 1}", side=_pick(rng, ["right", "left"]),
                        clock_position=int(rng.integers(1, 13)), size_mm=int(rng.integers(5, 30)), **m)
             for i, m in enumerate(masses)]  # fmt: skip
    return {"patient": patient, "breast_masses": found, "exam": SCREENING_MAMMOGRAM,
            "indication": "screening mammogram, asymptomatic"}


_ADNEXAL_KINDS = {
    "o_rads_0": ["unilocular_cyst", "multilocular_cyst", "solid"],
    "o_rads_1": ["follicle", "corpus_luteum", "unilocular_cyst"],
    "o_rads_2": ["unilocular_cyst", "bilocular_cyst"],
    "o_rads_3": ["classic_benign", "unilocular_cyst", "bilocular_cyst", "multilocular_cyst", "solid"],
    "o_rads_4": ["unilocular_cyst", "bilocular_cyst", "multilocular_cyst", "solid"],
    "o_rads_5": ["unilocular_cyst", "multilocular_cyst", "solid", "ascites"],
}
"""Lesion types that can carry each O-RADS category ('ascites': a lesion seen with ascites or peritoneal nodules)."""


def _adnexal_lesion(rng: np.random.Generator, fid: str, target: str, menopausal: str) -> AdnexalLesion:
    """An adnexal lesion drawn over the O-RADS US lexicon near the target category's features."""
    category = target.split("|")[0]
    kind = _pick(rng, _ADNEXAL_KINDS[category])
    small = category in ("o_rads_1", "o_rads_2") or rng.random() < 0.6
    size = int(rng.integers(10, 100) if small else rng.integers(100, 160))
    if category in ("o_rads_1",) or (category == "o_rads_2" and rng.random() < 0.3):
        size = int(rng.integers(15, 61))
    features: dict[str, Any] = {"finding_id": fid, "side": _pick(rng, ["right", "left"]), "max_diameter_mm": size,
                                "color_score": int(rng.integers(1, 5))}  # fmt: skip
    if kind == "ascites":
        kind, features["ascites_or_peritoneal_nodules"] = _pick(rng, ["multilocular_cyst", "solid"]), True
    features["lesion_type"] = kind
    if kind in ("follicle", "corpus_luteum"):
        features["max_diameter_mm"] = int(rng.integers(12, 31))
    elif kind == "classic_benign":
        features["classic_benign"] = _pick(rng, ["hemorrhagic_cyst", "dermoid_cyst", "endometrioma",
                                                 "paraovarian_cyst"])
        features["max_diameter_mm"] = int(rng.integers(100, 150))
    elif kind == "solid":
        features["outer_contour"] = _pick(rng, ["smooth", "smooth", "irregular"])
    else:
        features["inner_wall"] = _pick(rng, ["smooth", "smooth", "irregular"])
        features["solid_component"] = _pick(rng, ["none", "none", "papillary_1_3", "papillary_ge4", "nonpapillary"])
        features["simple"] = (kind == "unilocular_cyst" and features["inner_wall"] == "smooth"
                              and features["solid_component"] == "none" and rng.random() < 0.6)
    if category == "o_rads_0":
        features["incomplete_evaluation"] = True
    return AdnexalLesion(**features)


def _o_rads(rng: np.random.Generator, target: str, multiple: bool) -> dict[str, Any]:
    menopausal = "premenopausal" if target == "o_rads_1" else _pick(rng, ["premenopausal", "postmenopausal"])
    age = int(rng.integers(20, 51) if menopausal == "premenopausal" else rng.integers(52, 85))
    patient = Patient(age=age, sex="female", smoking_status="never", pack_years=0, menopausal_status=menopausal)
    lesions = [_adnexal_lesion(rng, "F1", target, menopausal)]
    if multiple and target.split("|")[0] in ("o_rads_3", "o_rads_4", "o_rads_5") and menopausal == "premenopausal":
        lesions.append(AdnexalLesion(finding_id="F2", side="left" if lesions[0].side == "right" else "right",
                                     max_diameter_mm=int(rng.integers(12, 31)), lesion_type="follicle"))
    return {"patient": patient, "adnexal_lesions": lesions}


_DRAW = {"fleischner": _fleischner, "lung_rads": _lung_rads, "ti_rads": _ti_rads, "li_rads": _li_rads,
         "bosniak": _bosniak, "bi_rads": _bi_rads, "o_rads": _o_rads}  # fmt: skip


def _expected(p: Plan, a: Assessment) -> bool:
    if p.system == "fleischner":
        row, risk = p.target.split("|")
        _, low, high = fleischner.ROWS[row]
        return a.exam.category == row and a.exam.recommendation == (low if risk == "low" else high)
    if p.system == "ti_rads" or (p.system == "o_rads" and "|" in p.target):
        return f"{a.exam.category}|{a.exam.recommendation}" == p.target
    return a.exam.category == p.target


def build_case(split: Split, seed: int, index: int) -> Case:
    """The study behind case ``index`` of ``(split, seed)``: a pure function of its arguments."""
    rng = case_rng(DOMAIN, split, seed, index)
    p = plan(split, seed, index, rng)
    day = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 700)))
    for _ in range(MAX_TRIES):
        drawn = _DRAW[p.system](rng, p.target, p.multiple)
        exam, modality, technique = drawn.pop("exam", EXAMS[p.system])
        comparison: Comparison = drawn.pop("comparison", Comparison())  # prior_date "pending": dated below
        if comparison.prior_date:
            prior_day = day - timedelta(days=round(comparison.interval_months * 30.44))
            comparison = comparison.model_copy(update={"prior_date": prior_day.isoformat()})
        others = []
        if p.other != "none":
            emergent, routine = OTHER_BY_SYSTEM[p.system]
            label = _pick(rng, emergent if p.other == "emergent" else routine)
            others.append(OtherFinding(finding_id="F9", label=label, description=OTHER_TEXT[label]))
        study = Study(study_id=case_id(split, seed, index), exam=exam, modality=modality, date=day.isoformat(),
                      indication=drawn.pop("indication", None) or _pick(rng, INDICATIONS[p.system]),
                      technique=technique,
                      patient=drawn.pop("patient", None) or _liver_patient(rng), comparison=comparison,
                      other_findings=others, **drawn)  # fmt: skip
        try:
            result = assess(study)
        except ValueError:
            continue
        if _expected(p, result):
            return Case(p, study, result)
    raise RuntimeError(f"{DOMAIN}: no study drawn for {p} at {split}/{seed}/{index}")


__all__ = ["DOMAIN", "PREFIX", "Case", "Plan", "build_case", "case_id", "parse_case_id"]
