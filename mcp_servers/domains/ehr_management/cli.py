"""``healthgym ehr``: build the record store of the synthetic population, and import the MIMIC-IV demo."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

ehr_app = typer.Typer(help="The electronic health record of the ehr_management domain.", no_args_is_help=True)


@ehr_app.command("build")
def build_command(
    database: Annotated[
        str, typer.Option(help="SQLAlchemy or postgresql:// URL; default: HEALTHGYM_DATABASE_URL, else SQLite cache.")
    ] = "",
) -> None:
    """Build (or open) the store of the synthetic population and print its counts and the time it took."""
    from healthgym.mcp_servers.domains.ehr_management.store import open_store

    started = time.perf_counter()
    store = open_store(url=database or None)
    typer.echo(json.dumps({"url": store.engine.url.render_as_string(hide_password=True),
                           "seconds": round(time.perf_counter() - started, 2), "counts": store.counts()}, indent=2))


@ehr_app.command("import-mimic")
def import_mimic_command(
    folder: Annotated[Path, typer.Argument(help="The MIMIC-IV Clinical Database Demo folder (with hosp/, icu/).")],
    database: Annotated[
        str, typer.Option(help="SQLAlchemy or postgresql:// URL; default: a SQLite file in the user cache folder.")
    ] = "",
) -> None:
    """Import the MIMIC-IV demo as FHIR resources, resuming an interrupted import, and print the count report
    (rows per source table, resources stored per type, the counts the source tables call for)."""
    from sqlmodel import create_engine

    from healthgym.mcp_servers.domains.ehr_management.mimic import import_mimic
    from healthgym.mcp_servers.domains.ehr_management.store import cache_dir, engine_url

    if not database:
        cache_dir().mkdir(parents=True, exist_ok=True)
        database = f"sqlite:///{cache_dir() / 'mimic_iv_demo.sqlite'}"
    try:
        engine = create_engine(engine_url(database))
        report = import_mimic(folder, engine, report=lambda line: typer.echo(line, err=True))
    except (FileNotFoundError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    report["matches_source"] = report["stored"] == report["expected"]
    typer.echo(json.dumps(report, indent=2))
