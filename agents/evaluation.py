"""``healthgym eval``: run an agent over a fixed split of each domain, graded as in training; resumable.

A run lives in one folder:

- ``run.json``: the configuration; a rerun into the folder must match it, and then resumes;
- ``trajectories.jsonl``: one :class:`~healthgym.schemas.Trajectory` per finished episode, appended as each ends (a
  rerun skips every task already there, and drops a line cut short by a kill); with ``retry_failed`` (the default)
  a rerun moves the episodes that ended in an error to ``failed.jsonl`` and plays them again;
- ``scorecard.json``, ``scorecard.txt``, ``scorecard.png``: per-domain scores, written when the run completes;
- ``servers.log``: stderr of the stdio servers.

Episodes run concurrently (``concurrency``) in one event loop; the reference clinician and the local transformers
agent play through the Gym env in worker threads. The LangGraph and pydantic-ai agents hold one MCP session per
server for the whole run (one server process per domain over stdio), shared by every episode, each tool call tagged
with its episode so that the server keeps every episode's writes apart. A model or tool failure ends that episode
only: it is graded on what it did, its ``error`` says what failed, and the run goes on. A remote model is checked
with one call before any episode starts (:mod:`healthgym.agents.preflight`), so that a configuration error stops the
run instead of becoming its results.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import anyio

from healthgym.agents.connections import Connection, Transport, local_http_servers
from healthgym.agents.episode import EpisodeLog, grade_episode
from healthgym.agents.scorecard import DomainScore, plot_scorecard, score_domains, scorecard_table
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.mcp_servers.loaders import domain_of_format, load_tasks
from healthgym.rl.reward import composite_reward
from healthgym.schemas import Task, Trajectory

if TYPE_CHECKING:  # the agent frameworks are an extra; the reference agent runs without them
    from healthgym.agents.langgraph_agent import Shape

AgentKind = Literal["reference", "langgraph", "pydantic-ai", "hf"]
AGENTS: tuple[AgentKind, ...] = ("reference", "langgraph", "pydantic-ai", "hf")
EvalSplit = Literal["dev", "test"]
MCP_AGENTS = ("langgraph", "pydantic-ai")
"""Agents that reach the domains over MCP sessions (the others play through the Gym env)."""
FAILED_FILE = "failed.jsonl"
"""Where a rerun with ``retry_failed`` keeps the failed episodes it plays again."""


@dataclass(frozen=True)
class EvalConfig:
    """What a run evaluates; stored as ``run.json``.

    Args:
        agent: ``reference`` (the rule-based clinician, through the Gym env), ``langgraph``, ``pydantic-ai``, or
            ``hf`` (a local transformers model through the Gym env, as in RL training).
        model: for ``langgraph`` / ``pydantic-ai``: ``scripted``, a model directory or a model string (see
            :mod:`healthgym.agents.models`); for ``hf``: a model directory; unused by ``reference``.
        domains: domains to evaluate.
        split: ``dev`` or ``test`` (fixed splits; ``train`` is for training).
        limit: at most this many tasks per domain (the first ones of the split).
        transport: how ``langgraph`` / ``pydantic-ai`` reach the servers.
        shape: LangGraph agent shape, ``loop`` or ``workflow``.
        max_turns: assistant turns before an episode is cut.
        base_url: OpenAI-compatible endpoint for the model string (a local vLLM or Ollama server).
        episode_timeout_s: an episode running longer is ended and recorded as an error.
        max_new_tokens: generation budget per assistant turn of a local transformers model.
    """

    agent: AgentKind
    domains: tuple[str, ...]
    model: str | None = None
    split: EvalSplit = "test"
    limit: int | None = None
    transport: Transport = "inprocess"
    shape: Shape = "loop"
    max_turns: int = 40
    base_url: str | None = None
    episode_timeout_s: float = 600.0
    max_new_tokens: int = 512
    urls: dict[str, str] = field(default_factory=dict)
    """Streamable-HTTP endpoints of servers already running, by domain (``http`` only; others start locally)."""
    tasks_from: tuple[str, str] | None = None
    """``(format, file)``: play the tasks of a user's file (``healthgym.mcp_servers.loaders``) instead of a split;
    the run's one domain must be the one that reads the format."""

    def __post_init__(self) -> None:
        if self.agent not in AGENTS:
            raise ValueError(f"agent must be one of {', '.join(AGENTS)}, got {self.agent!r}")
        if self.agent in ("langgraph", "pydantic-ai", "hf") and not self.model:
            raise ValueError(
                f"the {self.agent} agent needs --model (e.g. 'scripted', a model directory, 'openai:gpt-4.1')"
            )
        if self.agent == "hf" and not Path(str(self.model)).is_dir():
            raise ValueError(f"the hf agent needs a local model directory, got {self.model!r}")
        if self.agent in MCP_AGENTS and self.model:
            from healthgym.agents.preflight import check_model_spec, needs_probe

            if needs_probe(self.model):
                check_model_spec(self.model, self.base_url)
        if self.shape not in ("loop", "workflow"):
            raise ValueError(f"shape must be 'loop' or 'workflow', got {self.shape!r}")
        if self.split not in ("dev", "test"):
            raise ValueError(f"split must be 'dev' or 'test', got {self.split!r}")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be >= 1, got {self.limit}")
        if self.max_turns < 1:
            raise ValueError(f"max_turns must be >= 1, got {self.max_turns}")
        if not self.domains:
            raise ValueError("name at least one domain")
        for domain in self.domains:
            get_domain(domain)
        unknown = set(self.urls) - set(self.domains)
        if unknown:
            raise ValueError(f"urls given for domains not in the run: {sorted(unknown)}")
        if self.tasks_from is not None:
            owner = domain_of_format(self.tasks_from[0], {d: get_domain(d) for d in domain_names()}).name
            if self.domains != (owner,):
                raise ValueError(f"{self.tasks_from[0]} files are {owner} tasks; run them with --domains {owner}")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["domains"] = list(self.domains)
        data["tasks_from"] = list(self.tasks_from) if self.tasks_from else None
        return data

    def tasks(self) -> list[Task]:
        if self.tasks_from is not None:
            format, path = self.tasks_from
            return load_tasks(get_domain(self.domains[0]), format, Path(path))[: self.limit]
        return [t for d in self.domains for t in tasks(get_domain(d), self.split)[: self.limit]]

    def connection(self, domain: str) -> Connection:
        """How the run reaches ``domain``'s server over a transport it starts itself (stdio or in-process); a stdio
        server loads the run's task file too."""
        if self.tasks_from is None or self.transport != "stdio":
            return Connection(domain, self.transport)
        command = (sys.executable, "-m", "healthgym", "serve", domain, "--tasks-from", *self.tasks_from)
        return Connection(domain, "stdio", command=command)


