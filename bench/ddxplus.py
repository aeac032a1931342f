"""The Bayesian reference of clinical_diagnosis on a DDXPlus patient file: top-1 and top-5 against PATHOLOGY.

Each row of a DDXPlus release-format CSV is loaded as the domain loads it (``clinical_diagnosis.loaders``) and the
posterior is computed from the row's full evidence (every DDXPlus binary evidence: listed = present, otherwise
absent; the travel question from its value) with the domain's knowledge model (``patients.rank``, the same rule the
tools use). Reported: top-1 and top-5 accuracy over all 84 conditions and over the 49 DDXPlus pathologies only, and
the mean DDF1 between our differential (posterior >= 5%) and the row's (probability >= 5%). Writes
``bench/results/ddxplus.json``.

    python -m bench.ddxplus FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import rank
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import DIFFERENTIAL_THRESHOLD
from healthgym.mcp_servers.loaders import load_tasks, loaded_case


def _f1(gold: set[str], got: set[str]) -> float:
    hits = len(gold & got)
    if not gold and not got:
        return 1.0
    return 0.0 if not hits else 2 * hits / (len(gold) + len(got))


def evaluate(path: Path) -> dict[str, float]:
    """Top-1, top-5 and DDF1 of the Bayesian reference on every row of ``path``."""
    spec = get_domain("clinical_diagnosis")
    ddxplus_ids = {c.id for c in model().conditions.values() if c.ddxplus}
    tasks = load_tasks(spec, "ddxplus", path)
    counts = {"top1": 0, "top5": 0, "top1_ddxplus49": 0, "top5_ddxplus49": 0}
    ddf1 = 0.0
    for task in tasks:
        case = loaded_case(spec.name, task.case_ref)
        ranking = rank(case.patient, ("symptom", "antecedent"))
        ours = [c for c, _ in ranking]
        among = [c for c in ours if c in ddxplus_ids]
        counts["top1"] += ours[0] == case.condition
        counts["top5"] += case.condition in ours[:5]
        counts["top1_ddxplus49"] += among[0] == case.condition
        counts["top5_ddxplus49"] += case.condition in among[:5]
        ddf1 += _f1(set(case.differential), {c for c, p in ranking if p >= DIFFERENTIAL_THRESHOLD})
    n = len(tasks)
    return {"patients": n, **{k: round(v / n, 4) for k, v in counts.items()}, "ddf1": round(ddf1 / n, 4)}


def main(argv: list[str] | None = None) -> None:
    from bench._report import write_report

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("file", type=Path, help="DDXPlus patient CSV in the release format")
    args = parser.parse_args(argv)
    result = evaluate(args.file)
    write_report(
        "ddxplus",
        {"file": str(args.file)},
        [{"file": args.file.name, **result}],
        "Bayesian reference on a DDXPlus file",
    )


if __name__ == "__main__":
    main()
