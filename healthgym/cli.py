"""The ``healthgym`` command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

from healthgym.extras import missing_extra_message

if TYPE_CHECKING:
    from healthgym.mcp_servers.domain import DomainSpec
    from healthgym.schemas import Task

app = typer.Typer(
    name="healthgym",
    help="A training and evaluation gym for medical AI agents, served over MCP. Not for clinical use.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
console = Console(stderr=True)

def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from healthgym import __version__

        try:
            mcp = version("mcp")
        except PackageNotFoundError:
            mcp = "not installed"
        typer.echo(f"healthgym {__version__} (mcp {mcp}, Python {sys.version.split()[0]})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A training and evaluation gym for medical AI agents, served over MCP. Not for clinical use."""


def _domain_names(include_calculators: bool = False) -> list[str]:
    from healthgym.mcp_servers.domains import domain_names

    return domain_names() + (["calculators"] if include_calculators else [])


def _check_domain(name: str, include_calculators: bool = False) -> str:
    names = _domain_names(include_calculators)
    if name not in names:
        raise typer.BadParameter(f"unknown domain {name!r}; choose one of: {', '.join(names)}")
    return name


def _load(spec: DomainSpec, from_file: tuple[str, Path], hint: str) -> list[Task]:
    """The tasks of a user's file, its cases registered in this process; a bad format or file is a usage error."""
    from healthgym.mcp_servers.loaders import load_tasks

    try:
        return load_tasks(spec, *from_file)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint=hint) from None


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
    tasks_from: Annotated[
        tuple[str, Path] | None,
        typer.Option(metavar="FORMAT FILE", help="Also serve the cases of a file of your own (see `tasks --from`)."),
    ] = None,
) -> None:
    """Serve one domain's tools over MCP.

    Examples:

    * `healthgym serve drug_interaction` (stdio, for Claude Desktop)
    * `HEALTHGYM_MCP_TOKEN=s3cret healthgym serve triage_emergency --transport http --port 8765`
    """
    from healthgym.mcp_servers.server import serve as run

    _check_domain(domain, include_calculators=True)
    if tasks_from is not None:
        from healthgym.mcp_servers.domains import get_domain

        if domain == "calculators":
            raise typer.BadParameter("the calculators server has no cases", param_hint="--tasks-from")
        _load(get_domain(domain), tasks_from, "--tasks-from")
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
    tier: Annotated[
        Literal["assisted", "unassisted"] | None, typer.Option(help="Only tasks of this tier (default: both).")
    ] = None,
    export: Annotated[Path | None, typer.Option(help="Write the tasks as JSONL to this file.")] = None,
    leakage: Annotated[
        bool, typer.Option(help="Count content-hash collisions of dev and the first --train-n train tasks with test.")
    ] = False,
    train_n: Annotated[int, typer.Option(help="Train tasks the leakage report reads.")] = 20_000,
    from_file: Annotated[
        tuple[str, Path] | None,
        typer.Option("--from", metavar="FORMAT FILE", help="Tasks read from a file of your own instead of a split "
                     "(the domain's formats are listed when FORMAT is wrong)."),
    ] = None,
) -> None:
    """Count, show or export a domain's tasks, by tier; or report leakage between its splits.

    Examples:

    * `healthgym tasks drug_interaction --split test`
    * `healthgym tasks triage_emergency --split test --tier unassisted --show 3`
    * `healthgym tasks drug_interaction --split train -n 1000 --seed 7 --export train.jsonl`
    * `healthgym tasks triage_emergency --leakage`
    * `healthgym tasks clinical_diagnosis --from ddxplus release_test_patients.csv --show 2`
    """
    from collections import Counter

    from healthgym.mcp_servers.domain import HASH_KINDS, committed_checksum, leakage_report, split_checksum
    from healthgym.mcp_servers.domain import tasks as split_tasks
    from healthgym.mcp_servers.domains import get_domain

    spec = get_domain(_check_domain(domain))
    out = Console()
    if leakage:
        report = leakage_report(spec, {"dev": split_tasks(spec, "dev"), "train": split_tasks(spec, "train", train_n)})
        out.print(f"{domain}: collisions with the test split, by content hash (ids masked)")
        out.print(f"{'split':<8}" + "".join(f"{kind:>12}" for kind in HASH_KINDS))
        for name, counts in report.items():
            out.print(f"{name:<8}" + "".join(f"{counts[kind]:>12}" for kind in HASH_KINDS))
        if any(any(counts.values()) for counts in report.values()):
            raise typer.Exit(1)
        return
    if from_file is not None:
        chosen = [t for t in _load(spec, from_file, "--from") if tier in (None, t.tier)][:n]
    elif split == "train" and n is None:
        raise typer.BadParameter("the train split is unbounded: pass -n", param_hint="-n")
    else:
        chosen = split_tasks(spec, split, n, seed=seed, tier=tier)
    source = f"{from_file[0]} file {from_file[1]}" if from_file else split
    tiers = Counter(t.tier for t in chosen)
    composite = sum(t.composite for t in chosen)
    out.print(
        f"{domain} {source}: {len(chosen)} tasks ("
        + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items()))
        + f"; composite {composite})"
    )
    if split == "test" and from_file is None:
        ok = committed_checksum(spec) == split_checksum(spec)
        out.print(f"test split checksum {'matches' if ok else 'DOES NOT MATCH'} the committed one")
    for task in chosen[:show]:
        out.rule(f"{task.id} [{task.tier}{', composite' if task.composite else ''}]")
        out.print(task.prompt)
    if export:
        with export.open("w") as fh:
            for task in chosen:
                fh.write(task.model_dump_json() + "\n")
        out.print(f"wrote {len(chosen)} tasks to {export}")


