"""A LangGraph clinical agent on healthgym tasks, graded as in training.

    python examples/langgraph_app.py                                   # offline: the scripted reference model
    python examples/langgraph_app.py --model openai:gpt-4.1 --transport stdio
    python examples/langgraph_app.py --model openai:Qwen/Qwen3-8B --base-url http://localhost:8000/v1

The workflow shape gathers facts with the read-only tools, writes an assessment, decides, and has every order,
prescription and submission re-checked by the domain's own safety tools before it is written.
"""

import argparse
import logging
import sys

import anyio

from healthgym.extras import missing_extra_message

try:
    from healthgym.agents import (
        Connection,
        ScriptedChatModel,
        ScriptedPolicy,
        grade_episode,
        langchain_model,
        open_langgraph_agent,
        open_langgraph_servers,
    )
except ModuleNotFoundError as err:  # the agents extra is not installed: say which, in one line
    raise SystemExit(f"error: {missing_extra_message(err) or err}") from None
from healthgym.agents.preflight import ModelUnavailable, check_model
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain


async def main(args: argparse.Namespace) -> None:
    spec = get_domain(args.domain)
    # One MCP session to the server for every episode; each episode's tool calls are tagged with it.
    async with open_langgraph_servers([Connection(args.domain, args.transport)]) as servers:
        for task in tasks(spec, "test", args.tasks):
            view = TaskView.of(task)  # what the agent may see: never the answer
            model = (
                ScriptedChatModel(policy=ScriptedPolicy(spec.solve(view)))
                if args.model == "scripted"
                else langchain_model(args.model, base_url=args.base_url)
            )
            async with open_langgraph_agent(model, view, servers, shape=args.shape) as agent:
                await agent.run(view.prompt)
            trajectory = grade_episode(task, agent.log)
            print(
                f"{task.id}: score {trajectory.grade.score:.2f}, reward {trajectory.reward.total:.3f}, "
                f"{len(trajectory.turns)} turns, submitted {trajectory.submitted}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--model", default="scripted")
    parser.add_argument("--base-url")
    parser.add_argument("--transport", default="inprocess", choices=["inprocess", "stdio"])
    parser.add_argument("--shape", default="workflow", choices=["loop", "workflow"])
    parser.add_argument("--tasks", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)  # in-process servers log every request at INFO otherwise
    try:
        check_model("langgraph", args.model, args.base_url)  # one call: a missing key or server stops here
    except ModelUnavailable as err:
        sys.exit(f"error: {err}")
    anyio.run(main, args)
