"""The clinical rules, checked by hand: mechanism detection, renal bands at their cut-offs, Cockcroft-Gault, hepatic
actions, allergy cross-reactivity, the Tisdale score, the ACB total and the prescribing decision."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.drug_interaction.rules import (
    acb_total,
    allergy_level,
    allergy_matches,
    assess_pair,
    check_prescription,
    crcl_value,
    hepatic_action,
    renal_band_for,
    renal_decision,
    tisdale_score,
)

from .conftest import make_patient

D = knowledge().drugs


def rules_of(a: str, b: str) -> dict[str, str]:
    return {f.rule: f.severity for f in assess_pair(D[a], D[b]).findings}


# --- mechanism detection on pairs that are not in the curated table ---------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "rule", "severity"),
    [
        ("posaconazole", "quetiapine", "cyp_inhibition", "major"),  # strong CYP3A4 inhibitor + sensitive substrate
        ("fluconazole", "quetiapine", "cyp_inhibition", "moderate"),  # moderate inhibitor + sensitive substrate
        ("clarithromycin", "oxybutynin", "cyp_inhibition", "moderate"),  # strong + moderately sensitive
        ("rifampin", "triazolam", "cyp_induction", "major"),  # strong inducer + sensitive substrate
        ("clopidogrel", "fluvoxamine", "cyp_prodrug_activation", "major"),  # strong CYP2C19 inhibitor, prodrug
        ("digoxin", "azithromycin", "transporter_inhibition", "moderate"),  # P-gp inhibitor + NTI substrate
        ("escitalopram", "moxifloxacin", "qt_additive", "major"),  # CredibleMeds known + known
        ("ondansetron", "venlafaxine", "qt_additive", "moderate"),  # known + possible
        ("linezolid", "mirtazapine", "serotonin_maoi", "major"),  # MAOI + other serotonergic
        ("amiloride", "enalapril", "hyperkalaemia_additive", "major"),  # K-sparing + ACE inhibitor
        ("apixaban", "meloxicam", "bleeding_additive", "major"),  # anticoagulant + NSAID
        ("oxycodone", "clonazepam", "cns_depression", "major"),  # opioid + benzodiazepine (FDA 2016)
        ("oxybutynin", "benztropine", "anticholinergic_additive", "moderate"),  # ACB 3 + ACB 3
        ("donepezil", "paroxetine", "anticholinergic_cholinesterase", "moderate"),  # prescribing cascade
        ("atorvastatin", "rosuvastatin", "therapeutic_duplication", "moderate"),
    ],
)
def test_mechanism_rules_fire_with_their_grid_severity(a: str, b: str, rule: str, severity: str) -> None:
    assessment = assess_pair(D[a], D[b])
    assert assessment.curated is None
    assert rules_of(a, b)[rule] == severity
    assert assessment.severity == max(
        rules_of(a, b).values(), key=["minor", "moderate", "major", "contraindicated"].index
    )


def test_weak_and_minor_relations_do_not_raise_severity() -> None:
    assert assess_pair(D["metformin"], D["lisinopril"]).severity == "none"
    assert "cyp_inhibition" not in rules_of("clarithromycin", "apixaban")  # apixaban is a minor CYP3A4 substrate
    assert "qt_additive" not in rules_of("sertraline", "furosemide")  # conditional-risk drugs are not counted
    assert assess_pair(D["sertraline"], D["linezolid"]).findings[0].source.startswith("Boyer EW")


def test_curated_row_decides_the_severity_over_the_rules() -> None:
    pair = assess_pair(D["amitriptyline"], D["linezolid"])
    assert rules_of("amitriptyline", "linezolid")["serotonin_maoi"] == "contraindicated"
    assert pair.curated is not None and pair.severity == pair.curated.severity == "major"


# --- kidney -----------------------------------------------------------------------------------------------------------


def test_cockcroft_gault_by_hand() -> None:
    # (140 - 70) x 60 x 0.85 / (72 x 1.2) = 41.32
    assert crcl_value(make_patient(age_years=70, sex="female", weight_kg=60, serum_creatinine_mg_dl=1.2)) == 41.3
    # (140 - 40) x 90 / (72 x 0.9) = 138.89
    assert crcl_value(make_patient(age_years=40, weight_kg=90, serum_creatinine_mg_dl=0.9)) == 138.9


@pytest.mark.parametrize(
    ("drug", "crcl", "action"),
    [
        ("dabigatran", 14.9, "avoid"),
        ("dabigatran", 15.0, "reduce_dose"),
        ("dabigatran", 30.0, "reduce_dose"),
        ("dabigatran", 30.1, "no_change"),  # PRADAXA: 15-30 mL/min -> 75 mg twice daily
        ("gabapentin", 59.9, "reduce_dose"),
        ("gabapentin", 60.0, "no_change"),
        ("metformin", 29.9, "avoid"),
        ("metformin", 30.0, "reduce_dose"),
        ("metformin", 44.9, "reduce_dose"),
        ("metformin", 45.0, "no_change"),
        ("sotalol", 39.9, "avoid"),
        ("sotalol", 40.0, "extend_interval"),
        ("sotalol", 60.0, "extend_interval"),
        ("sotalol", 60.1, "no_change"),
        ("levetiracetam", 80.0, "reduce_dose"),
        ("levetiracetam", 80.1, "no_change"),
        ("nitrofurantoin", 29.9, "avoid"),
        ("nitrofurantoin", 30.0, "no_change"),  # Beers 2023
        ("amoxicillin", 9.9, "extend_interval"),
        ("amoxicillin", 29.9, "extend_interval"),
        ("ciprofloxacin", 29.9, "extend_interval"),
        ("ciprofloxacin", 50.0, "reduce_dose"),
        ("ciprofloxacin", 50.1, "no_change"),
        ("acetaminophen", 5.0, "no_change"),
    ],
)
def test_renal_bands_at_their_cut_offs(drug: str, crcl: float, action: str) -> None:
    assert renal_band_for(D[drug], crcl).action == action


def test_renal_band_text_names_the_range() -> None:
    assert renal_band_for(D["dabigatran"], 20).band == "CrCl 15 to <= 30 mL/min"
    assert renal_band_for(D["dabigatran"], 40).band == "CrCl above 30 mL/min"


@pytest.mark.parametrize(
    ("facts", "action"),
    [
        ({"age_years": 80, "weight_kg": 60.0}, "reduce_dose"),  # two criteria, both at their boundary
        ({"age_years": 85, "serum_creatinine_mg_dl": 1.5}, "reduce_dose"),
        ({"age_years": 79, "weight_kg": 60.0, "serum_creatinine_mg_dl": 1.49}, "no_change"),  # one criterion
        ({"age_years": 90, "weight_kg": 100.0, "serum_creatinine_mg_dl": 4.0}, "reduce_dose"),
    ],
)
def test_apixaban_counts_its_label_criteria_not_crcl(facts: dict, action: str) -> None:
    assert renal_decision(D["apixaban"], make_patient(**facts)).action == action


# --- liver, allergy ---------------------------------------------------------------------------------------------------


def test_hepatic_actions_follow_the_child_pugh_class() -> None:
    assert hepatic_action(D["rivaroxaban"], make_patient(hepatic_function="child_pugh_b")) == "avoid"
    assert hepatic_action(D["rivaroxaban"], make_patient(hepatic_function="child_pugh_a")) == "no_change"
    assert hepatic_action(D["atorvastatin"], make_patient(hepatic_function="child_pugh_c")) == "avoid"
    assert hepatic_action(D["lorazepam"], make_patient(hepatic_function="child_pugh_c")) == "no_change"
    assert hepatic_action(D["rivaroxaban"], make_patient()) == "no_change"


@pytest.mark.parametrize(
    ("allergy", "drug", "level"),
    [
        ("penicillin", "amoxicillin", "contraindicated"),
        ("penicillin", "piperacillin-tazobactam", "contraindicated"),
        ("penicillin", "cephalexin", "caution"),  # shared R1 side chain
        ("penicillin", "ceftriaxone", "caution"),
        ("penicillin", "azithromycin", "none"),
        ("sulfonamide_antibiotic", "trimethoprim-sulfamethoxazole", "contraindicated"),
        ("sulfonamide_antibiotic", "furosemide", "none"),  # Strom 2003
        ("sulfonamide_antibiotic", "celecoxib", "contraindicated"),  # CELEBREX label
        ("nsaid", "ibuprofen", "contraindicated"),
        ("nsaid", "celecoxib", "caution"),
        ("nsaid", "acetaminophen", "none"),
        ("ace_inhibitor", "losartan", "caution"),
        ("ace_inhibitor", "sacubitril-valsartan", "contraindicated"),  # ENTRESTO label
    ],
)
def test_allergy_cross_reactivity(allergy: str, drug: str, level: str) -> None:
    matches = allergy_matches(D[drug], make_patient(allergies=((allergy, "urticaria"),)).allergies)
    assert allergy_level(matches) == level


# --- scores -----------------------------------------------------------------------------------------------------------


def test_tisdale_score_all_criteria() -> None:
    patient = make_patient(
        age_years=70, sex="female", potassium_mmol_l=3.5, qtc_ms=450, conditions=("sepsis", "heart_failure", "acute_mi")
    )
    result = tisdale_score(patient, [D["furosemide"], D["citalopram"], D["ondansetron"]])
    # 1 age + 1 female + 1 loop + 2 K + 2 QTc + 2 MI + 3 one drug + 3 two drugs + 3 sepsis + 3 HF = 21
    assert (result.score, result.category) == (21, "high")
    assert result.qt_drugs == ["citalopram", "ondansetron"]


def test_tisdale_category_boundaries() -> None:
    six = tisdale_score(make_patient(sex="female", qtc_ms=460), [D["citalopram"]])  # 1 + 2 + 3
    seven = tisdale_score(make_patient(sex="female", qtc_ms=460, age_years=68), [D["citalopram"]])
    assert (six.score, six.category, seven.score, seven.category) == (6, "low", 7, "moderate")
    no_drug = tisdale_score(make_patient(potassium_mmol_l=3.6, qtc_ms=449), [D["sertraline"], D["metoprolol"]])
    assert no_drug.score == 0  # conditional-risk sertraline is not a QTc-prolonging drug for the score


def test_acb_total() -> None:
    assert acb_total([D["amitriptyline"], D["metoprolol"], D["carbamazepine"], D["lisinopril"]]) == 6


# --- the prescribing decision -----------------------------------------------------------------------------------------


def test_prescription_decision_levels() -> None:
    on_statin = make_patient(meds=("simvastatin",))
    check = check_prescription(on_statin, [D["simvastatin"]], D["clarithromycin"])
    assert (check.decision, check.reasons) == ("unsafe", ["interaction"])
    check = check_prescription(on_statin, [D["simvastatin"]], D["azithromycin"])
    assert (check.decision, check.reasons) == ("safe", [])
    ckd = make_patient(age_years=80, sex="female", weight_kg=55, serum_creatinine_mg_dl=1.8)  # CrCl 21.6
    assert check_prescription(ckd, [], D["gabapentin"]).decision == "caution"
    assert check_prescription(ckd, [], D["nitrofurantoin"]).reasons == ["renal"]
    pregnant = make_patient(
        age_years=30, sex="female", weight_kg=65, serum_creatinine_mg_dl=0.7, pregnant=True, gestational_age_weeks=20
    )
    assert check_prescription(pregnant, [], D["lisinopril"]).decision == "unsafe"
    assert check_prescription(pregnant, [], D["labetalol"]).decision == "safe"
    allergic = make_patient(allergies=(("penicillin", "anaphylaxis"),))
    assert check_prescription(allergic, [], D["cephalexin"]).reasons == ["allergy"]
