"""Episodes for the agent-loop tests: a scripted ``server_manager`` backed by a tiny model, the reference
clinician's actions, the Gym env's reward for the same actions, dataset rows and the loop's runner."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import torch
from omegaconf import OmegaConf
from verl.experimental.agent_loop.agent_loop import DictConfigWrap
from verl.utils.dataset.rl_dataset import RLHFDataset
from verl.workers.rollout.replica import TokenOutput

from healthgym.mcp_servers.domain import TaskView
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import DEFAULT_MAX_TURNS, HealthGymEnv
from healthgym.rl.rollout import openai_tools
from healthgym.rl.verl.agent_loop import HealthGymAgentLoop
from healthgym.schemas import Task

OBSERVATION_CHARS = 1500
MAX_TURNS = DEFAULT_MAX_TURNS  # every task's tool-call budget fits (clinical_diagnosis needs up to 44 turns)


class ScriptedServer:
    """``server_manager`` stand-in: answers each ``generate`` with the next scripted assistant text (tokenized,
    ended by EOS) and its log-probs under a tiny model given exactly the ``prompt_ids`` it was sent."""

    def __init__(self, model: torch.nn.Module, tokenizer: Any, actions: list[str], *, logprobs: bool = True) -> None:
        self.model, self.tokenizer, self.actions, self.logprobs = model, tokenizer, list(actions), logprobs
        self.calls: list[tuple[list[int], list[int]]] = []

    async def generate(self, *, request_id: str, prompt_ids: list[int], sampling_params: dict, **_: Any) -> TokenOutput:
        text = self.actions[len(self.calls)]
        tokens = self.tokenizer(text, add_special_tokens=False)["input_ids"] + [self.tokenizer.eos_token_id]
        ids = torch.tensor([prompt_ids + tokens])
        with torch.no_grad():
            logp = torch.log_softmax(self.model(input_ids=ids).logits[0, len(prompt_ids) - 1 : -1].double(), -1)
        self.calls.append((list(prompt_ids), tokens))
        scored = logp.gather(1, torch.tensor(tokens)[:, None])[:, 0].tolist()
        return TokenOutput(token_ids=tokens, log_probs=scored if self.logprobs else None)


def reference_actions(task: Task) -> list[str]:
    """The domain's reference clinician's tool calls for ``task``, one hermes ``<tool_call>`` per assistant turn."""
    env = HealthGymEnv(task.domain, "train", observation_chars=OBSERVATION_CHARS)
    env.reset(options={"task": task})
    solver, result, actions = get_domain(task.domain).solve(TaskView.of(task)), None, []
    while True:
        try:
            call = solver.send(result) if result is not None else next(solver)
        except StopIteration:
            return actions
        actions.append(f"<tool_call>{json.dumps({'name': call.name, 'arguments': call.arguments})}</tool_call>")
        _, _, terminated, truncated, info = env.step(actions[-1])
        tool_result = info["tool_results"][-1]
        result = {"error": tool_result.text} if tool_result.is_error else (tool_result.structured or {})
        if terminated or truncated:
            return actions


def gym_reward(task: Task, actions: list[str]) -> tuple[float, int]:
    """The Gym env's reward and turn count for the same assistant texts."""
    env = HealthGymEnv(task.domain, "train", max_turns=MAX_TURNS, observation_chars=OBSERVATION_CHARS)
    env.reset(options={"task": task})
    for turn, action in enumerate(actions, 1):
        _, reward, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            return reward, turn
    raise AssertionError("the actions did not end the episode")


def row(task: Task) -> dict[str, Any]:
    env = HealthGymEnv(task.domain, "train")
    observation, _ = env.reset(options={"task": task})
    return {
        "raw_prompt": [
            {"role": "system", "content": get_domain(task.domain).policy},
            {"role": "user", "content": observation},
        ],
        "tools": json.dumps(openai_tools(env.tool_schemas)),
        "extra_info": {"task": task.model_dump_json(), "task_id": task.id},
    }


def run_loop(
    server: ScriptedServer,
    tokenizer: Any,
    kwargs: dict[str, Any],
    *,
    prompt_length: int = 60_000,
    response_length: int = 60_000,
):
    config = OmegaConf.create(
        {
            "actor_rollout_ref": {
                "rollout": {
                    "prompt_length": prompt_length,
                    "response_length": response_length,
                    "multi_turn": {"max_assistant_turns": MAX_TURNS, "max_tool_response_length": OBSERVATION_CHARS},
                },
                "actor": {"policy_loss": {"loss_mode": "tt_opd", "privileged_mode": "casefile"}},
            }
        }
    )

    async def go():
        loop = HealthGymAgentLoop(
            trainer_config=DictConfigWrap(config),
            server_manager=server,
            tokenizer=tokenizer,
            processor=None,
            dataset_cls=RLHFDataset,
            data_config=DictConfigWrap(OmegaConf.create({})),
        )
        return await loop.run({"temperature": 1.0}, **kwargs)

    return asyncio.run(go())
