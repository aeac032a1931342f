"""The reference clinician: takes a full history, examines every system, measures the vital signs, then reasons.

It uses only the prompt, the case id and the tools. In the assisted tier it reads the Bayesian differential, the
recommended work-up and the disposition from the decision-support tools. In the unassisted tier those are withheld:
it reads every chapter of condition cards (likelihoods, priors, background rates) with the reference tools and
applies the same rule itself (``posterior.posterior`` over the findings the tools revealed), orders the work-up of
its differential from the cards, and applies the disposition policy (``patients.disposition``) after reading it.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import CHAPTERS
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import disposition
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import Card, differential, posterior
from healthgym.schemas import ToolCall


def _call(name: str, **arguments: Any) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def solve(view: TaskView) -> Solver:
    cid, assisted = view.case_ref, view.tier == "assisted"
    asks = view.prompt[view.prompt.rfind("submit_diagnosis(") :]
    wants = [f for f in ("diagnosis", "differential", "disposition") if f"{f}=" in asks]
    enc = yield _call("get_encounter", case_id=cid)
    observed: dict[str, bool] = {enc["complaint_code"]: True}
    kinds: dict[str, str] = {enc["complaint_code"]: "symptom"}
    for topic in enc["history_topics"]:
        reply = yield _call("ask_patient", case_id=cid, question=topic)
        for a in reply["answers"]:
            if a["present"] is not None:
                observed[a["code"]], kinds[a["code"]] = a["present"], a["kind"]
    for system in enc["exam_systems"]:
        reply = yield _call("examine", case_id=cid, system=system)
        for f in reply["findings"]:
            observed[f["code"]], kinds[f["code"]] = f["present"], "exam"
    vitals = yield _call("get_vitals", case_id=cid)
    for f in vitals["findings"]:
        observed[f["code"]], kinds[f["code"]] = f["present"], "vital"
    answer: dict[str, Any] = {"case_id": cid}
    if assisted:
        pre = yield _call("differential_diagnosis", case_id=cid)
        names = {r["id"]: r["name"] for r in pre["ranking"]}
        answer["differential"] = [names[c] for c in pre["differential"]]
        if "diagnosis" in wants:
            plan = yield _call("recommend_tests", case_id=cid)
            for test in plan["tests"]:
                yield _call("order_test", case_id=cid, test=test)
            post = yield _call("differential_diagnosis", case_id=cid)
            answer["diagnosis"] = post["ranking"][0]["name"]
        if "disposition" in wants:
            answer["disposition"] = (yield _call("recommend_disposition", case_id=cid))["disposition"]
    else:
        cards: dict[str, dict[str, Any]] = {}
        background: dict[str, float] = {}
        false_positive: dict[str, float] = {}
        for chapter in CHAPTERS:
            reply = yield _call("get_condition_chapter", chapter=chapter)
            cards.update({c["id"]: c for c in reply["conditions"]})
            background, false_positive = reply["background"], reply["test_false_positive_rates"]
        rule = [
            Card(
                c["id"], c["prior"], c["sex"], c["min_age"], c["max_age"], {x["code"]: x["p"] for x in c["likelihoods"]}
            )
            for c in cards.values()
        ]

        def rank() -> list[tuple[str, float]]:
            rates = {
                code: false_positive[code] if kinds[code] == "test" else background[kinds[code]] for code in observed
            }
            return posterior(rule, rates, observed, enc["age"], enc["sex"])

        diff = differential(rank())
        answer["differential"] = [cards[c]["name"] for c in diff]
        if "diagnosis" in wants:
            tests = sorted({t for c in diff for t in cards[c]["workup"]}, key=lambda t: (enc["test_costs"][t], t))
            for test in tests:
                report = yield _call("order_test", case_id=cid, test=test)
                for r in report["results"]:
                    observed[r["code"]], kinds[r["code"]] = r["abnormal"], "test"
            leading = rank()[0][0]
            answer["diagnosis"] = cards[leading]["name"]
        if "disposition" in wants:
            yield _call("get_disposition_policy")
            leading = rank()[0][0]
            answer["disposition"] = disposition(cards[leading]["severity"], observed)
    yield _call("submit_diagnosis", **{k: v for k, v in answer.items() if k == "case_id" or k in wants})
