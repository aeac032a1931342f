"""Rating instruments: items, response options with their points, scoring rules and published cut-offs.

Item wording is reproduced only where the publisher's terms allow it (each ``Instrument.licence`` states the terms);
the ASRS items are paraphrased (WHO copyright, permission required); the EPDS (RCPsych: written permission needed to
distribute or republish) and the MDQ (UTMB copyright, reprinted only with permission) are administered by item
number with their answers as points or yes/no, without their wording; copyrighted cognitive screens (MMSE, MoCA) are
not reproduced at all. PHQ-9 and GAD-7 totals and bands
are computed by the calculators library (``calculators.psychiatry``), not again here.

A patient answers an item with one of its option labels; ``score`` turns the labels into points and applies the
instrument's rule. Every cut-off names its source in ``Instrument.source``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from healthgym.mcp_servers.calculators.psychiatry import gad7, phq9
from healthgym.mcp_servers.calculators.result import CalcResult

Sex = str
"""'female' or 'male' (AUDIT-C cut-offs differ by sex)."""

FREQ_2W = (("not at all", 0), ("several days", 1), ("more than half the days", 2), ("nearly every day", 3))
"""PHQ-9 / GAD-7 response scale over the last 2 weeks."""
YES_NO = (("no", 0), ("yes", 1))
PCL5_SCALE = (("not at all", 0), ("a little bit", 1), ("moderately", 2), ("quite a bit", 3), ("extremely", 4))
AUDIT_FREQ = (("never", 0), ("less than monthly", 1), ("monthly", 2), ("weekly", 3), ("daily or almost daily", 4))
AUDIT_INJURY = (("no", 0), ("yes, but not in the last year", 2), ("yes, during the last year", 4))
ASRS_LABELS = ("never", "rarely", "sometimes", "often", "very often")


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    options: tuple[tuple[str, int], ...]
    """(label, points) in the order printed on the form."""

    def points(self, label: str) -> int:
        for option, pts in self.options:
            if option == label.strip().lower():
                return pts
        allowed = ", ".join(repr(o) for o, _ in self.options)
        raise ValueError(f"item {self.number}: answer {label!r} is not one of {allowed}")


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    instructions: str
    items: tuple[Item, ...]
    scoring: str
    """How the total and the band are computed, in words (the cut-offs of ``bands``)."""
    bands: tuple[str, ...]
    """Every band label the instrument can give, lowest first."""
    source: str
    licence: str

    def item(self, number: int) -> Item:
        if not 1 <= number <= len(self.items):
            raise ValueError(f"item must be 1-{len(self.items)} for {self.code}, got {number}")
        return self.items[number - 1]


def _items(texts: Sequence[str], options: tuple[tuple[str, int], ...]) -> tuple[Item, ...]:
    return tuple(Item(i, text, options) for i, text in enumerate(texts, 1))


PHQ9_TEXTS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself - or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite - being so fidgety or "
    "restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
GAD7_TEXTS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
AUDIT_ITEMS = (
    Item(1, "How often do you have a drink containing alcohol?", (
        ("never", 0), ("monthly or less", 1), ("2 to 4 times a month", 2), ("2 to 3 times a week", 3),
        ("4 or more times a week", 4))),
    Item(2, "How many drinks containing alcohol do you have on a typical day when you are drinking?", (
        ("1 or 2", 0), ("3 or 4", 1), ("5 or 6", 2), ("7, 8 or 9", 3), ("10 or more", 4))),
    Item(3, "How often do you have six or more drinks on one occasion?", AUDIT_FREQ),
    Item(4, "How often during the last year have you found that you were not able to stop drinking once you had "
         "started?", AUDIT_FREQ),
    Item(5, "How often during the last year have you failed to do what was normally expected from you because of "
         "drinking?", AUDIT_FREQ),
    Item(6, "How often during the last year have you needed a first drink in the morning to get yourself going after "
         "a heavy drinking session?", AUDIT_FREQ),
    Item(7, "How often during the last year have you had a feeling of guilt or remorse after drinking?", AUDIT_FREQ),
    Item(8, "How often during the last year have you been unable to remember what happened the night before because "
         "you had been drinking?", AUDIT_FREQ),
    Item(9, "Have you or someone else been injured as a result of your drinking?", AUDIT_INJURY),
    Item(10, "Has a relative or friend or a doctor or another health worker been concerned about your drinking or "
         "suggested you cut down?", AUDIT_INJURY),
)  # fmt: skip
CAGE_TEXTS = (
    "Have you ever felt you should cut down on your drinking?",
    "Have people annoyed you by criticizing your drinking?",
    "Have you ever felt bad or guilty about your drinking?",
    "Have you ever had a drink first thing in the morning to steady your nerves or to get rid of a hangover "
    "(eye-opener)?",
)
PCL5_TEXTS = (
    "Repeated, disturbing, and unwanted memories of the stressful experience?",
    "Repeated, disturbing dreams of the stressful experience?",
    "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were "
    "actually back there reliving it)?",
    "Feeling very upset when something reminded you of the stressful experience?",
    "Having strong physical reactions when something reminded you of the stressful experience (for example, heart "
    "pounding, trouble breathing, sweating)?",
    "Avoiding memories, thoughts, or feelings related to the stressful experience?",
    "Avoiding external reminders of the stressful experience (for example, people, places, conversations, "
    "activities, objects, or situations)?",
    "Trouble remembering important parts of the stressful experience?",
    "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such "
    "as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely "
    "dangerous)?",
    "Blaming yourself or someone else for the stressful experience or what happened after it?",
    "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
    "Loss of interest in activities that you used to enjoy?",
    "Feeling distant or cut off from other people?",
    "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for "
    "people close to you)?",
    "Irritable behavior, angry outbursts, or acting aggressively?",
    "Taking too many risks or doing things that could cause you harm?",
    'Being "superalert" or watchful or on guard?',
    "Feeling jumpy or easily startled?",
    "Having difficulty concentrating?",
    "Trouble falling or staying asleep?",
)
EPDS_POINTS = (("0", 0), ("1", 1), ("2", 2), ("3", 3))
"""EPDS answers as the scored form records them: the item's points (reverse scoring already applied)."""
EPDS_ITEMS = tuple(
    Item(i, f"EPDS item {i} (wording not reproduced: (c) Royal College of Psychiatrists; answer recorded as points)",
         EPDS_POINTS)
    for i in range(1, 11)
)
"""The EPDS is scored from its ten items' points; the item and response wording is not reproduced (RCPsych requires
written permission to distribute or republish it, in print or online)."""
MDQ_PROBLEM = (("no problem", 0), ("minor problem", 1), ("moderate problem", 2), ("serious problem", 3))
MDQ_ITEMS = (
    *(Item(i, f"MDQ question 1, item {i} (wording not reproduced: (c) 2000 The University of Texas Medical Branch)",
           YES_NO) for i in range(1, 14)),
    Item(14, "MDQ question 2: several of the question 1 items in the same period of time (wording not reproduced)",
         YES_NO),
    Item(15, "MDQ question 3: how much of a problem they caused (wording not reproduced)", MDQ_PROBLEM),
)
"""The MDQ is scored from its answers (yes/no to the 13 items, same period, problem level); its wording is not
reproduced (UTMB copyright; clinical forms carry it 'reprinted with permission')."""
ASRS_TEXTS = (
    "[paraphrased] Trouble finishing the final details of a project once the hard parts are done",
    "[paraphrased] Difficulty getting things in order for a task that needs organisation",
    "[paraphrased] Problems remembering appointments or obligations",
    "[paraphrased] Avoiding or delaying the start of tasks that need a lot of thought",
    "[paraphrased] Fidgeting with hands or feet when seated for a long time",
    "[paraphrased] Feeling overly active, as if driven by a motor",
)
"""ASRS Part A item content, paraphrased: the official wording is (c) WHO and needs permission to reproduce."""
ASRS_ITEMS = tuple(
    Item(i, text, tuple((label, int(k >= (2 if i <= 3 else 3))) for k, label in enumerate(ASRS_LABELS)))
    for i, text in enumerate(ASRS_TEXTS, 1)
)
"""Part A: an answer in the form's shaded zone scores 1 (items 1-3 from 'sometimes', items 4-6 from 'often')."""
SCOFF_TEXTS = (
    "Do you make yourself Sick because you feel uncomfortably full?",
    "Do you worry you have lost Control over how much you eat?",
    "Have you recently lost more than One stone (6.35 kg) in a 3 month period?",
    "Do you believe yourself to be Fat when others say you are too thin?",
    "Would you say that Food dominates your life?",
)
CSSRS_ITEMS = (
    Item(1, "Have you wished you were dead or wished you could go to sleep and not wake up?", YES_NO),
    Item(2, "Have you actually had any thoughts of killing yourself?", YES_NO),
    Item(3, "Have you been thinking about how you might do this?", YES_NO),
    Item(4, "Have you had these thoughts and had some intention of acting on them?", YES_NO),
    Item(5, "Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry "
         "out this plan?", YES_NO),
    Item(6, "Have you ever done anything, started to do anything, or prepared to do anything to end your life? If "
         "yes, was it within the past 3 months?", (
             ("no", 0), ("yes, more than 3 months ago", 1), ("yes, within the past 3 months", 2))),
)  # fmt: skip

