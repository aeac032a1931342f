"""An in-process MCP session on the drug-interaction server, and a patient builder for rule tests."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.drug_interaction.patients import Allergy, MedicationOrder, Patient
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("drug_interaction"))


def make_patient(*, meds: tuple[str, ...] = (), allergies: tuple[tuple[str, str], ...] = (), **facts) -> Patient:
    """A patient with plain defaults (50-year-old man, 80 kg, creatinine 1.0, normal liver) and the given facts."""
    base = dict(
        patient_id="DI-test",
        age_years=50,
        sex="male",
        weight_kg=80.0,
        serum_creatinine_mg_dl=1.0,
        potassium_mmol_l=4.2,
        qtc_ms=420,
        hepatic_function="normal",
    )
    base.update(facts)
    return Patient(
        **base,
        allergies=tuple(Allergy(allergen=a, reaction=r) for a, r in allergies),
        medications=tuple(MedicationOrder(drug=m, dose="as directed", indication="hypertension") for m in meds),
    )
