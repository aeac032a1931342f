"""Medical question answering grounded in the knowledge base, with citations graded against the supporting passages.

## Description

Each task is a multiple-choice question with an opaque id (``QA-`` and 13 base32 characters) and a set of supporting
passages of the knowledge base. Generated questions ask facts of the clinic's own tables (the drug-interaction
domain's monographs, conditions and curated interactions) with distractors of the same type; loaded questions come
from the files users have (MedQA/MedMCQA/MMLU-style JSONL, PubMedQA ``ori_pqal.json``, MedQuAD; ``loaders.py``).
Tools are tagged ``record`` (the question), ``reference`` (lookups of the clinic's drug, condition, interaction,
calculator, ED protocol and instrument tables), ``decision_support`` (the knowledge base: ``search_knowledge``,
``read_passage``, ``read_document``, ``list_corpora``; withheld in the closed book) or ``write`` (``record_citation``,
``submit_answer``).

## Tasks

Two tiers: open book (``assisted``: search, read and cite the knowledge base) and closed book (``unassisted``: the
knowledge-base tools withheld, the clinic's reference tables remain). Kinds: ``drug_class`` (the class of a drug;
distractors from its therapeutic group), ``renal_threshold`` (the highest Cockcroft-Gault CrCl bound of a label's
renal dose bands; distractors are the label's lower bounds and other labels' bounds), ``interaction_multihop``
(composite: the one option that both treats a condition in this clinic and has a curated interaction with a named
drug, which needs the condition card and the interaction note). Open-book grading: 0 for a wrong answer, else
``0.5 + 0.5 * F1`` of the citations against the supporting passages; closed book: the answer only (``tasks.py``).

## References

1. Ben Abacha A, Demner-Fushman D. A question-entailment approach to question answering. BMC Bioinformatics
   2019;20:511 (MedQuAD, CC BY 4.0).
2. Jin Q et al. PubMedQA: a dataset for biomedical research question answering. EMNLP 2019 (MIT licence).
3. Jin D et al. What disease does this patient have? (MedQA). Applied Sciences 2021;11:6421; Pal A et al. MedMCQA,
   CHIL 2022; Hendrycks D et al. MMLU, ICLR 2021.
4. Robertson S, Zaragoza H. The probabilistic relevance framework: BM25 and beyond. Found Trends IR 2009;3(4);
   Cormack GV et al. Reciprocal rank fusion. SIGIR 2009.
5. The clinic's tables and their sources: FDA labels, FDA drug-interaction table, Cockcroft & Gault 1976 (see the
   drug_interaction domain).
"""

from pathlib import Path

from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.medical_qa.items import resolve
from healthgym.mcp_servers.domains.medical_qa.loaders import LOADERS
from healthgym.mcp_servers.domains.medical_qa.models import Question
from healthgym.mcp_servers.domains.medical_qa.solver import solve
from healthgym.mcp_servers.domains.medical_qa.tasks import VERSION, generate, grade
from healthgym.mcp_servers.domains.medical_qa.tools import TOOL_KINDS, TOOLS

POLICY = """You are a clinician answering medical questions from evidence, and proving each answer with citations.

- Open book: search the knowledge base (search_knowledge), open the passages that are about the question's subject
  (read_passage), and answer only what the text you read states. Cite every passage the answer rests on, and no
  passage it does not rest on: a right answer without its supporting passages earns half.
- A question that needs two facts (a condition's treatments, then an interaction) needs two passages: cite both.
- Closed book: the knowledge base is withheld; use the clinic's reference tables (lookup_drug, lookup_condition,
  lookup_interaction, ...) and submit without citations.
- Submit one of the options exactly as written. All questions are for evaluation; this is not medical advice.
"""


def case_record(question_id: str) -> Question:
    """The question behind an id, as get_question shows it."""
    return resolve(question_id).question


SPEC = DomainSpec(
    name="medical_qa",
    title="Medical QA",
    version=VERSION,
    policy=POLICY,
    tools=TOOLS,
    tool_kinds=TOOL_KINDS,
    generate=generate,
    solve=solve,
    grade=grade,
    case_record=case_record,
    package_dir=Path(__file__).parent,
    loaders=LOADERS,
)

__all__ = ["SPEC"]
