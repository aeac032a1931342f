"""Finding the patient behind a case id: a generated case rebuilt from its id, or a case loaded from a user's file."""

from __future__ import annotations

from healthgym.mcp_servers.domains.clinical_diagnosis.patients import Case, Patient, build_case, parse_case_id


def expected(case_id: str) -> Case | None:
    """The case (patient and gold) of ``case_id``, or None when the id is neither generated nor loaded."""
    try:
        split, seed, index = parse_case_id(case_id)
    except ValueError:
        return None
    return build_case(split, seed, index)


def lookup(case_id: str) -> Patient | None:
    """The patient of ``case_id``, or None when the id is unknown."""
    case = expected(case_id)
    return case.patient if case else None
