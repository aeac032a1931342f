"""Contracts shared by every part of healthgym: tasks, trajectories, grades, passages."""

from healthgym.schemas.knowledge import Passage
from healthgym.schemas.task import (
    TIERS,
    ActionSpec,
    Answer,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    Tier,
    path_step,
    task_id,
)
from healthgym.schemas.trajectory import Grade, RewardBreakdown, ToolCall, ToolResult, Trajectory, Turn

__all__ = [
    "ActionSpec",
    "Answer",
    "ChoiceAnswer",
    "CodeSetAnswer",
    "FieldsAnswer",
    "Grade",
    "NumericAnswer",
    "Passage",
    "Privileged",
    "RewardBreakdown",
    "Rubric",
    "Source",
    "Split",
    "TIERS",
    "Task",
    "Tier",
    "ToolCall",
    "ToolResult",
    "Trajectory",
    "Turn",
    "path_step",
    "task_id",
]
