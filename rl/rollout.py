"""Rollouts of a transformers causal LM through :class:`HealthGymEnv`, token-in/token-out.

The prompt (domain policy as the system turn, the env's first observation as the user turn, the domain's tool schemas
in the template's tools slot) is rendered by the tokenizer's chat template once. From then on ids are only appended:
the tokens the model sampled (mask 1, with the log-prob of the distribution they were sampled from), the rest of the
template's assistant-turn closing the model did not write (mask 0), and the template's rendering of the tool
results and the next generation prompt (mask 0), tokenized on their own. A chat is never re-tokenised to recover
ids, so the trainer scores exactly the tokens that were sampled.

Generation stops at the tokenizer's end-of-turn token or at the end of a tool call (``</tool_call>``), so one
assistant turn holds at most one tool call; the env executes it and answers in the ``tool`` role.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from healthgym.rl.env import HealthGymEnv
from healthgym.rl.turns import Span
from healthgym.schemas import Task, Trajectory

TurnHook = Callable[[int, int, int], None]
"""``hook(finished_episodes, total_episodes, tokens_sampled_this_turn)``, after each batched turn of a rollout."""
TOOL_CALL_END = "</tool_call>"
_PLACEHOLDER = "\u2063ASSISTANT-CONTENT\u2063"


def openai_tools(mcp_tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """MCP ``tools/list`` entries as the ``tools`` argument chat templates expect (OpenAI function format)."""
    return [
        {
            "type": "function",
            "function": {
                "name": t["name"],
                "description": t.get("description") or "",
                "parameters": t.get("inputSchema") or {"type": "object", "properties": {}},
            },
        }
        for t in mcp_tools
    ]


class ChatCodec:
    """The token ids of each piece of a chat, as the tokenizer's own chat template writes it."""

    def __init__(self, tokenizer: Any) -> None:
        if not getattr(tokenizer, "chat_template", None):
            raise ValueError("the tokenizer has no chat_template; tool-calling rollouts need one")
        self.tokenizer = tokenizer
        self._base = [{"role": "user", "content": "x"}, {"role": "assistant", "content": _PLACEHOLDER}]
        self._base_text = self.render(self._base)
        self.close_text = self._base_text[self._base_text.rindex(_PLACEHOLDER) + len(_PLACEHOLDER) :]
        """What the template writes after an assistant message's content, e.g. ``<|im_end|>\\n``."""
        self.eos_text = tokenizer.eos_token or ""
        end_id = tokenizer.convert_tokens_to_ids(TOOL_CALL_END)
        single = end_id is not None and end_id != tokenizer.unk_token_id and self.encode(TOOL_CALL_END) == [end_id]
        self.stop_ids: set[int] = {tokenizer.eos_token_id} | ({end_id} if single else set())
        self.stop_texts: tuple[str, ...] = () if single else (TOOL_CALL_END,)

    def render(
        self,
        messages: list[dict[str, Any]],
        *,
        tools: list[dict[str, Any]] | None = None,
        generation_prompt: bool = False,
    ) -> str:
        return self.tokenizer.apply_chat_template(
            messages, tools=tools, tokenize=False, add_generation_prompt=generation_prompt
        )

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def prompt_ids(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> list[int]:
        """The prompt with the generation prompt, tokenized once."""
        return self.encode(self.render(messages, tools=tools, generation_prompt=True))

    def close_ids(self, generated: str) -> list[int]:
        """The part of the template's assistant closing that the generated text does not already end with."""
        for k in range(len(self.close_text), 0, -1):
            if generated.endswith(self.close_text[:k]):
                return self.encode(self.close_text[k:]) if k < len(self.close_text) else []
        return self.encode(self.close_text)

    def delta_ids(self, messages: list[dict[str, Any]]) -> list[int]:
        """The template's tokens for ``messages`` following a closed assistant turn, plus the generation prompt."""
        full = self.render(self._base + messages, generation_prompt=True)
        if not full.startswith(self._base_text):
            raise ValueError("the chat template rewrites earlier turns when messages are added; cannot append tokens")
        return self.encode(full[len(self._base_text) :])


@dataclass
class Episode:
    """One episode's token-level record, for the trainer (``task`` holds the hidden case file: never the policy's)."""

    task: Task
    group: int
    messages: list[dict[str, Any]]
    """The prompt as chat messages (system, user): the teacher's privileged prompt is built from them."""
    tools: list[dict[str, Any]]
    prompt_ids: list[int]
    trajectory: Trajectory
    response_ids: list[int] = field(default_factory=list)
    response_mask: list[int] = field(default_factory=list)
    """1 on tokens the model generated, 0 on the template's closings, tool results and user messages."""
    logprobs: list[float] = field(default_factory=list)
    """Log-prob of each generated token under the sampled distribution softmax(logits / T); 0 where mask is 0."""
    turn_spans: list[Span] = field(default_factory=list)
    """[start, end) of each assistant turn's generated tokens, one per env step, in the trajectory's turn order."""
    budget_truncated: bool = False
    """Stopped at ``max_response_tokens`` (the response-length clip)."""

    @property
    def reward(self) -> float:
        return self.trajectory.reward.total if self.trajectory.reward else 0.0

    def append(self, ids: list[int], logprobs: list[float] | None = None) -> Span:
        start = len(self.response_ids)
        self.response_ids += ids
        self.response_mask += [1 if logprobs is not None else 0] * len(ids)
        self.logprobs += logprobs if logprobs is not None else [0.0] * len(ids)
        return start, len(self.response_ids)


def _pad_left(seqs: Sequence[Sequence[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, seq in enumerate(seqs):
        ids[row, width - len(seq) :] = torch.tensor(seq, dtype=torch.long)
        mask[row, width - len(seq) :] = 1
    return ids.to(device), mask.to(device)


def _upcast(logits: torch.Tensor) -> torch.Tensor:
    """Half-precision logits to float32 before the softmax; float32 and float64 stay as they are."""
    return logits.to(torch.promote_types(logits.dtype, torch.float32))


def _positions(attention_mask: torch.Tensor) -> torch.Tensor:
    return (attention_mask.cumsum(-1) - 1).clamp(min=0)


@torch.no_grad()
def sample_turns(
    model: torch.nn.Module,
    sequences: Sequence[Sequence[int]],
    *,
    max_new_tokens: Sequence[int],
    temperature: float,
    codec: ChatCodec,
    generator: torch.Generator,
) -> list[tuple[list[int], list[float]]]:
    """Sample one assistant turn for each sequence (batched, KV-cached); each row stops at a stop token, a stop text
    or its own token limit. Returns (token ids, log-probs under softmax(logits / temperature)) per row.
    ``temperature=0`` decodes greedily (evaluation), with log-probs under softmax(logits)."""
    device = next(model.parameters()).device
    pad_id = codec.tokenizer.pad_token_id
    ids, mask = _pad_left(sequences, pad_id, device)
    positions = _positions(mask)
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True, logits_to_keep=1)
    tokens: list[list[int]] = [[] for _ in sequences]
    logps: list[list[float]] = [[] for _ in sequences]
    done = [limit <= 0 for limit in max_new_tokens]
    next_pos = positions[:, -1:] + 1
    while not all(done):
        logp = torch.log_softmax(_upcast(out.logits[:, -1]) / (temperature or 1.0), dim=-1)  # (B, V)
        if temperature == 0:
            token = logp.argmax(dim=-1, keepdim=True)
        else:
            token = torch.multinomial(logp.exp(), 1, generator=generator)  # (B, 1)
        token_logp = logp.gather(1, token).squeeze(1).tolist()
        for row, tok in enumerate(token.squeeze(1).tolist()):
            if done[row]:
                continue
            tokens[row].append(tok)
            logps[row].append(token_logp[row])
            stop = tok in codec.stop_ids or len(tokens[row]) >= max_new_tokens[row]
            if not stop and codec.stop_texts:
                tail = codec.tokenizer.decode(tokens[row][-16:], skip_special_tokens=False)
                stop = tail.endswith(codec.stop_texts)
            done[row] = stop
        if all(done):
            break
        mask = torch.cat([mask, mask.new_ones((len(sequences), 1))], dim=1)
        out = model(
            input_ids=token,
            attention_mask=mask,
            position_ids=next_pos,
            past_key_values=out.past_key_values,
            use_cache=True,
        )
        next_pos = next_pos + 1
    return list(zip(tokens, logps, strict=True))


def _tool_messages(observation: str, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The env's answer to one step: its observation in the tool role when tools ran, else as a user message."""
    if info.get("tool_results"):
        return [{"role": "tool", "name": info["tool_results"][0].name, "content": observation}]
    return [{"role": "user", "content": observation}]


def run_episodes(
    model: torch.nn.Module,
    codec: ChatCodec,
    envs: Sequence[HealthGymEnv],
    resets: Sequence[dict[str, Any]],
    *,
    groups: Sequence[int],
    max_new_tokens: int,
    max_response_tokens: int,
    temperature: float,
    generator: torch.Generator,
    on_turn: TurnHook | None = None,
) -> list[Episode]:
    """Play one episode in each env, all in lockstep (one batched generation per turn).

    ``resets[i]`` are the keyword arguments of ``envs[i].reset`` (seed, options); the episodes of a group must reset
    to the same task. ``on_turn(finished, total, generated)`` is called after each batched turn with the episodes
    finished so far and the tokens sampled in that turn (progress display)."""
    episodes: list[Episode] = []
    for env, reset, group in zip(envs, resets, groups, strict=True):
        observation, _ = env.reset(**reset)
        assert env.task is not None and env.trajectory is not None
        messages = [{"role": "system", "content": env.domain.policy}, {"role": "user", "content": observation}]
        tools = openai_tools(env.tool_schemas)
        episodes.append(
            Episode(
                task=env.task,
                group=group,
                messages=messages,
                tools=tools,
                prompt_ids=codec.prompt_ids(messages, tools),
                trajectory=env.trajectory,
            )
        )
    active = list(range(len(envs)))
    while active:
        limits = [min(max_new_tokens, max_response_tokens - len(episodes[i].response_ids)) for i in active]
        samples = sample_turns(
            model,
            [episodes[i].prompt_ids + episodes[i].response_ids for i in active],
            max_new_tokens=limits,
            temperature=temperature,
            codec=codec,
            generator=generator,
        )
        still: list[int] = []
        for i, (tokens, logps) in zip(active, samples, strict=True):
            ep, env = episodes[i], envs[i]
            span = ep.append(tokens, logps)
            ep.turn_spans.append(span)
            text = codec.tokenizer.decode(tokens, skip_special_tokens=False)
            observation, _, terminated, truncated, info = env.step(text.removesuffix(codec.eos_text))
            ep.trajectory = info["trajectory"]
            ep.trajectory.turns[-1].token_span = span
            if terminated or truncated:
                continue
            tail = codec.close_ids(text) + codec.delta_ids(_tool_messages(observation, info))
            if len(ep.response_ids) + len(tail) >= max_response_tokens:
                ep.budget_truncated = True
                env.finish(truncated=True, info={})  # graded as the env grades an episode cut at max_turns
                continue
            ep.append(tail)
            still.append(i)
        active = still
        if on_turn is not None:
            on_turn(len(envs) - len(active), len(envs), sum(len(tokens) for tokens, _ in samples))
    return episodes


def pack(
    prompts: Sequence[Sequence[int]],
    responses: Sequence[Sequence[int]],
    pad_id: int,
    device: torch.device,
    response_width: int | None = None,
) -> dict[str, torch.Tensor]:
    """Prompts left-padded to a common end, responses right-padded after it: response position j of every row sits
    at column P + j, so one ``logits_to_keep`` slice serves the whole batch. Returns model inputs and
    ``responses`` (B, R) with ``response_present`` marking real (unpadded) response positions; R is the longest
    response, or ``response_width`` when given (so that mini-batches line up with the whole batch)."""
    width_p = max(len(p) for p in prompts)
    width_r = response_width or max(max(len(r) for r in responses), 1)
    ids = torch.full((len(prompts), width_p + width_r), pad_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    present = torch.zeros((len(prompts), width_r), dtype=torch.long)
    for row, (prompt, response) in enumerate(zip(prompts, responses, strict=True)):
        ids[row, width_p - len(prompt) : width_p] = torch.tensor(prompt, dtype=torch.long)
        ids[row, width_p : width_p + len(response)] = torch.tensor(response, dtype=torch.long)
        mask[row, width_p - len(prompt) : width_p + len(response)] = 1
        present[row, : len(response)] = 1
    return {
        "input_ids": ids.to(device),
        "attention_mask": mask.to(device),
        "position_ids": _positions(mask).to(device),
        "responses": ids[:, width_p:].to(device),
        "response_present": present.to(device),
    }


def response_logprobs(
    forward: Callable[..., Any],
    batch: dict[str, torch.Tensor],
    temperature: float,
    needed: torch.Tensor | None = None,
) -> torch.Tensor:
    """Log-probs (B, R) of the response tokens under ``forward`` (the student, the teacher's or the reference's
    forward), from softmax(logits / temperature) exactly as in sampling; 0 on padding.

    ``needed`` (B, R) bool restricts the work to the response columns where some row needs a log-prob (the generated
    tokens): logits are computed only there, not over tool results; other positions are 0."""
    width_p = batch["input_ids"].shape[1] - batch["responses"].shape[1]
    columns = (
        needed.any(dim=0).nonzero().squeeze(1)
        if needed is not None
        else torch.arange(batch["responses"].shape[1], device=batch["input_ids"].device)
    )  # (C,)
    out = forward(
        input_ids=batch["input_ids"],
        attention_mask=batch["attention_mask"],
        position_ids=batch["position_ids"],
        logits_to_keep=columns + width_p - 1,  # position P-1+j predicts response token j
    )
    logits = _upcast(out.logits) / temperature  # (B, C, V)
    tokens = batch["responses"][:, columns]
    logp = torch.log_softmax(logits, dim=-1).gather(2, tokens.unsqueeze(2)).squeeze(2)  # (B, C)
    full = torch.zeros(batch["responses"].shape, dtype=logp.dtype, device=logp.device)
    full[:, columns] = logp
    return full * batch["response_present"]


@torch.no_grad()
def shared_prefix_logprobs(
    forward: Callable[..., Any],
    prompts: Sequence[Sequence[int]],
    responses: Sequence[Sequence[int]],
    temperature: float,
    needed: torch.Tensor,
) -> torch.Tensor:
    """The log-probs of :func:`response_logprobs` for a no-gradient scorer (teacher, reference), computed once per
    distinct prompt and only up to each row's last needed token.

    A GRPO group shares one task, so its rows share one prompt (with ``gold``/``casefile`` privileged context, one
    teacher prompt; with ``hint``, one per outcome), and the prompt is most of each sequence (system, tools, case).
    Each distinct prompt runs once with the KV cache kept; the cache is repeated for the rows that share it and
    only their responses run on top, cut after the last column ``needed`` marks (e.g. the last distilled turn).

    Args:
        needed: (B, R) bool, where a log-prob is wanted; R is the output width.
    Returns:
        (B, R) log-probs, 0 where not needed.
    """
    device = needed.device
    out = torch.zeros(needed.shape, dtype=torch.float32, device=device)
    groups: dict[tuple[int, ...], list[int]] = {}
    for row, prompt in enumerate(prompts):
        groups.setdefault(tuple(prompt), []).append(row)
    for prompt, rows in groups.items():
        wanted = needed[rows]  # (n, R)
        if not wanted.any():
            continue
        length = int(wanted.any(dim=0).nonzero().max()) + 1  # response tokens to score: 0..length-1
        n, width_p = len(rows), len(prompt)
        head = forward(
            input_ids=torch.tensor([prompt], device=device),
            attention_mask=torch.ones((1, width_p), dtype=torch.long, device=device),
            position_ids=torch.arange(width_p, device=device).unsqueeze(0),
            use_cache=True,
            logits_to_keep=1,
        )
        logits = _upcast(head.logits[:, -1:]).expand(n, 1, -1)  # predicts response token 0, (n, 1, V)
        tokens = torch.zeros((n, length), dtype=torch.long, device=device)
        present = torch.zeros((n, length), dtype=torch.long, device=device)
        for i, row in enumerate(rows):
            response = list(responses[row][:length])
            tokens[i, : len(response)] = torch.tensor(response, dtype=torch.long)
            present[i, : len(response)] = 1
        if length > 1:
            cache = head.past_key_values
            cache.batch_repeat_interleave(n)
            columns = wanted[:, 1:length].any(dim=0).nonzero().squeeze(1)  # (C,) response columns 1.. that matter
            body = forward(
                input_ids=tokens[:, : length - 1],
                attention_mask=torch.cat(
                    [torch.ones((n, width_p), dtype=torch.long, device=device), present[:, : length - 1]], dim=1
                ),
                position_ids=(width_p + torch.arange(length - 1, device=device)).unsqueeze(0).expand(n, -1),
                past_key_values=cache,
                use_cache=False,
                logits_to_keep=columns,  # input position j predicts response token j + 1
            )
            keep = torch.cat([torch.zeros(1, dtype=torch.long, device=device), columns + 1])
            logits = torch.cat([logits, _upcast(body.logits)], dim=1)  # (n, 1 + C, V)
        else:
            keep = torch.zeros(1, dtype=torch.long, device=device)
        logp = torch.log_softmax(logits / temperature, dim=-1).gather(2, tokens[:, keep].unsqueeze(2)).squeeze(2)
        index = torch.tensor(rows, device=device)
        out[index.unsqueeze(1), keep.unsqueeze(0)] = logp * present[:, keep]
    return out * needed
