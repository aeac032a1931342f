"""The ``healthgym eval`` command (mounted on the main CLI as ``app.command("eval")(eval_command)``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from healthgym.agents.scorecard import DomainScore

console = Console(stderr=True)


class _SessionEndNoise(logging.Filter):
    """Drops the traceback mcp 1.30's HTTP server logs each time a client ends its session (the standalone SSE
    stream is closed under its writer, a ClosedResourceError); the session ended cleanly."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (
            record.getMessage() == "Error in standalone SSE writer" and type(error).__name__ == "ClosedResourceError"
        )


def _quiet_logs() -> None:
    """Warnings and errors only: in-process and local HTTP servers log every request at INFO otherwise."""
    from rich.logging import RichHandler

    logging.basicConfig(level=logging.WARNING, handlers=[RichHandler(console=console, show_path=False)])
    logging.getLogger("mcp.server.streamable_http").addFilter(_SessionEndNoise())


def _split_names(values: list[str]) -> list[str]:
    return [name for value in values for name in value.split(",") if name]


def _default_out(agent: str, model: str | None, split: str) -> Path:
    """healthgym-eval/AGENT-MODEL-SPLIT, the model reduced to a safe name (``openai:gpt-4.1`` -> ``openai-gpt-4.1``)."""
    slug = "".join(c if c.isalnum() or c in "-_." else "-" for c in Path(model).name) if model else ""
    return Path("healthgym-eval") / "-".join(p for p in (agent, slug, split) if p)


