"""Screening questionnaires: depression (PHQ-9) and anxiety (GAD-7)."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import whole
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


def _item(question: str) -> object:
    """One questionnaire item, answered for the last 2 weeks."""
    return whole(0, 3, f"{question} 0 not at all, 1 several days, 2 more than half the days, 3 nearly every day")


@calculator("PHQ-9 depression severity")
def phq9(
    *,
    little_interest: Annotated[int, _item("Little interest or pleasure in doing things.")],
    feeling_down: Annotated[int, _item("Feeling down, depressed, or hopeless.")],
    sleep_problems: Annotated[int, _item("Trouble falling or staying asleep, or sleeping too much.")],
    tired: Annotated[int, _item("Feeling tired or having little energy.")],
    appetite: Annotated[int, _item("Poor appetite or overeating.")],
    feeling_bad_about_self: Annotated[int, _item("Feeling bad about yourself, or that you are a failure.")],
    trouble_concentrating: Annotated[int, _item("Trouble concentrating on things.")],
    psychomotor_change: Annotated[int, _item("Moving or speaking slowly, or being fidgety or restless.")],
    self_harm_thoughts: Annotated[int, _item("Thoughts that you would be better off dead or of hurting yourself.")],
) -> CalcResult:
    """PHQ-9, 0-27: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe depression.

    Any positive answer to item 9 needs a suicide risk assessment whatever the total.

    Source: Kroenke K, Spitzer RL, Williams JB. The PHQ-9: validity of a brief depression severity measure. J Gen
    Intern Med 2001;16:606-13.
    """
    points = dict(locals())  # each item scores its own answer
    total = sum(points.values())
    band = up_to(
        total,
        ((4, "minimal (0-4)"), (9, "mild (5-9)"), (14, "moderate (10-14)"), (19, "moderately severe (15-19)")),
        "severe (20-27)",
    )
    if self_harm_thoughts:
        band += "; item 9 positive: assess suicide risk"
    return CalcResult(
        calculator="phq9",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Kroenke K et al. J Gen Intern Med 2001;16:606-13.",
    )


@calculator("GAD-7 anxiety severity")
def gad7(
    *,
    nervous: Annotated[int, _item("Feeling nervous, anxious, or on edge.")],
    cannot_stop_worrying: Annotated[int, _item("Not being able to stop or control worrying.")],
    worrying_too_much: Annotated[int, _item("Worrying too much about different things.")],
    trouble_relaxing: Annotated[int, _item("Trouble relaxing.")],
    restless: Annotated[int, _item("Being so restless that it is hard to sit still.")],
    irritable: Annotated[int, _item("Becoming easily annoyed or irritable.")],
    afraid: Annotated[int, _item("Feeling afraid as if something awful might happen.")],
) -> CalcResult:
    """GAD-7, 0-21: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe anxiety; 10 or more warrants evaluation.

    Source: Spitzer RL, Kroenke K, Williams JB, Lowe B. A brief measure for assessing generalized anxiety disorder:
    the GAD-7. Arch Intern Med 2006;166:1092-7.
    """
    points = dict(locals())  # each item scores its own answer
    total = sum(points.values())
    band = up_to(total, ((4, "minimal (0-4)"), (9, "mild (5-9)"), (14, "moderate (10-14)")), "severe (15-21)")
    return CalcResult(
        calculator="gad7",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Spitzer RL et al. Arch Intern Med 2006;166:1092-7.",
    )
