"""Tiny causal LMs and tokenizers built in code, so that training runs and tests need no download.

The tokenizer is a byte-level BPE trained on the domain's own text (tool schemas, prompts, tool results, reference
trajectories), wrapped in ``PreTrainedTokenizerFast`` with a hermes-style chat template that renders the tool
schemas in the system turn, tool calls as ``<tool_call>{json}</tool_call>`` and tool results in a ``tool`` role
(shown as ``<tool_response>`` inside a user turn, as Qwen2.5's template does). Tools are listed as compact
signatures. The model is a small ``Qwen2``.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

from healthgym.mcp_servers.clinic import ids

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<tool_call>",
    "</tool_call>",
    "<tool_response>",
    "</tool_response>",
]

COPY_SAFE_SPLIT = r"\s+|[^\w\s]+"
"""Pre-tokenization into runs of whitespace, of punctuation, and words between them: a word (a drug name, a case id)
becomes the same tokens in prose (`` cefuroxime``) and inside a call (``"cefuroxime"``), so writing an argument is a
copy of tokens already in the prompt. GPT-2's split glues the leading space to the word, and a model trained from
scratch then has to learn a separate mapping from each prose form to its quoted form.
"""

_SYSTEM_AND_TOOLS = """\
{%- if tools or messages[0].role == 'system' -%}
<|im_start|>system
{% if messages[0].role == 'system' %}{{ messages[0].content }}{% endif %}
{%- if tools %}{{ '\n\n' if messages[0].role == 'system' else '' }}# Tools
{% for tool in tools %}{% set fn = tool.function %}{% set params = fn.parameters or {} %}- {{ fn.name }}(
{%- for name, p in (params.properties or {}).items() %}{{ name }}{{ '' if name in (params.required or []) else '?' }}: \
{{ p.type or 'any' }}{{ ', ' if not loop.last else '' }}{% endfor %}): {{ (fn.description or '').split('\n')[0] }}
{% endfor %}Call one tool per turn as <tool_call>{"name": <tool name>, "arguments": <arguments object>}</tool_call>
{%- endif %}<|im_end|>
{% endif -%}
"""

_TURNS = """\
{%- for message in messages -%}
{%- if message.role == 'system' -%}
{%- if not loop.first %}<|im_start|>system
{{ message.content }}<|im_end|>
{% endif -%}
{%- elif message.role == 'tool' -%}
<|im_start|>user
<tool_response>
{{ message.content }}
</tool_response><|im_end|>
{% elif message.role == 'assistant' -%}
<|im_start|>assistant
{{ message.content or '' }}
{%- for call in message.tool_calls or [] -%}
<tool_call>{{ {"name": call.function.name, "arguments": call.function.arguments} | tojson }}</tool_call>
{%- endfor %}<|im_end|>
{% else -%}
<|im_start|>{{ message.role }}
{{ message.content }}<|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}
"""

CHAT_TEMPLATE = _SYSTEM_AND_TOOLS + _TURNS
"""Hermes-style chat template (the layout of Qwen2.5's, one tool message per tool turn). Tools are rendered as
compact signatures, ``- name(arg: type, optional?: type): first line of the description``, not as full JSON
schemas, so a tiny model's prompt stays short (drug_interaction: ~1,370 tokens over a 4,096-token BPE of its own
text)."""

TASK_ONLY_CHAT_TEMPLATE = _TURNS
"""The turns alone: no system policy and no tool list. The env's first observation already names the tools and the
call format, and a model trained from scratch learns nothing from a fixed preamble it sees in every example;
dropping it cut a drug_interaction prompt from ~1,370 to ~190 tokens and a CPU step of 8 episodes (hidden 128,
4 layers) from 6-10 s to 2-3.5 s."""

PROMPT_LAYOUTS = {"signatures": CHAT_TEMPLATE, "task-only": TASK_ONLY_CHAT_TEMPLATE}


def id_samples(count: int, seed: int = 0) -> list[str]:
    """``count`` random strings shaped like a case id's body (``ids.LENGTH`` characters of ``ids.ALPHABET``).

    Trained on prose alone, a BPE splits an unseen id mostly into single characters (``EHR-151HKHW9DRBRB`` ->
    ``15 1 H K H W9 DR BR B``), and single letters and digits recur elsewhere in the prompt (dates, MRNs, names).
    An induction head that copies by matching the previous token then has several places to continue from, and
    that is where a tiny model's copies of unseen case ids went wrong: 14 of 16 wrong copies in the third round's
    warm start (docs/rl.md). With these samples in its corpus the BPE learns the alphabet's pairs, an id splits
    into tokens that rarely occur elsewhere: with 20,000 samples the share of ambiguous copy steps in unseen ids fell
    from 19% to 4% (``python -m bench.id_tokenization``)."""
    rng = random.Random(seed)
    return ["".join(rng.choices(ids.ALPHABET, k=ids.LENGTH)) for _ in range(count)]


def build_tokenizer(
    texts: Iterable[str], *, vocab_size: int = 1536, prompt_layout: str = "signatures", id_sample_count: int = 0
) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on ``texts`` and ``id_sample_count`` strings of [`id_samples`] (any text stays
    encodable), with the chat template of ``prompt_layout`` (a key of ``PROMPT_LAYOUTS``) and its special tokens;
    deterministic for the same arguments."""
    if prompt_layout not in PROMPT_LAYOUTS:
        raise ValueError(f"prompt_layout must be one of {sorted(PROMPT_LAYOUTS)}, got {prompt_layout!r}")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(COPY_SAFE_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(itertools.chain(texts, id_samples(id_sample_count)), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=None,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL_TOKENS[1:],
        chat_template=PROMPT_LAYOUTS[prompt_layout],
        model_max_length=8192,
        padding_side="left",
    )


def load_tokenizer(path: str | Path) -> Any:
    """The tokenizer saved in ``path``, exactly as saved. A tokenizer built here is saved as a plain ``tokenizers``
    backend beside a Qwen2 ``config.json``; ``AutoTokenizer`` then returns ``Qwen2Tokenizer``, which swaps the saved
    pre-tokenizer for Qwen2's regex, so a warm-started checkpoint would read text split differently from how it was
    trained (``get_drug_info`` became seven unseen tokens). Any other tokenizer loads through ``AutoTokenizer``."""
    from transformers import AutoTokenizer

    config_file = Path(path) / "tokenizer_config.json"
    saved_class = json.loads(config_file.read_text()).get("tokenizer_class") if config_file.exists() else None
    if saved_class in ("TokenizersBackend", "PreTrainedTokenizerFast"):
        return PreTrainedTokenizerFast.from_pretrained(path)
    return AutoTokenizer.from_pretrained(path)


def build_model(
    tokenizer: PreTrainedTokenizerFast,
    *,
    hidden_size: int = 96,
    layers: int = 2,
    heads: int = 4,
    max_positions: int = 8192,
    seed: int = 0,
) -> Qwen2ForCausalLM:
    """A small Qwen2 causal LM over ``tokenizer``'s vocabulary, with tied embeddings; initialised from ``seed``."""
    import torch

    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=4 * hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        max_position_embeddings=max_positions,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Qwen2ForCausalLM(config)
    return model


def tiny_policy(
    domains: list[str],
    *,
    seed: int = 0,
    corpus_tasks: int = 32,
    vocab_size: int = 1536,
    hidden_size: int = 96,
    layers: int = 2,
    heads: int = 4,
) -> tuple[Qwen2ForCausalLM, PreTrainedTokenizerFast]:
    """A tiny model and a tokenizer trained on the text of ``domains``: policies, tool schemas and the reference
    clinician's chats on the first ``corpus_tasks`` dev tasks and as many train tasks. Deterministic in ``seed``."""
    from healthgym.mcp_servers.domain import tasks
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.rl.env import HealthGymEnv
    from healthgym.rl.sft import corpus

    texts: list[str] = []
    for name in domains:
        dev = HealthGymEnv(name, "dev")
        resets = [{"options": {"task_id": t.id}} for t in tasks(get_domain(name), "dev", corpus_tasks)]
        texts += corpus([dev], resets)
        texts += corpus([HealthGymEnv(name, "train", train_seed=seed)], [{"seed": s} for s in range(corpus_tasks)])
    tokenizer = build_tokenizer(texts, vocab_size=vocab_size)
    return build_model(tokenizer, hidden_size=hidden_size, layers=layers, heads=heads, seed=seed), tokenizer