def read_trajectories(path: Path) -> list[Trajectory]:
    """The finished episodes of a run; a last line cut short by a kill is dropped from the file."""
    if not path.exists():
        return []
    lines = path.read_text().splitlines(keepends=True)
    out: list[Trajectory] = []
    for i, line in enumerate(lines):
        try:
            out.append(Trajectory.model_validate_json(line))
        except ValueError:
            if i != len(lines) - 1:
                raise ValueError(f"{path}:{i + 1} is not a trajectory; the file is damaged") from None
            path.write_text("".join(lines[:-1]))
    return out


def _error_text(err: BaseException) -> str:
    while isinstance(err, BaseExceptionGroup) and err.exceptions:
        err = err.exceptions[0]
    return f"{type(err).__name__}: {err}"[:2000]


def _failed_env_episode(task: Task, trajectory: Trajectory | None, err: BaseException) -> Trajectory:
    """An env episode that raised: graded on what it did, with the error."""
    spec = get_domain(task.domain)
    failed = Trajectory(
        task_id=task.id,
        domain=task.domain,
        error=_error_text(err),
        turns=list(trajectory.turns) if trajectory and trajectory.task_id == task.id else [],
    )
    failed.grade = spec.grade(task, None)
    failed.reward = composite_reward(task, failed, failed.grade)
    failed.metrics = failed.effort()
    return failed


