"""Finding the patient behind a case id: a generated case rebuilt from its id, or a case loaded from a user's file."""

from __future__ import annotations

from healthgym.mcp_servers.domains.clinical_diagnosis.loaders import LoadedCase
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import DOMAIN, Case, Patient, build_case, parse_case_id
from healthgym.mcp_servers.loaders import loaded_case


def expected(case_id: str) -> Case | LoadedCase | None:
    """The case (patient and gold) of ``case_id``, or None when the id is neither loaded nor generated. Loaded ids
    are asked first: they are digests (``DX-F`` and 12 hex digits) that could pass as generated ones."""
    loaded = loaded_case(DOMAIN, str(case_id))
    if loaded is not None:
        return loaded
    try:
        split, seed, index = parse_case_id(case_id)
    except ValueError:
        return None
    return build_case(split, seed, index)


def lookup(case_id: str) -> Patient | None:
    """The patient of ``case_id``, or None when the id is unknown."""
    case = expected(case_id)
    return case.patient if case else None
