"""``healthgym kb``: build, load, search, inspect and drop knowledge-base corpora."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from healthgym.mcp_servers.kb.embedded import EmbeddedServer
    from healthgym.mcp_servers.kb.loaders import InputMeter
    from healthgym.mcp_servers.kb.store import KnowledgeBase
    from healthgym.schemas import Passage

kb_app = typer.Typer(
    name="kb",
    help="The knowledge base (PostgreSQL + pgvector): `build` the default corpus, `ingest` your own, `search`.",
    no_args_is_help=True,
)
console = Console(stderr=True)
out = Console()

_Embedder = Annotated[
    str | None,
    typer.Option(
        help="Embedder spec: minilm (default), minilm-fp32, minilm-torch, st:PATH, onnx:PATH, "
        "openai:MODEL[@URL], lexical. Default: $HEALTHGYM_EMBEDDER or minilm."
    ),
]


def _kb() -> KnowledgeBase:
    from healthgym.mcp_servers.kb.store import KnowledgeBase

    return KnowledgeBase()


def _fail(err: Exception) -> typer.Exit:
    console.print(f"[red]error:[/red] {err}", soft_wrap=True, markup=True, highlight=False)
    return typer.Exit(1)


def _load(
    kb: KnowledgeBase,
    passages: Iterable[Passage],
    corpus: str,
    embedder: str | None,
    batch_size: int,
    *,
    total: int | None = None,
    meter: InputMeter | None = None,
    lexical_first: bool = False,
) -> None:
    """Stream passages into ``corpus`` with progress (``progress.LoadProgress``), then build the indexes; with
    ``lexical_first``, store them without vectors first (searchable at once), then embed them."""
    from healthgym.mcp_servers.kb.progress import LoadProgress, duration

    started = time.perf_counter()
    with LoadProgress(console, corpus, total=total, meter=meter) as progress:
        report = kb.ingest(
            passages,
            corpus,
            embedder=embedder,
            batch_size=batch_size,
            on_batch=progress.update,
            defer_vectors=lexical_first,
        )
    index = ", ".join(f"{k} {v:.1f}s" for k, v in report.index_seconds.items()) or "unchanged"
    console.print(
        f"[green]{corpus}[/green]: {report.added:,} passages added, {report.skipped:,} already stored, "
        f"{report.load_seconds:.1f}s load ({report.embed_seconds:.1f}s embedding); indexes: {index}; "
        f"{duration(time.perf_counter() - started)} in all",
        soft_wrap=True,
    )
    if lexical_first and kb.embedder(embedder) is not None:
        console.print(f"{corpus} is searchable now (lexical; hybrid answers lexically); computing its vectors …")
        _embed(kb, corpus, batch_size)


def _embed(kb: KnowledgeBase, corpus: str, batch_size: int) -> None:
    from healthgym.mcp_servers.kb.progress import LoadProgress, duration

    pending = next(c for c in kb.stats()["corpora"] if c["name"] == corpus)
    with LoadProgress(console, corpus, total=pending["passages"]) as progress:
        report = kb.embed_pending(corpus, batch_size=batch_size, on_batch=progress.update)
    console.print(
        f"[green]{corpus}[/green]: {report.added:,} passages embedded ({report.skipped:,} had vectors) in "
        f"{duration(report.load_seconds)}; hnsw {report.index_seconds.get('hnsw', 0):.1f}s",
        soft_wrap=True,
    )


@kb_app.command()
def build(
    embedder: _Embedder = None,
    batch_size: Annotated[int, typer.Option(help="Passages per transaction.")] = 256,
) -> None:
    """Build (or finish building) the default corpus `clinic` from the domains' knowledge tables and calculators."""
    from healthgym.mcp_servers.kb.chunking import Chunker
    from healthgym.mcp_servers.kb.default_corpus import DEFAULT_CORPUS, default_passages
    from healthgym.mcp_servers.kb.embedders import tokenizer_for
    from healthgym.mcp_servers.kb.errors import KBError

    kb = _kb()
    counts: dict[str, int] = {}
    try:
        chunker = Chunker(tokenizer_file=tokenizer_for(kb.embedder(embedder)))
        passages = list(default_passages(chunker, counts))  # ~2 s; gives the total for the progress bar
        _load(kb, passages, DEFAULT_CORPUS, embedder, batch_size, total=len(passages))
    except (KBError, ValueError) as err:
        raise _fail(err) from None
    for source, n in counts.items():
        console.print(f"  {source}: {n:,} passages")