SERVER_ENV = (
    "HEALTHGYM_DATA_DIR",
    "HEALTHGYM_DATABASE_URL",
    "HEALTHGYM_EMBEDDER",
    "HEALTHGYM_EMBEDDINGS_URL",
    "HEALTHGYM_EMBEDDINGS_API_KEY",
    "HEALTHGYM_KB_EF_SEARCH",
)
"""Variables a stdio server reads (the knowledge base's settings) that `mcp-config` copies from this shell."""
SECRET_ENV = ("HEALTHGYM_DATABASE_URL", "HEALTHGYM_EMBEDDINGS_API_KEY")


def server_env() -> dict[str, str]:
    """The `env` block of a server entry: the knowledge-base folder this shell resolves (always, absolute) and every
    other knowledge-base variable set here, so that a desktop client, which starts servers with its own
    environment, searches the same knowledge base as `healthgym kb` in this shell."""
    import os

    from healthgym.mcp_servers.kb.settings import default_data_dir

    env = {name: os.environ[name] for name in SERVER_ENV if os.environ.get(name)}
    env["HEALTHGYM_DATA_DIR"] = str(default_data_dir().resolve())
    return dict(sorted(env.items()))


@app.command("mcp-config")
def mcp_config(
    domains: Annotated[list[str] | None, typer.Argument(help="Servers to include (default: all).")] = None,
) -> None:
    """Print the `mcpServers` block of `claude_desktop_config.json` for every server.

    The command is this interpreter's absolute path, so the servers run in this environment; the `env` block
    carries this shell's knowledge-base settings (`HEALTHGYM_DATA_DIR` always), so the servers search the same
    knowledge base as `healthgym kb` here.

    Example: `healthgym mcp-config > healthgym-servers.json`
    """
    names = domains or _domain_names(include_calculators=True)
    for name in names:
        _check_domain(name, include_calculators=True)
    env = server_env()
    servers = {
        f"healthgym-{name}": {"command": sys.executable, "args": ["-m", "healthgym", "serve", name], "env": env}
        for name in names
    }
    typer.echo(json.dumps({"mcpServers": servers}, indent=2))
    secrets = [name for name in SECRET_ENV if name in env]
    if secrets:
        console.print(f"the env block holds {' and '.join(secrets)} from this shell: keep the file private")


