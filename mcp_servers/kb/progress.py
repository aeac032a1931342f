"""Progress of a long load: a live bar with counts, rate and ETA in a terminal, and a plain line every
``PLAIN_EVERY`` seconds when the output is piped or logged (where a live bar would be noise or nothing).

The fraction done comes from the passage total when it is known in advance (``kb build`` generates its passages
first), else from the bytes of input read (``loaders.InputMeter``), so a corpus of unknown size still gets an ETA.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from healthgym.mcp_servers.kb.ingest import IngestReport
    from healthgym.mcp_servers.kb.loaders import InputMeter

__all__ = ["PLAIN_EVERY", "LoadProgress", "duration"]

PLAIN_EVERY = 10.0
"""Seconds between plain progress lines."""


def duration(seconds: float) -> str:
    """``42s``, ``3m05s`` or ``1h02m``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class LoadProgress:
    """Shows a load's ``IngestReport`` as it changes (pass ``update`` as ``on_batch``).

    Args:
        console: Where to write; a terminal gets the live bar.
        corpus: The corpus being loaded.
        total: Passages in the source, when known.
        meter: Bytes of input read, when the passage total is not known.
        every: Seconds between plain lines (``PLAIN_EVERY`` by default).
    """

    def __init__(
        self,
        console: Console,
        corpus: str,
        *,
        total: int | None = None,
        meter: InputMeter | None = None,
        every: float | None = None,
    ) -> None:
        self.console, self.corpus, self.total, self.meter = console, corpus, total, meter
        self.every = PLAIN_EVERY if every is None else every
        self._bar: Progress | None = None
        self._task = 0
        self._last_line = 0.0
        self._phase = "load"
        self._started = time.monotonic()

    def __enter__(self) -> LoadProgress:
        self._started, self._last_line = time.monotonic(), float("-inf")  # the first report is printed at once
        if self.console.is_terminal:
            self._bar = Progress(
                SpinnerColumn(),
                BarColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,  # the summary line replaces it; an error leaves only the error
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(f"{self.corpus}: reading the source", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def fraction(self, report: IngestReport) -> float | None:
        """How much of the source has been read, 0..1, or ``None`` when unknown."""
        if self.total:
            seen = report.seen + (report.skipped if report.phase == "embed" else 0)
            return min(seen / self.total, 1.0)
        if self.meter is not None and self.meter.total:
            return min(self.meter.fraction, 1.0)
        return None

    def describe(self, report: IngestReport) -> str:
        """One line: counts, rate, percentage and ETA (or the index being built)."""
        if report.phase.startswith("index"):
            return f"{self.corpus}: {report.added:,} passages added; building {report.phase.removeprefix('index ')}"
        rate = report.seen / report.load_seconds if report.load_seconds else 0.0
        total = f" of {self.total:,}" if self.total else ""
        if report.phase == "embed":
            line = f"{self.corpus}: {report.skipped + report.seen:,}{total} passages embedded, {rate:,.0f}/s"
        else:
            line = (
                f"{self.corpus}: {report.seen:,}{total} passages read, {report.added:,} added, "
                f"{report.skipped:,} already stored, {rate:,.0f}/s"
            )
        done = self.fraction(report)
        if done:
            elapsed = time.monotonic() - self._started
            line += f", {100 * done:.0f}%, ETA {duration(elapsed * (1 - done) / done)}"
        return line

    def update(self, report: IngestReport) -> None:
        text = self.describe(report)
        if self._bar is not None:
            done = self.fraction(report)
            indexing = report.phase.startswith("index")
            self._bar.update(
                self._task,
                description=text,
                total=None if indexing or done is None else 1.0,
                completed=0 if indexing or done is None else done,
            )
            return
        now = time.monotonic()
        if report.phase != self._phase or now - self._last_line >= self.every:
            self._phase, self._last_line = report.phase, now
            self.console.print(text, highlight=False, soft_wrap=True)
