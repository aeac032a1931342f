"""The verl agent loop over healthgym's MCP servers: one dataset row, one episode of the row's task.

The episode runs through :class:`healthgym.rl.env.HealthGymEnv` in-process (one in-process MCP session on the
domain's server per episode), so tools, parsing, grading and the composite reward are the Gym env's own. Tokens are
handled as in :mod:`healthgym.rl.rollout`: the prompt is rendered by the tokenizer's chat template once, then ids are
only appended: the tokens ``server_manager.generate`` returned (``response_mask`` 1, with their log-probs), then the
template's closing of the assistant turn and its rendering of the tool results (mask 0). Nothing is re-templated.

``extra_fields`` carry what the trainer and the reward function need: ``turn_spans`` (``[start, end)`` response
positions of each assistant turn's generated tokens), the episode's ``grade`` and ``reward`` breakdown, and
``teacher_prompt_ids``, the teacher's prompt x ⊕ P with the privileged block P (healthgym.rl.privileged), which never
enters the student's ids. ``reward_score`` is the composite reward, so verl's reward loop is not consulted.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopMetrics, AgentLoopOutput, register
from verl.utils.profiler import simple_timer

from healthgym.rl.env import DEFAULT_MAX_TURNS, HealthGymEnv
from healthgym.rl.privileged import MODES, PrivilegedMode, teacher_prompt_ids
from healthgym.rl.reward import RewardWeights
from healthgym.rl.rollout import ChatCodec, Episode, _tool_messages
from healthgym.schemas import Task

AGENT_NAME = "healthgym_agent"


def row_task(extra_info: dict[str, Any]) -> Task:
    """The task of a dataset row written by :mod:`healthgym.rl.verl.export` (its hidden case file included)."""
    if "task" not in extra_info:
        raise ValueError(
            f"extra_info has no 'task' (keys: {sorted(extra_info)}); write the dataset with `healthgym export-verl`"
        )
    return Task.model_validate_json(extra_info["task"])


@register(AGENT_NAME)
class HealthGymAgentLoop(AgentLoopBase):
    """One episode of a healthgym task per dataset row, tool calls executed by the domain's MCP server.

    Config read (besides verl's own ``rollout.response_length``):
        ``rollout.multi_turn.max_assistant_turns``: turns before the env truncates the episode (null: the env's
            default, ``DEFAULT_MAX_TURNS``).
        ``rollout.multi_turn.max_tool_response_length``: characters of each observation (the env's
            ``observation_chars``, which truncates with a marker).
        ``actor.policy_loss.privileged_mode``: what the teacher's prompt adds (``hint``, ``gold``, ``casefile``);
            absent (GRPO), the casefile block.
        ``healthgym.reward``: weights of the composite reward (healthgym.rl.reward.RewardWeights), optional.
    """

    _codecs: dict[int, ChatCodec] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        multi_turn = self.rollout_config.multi_turn
        self.prompt_length: int = self.rollout_config.prompt_length
        self.response_length: int = self.rollout_config.response_length
        self.max_turns: int = multi_turn.max_assistant_turns or DEFAULT_MAX_TURNS
        self.observation_chars: int = multi_turn.max_tool_response_length
        mode = self.config.actor_rollout_ref.actor.policy_loss.get("privileged_mode", "casefile")
        if mode not in MODES:
            raise ValueError(f"actor.policy_loss.privileged_mode must be one of {MODES}, got {mode!r}")
        self.privileged_mode: PrivilegedMode = mode
        weights = (self.config.get("healthgym") or {}).get("reward") or {}
        self.reward_weights = RewardWeights(**dict(weights))
        key = id(self.tokenizer)
        if key not in self._codecs:  # one codec per tokenizer: agent loops are built per sample
            self._codecs[key] = ChatCodec(self.tokenizer)
        self.codec = self._codecs[key]

    def open_episode(self, task: Task) -> tuple[HealthGymEnv, str]:
        """A Gym env of the task's domain reset to ``task``; returns it and its first observation."""
        env = HealthGymEnv(
            task.domain,
            task.split,
            max_turns=self.max_turns,
            observation_chars=self.observation_chars,
            reward_weights=self.reward_weights,
        )
        observation, _ = env.reset(options={"task": task})
        return env, observation

    async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
        task = row_task(dict(kwargs["extra_info"]))
        messages = [dict(m) for m in kwargs["raw_prompt"]]
        tools = json.loads(kwargs["tools"])
        env, _ = await self.loop.run_in_executor(None, self.open_episode, task)
        try:
            names = [t["function"]["name"] for t in tools]
            if sorted(names) != sorted(t["name"] for t in env.tool_schemas):
                raise ValueError(f"the row's tools {names} are not {task.domain}'s; re-export the dataset")
            if task.prompt not in messages[-1]["content"]:
                raise ValueError(f"the row's prompt is not task {task.id}'s; re-export the dataset")
            prompt_ids = self.codec.prompt_ids(messages, tools)
            if len(prompt_ids) > self.prompt_length:
                raise ValueError(
                    f"task {task.id}: the prompt with its tools is {len(prompt_ids)} tokens, over "
                    f"rollout.prompt_length={self.prompt_length}; raise data.max_prompt_length (cutting it would "
                    "drop the policy or the task)"
                )
            assert env.trajectory is not None
            episode = Episode(
                task=task, group=0, messages=messages, tools=tools, prompt_ids=prompt_ids, trajectory=env.trajectory
            )
            metrics, with_logprobs = await self._play(env, episode, sampling_params)
        finally:
            env.close()
        return self._output(episode, metrics, with_logprobs)

    async def _play(
        self, env: HealthGymEnv, ep: Episode, sampling_params: dict[str, Any]
    ) -> tuple[dict[str, float], bool]:
        """Generate and step until the episode ends; returns the timings and whether every turn came with log-probs
        (rollout ``calculate_log_probs``)."""
        codec, metrics, with_logprobs = self.codec, {"generate_sequences": 0.0, "tool_calls": 0.0}, True
        while True:
            with simple_timer("generate_sequences", timing := {}):
                out = await self.server_manager.generate(
                    request_id=uuid4().hex, prompt_ids=ep.prompt_ids + ep.response_ids, sampling_params=sampling_params
                )
            metrics["generate_sequences"] += timing["generate_sequences"]
            tokens = list(out.token_ids)[: self.response_length - len(ep.response_ids)]
            with_logprobs = with_logprobs and bool(out.log_probs)
            logprobs = list(out.log_probs)[: len(tokens)] if out.log_probs else [0.0] * len(tokens)
            span = ep.append(tokens, logprobs)  # mask 1 on every generated token, whether or not log-probs came
            ep.turn_spans.append(span)
            text = codec.tokenizer.decode(tokens, skip_special_tokens=False)
            with simple_timer("tool_calls", timing):
                observation, _, terminated, truncated, info = await self.loop.run_in_executor(
                    None, env.step, text.removesuffix(codec.eos_text)
                )
            metrics["tool_calls"] += timing["tool_calls"]
            ep.trajectory = info["trajectory"]
            ep.trajectory.turns[-1].token_span = span
            if terminated or truncated:
                return metrics, with_logprobs
            tail = codec.close_ids(text) + codec.delta_ids(_tool_messages(observation, info))
            if len(ep.response_ids) + len(tail) >= self.response_length:
                ep.budget_truncated = True
                env.finish(truncated=True, info={})  # graded as the env grades an episode cut at max_turns
                return metrics, with_logprobs
            ep.append(tail)

    def _output(self, ep: Episode, metrics: dict[str, float], with_logprobs: bool) -> AgentLoopOutput:
        traj = ep.trajectory
        assert traj.grade is not None and traj.reward is not None
        return AgentLoopOutput(
            prompt_ids=ep.prompt_ids,
            response_ids=ep.response_ids,
            response_mask=ep.response_mask,
            response_logprobs=ep.logprobs if with_logprobs else None,
            reward_score=traj.reward.total,
            num_turns=len(ep.messages) + 2 * len(traj.turns) - 1,  # messages: prompt, then assistant/tool pairs
            metrics=AgentLoopMetrics(**metrics),
            extra_fields={
                "turn_spans": [list(span) for span in ep.turn_spans],
                "teacher_prompt_ids": teacher_prompt_ids(self.codec, ep, self.privileged_mode),
                "grade": traj.grade.model_dump(mode="json"),
                "reward": traj.reward.model_dump(mode="json"),
                "task_id": ep.task.id,
                "tier": ep.task.tier,
                "budget_truncated": ep.budget_truncated,
                "turn_scores": [],
                "tool_rewards": [],
            },
        )