@app.command()
def demo(
    domains: Annotated[list[str] | None, typer.Argument(help="Domains to play (default: all).")] = None,
    split: Annotated[Literal["dev", "test"], typer.Option(help="Which fixed split.")] = "test",
    limit: Annotated[int | None, typer.Option(help="At most this many tasks per domain.")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write trajectories.jsonl and scorecard.json here.")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Every column: reward components, effort, time.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scorecard as JSON on stdout instead.")] = False,
    baseline: Annotated[
        bool, typer.Option(help="Also play a degenerate baseline (the per-kind prior answer) on the same tasks.")
    ] = True,
) -> None:
    """The reference clinician plays a split of every domain through the Gym env over MCP; prints a scorecard per
    domain and tier, beside a degenerate baseline that submits each kind's most common answer without looking.

    Examples: `healthgym demo`, `healthgym demo triage_emergency --limit 20`
    """
    from rich.progress import Progress

    from healthgym.agents.cli import print_scorecard
    from healthgym.agents.degenerate import play_policy
    from healthgym.agents.evaluation import scorecard_json
    from healthgym.agents.reference import play_reference
    from healthgym.agents.scorecard import compare_table, run_letters, score_domains, wide_console
    from healthgym.mcp_servers.domain import tasks as split_tasks
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.rl.env import HealthGymEnv

    names = [_check_domain(d) for d in (domains or _domain_names())]
    trajectories, guesses = [], []
    with Progress(console=console, transient=True) as progress:
        for name in names:
            chosen = split_tasks(get_domain(name), split)[:limit]
            bar = progress.add_task(name, total=len(chosen))
            env = HealthGymEnv(name, split, max_turns=40)
            for task in chosen:
                start = time.perf_counter()
                trajectory = play_reference(env, task.id).model_copy(deep=True)
                trajectory.metrics["wall_s"] = time.perf_counter() - start
                trajectories.append(trajectory)
                progress.advance(bar)
            env.close()
            if baseline:
                guesses += play_policy(name, "prior", split, limit)
    scores = score_domains(trajectories)
    title = f"reference clinician, {split} split"
    if not baseline:
        print_scorecard(scores, title, wide=wide, as_json=as_json)
    else:
        runs = {title: scores, f"degenerate baseline (per-kind prior answer), {split} split": score_domains(guesses)}
        if as_json:
            typer.echo(json.dumps({label: scorecard_json(s, label) for label, s in runs.items()}, indent=2))
        else:
            table_console = wide_console() if wide else Console()
            for label, letter in run_letters(runs).items():
                table_console.print(f"[bold]{letter}[/bold] {label}", highlight=False)
            table_console.print(compare_table(runs, title="healthgym demo", wide=wide))
    if out:
        out.mkdir(parents=True, exist_ok=True)
        with (out / "trajectories.jsonl").open("w") as fh:
            fh.writelines(t.model_dump_json() + "\n" for t in trajectories)
        (out / "scorecard.json").write_text(json.dumps(scorecard_json(scores, title), indent=2) + "\n")
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
    app.command("train", no_args_is_help=True)(train_command)
    app.command("plot")(plot_command)


_mount_subcommands()


@app.command(
    "export-verl", add_help_option=False, context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def export_verl(ctx: typer.Context) -> None:
    """Write tasks as a verl dataset (parquet); needs the verl extra. `healthgym export-verl --help` for options."""
    from healthgym.rl.verl.export import export_app  # imports verl: only when this command runs

    export_app(ctx.args, prog_name="healthgym export-verl")


def main() -> None:
    """The console script: the app, with a missing optional package reported in one line naming its extra."""
    try:
        app()
    except ModuleNotFoundError as err:
        message = missing_extra_message(err)
        if message is None:
            raise
        console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        sys.exit(1)