CSSRS_LEVELS = ("none", "low", "moderate", "high")


def cssrs_level(points: Sequence[int]) -> str:
    """C-SSRS screener triage: yes to 4 or 5, or behaviour (6) in the past 3 months -> high; yes to 3, or behaviour
    more than 3 months ago -> moderate; yes to 1 or 2 only -> low; all no -> none.

    Source: Posner K et al. Am J Psychiatry 2011;168:1266-77; Columbia Lighthouse Project, C-SSRS Screen Version with
    triage points (colour-coded low / moderate / high risk).
    """
    q = list(points)
    if q[3] or q[4] or q[5] == 2:
        return "high"
    if q[2] or q[5] == 1:
        return "moderate"
    if q[0] or q[1]:
        return "low"
    return "none"


def _calc_band(band: str) -> str:
    """The calculators' band text ('moderately severe (15-19); item 9 ...') as a label ('moderately_severe')."""
    return band.split(" (")[0].replace(" ", "_")


def _calculator(calc: Callable[..., CalcResult]) -> Callable[[list[int], Sex], tuple[int, str]]:
    """Score with the calculators library's PHQ-9 / GAD-7 (item points passed by parameter name, in form order)."""
    names = list(inspect.signature(calc).parameters)

    def rule(p: list[int], sex: Sex) -> tuple[int, str]:
        result = calc(**dict(zip(names, p, strict=True)))
        return int(result.value), _calc_band(result.band)

    return rule


