"""What every command group shares: the app, the error wrapper, JSON printing, job reports."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, TypeVar

import typer

from toolkit import __version__
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.io.sinks import SetAside

F = TypeVar("F", bound=Callable)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the job is, as Ctrl-C is (``stops_on_sigterm``)."""


def user_errors(command: F) -> F:
    """Turn a ToolkitError into one line on stderr and its exit code; Ctrl-C into exit 130 (SIGTERM,
    where the command stops on it: 143)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ToolkitError as exc:
            typer.echo(f"error: {_with_flags(exc)}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            typer.echo("interrupted: finished results are saved; run the same command again to resume", err=True)
            raise typer.Exit(143 if isinstance(exc, Terminated) else 130) from None

    return wrapper  # type: ignore[return-value]


def stops_on_sigterm(command: F) -> F:
    """A job command that SIGTERM (what ``timeout``, systemd and Kubernetes send) stops as Ctrl-C
    does: the finished results are kept and ``user_errors`` prints the resume line. Put it below
    ``user_errors``."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
            return command(*args, **kwargs)

        def terminate(signum, frame):
            raise Terminated

        previous = signal.signal(signal.SIGTERM, terminate)
        try:
            return command(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return wrapper  # type: ignore[return-value]


# Library settings whose flag is not the setting's name in dashes.
_FLAGS = {"source": "--from", "targets": "--to", "models": "--model", "memory": "--no-cache", "protect": "--no-protect",
          "flags": "--no-flags"}


def _with_flags(exc: ToolkitError) -> str:
    """The library's error, each setting it names shown as the flag that sets it."""
    return exc.render(lambda name: _FLAGS.get(name, "--" + name.replace("_", "-")))


app = typer.Typer(
    name="toolkit",
    help="Summarise, translate and score multilingual news (English, Persian, Albanian and more).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs 0.2 s of imports at every --help
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Summarise, translate and score multilingual news."""


def print_json(data: dict) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))



FLAGGED_EXIT = 3  # --fail-on-flags, when a segment is flagged (2 is a user's mistake)


def report_flags(flags: dict, where: str) -> None:
    """On stderr: how many translated segments were flagged, by check, and ``where`` to see them."""
    if flags.get("segments"):
        checks = ", ".join(f"{check} {n}" for check, n in flags.items() if check != "segments")
        typer.echo(f"flagged {flags['segments']} translated segments ({checks}): {where}", err=True)


def counted(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def report_left_out(inputs: list[str]) -> None:
    """On stderr: what input folders hold of earlier runs' output, left out: translations written
    beside their sources, and output folders."""
    from toolkit.io.inputs import earlier_outputs

    left_out = earlier_outputs(list(inputs))
    earlier = left_out.beside
    for folder in left_out.output_folders:
        typer.echo(f"left out the output folder of an earlier run: {folder}", err=True)
    if earlier:
        shown = ", ".join(map(str, earlier[:3])) + (f" and {len(earlier) - 3} more" if len(earlier) > 3 else "")
        beside = "beside its source" if len(earlier) == 1 else "beside their sources"
        typer.echo(f"left out {counted(len(earlier), 'earlier translation')} {beside}: {shown}", err=True)


def flags_sidecar(outputs: list[str]) -> str | None:
    """The flagged segments' sidecar among a job's output files (``OUT.flags.jsonl``,
    ``toolkit-flags.jsonl``), if it wrote one."""
    return next((o for o in outputs if o.endswith("flags.jsonl")), None)


def report_job(done: str | None, resumed: int, set_aside: SetAside, outputs: list[str], noun: str) -> None:
    """On stderr: what a job to files did (``done``, when given), naming the files it wrote (the
    flags sidecar is named with the flag counts, ``report_flags``), and what it set aside
    (``toolkit.io.sinks.SetAside``): the rejects file, and the first few with their reasons;
    ``noun``: what the job's inputs are, one of them (``record``, ``document``, ``article``)."""
    if done:
        if resumed:
            done += f"; {resumed} {'was' if resumed == 1 else 'were'} already done"
        written = [o for o in outputs if o not in (set_aside.file, flags_sidecar(outputs))]
        shown = ", ".join(written[:4]) + (f" and {len(written) - 4} more files" if len(written) > 4 else "")
        typer.echo(f"{done}: {shown or 'no new files'}", err=True)
    if set_aside.count:
        typer.echo(f"skipped {counted(set_aside.count, 'bad ' + noun)}: see {set_aside.file}", err=True)
        for reject in set_aside.first:
            typer.echo(f"  {reject.origin}: {reject.reason}", err=True)
        if set_aside.count > len(set_aside.first):
            typer.echo(f"  and {set_aside.count - len(set_aside.first)} more", err=True)


# What an input file may be, worded by kind so that no format toolkit reads is left out.
DOCUMENTS_HELP = ("files (any document kind docs/documents.md lists: .txt, .md, .html, subtitles, PO, XLIFF, .docx/.pptx/.xlsx, "
                  "OpenDocument, EPUB, .pdf; .jsonl/.csv/.tsv records)")
QUANTIZATION_HELP = "ct2 weights: int8, float16, float32... (env TOOLKIT_QUANTIZATION; default int8 on CPU, float16 on CUDA)."
