"""How the tiny BPE splits unseen case ids, with and without random id strings in its corpus.

    python -m bench.id_tokenization [--samples 0,5000,20000] [--ids 100]

The tokenizer is the one ``healthgym sft`` builds for the learning-curve kinds (4,096 tokens over the first 64 train
episodes of each domain), trained with each ``--samples`` count of ``rl.tiny.id_samples``. For ``--ids`` unseen
ehr_management tasks it renders the first prompt and the reference's first call, ``get_ehr_context(case_id)``, and
counts:

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

from bench._report import write_report
from healthgym.rl.curriculum import kinds_by_domain, train_tasks
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import ChatCodec, openai_tools
from healthgym.rl.tiny import build_tokenizer
from healthgym.rl.warmstart import corpus

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
        start = len(prompt) + len(codec.encode(CALL))
        ids = prompt + codec.encode(CALL + task.case_ref + '"}}')
        end = start
        while tokenizer.decode(ids[start:end]) != task.case_ref:
            end += 1
        id_tokens += end - start
        prompt_tokens += len(prompt)
        for k in range(start + 3, end):  # after EHR, - and the body's first token
            successors = {prompt[j + 1] for j in range(len(prompt) - 1) if prompt[j] == ids[k - 1]}
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
    texts: list[str] = []
    for domain in DOMAINS:
        tasks = islice(train_tasks(domain, 0, kinds=kinds[domain], tier="unassisted"), 64)
        texts += corpus([HealthGymEnv(domain, "train")], [{"options": {"task": t}} for t in tasks])
    # unseen: far past the 64 tasks the tokenizer read and the 256-2,048 a warm start trains on
    stream = train_tasks("ehr_management", 0, kinds=kinds["ehr_management"], tier="unassisted")
    unseen = list(islice(stream, 5000, 5000 + args.ids))
    env = HealthGymEnv("ehr_management", "train")
    rows = []
    for count in (int(x) for x in args.samples.split(",")):
        tokenizer = build_tokenizer(texts, vocab_size=4096, prompt_layout="task-only", id_sample_count=count)
        rows.append({"id_samples": count, **copy_steps(tokenizer, env, unseen)})
        print(rows[-1], flush=True)
    write_report("id_tokenization", {"ids": args.ids}, rows, "unseen case ids under the tiny BPE")


if __name__ == "__main__":
    main()
