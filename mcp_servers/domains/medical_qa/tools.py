"""The medical_qa tools: plain typed functions whose signatures are the MCP schemas.

Kinds (``TOOL_KINDS``): ``get_question`` is the record; the lookups of the clinic's own tables (drug monographs,
conditions, curated interactions, calculators, ED protocols, psychiatric instruments) are ``reference``; the
knowledge-base tools (``search_knowledge``, ``read_passage``, ``read_document``, ``list_corpora``) are
``decision_support``, so the tier mechanism withholds them from closed-book questions (the unassisted tier);
``record_citation`` and ``submit_answer`` write. The lookups read the other domains' tables in place
(``drug_interaction.knowledge``, ``calculators.CALCULATORS``, ``triage_emergency.protocols``,
``psychiatry.instruments``).
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.calculators import CALCULATORS
from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge, normalize_name
from healthgym.mcp_servers.domains.drug_interaction.rules import renal_band_table
from healthgym.mcp_servers.domains.medical_qa import library
from healthgym.mcp_servers.domains.medical_qa.bank import partners
from healthgym.mcp_servers.domains.medical_qa.items import DOMAIN, resolve
from healthgym.mcp_servers.domains.medical_qa.models import Question
from healthgym.mcp_servers.domains.psychiatry.instruments import INSTRUMENTS
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOLS
from healthgym.mcp_servers.kb.errors import KBError
from healthgym.mcp_servers.kb.passages import document_id, licence_of
from healthgym.mcp_servers.kb.search import MAX_QUERY_CHARS
from healthgym.mcp_servers.kb.tools import KnowledgeHit, knowledge_hit

QuestionId = Annotated[str, Field(description="Question id, such as 'QA-5W1Q3ZK8M0RTA'.")]
MAX_CITATIONS = 20


def _question(question_id: str) -> Question:
    try:
        return resolve(question_id).question
    except ValueError:
        raise ToolError(f"question_id: unknown question id {str(question_id)[:40]!r}") from None


# --- record --------------------------------------------------------------------------------------------------------


def get_question(question_id: QuestionId) -> Question:
    """The question: its text, the options to choose from, whether it is open or closed book, its source and licence.
    Answers are graded against the options exactly as written."""
    return _question(question_id)


# --- knowledge base (decision support: withheld in the closed book) -------------------------------------------------


class SearchResults(BaseModel):
    query: str = Field(description="The query as searched.")
    backend: str = Field(description="'postgres' (the knowledge-base database) or 'builtin' (in-memory BM25).")
    notice: str = Field(description="Why a configured database did not answer; empty when nothing went wrong.")
    hits: list[KnowledgeHit] = Field(description="Best passages first, each with its document, source and licence.")


def search_knowledge(
    query: Annotated[str, Field(description=f"Question or key terms (at most {MAX_QUERY_CHARS} characters).")],
    k: Annotated[int, Field(ge=1, le=20, description="How many passages to return.")] = 5,
    corpus: Annotated[str, Field(description="Only this corpus (see list_corpora); empty searches all.")] = "",
    domain: Annotated[str, Field(description="Only passages tagged with this domain, e.g. 'drug_interaction'; "
                                 "empty for any.")] = "",  # fmt: skip
) -> SearchResults:
    """Search the knowledge base: hybrid (dense + BM25, fused by reciprocal rank) on the knowledge-base database when
    one is built, else BM25 over the built-in clinic corpus (Robertson & Zaragoza 2009), plus any corpus loaded with
    a question file. Every hit carries its passage id (cite it), document id, title, source and licence."""
    try:
        backend, notice, found = library.search(query, k=k, corpus=corpus, domain=domain)
    except KBError as err:
        raise ToolError(f"corpus/query: {err}") from None
    except ValueError as err:
        raise ToolError(f"query: {err}") from None
    return SearchResults(query=" ".join(str(query).split()), backend=backend, notice=notice,
                         hits=[knowledge_hit(p) for p in found])  # fmt: skip


class PassageText(BaseModel):
    id: str = Field(description="Passage id: cite this.")
    title: str
    text: str = Field(description="The passage in full.")


class OpenedPassage(BaseModel):
    id: str = Field(description="Passage id: cite this.")
    document: str = Field(description="Document the passage was cut from.")
    corpus: str
    title: str
    text: str = Field(description="The passage in full.")
    source: str = Field(description="Where it comes from: the reference to cite.")
    licence: str
    domains: list[str]
    neighbours: list[PassageText] = Field(description="The passages before and after it in its document or about "
                                          "the same subject, in order.")  # fmt: skip


def read_passage(
    passage: Annotated[str, Field(description="Passage id from a search hit.")],
    neighbours: Annotated[int, Field(ge=0, le=5, description="How many passages to show on each side.")] = 1,
    corpus: Annotated[str, Field(description="The passage's corpus; empty to look in every corpus.")] = "",
) -> OpenedPassage:
    """Open one passage in full with its neighbours (the chunks around it in its document, or the sections next to
    it about the same subject), with its source and licence."""
    try:
        p = library.get(str(passage).strip(), corpus)
    except (KeyError, KBError) as err:
        raise ToolError(f"passage: {err.args[0] if err.args else err}") from None
    near = [PassageText(id=n.id, title=n.title, text=n.text) for n in library.neighbours(p, neighbours)]
    return OpenedPassage(id=p.id, document=document_id(p), corpus=p.corpus, title=p.title, text=p.text,
                         source=p.source, licence=licence_of(p), domains=list(p.domains), neighbours=near)  # fmt: skip


class Document(BaseModel):
    document: str
    corpus: str
    title: str
    source: str
    licence: str
    passages: list[PassageText] = Field(description="Its passages in order; cite the one that states the answer.")


def read_document(
    document: Annotated[str, Field(description="Document id from a search hit's `document`.")],
    corpus: Annotated[str, Field(description="The document's corpus; empty to look in every in-memory corpus.")] = "",
) -> Document:
    """Read a whole document (every passage of a chunked answer or abstract, in order) from the built-in or a loaded
    corpus, with its source and licence."""
    try:
        found = library.document(str(document).strip(), str(corpus))
    except KeyError as err:
        raise ToolError(f"document: {err.args[0]}") from None
    first = found[0]
    return Document(document=document_id(first), corpus=first.corpus, title=first.title, source=first.source,
                    licence=licence_of(first),
                    passages=[PassageText(id=p.id, title=p.title, text=p.text) for p in found])  # fmt: skip


class CorpusRow(BaseModel):
    name: str
    passages: int
    backend: str = Field(description="'postgres', 'builtin' or 'loaded' (from a question file in this process).")
    licence: str
    domains: list[str]


class Corpora(BaseModel):
    corpora: list[CorpusRow]


def list_corpora() -> Corpora:
    """The corpora a search can reach, with their size, backend, licence and domain tags."""
    try:
        rows = library.corpora()
    except KBError as err:
        raise ToolError(f"knowledge base: {err}") from None
    return Corpora(corpora=[CorpusRow(name=c.name, passages=c.passages, backend=c.backend, licence=c.licence,
                                      domains=list(c.domains)) for c in rows])  # fmt: skip


# --- the clinic's reference tables ------------------------------------------------------------------------------------


class RenalBand(BaseModel):
    band: str
    below_ml_min: float = Field(description="Upper CrCl bound of the band (mL/min).")
    action: str
    dose: str


class Partner(BaseModel):
    drug: str
    severity: str


class DrugCard(BaseModel):
    name: str
    brands: list[str]
    drug_class: str
    group: str
    mechanism: str
    indications: list[str]
    renal_bands: list[RenalBand] = Field(description="Label bands by Cockcroft-Gault CrCl, lowest first; empty if "
                                         "none.")  # fmt: skip
    pregnancy: str
    lactation: str
    curated_interactions: list[Partner]
    source: str


def _drug(name: str, param: str = "drug"):
    k = knowledge()
    found = k.lookup.get(normalize_name(str(name)))
    if found is None:
        close = [n for n in sorted(k.drugs) if normalize_name(str(name))[:4] in n][:8]
        raise ToolError(f"{param}: unknown drug {str(name)[:60]!r}; e.g. {', '.join(close or sorted(k.drugs)[:8])} "
                        f"(list_drugs lists all {len(k.drugs)})")  # fmt: skip
    return k.drugs[found]


def lookup_drug(
    drug: Annotated[str, Field(description="Generic or brand name, e.g. 'warfarin' or 'Coumadin'.")],
) -> DrugCard:
    """The clinic's monograph row of a drug (class, group, mechanism, indications, renal bands by Cockcroft-Gault CrCl,
    pregnancy and lactation, curated interaction partners) from the drug-interaction tables, with the label and
    sources it follows."""
    d = _drug(drug)
    k = knowledge()
    bands = [RenalBand(band=row.band, below_ml_min=b.below, action=row.action, dose=row.dose)
             for row, b in zip(renal_band_table(d), d.renal, strict=True)]  # fmt: skip
    return DrugCard(name=d.name, brands=list(d.brands), drug_class=d.drug_class, group=d.group, mechanism=d.mechanism,
                    indications=list(d.indications), renal_bands=bands, pregnancy=d.pregnancy, lactation=d.lactation,
                    curated_interactions=[Partner(drug=p, severity=s) for p, s in sorted(partners(d.name).items())],
                    source="; ".join([d.label, *(k.cite(s) for s in d.sources if s != "label")]))  # fmt: skip


class DrugList(BaseModel):
    drugs: list[str]
    groups: list[str] = Field(description="Every therapeutic group in the table.")


def list_drugs(
    group: Annotated[str, Field(description="Therapeutic group, e.g. 'cardiovascular'; empty for all.")] = "",
    drug_class: Annotated[str, Field(description="Words of the class, e.g. 'beta blocker'; empty for all.")] = "",
) -> DrugList:
    """Drugs of the clinic's formulary, optionally of one therapeutic group and/or class."""
    k = knowledge()
    groups = sorted({d.group for d in k.drugs.values()})
    if group and group not in groups:
        raise ToolError(f"group: unknown group {str(group)[:40]!r}; one of {', '.join(groups)}")
    want = str(drug_class).lower().strip()
    names = [d.name for d in k.drugs.values() if (not group or d.group == group) and want in d.drug_class.lower()]
    return DrugList(drugs=sorted(names), groups=groups)


