"""DSM-5-TR diagnostic criteria, counted from interview findings.

The DSM-5-TR criteria text is copyrighted by the American Psychiatric Association, so it is not reproduced: each
criterion appears as a short paraphrased label with the count, duration or exclusion it tests, and the interview
topics (``TOPICS``) that supply its evidence. Counting rules (how many symptoms, which must be among them, how long)
follow American Psychiatric Association, Diagnostic and Statistical Manual of Mental Disorders, 5th ed., text revision
(DSM-5-TR), 2022.

A finding is a boolean (symptom present, exposure, impairment) or a number (duration in days or months).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

DSM = "American Psychiatric Association. DSM-5-TR, 2022 (criteria paraphrased)"

Findings = Mapping[str, bool | float]


@dataclass(frozen=True)
class Topic:
    question: str
    unit: str = ""
    """'' for a yes/no finding, else the unit of the number ('days', 'months')."""


TOPICS: dict[str, Topic] = {
    # depressive symptoms
    "depressed_mood": Topic("Have you felt down, sad or empty most of the day, nearly every day?"),
    "anhedonia": Topic("Have you lost interest or pleasure in almost everything you used to enjoy?"),
    "appetite_weight_change": Topic("Has your appetite or weight changed noticeably?"),
    "sleep_disturbance": Topic("Have you had trouble sleeping, or been sleeping much more than usual?"),
    "psychomotor_change": Topic("Have others noticed you slowed down, or unusually restless and agitated?"),
    "fatigue": Topic("Have you felt tired or low on energy nearly every day?"),
    "worthlessness_guilt": Topic("Have you felt worthless, or guilty out of proportion?"),
    "poor_concentration": Topic("Has it been hard to concentrate, think or make decisions?"),
    "thoughts_of_death": Topic("Have you had recurrent thoughts of death or of ending your life?"),
    "depressive_episode_days": Topic("How long have these low-mood symptoms been present together?", "days"),
    "past_major_depressive_episode": Topic("Have you ever had a period of two weeks or more of depression that "
                                           "met the full picture of a major depressive episode?"),
    # anxiety
    "excessive_worry": Topic("Do you worry excessively about many everyday things, more days than not?"),
    "worry_months": Topic("For how long has the worry been present more days than not?", "months"),
    "worry_hard_to_control": Topic("Do you find the worry hard to control?"),
    "restlessness": Topic("Have you felt restless, keyed up or on edge?"),
    "irritability": Topic("Have you been more irritable than usual?"),
    "muscle_tension": Topic("Have you had muscle tension?"),
    # panic
    "unexpected_panic_attacks": Topic("Have you had repeated sudden surges of intense fear that came out of the "
                                      "blue, peaking within minutes?"),
    "palpitations": Topic("During an attack: pounding or racing heart?"),
    "sweating": Topic("During an attack: sweating?"),
    "trembling": Topic("During an attack: trembling or shaking?"),
    "shortness_of_breath": Topic("During an attack: shortness of breath or smothering?"),
    "choking": Topic("During an attack: a feeling of choking?"),
    "chest_pain": Topic("During an attack: chest pain or discomfort?"),
    "nausea": Topic("During an attack: nausea or abdominal distress?"),
    "dizziness": Topic("During an attack: dizzy, unsteady, light-headed or faint?"),
    "chills_or_heat": Topic("During an attack: chills or heat sensations?"),
    "paresthesias": Topic("During an attack: numbness or tingling?"),
    "derealization": Topic("During an attack: feeling unreal or detached from yourself?"),
    "fear_losing_control": Topic("During an attack: fear of losing control or going crazy?"),
    "fear_of_dying": Topic("During an attack: fear of dying?"),
    "post_attack_concern_months": Topic("For how long after the attacks have you worried about more attacks or "
                                        "changed what you do to avoid them?", "months"),
    # trauma
    "trauma_exposure": Topic("Have you been exposed to actual or threatened death, serious injury or sexual "
                             "violence (directly, as a witness, or learning of it happening to someone close)?"),
    "intrusive_memories": Topic("Do unwanted, distressing memories of the event intrude?"),
    "nightmares": Topic("Do you have distressing dreams about the event?"),
    "flashbacks": Topic("Do you feel or act as if the event is happening again?"),
    "cue_distress": Topic("Do reminders of the event cause intense distress?"),
    "cue_physiological_reactions": Topic("Do reminders cause strong physical reactions?"),
    "avoid_memories": Topic("Do you try to avoid memories, thoughts or feelings about the event?"),
    "avoid_reminders": Topic("Do you avoid people, places or situations that remind you of it?"),
    "amnesia_for_event": Topic("Are you unable to remember important parts of the event?"),
    "negative_beliefs": Topic("Do you hold persistent negative beliefs about yourself, others or the world?"),
    "distorted_blame": Topic("Do you blame yourself or others in a distorted way for the event?"),
    "persistent_negative_emotions": Topic("Do you feel persistent fear, horror, anger, guilt or shame?"),
    "diminished_interest": Topic("Have you lost interest in activities that mattered to you?"),
    "detachment": Topic("Do you feel detached or estranged from others?"),
    "inability_positive_emotions": Topic("Are you unable to feel happiness, satisfaction or love?"),
    "reckless_behaviour": Topic("Have you been acting recklessly or self-destructively?"),
    "hypervigilance": Topic("Are you constantly on guard?"),
    "exaggerated_startle": Topic("Do you startle easily?"),
    "trauma_symptom_months": Topic("For how long have these symptoms been present?", "months"),
    # mania / hypomania
    "elevated_mood": Topic("Has there been a distinct period of abnormally elevated, expansive mood?"),
    "irritable_mood": Topic("Has there been a distinct period of abnormally irritable mood?"),
    "increased_energy": Topic("During that period, was your activity or energy persistently increased?"),
    "mood_episode_days": Topic("How many days did that period last, most of the day, nearly every day?", "days"),
    "grandiosity": Topic("Did you feel inflated self-esteem or grandiose?"),
    "decreased_need_for_sleep": Topic("Did you need much less sleep, feeling rested after about 3 hours?"),
    "pressured_speech": Topic("Were you much more talkative, or pressured to keep talking?"),
    "flight_of_ideas": Topic("Did your thoughts race or jump from idea to idea?"),
    "distractibility": Topic("Were you easily distracted by unimportant things?"),
    "increased_goal_activity": Topic("Did you take on many more goal-directed activities, or were you agitated?"),
    "risky_activities": Topic("Did you do risky things with painful consequences (spending sprees, sexual "
                              "indiscretions, foolish investments)?"),
    "marked_impairment": Topic("Did the episode markedly impair your work or relationships?"),
    "hospitalized_for_episode": Topic("Were you hospitalised for it?"),
    "psychotic_features": Topic("Were there psychotic features (delusions, hallucinations)?"),
    # ADHD, inattention
    "careless_mistakes": Topic("Do you often miss details or make careless mistakes?"),
    "sustaining_attention": Topic("Do you often struggle to keep your attention on tasks or conversations?"),
    "not_listening": Topic("Do people often say you don't seem to listen when spoken to directly?"),
    "not_following_through": Topic("Do you often fail to finish tasks or duties you start?"),
    "disorganization": Topic("Do you often have trouble organising tasks and activities?"),
    "avoids_mental_effort": Topic("Do you often avoid or put off tasks needing sustained mental effort?"),
    "loses_things": Topic("Do you often lose things you need (keys, wallet, phone, paperwork)?"),
    "easily_distracted": Topic("Are you often easily distracted by outside stimuli or unrelated thoughts?"),
    "forgetful": Topic("Are you often forgetful in daily activities (appointments, bills, calls)?"),
    # ADHD, hyperactivity-impulsivity
    "fidgeting": Topic("Do you often fidget, tap your hands or feet, or squirm?"),
    "leaves_seat": Topic("Do you often leave your seat when remaining seated is expected?"),
    "feels_restless": Topic("Do you often feel restless?"),
    "unable_to_be_quiet": Topic("Are you often unable to do leisure activities quietly?"),
    "on_the_go": Topic("Are you often 'on the go', as if driven by a motor?"),
    "talks_excessively": Topic("Do you often talk excessively?"),
    "blurts_answers": Topic("Do you often blurt out answers before questions are finished?"),
    "difficulty_waiting": Topic("Do you often find it hard to wait your turn?"),
    "interrupts": Topic("Do you often interrupt or intrude on others?"),
    "adhd_symptom_months": Topic("For how long have these attention or activity problems been present?", "months"),
    "symptoms_before_12": Topic("Were several of these problems present before age 12?"),
    "two_or_more_settings": Topic("Are several of these problems present in two or more settings (home, work, "
                                  "social)?"),
    # shared
    "distress_or_impairment": Topic("Do these symptoms cause you significant distress or interfere with work, "
                                    "social life or other important areas?"),
    "substance_or_medical_cause": Topic("Could a substance (drug, medication, alcohol) or a medical condition "
                                        "explain these symptoms (per history, examination and labs)?"),
    "history_of_mania": Topic("Have you ever had a manic or hypomanic episode?"),
}  # fmt: skip
"""Interview topic -> the question the clinician asks (wording ours) and the unit of a numeric finding."""

MDD_SYMPTOMS = (
    "depressed_mood", "anhedonia", "appetite_weight_change", "sleep_disturbance", "psychomotor_change", "fatigue",
    "worthlessness_guilt", "poor_concentration", "thoughts_of_death",
)  # fmt: skip
GAD_SYMPTOMS = ("restlessness", "fatigue", "poor_concentration", "irritability", "muscle_tension", "sleep_disturbance")
PANIC_SYMPTOMS = (
    "palpitations", "sweating", "trembling", "shortness_of_breath", "choking", "chest_pain", "nausea", "dizziness",
    "chills_or_heat", "paresthesias", "derealization", "fear_losing_control", "fear_of_dying",
)  # fmt: skip
PTSD_B = ("intrusive_memories", "nightmares", "flashbacks", "cue_distress", "cue_physiological_reactions")
PTSD_C = ("avoid_memories", "avoid_reminders")
PTSD_D = (
    "amnesia_for_event", "negative_beliefs", "distorted_blame", "persistent_negative_emotions", "diminished_interest",
    "detachment", "inability_positive_emotions",
)  # fmt: skip
PTSD_E = ("irritability", "reckless_behaviour", "hypervigilance", "exaggerated_startle", "poor_concentration",
          "sleep_disturbance")  # fmt: skip
MANIA_B = (
    "grandiosity", "decreased_need_for_sleep", "pressured_speech", "flight_of_ideas", "distractibility",
    "increased_goal_activity", "risky_activities",
)  # fmt: skip
ADHD_INATTENTION = (
    "careless_mistakes", "sustaining_attention", "not_listening", "not_following_through", "disorganization",
    "avoids_mental_effort", "loses_things", "easily_distracted", "forgetful",
)  # fmt: skip
ADHD_HYPERACTIVITY = (
    "fidgeting", "leaves_seat", "feels_restless", "unable_to_be_quiet", "on_the_go", "talks_excessively",
    "blurts_answers", "difficulty_waiting", "interrupts",
)  # fmt: skip
SEVERE = ("marked_impairment", "hospitalized_for_episode", "psychotic_features")

Kind = Literal["count", "min", "flag", "none_of", "any_of", "mood_energy", "either_count"]


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    """Short paraphrase (not DSM text)."""
    kind: Kind
    topics: tuple[str, ...]
    need: float = 1
    """count: symptoms needed; min: the least value; flag: 1 if the finding must be present, 0 if absent."""
    core: tuple[str, ...] = ()
    """count: at least one of these must be among the symptoms."""
    or_topic: str = ""
    """min: a finding that meets the criterion whatever the value (hospitalisation for a manic episode)."""

    def rule(self) -> str:
        listed = ", ".join(self.topics)
        if self.kind == "count":
            core = f", including at least one of {', '.join(self.core)}" if self.core else ""
            extra = "; 4 if the mood is only irritable" if self.code == "B_symptoms" else ""
            return f"at least {self.need:g} of [{listed}]{core}{extra}"
        if self.kind == "either_count":
            return f"at least {self.need:g} of the inattention list or at least {self.need:g} of the hyperactivity list"
        if self.kind == "min":
            alt = f", or {self.or_topic} = yes" if self.or_topic else ""
            return f"{self.topics[0]} >= {self.need:g} {TOPICS[self.topics[0]].unit}{alt}"
        if self.kind == "flag":
            return f"{self.topics[0]} = {'yes' if self.need else 'no'}"
        if self.kind == "none_of":
            return f"none of [{listed}]"
        if self.kind == "any_of":
            return f"any of [{listed}]"
        return "elevated_mood or irritable_mood, and increased_energy"


@dataclass(frozen=True)
class Disorder:
    code: str
    title: str
    criteria: tuple[Criterion, ...]
    symptoms: tuple[str, ...]
    """The symptom topics counted in ``symptom_count``."""
    note: str = ""
    by_code: dict[str, Criterion] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_code.update({c.code: c for c in self.criteria})

    @property
    def topics(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.criteria:
            seen.update(dict.fromkeys((*c.topics, c.or_topic) if c.or_topic else c.topics))
        return tuple(seen)


def _flag(code: str, label: str, topic: str, present: bool) -> Criterion:
    return Criterion(code, label, "flag", (topic,), need=1 if present else 0)


IMPAIRMENT = _flag("distress_or_impairment", "clinically significant distress or impairment",
                   "distress_or_impairment", True)  # fmt: skip
NOT_SUBSTANCE = _flag("not_substance_or_medical", "not attributable to a substance or another medical condition",
                      "substance_or_medical_cause", False)  # fmt: skip
MOOD_ENERGY = Criterion("A_mood_and_energy", "distinct period of elevated or irritable mood with increased energy",
                        "mood_energy", ("elevated_mood", "irritable_mood", "increased_energy"))  # fmt: skip
MANIA_SYMPTOMS = Criterion("B_symptoms", "manic symptoms: 3 or more (4 if mood only irritable)", "count", MANIA_B,
                           need=3)  # fmt: skip

DISORDERS: dict[str, Disorder] = {
    d.code: d
    for d in (
        Disorder("major_depressive_disorder", "Major depressive disorder (single or recurrent episode)", (
            Criterion("A_symptoms", "5 or more of 9 depressive symptoms, one being depressed mood or loss of "
                      "interest", "count", MDD_SYMPTOMS, need=5, core=("depressed_mood", "anhedonia")),
            Criterion("A_two_weeks", "symptoms present together for at least 2 weeks", "min",
                      ("depressive_episode_days",), need=14),
            IMPAIRMENT, NOT_SUBSTANCE,
            _flag("no_mania_history", "never a manic or hypomanic episode", "history_of_mania", False),
        ), MDD_SYMPTOMS),
        Disorder("generalized_anxiety_disorder", "Generalized anxiety disorder", (
            _flag("A_excessive_worry", "excessive anxiety and worry about several matters", "excessive_worry", True),
            Criterion("A_six_months", "worry more days than not for at least 6 months", "min", ("worry_months",),
                      need=6),
            _flag("B_hard_to_control", "the worry is hard to control", "worry_hard_to_control", True),
            Criterion("C_symptoms", "3 or more of 6 associated symptoms (adults)", "count", GAD_SYMPTOMS, need=3),
            IMPAIRMENT, NOT_SUBSTANCE,
        ), GAD_SYMPTOMS),
        Disorder("panic_disorder", "Panic disorder", (
            _flag("A_unexpected_attacks", "recurrent unexpected panic attacks", "unexpected_panic_attacks", True),
            Criterion("A_attack_symptoms", "4 or more of 13 panic attack symptoms", "count", PANIC_SYMPTOMS,
                      need=4),
            Criterion("B_one_month_concern", "1 month or more of persistent concern or maladaptive behaviour change "
                      "after an attack", "min", ("post_attack_concern_months",), need=1),
            NOT_SUBSTANCE,
        ), PANIC_SYMPTOMS),
        Disorder("ptsd", "Posttraumatic stress disorder (adults)", (
            _flag("A_exposure", "exposure to actual or threatened death, serious injury or sexual violence",
                  "trauma_exposure", True),
            Criterion("B_intrusion", "1 or more intrusion symptoms", "count", PTSD_B, need=1),
            Criterion("C_avoidance", "1 or more avoidance symptoms", "count", PTSD_C, need=1),
            Criterion("D_cognition_mood", "2 or more negative alterations in cognition or mood", "count", PTSD_D,
                      need=2),
            Criterion("E_arousal", "2 or more alterations in arousal and reactivity", "count", PTSD_E, need=2),
            Criterion("F_over_one_month", "duration more than 1 month", "min", ("trauma_symptom_months",),
                      need=1.01),
            IMPAIRMENT, NOT_SUBSTANCE,
        ), PTSD_B + PTSD_C + PTSD_D + PTSD_E),
        Disorder("bipolar_i", "Bipolar I disorder (manic episode)", (
            MOOD_ENERGY,
            Criterion("A_one_week", "lasting at least 1 week, or any duration if hospitalised", "min",
                      ("mood_episode_days",), need=7, or_topic="hospitalized_for_episode"),
            MANIA_SYMPTOMS,
            Criterion("C_marked_impairment", "marked impairment, hospitalisation or psychotic features", "any_of",
                      SEVERE),
            NOT_SUBSTANCE,
        ), MANIA_B),
        Disorder("bipolar_ii", "Bipolar II disorder (hypomanic and major depressive episodes, never manic)", (
            MOOD_ENERGY,
            Criterion("A_four_days", "lasting at least 4 consecutive days", "min", ("mood_episode_days",), need=4),
            MANIA_SYMPTOMS,
            Criterion("not_manic_severity", "not severe enough for marked impairment or hospitalisation, no "
                      "psychotic features", "none_of", SEVERE),
            NOT_SUBSTANCE,
            _flag("past_major_depression", "at least one major depressive episode", "past_major_depressive_episode",
                  True),
        ), MANIA_B),
        Disorder("adhd_adult", "Attention-deficit/hyperactivity disorder (age 17 or older)", (
            Criterion("A_symptoms", "5 or more inattention or 5 or more hyperactivity-impulsivity symptoms (age 17 "
                      "or older)", "either_count", ADHD_INATTENTION + ADHD_HYPERACTIVITY, need=5),
            Criterion("A_six_months", "symptoms for at least 6 months", "min", ("adhd_symptom_months",), need=6),
            _flag("B_before_12", "several symptoms before age 12", "symptoms_before_12", True),
            _flag("C_two_settings", "several symptoms in 2 or more settings", "two_or_more_settings", True),
            IMPAIRMENT,
        ), ADHD_INATTENTION + ADHD_HYPERACTIVITY),
    )
}  # fmt: skip
"""Disorder code -> its criteria, in DSM-5-TR order."""
DISORDER_CODES = tuple(DISORDERS)


def get_disorder(code: str) -> Disorder:
    if code not in DISORDERS:
        raise ValueError(f"disorder {code!r} is unknown; expected one of {', '.join(DISORDER_CODES)}")
    return DISORDERS[code]


def _yes(findings: Findings, topic: str) -> bool:
    return bool(findings.get(topic, False))


def _count_need(c: Criterion, findings: Findings) -> float:
    """Mania B: 4 symptoms when the mood is only irritable (DSM-5-TR manic/hypomanic episode B)."""
    if c.code == "B_symptoms" and _yes(findings, "irritable_mood") and not _yes(findings, "elevated_mood"):
        return 4
    return c.need


def criterion_met(c: Criterion, findings: Findings) -> bool:
    """Whether ``findings`` meet one criterion."""
    if c.kind == "count":
        present = [t for t in c.topics if _yes(findings, t)]
        return len(present) >= _count_need(c, findings) and (not c.core or any(t in present for t in c.core))
    if c.kind == "either_count":
        return (sum(_yes(findings, t) for t in ADHD_INATTENTION) >= c.need
                or sum(_yes(findings, t) for t in ADHD_HYPERACTIVITY) >= c.need)  # fmt: skip
    if c.kind == "min":
        return float(findings.get(c.topics[0], 0.0)) >= c.need or (bool(c.or_topic) and _yes(findings, c.or_topic))
    if c.kind == "flag":
        return _yes(findings, c.topics[0]) == bool(c.need)
    if c.kind == "none_of":
        return not any(_yes(findings, t) for t in c.topics)
    if c.kind == "any_of":
        return any(_yes(findings, t) for t in c.topics)
    return (_yes(findings, "elevated_mood") or _yes(findings, "irritable_mood")) and _yes(findings, "increased_energy")


class CriterionResult(BaseModel):
    code: str
    label: str
    rule: str
    met: bool
    evidence: list[str]


class CriteriaEvaluation(BaseModel):
    """A criteria set applied to the patient's interview findings."""

    disorder: str
    title: str
    criteria: list[CriterionResult]
    all_met: bool
    unmet: list[str] = Field(description="Codes of the criteria not met, in criteria order.")
    symptom_count: int = Field(description="How many of the disorder's listed symptoms are present.")
    source: str = DSM


