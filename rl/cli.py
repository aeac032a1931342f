"""``healthgym sft``, ``healthgym train`` and ``healthgym plot``: typer commands over [`healthgym.rl.warmstart`],
[`healthgym.rl.trainer`] and [`healthgym.rl.diagnostics.plot`]; the main CLI mounts them (`train` with
``no_args_is_help``)."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

console = Console(stderr=True)
PLAIN_PROGRESS_EVERY_S = 15.0
"""When stderr is not a terminal (a log file), a progress line at most this often instead of a live bar."""


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def build_config(config_file: Path | None, overrides: dict[str, Any], settings: list[str]) -> Any:
    """A TrainConfig from a JSON file, then the explicit options, then ``--set key=value`` pairs (JSON values)."""
    from healthgym.rl.config import TrainConfig

    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    try:
        values: dict[str, Any] = json.loads(config_file.read_text()) if config_file else {}
    except ValueError as err:
        raise typer.BadParameter(f"{config_file} is not JSON: {err}", param_hint="--config") from None
    if not isinstance(values, dict):
        raise typer.BadParameter(f"{config_file} must hold a JSON object of TrainConfig fields", param_hint="--config")
    values |= {k: v for k, v in overrides.items() if v is not None}
    for item in settings:
        key, sep, raw = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set takes key=value, got {item!r}")
        values[key.strip().replace("-", "_")] = _parse_value(raw)
    unknown = sorted(set(values) - fields)
    if unknown:
        raise typer.BadParameter(f"unknown config fields {unknown}; known: {', '.join(sorted(fields))}")
    try:
        return TrainConfig(**values)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None


def _default(name: str) -> Any:
    from healthgym.rl.config import TrainConfig

    value = next(f for f in dataclasses.fields(TrainConfig) if f.name == name)
    return value.default_factory() if value.default is dataclasses.MISSING else value.default  # type: ignore[misc]


def _help(text: str, name: str) -> str:
    """An option's help with the TrainConfig default it falls back to (the options default to None so that
    ``--config`` and ``--set`` can layer under them)."""
    default = _default(name)
    shown = ",".join(default) if isinstance(default, list) else default
    return f"{text} [default: {shown}]"


def check_environment(cfg: Any) -> None:
    """Refuse, before any work, what would fail later with a traceback: an unknown domain, a model that is neither
    'tiny' nor a directory, a device this torch cannot use."""
    from healthgym.mcp_servers.domains import domain_names

    unknown = [d for d in cfg.domains if d not in domain_names()]
    if unknown:
        raise typer.BadParameter(
            f"unknown domain {', '.join(map(repr, unknown))}; choose from: {', '.join(domain_names())}",
            param_hint="--domains",
        )
    if cfg.model != "tiny" and not Path(cfg.model).is_dir():
        raise typer.BadParameter(
            f"{cfg.model!r} is neither 'tiny' nor a directory holding a transformers model and tokenizer",
            param_hint="--model",
        )
    import torch

    device = cfg.device
    if device.startswith("cuda") and not torch.cuda.is_available():
        build = f"torch {torch.__version__}" + ("" if torch.version.cuda else ", a CPU-only build")
        raise typer.BadParameter(
            f"{device!r}: no CUDA device is usable ({build}); use cpu or auto", param_hint="--device"
        )
    if device not in ("auto", "cpu", "mps") and not device.startswith("cuda"):
        raise typer.BadParameter(f"{device!r} is not a device; use cpu, cuda, cuda:N or auto", param_hint="--device")


def train_command(
    algo: Annotated[Literal["grpo", "tt-opd"] | None, typer.Option(help=_help("grpo or tt-opd.", "algo"))] = None,
    model: Annotated[
        str | None, typer.Option(help=_help("A model directory, or 'tiny' (built in code, no download).", "model"))
    ] = None,
    domains: Annotated[
        str | None, typer.Option(help=_help("Comma-separated domains, e.g. drug_interaction.", "domains"))
    ] = None,
    steps: Annotated[int | None, typer.Option(help=_help("Optimizer steps.", "steps"))] = None,
    output_dir: Annotated[
        str | None, typer.Option(help=_help("Run directory (metrics.jsonl, checkpoints).", "output_dir"))
    ] = None,
    config: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="JSON file of TrainConfig fields.")
    ] = None,
    privileged_mode: Annotated[
        Literal["hint", "gold", "casefile"] | None,
        typer.Option(help=_help("TT-OPD teacher context.", "privileged_mode")),
    ] = None,
    lora_rank: Annotated[
        int | None, typer.Option(help=_help("Train LoRA adapters of this rank (0: full weights).", "lora_rank"))
    ] = None,
    device: Annotated[str | None, typer.Option(help=_help("cpu, cuda or auto.", "device"))] = None,
    seed: Annotated[int | None, typer.Option(help=_help("Seed of tasks, sampling and initialisation.", "seed"))] = None,
    save_every: Annotated[
        int | None, typer.Option(help=_help("Checkpoint every N steps (0: only at the end).", "save_every"))
    ] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the last checkpoint in the run directory.")] = False,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Any other TrainConfig field, as key=value (JSON value).")
    ] = None,
) -> None:
    """Train a policy on the healthgym envs with GRPO or TT-OPD (CPU or one GPU).

    Shows each step's progress (episodes, tokens sampled, tokens/s), a line of metrics per step with the time the
    remaining steps will take, and checkpoints every --save-every steps. On CPU, training is slow: a step of 4
    episodes of --model tiny took 510 s on a 2-core machine shared with other jobs (docs/quickstart.md); the default
    batch is 16 episodes.

    Examples:

    * `healthgym train --algo grpo --model tiny --domains drug_interaction --steps 20`
    * `healthgym train --algo tt-opd --model ./Qwen2.5-0.5B-Instruct --privileged-mode casefile --set lam=0.5`
    * `healthgym train --output-dir runs/x --resume --steps 40`
    """
    overrides = {
        "algo": algo,
        "model": model,
        "steps": steps,
        "output_dir": output_dir,
        "privileged_mode": privileged_mode,
        "lora_rank": lora_rank,
        "device": device,
        "seed": seed,
        "save_every": save_every,
        "resume": resume or None,
        "domains": [d.strip() for d in domains.split(",") if d.strip()] if domains else None,
    }
    cfg = build_config(config, overrides, set_ or [])
    check_environment(cfg)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from healthgym.rl.trainer import Trainer

    console.print(
        f"training {cfg.algo} on {', '.join(cfg.domains)}: {cfg.steps} steps of {cfg.batch_size} episodes "
        f"({cfg.tasks_per_step} tasks x {cfg.group_size}), model {cfg.model}, checkpoints "
        + (f"every {cfg.save_every} steps" if cfg.save_every else "at the end")
        + f" -> {cfg.output_dir}",
        highlight=False,
        soft_wrap=True,
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("loading model", total=None, rate="")
        clock = {"rollout": time.perf_counter(), "line": time.perf_counter(), "tokens": 0.0}

        def on_progress(phase: str, done: int, total: int, tokens: int) -> None:
            now = time.perf_counter()
            clock["tokens"] += tokens
            rate = f"{clock['tokens'] / max(now - clock['rollout'], 1e-9):.0f} tok/s" if phase == "rollout" else ""
            step = trainer.step_index + 1
            label = "episodes" if phase == "rollout" else "optimizer steps"
            description = f"step {step}/{cfg.steps} {phase} ({label})"
            progress.update(bar, description=description, completed=done, total=total, rate=rate)
            if not console.is_terminal and now - clock["line"] >= PLAIN_PROGRESS_EVERY_S:  # a log file: a line
                clock["line"] = now
                sampled = f", {clock['tokens']:,.0f} tokens sampled, {rate}" if phase == "rollout" else ""
                console.print(f"{description}: {done}/{total}{sampled}", highlight=False)

        def log(m: dict[str, float]) -> None:
            dev = (
                f" dev acc {m['dev/accuracy']:.3f} tool-call rate {m['dev/tool_call_rate']:.3f}"
                if "dev/accuracy" in m
                else ""
            )
            if "reward/mean" not in m:  # the dev check before the first step
                console.print(f"step 0{dev}", highlight=False)
                return
            step, left = int(m["step"]), cfg.steps - int(m["step"])
            eta = f", about {_duration(m['time/step_s'] * left)} left" if left else ""
            extra = f" kl_D {m['distill/kl']:.3f} λ {m['lambda']:.2f}" if "lambda" in m else ""
            console.print(
                f"step {step}/{cfg.steps} reward {m['reward/mean']:.3f} acc {m['accuracy']:.3f} "
                f"len {m['length/mean']:.0f} turns {m['episode/turns']:.1f} grad {m['grad_norm']:.3f}{extra}{dev} "
                f"{m['time/step_s']:.1f}s{eta}",
                highlight=False,
                soft_wrap=True,
            )
            clock["rollout"], clock["tokens"] = time.perf_counter(), 0.0

        console.print(f"loading model {cfg.model} ...", highlight=False)
        trainer = Trainer(cfg, log=log, progress=on_progress)
        clock["rollout"] = time.perf_counter()
        if trainer.step_index:
            console.print(f"resumed at step {trainer.step_index} from {cfg.output_dir}", highlight=False)
        progress.update(
            bar,
            description=f"step {trainer.step_index + 1}/{cfg.steps} rollout (episodes)",
            total=cfg.batch_size,
            completed=0,
        )
        trainer.train()
    console.print(
        f"wrote {cfg.output_dir}/metrics.jsonl, checkpoints and final/; plot: healthgym plot {cfg.output_dir}",
        highlight=False,
        soft_wrap=True,
    )


def _duration(seconds: float) -> str:
    return (
        f"{seconds:.0f} s"
        if seconds < 90
        else f"{seconds / 60:.0f} min"
        if seconds < 5400
        else f"{seconds / 3600:.1f} h"
    )


def sft_command(
    output_dir: Annotated[str, typer.Option(help="Where the checkpoint, sft.json and metrics.jsonl go.")],
    model: Annotated[str, typer.Option(help="'tiny' (built in code) or a transformers model directory.")] = "tiny",
    domains: Annotated[str, typer.Option(help="Comma-separated domains.")] = "drug_interaction",
    kinds: Annotated[str, typer.Option(help="Comma-separated task kinds (default: all of each domain).")] = "",
    tier: Annotated[Literal["assisted", "unassisted"] | None, typer.Option(help="One tier only.")] = None,
    device: Annotated[str, typer.Option(help="cpu, cuda or auto.")] = "auto",
    seed: Annotated[int, typer.Option(help="Seed of the train tasks, the model and the batches.")] = 0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Any other SFTConfig field, as key=value (JSON value).")
    ] = None,
) -> None:
    """Supervised warm start on the reference clinician's train episodes, stopped at a dev criterion.

    Checks the greedy policy on dev tasks every eval_every steps (valid tool-call rate, accuracy by the env's
    grader) and stops at the first check with tool_call_rate >= stop_tool_call_rate (0.9) and each domain's
    accuracy between stop_accuracy (0.2) and stop_accuracy_max (0.8) x the reference clinician's; saves the model
    and tokenizer in OUTPUT_DIR, which `healthgym train --model OUTPUT_DIR` starts from.

    Examples:

    * `healthgym sft --output-dir runs/sft --domains drug_interaction --kinds pregnancy_lactation,pair_severity`
    * `healthgym sft --output-dir runs/sft-qwen --model ./Qwen2.5-0.5B-Instruct --set learning_rate=1e-5`
    """
    from healthgym.mcp_servers.domains import domain_names
    from healthgym.rl.warmstart import SFTConfig, run_sft

    names = [d.strip() for d in domains.split(",") if d.strip()]
    unknown = [d for d in names if d not in domain_names()]
    if unknown:
        raise typer.BadParameter(
            f"unknown domain {', '.join(map(repr, unknown))}; choose from: {', '.join(domain_names())}",
            param_hint="--domains",
        )
    values: dict[str, Any] = {
        "output_dir": output_dir,
        "model": model,
        "domains": names,
        "kinds": [k.strip() for k in kinds.split(",") if k.strip()] or None,
        "tier": tier,
        "device": device,
        "seed": seed,
    }
    fields = {f.name for f in dataclasses.fields(SFTConfig)}
    for item in set_ or []:
        key, sep, raw = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set takes key=value, got {item!r}")
        values[key.strip().replace("-", "_")] = _parse_value(raw)
    unknown = sorted(set(values) - fields)
    if unknown:
        raise typer.BadParameter(f"unknown SFT config fields {unknown}; known: {', '.join(sorted(fields))}")
    if model != "tiny" and not Path(model).is_dir():
        raise typer.BadParameter(f"{model!r} is neither 'tiny' nor a model directory", param_hint="--model")
    try:
        cfg = SFTConfig(**values)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None
    console.print(
        f"sft on {', '.join(cfg.domains)} ({', '.join(cfg.kinds or ['all kinds'])}): up to {cfg.steps} steps of "
        f"{cfg.batch_size} episodes, dev check every {cfg.eval_every} -> {cfg.output_dir}"
        + (
            f"; first {cfg.copy_warmup_steps} copy warm-up steps (about 0.1 s each on 2 cores)"
            if cfg.model == "tiny" and cfg.copy_warmup_steps
            else ""
        ),
        highlight=False,
        soft_wrap=True,
    )

    def log(line: dict[str, Any]) -> None:
        console.print(
            f"step {line['step']} loss {line['sft/loss']:.3f} dev accuracy {line['dev/accuracy']:.3f} "
            f"tool-call rate {line['dev/tool_call_rate']:.3f} tool-less turns {line['dev/toolless_turn_rate']:.3f} "
            f"{line['time/elapsed_s']:.0f}s",
            highlight=False,
            soft_wrap=True,
        )

    summary = run_sft(cfg, log=log)
    verdict = "met" if summary["criterion_met"] else "NOT met"
    console.print(
        f"criterion {verdict} ({summary['criterion']}); reference accuracy "
        + ", ".join(f"{d} {a:.3f}" for d, a in summary["reference_accuracy"].items())
        + f"; wrote {cfg.output_dir}; next: healthgym train --model {cfg.output_dir}",
        highlight=False,
        soft_wrap=True,
    )


def plot_command(
    runs: Annotated[list[Path], typer.Argument(help="Run directories (or metrics.jsonl files).")],
    out: Annotated[Path, typer.Option(help="PNG to write.")] = Path("training.png"),
    smooth: Annotated[int, typer.Option(help="Trailing moving-average window.")] = 1,
) -> None:
    """Draw the training dynamics of one or several runs into one PNG.

    Example: `healthgym plot runs/grpo runs/tt-opd --out curves.png --smooth 5`
    """
    from healthgym.rl.diagnostics import gaps, plot

    try:
        path = plot(runs, out, smooth=smooth)
    except (FileNotFoundError, ValueError) as err:
        raise typer.BadParameter(str(err)) from None
    for note in gaps(runs):
        console.print(f"note: {note}", highlight=False)
    console.print(f"wrote {path}", highlight=False)


app = typer.Typer(help="Local RL training over the healthgym envs.", no_args_is_help=True)
app.command("sft")(sft_command)
app.command("train", no_args_is_help=True)(train_command)
app.command("plot")(plot_command)