class ConditionCard(BaseModel):
    code: str
    name: str
    chronic: bool
    treatments: list[str] = Field(description="Drugs that treat it in this clinic.")
    source: str


def lookup_condition(
    condition: Annotated[str, Field(description="Condition name or code, e.g. 'atrial fibrillation'.")],
) -> ConditionCard:
    """A condition of the clinic's table and the drugs that treat it in this clinic."""
    k = knowledge()
    key = normalize_name(str(condition)).replace(" ", "_")
    code = next((c for c, row in k.conditions.items() if key in (c, normalize_name(row.name).replace(" ", "_"))), None)
    if code is None:
        raise ToolError(f"condition: unknown condition {str(condition)[:60]!r}; one of "
                        f"{', '.join(sorted(k.conditions))}")  # fmt: skip
    row = k.conditions[code]
    return ConditionCard(code=code, name=row.name, chronic=row.chronic, treatments=list(row.treatments),
                         source="healthgym drug_interaction conditions table")  # fmt: skip


class ConditionRow(BaseModel):
    code: str
    name: str
    treatments: int = Field(description="How many drugs treat it in this clinic.")


class ConditionList(BaseModel):
    conditions: list[ConditionRow]


def list_conditions(
    contains: Annotated[str, Field(description="Words the condition's name must contain; empty for all.")] = "",
) -> ConditionList:
    """The conditions of the clinic's table (code, name, number of treatments), optionally filtered by name."""
    want = normalize_name(str(contains))
    rows = [ConditionRow(code=code, name=c.name, treatments=len(c.treatments))
            for code, c in sorted(knowledge().conditions.items()) if want in normalize_name(c.name)]  # fmt: skip
    return ConditionList(conditions=rows)