def _evidence(c: Criterion, findings: Findings) -> list[str]:
    topics = (*c.topics, c.or_topic) if c.or_topic else c.topics
    out = []
    for t in topics:
        value = findings.get(t, False)
        unit = TOPICS[t].unit
        out.append(f"{t}: {value:g} {unit}" if unit else f"{t}: {'yes' if value else 'no'}")
    return out


def evaluate(code: str, findings: Findings) -> CriteriaEvaluation:
    """Apply disorder ``code``'s criteria to ``findings`` (topic -> bool or number; absent topics are 'no' / 0)."""
    d = get_disorder(code)
    results = [
        CriterionResult(code=c.code, label=c.label, rule=c.rule(), met=criterion_met(c, findings),
                        evidence=_evidence(c, findings))
        for c in d.criteria
    ]  # fmt: skip
    unmet = [r.code for r in results if not r.met]
    return CriteriaEvaluation(
        disorder=d.code, title=d.title, criteria=results, all_met=not unmet, unmet=unmet,
        symptom_count=sum(_yes(findings, t) for t in dict.fromkeys(d.symptoms)),
    )  # fmt: skip


# --- sampling findings that fail exactly one criterion (or none) ---------------------------------------------------


def _pick(rng: np.random.Generator, topics: Sequence[str], k: int) -> list[str]:
    return [str(t) for t in rng.choice(list(topics), size=k, replace=False)] if k else []


