"""The train stream of every domain generates N tasks without an error, skipping test collisions (issue #9).

    python -m bench.train_stream [--n 100000] [--domains ...]

Writes ``bench/results/train_stream.json``: per domain, tasks generated, stream indices read (the difference is
tasks skipped because they collide with a test task on a content hash), seconds and tasks per second.
"""

from __future__ import annotations

import argparse
import os
import time

from bench._report import write_report
from healthgym.mcp_servers.domain import collisions
from healthgym.mcp_servers.domains import domain_names, get_domain


def run(domain: str, n: int, seed: int = 0) -> dict[str, float | int | str]:
    spec = get_domain(domain)
    collisions(spec, spec.generate("train", seed, 0))  # build the test split's hashes outside the timing
    start, kept, index = time.perf_counter(), 0, 0
    while kept < n:
        task = spec.generate("train", seed, index)
        kept += not collisions(spec, task)
        index += 1
    seconds = time.perf_counter() - start
    return {"domain": domain, "tasks": kept, "indices": index, "skipped": index - kept, "seconds": round(seconds, 1),
            "tasks_per_s": round(kept / seconds, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="train tasks per domain")
    parser.add_argument("--domains", nargs="*", default=domain_names())
    args = parser.parse_args(argv)
    rows = [run(d, args.n) for d in args.domains]
    write_report("train_stream", {"n": args.n, "load_average": list(os.getloadavg())}, rows,
                 f"{args.n:,} train tasks per domain")


if __name__ == "__main__":
    main()
