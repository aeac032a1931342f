"""How the tiny BPE splits unseen case ids, with and without random id strings in its corpus.

    python -m bench.id_tokenization [--samples 0,5000,20000] [--ids 100]

The tokenizer is the one ``healthgym sft`` builds for the learning-curve kinds (4,096 tokens over the first 64 train
episodes of each domain), with each ``--samples`` count as ``SFTConfig.tokenizer_id_samples`` (``rl.tiny.id_samples``).
For ``--ids`` unseen ehr_management tasks it renders the first prompt and the case id the reference's first call
copies, ``get_ehr_context(case_id)``, and counts:

- ``id_tokens``: tokens of the case id (``EHR``, ``-`` and the body);
- ``ambiguous_steps``: the share of copy steps inside the body, after its first token, whose previous token occurs in
  the prompt followed by more than one different token. An induction head that copies by matching the previous
  token can continue from the wrong place at such a step; the third round's warm start went wrong there in 14 of 16
  wrong copies (docs/rl.md);
- ``prompt_tokens``: the mean prompt length, which sets the cost of a step.
"""

from __future__ import annotations

import argparse
from itertools import islice

import torch

from bench._report import write_report
from healthgym.rl.curriculum import kinds_by_domain, train_tasks
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import ChatCodec, openai_tools
from healthgym.rl.warmstart import SFTConfig, initial_policy

DOMAINS = ["drug_interaction", "ehr_management"]
KINDS = ["pregnancy_lactation", "patient_lookup", "age"]
CALL = '<tool_call>{"name": "get_ehr_context", "arguments": {"case_id": "'


def copy_steps(tokenizer, env: HealthGymEnv, tasks) -> dict[str, float]:
    """Mean id length, share of ambiguous copy steps in the id body, and mean prompt length over ``tasks``."""
    codec = ChatCodec(tokenizer)
    id_tokens = prompt_tokens = ambiguous = steps = 0
    for task in tasks:
        observation, _ = env.reset(options={"task": task})
        messages = [{"role": "system", "content": env.domain.policy}, {"role": "user", "content": observation}]
        prompt = codec.prompt_ids(messages, openai_tools(env.tool_schemas))
        case_id = codec.encode(task.case_ref)
        call = codec.encode(CALL + task.case_ref)
        assert call[len(call) - len(case_id) :] == case_id, "the copy-safe split keeps an id's tokens in a call"
        id_tokens += len(case_id)
        prompt_tokens += len(prompt)
        for k in range(3, len(case_id)):  # after EHR, - and the body's first token
            successors = {prompt[j + 1] for j in range(len(prompt) - 1) if prompt[j] == case_id[k - 1]}
            ambiguous += len(successors) > 1
            steps += 1
    return {
        "id_tokens": id_tokens / len(tasks),
        "ambiguous_steps": ambiguous / steps,
        "prompt_tokens": prompt_tokens / len(tasks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", default="0,5000,20000", help="id_sample_count values, comma-separated")
    parser.add_argument("--ids", type=int, default=100)
    args = parser.parse_args()
    kinds = kinds_by_domain(DOMAINS, KINDS)
    train = {d: list(islice(train_tasks(d, 0, kinds=kinds[d], tier="unassisted"), 64)) for d in DOMAINS}
    # unseen: far past the 64 tasks the tokenizer read and the 256-2,048 a warm start trains on
    stream = train_tasks("ehr_management", 0, kinds=kinds["ehr_management"], tier="unassisted")
    unseen = list(islice(stream, 5000, 5000 + args.ids))
    env = HealthGymEnv("ehr_management", "train")
    rows = []
    for count in (int(x) for x in args.samples.split(",")):
        cfg = SFTConfig(domains=DOMAINS, kinds=KINDS, tier="unassisted", vocab_size=4096, tokenizer_id_samples=count)
        _, tokenizer = initial_policy(cfg, train, torch.device("cpu"))
        rows.append({"id_samples": count, **copy_steps(tokenizer, env, unseen)})
        print(rows[-1], flush=True)
    write_report("id_tokenization", {"ids": args.ids}, rows, "unseen case ids under the tiny BPE")


if __name__ == "__main__":
    main()