class _Players:
    """Builds and plays one episode of the configured agent; models are loaded, and MCP sessions opened, once per
    run."""

    def __init__(self, config: EvalConfig, connections: dict[str, Connection], errlog: TextIO) -> None:
        self.config = config
        self.connections = connections
        self.errlog = errlog
        self.servers: dict[str, Any] = {}
        """The run's MCP sessions by domain (``LangGraphServers`` or ``PydanticServers``), held by :meth:`serving`."""
        self.chat = None
        if config.agent == "hf" or (config.model and config.model != "scripted" and Path(config.model).is_dir()):
            from healthgym.agents.models import TransformersChat

            self.chat = TransformersChat(config.model, max_new_tokens=config.max_new_tokens)

    @asynccontextmanager
    async def serving(self, domains: Sequence[str]) -> AsyncIterator[None]:
        """Hold one MCP session per domain server until exit, for every episode of the run (MCP agents only)."""
        if self.config.agent == "langgraph":
            from healthgym.agents.langgraph_agent import open_langgraph_servers as open_servers
        elif self.config.agent == "pydantic-ai":
            from healthgym.agents.pydantic_agent import open_pydantic_servers as open_servers
        else:
            yield
            return
        async with AsyncExitStack() as stack:
            for domain in domains:
                connections = [self.connections[domain]]
                self.servers[domain] = await stack.enter_async_context(open_servers(connections, errlog=self.errlog))
            yield

    async def play(self, task: Task) -> Trajectory:
        if self.config.agent in ("reference", "hf"):
            return await anyio.to_thread.run_sync(self._play_env, task)
        log = EpisodeLog(TaskView.of(task), get_domain(task.domain).submit_tool)
        try:
            with anyio.fail_after(self.config.episode_timeout_s):
                await self._play_mcp(task, log)
        except Exception as err:  # the episode's failure is its result; the run goes on
            return grade_episode(task, log, error=_error_text(err))
        return grade_episode(task, log)

    async def _play_mcp(self, task: Task, log: EpisodeLog) -> None:
        from healthgym.agents import models, scripted

        config, spec, view = self.config, get_domain(task.domain), log.view
        servers = self.servers[task.domain]
        scripted_policy = scripted.ScriptedPolicy(spec.solve(view)) if config.model == models.SCRIPTED else None
        if config.agent == "langgraph":
            from healthgym.agents.langgraph_agent import play_langgraph

            model = (
                scripted.ScriptedChatModel(policy=scripted_policy)
                if scripted_policy
                else models.langchain_model(str(config.model), base_url=config.base_url, chat=self.chat)
            )
            await play_langgraph(model, view, servers=servers, shape=config.shape, max_turns=config.max_turns, log=log)
        else:
            from healthgym.agents.pydantic_agent import answer_model, play_pydantic

            model = (
                scripted.scripted_function_model(scripted_policy)
                if scripted_policy
                else models.pydantic_ai_model(str(config.model), base_url=config.base_url, chat=self.chat)
            )
            await play_pydantic(
                model,
                view,
                servers=servers,
                output_type=answer_model(task.answer),  # the shape of this task's answer, never its value
                max_turns=config.max_turns,
                log=log,
            )

    def _play_env(self, task: Task) -> Trajectory:
        from healthgym.rl.env import HealthGymEnv

        loaded = self.config.tasks_from is not None
        env = HealthGymEnv(
            task.domain, self.config.split, max_turns=self.config.max_turns, task_ids=None if loaded else [task.id]
        )
        start = time.perf_counter()
        try:
            if self.config.agent == "reference":
                from healthgym.agents.reference import play_reference

                trajectory = play_reference(env, task if loaded else task.id)
            else:
                from healthgym.agents.hf_agent import play_transformers

                assert self.chat is not None
                trajectory = play_transformers(env, self.chat, task if loaded else task.id)
        except Exception as err:  # the episode's failure is its result; the run goes on
            return _failed_env_episode(task, env.trajectory, err)
        finally:
            env.close()
        trajectory = trajectory.model_copy(deep=True)
        trajectory.metrics.setdefault("tokens", 0.0)
        trajectory.metrics["wall_s"] = time.perf_counter() - start
        return trajectory


def _check_run_dir(out: Path, config: EvalConfig) -> None:
    """Refuse a folder holding a run of another configuration."""
    manifest = out / "run.json"
    wanted = config.to_json()
    if manifest.exists():
        found = json.loads(manifest.read_text())
        if found != wanted:
            diff = {k: (found.get(k), v) for k, v in wanted.items() if found.get(k) != v}
            raise ValueError(
                f"{out} holds a run with another configuration (was, now: {diff}); "
                "use another --out, or rerun with the same options to resume"
            )


def _start_run_dir(out: Path, config: EvalConfig) -> None:
    manifest = out / "run.json"
    if not manifest.exists():
        out.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(config.to_json(), indent=2) + "\n")


ProgressHook = Callable[[str, int], None]
"""``hook(domain, finished)`` after each episode (and once per domain for episodes resumed from disk)."""


async def _run_pending(
    config: EvalConfig,
    pending: Sequence[Task],
    out: Path,
    concurrency: int,
    connections: dict[str, Connection],
    on_done: ProgressHook,
) -> None:
    limiter = anyio.CapacityLimiter(concurrency)
    with (out / "trajectories.jsonl").open("a") as sink, (out / "servers.log").open("a") as errlog:
        players = _Players(config, connections, errlog)

        async def one(task: Task) -> None:
            async with limiter:
                trajectory = await players.play(task)
            sink.write(trajectory.model_dump_json() + "\n")
            sink.flush()
            on_done(task.domain, 1)

        async with players.serving(list(dict.fromkeys(t.domain for t in pending))), anyio.create_task_group() as tg:
            for task in pending:
                tg.start_soon(one, task)