class InteractionCard(BaseModel):
    drugs: list[str]
    curated: bool = Field(description="Whether the pair is in the curated table.")
    severity: str = Field(description="contraindicated, major, moderate, minor, or 'none' when not curated.")
    mechanism: str
    effect: str
    management: str
    source: str


def lookup_interaction(
    drug_a: Annotated[str, Field(description="First drug (generic or brand).")],
    drug_b: Annotated[str, Field(description="Second drug (generic or brand).")],
) -> InteractionCard:
    """The curated interaction of two drugs (severity on the Micromedex/Lexicomp scale, mechanism, effect,
    management, source), or that the pair is not curated."""
    a, b = _drug(drug_a, "drug_a"), _drug(drug_b, "drug_b")
    it = knowledge().interactions.get(frozenset((a.name, b.name)))
    if it is None:
        return InteractionCard(drugs=[a.name, b.name], curated=False, severity="none", mechanism="", effect="",
                               management="", source="healthgym curated interaction table")  # fmt: skip
    return InteractionCard(drugs=list(it.drugs), curated=True, severity=it.severity, mechanism=it.mechanism,
                           effect=it.effect, management=it.management, source=it.source)  # fmt: skip


class CalculatorCard(BaseModel):
    name: str
    title: str
    area: str
    description: str = Field(description="Formula, bands and source, as the calculator documents them.")
    inputs: list[str]


