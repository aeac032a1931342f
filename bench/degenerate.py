"""Degenerate policies against every domain's grader and reward (see ``healthgym.agents.degenerate``).

Five scripted policies play the test split of each domain through the Gym env, per tier; the mean reward and
accuracy of each are written to ``bench/results/degenerate.json`` with a table. The bar (issue #9): every policy's
mean reward <= 0.35 on every tier, and the best degenerate accuracy on the unassisted tier <= 0.30.

    python -m bench.degenerate [--domains ...]
"""

from __future__ import annotations

import argparse
import os

from healthgym.agents.degenerate import REWARD_BAR, UNASSISTED_ACCURACY_BAR, evaluate
from healthgym.mcp_servers.domains import domain_names


def main(argv: list[str] | None = None) -> None:
    from bench._report import write_report

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--domains", nargs="*", default=domain_names(), help="domains to play (default: all)")
    args = parser.parse_args(argv)
    results = {domain: evaluate(domain) for domain in args.domains}
    rows = [
        {"domain": domain, "tier": tier, "policy": kind, "reward": v["reward"], "accuracy": v["accuracy"], "n": v["n"]}
        for domain, tiers in results.items()
        for tier, policies in tiers.items()
        for kind, v in policies.items()
    ]
    worst = max(r["reward"] for r in rows)
    worst_unassisted = max((r["accuracy"] for r in rows if r["tier"] == "unassisted"), default=0.0)
    payload = {
        "bars": {"reward": REWARD_BAR, "unassisted_accuracy": UNASSISTED_ACCURACY_BAR},
        "worst_reward": worst,
        "worst_unassisted_accuracy": worst_unassisted,
        "load_average": list(os.getloadavg()),
    }
    write_report("degenerate", payload, rows, "Degenerate policies on the test split (mean per tier)")


if __name__ == "__main__":
    main()