def _audit(p: list[int], sex: Sex) -> tuple[int, str]:
    total = sum(p)
    zone = 4 if total >= 20 else 3 if total >= 16 else 2 if total >= 8 else 1
    return total, AUDIT_ZONES[zone - 1]


AUDIT_ZONES = ("zone_i_low_risk", "zone_ii_hazardous", "zone_iii_harmful", "zone_iv_possible_dependence")


def auditc_cutoff(sex: Sex) -> int:
    """AUDIT-C positive at >= 4 for men, >= 3 for women (Bradley KA et al. Alcohol Clin Exp Res 2007;31:1208-17)."""
    if sex not in ("female", "male"):
        raise ValueError(f"sex must be 'female' or 'male' for AUDIT-C, got {sex!r}")
    return 3 if sex == "female" else 4


def _threshold(cut: int) -> Callable[[list[int], Sex], tuple[int, str]]:
    def rule(p: list[int], sex: Sex) -> tuple[int, str]:
        total = sum(p)
        return total, "positive" if total >= cut else "negative"

    return rule


def _auditc(p: list[int], sex: Sex) -> tuple[int, str]:
    total = sum(p)
    return total, "positive" if total >= auditc_cutoff(sex) else "negative"


def _pcl5(p: list[int], sex: Sex) -> tuple[int, str]:
    total = sum(p)
    return total, "probable_ptsd" if total >= 33 else "below_cutoff"


def _epds(p: list[int], sex: Sex) -> tuple[int, str]:
    total = sum(p)
    return total, "probable_depression" if total >= 13 else "possible_depression" if total >= 10 else "low"


def _mdq(p: list[int], sex: Sex) -> tuple[int, str]:
    total = sum(p[:13])
    return total, "positive" if total >= 7 and p[13] == 1 and p[14] >= 2 else "negative"


def _cssrs(p: list[int], sex: Sex) -> tuple[int, str]:
    highest = max((i for i, v in enumerate(p, 1) if v), default=0)
    return highest, cssrs_level(p)


PUBLIC_PHQ = "PHQ-9/GAD-7 (c) Pfizer Inc.; no permission required to reproduce, translate, display or distribute."

