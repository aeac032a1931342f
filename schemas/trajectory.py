"""What happened in an episode: tool calls, results, turns, and how it was graded."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ToolCall(BaseModel):
    """A tool call as the agent made it (possibly invalid)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    id: str | None = Field(default=None, description="Call id, when the model format carries one.")
    origin: Literal["agent", "harness"] = Field(
        default="agent",
        description="Who made the call: the model (`agent`) or the harness around it (e.g. a workflow's safety "
        "node). Harness calls earn no process credit; their writes still count for safety.",
    )


class ToolResult(BaseModel):
    """What the server answered."""

    model_config = ConfigDict(extra="forbid")
    name: str
    text: str = Field(description="Text content as the agent sees it (before truncation to the budget).")
    structured: dict[str, Any] | None = Field(default=None, description="Structured content, if the tool has any.")
    images: list[dict[str, str]] = Field(default_factory=list, exclude=True, description="MCP image content "
                                         "({mime_type, data: base64}); not serialized with trajectories.")
    is_error: bool = False
    latency_ms: float = 0.0


class Turn(BaseModel):
    """One assistant turn and the tool round trip it triggered."""

    model_config = ConfigDict(extra="forbid")
    assistant: str = Field(description="The assistant's text for this turn.")
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_results: list[ToolResult] = Field(default_factory=list)
    parse_error: str | None = Field(default=None, description="Why the action could not be parsed, if it could not.")
    token_span: tuple[int, int] | None = Field(
        default=None, description="[start, end) of this turn's tokens in the response, when tokenized."
    )


class Grade(BaseModel):
    """The grader's verdict on the submitted answer."""

    model_config = ConfigDict(extra="forbid")
    score: float = Field(ge=0, le=1, description="Answer credit in [0, 1], partial where clinically meaningful.")
    correct: bool = Field(description="Full credit (score == 1).")
    submitted: dict[str, Any] | None = Field(default=None, description="What was submitted, None if nothing.")
    details: dict[str, float] = Field(default_factory=dict, description="Credit per answer field.")
    why: str = ""


class RewardBreakdown(BaseModel):
    """The composite reward and its parts; `total` is the weighted sum, clipped to [-1, 1]."""

    model_config = ConfigDict(extra="forbid")
    accuracy: float = 0.0
    format: float = 0.0
    process: float = 0.0
    safety: float = 0.0
    efficiency: float = 0.0
    total: float = 0.0
    safety_events: list[str] = Field(
        default_factory=list, description="Each unsafe act found in the episode, with the rule it broke."
    )
    why: list[str] = Field(default_factory=list)


class Trajectory(BaseModel):
    """A whole episode, as written to JSONL by eval and training."""

    model_config = ConfigDict(extra="forbid")
    task_id: str
    domain: str
    tier: Literal["assisted", "unassisted"] = Field(default="assisted", description="The task's tier.")
    turns: list[Turn] = Field(default_factory=list)
    submitted: dict[str, Any] | None = None
    grade: Grade | None = None
    reward: RewardBreakdown | None = None
    truncated: bool = False
    error: str | None = Field(default=None, description="A model or tool failure that ended the episode.")
    metrics: dict[str, float] = Field(default_factory=dict, description="turns, tool_calls, invalid_calls, tokens …")

    @property
    def tool_calls(self) -> list[ToolCall]:
        return [c for t in self.turns for c in t.tool_calls]

    @property
    def tool_results(self) -> list[ToolResult]:
        return [r for t in self.turns for r in t.tool_results]

    def effort(self) -> dict[str, float]:
        """Effort counters: turns, tool calls, invalid calls (server errors and unparsable turns), assistant chars."""
        return {
            "turns": float(len(self.turns)),
            "tool_calls": float(sum(len(t.tool_calls) for t in self.turns)),
            "invalid_calls": float(
                sum(r.is_error for t in self.turns for r in t.tool_results)
                + sum(t.parse_error is not None for t in self.turns)
            ),
            "assistant_chars": float(sum(len(t.assistant) for t in self.turns)),
        }
