"""The teacher's privileged context P(task, outcome), built from the task's hidden case file.

The teacher reads x ⊕ P ⊕ y: the student's prompt with P appended to its user message, then the student's response
tokens unchanged. Modes (DESIGN §8):

- ``hint``: whether this episode's submitted answer was right (the paper's correct/incorrect feedback);
- ``gold``: the reference answer, written as the submit call that earns full credit;
- ``casefile``: the reference answer, the rationale, the key evidence and the reference tool path.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from healthgym.mcp_servers.domains import get_domain
from healthgym.schemas import Answer, ChoiceAnswer, CodeSetAnswer, FieldsAnswer, Grade, NumericAnswer, Task

if TYPE_CHECKING:
    from healthgym.rl.rollout import ChatCodec, Episode

PrivilegedMode = Literal["hint", "gold", "casefile"]
MODES: tuple[str, ...] = ("hint", "gold", "casefile")
HEADER = "[Privileged case file, for the teacher only]"


def _answer_value(answer: ChoiceAnswer | NumericAnswer | CodeSetAnswer) -> Any:
    if isinstance(answer, ChoiceAnswer):
        return answer.value
    if isinstance(answer, NumericAnswer):
        return answer.value
    return list(answer.codes)


def reference_arguments(answer: Answer) -> dict[str, Any]:
    """The submit-call arguments that earn full credit (one per field of a FieldsAnswer, else ``answer``)."""
    if isinstance(answer, FieldsAnswer):
        return {name: _answer_value(ref) for name, ref in answer.fields.items()}
    return {"answer": _answer_value(answer)}


def _hint(grade: Grade | None) -> str:
    if grade is None or grade.submitted is None:
        return "Feedback on the response below: no answer was submitted, so it earned no credit."
    if grade.correct:
        return "Feedback on the response below: the submitted answer is correct."
    return f"Feedback on the response below: the submitted answer is incorrect (credit {grade.score:.2f})."


def privileged_block(
    task: Task, mode: PrivilegedMode, *, grade: Grade | None = None, submit_tool: str = "submit_answer"
) -> str:
    """The text of P for one episode; ``grade`` (the episode's outcome) is needed by ``hint`` only."""
    if mode not in MODES:
        raise ValueError(f"privileged mode must be one of {MODES}, got {mode!r}")
    if mode == "hint":
        return f"{HEADER}\n{_hint(grade)}"
    gold = json.dumps({"name": submit_tool, "arguments": reference_arguments(task.answer)})
    lines = [HEADER, f"Reference answer: {gold}"]
    if mode == "casefile":
        lines.append(f"Rationale: {task.privileged.rationale}")
        lines += ["Key evidence:", *(f"- {fact}" for fact in task.privileged.key_evidence)]
        lines += ["Reference tool path:", *(f"{i}. {call}" for i, call in enumerate(task.privileged.reference_path, 1))]
    return "\n".join(lines)


def with_privileged(messages: list[dict[str, Any]], block: str) -> list[dict[str, Any]]:
    """The prompt messages with ``block`` appended to the last user message (x ⊕ P), leaving the rest unchanged."""
    last_user = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=None)
    if last_user is None:
        raise ValueError("the prompt has no user message to append the privileged context to")
    out = [dict(m) for m in messages]
    out[last_user]["content"] = f"{out[last_user]['content']}\n\n{block}"
    return out


def teacher_prompt_ids(codec: ChatCodec, episode: Episode, mode: PrivilegedMode) -> list[int]:
    """The teacher's prompt for one episode, x ⊕ P, tokenized; the response tokens follow it unchanged."""
    block = privileged_block(
        episode.task, mode, grade=episode.trajectory.grade, submit_tool=get_domain(episode.task.domain).submit_tool
    )
    return codec.prompt_ids(with_privileged(episode.messages, block), episode.tools)
