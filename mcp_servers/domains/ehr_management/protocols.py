"""Institutional order protocols: what to order for a result, with the dose, route and timing, and each source.

The electrolyte and HbA1c protocols are those of MedAgentBench (Jiang Y et al., "MedAgentBench: a virtual EHR
environment to benchmark medical LLM agents", NEJM AI 2025; tasks 5, 9 and 10), written as the institution's
standing orders:

- Magnesium (task 5): the last serum magnesium within 24 hours; if below 1.9 mg/dL, IV magnesium sulfate: 1 g over
  1 hour for 1.5-1.9, 2 g over 2 hours for 1.0-1.5, 4 g over 4 hours below 1.0. No level in 24 hours: order nothing.
- Potassium (task 9): the most recent serum potassium; if below 3.5 mmol/L, oral potassium chloride 10 mEq for
  every 0.1 mmol/L below 3.5, paired with a serum potassium drawn at 08:00 the next morning.
- HbA1c (task 10): the last HbA1c; if none or older than one year, order a new HbA1c (ADA Standards of Care 2025,
  section 6: at least twice a year when at goal, quarterly otherwise; a year without one is overdue).
- Referral (task 8): an orthopaedic referral is a ServiceRequest coded SNOMED CT 306181000000106 with the reason in
  free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from healthgym.mcp_servers.domains.ehr_management.population import NOW, ts

MEDAGENTBENCH = "Jiang Y et al. MedAgentBench, NEJM AI 2025 (tasks 5, 8, 9, 10): institutional order protocols"
MAGNESIUM_SULFATE = ("6585", "magnesium sulfate")
POTASSIUM_CHLORIDE = ("8591", "potassium chloride")
ELECTROLYTE_DRUGS = {MAGNESIUM_SULFATE[0]: MAGNESIUM_SULFATE[1], POTASSIUM_CHLORIDE[0]: POTASSIUM_CHLORIDE[1]}
MAGNESIUM_LOINC, POTASSIUM_LOINC, HBA1C_LOINC = "19123-9", "2823-3", "4548-4"
MAGNESIUM_THRESHOLD = 1.9
POTASSIUM_THRESHOLD = 3.5
HBA1C_MAX_AGE_DAYS = 365
ORTHOPEDIC_REFERRAL = ("306181000000106", "Referral to orthopedic service")
TIMED_CODES = frozenset({POTASSIUM_LOINC})
"""Service requests whose timing the protocol fixes (the morning potassium recheck); their time is graded."""


@dataclass(frozen=True)
class Order:
    """An order the protocol calls for."""

    resource_type: str
    code: str
    display: str
    dose_value: float = 0.0
    dose_unit: str = ""
    route: str = ""
    duration_hours: float = 0.0
    occurrence: str = ""

    def signature(self, patient: str) -> str:
        return order_signature(self.resource_type, self.code, patient, self.dose_value, self.dose_unit, self.route,
                               self.duration_hours, self.occurrence)  # fmt: skip


def order_signature(
    resource_type: str,
    code: str,
    patient: str,
    dose_value: float = 0.0,
    dose_unit: str = "",
    route: str = "",
    duration_hours: float = 0.0,
    occurrence: str = "",
) -> str:
    """What a written order is graded on: type, code, dose, route, infusion time, patient and, where the protocol
    fixes it, the time."""
    if resource_type == "MedicationRequest":
        over = f" over {duration_hours:g} h" if duration_hours else ""
        return f"MedicationRequest {code} {dose_value:g} {dose_unit} {route}{over} for {patient}"
    at = f" at {occurrence}" if code in TIMED_CODES and occurrence else ""
    return f"ServiceRequest {code} for {patient}{at}"


def written_signature(r: dict[str, Any]) -> str:
    """The signature of an order resource written in the episode."""
    patient = r["subject"]["reference"].split("/", 1)[1]
    if r["resourceType"] == "MedicationRequest":
        dosage = r["dosageInstruction"][0]
        dose = dosage["doseAndRate"][0]["doseQuantity"]
        repeat = dosage.get("timing", {}).get("repeat", {})
        code = r["medicationCodeableConcept"]["coding"][0]["code"]
        return order_signature("MedicationRequest", code, patient, float(dose["value"]), dose["code"],
                               dosage["route"]["text"], float(repeat.get("duration", 0)))  # fmt: skip
    code = r["code"]["coding"][0]["code"]
    return order_signature("ServiceRequest", code, patient, occurrence=r.get("occurrenceDateTime", ""))


def magnesium_order(level: float | None) -> Order | None:
    """IV magnesium sulfate by level (mg/dL), or None when there is no level in 24 h or it is not below 1.9."""
    if level is None or level >= MAGNESIUM_THRESHOLD:
        return None
    grams = 4.0 if level < 1.0 else 2.0 if level < 1.5 else 1.0
    return Order("MedicationRequest", *MAGNESIUM_SULFATE, grams, "g", "intravenous", grams)


def potassium_orders(level: float | None, now: datetime = NOW) -> list[Order]:
    """Oral KCl 10 mEq per 0.1 mmol/L below 3.5 and a serum potassium at 08:00 next morning; none when not low."""
    if level is None or level >= POTASSIUM_THRESHOLD:
        return []
    steps = round((POTASSIUM_THRESHOLD - level) / 0.1, 6)
    dose = round(steps) * 10.0
    recheck = (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    return [
        Order("MedicationRequest", *POTASSIUM_CHLORIDE, dose, "meq", "oral"),
        Order("ServiceRequest", POTASSIUM_LOINC, "Potassium [Moles/volume] in Serum or Plasma", occurrence=ts(recheck)),
    ]


def hba1c_order_due(last_time: str | None, now: datetime = NOW) -> bool:
    """Whether a new HbA1c is due: none on record, or the last one more than a year old."""
    if last_time is None:
        return True
    last = datetime.fromisoformat(last_time.replace("Z", "+00:00"))
    return (now - last).total_seconds() > HBA1C_MAX_AGE_DAYS * 86400


HBA1C_ORDER = Order("ServiceRequest", HBA1C_LOINC, "Hemoglobin A1c/Hemoglobin.total in Blood")
REFERRAL_ORDER = Order("ServiceRequest", *ORTHOPEDIC_REFERRAL)

PROTOCOLS: dict[str, dict[str, Any]] = {
    "magnesium_replacement": {
        "title": "IV magnesium replacement",
        "trigger": f"last serum magnesium (LOINC {MAGNESIUM_LOINC}) within 24 hours below {MAGNESIUM_THRESHOLD} mg/dL; "
        "no level within 24 hours: order nothing",
        "dosing": [
            "1.5 to < 1.9 mg/dL: magnesium sulfate (RxNorm 6585) 1 g IV over 1 hour",
            "1.0 to < 1.5 mg/dL: magnesium sulfate 2 g IV over 2 hours",
            "< 1.0 mg/dL: magnesium sulfate 4 g IV over 4 hours",
        ],
        "order_fields": "MedicationRequest: medication 6585, dose_value in g, dose_unit 'g', route 'intravenous', "
        "duration_hours = the infusion time",
        "source": MEDAGENTBENCH + " (task 5)",
    },
    "potassium_replacement": {
        "title": "Oral potassium replacement with a morning recheck",
        "trigger": f"most recent serum potassium (LOINC {POTASSIUM_LOINC}) below {POTASSIUM_THRESHOLD} mmol/L",
        "dosing": [
            "potassium chloride (RxNorm 8591) by mouth: 10 mEq for every 0.1 mmol/L below 3.5 "
            "(e.g. 3.1 -> 40 mEq)",
            f"with a serum potassium (ServiceRequest LOINC {POTASSIUM_LOINC}) at 08:00 UTC the next morning",
        ],
        "order_fields": "MedicationRequest: medication 8591, dose_unit 'meq', route 'oral', duration_hours 0; "
        "ServiceRequest: code 2823-3, occurrence = next day 08:00:00Z",
        "source": MEDAGENTBENCH + " (task 9)",
    },
    "hba1c_recheck": {
        "title": "HbA1c recheck",
        "trigger": f"no HbA1c (LOINC {HBA1C_LOINC}) on record, or the last one more than {HBA1C_MAX_AGE_DAYS} days old",
        "dosing": [f"order ServiceRequest LOINC {HBA1C_LOINC} (no timing)"],
        "order_fields": "ServiceRequest: code 4548-4, code_system 'loinc'",
        "source": MEDAGENTBENCH + " (task 10); ADA Standards of Care in Diabetes 2025, section 6 (glycemic goals)",
    },
    "orthopedic_referral": {
        "title": "Orthopaedic surgery referral",
        "trigger": "a clinician asks for an orthopaedic referral",
        "dosing": [f"ServiceRequest SNOMED CT {ORTHOPEDIC_REFERRAL[0]} ({ORTHOPEDIC_REFERRAL[1]}), the reason as the "
                   "request's note, word for word"],
        "order_fields": "ServiceRequest: code 306181000000106, code_system 'snomed', note = the free-text reason",
        "source": MEDAGENTBENCH + " (task 8)",
    },
}  # fmt: skip
"""The protocols ``get_order_protocol`` serves, as the institution's order sets state them."""
