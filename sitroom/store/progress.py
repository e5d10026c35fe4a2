"""The ingest progress bar: articles done of the input's items, articles/s, events found; errors above it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, \
    TimeElapsedColumn
from rich.text import Text

from ..readers import count_items
from .ingest import IngestReport, Step


class RateColumn(ProgressColumn):
    """Articles per second over the whole run (Rich's own speed column smooths over a few seconds)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.fields.get("stored", 0) / elapsed if elapsed > 0.5 else 0.0
        return Text(f"{rate:5.1f} articles/s", style="progress.data.speed")


class IngestProgress:
    def __init__(self, console: Console, paths: Sequence[str]) -> None:
        self.console = console
        self.total = count_items(paths)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TextColumn("{task.fields[events]} events, {task.fields[failed]} failed"), TimeElapsedColumn(),
            console=console, transient=False)
        self.task = self.progress.add_task("ingest", total=self.total, events=0, failed=0, stored=0)
        self.started = time.perf_counter()

    def __enter__(self) -> IngestProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, step: Step) -> None:
        report = step.report
        if step.failure is not None:
            self.progress.console.print(f"[red]error {step.failure.code}:[/red] {step.failure}", highlight=False,
                                        soft_wrap=True)
        self.progress.update(self.task, completed=report.read, events=report.events, failed=report.failed,
                             stored=report.stored)

    def finish(self, report: IngestReport) -> None:
        self.progress.update(self.task, completed=report.read, total=max(report.read, self.total or 0))

    def status(self, text: str) -> None:
        self.progress.update(self.task, description=text)