INSTRUMENTS: dict[str, Instrument] = {
    i.code: i
    for i in (
        Instrument(
            "phq9", "Patient Health Questionnaire-9 (PHQ-9)",
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
            _items(PHQ9_TEXTS, FREQ_2W),
            "Sum of the 9 items (0-27): 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe. "
            "Any positive answer to item 9 needs a suicide risk assessment whatever the total.",
            ("minimal", "mild", "moderate", "moderately_severe", "severe"),
            "Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-13.", PUBLIC_PHQ,
        ),
        Instrument(
            "gad7", "Generalized Anxiety Disorder-7 (GAD-7)",
            "Over the last 2 weeks, how often have you been bothered by the following problems?",
            _items(GAD7_TEXTS, FREQ_2W),
            "Sum of the 7 items (0-21): 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe anxiety.",
            ("minimal", "mild", "moderate", "severe"),
            "Spitzer RL, Kroenke K, Williams JB, Lowe B. Arch Intern Med 2006;166:1092-7.", PUBLIC_PHQ,
        ),
        Instrument(
            "audit", "Alcohol Use Disorders Identification Test (AUDIT)",
            "Questions about your use of alcoholic beverages during the past year.",
            AUDIT_ITEMS,
            "Items 1-8 score 0-4, items 9-10 score 0, 2 or 4; total 0-40. WHO risk zones: 0-7 zone I (low risk), "
            "8-15 zone II (hazardous), 16-19 zone III (harmful), 20-40 zone IV (possible dependence).",
            AUDIT_ZONES,
            "Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. The AUDIT: guidelines for use in primary care, "
            "2nd ed. WHO/MSD/MSB/01.6a, 2001.",
            "WHO 2001: the AUDIT may be used and reproduced without permission.",
        ),
        Instrument(
            "auditc", "AUDIT-Consumption (AUDIT-C)",
            "The first three AUDIT questions, about alcohol consumption.",
            AUDIT_ITEMS[:3],
            "Sum of AUDIT items 1-3 (0-12); positive at >= 4 for men and >= 3 for women.",
            ("negative", "positive"),
            "Bush K et al. Arch Intern Med 1998;158:1789-95; Bradley KA et al. Alcohol Clin Exp Res 2007;31:1208-17.",
            "Items from the WHO AUDIT (reproducible without permission).",
        ),
        Instrument(
            "cage", "CAGE questionnaire",
            "Questions about drinking, answered yes or no.",
            _items(CAGE_TEXTS, YES_NO),
            "One point per 'yes' (0-4); 2 or more is clinically significant.",
            ("negative", "positive"),
            "Ewing JA. Detecting alcoholism: the CAGE questionnaire. JAMA 1984;252:1905-7.",
            "Published in JAMA 1984; widely reproduced for clinical use without fee.",
        ),
        Instrument(
            "pcl5", "PTSD Checklist for DSM-5 (PCL-5)",
            "In the past month, how much were you bothered by:",
            _items(PCL5_TEXTS, PCL5_SCALE),
            "Sum of the 20 items (0-80); a total of 33 or more suggests probable PTSD (cut-point 31-33; 33 used).",
            ("below_cutoff", "probable_ptsd"),
            "Weathers FW et al. The PTSD Checklist for DSM-5 (PCL-5), National Center for PTSD, 2013; Bovin MJ et al. "
            "Psychol Assess 2016;28:1379-91.",
            "US Department of Veterans Affairs, National Center for PTSD: in the public domain.",
        ),
        Instrument(
            "epds", "Edinburgh Postnatal Depression Scale (EPDS)",
            "In the past 7 days:",
            EPDS_ITEMS,
            "Each item scores 0-3 (items 3 and 5-10 are reverse scored on the form; answers here are recorded as "
            "the item's points); total 0-30. "
            "10-12 possible depression, 13 or more probable depression; any positive answer to item 10 needs an "
            "immediate risk assessment.",
            ("low", "possible_depression", "probable_depression"),
            "Cox JL, Holden JM, Sagovsky R. Br J Psychiatry 1987;150:782-6.",
            "(c) 1987 Royal College of Psychiatrists. RCPsych's current terms (2003 guide; 2013 statement): individual "
            "clinicians and researchers may photocopy it for their own use; written permission is needed to copy "
            "and distribute it to others or to republish it in print or online. Its wording is therefore not "
            "reproduced here: items are numbered and answers recorded as points.",
        ),
        Instrument(
            "mdq", "Mood Disorder Questionnaire (MDQ)",
            "Answer each question (items 1-13 of question 1, then questions 2 and 3 as items 14 and 15).",
            MDQ_ITEMS,
            "Positive screen when 7 or more of items 1-13 are 'yes', item 14 (several at the same time) is 'yes' and "
            "item 15 is a moderate or serious problem. The total is the number of 'yes' answers to items 1-13.",
            ("negative", "positive"),
            "Hirschfeld RM et al. Am J Psychiatry 2000;157:1873-5.",
            "(c) 2000 The University of Texas Medical Branch; clinical forms reprint it 'with permission' and no "
            "free-use grant was found, so its wording is not reproduced here: items are numbered and answered "
            "yes/no (question 3 by problem level).",
        ),
        Instrument(
            "asrs", "Adult ADHD Self-Report Scale v1.1 screener (ASRS Part A)",
            "Over the past 6 months: never, rarely, sometimes, often or very often.",
            ASRS_ITEMS,
            "An answer scores 1 in the form's shaded zone: items 1-3 'sometimes' or more, items 4-6 'often' or more. "
            "4 or more shaded answers: symptoms highly consistent with adult ADHD (positive screen).",
            ("negative", "positive"),
            "Kessler RC et al. Psychol Med 2005;35:245-56.",
            "(c) World Health Organization; reproduction or translation needs permission (requests to R. Kessler, "
            "Harvard Medical School), so the items are paraphrased here and only the response scale and scoring "
            "rule follow the form.",
        ),
        Instrument(
            "scoff", "SCOFF questionnaire",
            "Answer yes or no.",
            _items(SCOFF_TEXTS, YES_NO),
            "One point per 'yes' (0-5); 2 or more indicates a likely case of anorexia nervosa or bulimia.",
            ("negative", "positive"),
            "Morgan JF, Reid F, Lacey JH. BMJ 1999;319:1467-8.",
            "Published in the BMJ 1999 for clinical use; free to use.",
        ),
        Instrument(
            "cssrs", "Columbia-Suicide Severity Rating Scale, screener (C-SSRS)",
            "Past month (items 1-5); item 6 asks about lifetime behaviour and whether it was within the past 3 "
            "months. Ask 1 and 2; if 2 is yes ask 3, 4 and 5; always ask 6.",
            CSSRS_ITEMS,
            "Triage by the highest positive answer: 4 or 5 yes, or 6 within the past 3 months -> high risk; 3 yes or "
            "6 more than 3 months ago -> moderate; 1 or 2 yes only -> low; all no -> none. The total is the number "
            "of the highest positive item (0 if none).",
            CSSRS_LEVELS,
            "Posner K et al. Am J Psychiatry 2011;168:1266-77; Columbia Lighthouse Project screen version.",
            "(c) The Research Foundation for Mental Hygiene; free to use without permission in clinical and public "
            "health settings (Columbia Lighthouse Project).",
        ),
    )
}  # fmt: skip
"""Instrument code -> definition."""

