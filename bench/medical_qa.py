"""The medical_qa reference clinician on MedQuAD: open-book accuracy and citation recall, and the closed-book baseline.

Loads the MedQuAD answered pairs (``../shared/data/medquad/medquad_answered.jsonl`` by default) with the domain's
``medquad`` loader (the answers become corpus ``medquad``; each question a choice among six answer excerpts, see
``mcp_servers/domains/medical_qa/loaders.py``), draws a seeded sample of questions, and plays each in both books
through the Gym env with the reference clinician: open book (search, read, cite) and closed book (the knowledge base
withheld; the reference falls back to the option that shares most words with the question, which is the baseline).
Writes ``bench/results/medical_qa.json`` and a table. Run it niced on a shared machine:

    nice -n 19 python -m bench.medical_qa [--file PATH] [--sample 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from statistics import mean

from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.loaders import load_tasks
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import Task

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "medquad" / "medquad_answered.jsonl"


def main(argv: list[str] | None = None) -> None:
    from bench._report import write_report

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="MedQuAD answered-pairs JSONL")
    parser.add_argument("--sample", type=int, default=300, help="questions to play (each in both books)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        raise SystemExit(f"{args.file}: no such file (pass --file PATH to MedQuAD's medquad_answered.jsonl)")
    spec = get_domain("medical_qa")
    started = time.perf_counter()
    print(f"loading {args.file}: every answer becomes corpus 'medquad' (about a minute)", file=sys.stderr)
    tasks = load_tasks(spec, "medquad", args.file)
    load_s = time.perf_counter() - started
    def question(task: Task) -> tuple[str, ...]:
        q = spec.case_record(task.case_ref)
        return (q.question, *q.options)

    questions = sorted({question(t) for t in tasks})
    chosen = set(random.Random(args.seed).sample(questions, min(args.sample, len(questions))))
    rows, payload = [], {}
    for tier, book in (("assisted", "open"), ("unassisted", "closed")):
        env = HealthGymEnv("medical_qa", "test", tier=tier, max_turns=32)
        pool = [t for t in tasks if t.tier == tier and question(t) in chosen]
        played_at = time.perf_counter()
        runs = []
        for done, task in enumerate(pool, start=1):
            runs.append(play_reference(env, task))
            if done % 50 == 0 or done == len(pool):
                elapsed = time.perf_counter() - played_at
                print(f"{book} book: {done}/{len(pool)} played, {elapsed:.0f} s", file=sys.stderr)
        env.close()
        seconds = time.perf_counter() - played_at
        row = {
            "book": book,
            "n": len(runs),
            "accuracy": mean(r.grade.details.get("answer", 0.0) for r in runs),
            "full_credit": mean(float(r.grade.correct) for r in runs),
            "citation_recall": mean(r.grade.details.get("citation_recall", 0.0) for r in runs) if book == "open"
            else 0.0,
            "citation_precision": mean(r.grade.details.get("citation_precision", 0.0) for r in runs)
            if book == "open" else 0.0,
            "mean_reward": mean(r.reward.total for r in runs),
            "tool_calls": mean(len(r.tool_calls) for r in runs),
            "seconds_per_question": seconds / max(1, len(runs)),
            "errors": sum(r.error is not None for r in runs),
        }  # fmt: skip
        rows.append(row)
    payload = {
        "file": str(args.file),
        "questions_in_file": len(questions),
        "sample": len(chosen),
        "seed": args.seed,
        "chance_accuracy": 1 / 6,
        "load_seconds": load_s,
        "load_average": list(os.getloadavg()),
    }
    write_report("medical_qa", payload, rows, f"medical_qa reference on a MedQuAD sample of {len(chosen)} questions")


if __name__ == "__main__":
    main()
