"""The Gymnasium environment: one clinical task per episode, tools reached through the domain's MCP server."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from healthgym.mcp_servers.clinic.episode import EpisodeState
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.server import build_server
from healthgym.mcp_servers.toolset import episode_session
from healthgym.rl.parsing import FORMAT_HELP, parse_action
from healthgym.rl.reward import RewardWeights, accepted_calls, composite_reward
from healthgym.rl.train_buffer import TrainTaskBuffer, draw_train_task
from healthgym.schemas import TIERS, Split, Task, Tier, ToolCall, ToolResult, Trajectory, Turn

CHARSET = string.printable
"""Observations are printable ASCII; other characters are transliterated or replaced by '?'."""
_ASCII = str.maketrans({"µ": "u", "μ": "u", "≥": ">=", "≤": "<=", "°": " deg", "–": "-", "—": "-", "’": "'",
                        "‘": "'", "“": '"', "”": '"', "×": "x", "→": "->", "±": "+/-", "·": "*", "₂": "2"})
_NON_PRINTABLE = re.compile(f"[^{re.escape(CHARSET)}]")


DEFAULT_MAX_TURNS = 48
"""The turn limit when neither ``max_turns`` nor the registration's ``max_episode_steps`` gives one: at least every
task's tool-call budget (``rubric.max_tool_calls``), so a policy that makes one call per turn can finish any task
(tests/domains/test_contract.py checks it for every domain)."""

def to_observation_text(text: str, limit: int) -> str:
    """Make text fit the observation space: printable ASCII, at most ``limit`` characters."""
    if not text.isascii():
        text = text.translate(_ASCII)
    text = _NON_PRINTABLE.sub("?", text)
    if len(text) > limit:
        marker = f"\n...[truncated {len(text) - limit + 40} chars]"
        text = text[: limit - len(marker)] + marker
    return text


def reset_options(task: Task | str | None) -> dict[str, Any] | None:
    """The ``reset`` options that play ``task``: a Task (e.g. one loaded from a user's file), a task id of the env's
    split, or ``None`` for a drawn task."""
    if task is None:
        return None
    return {"task": task} if isinstance(task, Task) else {"task_id": task}


class HealthGymEnv(gym.Env[str, str]):
    """
    ## Description
    One clinical task per episode. The agent reads the task, calls the domain's MCP tools by writing tool calls
    as text, and ends the episode by calling the domain's submit tool. Tools run through the domain server's own
    registry, validation and schemas (in-process, no transport), over a state private to the episode. A domain whose
    pathways span several servers (`DomainSpec.servers`) gets one session per server and the union of their tools
    (`healthgym.mcp_servers.toolset`).

    ## Action Space
    `Text`: the assistant's message. Tool calls are read in JSON, hermes `<tool_call>` or qwen3-coder XML form
    (see `healthgym.rl.parsing`); any string is accepted, and one that holds no tool call is answered with an error
    observation explaining the format.

    ## Observation Space
    `Text` of printable ASCII of at most `observation_chars`: on reset, the task and the tool list; on step, each
    tool's result (or error), truncated to the budget.

    ## Starting State
    A task drawn with `self.np_random` from the split (`options={"task_id": ...}` picks one). For the unbounded
    `train` split, a task index is drawn from the stream of `train_seed`. A seeded reset builds its task itself;
    the unseeded resets after it take tasks that a background thread built ahead (`train_prefetch` of them,
    `healthgym.rl.train_buffer`), continuing the seeded sequence, so building a case (2-5 ms) is off the reset
    whenever the env waited on its policy. `options={"task": Task}` plays
    that task of this domain (the verl agent loop's dataset rows carry their task).

    ## Rewards
    0 until the episode ends; then the composite reward (`healthgym.rl.reward.composite_reward`): grader accuracy,
    format, process, safety and efficiency.

    ## Episode End
    Terminated when the submit tool accepts an answer. Truncated after `max_turns` steps without one; the grade is
    then computed with no answer (accuracy 0).

    ## Information
    `reset`: `task` (the public view), `tools` (MCP tool schemas). `step`: `tool_results` (this step's
    `ToolResult`s), `trajectory` (the `Trajectory` so far), `images` (the MCP image content this step's tools
    returned, e.g. an ECG PNG: `{"tool", "mime_type", "data"}` with base64 data, in call order; the text observation
    carries the structured output only, so a multimodal policy takes the images from here); at the end also `grade`
    and `reward_breakdown`.

    ## Arguments
    `domain`, `split` ("train", "dev", "test"), `tier` ("assisted", "unassisted" or None for both: an unassisted
    episode withholds the domain's decision-support tools, which are then neither listed nor callable),
    `max_turns`, `observation_chars`, `train_seed`, `task_ids` (restrict to these), `reward_weights`,
    `train_prefetch` (train tasks built ahead; 0 builds each on its reset).

    ## Version History
    * v0: initial version.
    """

    metadata = {"render_modes": ["ansi"]}

    def __init__(
        self,
        domain: str,
        split: Split = "test",
        *,
        tier: Tier | None = None,
        max_turns: int | None = None,
        observation_chars: int = 8192,
        train_seed: int = 0,
        task_ids: Sequence[str] | None = None,
        reward_weights: RewardWeights | None = None,
        render_mode: str | None = None,
        train_prefetch: int = 16,
    ) -> None:
        if max_turns is not None and max_turns < 1:
            raise ValueError(f"max_turns must be >= 1, got {max_turns}")
        if train_prefetch < 0:
            raise ValueError(f"train_prefetch must be >= 0, got {train_prefetch}")
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        self.domain = get_domain(domain)
        self.split: Split = split
        if tier not in (None, *TIERS):
            raise ValueError(f"tier must be one of {TIERS} or None, got {tier!r}")
        self.tier: Tier | None = tier
        self._max_turns = max_turns
        self.max_turns = max_turns or DEFAULT_MAX_TURNS
        """Steps before truncation: ``max_turns`` when given, else the registration's ``max_episode_steps``
        (so ``gym.make(id, max_episode_steps=N)`` sets both), else 16."""
        self.observation_chars = observation_chars
        self.train_seed = train_seed
        self.train_prefetch = train_prefetch
        self._train_buffer: TrainTaskBuffer | None = None
        self._train_rng: np.random.Generator | None = None
        """The current train sequence's generator: the reset's own until the buffer's thread takes it over."""
        self.reward_weights = reward_weights or RewardWeights()
        self.render_mode = render_mode
        self.server = build_server(domain)
        self._pool: list[Task] = [] if split == "train" else tasks(self.domain, split, tier=tier)
        if task_ids is not None:
            wanted = set(task_ids)
            self._pool = [t for t in self._pool if t.id in wanted]
            missing = wanted - {t.id for t in self._pool}
            if missing:
                raise ValueError(f"task ids not in the {split} split of {domain}: {sorted(missing)[:5]}")
        self.observation_space = spaces.Text(max_length=observation_chars, min_length=0, charset=CHARSET)
        self.action_space = spaces.Text(max_length=2048, min_length=0, charset=CHARSET)
        self._state = EpisodeState()
        self._session = episode_session(self.domain, self._state)
        self._all_tool_schemas = [t.model_dump(exclude_none=True) for t in self._session.list_tools()]
        self._tool_schemas = self._all_tool_schemas
        self._tool_names = [t["name"] for t in self._tool_schemas]
        self._withheld: frozenset[str] = frozenset()
        self.task: Task | None = None
        """The current task, with its answer and hidden case file: for graders and teachers, never the policy."""
        self.trajectory: Trajectory | None = None
        self._done = False

    @property
    def tool_schemas(self) -> list[dict[str, Any]]:
        """The tools of the current episode's tier as MCP ``tools/list`` returns them (name, description,
        inputSchema, ...)."""
        return self._tool_schemas

    def _draw_task(self, options: dict[str, Any] | None, reseeded: bool) -> Task:
        given = (options or {}).get("task")
        if given is not None:
            if not isinstance(given, Task) or given.domain != self.domain.name:
                raise ValueError(f"options['task'] must be a Task of {self.domain.name}, got {given!r:.80}")
            return given
        task_id = (options or {}).get("task_id")
        if task_id is not None:
            if self.split == "train":
                raise ValueError("options['task_id'] needs a fixed split (dev or test), not train")
            match = next((t for t in self._pool if t.id == task_id), None)
            if match is None:
                raise ValueError(f"task_id {task_id!r} is not in the {self.split} split of {self.domain.name}")
            return match
        if self.split == "train":
            if not self.train_prefetch:
                return draw_train_task(self.domain, self.train_seed, self.tier, self.np_random)
            if reseeded or self._train_rng is None:
                # A seeded reset (the trainer seeds each group) starts a new sequence and builds its own task: tasks
                # built ahead for the old sequence would be thrown away. Unseeded resets continue the sequence from
                # the buffer, whose thread then owns the generator.
                self._close_train_buffer()
                self._train_rng = np.random.default_rng(int(self.np_random.integers(2**63)))
                return draw_train_task(self.domain, self.train_seed, self.tier, self._train_rng)
            if self._train_buffer is None:
                self._train_buffer = TrainTaskBuffer(
                    self.domain, self.train_seed, self.tier, self._train_rng, self.train_prefetch
                )
            return self._train_buffer.take()
        if not self._pool:
            raise ValueError("no tasks to draw from")
        return self._pool[int(self.np_random.integers(len(self._pool)))]

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        if self._max_turns is None and self.spec is not None and self.spec.max_episode_steps:
            self.max_turns = self.spec.max_episode_steps
        self.task = self._draw_task(options, reseeded=seed is not None)
        self._session.close()  # the previous episode's session (its loop thread, if an async tool started one)
        self._state = EpisodeState(task_id=self.task.id)
        self._session = episode_session(self.domain, self._state)
        self._withheld = self.domain.withheld(self.task.tier)
        self._tool_schemas = [t for t in self._all_tool_schemas if t["name"] not in self._withheld]
        self._tool_names = [t["name"] for t in self._tool_schemas]
        self.trajectory = Trajectory(task_id=self.task.id, domain=self.domain.name, tier=self.task.tier)
        self._done = False
        observation = (
            f"{self.task.prompt}\n\nTools: {', '.join(self._tool_names)}.\n"
            f"Finish by calling {self.domain.submit_tool}. {FORMAT_HELP}"
        )
        info = {"task": TaskView.of(self.task), "tools": self._tool_schemas, "tier": self.task.tier}
        return to_observation_text(observation, self.observation_chars), info

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.task is None or self.trajectory is None:
            raise gym.error.ResetNeeded("Cannot call env.step() before calling env.reset()")
        if self._done:
            return "The episode has ended; call reset().", 0.0, True, False, {"trajectory": self.trajectory}
        parsed = parse_action(action)
        text = action if isinstance(action, str) else repr(action)[:2000]
        turn = Turn(assistant=text, tool_calls=parsed.calls, parse_error=parsed.error)
        lines: list[str] = []
        if parsed.error:
            lines.append(f"ERROR: {parsed.error}")
        for call in parsed.calls:
            result = self._call(call)
            turn.tool_results.append(result)
            lines.append(_render_result(result))
            if call.name == self.domain.submit_tool and not result.is_error:
                self.trajectory.submitted = self._state.submitted
                turn.tool_calls = turn.tool_calls[: len(turn.tool_results)]
                break
        self.trajectory.turns.append(turn)
        terminated = self.trajectory.submitted is not None
        truncated = not terminated and len(self.trajectory.turns) >= self.max_turns
        info: dict[str, Any] = {"tool_results": turn.tool_results, "trajectory": self.trajectory,
                                "images": [dict(image, tool=r.name) for r in turn.tool_results for image in r.images]}
        reward = 0.0
        if terminated or truncated:
            reward = self.finish(truncated, info)
        observation = to_observation_text("\n".join(lines), self.observation_chars)
        return observation, reward, terminated, truncated, info

    def _call(self, call: ToolCall) -> ToolResult:
        if call.name in self._withheld:
            return ToolResult(
                name=call.name,
                is_error=True,
                text=f"{call.name} is not available in the {self.task.tier if self.task else ''} tier of this task "
                f"(decision support is withheld); available tools: {', '.join(self._tool_names)}",
            )
        return self._session.call_tool(call.name, call.arguments)

    def finish(self, truncated: bool, info: dict[str, Any]) -> float:
        """End the episode now: grade what was submitted and compute the reward (also used by rollouts that stop
        an episode at a token budget)."""
        self._done = True
        assert self.task is not None and self.trajectory is not None
        traj = self.trajectory
        grade = self.domain.grade(self.task, traj.submitted)
        events = self.domain.safety(self.task, accepted_calls(traj))
        breakdown = composite_reward(self.task, traj, grade, self.reward_weights, events)
        traj.grade, traj.reward, traj.truncated = grade, breakdown, truncated
        traj.metrics = traj.effort()
        info["grade"], info["reward_breakdown"] = grade, breakdown
        return breakdown.total

    def render(self) -> str | None:
        if self.render_mode is None:
            gym.logger.warn('render() needs a render mode: gymnasium.make(..., render_mode="ansi")')
            return None
        if self.trajectory is None:
            return ""
        return self.trajectory.model_dump_json(indent=2)

    def _close_train_buffer(self) -> None:
        if self._train_buffer is not None:
            self._train_buffer.close()
            self._train_buffer = None

    def close(self) -> None:
        self._session.close()
        self._close_train_buffer()


def _render_result(result: ToolResult) -> str:
    return f"[{result.name}] {'ERROR: ' if result.is_error else ''}{result.text}"
