"""The registry of clinical domains: one line per domain, imported on first use."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from healthgym.mcp_servers.domain import DomainSpec

DOMAINS: dict[str, str] = {
    "clinical_diagnosis": "healthgym.mcp_servers.domains.clinical_diagnosis",
    "cross_domain": "healthgym.mcp_servers.domains.cross_domain",
    "drug_interaction": "healthgym.mcp_servers.domains.drug_interaction",
    "ehr_management": "healthgym.mcp_servers.domains.ehr_management",
    "medical_qa": "healthgym.mcp_servers.domains.medical_qa",
    "obstetrics": "healthgym.mcp_servers.domains.obstetrics",
    "psychiatry": "healthgym.mcp_servers.domains.psychiatry",
    "radiology_report": "healthgym.mcp_servers.domains.radiology_report",
    "triage_emergency": "healthgym.mcp_servers.domains.triage_emergency",
    "visual_diagnosis": "healthgym.mcp_servers.domains.visual_diagnosis",
}
"""Domain name -> module exposing ``SPEC``."""


@cache
def get_domain(name: str) -> DomainSpec:
    """The domain called ``name``; an unknown name is an error listing the known ones."""
    if name not in DOMAINS:
        raise KeyError(f"unknown domain {name!r}; available: {', '.join(sorted(DOMAINS))}")
    return import_module(DOMAINS[name]).SPEC


def domain_names() -> list[str]:
    return sorted(DOMAINS)


__all__ = ["DOMAINS", "domain_names", "get_domain"]
