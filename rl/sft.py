"""Reference-clinician episodes as token-level training data, and the supervised warm start on them.

The reference clinician (each domain's rule-based solver, which sees only the tools) plays episodes through the env;
its tool calls are written in the hermes form the rollouts use and laid out token by token exactly as a rollout
lays out its own turns (healthgym.rl.rollout), so supervised and RL training see the same token layout.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator, Sequence
from typing import Any

import torch

from healthgym.rl.env import HealthGymEnv
from healthgym.rl.privileged import PrivilegedMode, teacher_prompt_ids
from healthgym.rl.rollout import ChatCodec, Episode, openai_tools, pack, response_logprobs
from healthgym.schemas import ToolCall


def hermes_call(call: ToolCall) -> str:
    """A tool call as the assistant writes it: ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``."""
    return f"<tool_call>{json.dumps({'name': call.name, 'arguments': call.arguments})}</tool_call>"


def reference_chat(env: HealthGymEnv, reset: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Play the domain's reference clinician for one episode; returns the chat (system, user, then assistant and
    tool messages) and the tools in chat-template form."""
    observation, info = env.reset(**reset)
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": env.domain.policy},
        {"role": "user", "content": observation},
    ]
    solver = env.domain.solve(info["task"])
    result: dict[str, Any] | None = None
    while True:
        try:
            call = next(solver) if result is None else solver.send(result)
        except StopIteration:
            break
        action = hermes_call(call)
        observation, _, terminated, truncated, info = env.step(action)
        messages.append({"role": "assistant", "content": action})
        if terminated or truncated:
            break
        messages.append({"role": "tool", "name": call.name, "content": observation})
        last = info["tool_results"][-1]
        result = {"error": last.text} if last.is_error else (last.structured or {})
    return messages, openai_tools(env.tool_schemas)


def chat_episode(
    codec: ChatCodec, messages: list[dict[str, Any]], tools: list[dict[str, Any]], env: HealthGymEnv, group: int = 0
) -> Episode:
    """Lay a finished chat out as a rollout would: assistant tokens (mask 1) then closing and tool tokens (mask 0).
    ``env`` must hold the episode the chat came from (its task and trajectory)."""
    assert env.task is not None and env.trajectory is not None
    ep = Episode(
        task=env.task,
        group=group,
        messages=messages[:2],
        tools=tools,
        prompt_ids=codec.prompt_ids(messages[:2], tools),
        trajectory=env.trajectory,
    )
    rest = messages[2:]
    for i, message in enumerate(rest):
        if message["role"] != "assistant":
            continue
        text = message["content"] + codec.eos_text
        ep.turn_spans.append(ep.append(codec.encode(text), [0.0] * len(codec.encode(text))))
        following = [m for m in rest[i + 1 : i + 2] if m["role"] != "assistant"]
        if following:
            ep.append(codec.close_ids(text) + codec.delta_ids(following))
    return ep


def reference_episodes(codec: ChatCodec, env: HealthGymEnv, resets: Sequence[dict[str, Any]]) -> list[Episode]:
    """The reference clinician's episodes, one per reset, as token-level records."""
    out = []
    for reset in resets:
        messages, tools = reference_chat(env, reset)
        out.append(chat_episode(codec, messages, tools, env))
    return out


def privileged_view(codec: ChatCodec, episode: Episode, mode: PrivilegedMode) -> Episode:
    """The same episode as the TT-OPD teacher reads it: x ⊕ P, then the same response tokens. Supervised training on
    both views teaches a model that was never pretrained to read a case file how to use one."""
    return dataclasses.replace(episode, prompt_ids=teacher_prompt_ids(codec, episode, mode))


def corpus(envs: Sequence[HealthGymEnv], resets: Sequence[dict[str, Any]]) -> Iterator[str]:
    """Text to train a tokenizer on, as often as prompts carry it: each reference chat with its domain's policy and
    tool schemas (every prompt holds them, so their merges are learnt)."""
    for env in envs:
        tools = [json.dumps(tool) for tool in openai_tools(env.tool_schemas)]
        for reset in resets:
            messages, _ = reference_chat(env, reset)
            yield from tools
            yield from (m["content"] for m in messages)


def sft_loss(model: torch.nn.Module, codec: ChatCodec, chunk: Sequence[Episode]) -> torch.Tensor:
    """Mean cross-entropy of the assistant tokens (mask 1) of a batch of episodes."""
    device = next(model.parameters()).device
    batch = pack([e.prompt_ids for e in chunk], [e.response_ids for e in chunk], codec.tokenizer.pad_token_id, device)
    mask = torch.zeros_like(batch["response_present"], dtype=torch.float)
    for row, ep in enumerate(chunk):
        mask[row, : len(ep.response_mask)] = torch.tensor(ep.response_mask, dtype=torch.float)
    log_prob = response_logprobs(model, batch, temperature=1.0, needed=mask.bool())
    return -(log_prob * mask).sum() / mask.sum().clamp(min=1.0)


def supervised_warm_start(
    model: torch.nn.Module,
    codec: ChatCodec,
    episodes: Sequence[Episode],
    *,
    epochs: int = 1,
    batch_size: int = 8,
    learning_rate: float = 1e-3,
    seed: int = 0,
) -> list[float]:
    """Cross-entropy on the assistant tokens of ``episodes`` (mask 1 only); returns the loss of each batch."""
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=learning_rate)
    order = list(range(len(episodes)))
    rng = random.Random(seed)
    losses: list[float] = []
    model.train()
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            loss = sft_loss(model, codec, [episodes[i] for i in order[start : start + batch_size]])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            losses.append(loss.item())
    return losses
