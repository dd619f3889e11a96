"""A progress bar on a terminal, nothing elsewhere (cron mail and JSON stay clean)."""

from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def progress_bar(stream, total: int, enabled: bool = True):
    """Yield a `step(label)` callable that advances the bar by one."""
    if not enabled or not getattr(stream, "isatty", lambda: False)():
        yield lambda label="": None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("veille", total=total)
        yield lambda label="": bar.advance(task)
