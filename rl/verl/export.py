"""``healthgym export-verl``: healthgym tasks as a verl dataset (parquet that ``RLHFDataset`` loads).

One row per task, in the layout verl's ``RLHFDataset`` and agent loops read:

- ``prompt``: the chat the student starts from, as :class:`healthgym.rl.env.HealthGymEnv` opens the episode (system:
  the domain's policy; user: the env's first observation: the task, the tool names, the format help);
- ``agent_name``: ``healthgym_agent`` (:mod:`healthgym.rl.verl.agent_loop`);
- ``data_source``: ``healthgym/<domain>``;
- ``tools``: the domain's MCP tools in the OpenAI function format chat templates take, as JSON text (verl passes the
  column through to the agent loop);
- ``reward_model``: ``{"style": "rule", "ground_truth": <task id>}`` (verl's reward managers read the key; the
  answer itself stays in ``extra_info``);
- ``extra_info``: ``index``, ``task_id``, ``domain``, ``split``, ``tier``, ``task`` (the task as JSON, with its
  answer and hidden case file, for the grader), ``privileged`` (the teacher's ``gold`` and ``casefile`` blocks,
  healthgym.rl.privileged; the ``hint`` block depends on the episode's outcome and is built at rollout end).

Nothing in ``extra_info`` reaches the student's tokens: the agent loop renders ``prompt`` and ``tools`` only. The
``test`` split is refused: it is the benchmark.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.parquet as pq
import typer

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.privileged import privileged_block
from healthgym.rl.rollout import openai_tools
from healthgym.rl.verl.agent_loop import AGENT_NAME
from healthgym.schemas import Task

EXPORT_SPLITS = ("train", "dev")


def task_rows(domain: str, split: str, n: int | None, *, seed: int = 0) -> list[dict[str, Any]]:
    """The rows of the first ``n`` tasks of ``domain``'s ``split`` (all of dev when ``n`` is None); raises if any is a
    test task, by split or by the same question on the same case."""
    if split not in EXPORT_SPLITS:
        raise ValueError(f"split must be one of {EXPORT_SPLITS} (test is the benchmark), got {split!r}")
    spec = get_domain(domain)
    test_questions = {(t.prompt, t.case_ref) for t in tasks(spec, "test")}
    chosen = tasks(spec, split, n, seed=seed)  # type: ignore[arg-type]
    leaked = [t.id for t in chosen if t.split == "test" or (t.prompt, t.case_ref) in test_questions]
    if leaked:
        raise AssertionError(f"{split} tasks {leaked[:3]} are test tasks; the split generator is broken")
    return rows_of(chosen)


def rows_of(chosen: list[Task]) -> list[dict[str, Any]]:
    """One dataset row per task (tasks of one domain), the prompt opened by the Gym env."""
    if not chosen:
        return []
    spec = get_domain(chosen[0].domain)
    env = HealthGymEnv(spec.name, "train")  # an env that draws nothing: each reset is given its task
    rows = []
    for index, task in enumerate(chosen):
        observation, _ = env.reset(options={"task": task})
        tools = json.dumps(openai_tools(env.tool_schemas))  # the task's tier: unassisted rows lack decision support
        rows.append(_row(task, spec.policy, observation, tools, index, spec.submit_tool))
    env.close()
    return rows


def _row(task: Task, policy: str, observation: str, tools: str, index: int, submit_tool: str) -> dict[str, Any]:
    return {
        "data_source": f"healthgym/{task.domain}",
        "agent_name": AGENT_NAME,
        "prompt": [{"role": "system", "content": policy}, {"role": "user", "content": observation}],
        "tools": tools,
        "reward_model": {"style": "rule", "ground_truth": task.id},
        "extra_info": {
            "index": index,
            "task_id": task.id,
            "domain": task.domain,
            "split": task.split,
            "tier": task.tier,
            "task": task.model_dump_json(),
            "privileged": {
                mode: privileged_block(task, mode, submit_tool=submit_tool) for mode in ("gold", "casefile")
            },
        },
    }


def export(
    domains: list[str],
    split: str,
    n: int | None,
    out: Path,
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write ``out/<split>.parquet`` with ``n`` tasks of each domain, interleaved so that any prefix mixes domains;
    ``progress`` is called with each domain's name once its rows are built."""
    unknown = sorted(set(domains) - set(domain_names()))
    if unknown:
        raise ValueError(f"unknown domains {unknown}; known: {domain_names()}")
    per_domain = []
    for domain in domains:
        per_domain.append(task_rows(domain, split, n, seed=seed))
        if progress is not None:
            progress(domain)
    rows = [row for group in zip_longest(*per_domain) for row in group if row is not None]
    return write_parquet(rows, out / f"{split}.parquet")


def write_parquet(rows: list[dict[str, Any]], path: Path) -> Path:
    """Number the rows (``extra_info.index``, verl's sample index) and write them to ``path``."""
    for index, row in enumerate(rows):
        row["extra_info"]["index"] = index
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def export_verl_command(
    domains: Annotated[
        list[str], typer.Option("--domains", "-d", help="Domains to export: repeat the option or separate by commas.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder; writes <split>.parquet there.")],
    split: Annotated[str, typer.Option(help="train (a seeded stream) or dev.")] = "train",
    n: Annotated[int | None, typer.Option("-n", help="Tasks per domain (required for train; dev: all).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the train stream.")] = 0,
) -> None:
    """Write healthgym tasks as a verl RLHFDataset parquet (prompt, agent_name, data_source, tools, extra_info)."""
    if split == "train" and n is None:
        raise typer.BadParameter("the train split is unbounded: pass -n")
    domains = [name.strip() for value in domains for name in value.split(",") if name.strip()]
    try:
        with typer.progressbar(length=len(domains), label=f"exporting {split}") as bar:
            path = export(domains, split, n, out, seed=seed, progress=lambda _: bar.update(1))
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err
    typer.echo(f"wrote {path} ({pq.read_metadata(path).num_rows} rows)")


export_app = typer.Typer(add_completion=False)
export_app.command()(export_verl_command)
