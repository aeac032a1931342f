"""Treatments a pathway may start, the drugs in each, and the drug classes the cross-phase safety rules name.

A regimen is what ``start_treatment`` writes: one name for a guideline's first-line treatment (a drug, a drug
combination, or a procedure with its peri-procedural drugs). Drug names follow drug_interaction's formulary where
the drug is in it, so that ``check_interaction`` and ``get_drug_info`` of that server answer for them.
"""

from __future__ import annotations

REGIMENS: dict[str, tuple[str, ...]] = {
    # chest pain: ESC 2023 ACS guidelines (primary PCI with aspirin, a P2Y12 inhibitor and heparin; NSTE-ACS with
    # DAPT and parenteral anticoagulation); ESC 2014 aortic guidelines (IV beta-blocker, surgery); ESC 2019 PE.
    "primary_pci": ("aspirin", "ticagrelor", "heparin"),
    "dapt_anticoagulation": ("aspirin", "ticagrelor", "enoxaparin"),
    "bp_control_surgical_referral": ("labetalol",),
    "anticoagulation": ("enoxaparin",),
    "serial_troponin_observation": (),
    "discharge_with_followup": (),
    # stroke: AHA/ASA 2019 (alteplase within 4.5 h, thrombectomy for LVO, aspirin otherwise; ICH: BP and reversal).
    "thrombolysis": ("alteplase",),
    "thrombolysis_and_thrombectomy": ("alteplase",),
    "thrombectomy": (),
    "aspirin": ("aspirin",),
    "bp_lowering_anticoagulant_reversal": ("labetalol", "prothrombin complex concentrate"),
    "iv_glucose": ("glucose 10%",),
    # sepsis and infection: SSC 2021 (antimicrobials within 1 h), IDSA/ATS CAP 2019, NICE NG51/NG112/NG141/NG143.
    "amoxicillin-clavulanate": ("amoxicillin-clavulanate",),
    "levofloxacin": ("levofloxacin",),
    "doxycycline": ("doxycycline",),
    "ceftriaxone": ("ceftriaxone",),
    "ciprofloxacin": ("ciprofloxacin",),
    "piperacillin-tazobactam": ("piperacillin-tazobactam",),
    "ciprofloxacin_metronidazole": ("ciprofloxacin", "metronidazole"),
    "amoxicillin": ("amoxicillin",),
    "clarithromycin": ("clarithromycin",),
    "cephalexin": ("cephalexin",),
    "flucloxacillin": ("flucloxacillin",),
    "antipyretics_safety_net": ("acetaminophen",),
    # DKA / HHS: JBDS-IP 2021 DKA and 2022 HHS guidelines.
    "potassium_replacement_before_insulin": ("potassium chloride",),
    "fixed_rate_insulin_and_fluids": ("insulin", "sodium chloride 0.9%"),
    "insulin_with_glucose_infusion": ("insulin", "glucose 10%"),
    "iv_fluids_first": ("sodium chloride 0.9%",),
    "subcutaneous_insulin_adjustment": ("insulin glargine",),
    # post-operative deterioration: NICE CG50, ESC 2020 AF (rate control), NICE NG24 (transfusion).
    "transfusion_and_surgical_review": ("red cells",),
    "rate_control_beta_blocker": ("metoprolol",),
    "rate_control_calcium_channel_blocker": ("diltiazem",),
    # upper GI bleed: NICE CG141, Baveno VII (terlipressin and antibiotics for varices).
    "terlipressin_and_antibiotics": ("terlipressin", "ceftriaxone"),
    "endoscopic_haemostasis_ppi": ("pantoprazole",),
    "supportive_ppi": ("omeprazole",),
    "outpatient_review": (),
    # hypertension in pregnancy: NICE NG133, ACOG PB 222 (labetalol or nifedipine; magnesium for severe features).
    "magnesium_and_labetalol": ("magnesium sulfate", "labetalol"),
    "magnesium_and_nifedipine": ("magnesium sulfate", "nifedipine"),
    "oral_labetalol": ("labetalol",),
    "oral_nifedipine": ("nifedipine",),
}
"""Regimen -> the drugs it starts (a procedure alone starts none)."""

ANTICOAGULANTS = frozenset({"heparin", "enoxaparin", "apixaban", "rivaroxaban", "dabigatran", "warfarin"})
DOACS = frozenset({"apixaban", "rivaroxaban", "dabigatran"})
ANTIPLATELETS = frozenset({"aspirin", "clopidogrel", "ticagrelor", "prasugrel"})
THROMBOLYTICS = frozenset({"alteplase", "tenecteplase"})
PENICILLINS = frozenset({"amoxicillin", "amoxicillin-clavulanate", "piperacillin-tazobactam", "flucloxacillin"})
BETA_BLOCKERS = frozenset({"labetalol", "metoprolol", "bisoprolol", "propranolol", "atenolol"})
INSULINS = frozenset({"insulin"})
"""Drug classes of the safety rules (``safety.py``); intravenous insulin only (a basal dose is not the JBDS rule)."""


def drugs_of(regimen: str) -> tuple[str, ...]:
    return REGIMENS[regimen]


__all__ = [
    "ANTICOAGULANTS",
    "ANTIPLATELETS",
    "BETA_BLOCKERS",
    "DOACS",
    "INSULINS",
    "PENICILLINS",
    "REGIMENS",
    "THROMBOLYTICS",
    "drugs_of",
]