SCORING: dict[str, Callable[[list[int], Sex], tuple[int, str]]] = {
    "phq9": _calculator(phq9), "gad7": _calculator(gad7), "audit": _audit, "auditc": _auditc,
    "cage": _threshold(2), "pcl5": _pcl5, "epds": _epds, "mdq": _mdq, "asrs": _threshold(4),
    "scoff": _threshold(2), "cssrs": _cssrs,
}  # fmt: skip
INSTRUMENT_CODES = tuple(INSTRUMENTS)


class InstrumentScore(BaseModel):
    """An instrument scored from the patient's answers."""

    instrument: str
    total: int = Field(description="The instrument's total (for the C-SSRS: the highest positive item).")
    band: str = Field(description="The band or screen result for the total, by the published cut-offs.")
    item_points: list[int]
    flags: list[str] = Field(description="Items that need action whatever the total (PHQ-9 item 9, EPDS item 10).")
    scoring: str
    source: str


def get_instrument(code: str) -> Instrument:
    if code not in INSTRUMENTS:
        raise ValueError(f"instrument {code!r} is unknown; expected one of {', '.join(INSTRUMENT_CODES)}")
    return INSTRUMENTS[code]


def score(code: str, answers: Sequence[str], sex: Sex = "female") -> InstrumentScore:
    """Score ``answers`` (one option label per item, in item order) with the instrument's published rule."""
    inst = get_instrument(code)
    if len(answers) != len(inst.items):
        raise ValueError(f"{code} has {len(inst.items)} items, got {len(answers)} answers")
    points = [item.points(label) for item, label in zip(inst.items, answers, strict=True)]
    total, band = SCORING[code](points, sex)
    flags = []
    if code == "phq9" and points[8]:
        flags.append("item 9 positive: assess suicide risk (C-SSRS)")
    if code == "epds" and points[9]:
        flags.append("item 10 positive: assess suicide and self-harm risk now")
    return InstrumentScore(
        instrument=code, total=total, band=band, item_points=points, flags=flags, scoring=inst.scoring,
        source=inst.source,
    )  # fmt: skip
