"""How the command line prints: readable on a terminal, plain text when piped.

Renderers (engine.render.explanation, engine.render.diff_report, engine.render.variation_report) decide WHAT is said;
this module only decides HOW it reaches the screen, with rich: the terminal width is detected,
a report longer than the screen opens in a pager on a terminal, the REQUIRED NOW block of a
suggestion is emphasised, and long work shows a progress bar on stderr. When output is piped or
redirected, text is written unchanged (no colour codes, no pager, no progress bars), so scripts
and files get exactly the renderer's text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

REQUIRED_HEADING = "REQUIRED NOW"


def _tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


PIPED_WIDTH = 100
"""The line width of text written to a pipe or file (no terminal to measure)."""


def width() -> int:
    """The terminal's width when stdout is a terminal (rich detects it, or $COLUMNS), else PIPED_WIDTH."""
    if not _tty(sys.stdout):
        return PIPED_WIDTH
    from rich.console import Console

    return max(Console().size.width, 40)


def show(text: str, emphasise_required: bool = False, page: bool = True) -> None:
    """Print a report: unchanged when piped; on a terminal with styling, paged if longer than the screen
    (unless ``page`` is False: the end of an interactive session, which stays in the scroll-back)."""
    if not _tty(sys.stdout):
        sys.stdout.write(text)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    body = Text()
    in_required = False
    for line in text.splitlines(keepends=True):
        if emphasise_required:
            if line.startswith(REQUIRED_HEADING):
                in_required = True
            elif in_required and line.strip() and not line.startswith((" ", "\t")):
                in_required = False
        if in_required and line.startswith(REQUIRED_HEADING):
            body.append(line, style="bold reverse red")
        elif in_required:
            body.append(line, style="bold red")
        else:
            body.append(line)
    if page and text.count("\n") > console.size.height:
        with console.pager(styles=True):
            console.print(body, end="")
    else:
        console.print(body, end="")


def wrote(message: str) -> None:
    """What an ``--out`` command wrote: the one line it prints."""
    print(message)


@contextmanager
def progress(label: str, total: int, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when it is a terminal; a no-op callback ``(done, total)`` otherwise."""
    if not enabled or not _tty(sys.stderr):
        yield lambda done, all_: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int, all_: int) -> None:
            bar.update(task, completed=done, total=all_)

        yield update
