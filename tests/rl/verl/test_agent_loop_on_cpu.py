"""The agent loop plays whole episodes of every domain through the Gym env's episode path, token-in/token-out against
a fake ``server_manager`` backed by a tiny transformers model: ids are only appended, masks are 1 exactly on the
generated tokens, turn spans match, and the reward is the Gym env's for the same actions."""

from __future__ import annotations

import json

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.rl.privileged import HEADER, privileged_block, with_privileged
from healthgym.rl.rollout import ChatCodec
from healthgym.rl.turns import spans_from_mask

pytest.importorskip("healthgym.rl.verl", exc_type=ImportError)
from tests.rl.verl.scripted import MAX_TURNS, ScriptedServer, gym_reward, reference_actions, row, run_loop  # noqa: E402


@pytest.mark.parametrize("domain", domain_names())
def test_whole_episode_ids_masks_spans_and_reward(domain, model, tokenizer):
    task = tasks(get_domain(domain), "test", 1)[0]
    actions = reference_actions(task)
    server = ScriptedServer(model, tokenizer, actions)
    out = run_loop(server, tokenizer, row(task))

    # token-in/token-out: each call was sent exactly the ids so far; nothing was re-templated
    full = out.prompt_ids + out.response_ids
    for prompt_ids, tokens in server.calls:
        assert full[: len(prompt_ids)] == prompt_ids
        assert full[len(prompt_ids) : len(prompt_ids) + len(tokens)] == tokens
    codec = ChatCodec(tokenizer)
    kw = row(task)
    assert out.prompt_ids == codec.prompt_ids(kw["raw_prompt"], json.loads(kw["tools"]))

    # masks are 1 exactly on generated tokens, the spans are those stretches, log-probs are the server's
    spans = [tuple(s) for s in out.extra_fields["turn_spans"]]
    expected = [(len(p) - len(out.prompt_ids), len(p) - len(out.prompt_ids) + len(t)) for p, t in server.calls]
    assert spans == expected == spans_from_mask(out.response_mask)
    assert sum(out.response_mask) == sum(len(t) for _, t in server.calls)
    generated = [lp for (s, e) in spans for lp in out.response_logprobs[s:e]]
    assert len(generated) == sum(out.response_mask) and all(lp < 0 for lp in generated)

    # the reward is the Gym env's for the same actions; the reference solver earns full accuracy
    reward, turns = gym_reward(task, actions)
    assert out.reward_score == pytest.approx(reward, abs=1e-12)
    assert out.extra_fields["grade"]["correct"] and out.extra_fields["reward"]["total"] == out.reward_score
    assert len(spans) == turns == len(actions)
    assert out.num_turns == 2 + 2 * turns - 1
    assert out.extra_fields["task_id"] == task.id and out.extra_fields["tier"] == task.tier


def test_privileged_block_only_in_the_teacher_prompt(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    kw = row(task)
    out = run_loop(ScriptedServer(model, tokenizer, reference_actions(task)), tokenizer, kw)
    block = privileged_block(task, "casefile", submit_tool=get_domain(task.domain).submit_tool)
    expected = ChatCodec(tokenizer).prompt_ids(with_privileged(kw["raw_prompt"], block), json.loads(kw["tools"]))
    assert out.extra_fields["teacher_prompt_ids"] == expected
    student = tokenizer.decode(out.prompt_ids + out.response_ids, skip_special_tokens=False)
    assert HEADER not in student and task.privileged.rationale not in student


def test_no_tool_call_runs_to_max_turns_and_is_graded_like_the_env(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    actions = ["I think the answer is obvious."] * MAX_TURNS
    out = run_loop(ScriptedServer(model, tokenizer, actions), tokenizer, row(task))
    reward, turns = gym_reward(task, actions)
    assert turns == MAX_TURNS == len(out.extra_fields["turn_spans"])
    assert out.reward_score == pytest.approx(reward, abs=1e-12)
    assert not out.extra_fields["grade"]["correct"]


def test_response_budget_cuts_the_episode_and_grades_it_unsubmitted(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    actions = reference_actions(task)
    out = run_loop(ScriptedServer(model, tokenizer, actions), tokenizer, row(task), response_length=400)
    assert len(out.response_ids) <= 400 and out.extra_fields["budget_truncated"]
    assert out.extra_fields["grade"]["submitted"] is None
    assert len(out.response_ids) == len(out.response_mask) == len(out.response_logprobs)


def test_row_of_another_domain_is_refused(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    other = row(tasks(get_domain("triage_emergency"), "test", 1)[0])
    other["extra_info"] = {"task": task.model_dump_json()}
    with pytest.raises(ValueError, match="re-export the dataset"):
        run_loop(ScriptedServer(model, tokenizer, ["x"]), tokenizer, other)


def test_without_server_log_probs_the_output_has_none(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    out = run_loop(ScriptedServer(model, tokenizer, reference_actions(task), logprobs=False), tokenizer, row(task))
    assert out.response_logprobs is None and sum(out.response_mask) > 0


def test_prompt_over_the_budget_is_refused_not_cut(model, tokenizer):
    task = tasks(get_domain("drug_interaction"), "test", 1)[0]
    with pytest.raises(ValueError, match="over rollout.prompt_length=100"):
        run_loop(ScriptedServer(model, tokenizer, ["x"]), tokenizer, row(task), prompt_length=100)


def test_env_plays_only_a_task_of_its_own_domain():
    from healthgym.rl.env import HealthGymEnv

    other = tasks(get_domain("triage_emergency"), "test", 1)[0]
    with pytest.raises(ValueError, match="must be a Task of drug_interaction"):
        HealthGymEnv("drug_interaction", "train").reset(options={"task": other})