def sample_findings(code: str, failing: str | None, rng: np.random.Generator) -> dict[str, bool | float]:
    """Findings for disorder ``code`` that meet every criterion but ``failing`` (None: all met), near the
    thresholds so that the counts and durations are tested at their boundaries."""
    d = get_disorder(code)
    f: dict[str, bool | float] = {}
    severe_allowed = True
    for c in d.criteria:
        met = c.code != failing
        if c.kind == "mood_energy":
            mood = str(rng.choice(["elevated", "irritable", "both"]))
            f["elevated_mood"] = mood in ("elevated", "both")
            f["irritable_mood"] = mood in ("irritable", "both")
            f["increased_energy"] = True
            if not met:
                if rng.random() < 0.5:
                    f["increased_energy"] = False
                else:
                    f["elevated_mood"] = f["irritable_mood"] = False
        elif c.kind == "count":
            need = int(_count_need(c, f))
            if met:
                k = int(rng.integers(need, min(need + 4, len(c.topics)) + 1))
                chosen = _pick(rng, c.topics, k)
                if c.core and not any(t in chosen for t in c.core):
                    chosen[0] = str(rng.choice(c.core))
            elif c.core and rng.random() < 0.5:
                others = [t for t in c.topics if t not in c.core]
                chosen = _pick(rng, others, int(rng.integers(need, len(others) + 1)))
            else:
                chosen = _pick(rng, c.topics, int(rng.integers(max(0, need - 2), need)))
                if c.core and chosen and not any(t in chosen for t in c.core):
                    chosen[0] = str(rng.choice(c.core))
            for t in c.topics:
                f.setdefault(t, False)
            f.update(dict.fromkeys(chosen, True))
        elif c.kind == "either_count":
            primary, other = (ADHD_INATTENTION, ADHD_HYPERACTIVITY)[:: 1 if rng.random() < 0.5 else -1]
            if met:
                a, b = int(rng.integers(5, 10)), int(rng.integers(0, 10))
            else:
                a, b = int(rng.integers(2, 5)), int(rng.integers(0, 5))
            f.update(dict.fromkeys(primary + other, False))
            f.update(dict.fromkeys(_pick(rng, primary, a) + _pick(rng, other, b), True))
        elif c.kind == "min":
            need = c.need
            if met:
                value = float(rng.choice([need, need + 1, 2 * need, 3 * need])) if need >= 1.5 else float(
                    rng.choice([2, 3, 6, 12]))
            else:
                value = float(rng.choice([need - 1, max(need // 2, 1), need - 2])) if need >= 4 else 0.5
                severe_allowed = False if c.or_topic else severe_allowed
            f[c.topics[0]] = max(value, 0.5)
        elif c.kind == "flag":
            f[c.topics[0]] = bool(c.need) == met
        elif c.kind in ("any_of", "none_of"):
            f.update(dict.fromkeys(c.topics, False))
            if met == (c.kind == "any_of"):
                pool = [t for t in c.topics if severe_allowed or t != "hospitalized_for_episode"]
                f.update(dict.fromkeys(_pick(rng, pool, int(rng.integers(1, len(pool) + 1))), True))
    if "hospitalized_for_episode" in d.topics:
        f.setdefault("hospitalized_for_episode", False)
    result = evaluate(code, f)
    want = [] if failing is None else [failing]
    if result.unmet != want:
        raise RuntimeError(f"{code}: sampled findings fail {result.unmet}, wanted {want}")
    return f
