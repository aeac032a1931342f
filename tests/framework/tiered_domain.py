"""The tiny domain with a decision-support tool and two tiers (odd task indices unassisted), for tier tests."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from pydantic import Field

from healthgym.schemas import Split, Task
from tests.framework import tiny_domain as tiny


def potassium_band(
    patient_id: Annotated[str, Field(description="Patient id, such as 'TP-test-0-7'.")],
) -> dict[str, str]:
    """Decision support: the potassium band (low < 3.5 <= normal <= 5.0 < high), withheld in the unassisted tier."""
    value = tiny._labs(patient_id)[0]
    return {"band": "low" if value < 3.5 else "high" if value > 5.0 else "normal"}


def generate(split: Split, seed: int, index: int) -> Task:
    task = tiny.generate(split, seed, index)
    return task.model_copy(update={"domain": "tiered", "tier": "unassisted" if index % 2 else "assisted"})


SPEC = dataclasses.replace(
    tiny.SPEC,
    name="tiered",
    tools=[tiny.get_labs, potassium_band, tiny.write_note, tiny.submit_answer],
    tool_kinds={**tiny.SPEC.tool_kinds, "potassium_band": "decision_support"},
    generate=generate,
)