def lookup_calculator(
    calculator: Annotated[str, Field(description="Calculator id, e.g. 'cockcroft_gault' or 'cha2ds2_vasc'.")],
) -> CalculatorCard:
    """A clinical calculator's card: what it computes, its bands and thresholds, its source and inputs."""
    calc = CALCULATORS.get(str(calculator).strip().lower())
    if calc is None:
        raise ToolError(f"calculator: unknown calculator {str(calculator)[:60]!r}; e.g. "
                        f"{', '.join(sorted(CALCULATORS)[:12])} ({len(CALCULATORS)} in all)")  # fmt: skip
    return CalculatorCard(name=calc.name, title=calc.title, area=calc.area, description=calc.description,
                          inputs=list(calc.inputs.model_fields))  # fmt: skip


class ProtocolCard(BaseModel):
    code: str
    name: str
    activation: str
    criteria: list[str]
    actions: list[str]
    source: str


def lookup_protocol(
    protocol: Annotated[str, Field(description="ED protocol code: " + ", ".join(PROTOCOLS) + ".")],
) -> ProtocolCard:
    """A time-critical ED protocol's guideline card (activation rule, criteria, actions, source) from the triage
    domain's protocol table."""
    p = PROTOCOLS.get(str(protocol).strip().lower())
    if p is None:
        raise ToolError(f"protocol: unknown protocol {str(protocol)[:40]!r}; one of {', '.join(PROTOCOLS)}")
    return ProtocolCard(code=p.code, name=p.name, activation=p.activation, criteria=list(p.criteria),
                        actions=list(p.actions), source=p.source)  # fmt: skip


class InstrumentCard(BaseModel):
    code: str
    title: str
    scoring: str
    bands: list[str]
    source: str
    licence: str


