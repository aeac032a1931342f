"""``healthgym train`` and ``healthgym plot``: typer commands over [`healthgym.rl.trainer`] and
[`healthgym.rl.diagnostics.plot`]. The main CLI mounts them with ``app.command("train")(train_command)``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

console = Console(stderr=True)


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def build_config(config_file: Path | None, overrides: dict[str, Any], settings: list[str]) -> Any:
    """A TrainConfig from a JSON file, then the explicit options, then ``--set key=value`` pairs (JSON values)."""
    from healthgym.rl.config import TrainConfig

    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    values: dict[str, Any] = json.loads(config_file.read_text()) if config_file else {}
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


def train_command(
    algo: Annotated[Literal["grpo", "tt-opd"] | None, typer.Option(help="grpo or tt-opd.")] = None,
    model: Annotated[str | None, typer.Option(help="A model directory, or 'tiny' (built in code).")] = None,
    domains: Annotated[str | None, typer.Option(help="Comma-separated domains, e.g. drug_interaction.")] = None,
    steps: Annotated[int | None, typer.Option(help="Optimizer steps.")] = None,
    output_dir: Annotated[str | None, typer.Option(help="Run directory (metrics.jsonl, checkpoints).")] = None,
    config: Annotated[Path | None, typer.Option(help="JSON file of TrainConfig fields.")] = None,
    privileged_mode: Annotated[
        Literal["hint", "gold", "casefile"] | None, typer.Option(help="TT-OPD teacher context.")
    ] = None,
    lora_rank: Annotated[int | None, typer.Option(help="Train LoRA adapters of this rank (0: full weights).")] = None,
    device: Annotated[str | None, typer.Option(help="cpu, cuda or auto.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of tasks, sampling and initialisation.")] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the last checkpoint in the run directory.")] = False,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Any other TrainConfig field, as key=value (JSON value).")
    ] = None,
) -> None:
    """Train a policy on the healthgym envs with GRPO or TT-OPD (CPU or one GPU).

    Examples:

    * `healthgym train --algo grpo --model tiny --domains drug_interaction --steps 20`
    * `healthgym train --algo tt-opd --model ./Qwen2.5-0.5B-Instruct --privileged-mode casefile --set lam=0.5`
    * `healthgym train --output-dir runs/x --resume --steps 40`
    """
    from healthgym.rl.trainer import train

    overrides = {
        "algo": algo,
        "model": model,
        "steps": steps,
        "output_dir": output_dir,
        "privileged_mode": privileged_mode,
        "lora_rank": lora_rank,
        "device": device,
        "seed": seed,
        "resume": resume or None,
        "domains": [d.strip() for d in domains.split(",") if d.strip()] if domains else None,
    }
    cfg = build_config(config, overrides, set_ or [])
    console.print(f"training {cfg.algo} on {', '.join(cfg.domains)} for {cfg.steps} steps -> {cfg.output_dir}")

    def log(m: dict[str, float]) -> None:
        extra = f" kl_D {m['distill/kl']:.3f} λ {m['lambda']:.2f}" if "lambda" in m else ""
        console.print(
            f"step {int(m['step']):>4}  reward {m['reward/mean']:.3f}  acc {m['accuracy']:.3f}  "
            f"len {m['length/mean']:.0f}  turns {m['episode/turns']:.1f}  grad {m['grad_norm']:.3f}{extra}  "
            f"{m['time/step_s']:.1f}s"
        )

    train(cfg, log=log)


def plot_command(
    runs: Annotated[list[Path], typer.Argument(help="Run directories (or metrics.jsonl files).")],
    out: Annotated[Path, typer.Option(help="PNG to write.")] = Path("training.png"),
    smooth: Annotated[int, typer.Option(help="Trailing moving-average window.")] = 1,
) -> None:
    """Draw the training dynamics of one or several runs into one PNG.

    Example: `healthgym plot runs/grpo runs/tt-opd --out curves.png --smooth 5`
    """
    from healthgym.rl.diagnostics import plot

    try:
        path = plot(runs, out, smooth=smooth)
    except FileNotFoundError as err:
        raise typer.BadParameter(str(err)) from None
    console.print(f"wrote {path}")


app = typer.Typer(help="Local RL training over the healthgym envs.", no_args_is_help=True)
app.command("train")(train_command)
app.command("plot")(plot_command)