def eval_command(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="More domains (after --domains), or with --compare the run folders to compare.",
            show_default=False,
        ),
    ] = None,
    agent: Annotated[
        Literal["reference", "langgraph", "pydantic-ai", "hf"],
        typer.Option(
            help="Who plays: the rule-based reference clinician, a LangGraph or pydantic-ai agent over MCP, or a local "
            "transformers model through the Gym env.",
        ),
    ] = "reference",
    model: Annotated[
        str | None,
        typer.Option(
            help="'scripted' (the reference solver as a fake model), a local model directory, or a model string "
            "such as 'openai:gpt-4.1' or 'anthropic:claude-sonnet-4-5'.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="OpenAI-compatible endpoint for the model string, e.g. http://localhost:8000/v1 (vLLM) or "
            "http://localhost:11434/v1 (Ollama); the key is read from OPENAI_API_KEY.",
        ),
    ] = None,
    domains: Annotated[
        list[str] | None,
        typer.Option(
            "--domains",
            "-d",
            help="Domains to evaluate (space- or comma-separated; default: all).",
            show_default=False,
        ),
    ] = None,
    split: Annotated[Literal["dev", "test"], typer.Option(help="Which fixed split.")] = "test",
    limit: Annotated[int | None, typer.Option(help="At most this many tasks per domain.")] = None,
    concurrency: Annotated[int, typer.Option(help="Episodes run at once.")] = 1,
    transport: Annotated[
        Literal["inprocess", "stdio", "http"],
        typer.Option(
            help="How LangGraph / pydantic-ai agents reach the servers (http starts local servers unless --url).",
        ),
    ] = "inprocess",
    url: Annotated[
        list[str] | None,
        typer.Option(
            help="DOMAIN=URL of a running streamable-HTTP server (token from HEALTHGYM_MCP_TOKEN); repeatable.",
            show_default=False,
        ),
    ] = None,
    shape: Annotated[
        Literal["loop", "workflow"],
        typer.Option(
            help="LangGraph agent: the plain tool-calling loop, or the workflow "
            "gather -> assess -> decide -> safety check -> submit.",
        ),
    ] = "loop",
    max_turns: Annotated[int, typer.Option(help="Assistant turns before an episode is cut.")] = 40,
    max_new_tokens: Annotated[
        int, typer.Option(help="Generation budget per turn of a local transformers model (a model directory).")
    ] = 512,
    episode_timeout: Annotated[float, typer.Option(help="Seconds before an episode is ended as an error.")] = 600.0,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Run folder (default healthgym-eval/AGENT-MODEL-SPLIT); rerunning into it resumes.",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="Compare the run folders given as arguments: a side-by-side table and chart.",
        ),
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            help="Rerunning into --out plays again the episodes that ended in an error (kept in failed.jsonl)."
        ),
    ] = True,
    wide: Annotated[
        bool, typer.Option("--wide", help="Every column: reward components, effort, tokens, time (200 columns).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scorecard as JSON on stdout instead.")] = False,
    tasks_from: Annotated[
        tuple[str, Path] | None,
        typer.Option(
            metavar="FORMAT FILE",
            help="Play the tasks of a file of your own (e.g. `ddxplus patients.csv`) instead of a split; the domain "
            "is the one that reads FORMAT.",
        ),
    ] = None,
) -> None:
    """Evaluate an agent on the domains' fixed splits, graded as in training; or compare runs.

    Writes trajectories.jsonl, scorecard.json, scorecard.txt and scorecard.png into the run folder. A killed run
    resumes where it stopped when rerun with the same options; a failing episode is recorded and the run goes on, and
    the rerun plays it again. A remote model is checked with one call first: a missing key, package or server stops
    the run with one line. Exits 1 when every episode failed.

    Examples:

    * `healthgym eval --agent reference --limit 20`
    * `healthgym eval --agent langgraph --shape workflow --model scripted --domains drug_interaction --transport stdio`
    * `healthgym eval --agent pydantic-ai --model openai:Qwen/Qwen3-8B --base-url http://localhost:8000/v1 --limit 50`
    * `healthgym eval --compare healthgym-eval/reference-test healthgym-eval/langgraph-scripted-test`
    * `healthgym eval --agent reference --tasks-from ddxplus release_test_patients.csv --limit 100`
    """
    if compare:
        _compare([Path(n) for n in names or []], out or Path("healthgym-eval") / "compare", wide=wide, as_json=as_json)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from healthgym.agents.evaluation import EvalConfig, describe, read_trajectories, run_eval
    from healthgym.agents.preflight import ModelUnavailable
    from healthgym.mcp_servers.domains import domain_names

    chosen = _split_names([*(domains or []), *(names or [])])
    urls = dict(_pair(u) for u in url or [])
    try:
        if tasks_from is not None and not chosen:
            from healthgym.mcp_servers.domains import get_domain
            from healthgym.mcp_servers.loaders import domain_of_format

            chosen = [domain_of_format(tasks_from[0], {d: get_domain(d) for d in domain_names()}).name]
        chosen = chosen or domain_names()
        config = EvalConfig(
            agent=agent,
            domains=tuple(chosen),
            model=model,
            split=split,
            limit=limit,
            transport=transport,
            shape=shape,
            max_turns=max_turns,
            base_url=base_url,
            episode_timeout_s=episode_timeout,
            max_new_tokens=max_new_tokens,
            urls=urls,
            tasks_from=(tasks_from[0], str(tasks_from[1].resolve())) if tasks_from else None,
        )
        totals = {d: len(t) for d in chosen for t in [[x for x in config.tasks() if x.domain == d]]}
    except (ValueError, KeyError) as err:
        raise typer.BadParameter(str(err.args[0] if err.args else err)) from None
    out = out or _default_out(agent, None if agent == "reference" else model, tasks_from[0] if tasks_from else split)
    _quiet_logs()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bars = {d: progress.add_task(d, total=n) for d, n in totals.items()}
        try:
            scores = run_eval(
                config,
                out,
                concurrency=concurrency,
                on_done=lambda domain, n: progress.advance(bars[domain], n),
                retry_failed=retry_failed,
            )
        except ModelUnavailable as err:
            console.print(f"[red]error:[/red] {escape(str(err))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except ValueError as err:
            raise typer.BadParameter(str(err)) from None
    print_scorecard(scores, describe(config), wide=wide, as_json=as_json)
    files = ", ".join(["trajectories.jsonl", *sorted(p.name for p in out.glob("scorecard.*"))])
    console.print(f"wrote {out}/: {files}", highlight=False, soft_wrap=True)
    failed = [t for t in read_trajectories(out / "trajectories.jsonl") if t.error is not None]
    total = sum(s.episodes for s in scores)
    if failed:
        verdict = "every episode" if len(failed) == total else f"{len(failed)} of {total} episodes"
        console.print(
            f"[red]{verdict} ended in an error[/red], first: {escape(failed[0].error.splitlines()[0][:300])}; "
            f"rerun the same command to retry {'them' if len(failed) > 1 else 'it'}",
            highlight=False,
            soft_wrap=True,
        )
        if len(failed) == total:
            raise typer.Exit(1)


def print_scorecard(scores: list[DomainScore], title: str, *, wide: bool, as_json: bool) -> None:
    """The scorecard on stdout: the compact table (80 columns), the wide one, or JSON."""
    from healthgym.agents.evaluation import scorecard_json
    from healthgym.agents.scorecard import scorecard_table, wide_console

    if as_json:
        typer.echo(json.dumps(scorecard_json(scores, title), indent=2))
    else:
        (wide_console() if wide else Console()).print(scorecard_table(scores, title=title, wide=wide))


def _pair(text: str) -> tuple[str, str]:
    domain, sep, url = text.partition("=")
    if not sep or not url:
        raise typer.BadParameter(f"--url takes DOMAIN=URL, got {text!r}")
    return domain, url


def _compare(dirs: list[Path], out: Path, *, wide: bool, as_json: bool) -> None:
    import importlib.util

    from healthgym.agents.scorecard import DomainScore, compare_table, plot_compare, run_letters, wide_console

    if len(dirs) < 2:
        raise typer.BadParameter("--compare needs at least two run folders")
    runs, titles = {}, {}
    for run in dirs:
        card = run / "scorecard.json"
        if not card.exists():
            raise typer.BadParameter(f"{run} has no scorecard.json (is it a finished healthgym eval run?)")
        data = json.loads(card.read_text())
        label = run.name if run.name not in runs else str(run)
        runs[label] = [DomainScore.model_validate(d) for d in data["domains"]]
        titles[label] = data["title"]
    out.mkdir(parents=True, exist_ok=True)
    compared = {
        label: {"title": titles[label], "domains": [s.model_dump() for s in scores]} for label, scores in runs.items()
    }
    if as_json:
        typer.echo(json.dumps(compared, indent=2))
    else:
        table_console = wide_console() if wide else Console()
        for label, letter in run_letters(runs).items():
            table_console.print(f"[bold]{letter}[/bold] {label}: {titles[label]}", highlight=False)
        table_console.print(compare_table(runs, wide=wide))
    (out / "compare.json").write_text(json.dumps(compared, indent=2) + "\n")
    if importlib.util.find_spec("matplotlib") is None:
        console.print(f"wrote {out}/compare.json (compare.png needs matplotlib: pip install 'healthgym[plot]')")
        return
    plot_compare(runs, out / "compare.png")
    console.print(f"wrote {out}/compare.json and compare.png")