def lookup_instrument(
    instrument: Annotated[str, Field(description="Instrument code: " + ", ".join(INSTRUMENTS) + ".")],
) -> InstrumentCard:
    """A psychiatric screening instrument's scoring rule and published cut-off bands, from the psychiatry domain's
    instrument table, with its source and reproduction terms."""
    inst = INSTRUMENTS.get(str(instrument).strip().lower())
    if inst is None:
        raise ToolError(f"instrument: unknown instrument {str(instrument)[:40]!r}; one of {', '.join(INSTRUMENTS)}")
    return InstrumentCard(code=inst.code, title=inst.title, scoring=inst.scoring, bands=list(inst.bands),
                          source=inst.source, licence=inst.licence)  # fmt: skip


# --- writes --------------------------------------------------------------------------------------------------------


class Citation(BaseModel):
    question_id: str
    passage_id: str
    title: str
    source: str
    licence: str
    claim: str


def _check_passage(passage_id: str, param: str):
    try:
        return library.get(str(passage_id).strip())
    except (KeyError, KBError):
        raise ToolError(f"{param}: unknown passage id {str(passage_id)[:64]!r} (cite ids from search hits)") from None


def record_citation(
    ctx: Context,
    question_id: QuestionId,
    passage_id: Annotated[str, Field(description="Id of a passage that supports the answer.")],
    claim: Annotated[str, Field(max_length=500, description="What the passage supports, in a few words.")] = "",
) -> Citation:
    """Record that a passage supports the answer to the question; recorded citations are submitted with the answer."""
    _question(question_id)
    p = _check_passage(passage_id, "passage_id")
    row = Citation(question_id=question_id, passage_id=p.id, title=p.title, source=p.source, licence=licence_of(p),
                   claim=str(claim)[:500])  # fmt: skip
    episode_state(ctx).add("citations", row.model_dump())
    return row


class Submission(BaseModel):
    answer: str
    citations: list[str] = Field(description="Passage ids graded as the answer's support: those submitted and "
                                 "those recorded with record_citation.")  # fmt: skip


def submit_answer(
    ctx: Context,
    question_id: QuestionId,
    answer: Annotated[str, Field(description="One of the question's options, exactly as written.")],
    citations: Annotated[list[str], Field(description="Ids of the passages that state the answer (open book); empty "
                                          "in the closed book.")] = [],  # noqa: B006 - the schema default  # fmt: skip
) -> Submission:
    """Submit the answer once, with the passages that support it. Recorded citations (record_citation) are added."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("answer: an answer was already submitted in this episode")
    q = _question(question_id)
    norm = " ".join(str(answer).split()).lower()
    chosen = next((o for o in q.options if o.lower() == norm), None)
    if chosen is None:
        raise ToolError(f"answer: {str(answer)[:80]!r} is not an option; one of: {'; '.join(q.options)}")
    if len(citations) > MAX_CITATIONS:
        raise ToolError(f"citations: at most {MAX_CITATIONS} passage ids, got {len(citations)}")
    ids = [_check_passage(c, "citations").id for c in citations]
    ids += [r["passage_id"] for r in state.get("citations") if r["question_id"] == q.question_id]
    out = Submission(answer=chosen, citations=list(dict.fromkeys(ids)))
    state.submitted = out.model_dump()
    return out


TOOLS = [
    get_question, search_knowledge, read_passage, read_document, list_corpora, lookup_drug, list_drugs,
    lookup_condition, list_conditions, lookup_interaction, lookup_calculator, lookup_protocol, lookup_instrument,
    record_citation, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_question": "record",
    "search_knowledge": "decision_support",
    "read_passage": "decision_support",
    "read_document": "decision_support",
    "list_corpora": "decision_support",
    "lookup_drug": "reference",
    "list_drugs": "reference",
    "lookup_condition": "reference",
    "list_conditions": "reference",
    "lookup_interaction": "reference",
    "lookup_calculator": "reference",
    "lookup_protocol": "reference",
    "lookup_instrument": "reference",
    "record_citation": "write",
    "submit_answer": "write",
}
"""Kind of every tool (see ``ToolKind``): the knowledge-base tools are withheld in the closed book."""

__all__ = ["DOMAIN", "TOOLS", "TOOL_KINDS"]
