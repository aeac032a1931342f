"""The tiny tokenizer: copy-safe words, id-alphabet pairs, a prompt layout without the preamble, and a checkpoint that
reloads as saved."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.clinic import ids
from healthgym.mcp_servers.clinic.ids import encode_case_id
from healthgym.rl.tiny import build_model, build_tokenizer, id_samples, load_tokenizer
from tests.rl.conftest import CORPUS

TEXT = 'Check warfarin and aspirin. <tool_call>{"name": "check_interaction", "arguments": {"drug_a": "warfarin"}}'


def test_a_word_is_the_same_tokens_in_prose_and_inside_a_call(tokenizer):
    def pieces(text: str) -> list[str]:
        return tokenizer.convert_ids_to_tokens(tokenizer.encode(text))

    assert [p for p in pieces(" warfarin") if p != "Ġ"] == [p for p in pieces('"warfarin"') if '"' not in p]


def test_a_saved_checkpoint_reloads_its_tokenizer_unchanged(tokenizer, tmp_path):
    # A Qwen2 config.json beside the tokenizer made AutoTokenizer swap in Qwen2's pre-tokenizer.
    build_model(tokenizer, hidden_size=32, layers=1, heads=2).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    loaded = load_tokenizer(tmp_path)
    assert loaded.encode(TEXT) == tokenizer.encode(TEXT)
    messages = [{"role": "user", "content": "Check warfarin."}]
    assert loaded.apply_chat_template(messages, tokenize=False) == tokenizer.apply_chat_template(
        messages, tokenize=False
    )


def test_task_only_layout_leaves_out_the_system_policy_and_tools():
    tools = [{"type": "function", "function": {"name": "check_interaction", "description": "Pair severity."}}]
    messages = [{"role": "system", "content": "You are a pharmacist."}, {"role": "user", "content": "Check it."}]
    full = build_tokenizer(CORPUS, vocab_size=300).apply_chat_template(messages, tools=tools, tokenize=False)
    short = build_tokenizer(CORPUS, vocab_size=300, prompt_layout="task-only").apply_chat_template(
        messages, tools=tools, tokenize=False
    )
    assert "pharmacist" in full and "check_interaction" in full
    assert "pharmacist" not in short and "check_interaction" not in short and "Check it." in short
    with pytest.raises(ValueError, match="prompt_layout"):
        build_tokenizer(CORPUS, prompt_layout="verbose")


def test_id_samples_teach_the_bpe_the_id_alphabet_s_pairs():
    unseen = [encode_case_id("EHR", "ehr_management", "dev", 0, i).split("-")[1] for i in range(50)]
    plain = build_tokenizer(CORPUS * 20, vocab_size=2000)
    paired = build_tokenizer(CORPUS * 20, vocab_size=2000, id_sample_count=5000)

    def mean_tokens(tokenizer) -> float:
        return sum(len(tokenizer.encode(body)) for body in unseen) / len(unseen)

    assert mean_tokens(plain) > 12  # one token a character: letters and digits that recur all over a prompt
    assert mean_tokens(paired) < 8  # mostly pairs of the alphabet
    assert all(paired.decode(paired.encode(body)) == body for body in unseen)
    samples = id_samples(100, seed=3)
    assert samples == id_samples(100, seed=3) != id_samples(100, seed=4)
    assert all(len(s) == ids.LENGTH and set(s) <= set(ids.ALPHABET) for s in samples)
