"""The knowledge tables: size, sources, consistency, immutability and hand-checked facts from the primary sources."""

from __future__ import annotations

import json
from itertools import combinations

import pytest

from healthgym.mcp_servers.domains.drug_interaction.cases import mechanism_index
from healthgym.mcp_servers.domains.drug_interaction.knowledge import DATA_DIR, knowledge, normalize_name, pair_key
from healthgym.mcp_servers.domains.drug_interaction.rules import mechanism_findings

K = knowledge()


def test_tables_are_large_enough_and_every_row_carries_its_source() -> None:
    assert len(K.drugs) >= 150
    assert len(K.interactions) >= 300
    for drug in K.drugs.values():
        assert drug.label and drug.sources and set(drug.sources) <= set(K.sources), drug.name
    for item in K.interactions.values():
        assert item.source and item.mechanism and item.management, item.drugs
    for rule in K.rules.values():
        assert all(key.strip() in K.sources for key in rule.source.split(";")), rule.id


def test_every_drug_property_has_its_table_source() -> None:
    for drug in K.drugs.values():
        if drug.qt:
            assert "crediblemeds" in drug.sources, drug.name
        if drug.acb:
            assert "acb" in drug.sources, drug.name
        if drug.substrate or drug.inhibits or drug.induces:
            assert "fda_ddi" in drug.sources, drug.name


def test_every_mechanism_rule_fires_somewhere_and_every_fired_rule_is_documented() -> None:
    fired = {f.rule for a, b in combinations(sorted(K.drugs), 2) for f in mechanism_findings(K.drugs[a], K.drugs[b])}
    assert fired == set(K.rules)


def test_mechanism_index_covers_every_family() -> None:
    assert set(mechanism_index()) == {r.mechanism for r in K.rules.values()}


def test_tables_are_immutable_and_loaded_once() -> None:
    assert knowledge() is K
    with pytest.raises(TypeError):
        K.drugs["x"] = K.drugs["simvastatin"]  # type: ignore[index]
    with pytest.raises(Exception, match="frozen"):
        K.drugs["simvastatin"].nti = True  # type: ignore[misc]


def test_json_files_have_no_unknown_drugs_or_duplicates() -> None:
    rows = json.loads((DATA_DIR / "interactions.json").read_text())
    pairs = [frozenset(r["drugs"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert all(set(p) <= set(K.drugs) for p in pairs)


@pytest.mark.parametrize(
    ("a", "b", "severity"),
    [
        ("simvastatin", "clarithromycin", "contraindicated"),  # ZOCOR label section 4
        ("warfarin", "fluconazole", "major"),  # CYP2C9 inhibition
        ("sertraline", "linezolid", "contraindicated"),  # ZOLOFT label; FDA 2011
        ("lisinopril", "spironolactone", "major"),  # hyperkalaemia, Juurlink 2004
        ("sildenafil", "nitroglycerin", "contraindicated"),  # VIAGRA label section 4
        ("methotrexate", "trimethoprim", "major"),  # antifolate + reduced clearance
        ("tizanidine", "ciprofloxacin", "contraindicated"),  # ZANAFLEX label section 4
        ("clopidogrel", "omeprazole", "major"),  # PLAVIX label: avoid
        ("clopidogrel", "pantoprazole", "minor"),
        ("dofetilide", "hydrochlorothiazide", "contraindicated"),  # TIKOSYN label section 4
        ("repaglinide", "gemfibrozil", "contraindicated"),
        ("azathioprine", "allopurinol", "major"),
        ("amiloride", "potassium chloride", "contraindicated"),
        ("sacubitril-valsartan", "lisinopril", "contraindicated"),  # 36-hour washout
        ("ticagrelor", "aspirin", "moderate"),  # keep aspirin <= 100 mg
    ],
)
def test_classic_curated_interactions(a: str, b: str, severity: str) -> None:
    assert K.interactions[pair_key(a, b)].severity == severity


def test_fda_table_and_credible_meds_spot_checks() -> None:
    d = K.drugs
    assert d["clarithromycin"].inhibits["CYP3A4"] == "strong"
    assert d["itraconazole"].inhibits["CYP3A4"] == "strong"
    assert d["diltiazem"].inhibits["CYP3A4"] == "moderate"
    assert d["fluconazole"].inhibits == {"CYP3A4": "moderate", "CYP2C9": "moderate", "CYP2C19": "strong"}
    assert d["rifampin"].induces["CYP3A4"] == "strong"
    assert d["simvastatin"].substrate["CYP3A4"] == d["midazolam"].substrate["CYP3A4"] == "sensitive"
    assert d["fluoxetine"].inhibits["CYP2D6"] == d["paroxetine"].inhibits["CYP2D6"] == "strong"
    assert d["clopidogrel"].prodrug == ("CYP2C19",)
    assert {n for n in ("citalopram", "ondansetron", "methadone", "azithromycin") if d[n].qt == "known"} == {
        "citalopram",
        "ondansetron",
        "methadone",
        "azithromycin",
    }
    assert d["sertraline"].qt == "conditional"
    assert (d["amitriptyline"].acb, d["oxybutynin"].acb, d["carbamazepine"].acb, d["metoprolol"].acb) == (3, 3, 2, 1)
    assert d["linezolid"].serotonergic == "maoi" and d["tramadol"].serotonergic == "sri"


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("Zocor", "simvastatin"),
        ("salbutamol", "albuterol"),
        ("TMP-SMX", "trimethoprim-sulfamethoxazole"),
        ("St. John's Wort", "st john's wort"),
        ("Paxlovid", "nirmatrelvir-ritonavir"),
        ("sacubitril/valsartan", "sacubitril-valsartan"),
        ("ISOSORBIDE_MONONITRATE", "isosorbide mononitrate"),
    ],
)
def test_brands_and_synonyms_resolve(alias: str, name: str) -> None:
    assert K.lookup[normalize_name(alias)] == name
