"""The ``healthgym`` command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

app = typer.Typer(
    name="healthgym",
    help="A training and evaluation gym for medical AI agents, served over MCP. Not for clinical use.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
console = Console(stderr=True)


def _domain_names(include_calculators: bool = False) -> list[str]:
    from healthgym.mcp_servers.domains import domain_names

    return domain_names() + (["calculators"] if include_calculators else [])


def _check_domain(name: str, include_calculators: bool = False) -> str:
    names = _domain_names(include_calculators)
    if name not in names:
        raise typer.BadParameter(f"unknown domain {name!r}; choose one of: {', '.join(names)}")
    return name


@app.command()
def serve(
    domain: Annotated[str, typer.Argument(help="Domain to serve, or 'calculators'.")],
    transport: Annotated[Literal["stdio", "http"], typer.Option(help="stdio for desktop clients, http for remote.")]
    = "stdio",
    host: Annotated[str, typer.Option(help="HTTP bind address (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="HEALTHGYM_MCP_TOKEN", help="Require `Authorization: Bearer TOKEN` (HTTP). Prefer the "
                     "environment variable or --token-file: a command-line token shows in `ps`."),
    ] = None,
    token_file: Annotated[
        Path | None, typer.Option(help="Read the bearer token from the first line of this file.")
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="Host name (or name:port) clients may use besides loopback and the bind address; "
                     "repeatable. Host/Origin checks stay on for every bind address."),
    ] = None,
    max_sessions: Annotated[int, typer.Option(help="Most open HTTP sessions in all.")] = 1000,
    max_sessions_per_client: Annotated[int, typer.Option(help="Most open HTTP sessions per client address.")] = 128,
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], typer.Option(help="Server log level.")
    ] = "WARNING",
) -> None:
    """Serve one domain's tools over MCP.

    Examples:

    * `healthgym serve drug_interaction` (stdio, for Claude Desktop)
    * `HEALTHGYM_MCP_TOKEN=s3cret healthgym serve triage_emergency --transport http --port 8765`
    """
    from healthgym.mcp_servers.server import serve as run

    _check_domain(domain, include_calculators=True)
    if token is not None and token_file is not None:
        raise typer.BadParameter("give --token (or HEALTHGYM_MCP_TOKEN) or --token-file, not both")
    if token_file is not None:
        lines = token_file.read_text().splitlines()
        token = lines[0].strip() if lines else ""
    if token is not None and not token.strip():
        raise typer.BadParameter("the bearer token is empty", param_hint="--token / --token-file")
    if transport == "http":
        console.print(f"serving healthgym-{domain} on http://{host}:{port}/mcp" + (" (bearer token)" if token else ""))
    run(domain, transport, host=host, port=port, token=token, allowed_hosts=allowed_host or (),
        max_sessions=max_sessions, max_sessions_per_client=max_sessions_per_client, log_level=log_level)


@app.command()
def tasks(
    domain: Annotated[str, typer.Argument(help="Domain name.")],
    split: Annotated[Literal["train", "dev", "test"], typer.Option(help="Which split.")] = "test",
    n: Annotated[int | None, typer.Option("-n", help="Number of tasks (required for train).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the train stream.")] = 0,
    show: Annotated[int, typer.Option(help="Print the first N tasks' prompts.")] = 0,
    export: Annotated[Path | None, typer.Option(help="Write the tasks as JSONL to this file.")] = None,
) -> None:
    """Count, show or export a domain's tasks.

    Examples:

    * `healthgym tasks drug_interaction --split test`
    * `healthgym tasks triage_emergency --split test --show 3`
    * `healthgym tasks drug_interaction --split train -n 1000 --seed 7 --export train.jsonl`
    """
    from healthgym.mcp_servers.domain import committed_checksum, split_checksum
    from healthgym.mcp_servers.domain import tasks as split_tasks
    from healthgym.mcp_servers.domains import get_domain

    spec = get_domain(_check_domain(domain))
    if split == "train" and n is None:
        raise typer.BadParameter("the train split is unbounded: pass -n", param_hint="-n")
    chosen = split_tasks(spec, split, n, seed=seed)
    out = Console()
    out.print(f"{domain} {split}: {len(chosen)} tasks")
    if split == "test":
        ok = committed_checksum(spec) == split_checksum(spec)
        out.print(f"test split checksum {'matches' if ok else 'DOES NOT MATCH'} the committed one")
    for task in chosen[:show]:
        out.rule(task.id)
        out.print(task.prompt)
    if export:
        with export.open("w") as fh:
            for task in chosen:
                fh.write(task.model_dump_json() + "\n")
        out.print(f"wrote {len(chosen)} tasks to {export}")


@app.command("mcp-config")
def mcp_config(
    domains: Annotated[list[str] | None, typer.Argument(help="Servers to include (default: all).")] = None,
) -> None:
    """Print the `mcpServers` block of `claude_desktop_config.json` for every server.

    The command is this interpreter's absolute path, so the servers run in this environment.

    Example: `healthgym mcp-config > healthgym-servers.json`
    """
    names = domains or _domain_names(include_calculators=True)
    for name in names:
        _check_domain(name, include_calculators=True)
    servers = {
        f"healthgym-{name}": {"command": sys.executable, "args": ["-m", "healthgym", "serve", name]} for name in names
    }
    typer.echo(json.dumps({"mcpServers": servers}, indent=2))


@app.command()
def demo(
    domains: Annotated[list[str] | None, typer.Argument(help="Domains to play (default: all).")] = None,
    split: Annotated[Literal["dev", "test"], typer.Option(help="Which fixed split.")] = "test",
    limit: Annotated[int | None, typer.Option(help="At most this many tasks per domain.")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write trajectories.jsonl and scorecard.json here.")] = None,
) -> None:
    """The reference clinician plays a split of every domain through the Gym env over MCP; prints a scorecard.

    Examples: `healthgym demo`, `healthgym demo triage_emergency --limit 20`
    """
    from rich.progress import Progress

    from healthgym.agents.reference import play_reference
    from healthgym.agents.scorecard import score_domains, scorecard_table, wide_console
    from healthgym.mcp_servers.domain import tasks as split_tasks
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.rl.env import HealthGymEnv

    names = [_check_domain(d) for d in (domains or _domain_names())]
    trajectories, wall = [], {}
    with Progress(console=console, transient=True) as progress:
        for name in names:
            chosen = split_tasks(get_domain(name), split)[:limit]
            bar = progress.add_task(name, total=len(chosen))
            env = HealthGymEnv(name, split, max_turns=40)
            start = time.perf_counter()
            for task in chosen:
                trajectories.append(play_reference(env, task.id).model_copy(deep=True))
                progress.advance(bar)
            wall[name] = time.perf_counter() - start
            env.close()
    scores = score_domains(trajectories, wall)
    wide_console().print(scorecard_table(scores, title=f"reference clinician, {split} split"))
    if out:
        out.mkdir(parents=True, exist_ok=True)
        with (out / "trajectories.jsonl").open("w") as fh:
            fh.writelines(t.model_dump_json() + "\n" for t in trajectories)
        (out / "scorecard.json").write_text(json.dumps([s.model_dump() for s in scores], indent=2))
        console.print(f"wrote {out / 'trajectories.jsonl'} and {out / 'scorecard.json'}")


def _mount_subcommands() -> None:
    """Commands owned by the parts of healthgym; their modules import heavy dependencies only when run."""
    from healthgym.agents.cli import eval_command
    from healthgym.mcp_servers.calculators.medcalc import medcalc_app
    from healthgym.mcp_servers.kb.cli import kb_app
    from healthgym.rl.cli import plot_command, train_command

    app.add_typer(kb_app, name="kb")
    bench_app = typer.Typer(help="Benchmarks of healthgym against public data sets.", no_args_is_help=True)
    bench_app.add_typer(medcalc_app, name="medcalc")
    app.add_typer(bench_app, name="bench")
    app.command("eval")(eval_command)
    app.command("train")(train_command)
    app.command("plot")(plot_command)


_mount_subcommands()


def main() -> None:
    app()