@kb_app.command()
def ingest(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="medquad, medrag, pubmed or folder.")],
    path: Annotated[Path, typer.Argument(help="A file or folder in that format.")],
    corpus: Annotated[str | None, typer.Option(help="Corpus name (default: the format name).")] = None,
    embedder: _Embedder = None,
    max_tokens: Annotated[int, typer.Option(help="Longest passage, in the embedder's tokens.")] = 128,
    overlap: Annotated[int, typer.Option(help="Tokens shared by consecutive passages of a document.")] = 32,
    domain: Annotated[list[str] | None, typer.Option(help="Tag every passage with this domain (repeatable).")] = None,
    batch_size: Annotated[int, typer.Option(help="Passages per transaction.")] = 256,
    lexical_first: Annotated[
        bool,
        typer.Option(help="Store and index the text first (searchable lexically in seconds), then compute vectors."),
    ] = False,
) -> None:
    """Load a corpus you have on disk. Rerunning it (or resuming after a kill) adds only what is missing.

    Examples:

    * `healthgym kb ingest medquad ../shared/data/medquad/medquad_answered.jsonl`
    * `healthgym kb ingest medrag ~/corpora/statpearls --corpus statpearls`
    * `healthgym kb ingest pubmed ~/pubmed/baseline --corpus pubmed --embedder lexical`
    * `healthgym kb ingest folder ~/notes --corpus notes --domain cardiology`
    """
    from healthgym.mcp_servers.kb.chunking import Chunker
    from healthgym.mcp_servers.kb.embedders import tokenizer_for
    from healthgym.mcp_servers.kb.errors import KBError
    from healthgym.mcp_servers.kb.loaders import InputMeter, load_documents
    from healthgym.mcp_servers.kb.passages import Document, chunk_documents

    kb = _kb()
    name = corpus or fmt
    meter = InputMeter()
    try:
        chunker = Chunker(max_tokens=max_tokens, overlap=overlap, tokenizer_file=tokenizer_for(kb.embedder(embedder)))
        documents: Iterable[Document] = load_documents(fmt, path, meter)
        if domain:
            documents = (
                Document(d.title, d.text, d.source, d.metadata, tuple(dict.fromkeys([*d.domains, *domain])))
                for d in documents
            )
        _load(
            kb,
            chunk_documents(documents, name, chunker),
            name,
            embedder,
            batch_size,
            meter=meter,
            lexical_first=lexical_first,
        )
    except (KBError, ValueError, OSError) as err:
        raise _fail(err) from None


