"""What an agent is asked, how its answer is graded, and what only the teacher and the grader may see."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Split = Literal["train", "dev", "test"]
"""``test`` is fixed and versioned, ``dev`` is fixed, ``train`` is an unbounded stream from other seeds."""

Tier = Literal["assisted", "unassisted"]
"""Which tools a task allows. ``assisted``: every tool of the domain. ``unassisted``: the ``decision_support`` tools
(those that compute a task's answer) are withheld, so the agent must apply the rule itself from ``record`` and
``reference`` tools, the way a clinician applies ESI from the handbook."""

TIERS: tuple[Tier, ...] = ("assisted", "unassisted")


class ChoiceAnswer(BaseModel):
    """One label out of a closed set (an ESI level, a severity, a letter of a multiple-choice question)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["choice"] = "choice"
    value: str = Field(description="The correct label, exactly as one of `options`.")
    options: list[str] = Field(description="Every label the agent may answer.")
    partial: dict[str, float] = Field(
        default_factory=dict,
        description="Credit in [0, 1] for clinically adjacent wrong labels (e.g. ESI off by one).",
    )


class NumericAnswer(BaseModel):
    """A quantity with a unit, graded within an absolute tolerance."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["number"] = "number"
    value: float = Field(description="The reference value.")
    unit: str = Field(description="Unit of `value`, e.g. 'mL/min'.")
    tolerance: float = Field(ge=0, description="Answers within value ± tolerance are correct.")


class CodeSetAnswer(BaseModel):
    """A set of codes or names (interacting pairs, protocols to activate); graded by F1 for partial credit."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["codes"] = "codes"
    codes: list[str] = Field(description="The reference set; order is irrelevant, may be empty.")


class FieldsAnswer(BaseModel):
    """Several named sub-answers graded separately and averaged with weights (e.g. ESI level + protocols)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["fields"] = "fields"
    fields: dict[str, Annotated[ChoiceAnswer | NumericAnswer | CodeSetAnswer, Field(discriminator="kind")]] = Field(
        description="Sub-answer per submit-tool argument name."
    )
    weights: dict[str, float] = Field(default_factory=dict, description="Weight per field; missing fields weigh 1.")


Answer = Annotated[ChoiceAnswer | NumericAnswer | CodeSetAnswer | FieldsAnswer, Field(discriminator="kind")]


class ActionSpec(BaseModel):
    """A tool call that the rubric requires or forbids; arguments listed must match (case-insensitive for text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tool: str = Field(description="Tool name.")
    arguments: dict[str, str | float | int | bool] = Field(
        default_factory=dict, description="Arguments that must match; others are free."
    )
    before: str | None = Field(
        default=None, description="If set, this action must happen before the first call of the named tool."
    )
    critical: bool = Field(
        default=False, description="Missing this required action is a safety failure (e.g. a time-critical protocol)."
    )
    why: str = Field(default="", description="Clinical reason, shown in the reward breakdown.")


class Rubric(BaseModel):
    """Process and safety criteria graded from the episode's own tool-call log."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    required_actions: list[ActionSpec] = Field(default_factory=list, description="Calls a careful clinician makes.")
    forbidden_actions: list[ActionSpec] = Field(default_factory=list, description="Calls that harm the patient.")
    max_tool_calls: int = Field(default=20, ge=1, description="Calls beyond this lower the efficiency reward.")


class Privileged(BaseModel):
    """The hidden case file: never shown to the student or the reference clinician; the grader and teacher see it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rationale: str = Field(description="Why the answer is right, citing the rule that decides it.")
    key_evidence: list[str] = Field(default_factory=list, description="Facts of the case that decide the answer.")
    reference_path: list[str] = Field(
        default_factory=list, description="Tool calls of a reference solution, as `name(arg=value, ...)` strings."
    )


class Source(BaseModel):
    """Where the task came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    generator: str = Field(description="Generator or loader name, e.g. 'drug_interaction.pair_check'.")
    version: str = Field(description="Generator version; a change regenerates the test split checksum.")
    licence: str = Field(default="Apache-2.0 (synthetic)", description="Licence of the task content.")


class Task(BaseModel):
    """One gradeable clinical problem."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(description="Stable id: hash of domain, generator, seed and index.")
    domain: str = Field(description="Domain name, e.g. 'drug_interaction'.")
    split: Split
    prompt: str = Field(description="What the agent sees.")
    case_ref: str = Field(description="Id of the clinic record (patient, arrival) the task is about.")
    tier: Tier = Field(default="assisted", description="Which tools the task allows; see `Tier`.")
    composite: bool = Field(
        default=False,
        description="The answer combines several findings, or writes are graded on the final episode state.",
    )
    parameters: dict[str, str] = Field(
        default_factory=dict,
        description="The question's own parameters (e.g. the drug pair of a record-independent question); part of "
        "the content hash that keeps splits disjoint.",
    )
    answer: Answer = Field(description="The gradeable reference answer.")
    privileged: Privileged
    rubric: Rubric = Field(default_factory=Rubric)
    source: Source



def path_step(tool: str, **arguments: object) -> str:
    """One step of ``Privileged.reference_path``: the call written as ``name(arg=value, ...)``."""
    return f"{tool}({', '.join(f'{k}={v!r}' for k, v in arguments.items())})"


def task_id(domain: str, generator: str, split: str, seed: int, index: int) -> str:
    """The stable id of a generated task: the domain and a hash of where it came from. Like case ids, it does not
    show the split, seed or index, so a policy cannot tell a test task from a training one by its id."""
    digest = hashlib.sha256(f"{domain}|{generator}|{split}|{seed}|{index}".encode()).hexdigest()[:12]
    return f"{domain}-{digest}"
