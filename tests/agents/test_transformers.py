"""A tiny transformers model built in code plays full episodes through the env, LangGraph and pydantic-ai."""

import anyio
import pytest

from healthgym.agents.episode import grade_episode
from healthgym.agents.hf_agent import play_transformers
from healthgym.agents.langgraph_agent import play_langgraph
from healthgym.agents.models import TransformersChat, TransformersChatModel, transformers_function_model
from healthgym.agents.pydantic_agent import answer_model, play_pydantic
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.tiny import build_model, build_tokenizer

MAX_TURNS = 3


@pytest.fixture
def chat(tiny_domain: str) -> TransformersChat:
    env = HealthGymEnv(tiny_domain)
    texts = [env.reset(seed=i)[0] for i in range(5)] + [str(env.tool_schemas)]
    tokenizer = build_tokenizer(texts, vocab_size=400)
    return TransformersChat(build_model(tokenizer, hidden_size=32, layers=1, heads=2), tokenizer, max_new_tokens=24)


def _check(trajectory) -> None:
    assert trajectory.error is None
    assert trajectory.truncated or trajectory.submitted is not None
    assert 1 <= trajectory.metrics["turns"] <= MAX_TURNS
    assert trajectory.metrics["output_tokens"] > 0 and trajectory.metrics["input_tokens"] > 0
    assert 0.0 <= trajectory.grade.score <= 1.0


def test_through_the_env(chat: TransformersChat, tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain, max_turns=MAX_TURNS)
    _check(play_transformers(env, chat, seed=0))


@pytest.mark.parametrize("framework", ["langgraph", "pydantic-ai"])
def test_through_the_agents(chat: TransformersChat, framework: str, tiny_domain: str) -> None:
    task = tasks(get_domain(tiny_domain), "test")[1]
    view = TaskView.of(task)
    if framework == "langgraph":
        episode = play_langgraph(TransformersChatModel(chat=chat), view, max_turns=MAX_TURNS)
    else:
        episode = play_pydantic(
            transformers_function_model(chat), view, max_turns=MAX_TURNS, output_type=answer_model(task.answer)
        )
    _check(grade_episode(task, anyio.run(lambda: episode)))


def test_a_model_directory_loads(chat: TransformersChat, tmp_path) -> None:
    chat.model.save_pretrained(tmp_path)
    chat.tokenizer.save_pretrained(tmp_path)
    loaded = TransformersChat(tmp_path, max_new_tokens=chat.max_new_tokens)
    messages = [{"role": "user", "content": "What is the serum potassium?"}]
    assert loaded.generate(messages) == chat.generate(messages)  # same weights, greedy: the same text


@pytest.mark.parametrize("agent", ["hf", "langgraph", "pydantic-ai"])
def test_eval_with_a_model_directory_on_a_real_domain(agent: str, tmp_path) -> None:
    """`healthgym eval --agent hf|langgraph|pydantic-ai --model DIR`: full episodes of a real domain, no crash."""
    from healthgym.agents.evaluation import EvalConfig, read_trajectories, run_eval

    env = HealthGymEnv("drug_interaction")
    texts = [env.reset(seed=i)[0] for i in range(5)] + [str(env.tool_schemas)]
    tokenizer = build_tokenizer(texts, vocab_size=600)
    build_model(tokenizer, hidden_size=32, layers=1, heads=2).save_pretrained(tmp_path / "model")
    tokenizer.save_pretrained(tmp_path / "model")
    config = EvalConfig(
        agent=agent,
        model=str(tmp_path / "model"),
        domains=("drug_interaction",),
        limit=2,
        max_turns=2,
        max_new_tokens=16,
    )
    (score,) = run_eval(config, tmp_path / "run")
    assert score.episodes == 2 and score.errors == 0, [
        t.error for t in read_trajectories(tmp_path / "run" / "trajectories.jsonl")
    ]
    assert score.tokens > 0 and 1 <= score.turns <= 2
