"""A pydantic-ai clinical agent on healthgym tasks, with the domain's typed answer as its output.

python examples/pydantic_ai_app.py                                 # offline: the scripted reference model
python examples/pydantic_ai_app.py --model anthropic:claude-sonnet-4-5
python examples/pydantic_ai_app.py --model openai:llama3.1 --base-url http://localhost:11434/v1   # Ollama
"""

import argparse
import logging
import sys

import anyio

from healthgym.extras import missing_extra_message

try:
    from healthgym.agents import (
        Connection,
        ScriptedPolicy,
        grade_episode,
        open_pydantic_agent,
        open_pydantic_servers,
        pydantic_ai_model,
        scripted_function_model,
    )
except ModuleNotFoundError as err:  # the agents extra is not installed: say which, in one line
    raise SystemExit(f"error: {missing_extra_message(err) or err}") from None
from healthgym.agents.preflight import ModelUnavailable, check_model
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain


async def main(args: argparse.Namespace) -> None:
    spec = get_domain(args.domain)
    # One MCP session to the server for every episode; each episode's tool calls are tagged with it.
    async with open_pydantic_servers([Connection(args.domain, args.transport)]) as servers:
        for task in tasks(spec, "test", args.tasks):
            view = TaskView.of(task)
            model = (
                scripted_function_model(ScriptedPolicy(spec.solve(view)))
                if args.model == "scripted"
                else pydantic_ai_model(args.model, base_url=args.base_url)
            )
            async with open_pydantic_agent(model, view, servers) as agent:
                answer = await agent.run(view.prompt)  # a typed model, or None if the turn limit cut the episode
            trajectory = grade_episode(task, agent.log)
            print(f"{task.id}: {answer!r} -> score {trajectory.grade.score:.2f}, reward {trajectory.reward.total:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--model", default="scripted")
    parser.add_argument("--base-url")
    parser.add_argument("--transport", default="inprocess", choices=["inprocess", "stdio"])
    parser.add_argument("--tasks", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)  # in-process servers log every request at INFO otherwise
    try:
        check_model("pydantic-ai", args.model, args.base_url)  # one call: a missing key or server stops here
    except ModelUnavailable as err:
        sys.exit(f"error: {err}")
    anyio.run(main, args)
