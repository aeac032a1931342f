"""How well the copy warm-up teaches a tiny model to copy identifiers, with and without the identifier alphabet.

    python -m bench.copy_warmup [--steps 7000] [--alphabet-after 3000] [--ids 200] [--threads 1]

The model and tokenizer are the ones ``healthgym sft`` builds for the learning-curve kinds (a Qwen2 of hidden 128 x
2 layers over a 4,096-token BPE of the train episodes, seed 0). Each variant trains a fresh copy of it with
``copy_warmup`` for ``--steps`` steps:

- "distinct": spans of random vocabulary tokens only (the task before the fourth round, but with spans of up to 16
  tokens, not 12);
- "identifier": every other span from ``identifier_alphabet``, from the first step;
- "identifier after step N": the same from step ``--alphabet-after`` on, once distinct spans have formed the heads.

It then copies ``--ids`` identifiers greedily: the context names an ehr_management case id (``case_id``) and an MRN
(``S`` and seven digits, as the synthetic population's), then starts one of them again with its first three
characters; a copy counts when every remaining token is right.
"""

from __future__ import annotations

import argparse
import copy
import random
import time
from itertools import islice
from typing import Any

import torch

from bench._report import write_report
from healthgym.mcp_servers.domains.ehr_management.cases import case_id
from healthgym.rl.curriculum import kinds_by_domain, train_tasks
from healthgym.rl.warmstart import SFTConfig, copy_warmup, identifier_alphabet, initial_policy

DOMAINS = ["drug_interaction", "ehr_management"]
KINDS = ["pregnancy_lactation", "pair_severity", "patient_lookup", "age"]


def copy_accuracy(model: torch.nn.Module, tokenizer: Any, n: int, seed: int = 1) -> float:
    """Share of ``n`` made-up identifiers the model finishes exactly, greedily, after seeing them once."""
    rng = random.Random(seed)
    model.eval()
    right = 0
    for k in range(n):
        cid = case_id("dev", 0, rng.randrange(1_000_000))
        mrn = "S" + "".join(rng.choice("0123456789") for _ in range(7))
        target = cid if k % 2 == 0 else mrn
        context = tokenizer(f"EHR task {cid}. What is the age of patient {mrn} as of now? Then ")["input_ids"]
        head = tokenizer(target[:3])["input_ids"]
        rest = tokenizer(target)["input_ids"][len(head) :]
        prompt = torch.tensor([context + head])
        with torch.no_grad():
            out = model.generate(prompt, max_new_tokens=len(rest), do_sample=False, pad_token_id=tokenizer.pad_token_id)
        right += out[0, prompt.shape[1] :].tolist() == rest
    return right / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=7000)
    parser.add_argument("--alphabet-after", type=int, default=3000, help="the third variant's first alphabet step")
    parser.add_argument("--ids", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = SFTConfig(domains=DOMAINS, kinds=KINDS, tier="unassisted", vocab_size=4096, hidden_size=128, layers=2)
    kinds = kinds_by_domain(DOMAINS, KINDS)
    train = {d: list(islice(train_tasks(d, 0, kinds=kinds[d], tier="unassisted"), 64)) for d in DOMAINS}
    model, tokenizer = initial_policy(cfg, train, torch.device("cpu"))
    special = set(tokenizer.all_special_ids)
    vocab = [i for i in range(len(tokenizer)) if i not in special]
    alphabet = identifier_alphabet(tokenizer)
    rows = []
    variants = [("distinct", [], 0), ("identifier", alphabet, 0), ("identifier", alphabet, args.alphabet_after)]
    for name, spans, after in variants:
        student = copy.deepcopy(model)
        started = time.perf_counter()
        losses = copy_warmup(student, vocab, args.steps, alphabet=spans, alphabet_after=after)
        rows.append(
            {
                "spans": name if not after else f"{name} after step {after}",
                "steps": args.steps,
                "loss_last_100": sum(losses[-100:]) / len(losses[-100:]),
                "copy_accuracy": copy_accuracy(student, tokenizer, args.ids),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
        print(rows[-1], flush=True)
    payload = {"vocab": len(tokenizer), "alphabet": len(alphabet), "ids": args.ids}
    write_report("copy_warmup", payload, rows, "copy warm-up: greedy copies of unseen identifiers")


if __name__ == "__main__":
    main()