@kb_app.command()
def search(
    query: Annotated[str, typer.Argument(help="A question or key terms.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    corpus: Annotated[str | None, typer.Option(help="Only this corpus.")] = None,
    mode: Annotated[Literal["hybrid", "dense", "lexical"], typer.Option(help="Search mode.")] = "hybrid",
    domain: Annotated[list[str] | None, typer.Option(help="Only passages tagged with this domain.")] = None,
    ef_search: Annotated[int | None, typer.Option(help="HNSW candidate list size.")] = None,
    embedder: _Embedder = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the knowledge base and print the best passages with their ids."""
    from healthgym.mcp_servers.kb.errors import KBError

    started = time.perf_counter()
    try:
        hits = _kb().search(
            query, k=k, corpus=corpus, mode=mode, domains=domain or (), ef_search=ef_search, embedder=embedder
        )
    except (KBError, ValueError) as err:
        raise _fail(err) from None
    if as_json:
        out.print_json(json.dumps([h.model_dump(exclude={"text"}) for h in hits]))
        return
    for rank, hit in enumerate(hits, start=1):
        out.print(f"[bold]{rank}. {hit.title}[/bold]  [dim]kb://{hit.corpus}/{hit.id}  score {hit.score:.4f}[/dim]")
        out.print(f"   {hit.snippet}", markup=False)
    console.print(f"[dim]{len(hits)} passages in {1000 * (time.perf_counter() - started):.0f} ms ({mode})[/dim]")


@kb_app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Corpora, passages stored (also while a load runs), embedders, index build times and disk use."""
    from healthgym.mcp_servers.kb.errors import KBError

    try:
        info = _kb().stats()
    except KBError as err:
        raise _fail(err) from None
    if as_json:
        out.print_json(json.dumps(info))
        return
    table = Table(title=f"knowledge base (schema v{info['schema_version']}, {info['disk_bytes'] / 2**20:,.0f} MiB)")
    for column in ("corpus", "passages", "status", "embedder", "disk MiB", "index build s"):
        table.add_column(column)
    for c in info["corpora"]:
        seconds = ", ".join(f"{k} {v:.1f}" for k, v in c.get("index_seconds", {}).items())
        table.add_row(
            c["name"],
            f"{c['passages']:,}",
            c["status"],
            f"{c['embedder']}" + (f" ({c['dim']}-d)" if c["dim"] else ""),
            f"{c['disk_bytes'] / 2**20:,.1f}",
            seconds,
        )
    out.print(table)


@kb_app.command()
def drop(
    corpus: Annotated[str, typer.Argument(help="Corpus to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a corpus and all its passages."""
    from healthgym.mcp_servers.kb.errors import KBError

    kb = _kb()
    try:
        kb.corpus(corpus)
        if not yes:
            typer.confirm(f"delete corpus {corpus!r} and all its passages?", abort=True)
        n = kb.drop(corpus)
    except KBError as err:
        raise _fail(err) from None
    console.print(f"dropped {corpus}: {n:,} passages")


def _embedded() -> EmbeddedServer:
    from healthgym.mcp_servers.kb.embedded import server
    from healthgym.mcp_servers.kb.settings import KBSettings

    try:
        settings = KBSettings.from_env()
    except ValueError as err:
        raise _fail(err) from None
    if settings.database_url:
        raise _fail(ValueError("HEALTHGYM_DATABASE_URL is set: the knowledge base is that server, not an embedded one"))
    return server(settings.pgdata)


@kb_app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The embedded PostgreSQL: where its data is, whether it runs, and which processes hold it (live and stale)."""
    info = _embedded().status()
    if as_json:
        out.print_json(json.dumps(info))
        return
    state = f"running (pid {info['pid']}, socket in {info['socket_dir']})" if info["running"] else "stopped"
    out.print(f"data:    {info['pgdata']}{'' if info['created'] else ' (not created yet)'}", highlight=False)
    out.print(f"server:  {state}", highlight=False)
    if info["system_user"]:
        out.print(f"runs as: {info['system_user']}", highlight=False)
    out.print(f"holders: {', '.join(map(str, info['holders'])) or 'none'}", highlight=False)
    if info["stale_holders"]:
        out.print(f"stale:   {', '.join(map(str, info['stale_holders']))} (dead; dropped on the next start)")


@kb_app.command()
def stop(
    force: Annotated[bool, typer.Option("--force", help="Stop even while other processes use it.")] = False,
) -> None:
    """Stop the embedded PostgreSQL (it also stops by itself when the last process using it exits)."""
    from healthgym.mcp_servers.kb.errors import KBError

    try:
        stopped = _embedded().stop(force=force)
    except KBError as err:
        raise _fail(err) from None
    console.print("stopped the embedded PostgreSQL" if stopped else "the embedded PostgreSQL was not running")


@kb_app.command()
def embed(
    corpus: Annotated[str, typer.Argument(help="Corpus loaded with --lexical-first.")],
    batch_size: Annotated[int, typer.Option(help="Passages per transaction.")] = 256,
) -> None:
    """Compute the vectors a `--lexical-first` load left pending (resumes an interrupted one), then the HNSW index."""
    from healthgym.mcp_servers.kb.errors import KBError

    try:
        _embed(_kb(), corpus, batch_size)
    except (KBError, ValueError) as err:
        raise _fail(err) from None