def _set_aside_failed(out: Path, previous: list[Trajectory]) -> None:
    """Move the failed episodes of ``trajectories.jsonl`` to the end of ``failed.jsonl`` (kept, not lost), so that
    the file again holds one finished episode per task once they are replayed."""
    failed = [t for t in previous if t.error is not None]
    if not failed:
        return
    with (out / FAILED_FILE).open("a") as sink:
        sink.writelines(t.model_dump_json() + "\n" for t in failed)
    kept = out / "trajectories.jsonl.tmp"
    kept.write_text("".join(t.model_dump_json() + "\n" for t in previous if t.error is None))
    kept.replace(out / "trajectories.jsonl")


def run_eval(
    config: EvalConfig,
    out: Path,
    *,
    concurrency: int = 1,
    on_done: ProgressHook | None = None,
    retry_failed: bool = True,
) -> list[DomainScore]:
    """Run (or resume) an evaluation into ``out``; the per-domain scores of every finished episode.

    ``retry_failed``: play again the episodes of an earlier run into ``out`` that ended in an error (they move to
    ``failed.jsonl``); otherwise they count as finished. Before any episode, a remote model gets one probe call, and
    :class:`~healthgym.agents.preflight.ModelUnavailable` says why it cannot be used."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    _check_run_dir(out, config)
    on_done = on_done or (lambda domain, n: None)
    wanted = config.tasks()
    previous = read_trajectories(out / "trajectories.jsonl")
    finished = {t.task_id for t in previous if not (retry_failed and t.error is not None)}
    pending = [t for t in wanted if t.id not in finished]
    if pending and config.agent in MCP_AGENTS:
        from healthgym.agents.preflight import check_model

        check_model(config.agent, str(config.model), config.base_url)  # before anything is written
    _start_run_dir(out, config)
    if retry_failed:
        _set_aside_failed(out, previous)
    for domain in config.domains:
        on_done(domain, sum(t.id in finished for t in wanted if t.domain == domain))
    if pending:
        if config.transport == "http" and config.agent in MCP_AGENTS:
            local = [d for d in config.domains if d not in config.urls]
            with local_http_servers(local) as started:
                connections = {
                    **started,
                    **{
                        d: Connection(d, "http", url=u, token=os.environ.get("HEALTHGYM_MCP_TOKEN"))
                        for d, u in config.urls.items()
                    },
                }
                anyio.run(_run_pending, config, pending, out, concurrency, connections, on_done)
        else:
            connections = {d: config.connection(d) for d in config.domains}
            anyio.run(_run_pending, config, pending, out, concurrency, connections, on_done)
    ids = {t.id for t in wanted}
    trajectories = [t for t in read_trajectories(out / "trajectories.jsonl") if t.task_id in ids]
    scores = score_domains(trajectories)
    write_scorecard(scores, out, title=describe(config))
    return scores


def describe(config: EvalConfig) -> str:
    """A one-line label of a run, for tables and charts."""
    model = f" {config.model}" if config.agent != "reference" else ""
    shape = f" ({config.shape})" if config.agent == "langgraph" else ""
    tasks = f"{config.tasks_from[0]} file {Path(config.tasks_from[1]).name}" if config.tasks_from else None
    return f"{config.agent}{shape}{model}, {tasks or config.split + ' split'}"


def scorecard_json(scores: list[DomainScore], title: str) -> dict[str, Any]:
    """The content of ``scorecard.json`` (and of ``healthgym eval --json``)."""
    return {"title": title, "domains": [s.model_dump() for s in scores]}


def write_scorecard(scores: list[DomainScore], out: Path, *, title: str) -> list[Path]:
    """``scorecard.json``, ``scorecard.txt`` (the wide table) and, when matplotlib is installed, ``scorecard.png``;
    returns the files written."""
    import importlib.util

    from rich.console import Console

    (out / "scorecard.json").write_text(json.dumps(scorecard_json(scores, title), indent=2) + "\n")
    with (out / "scorecard.txt").open("w") as fh:
        Console(file=fh, width=200).print(scorecard_table(scores, title=title, wide=True))
    written = [out / "scorecard.json", out / "scorecard.txt"]
    if importlib.util.find_spec("matplotlib") is not None:
        written.append(plot_scorecard(scores, out / "scorecard.png", title=title))
    return written
