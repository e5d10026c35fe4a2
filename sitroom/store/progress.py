"""The ingest progress bar: articles done of the input's items, articles/s, events found; errors above it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from sitroom.read.readers import count_items
from sitroom.store.ingest import IngestReport, Step


class RateColumn(ProgressColumn):
    """Articles stored per second since the first result (model loading is not counted)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.fields.get('rate', 0.0):5.1f} articles/s", style="progress.data.speed")


class IngestProgress:
    def __init__(self, console: Console, paths: Sequence[str]) -> None:
        self.console = console
        self.total = count_items(paths)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TextColumn("{task.fields[events]} events, {task.fields[failed]} failed"), TimeElapsedColumn(),
            console=console, transient=False)
        self.task = self.progress.add_task("ingest", total=self.total, events=0, failed=0, rate=0.0)
        self.first: float | None = None
        self.first_count = 0

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
        now = time.perf_counter()
        if step.kind == "stored" and self.first is None:
            self.first, self.first_count = now, report.stored
        rate = (report.stored - self.first_count) / (now - self.first) if self.first and now > self.first else 0.0
        self.progress.update(self.task, completed=report.read, events=report.events, failed=report.failed,
                             rate=rate)

    def finish(self, report: IngestReport) -> None:
        self.progress.update(self.task, completed=report.read, total=max(report.read, self.total or 0))

    def status(self, text: str) -> None:
        self.progress.update(self.task, description=text)
