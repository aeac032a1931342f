"""Token-in/token-out rollouts through the env: exact log-probs, masks, and turn spans from the tool-call structure."""

from __future__ import annotations

import torch

from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import ChatCodec, Episode, pack, response_logprobs, run_episodes
from healthgym.rl.sft import chat_episode, reference_chat
from healthgym.rl.turns import spans_from_mask


def _check_turn_structure(ep: Episode, codec: ChatCodec) -> None:
    """Spans = one per env step, each exactly the generated run of tokens, decoding to that turn's action."""
    turns = ep.trajectory.turns
    assert len(ep.turn_spans) == len(turns) >= 1
    assert ep.turn_spans == spans_from_mask(ep.response_mask)
    for (start, end), turn in zip(ep.turn_spans, turns, strict=True):
        assert turn.token_span in (None, (start, end))
        text = codec.tokenizer.decode(ep.response_ids[start:end], skip_special_tokens=False)
        assert text.removesuffix(codec.eos_text) == turn.assistant
    for (_, end), turn, (nxt, _) in zip(ep.turn_spans, turns, ep.turn_spans[1:], strict=False):
        between = codec.tokenizer.decode(ep.response_ids[end:nxt], skip_special_tokens=False)
        for result in turn.tool_results:  # the tool's answer sits, masked, between this turn and the next
            assert result.text.splitlines()[0][:40] in between
        assert between.endswith("<|im_start|>assistant\n")


def test_reference_episode_layout_equals_the_chat_template(tiny_policy):
    model, tokenizer = tiny_policy
    codec = ChatCodec(tokenizer)
    env = HealthGymEnv("tiny", "dev")
    messages, tools = reference_chat(env, {"seed": 0})
    ep = chat_episode(codec, messages, tools, env)
    assert ep.reward == 1.0 and len(ep.turn_spans) == 2  # get_labs, then submit_answer
    assert [c.name for c in ep.trajectory.tool_calls] == ["get_labs", "submit_answer"]
    # the pieces appended turn by turn are the template's rendering of the whole chat, token for token
    whole = codec.encode(codec.render(messages, tools=tools).removesuffix("\n"))
    assert ep.prompt_ids + ep.response_ids == whole
    _check_turn_structure(ep, codec)


def test_sampled_episodes_record_true_logprobs_masks_and_spans(tiny_policy):
    model, tokenizer = tiny_policy
    codec = ChatCodec(tokenizer)
    envs = [HealthGymEnv("tiny", "dev", max_turns=3) for _ in range(3)]
    episodes = run_episodes(
        model,
        codec,
        envs,
        [{"seed": 1}] * 3,
        groups=[0, 0, 0],
        max_new_tokens=24,
        max_response_tokens=400,
        temperature=0.8,
        generator=torch.Generator().manual_seed(0),
    )
    assert {e.task.id for e in episodes} == {episodes[0].task.id}  # one group, one task
    batch = pack(
        [e.prompt_ids for e in episodes],
        [e.response_ids for e in episodes],
        tokenizer.pad_token_id,
        torch.device("cpu"),
    )
    needed = torch.zeros_like(batch["response_present"], dtype=torch.bool)
    for row, ep in enumerate(episodes):
        needed[row, : len(ep.response_mask)] = torch.tensor(ep.response_mask, dtype=torch.bool)
    with torch.no_grad():
        scored = response_logprobs(model, batch, temperature=0.8)
        sparse = response_logprobs(model, batch, temperature=0.8, needed=needed)  # logits only where needed
    torch.testing.assert_close(sparse[needed], scored[needed])
    for row, ep in enumerate(episodes):
        assert len(ep.response_ids) == len(ep.response_mask) == len(ep.logprobs)
        mask = torch.tensor(ep.response_mask, dtype=torch.bool)
        assert mask.any() and (~mask).any()
        recorded = torch.tensor(ep.logprobs)
        torch.testing.assert_close(scored[row, : len(mask)][mask], recorded[mask], atol=1e-5, rtol=1e-5)
        assert recorded[~mask].eq(0).all()
        _check_turn_structure(ep, codec)
        for start, end in ep.turn_spans:  # a turn stops at the end of a tool call, the end of turn, or its limit
            last = ep.response_ids[end - 1]
            assert last in codec.stop_ids or end - start == 24
        assert ep.trajectory.reward is not None


def test_response_budget_truncates_and_grades_without_answer(tiny_policy):
    model, tokenizer = tiny_policy
    codec = ChatCodec(tokenizer)
    envs = [HealthGymEnv("tiny", "dev", max_turns=8) for _ in range(2)]
    episodes = run_episodes(
        model,
        codec,
        envs,
        [{"seed": 2}] * 2,
        groups=[0, 0],
        max_new_tokens=30,
        max_response_tokens=60,
        temperature=1.0,
        generator=torch.Generator().manual_seed(0),
    )
    for ep in episodes:
        assert len(ep.response_ids) <= 60
        if ep.budget_truncated:
            assert ep.trajectory.truncated and ep.trajectory.grade.submitted is None
            assert ep.trajectory.reward.accuracy == 0.0
    assert any(ep.budget_truncated for ep in episodes)


def test_shared_prefix_scoring_equals_the_packed_forward() -> None:
    """Scoring once per distinct prompt from a KV cache, cut after the last needed token, gives the packed
    forward's log-probs wherever they are needed."""
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from healthgym.rl.rollout import shared_prefix_logprobs

    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256)
    model = Qwen2ForCausalLM(config).eval()
    prompts = [[1, 2, 3, 4, 5]] * 3 + [[7, 8, 9]] * 2
    responses = [[10, 11, 12, 13], [10, 14], [15, 16, 17, 18, 19, 20], [21, 22, 23], [24]]
    batch = pack(prompts, responses, 0, torch.device("cpu"))
    needed = batch["response_present"].bool().clone()
    needed[2, 4:] = False  # e.g. tokens after the last distilled turn
    needed[0, 1] = False  # e.g. a tool-result token
    with torch.no_grad():
        packed = response_logprobs(model, batch, 0.7, needed) * needed
    calls: list[int] = []

    def counting(**inputs):
        calls.append(inputs["input_ids"].shape[0])
        return model(**inputs)

    shared = shared_prefix_logprobs(counting, prompts, responses, 0.7, needed)
    torch.testing.assert_close(shared, packed, atol=1e-5, rtol=1e-5)
    assert calls == [1, 3, 1, 2]  # each distinct prompt once, then its rows' responses on the cache
