"""toolkit translate."""

from __future__ import annotations

from typing import Callable, Optional

import typer

from toolkit.cli import engine as ray_options
from toolkit.cli.common import (DOCUMENTS_HELP, FLAGGED_EXIT, QUANTIZATION_HELP, app, counted, flags_sidecar, report_flags,
                                 report_job, report_left_out, stops_on_sigterm, user_errors)


def _progress_reporter(total: Callable[[], int | None], quiet: bool):
    """A rich progress bar on stderr (documents, sentences/s, ETA), or None when quiet or not a terminal."""
    import time

    if quiet:  # nothing to draw: rich is not even imported
        return None, None
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
        TextColumn("{task.fields[rate]:.1f} sentences/s"), TimeRemainingColumn(), console=console,
    )
    task = progress.add_task("translate", total=total(), rate=0.0)  # counted only when a bar is shown
    started = time.monotonic()
    sentences = 0

    def report(records: int, new_sentences: int) -> None:
        nonlocal sentences
        sentences += new_sentences
        rate = sentences / max(time.monotonic() - started, 1e-6)
        progress.update(task, advance=records, rate=rate)

    return progress, report


@app.command()
@user_errors
@stops_on_sigterm
def translate(
    inputs: list[str] = typer.Argument(..., help=f"Texts, {DOCUMENTS_HELP}, folders, or - for stdin."),
    to: str = typer.Option(..., "--to", help="Target languages, comma-separated (fa,sq)."),
    source: str = typer.Option("en", "--from", help="Source language."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Translation model: ID (hub id, imported name or folder) for every target, LANG=ID per target (repeatable)."),
    out: Optional[str] = typer.Option(None, "--out", help="Output file or folder (resumable); default standard output."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines with provenance and text direction."),
    field: str = typer.Option("text", "--field", help="JSONL field to translate."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL/CSV field that identifies a record."),
    column: str = typer.Option("text", "--column", help="CSV/TSV column to translate."),
    beams: int = typer.Option(1, "--beams", min=1, help="Beam size (1 = greedy)."),
    batch_tokens: Optional[int] = typer.Option(None, "--batch-tokens", min=16, help="Padded tokens per batch (env TOOLKIT_BATCH_TOKENS; default 2048 per parallel ct2 translator (one per core) on CPU, 8192 on GPU)."),
    backend: str = typer.Option("auto", "--backend", help="Inference backend: auto (llama.cpp for a chat model imported from a GGUF file when installed; "
                                 "else ct2 when it runs the model; else hf), ct2, hf or llama.cpp (chat models only)."),
    quantization: Optional[str] = typer.Option(None, "--quantization", help=QUANTIZATION_HELP),
    dtype: Optional[str] = typer.Option(None, "--dtype", help="hf backend: float32, bfloat16 or float16 (env TOOLKIT_DTYPE; default bfloat16 on CPUs with AMX or AVX-512 BF16, else float32)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (env TOOLKIT_THREADS; default all cores this process may use)."),
    no_protect: bool = typer.Option(False, "--no-protect", help="Send URLs, e-mails, @handles, placeholders and inline code to the model too (setting protect; by default they come back byte for byte)."),
    glossary: Optional[str] = typer.Option(None, "--glossary", help="TSV/CSV of terms: header source<TAB>fa<TAB>sq..., = keeps the source term (setting glossary)."),
    line_length: Optional[int] = typer.Option(None, "--line-length", min=10, help="Subtitles (.srt/.vtt): wrap each cue's translation to lines of at most N characters (setting line_length; default: each cue keeps its number of lines)."),
    extract_article: bool = typer.Option(False, "--extract-article", help="Translate each document's plain text, written as .txt: a web page's article without its page furniture, a PDF's or subtitles' text (as summarize reads them)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="PO and XLIFF files: translate entries and units that already have a translation too (by default they are left as they are)."),
    no_flags: bool = typer.Option(False, "--no-flags", help="Do not check each translated segment (numbers, names, omission, language, repetition, length); outputs carry no flags (setting flags)."),
    fail_on_flags: bool = typer.Option(False, "--fail-on-flags", help=f"Exit {FLAGGED_EXIT} (after writing everything) when any translated segment is flagged."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Bypass the translation memory (finished segments are not looked up or stored)."),
    errors: str = typer.Option("strict", "--errors", help="Undecodable bytes: strict (stop) or replace."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Write bad records (malformed JSONL lines, CSV rows with the wrong number of cells, empty, undecodable or malformed documents: a .srt that is not SubRip) to a rejects file and go on, exit 0. A bad document of an input folder is set aside without it too, and the command then exits 2."),
    restart: bool = typer.Option(False, "--restart", help="Discard an unfinished job's partial output and start again."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    engine: str = ray_options.ENGINE,
    address: Optional[str] = ray_options.ADDRESS,
    actors: str = ray_options.ACTORS,
    cpus_per_actor: float = ray_options.CPUS,
    gpus_per_actor: float = ray_options.GPUS,
) -> None:
    """Translate texts, files, folders, JSONL or CSV into one or more languages."""
    import functools
    from pathlib import Path

    from toolkit.io.inputs import InputOptions
    from toolkit.languages import parse_language_list
    from toolkit import engines
    from toolkit.translate.job import TranslationJob, count_records

    job = TranslationJob(
        targets=tuple(parse_language_list(to)), source=source, models=tuple(model or ()), backend=backend,
        quantization=quantization, beams=beams, threads=threads, dtype=dtype, batch_tokens=batch_tokens, memory=not no_cache,
        protect=False if no_protect else None, glossary=Path(glossary) if glossary else None,
        line_length=line_length, overwrite=overwrite,
        flags=False if no_flags else None,
        inputs=InputOptions(field=field, id_field=id_field, column=column, errors=errors, skip_bad=skip_bad,
                            as_text=extract_article),
        out=Path(out) if out else None, as_json=as_json, restart=restart,
    )
    cluster = ray_options.cluster_options(engine, address, actors, cpus_per_actor, gpus_per_actor)
    report_left_out(inputs)
    run = functools.partial(engines.translate, inputs, job, cluster)
    progress, report = _progress_reporter(lambda: count_records(inputs, job.inputs) if cluster is None else None, quiet)
    if progress:
        with progress:
            summary = run(report)
    else:
        summary = run()
    done = (f"translated {counted(summary.records, summary.unit)} into {', '.join(job.targets)} "
            f"({counted(summary.sentences, 'distinct sentence')})")
    to_files = bool(out) or any(not o.endswith("rejects.jsonl") for o in summary.outputs)  # --out, or beside the input
    report_job(done if to_files and not quiet else None, summary.resumed, summary.set_aside, summary.outputs, summary.unit)
    cut = {t: n for t, n in summary.bound_reached.items() if n}
    if cut:
        counts = ", ".join(f"{t}: {n}" for t, n in cut.items())
        typer.echo(f"warning: {sum(cut.values())} translated sentences ({counts}) stopped at the output length bound "
                   "(2 x source tokens + 10) and may be cut short; this usually means the model looped: check them, "
                   "or try --beams 4", err=True)
    sidecar = flags_sidecar(summary.outputs)
    report_flags(summary.flags, f"see {sidecar}" if sidecar else "see the output's flags" if as_json or out else
                 "see the output's flags (documents: use --out or --json)")
    summary.set_aside.check(skip_bad)  # bad input (exit 2) before flags (exit 3)
    if summary.flags.get("segments") and fail_on_flags:
        raise typer.Exit(FLAGGED_EXIT)
