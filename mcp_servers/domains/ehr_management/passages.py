"""Knowledge-base passages of the EHR domain, generated from the tables the tools use: each observation's LOINC
code, UCUM unit and reference interval, each drug's labelled indications, each order protocol, and how to search
the record. Every passage names its source."""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.ehr_management.protocols import PROTOCOLS
from healthgym.mcp_servers.domains.ehr_management.terminology import drugs, icd_description, observations
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["ehr_management"]


def _passage(title: str, text: str, source: str) -> Passage:
    return Passage(id=passage_id(title, text), corpus=CORPUS, title=title, text=text, domains=DOMAINS, source=source)


def passages() -> Iterator[Passage]:
    for d in observations().values():
        interval = "no reference interval"
        if d.low is not None:
            interval = f"reference interval {d.low:g}-{d.high:g} {d.unit}"
            if d.low_female is not None:
                interval = (f"reference interval men {d.low:g}-{d.high:g}, women {d.low_female:g}-"
                            f"{d.high_female:g} {d.unit}")  # fmt: skip
        yield _passage(f"LOINC {d.loinc}: {d.name}", f"{d.display} (LOINC {d.loinc}), category {d.category}, reported "
                       f"in UCUM {d.unit}; {interval}. A value outside it is abnormal.", d.source)  # fmt: skip
    for drug in drugs().values():
        indications = "; ".join(f"{p} ({icd_description(p) or 'ICD-10-CM category'})" for p in drug.indications)
        yield _passage(f"{drug.name}: labelled indications", f"{drug.name} (RxNorm {drug.rxnorm}), usual dose "
                       f"{drug.dose}. Labelled indications as ICD-10-CM: {indications}. In medication reconciliation "
                       "an active drug with none of these on the active problem list is flagged.", drug.source)
    for name, p in PROTOCOLS.items():
        yield _passage(f"Order protocol: {p['title']}", f"{p['title']} ({name}). Applies when: {p['trigger']}. "
                       f"Orders: {'; '.join(p['dosing'])}. Writing the order: {p['order_fields']}.", p["source"])
